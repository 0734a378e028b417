"""A SHACL validation report of a table's data as problems people can act on.

`results` reads the standard ``sh:ValidationReport`` graph (any engine's); `problems` turns each
result into a `Problem` in English and Czech: the row as conversion errors number it (the CSV's
header is row 1; from the row's ``csvw:url``, else its IRI ``…/rows/{_row}``), the column (by
its property, from the CSVW metadata), the value, and how to fix it (the shape's own
``sh:message`` if it has one, else a text for its constraint component). A duplicate value of a
unique key names every row that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox
import rdflib
from rdflib import Literal, URIRef

from ..errors import Problem
from ..namespaces import CSVW, RDFS, SH, UZEMI, XSD
from ..territory.kinds import BY_KEY
from .datashapes import columns_of

LISTED = 100  # problems listed in full; the rest are counted
ROW = re.compile(r"\{_row\}")
SOURCE_ROW = re.compile(r"#row=(\d+)$")


@dataclass(frozen=True)
class Result:
    focus: rdflib.term.Node
    path: rdflib.term.Node | None
    value: rdflib.term.Node | None
    shape: rdflib.term.Node
    component: str  # local name, e.g. "MinCountConstraintComponent"
    severity: str  # "error" or "warning"
    messages: dict[str, str]  # language -> sh:resultMessage


def results(report: rdflib.Graph) -> list[Result]:
    """The results of a ``sh:ValidationReport`` graph (the top-level ones)."""
    out = []
    for node in report.objects(None, SH.result):
        messages = {}
        for m in report.objects(node, SH.resultMessage):
            messages.setdefault(getattr(m, "language", None) or "en", str(m))
        component = str(report.value(node, SH.sourceConstraintComponent) or "")
        severity = report.value(node, SH.resultSeverity)
        out.append(
            Result(
                report.value(node, SH.focusNode),
                _path(report, report.value(node, SH.resultPath)),
                report.value(node, SH.value),
                report.value(node, SH.sourceShape),
                component.rsplit("#", 1)[-1],
                "error" if severity in (None, SH.Violation) else "warning",
                messages,
            )
        )
    return out


def _path(report: rdflib.Graph, path):
    """A property, or ("^", property) for an inverse path; other paths as they are."""
    inverse = report.value(path, SH.inversePath) if path is not None else None
    return ("^", inverse) if inverse is not None else path


# ------------------------------------------------------------------------- problems


# component -> (shape parameter, English, Czech, how to fix, in Czech); {x}: the parameter
TEXTS: dict[str, tuple] = {
    "DatatypeConstraintComponent": (
        SH.datatype,
        "is not a valid {x}",
        "není platná hodnota typu {x}",
        "write a value of type {x}",
        "zapište hodnotu typu {x}",
    ),
    "MinCountConstraintComponent": (
        SH.minCount,
        "is required but empty",
        "je povinný, ale prázdný",
        "fill in the cell",
        "vyplňte buňku",
    ),
    "MaxCountConstraintComponent": (
        SH.maxCount,
        "has more values than allowed ({x})",
        "má více hodnot, než je povoleno ({x})",
        "keep one value in the cell",
        "ponechte v buňce jednu hodnotu",
    ),
    "PatternConstraintComponent": (
        SH.pattern,
        "does not match the pattern {x}",
        "neodpovídá vzoru {x}",
        "correct the value to match the pattern",
        "opravte hodnotu podle vzoru",
    ),
    "MinLengthConstraintComponent": (
        SH.minLength,
        "has fewer characters than the minimum {x}",
        "má méně znaků, než je minimum {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "MaxLengthConstraintComponent": (
        SH.maxLength,
        "has more characters than the maximum {x}",
        "má více znaků, než je maximum {x}",
        "shorten the value",
        "zkraťte hodnotu",
    ),
    "MinInclusiveConstraintComponent": (
        SH.minInclusive,
        "is less than the minimum {x}",
        "je menší než minimum {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "MaxInclusiveConstraintComponent": (
        SH.maxInclusive,
        "is greater than the maximum {x}",
        "je větší než maximum {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "MinExclusiveConstraintComponent": (
        SH.minExclusive,
        "is not greater than {x}",
        "není větší než {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "MaxExclusiveConstraintComponent": (
        SH.maxExclusive,
        "is not less than {x}",
        "není menší než {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "InConstraintComponent": (
        SH["in"],
        "is not one of the allowed values {x}",
        "není jednou z povolených hodnot {x}",
        "use one of the allowed values",
        "použijte jednu z povolených hodnot",
    ),
    "NodeKindConstraintComponent": (
        SH.nodeKind,
        "is not {x}",
        "není {x}",
        "correct the value",
        "opravte hodnotu",
    ),
    "ClassConstraintComponent": (
        SH["class"],
        "is not {x}",
        "není {x}",
        "use the code of an existing unit (`lod territory find` shows how a code resolves)",
        "použijte kód existující jednotky (jak se kód přeloží, ukáže `lod territory find`)",
    ),
    "LanguageInConstraintComponent": (
        SH.languageIn,
        "is not in the language {x}",
        "není v jazyce {x}",
        "correct the column's language",
        "opravte jazyk sloupce",
    ),
}
_RANGES = {
    "MinInclusiveConstraintComponent",
    "MaxInclusiveConstraintComponent",
    "MinExclusiveConstraintComponent",
    "MaxExclusiveConstraintComponent",
}
_KINDS = {SH.IRI: ("an IRI", "IRI"), SH.Literal: ("a literal", "literál")}
_CLASSES = {
    UZEMI[kind.cls]: (
        f"the IRI of any unit of kind '{kind.key}' in the territorial codelist",
        f"IRI žádné jednotky typu „{kind.key}“ v číselníku území",
    )
    for kind in BY_KEY.values()
}


def problems(
    report: rdflib.Graph,
    shapes: rdflib.Graph,
    metadata: dict,
    data: rdflib.Graph | None = None,
    *,
    where: str = "data.csv",
) -> list[Problem]:
    """Each result of ``report`` as a problem naming row, column and value; the rows of a
    duplicate key value are looked up in ``data``."""
    labels = {URIRef(p): label for p, label in columns_of(metadata)}
    order = {p: n for n, p in enumerate(labels)}
    row_of = _row_reader(metadata, data)
    found = []
    listed = results(report)
    mistyped = {
        (r.focus, r.path, r.value) for r in listed if r.component == "DatatypeConstraintComponent"
    }
    for result in listed:
        if result.component in _RANGES and (result.focus, result.path, result.value) in mistyped:
            continue  # a value of the wrong datatype is out of any range too: said once
        found.append(_problem(result, shapes, labels, row_of, data, where, order))
    found.sort(key=lambda item: item[0])
    out = [problem for _, problem in found]
    errors = [p for p in out if p.severity == "error"]
    if len(errors) > LISTED:
        more = len(errors) - LISTED
        out = errors[:LISTED] + [
            Problem(
                f"… and {more} more problem(s) like these",
                where,
                message_cs=f"… a {more} dalších podobných problémů",
            )
        ]
    return out


def _problem(result: Result, shapes, labels, row_of, data, where: str, order) -> tuple:
    inverse = isinstance(result.path, tuple)
    prop = result.path[1] if inverse else result.path
    column = labels.get(prop) if prop is not None else None
    if inverse:  # a unique key: the focus node is the value, the rows hold it
        rows = sorted(r for s in _subjects(data, prop, result.focus) if (r := row_of(s)))
        place = f"rows {', '.join(str(line) for line, _ in rows)}" if rows else "rows"
        value, node = result.focus, result.focus
        en = "the value is in several rows, but the column is a unique key"
        cs = "hodnota je ve více řádcích, ale sloupec je jedinečný klíč"
        hint = "keep each value of the key in one row only"
        hint_cs = "ponechte každou hodnotu klíče jen v jednom řádku"
        row = rows[0] if rows else None
        focus = ""
    else:
        row = row_of(result.focus)
        place = f"row {row[0]}" if row is not None else f"<{result.focus}>"
        value, node = result.value, result.focus
        en, cs, hint, hint_cs = _texts(result, shapes)
        focus = str(result.focus)
    if column is not None:
        place += f", column {column!r}"
    elif prop is not None and not isinstance(prop, rdflib.BNode):
        place += f", property <{prop}>"
    problem = Problem(
        en,
        f"{where}, {place}",
        hint=hint,
        message_cs=cs,
        value=_text(value),
        severity=result.severity,
        hint_cs=hint_cs,
        focus=focus or (str(node) if isinstance(node, URIRef) else ""),
        property=str(prop) if isinstance(prop, URIRef) else "",
        component=result.component,
        check="data",
        value_kind=("iri" if isinstance(value, URIRef) else "literal") if _text(value) else "",
        row=row[1] if row is not None else None,
        column=column or "",
    )
    key = (
        result.severity != "error",
        row[0] if row is not None else 1 << 62,
        order.get(prop, len(order)),
        result.component,
    )
    return key, problem


def _texts(result: Result, shapes: rdflib.Graph) -> tuple[str, str, str, str]:
    """(English, Czech, how to fix in English and Czech): the shape's own message if it has
    one (on the shape or its SPARQL constraint), else ours."""
    nodes = [result.shape, *shapes.objects(result.shape, SH.sparql)]
    own = {
        getattr(m, "language", None) or "en": str(m)
        for node in nodes
        for m in shapes.objects(node, SH.message)
    }
    if own or result.component not in TEXTS:
        en = own.get("en") or result.messages.get("en") or next(iter(own.values()), "")
        en = en or f"violates {result.component}"
        cs = own.get("cs") or result.messages.get("cs") or en
        return (
            en,
            cs,
            "the rule is in the dataset's shapes; correct the value",
            "pravidlo je v tvarech datové sady; opravte hodnotu",
        )
    parameter, en, cs, hint, hint_cs = TEXTS[result.component]
    x_en, x_cs = _parameter(shapes, result.shape, parameter)
    return en.format(x=x_en), cs.format(x=x_cs), hint.format(x=x_en), hint_cs.format(x=x_cs)


def _parameter(shapes: rdflib.Graph, shape, parameter) -> tuple[str, str]:
    value = shapes.value(shape, parameter)
    if value is None:
        return "", ""
    if parameter == SH["in"]:
        items = rdflib.collection.Collection(shapes, value)
        text = ", ".join(repr(str(v)) for v in items)
        return text, text
    if value in _KINDS:
        return _KINDS[value]
    if value in _CLASSES:
        return _CLASSES[value]
    if parameter == SH["class"]:
        return f"an instance of {_curie(value, shapes)}", f"instancí {_curie(value, shapes)}"
    if isinstance(value, URIRef):
        text = _curie(value, shapes)
        return text, text
    return str(value), str(value)


def _curie(iri: URIRef, shapes: rdflib.Graph) -> str:
    if str(iri).startswith(str(XSD)):
        return "xsd:" + str(iri)[len(str(XSD)) :]
    label = shapes.value(iri, RDFS.label)
    return str(label) if label else f"<{iri}>"


def _subjects(data, prop, value) -> list:
    """The subjects with ``prop`` ``value`` in ``data`` (an rdflib Graph or pyoxigraph Store)."""
    if data is None:
        return []
    if isinstance(data, rdflib.Graph):
        return list(data.subjects(prop, value))
    term = ox.NamedNode(str(value)) if isinstance(value, URIRef) else _ox_literal(value)
    return [
        URIRef(q.subject.value) for q in data.quads_for_pattern(None, ox.NamedNode(str(prop)), term)
    ]


def _ox_literal(value: Literal) -> ox.Literal:
    if value.language:
        return ox.Literal(str(value), language=value.language)
    return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype or XSD.string)))


def _text(node) -> str:
    return str(node) if isinstance(node, (Literal, URIRef)) else ""


def _row_reader(metadata: dict, data):
    """focus node -> its row in the CSV, numbered as conversion errors number it (the header
    is row 1), and its data row (``_row``, 1 = the first): from the row's ``csvw:url``
    (``data.csv#row=3``) in ``data`` and the row IRI template (``…/rows/{_row}``); without
    either, the one from the other (a CSV lod publishes has one header row)."""
    template = metadata.get("tableSchema", {}).get("aboutUrl")
    pattern = None
    if isinstance(template, str) and len(ROW.findall(template)) == 1:
        start, end = template.split("{_row}")
        if "{" not in start + end:
            safe = "/:#?&=;,+!$'()*[]@%~"
            pattern = re.compile(re.escape(quote(start, safe=safe)) + r"(\d+)" + re.escape(end))

    def row(node) -> tuple[int, int] | None:
        """(its row in the CSV, its number among the data rows) of a row's node."""
        if not isinstance(node, URIRef):
            return None
        m = pattern.fullmatch(str(node)) if pattern is not None else None
        number = int(m.group(1)) if m else None
        url = _row_url(data, node)
        if url is not None and (found := SOURCE_ROW.search(url)):
            line = int(found.group(1))
            return line, number if number is not None else line - 1
        return (number + 1, number) if number is not None else None

    return row


def _row_url(data, node: URIRef) -> str | None:
    """The ``csvw:url`` of the csvw:Row that describes ``node`` (standard mode csv2rdf)."""
    if data is None:
        return None
    if isinstance(data, rdflib.Graph):
        for r in data.subjects(CSVW.describes, node):
            url = data.value(r, CSVW.url)
            if url is not None:
                return str(url)
        return None
    describes, url = ox.NamedNode(str(CSVW.describes)), ox.NamedNode(str(CSVW.url))
    for quad in data.quads_for_pattern(None, describes, ox.NamedNode(str(node))):
        for found in data.quads_for_pattern(quad.subject, url, None):
            return found.object.value
    return None
