"""The shapes graph read into Shape objects (SHACL §2), and what this package cannot compile."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import rdflib
from rdflib import RDF, Literal
from rdflib.collection import Collection

from . import paths
from .vocab import RDFS_CLASS, SH, SHAPE_LISTS, SHAPE_VALUES, TARGETS, UNSUPPORTED

OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"


def is_true(node) -> bool:
    """`node` is the literal true (SHACL ignores "1"^^xsd:boolean for boolean parameters)."""
    return isinstance(node, Literal) and node == Literal(True)


@dataclass(eq=False)
class Shape:
    node: rdflib.term.Node
    graph: rdflib.Graph = field(repr=False)

    def value(self, pred):
        return self.graph.value(self.node, pred)

    def values(self, pred) -> list:
        return list(self.graph.objects(self.node, pred))

    def items(self, pred) -> list:
        """Members of the RDF list that is the value of `pred` (one list)."""
        head = self.value(pred)
        return [] if head is None else list(Collection(self.graph, head))

    @cached_property
    def path(self):
        return self.value(SH.path)

    @cached_property
    def sparql_path(self) -> str | None:
        return None if self.path is None else paths.to_sparql(self.graph, self.path)

    @cached_property
    def deactivated(self) -> bool:
        return is_true(self.value(SH.deactivated))

    @cached_property
    def severity(self):
        return self.value(SH.severity) or SH.Violation

    @cached_property
    def messages(self) -> tuple:
        return tuple(self.values(SH.message))

    @cached_property
    def implicit_class(self) -> bool:
        types = {str(t) for t in self.values(RDF.type)}
        return bool(types & {RDFS_CLASS, OWL_CLASS}) and bool(
            types & {str(SH.NodeShape), str(SH.PropertyShape)}
        )

    def has_targets(self) -> bool:
        return self.implicit_class or any(self.value(t) is not None for t in TARGETS)

    def referenced(self) -> list[rdflib.term.Node]:
        """Shapes this shape's parameters name."""
        found = [v for p in SHAPE_VALUES for v in self.values(p)]
        for p in SHAPE_LISTS:
            for head in self.values(p):
                found.extend(Collection(self.graph, head))
        return found


class Shapes:
    """All shapes of a shapes graph, by node."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self._shapes: dict = {}
        self._custom = {
            p
            for c in graph.subjects(RDF.type, SH.ConstraintComponent)
            for param in graph.objects(c, SH.parameter)
            for p in graph.objects(param, SH.path)
        }

    def __getitem__(self, node) -> Shape:
        if node not in self._shapes:
            self._shapes[node] = Shape(node, self.graph)
        return self._shapes[node]

    def targeted(self) -> list[Shape]:
        """Shapes with targets (explicit or implicit class targets), in a stable order."""
        nodes = {s for t in TARGETS for s in self.graph.subjects(t, None)}
        for kind in (SH.NodeShape, SH.PropertyShape):
            nodes |= {s for s in self.graph.subjects(RDF.type, kind) if self[s].implicit_class}
        return [self[n] for n in sorted(nodes, key=str)]

    def unsupported(self, shape: Shape) -> str | None:
        """Why `shape` (or a shape it refers to) cannot be compiled here, or None."""
        seen: set = set()
        todo = [shape.node]
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            s = self[node]
            for pred in UNSUPPORTED:
                if s.value(pred) is not None:
                    return f"{pred.n3(self.graph.namespace_manager)} on {node.n3()}"
            for pred in self._custom:
                if s.value(pred) is not None:
                    return f"custom constraint component parameter {pred.n3()} on {node.n3()}"
            try:
                s.sparql_path  # noqa: B018
            except paths.UnsupportedPath as exc:
                return f"{exc} on {node.n3()}"
            todo.extend(s.referenced())
        return None
