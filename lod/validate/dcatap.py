"""The official DCAT-AP 3.0.1 SHACL shapes (``shapes/dcat-ap-3.0.1/``), run offline.

``shapes.ttl`` (cardinalities, literal ranges), ``range.ttl`` (classes of objects) and
``mdr-vocabularies.shape.ttl`` (codelists) together, as data.europa.eu's validator applies
them; a violation is an error. ``shapes_recommended.ttl`` adds warnings when asked for. The
codelist concepts a record uses are merged into the data graph first (the shapes look for their
``skos:inScheme``), from the EU tables shipped in ``vocab/eu/``.
"""

from __future__ import annotations

from functools import cache

import rdflib
from pyshacl import validate as pyshacl_validate

from .. import resources
from ..catalog import codelists
from ..errors import Problem
from ..namespaces import SH
from .shacl import curie

FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
RECOMMENDED = "shapes_recommended.ttl"


@cache
def shapes_graph(recommended: bool = False) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in FILES + ((RECOMMENDED,) if recommended else ()):
        graph.parse(resources.shapes("dcat-ap-3.0.1/" + name), format="turtle")
    return graph


def validate(data: rdflib.Graph, *, recommended: bool = False, merge: bool = True) -> list[Problem]:
    """One Problem per SHACL result of the DCAT-AP 3.0.1 shapes (violations are errors)."""
    if merge:
        data = data + codelists.describe(data)
    _, report, _ = pyshacl_validate(
        data,
        shacl_graph=shapes_graph(recommended),
        inference="none",
        allow_warnings=True,
        advanced=True,
    )
    problems = []
    # top-level results only: the nested ones (sh:detail) explain them with their own severity
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        severity = report.value(result, SH.resultSeverity)
        message = str(report.value(result, SH.resultMessage) or "")
        where = f"{_name(focus)} {curie(path)}" if path is not None else _name(focus)
        problems.append(
            Problem(
                message=f"DCAT-AP 3: {message}",
                where=where,
                value=str(value) if isinstance(value, rdflib.URIRef | rdflib.Literal) else "",
                severity="error" if severity == SH.Violation else "warning",
                hint=_hint(path, message),
            )
        )
    problems.sort(key=lambda p: (p.severity != "error", p.where, p.message))
    return problems


def _name(node) -> str:
    return str(node) if isinstance(node, rdflib.URIRef) else "(blank node)"


def _hint(path, message: str) -> str:
    if "inScheme" in message or "skos:inScheme" in message:
        return f"use a value of the EU codelist for {curie(path)} (see vocab/eu/labels.ttl)"
    return (
        f"data.europa.eu's DCAT-AP 3 validation would flag this: give {curie(path)} a value "
        "the DCAT-AP 3 specification allows"
        if path is not None
        else "data.europa.eu's DCAT-AP 3 validation would flag this record"
    )
