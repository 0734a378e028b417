"""SPARQL expressions that are true when a value node violates a value-type constraint.

Each expression names the value node `{v}`; an expression that raises an error counts as a
violation (the engine wraps it in COALESCE(…, true)), as SHACL asks for incomparable values.
"""

from __future__ import annotations

from rdflib import RDF, Literal, URIRef

from ..tabular.numbers import INTEGER_TYPES
from .shapes import Shape
from .terms import sparql
from .vocab import SH, component

XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
# datatypes whose lexical forms Oxigraph can check by casting
CASTABLE = {
    f"{XSD}{n}"
    for n in (
        "integer decimal double float boolean date dateTime time duration gYear gYearMonth"
        " gMonth gMonthDay gDay dayTimeDuration yearMonthDuration"
    ).split()
}
# integer types derived by range (checked as xsd:integer, then bounds): the XSD ranges CSVW
# parsing uses too
INT_RANGES = {name: bounds for name, bounds in INTEGER_TYPES.items() if name != "integer"}
NODE_KINDS = {
    SH.IRI: "!isIRI({v})",
    SH.BlankNode: "!isBlank({v})",
    SH.Literal: "!isLiteral({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})",
    SH.BlankNodeOrLiteral: "isIRI({v})",
    SH.IRIOrLiteral: "isBlank({v})",
}
COMPARISONS = {
    SH.minExclusive: ("MinExclusive", ">"),
    SH.minInclusive: ("MinInclusive", ">="),
    SH.maxExclusive: ("MaxExclusive", "<"),
    SH.maxInclusive: ("MaxInclusive", "<="),
}


class Unsupported(ValueError):
    pass


def datatype(dt) -> str:
    d = str(dt)
    if d == str(RDF.langString):
        return '!(isLiteral({v}) && lang({v}) != "")'
    if d == f"{RDFS}Literal":
        return "!isLiteral({v})"
    ok = f"isLiteral({{v}}) && datatype({{v}}) = <{d}>"
    if d in CASTABLE:
        ok += f" && !isIRI(COALESCE(<{d}>(STR({{v}})), <urn:x-ill-formed>))"
    elif d.startswith(XSD) and d[len(XSD) :] in INT_RANGES:
        low, high = INT_RANGES[d[len(XSD) :]]
        num = f"COALESCE(<{XSD}integer>(STR({{v}})), <urn:x-ill-formed>)"
        ok += f" && isLiteral({num})"
        ok += f" && {num} >= {low}" if low is not None else ""
        ok += f" && {num} <= {high}" if high is not None else ""
    return f"!({ok})"


def value_checks(shape: Shape, regex_ok=None) -> list[tuple[URIRef, str]]:
    """(constraint component, violation expression) for each value-type constraint;
    `regex_ok(args)` says whether the store accepts a REGEX's pattern and flags."""
    checks = []
    for c in shape.values(SH["class"]):
        checks.append(
            (component("Class"), f"NOT EXISTS {{ {{v}} a/<{RDFS}subClassOf>* {sparql(c)} }}")
        )
    for dt in shape.values(SH.datatype):
        checks.append((component("Datatype"), datatype(dt)))
    for kind in shape.values(SH.nodeKind):
        if kind not in NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {kind}")
        checks.append((component("NodeKind"), NODE_KINDS[kind]))
    for pred, (name, op) in COMPARISONS.items():
        for bound in shape.values(pred):
            checks.append((component(name), f"!({{v}} {op} {sparql(bound)})"))
    for pred, name, op in ((SH.minLength, "MinLength", ">="), (SH.maxLength, "MaxLength", "<=")):
        for n in shape.values(pred):
            checks.append(
                (component(name), f"isBlank({{v}}) || !(STRLEN(STR({{v}})) {op} {int(n)})")
            )
    flags = shape.value(SH.flags)
    for pattern in shape.values(SH.pattern):
        args = sparql(Literal(str(pattern)))
        if flags is not None:
            args += ", " + sparql(Literal(str(flags)))
        if regex_ok is not None and not regex_ok(args):
            raise Unsupported(f"sh:pattern {str(pattern)!r} (not a regular expression here)")
        checks.append((component("Pattern"), f"isBlank({{v}}) || !REGEX(STR({{v}}), {args})"))
    for head in shape.values(SH.languageIn):
        tags = [str(t) for t in shape.graph.items(head)]
        ors = " || ".join(f"langMatches(lang({{v}}), {sparql(Literal(t))})" for t in tags)
        checks.append((component("LanguageIn"), f"!({ors or 'false'})"))
    for head in shape.values(SH["in"]):
        members = list(shape.graph.items(head))
        ors = " || ".join(f"sameTerm({{v}}, {sparql(m)})" for m in members)
        checks.append((component("In"), f"!({ors or 'false'})"))
    return checks


# -- logical constraints over shapes that only check values, inlined as expressions --------

VALUE_PARAMS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minExclusive, SH.minInclusive, SH.maxExclusive,
    SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH["in"],
}  # fmt: skip
IGNORED = {
    RDF.type, URIRef(f"{RDFS}label"), URIRef(f"{RDFS}comment"), SH.name, SH.description,
    SH.message, SH.severity, SH.order, SH.group, SH.deactivated, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf,
}  # fmt: skip
LOGICAL = {SH.node: "Node", SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or", SH.xone: "Xone"}


def conforms(shapes, node, regex_ok) -> str | None:
    """An expression true when `{v}` conforms to shape `node`; None unless the shape has
    value-type constraints only."""
    shape = shapes[node]
    if not set(shape.graph.predicates(node)) <= VALUE_PARAMS | IGNORED:
        return None
    checks = [] if shape.deactivated else value_checks(shape, regex_ok)
    if not checks:
        return "true"
    return "!(" + " || ".join(f"COALESCE({expr}, true)" for _, expr in checks) + ")"


def logical_checks(shape: Shape, shapes, regex_ok) -> dict:
    """(parameter, value) -> (component, violation expression) for each sh:node, sh:not,
    sh:and, sh:or and sh:xone whose shapes only check values."""
    found = {}
    for pred, name in LOGICAL.items():
        for obj in shape.values(pred):
            members = [obj] if name in ("Node", "Not") else list(shape.graph.items(obj))
            oks = [conforms(shapes, m, regex_ok) for m in members]
            if None in oks:
                continue
            oks = [f"({ok})" for ok in oks]
            if name in ("Node", "And"):
                bad = f"!({' && '.join(oks)})" if oks else "false"
            elif name == "Not":
                bad = oks[0]
            elif name == "Or":
                bad = f"!({' || '.join(oks)})" if oks else "true"
            else:
                bad = f"({' + '.join(f'IF({ok}, 1, 0)' for ok in oks) or '0'}) != 1"
            found[(pred, obj)] = (component(name), bad)
    return found
