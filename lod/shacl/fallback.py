"""pySHACL for the shapes this package does not compile, so that a report is always complete."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from .report import Result
from .terms import Data
from .vocab import SH, TARGETS


def as_rdflib(data: Data) -> rdflib.Graph:
    if data.source is not None:
        return data.source
    text = data.store.dump(
        format=ox.RdfFormat.N_TRIPLES, from_graph=data.default_graph or ox.DefaultGraph()
    )
    return rdflib.Graph().parse(data=text.decode(), format="nt")


def validate(data: Data, shapes: rdflib.Graph, only: set | None = None) -> list[Result]:
    """pySHACL's results for the shapes with targets in `only` (all when None)."""
    sg = shapes
    if only is not None:  # keep the targets of the given shapes only
        sg = rdflib.Graph()
        for prefix, ns in shapes.namespaces():
            sg.bind(prefix, ns)
        for s, p, o in shapes:
            if p in TARGETS and s not in only:
                continue
            sg.add((s, p, o))
    _, report, _ = pyshacl_validate(
        as_rdflib(data), shacl_graph=sg, inference="none", allow_warnings=True, advanced=True
    )
    return parse_report(report, shapes)


def parse_report(report: rdflib.Graph, shapes: rdflib.Graph) -> list[Result]:
    """Top-level results of a pySHACL report; complex paths as the shapes graph's nodes."""
    results = []
    for node in report.objects(None, SH.result):
        if (None, SH.detail, node) in report:
            continue
        shape = report.value(node, SH.sourceShape)
        path = report.value(node, SH.resultPath)
        if isinstance(path, rdflib.BNode) and shapes.value(shape, SH.path) is not None:
            path = shapes.value(shape, SH.path)
        results.append(
            Result(
                focus_node=report.value(node, SH.focusNode),
                result_path=path,
                value=report.value(node, SH.value),
                source_shape=shape,
                source_constraint_component=report.value(node, SH.sourceConstraintComponent),
                severity=report.value(node, SH.resultSeverity),
                messages=tuple(report.objects(node, SH.resultMessage)),
                source_constraint=report.value(node, SH.sourceConstraint),
            )
        )
    return results
