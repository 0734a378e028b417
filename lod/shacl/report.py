"""Validation results and the standard sh:ValidationReport graph (SHACL §3.6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import rdflib
from rdflib import RDF, BNode, Literal

from .vocab import SH


@dataclass(frozen=True)
class Result:
    """One sh:ValidationResult. `result_path` is a node of the shapes graph (or an IRI)."""

    focus_node: rdflib.term.Node
    result_path: rdflib.term.Node | None
    value: rdflib.term.Node | None
    source_shape: rdflib.term.Node
    source_constraint_component: rdflib.term.Node
    severity: rdflib.term.Node
    messages: tuple = ()
    source_constraint: rdflib.term.Node | None = None

    @property
    def message(self) -> Literal | None:
        return self.messages[0] if self.messages else None


@dataclass
class Report:
    results: list[Result]
    shapes_graph: rdflib.Graph = field(repr=False)
    fallback: list[str] = field(default_factory=list)  # why shapes went to pySHACL

    @property
    def conforms(self) -> bool:
        return not self.results

    @cached_property
    def graph(self) -> rdflib.Graph:
        g = rdflib.Graph()
        g.bind("sh", SH)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.focusNode, r.focus_node))
            if r.result_path is not None:
                g.add((node, SH.resultPath, r.result_path))
                _copy(self.shapes_graph, g, r.result_path)
            if r.value is not None:
                g.add((node, SH.value, r.value))
            g.add((node, SH.sourceShape, r.source_shape))
            g.add((node, SH.sourceConstraintComponent, r.source_constraint_component))
            g.add((node, SH.resultSeverity, r.severity))
            for m in r.messages:
                g.add((node, SH.resultMessage, m))
            if r.source_constraint is not None:
                g.add((node, SH.sourceConstraint, r.source_constraint))
        return g


def _copy(source: rdflib.Graph, target: rdflib.Graph, node) -> None:
    """Copy the blank-node structure of a complex path into the report."""
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if not isinstance(n, BNode) or n in seen:
            continue
        seen.add(n)
        for p, o in source.predicate_objects(n):
            target.add((n, p, o))
            todo.append(o)
