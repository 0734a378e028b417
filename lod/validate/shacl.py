"""SHACL validation with pySHACL, reported as located, fixable problems.

Each property shape in ``shapes/`` names the OFN key (``sh:name``), says what is wrong
(``sh:message``) and how to fix it (``sh:description``), in Czech and English; a result is
reported as ``název (dct:title): …``.
"""

from __future__ import annotations

from functools import cache

import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib import URIRef

from .. import resources
from ..errors import Problem
from ..namespaces import PREFIXES, RDF, SH


@cache
def shapes_graph(name: str = "nkod") -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(resources.shapes(f"{name}.ttl"), format="turtle")
    return graph


def curie(iri) -> str:
    text = str(iri)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


def _text(graph: rdflib.Graph, node, predicate, lang: str) -> str:
    values = list(graph.objects(node, predicate))
    for value in values:
        if getattr(value, "language", None) == lang:
            return str(value)
    return str(values[0]) if values else ""


def validate(data: rdflib.Graph, shapes: str = "nkod") -> list[Problem]:
    """Validate ``data`` against ``shapes/<shapes>.ttl``; one Problem per result."""
    sg = shapes_graph(shapes)
    _, report, _ = pyshacl_validate(
        data, shacl_graph=sg, inference="none", allow_warnings=True, advanced=False
    )
    problems = []
    for result in report.objects(None, SH.result):  # top level: not the nested details
        problems.append(_problem(data, sg, report, result))
    problems.sort(key=lambda p: (p.severity != "error", p.where, p.message))
    return problems


def _problem(data, sg, report, result) -> Problem:
    shape = report.value(result, SH.sourceShape)
    path = report.value(result, SH.resultPath)
    focus = report.value(result, SH.focusNode)
    value = report.value(result, SH.value)
    severity = report.value(result, SH.resultSeverity)
    name = _text(sg, shape, SH.name, "cs") if shape is not None else ""
    field = (
        f"{name} ({curie(path)})"
        if name and path is not None
        else (curie(path) if path is not None else "record")
    )
    where = f"{_owner(data, focus)}{field}"
    message_en = _text(sg, shape, SH.message, "en") or str(report.value(result, SH.resultMessage))
    message_cs = _text(sg, shape, SH.message, "cs")
    return Problem(
        message=message_en,
        message_cs=message_cs,
        where=where,
        hint=_text(sg, shape, SH.description, "en"),
        value=str(value) if value is not None and not isinstance(value, rdflib.BNode) else "",
        severity="error" if severity == SH.Violation else "warning",
    )


def _owner(data: rdflib.Graph, focus) -> str:
    """A prefix naming what the focus node is, unless it is the dataset itself."""
    kinds = {
        URIRef("http://www.w3.org/ns/dcat#Distribution"): "distribuce",
        URIRef("http://www.w3.org/ns/dcat#DataService"): "datová služba",
        URIRef("http://www.w3.org/ns/dcat#Catalog"): "katalog",
    }
    for rdf_type in data.objects(focus, RDF.type):
        if rdf_type in kinds:
            return f"{kinds[rdf_type]} {focus}: "
    return ""
