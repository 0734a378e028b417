"""SHACL validation, its raw results turned into located, fixable problems in Czech and English.

``run`` validates with pySHACL and gives the standard ``sh:ValidationReport`` graph;
``problems`` turns each result into a ``Problem``: the field by its OFN key and RDF property
(``kontaktní_bod.e-mail (dcat:contactPoint/vcard:hasEmail)``; a result about a nested object,
``sh:node`` with its ``sh:detail``, is reported at the nested field), the offending value, and
what is wrong and how to fix it from ``lod.validate.messages`` (the table, else the shape's own
bilingual ``sh:message``/``sh:description`` as in ``shapes/nkod.ttl``, else generic text).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, URIRef
from rdflib.collection import Collection

from .. import resources
from ..errors import Problem
from ..namespaces import DCAT, RDF, SH, prefixed
from . import messages


@cache
def shapes_graph(name: str = "nkod") -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(resources.shapes(f"{name}.ttl"), format="turtle")
    return graph


def curie(iri) -> str:
    return prefixed(iri) or f"<{iri}>"


def _text(graph: rdflib.Graph, node, predicate, lang: str) -> str:
    values = list(graph.objects(node, predicate))
    for value in values:
        if getattr(value, "language", None) == lang:
            return str(value)
    return str(values[0]) if values else ""


def _lang(graph: rdflib.Graph, node, predicate, lang: str) -> str:
    """Only a text tagged ``lang`` (no fallback to another language)."""
    for value in graph.objects(node, predicate):
        if getattr(value, "language", None) == lang:
            return str(value)
    return ""


def run(data: rdflib.Graph, shapes: rdflib.Graph, *, advanced: bool = False) -> rdflib.Graph:
    """The ``sh:ValidationReport`` graph of ``data`` against ``shapes`` (pySHACL)."""
    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=advanced
    )
    return report


def validate(data: rdflib.Graph, shapes: str = "nkod") -> list[Problem]:
    """Validate ``data`` against ``shapes/<shapes>.ttl``; one Problem per result."""
    sg = shapes_graph(shapes)
    return problems(data, sg, run(data, sg), check=shapes)


Locate = Callable[[rdflib.term.Node, list], tuple[int | None, str] | None]


def problems(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    report: rdflib.Graph,
    *,
    check: str = "",
    locate: Locate | None = None,
) -> list[Problem]:
    """One Problem per top-level result of ``report`` (per leaf of a nested object's details).

    ``locate(focus, predicates)``: the (row, column) of a result about table data, or None."""
    out = []
    for result in report.objects(None, SH.result):  # top level: details are followed below
        for chain in _leaves(report, result):
            out.append(_problem(data, shapes, report, chain, check, locate))
    out.sort(key=lambda p: (p.severity != "error", p.where, p.message))
    return out


def _leaves(report, result, chain=()) -> list[tuple]:
    """The chains of results from ``result`` to each leaf detail about a nested object (a blank
    node the record writes inline); a codelist concept's details are not followed."""
    chain = (*chain, result)
    value = report.value(result, SH.value)
    details = list(report.objects(result, SH.detail))
    if not isinstance(value, BNode) or not details:
        return [chain]
    out = []
    for detail in details:
        out += _leaves(report, detail, chain)
    return out


def _predicates(report, chain) -> list | None:
    """The predicates of the chain's paths, or None when a path is not a plain predicate."""
    out = []
    for result in chain:
        path = report.value(result, SH.resultPath)
        if isinstance(path, URIRef):
            out.append(path)
        elif path is None:
            continue
        else:
            return None
    return out


def _path_text(report, chain) -> str:
    parts = []
    for result in chain:
        path = report.value(result, SH.resultPath)
        if path is None:
            continue
        parts.append(curie(path) if isinstance(path, URIRef) else _complex_path(report, path))
    return "/".join(parts)


def _complex_path(graph, path) -> str:
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + curie(inverse)
    if (path, RDF.first, None) in graph:
        return "/".join(curie(p) for p in Collection(graph, path))
    return "(path)"


def _params(shapes, report, shape, result) -> dict:
    params = {"message": str(report.value(result, SH.resultMessage) or "")}
    for name, predicate in (
        ("count", SH.maxCount),
        ("datatype", SH.datatype),
        ("kind", SH.nodeKind),
        ("class", SH["class"]),
        ("pattern", SH.pattern),
    ):
        value = shapes.value(shape, predicate) if shape is not None else None
        if value is not None:
            params[name] = curie(value) if isinstance(value, URIRef) else str(value)
    members = shapes.value(shape, SH["in"]) if shape is not None else None
    if members is not None:
        params["in"] = ", ".join(str(m) for m in Collection(shapes, members))
    if "count" not in params and shape is not None:
        params["count"] = str(shapes.value(shape, SH.minCount) or "")
    return params


def _problem(data, shapes, report, chain, check, locate) -> Problem:
    top, leaf = chain[0], chain[-1]
    focus = report.value(top, SH.focusNode)
    value = report.value(leaf, SH.value)
    severity = report.value(top, SH.resultSeverity)
    severity = "error" if severity == SH.Violation else "warning"
    component = str(report.value(leaf, SH.sourceConstraintComponent) or "")
    component = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    if component == "QualifiedValueShape":
        component = "QualifiedMinCount"
    shape = report.value(leaf, SH.sourceShape)
    top_shape = report.value(top, SH.sourceShape)
    predicates = _predicates(report, chain)
    path = _path_text(report, chain)
    if isinstance(focus, BNode) and predicates is not None:
        focus, above = _anchor(data, focus)
        predicates = above + predicates
        path = "/".join([curie(p) for p in above] + ([path] if path else []))
    key = messages.ofn_key(data, focus, predicates, value) if predicates else ""
    if not key and top_shape is not None and len(chain) == 1:
        key = _text(shapes, top_shape, SH.name, "cs") if shapes.value(top_shape, SH.name) else ""
    field = key or path or "záznam"
    text = messages.lookup(path, component, severity)
    if text is None and _lang(shapes, top_shape, SH.message, "en") and len(chain) == 1:
        text = messages.Text(
            _lang(shapes, top_shape, SH.message, "cs"),
            _lang(shapes, top_shape, SH.message, "en"),
            _lang(shapes, top_shape, SH.description, "cs"),
            _lang(shapes, top_shape, SH.description, "en"),
        )
    if text is None:
        text = messages.generic(component, field, _params(shapes, report, shape, leaf), severity)
    row_column = locate(focus, predicates or []) if locate is not None else None
    if row_column is not None:
        row, column = row_column
        where = f"row {row}, column {column}" if row is not None else f"column {column}"
    else:
        row, column = None, ""
        where = _owner(data, focus) + _field(key, path) or "record"
    shown = value is not None and not isinstance(value, BNode)
    return Problem(
        message=text.en,
        message_cs=text.cs,
        where=where,
        hint=text.hint_en,
        hint_cs=text.hint_cs,
        value=str(value) if shown else "",
        value_kind=("iri" if isinstance(value, URIRef) else "literal") if shown else "",
        severity=severity,
        focus=str(focus) if isinstance(focus, URIRef) else "",
        key=key,
        property=path,
        component="sh:" + component + "ConstraintComponent" if component else "",
        check=check,
        row=row,
        column=column,
    )


def _anchor(data: rdflib.Graph, node, depth: int = 3) -> tuple:
    """The IRI a nested object (a blank node) hangs from, and the predicates down to it: a
    result about a contact point is reported at the record's ``kontaktní_bod``."""
    above: list = []
    while isinstance(node, BNode) and depth:
        parents = sorted(data.subject_predicates(node), key=lambda sp: (str(sp[0]), str(sp[1])))
        if not parents:
            break
        node, predicate = parents[0]
        above.insert(0, predicate)
        depth -= 1
    return node, above


def _field(key: str, path: str) -> str:
    """``kontaktní_bod (dcat:contactPoint) › e-mail (vcard:hasEmail)``: each step by its OFN
    key and property; the property path alone when the key is not known."""
    keys, steps = key.split("."), path.split("/")
    if not key or not path or len(keys) != len(steps):
        return path or key
    return " › ".join(f"{k} ({s})" for k, s in zip(keys, steps, strict=True))


def _owner(data: rdflib.Graph, focus) -> str:
    """A prefix naming what the focus node is, unless it is the dataset itself."""
    kinds = {
        DCAT.Distribution: "distribuce",
        DCAT.DataService: "datová služba",
        DCAT.Catalog: "katalog",
    }
    types = set(data.objects(focus, RDF.type))
    for rdf_type in types:
        if rdf_type in kinds:
            return f"{kinds[rdf_type]} {focus}: "
    if isinstance(focus, URIRef) and not types & {DCAT.Dataset, DCAT.DatasetSeries}:
        return f"{focus}: "  # something the record refers to (a publisher, an area, …)
    return ""
