"""The bulk route for large focus sets: scan each property's triples once, filter them in
SPARQL and bring only offending pairs to Python. Membership in the focus set is free when the
targets imply it (``sh:targetSubjectsOf`` the path), else checked against the focus nodes,
enumerated once per target shape; counts are checked by aggregates first.

Used at the top level for property shapes whose path has no zero-length step; the general,
pattern-based route in engine.py gives the same results (the suite runs both).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from rdflib import URIRef

from .shapes import Shape, is_true
from .terms import sparql
from .vocab import SH

ZERO_LENGTH = (SH.zeroOrMorePath, SH.zeroOrOnePath)
RDFS_SUB = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


class Targets:
    """The focus nodes of a shape's targets: a SPARQL group binding a variable to each once,
    and (counted when first needed) the nodes themselves."""

    def __init__(self, shape: Shape, rows, bulk_from: int):
        self.rows, self.bulk_from = rows, bulk_from
        self.branches: list[Callable[[str], str]] = []
        classes = shape.values(SH.targetClass) + ([shape.node] if shape.implicit_class else [])
        for c in classes:
            self.branches.append(lambda v, c=c: f"{v} a/{RDFS_SUB}* {sparql(c)} .")
        listed = " ".join(sparql(n) for n in shape.values(SH.targetNode))
        if listed:
            self.branches.append(lambda v: f"VALUES {v} {{ {listed} }}")
        self.subjects_of = set(shape.values(SH.targetSubjectsOf))
        self.objects_of = set(shape.values(SH.targetObjectsOf))
        for p in self.subjects_of:
            self.branches.append(lambda v, p=p: f"{v} {sparql(p)} [] .")
        for p in self.objects_of:
            self.branches.append(lambda v, p=p: f"[] {sparql(p)} {v} .")

    def __call__(self, var: str) -> str:
        union = " UNION ".join("{ " + b(var) + " }" for b in self.branches)
        return f"{{ SELECT DISTINCT {var} WHERE {{ {union} }} }}"

    @cached_property
    def nodes(self) -> set:
        return {row[0] for row in self.rows(f"SELECT ?n WHERE {{ {self('?n')} }}")}

    @cached_property
    def count(self) -> int:
        if "nodes" in self.__dict__:
            return len(self.nodes)
        union = " UNION ".join("{ " + b("?n") + " }" for b in self.branches)
        rows = self.rows(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ {union} }}")
        return int(next(iter(rows))[0].value)

    @property
    def bulk(self) -> bool:
        return self.count >= self.bulk_from

    def implied(self, shape: Shape) -> bool:
        """Every node the shape's path starts from is a focus node: the path is a
        sh:targetSubjectsOf property, or the inverse of a sh:targetObjectsOf one."""
        if shape.path in self.subjects_of:
            return True
        inverse = shape.graph.value(shape.path, SH.inversePath)
        return inverse in self.objects_of and len(list(shape.graph.predicates(shape.path))) == 1

    def members(self, shape: Shape, rows) -> list:
        """The rows whose first term is a focus node."""
        rows = list(rows)
        if not rows or self.implied(shape):
            return rows
        nodes = self.nodes
        return [r for r in rows if r[0] in nodes]


def scannable(shape: Shape) -> bool:
    """A property shape whose path never relates a node to itself by zero steps."""
    if shape.path is None:
        return False
    todo, seen = [shape.path], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shape.graph.predicate_objects(node):
            if p in ZERO_LENGTH:
                return False
            todo.append(o)
    return True


def value_type(engine, shape: Shape, focus: Targets) -> list:
    """The value-type constraints of a property shape, in one pass over the path's pairs."""
    checks = engine.checks(shape)
    if not checks:
        return []
    binds = " ".join(
        f"BIND(COALESCE({expr.replace('{v}', '?value')}, true) AS ?c{i})"
        for i, (_, expr) in enumerate(checks)
    )
    flags = [f"?c{i}" for i in range(len(checks))]
    text = (
        f"SELECT DISTINCT ?this ?value {' '.join(flags)} WHERE {{ "
        f"?this {shape.sparql_path} ?value . {binds} FILTER({' || '.join(flags)}) }}"
    )
    hits = []
    for row in focus.members(shape, engine.rows(text)):
        for i, (comp, _) in enumerate(checks):
            if row[2 + i].value == "true":
                hits.append(engine.hit_of(shape, row[0], row[1], comp))
    return hits


def counts(engine, shape: Shape, focus: Targets) -> list:
    hits, path = [], shape.sparql_path
    low, high = shape.value(SH.minCount), shape.value(SH.maxCount)
    if high is not None:
        hits += [
            engine.hit(shape, n, None, "MaxCount")
            for n in _too_many(engine, shape, focus, int(high))
        ]
    if low is not None and int(low) > 0:
        hits += [
            engine.hit(shape, n, None, "MinCount") for n in _too_few(engine, shape, focus, int(low))
        ]
    if is_true(shape.value(SH.uniqueLang)):
        text = (
            f"SELECT ?this ?lang WHERE {{ ?this {path} ?value "
            'FILTER(isLiteral(?value) && lang(?value) != "") BIND(lang(?value) AS ?lang) } '
            "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
        )
        rows = focus.members(shape, engine.rows(text))
        hits += [engine.hit(shape, r[0], None, "UniqueLang") for r in rows]
    for value in shape.values(SH.hasValue):
        text = f"SELECT DISTINCT ?this WHERE {{ ?this {path} {sparql(value)} }}"
        having = {r[0] for r in engine.rows(text)}
        hits += [engine.hit(shape, n, None, "HasValue") for n in focus.nodes - having]
    return hits


def _stats(engine, shape: Shape) -> tuple[int, int]:
    """(pairs, distinct subjects) of a one-property path: equal when none has two values."""
    path = shape.sparql_path
    if path not in engine.stats:
        text = f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?d) WHERE {{ ?this {path} [] }}"
        row = next(iter(engine.rows(text)))
        engine.stats[path] = int(row[0].value), int(row[1].value)
    return engine.stats[path]


def _too_many(engine, shape: Shape, focus: Targets, high: int) -> list:
    """The focus nodes with more than `high` values."""
    path = shape.sparql_path
    if high == 1 and isinstance(shape.path, URIRef):
        pairs, subjects = _stats(engine, shape)
        if pairs == subjects:
            return []
    if high == 1:  # a self-join finds the few subjects with two values
        text = (
            f"SELECT DISTINCT ?this WHERE {{ ?this {path} ?a . ?this {path} ?b . "
            "FILTER(!sameTerm(?a, ?b)) }"
        )
    else:
        text = (
            f"SELECT ?this WHERE {{ ?this {path} ?value }} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?value) > {high})"
        )
    return [r[0] for r in focus.members(shape, engine.rows(text))]


def _too_few(engine, shape: Shape, focus: Targets, low: int) -> set:
    """The focus nodes with fewer than `low` values."""
    path = shape.sparql_path
    if low == 1 and focus.implied(shape) and isinstance(shape.path, URIRef):
        if _stats(engine, shape)[1] == focus.count:  # usually every focus node has a value
            return set()
    if low == 1:
        text = f"SELECT DISTINCT ?this WHERE {{ ?this {path} [] }}"
    else:
        text = (
            f"SELECT ?this WHERE {{ ?this {path} ?value }} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?value) >= {low})"
        )
    return focus.nodes - {r[0] for r in engine.rows(text)}
