"""A validation report and its four forms: text for the terminal, JSON for programs, the
``sh:ValidationReport`` graph for RDF tools and an HTML page (``templates/validate_report.html``).

Every problem is given in Czech and English: what is wrong, where (the field by its OFN key and
RDF property, or the table row and column), the offending value and how to fix it. Errors
(violations, which refuse a record) and warnings are listed apart and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.collection import Collection

from ..errors import Problem
from ..namespaces import PREFIXES, RDF, SH, XSD

# lod's own terms for what SHACL has no property for (the hint, the OFN key, the check)
VALIDACE = Namespace("https://w3id.org/lod-cz/validace#")
FORMATS = ("text", "json", "ttl", "html")


@dataclass
class Report:
    source: str  # the file, URL or "(body)" validated
    profile: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def conforms(self) -> bool:
        return not self.errors

    def summary(self, lang: str = "en") -> str:
        e, w = len(self.errors), len(self.warnings)
        if lang == "cs":
            verdict = "odpovídá" if self.conforms else "neodpovídá"
            return f"{self.source}: {verdict} profilu {self.profile} ({_cs_count(e, w)})"
        verdict = "conforms to" if self.conforms else "does not conform to"
        return f"{self.source}: {verdict} profile {self.profile} ({e} error(s), {w} warning(s))"

    # ------------------------------------------------------------------------------ text
    def text(self) -> str:
        """Czech first, each problem followed by its English line; errors, then warnings."""
        lines = []
        for title, items in (
            ("Chyby / Errors", self.errors),
            ("Varování / Warnings", self.warnings),
        ):
            if not items:
                continue
            lines.append(f"{title} ({len(items)}):")
            for problem in items:
                lines.append("  " + problem.line_cs())
                lines.append("    " + problem.line())
        lines.append(self.summary("cs"))
        lines.append(self.summary("en"))
        return "\n".join(lines)

    # ------------------------------------------------------------------------------ JSON
    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "profile": self.profile,
            "conforms": self.conforms,
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings)},
            "errors": [problem_dict(p) for p in self.errors],
            "warnings": [problem_dict(p) for p in self.warnings],
        }

    # ------------------------------------------------------------------------------ RDF
    def graph(self) -> rdflib.Graph:
        """The standard ``sh:ValidationReport``; messages and hints in both languages."""
        g = rdflib.Graph()
        g.bind("sh", SH)
        g.bind("validace", VALIDACE)
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        g.add((report, VALIDACE.profile, Literal(self.profile)))
        g.add((report, VALIDACE.source, Literal(self.source)))
        g.add((report, VALIDACE.errors, Literal(len(self.errors))))
        g.add((report, VALIDACE.warnings, Literal(len(self.warnings))))
        for problem in self.problems:
            g.add((report, SH.result, _result(g, problem, self.source)))
        return g

    def turtle(self) -> str:
        return self.graph().serialize(format="turtle")

    # ------------------------------------------------------------------------------ HTML
    def html(self) -> str:
        """A page of its own (for ``lod validate --format html``); the web app renders the
        same report inside its layout."""
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        from .. import resources

        env = Environment(
            loader=FileSystemLoader(str(resources.templates())),
            autoescape=select_autoescape(["html"]),
        )
        return env.get_template("validate_standalone.html").render(report=self)

    def render(self, fmt: str) -> str:
        if fmt == "json":
            import json

            return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)
        if fmt == "ttl":
            return self.turtle()
        if fmt == "html":
            return self.html()
        return self.text()


def _cs_count(errors: int, warnings: int) -> str:
    def plural(n: int, one: str, few: str, many: str) -> str:
        return f"{n} {one if n == 1 else few if 2 <= n <= 4 else many}"

    return (
        plural(errors, "chyba", "chyby", "chyb")
        + ", "
        + plural(warnings, "varování", "varování", "varování")
    )


def problem_dict(p: Problem) -> dict:
    out = {
        "severity": p.severity,
        "where": p.where,
        "focus": p.focus,
        "key": p.key,
        "property": p.property,
        "row": p.row,
        "column": p.column,
        "value": p.value,
        "message": {"cs": p.message_cs or p.message, "en": p.message},
        "hint": {"cs": p.hint_cs or p.hint, "en": p.hint},
        "component": p.component,
        "check": p.check,
    }
    return {k: v for k, v in out.items() if v not in ("", None)}


def expand(name: str) -> URIRef | None:
    """``dct:title`` -> the IRI; ``<iri>`` -> the IRI; None when neither."""
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES:
        return URIRef(PREFIXES[prefix] + local)
    if name.startswith(("http://", "https://", "urn:")):
        return URIRef(name)
    return None


def _path(g: rdflib.Graph, prop: str):
    steps = [expand(s) for s in prop.split("/")] if prop else []
    if not steps or any(s is None for s in steps):
        return None
    if len(steps) == 1:
        return steps[0]
    head = BNode()
    Collection(g, head, steps)  # a SHACL sequence path
    return head


def _result(g: rdflib.Graph, p: Problem, source: str) -> BNode:
    node = BNode()
    g.add((node, RDF.type, SH.ValidationResult))
    g.add((node, SH.resultSeverity, SH.Violation if p.severity == "error" else SH.Warning))
    focus = URIRef(p.focus) if p.focus else (expand(source) or Literal(source))
    g.add((node, SH.focusNode, focus))
    path = _path(g, p.property)
    if path is not None:
        g.add((node, SH.resultPath, path))
    if p.value:
        g.add((node, SH.value, URIRef(p.value) if p.value_kind == "iri" else Literal(p.value)))
    component = expand(p.component) if p.component.startswith("sh:") else None
    if component is None:
        component = VALIDACE[(p.component.partition(":")[2] or "Rule")]
    g.add((node, SH.sourceConstraintComponent, component))
    g.add((node, SH.resultMessage, Literal(p.message_cs or p.message, lang="cs")))
    g.add((node, SH.resultMessage, Literal(p.message, lang="en")))
    if p.hint or p.hint_cs:
        g.add((node, VALIDACE.hint, Literal(p.hint_cs or p.hint, lang="cs")))
        g.add((node, VALIDACE.hint, Literal(p.hint, lang="en")))
    g.add((node, VALIDACE.where, Literal(p.where)))
    for predicate, value in ((VALIDACE.key, p.key), (VALIDACE.check, p.check)):
        if value:
            g.add((node, predicate, Literal(value)))
    if p.row is not None:
        g.add((node, VALIDACE.row, Literal(p.row, datatype=XSD.integer)))
    if p.column:
        g.add((node, VALIDACE.column, Literal(p.column)))
    return node
