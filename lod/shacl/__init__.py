"""Fast SHACL Core validation: shapes compiled to SPARQL over a pyoxigraph Store.

    from lod.shacl import validate
    report = validate(data, shapes)  # data: rdflib.Graph | pyoxigraph.Store | path; shapes: Graph | path
    report.conforms; report.results; report.graph

Shapes this package cannot compile (SHACL-SPARQL, custom components, recursion) are validated
by pySHACL, so the report is always complete; `report.fallback` says which and why.
"""

from __future__ import annotations

from pathlib import Path

import rdflib

from . import fallback, terms
from .compile import Unsupported
from .engine import Engine, Hit
from .paths import UnsupportedPath
from .report import Report, Result
from .shapes import Shapes

__all__ = ["Report", "Result", "validate"]


def validate(data, shapes, *, graph: str | None = None, bulk_from: int = 1000) -> Report:
    """Validate `data` against `shapes`; `graph` names the data's graph in a given Store.

    A target shape with at least `bulk_from` focus nodes is checked by scanning the triples
    of each property (see bulk.py); fewer, by querying from the focus nodes."""
    sg = _graph(shapes)
    loaded = terms.load(data, graph)
    index = Shapes(sg)
    targeted = index.targeted()
    if loaded.ambiguous:  # Oxigraph would merge distinct literals ("01", "1"): be exact
        return Report(fallback.validate(loaded, sg), sg, ["literals Oxigraph would merge"])
    engine = Engine(loaded, index, bulk_from)
    hits: list[Hit] = []
    delegated, why = set(), []
    for shape in targeted:
        reason = index.unsupported(shape)
        if reason is None:
            try:
                hits += engine.validate(shape)
                continue
            except (Unsupported, UnsupportedPath, ValueError) as exc:
                reason = f"{exc} ({shape.node.n3()})"
        delegated.add(shape.node)
        why.append(reason)
    results = [_result(loaded, h) for h in hits]
    if delegated:
        if any(s.implicit_class and s.node not in delegated for s in targeted):
            return Report(fallback.validate(loaded, sg), sg, why)
        results += fallback.validate(loaded, sg, only=delegated)
    return Report(results, sg, why)


def _graph(shapes) -> rdflib.Graph:
    if isinstance(shapes, rdflib.Graph):
        return shapes
    return rdflib.Graph().parse(str(Path(shapes)))


def _result(data: terms.Data, hit: Hit) -> Result:
    shape = hit.shape
    return Result(
        focus_node=data.term(hit.focus),
        result_path=hit.path,
        value=data.term(hit.value),
        source_shape=shape.node,
        source_constraint_component=hit.component,
        severity=shape.severity,
        messages=shape.messages,
    )
