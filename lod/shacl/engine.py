"""Evaluate shapes over a Store with SPARQL: one query per constraint (or per group of
value-type constraints), over all focus nodes at once.

A focus set is a function from a variable name to a SPARQL group that binds that variable to
each focus node once, so nested shapes (sh:node, sh:not, …) run over value-node sets without
naming nodes in the query (blank nodes cannot be named).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import URIRef

from . import bulk
from . import compile as cc
from .shapes import Shape, Shapes, is_true
from .terms import Data, sparql
from .vocab import SH, component

Focus = Callable[[str], str]
MAX_DEPTH = 32


@dataclass(frozen=True)
class Hit:
    """A validation result with the data's terms as Oxigraph has them."""

    focus: object
    path: object  # rdflib node from the shapes graph, or an IRI (sh:closed)
    value: object
    shape: Shape
    component: URIRef


class Engine:
    def __init__(self, data: Data, shapes: Shapes, bulk_from: int = 1000):
        self.data, self.shapes, self.bulk_from = data, shapes, bulk_from
        self._fresh = itertools.count()
        self._regexes: dict[str, bool] = {}
        self.stats: dict[str, tuple[int, int]] = {}  # bulk.py's counts by path

    def regex_ok(self, args: str) -> bool:
        """The store compiles the REGEX (an invalid one would fail every value silently)."""
        if args not in self._regexes:
            text = f'SELECT (REGEX("", {args}) AS ?ok) WHERE {{}}'
            self._regexes[args] = next(iter(self.rows(text)))[0] is not None
        return self._regexes[args]

    def checks(self, shape: Shape) -> list[tuple[URIRef, str]]:
        """Value-type constraints and logical ones inlined as expressions (compile.py)."""
        inlined = cc.logical_checks(shape, self.shapes, self.regex_ok)
        return cc.value_checks(shape, self.regex_ok) + list(inlined.values())

    def var(self) -> str:
        return f"?v{next(self._fresh)}"

    def rows(self, text: str):
        return self.data.query(text)

    # -- focus and value nodes -------------------------------------------------------------

    def targets(self, shape: Shape) -> bulk.Targets | None:
        focus = bulk.Targets(shape, self.rows, self.bulk_from)
        return focus if focus.branches else None

    def pairs(self, shape: Shape, focus: Focus, this: str, value: str) -> str:
        """A group binding `this` to focus nodes and `value` to their value nodes."""
        if shape.path is None:
            return f"{focus(this)} BIND({this} AS {value})"
        return f"{focus(this)} {this} {shape.sparql_path} {value} ."

    def value_focus(self, shape: Shape, focus: Focus) -> Focus:
        def group(v: str) -> str:
            return (
                f"{{ SELECT DISTINCT {v} WHERE {{ {self.pairs(shape, focus, self.var(), v)} }} }}"
            )

        return group

    def nodes(self, focus: Focus) -> set:
        return {row[0] for row in self.rows(f"SELECT ?n WHERE {{ {focus('?n')} }}")}

    def value_pairs(self, shape: Shape, focus: Focus) -> list[tuple]:
        text = f"SELECT DISTINCT ?this ?value WHERE {{ {self.pairs(shape, focus, '?this', '?value')} }}"
        return [(r[0], r[1]) for r in self.rows(text)]

    # -- evaluation -------------------------------------------------------------------------

    def validate(self, shape: Shape) -> list[Hit]:
        focus = self.targets(shape)
        return [] if focus is None or shape.deactivated else self.evaluate(shape, focus, 0)

    def failing(self, node, focus: Focus, depth: int) -> set:
        """The focus nodes that do not conform to shape `node`."""
        shape = self.shapes[node]
        if shape.deactivated:
            return set()
        return {h.focus for h in self.evaluate(shape, focus, depth + 1)}

    def evaluate(self, shape: Shape, focus: Focus, depth: int) -> list[Hit]:
        if depth > MAX_DEPTH:
            raise cc.Unsupported(f"shapes nested deeper than {MAX_DEPTH} (recursive shapes?)")
        if depth and not bool(self.rows(f"ASK {{ {focus('?n')} }}")):
            return []
        if isinstance(focus, bulk.Targets) and bulk.scannable(shape) and focus.bulk:
            hits = bulk.value_type(self, shape, focus) + bulk.counts(self, shape, focus)
        else:
            hits = self.value_type(shape, focus) + self.counts(shape, focus)
        hits += self.pairwise(shape, focus)
        hits += self.logical(shape, focus, depth)
        nested = [self.shapes[n] for n in shape.values(SH.property)]
        nested = [n for n in nested if not n.deactivated]
        if nested and shape.path is None:
            for n in nested:
                hits += self.evaluate(n, focus, depth + 1 if depth else 0)
        elif nested:  # value nodes are the focus nodes, once per (focus, value) pair
            times = Counter(v for _, v in self.value_pairs(shape, focus))
            inner = self.value_focus(shape, focus)
            for n in nested:
                hits += [
                    h for h in self.evaluate(n, inner, depth + 1) for _ in range(times[h.focus])
                ]
        return hits

    def hit(self, shape: Shape, focus, value, name: str, path=None) -> Hit:
        return Hit(focus, shape.path if path is None else path, value, shape, component(name))

    def hit_of(self, shape: Shape, focus, value, comp: URIRef) -> Hit:
        return Hit(focus, shape.path, value, shape, comp)

    def value_type(self, shape: Shape, focus: Focus) -> list[Hit]:
        checks = self.checks(shape)
        if not checks:
            return []
        binds = " ".join(
            f"BIND(COALESCE({expr.replace('{v}', '?value')}, true) AS ?c{i})"
            for i, (_, expr) in enumerate(checks)
        )
        flags = " ".join(f"?c{i}" for i in range(len(checks)))
        text = (
            f"SELECT DISTINCT ?this ?value {flags} WHERE {{ "
            f"{self.pairs(shape, focus, '?this', '?value')} {binds} "
            f"FILTER({' || '.join(f'?c{i}' for i in range(len(checks)))}) }}"
        )
        hits = []
        for row in self.rows(text):
            for i, (comp, _) in enumerate(checks):
                if row[2 + i].value == "true":
                    hits.append(Hit(row[0], shape.path, row[1], shape, comp))
        return hits

    def counts(self, shape: Shape, focus: Focus) -> list[Hit]:
        hits = []
        low, high = shape.value(SH.minCount), shape.value(SH.maxCount)
        if shape.path is not None and (low is not None or high is not None):
            text = (
                f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ {focus('?this')} "
                f"OPTIONAL {{ ?this {shape.sparql_path} ?value }} }} GROUP BY ?this"
            )
            test = []
            if low is not None:
                test.append(f"COUNT(DISTINCT ?value) < {int(low)}")
            if high is not None:
                test.append(f"COUNT(DISTINCT ?value) > {int(high)}")
            text += f" HAVING ({' || '.join(test)})"
            for row in self.rows(text):
                n = int(row[1].value)
                if low is not None and n < int(low):
                    hits.append(self.hit(shape, row[0], None, "MinCount"))
                if high is not None and n > int(high):
                    hits.append(self.hit(shape, row[0], None, "MaxCount"))
        if is_true(shape.value(SH.uniqueLang)) and shape.path is not None:
            text = (
                f"SELECT ?this ?lang WHERE {{ {self.pairs(shape, focus, '?this', '?value')} "
                'FILTER(isLiteral(?value) && lang(?value) != "") BIND(lang(?value) AS ?lang) } '
                "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
            )
            hits += [self.hit(shape, r[0], None, "UniqueLang") for r in self.rows(text)]
        for value in shape.values(SH.hasValue):
            if shape.path is None:
                cond = f"FILTER(!sameTerm(?this, {sparql(value)}))"
            else:
                cond = f"FILTER NOT EXISTS {{ ?this {shape.sparql_path} {sparql(value)} }}"
            text = f"SELECT ?this WHERE {{ {focus('?this')} {cond} }}"
            hits += [self.hit(shape, r[0], None, "HasValue") for r in self.rows(text)]
        return hits

    def pairwise(self, shape: Shape, focus: Focus) -> list[Hit]:
        hits = []
        pairs = self.pairs(shape, focus, "?this", "?value")
        for q in shape.values(SH.equals):
            own = (
                "FILTER(!sameTerm(?value, ?this))"
                if shape.path is None
                else f"FILTER NOT EXISTS {{ ?this {shape.sparql_path} ?value }}"
            )
            for text in (
                f"{pairs} FILTER NOT EXISTS {{ ?this {sparql(q)} ?value }}",
                f"{focus('?this')} ?this {sparql(q)} ?value . {own}",
            ):
                rows = self.rows(f"SELECT DISTINCT ?this ?value WHERE {{ {text} }}")
                hits += [self.hit(shape, r[0], r[1], "Equals") for r in rows]
        for q in shape.values(SH.disjoint):
            text = f"SELECT DISTINCT ?this ?value WHERE {{ {pairs} ?this {sparql(q)} ?value . }}"
            hits += [self.hit(shape, r[0], r[1], "Disjoint") for r in self.rows(text)]
        for pred, name, op in (
            (SH.lessThan, "LessThan", "<"),
            (SH.lessThanOrEquals, "LessThanOrEquals", "<="),
        ):
            for q in shape.values(pred):
                text = (
                    f"SELECT DISTINCT ?this ?value ?other WHERE {{ {pairs} ?this {sparql(q)} ?other . "
                    f"FILTER(COALESCE(!(?value {op} ?other), true)) }}"
                )
                hits += [self.hit(shape, r[0], r[1], name) for r in self.rows(text)]
        if is_true(shape.value(SH.closed)):
            allowed = {self.shapes[p].path for p in shape.values(SH.property)}
            for head in shape.values(SH.ignoredProperties):
                allowed.update(shape.graph.items(head))
            allowed = {a for a in allowed if isinstance(a, URIRef)}
            keep = f"FILTER(?p NOT IN ({', '.join(sparql(a) for a in allowed)}))" if allowed else ""
            text = f"SELECT DISTINCT ?this ?p ?o WHERE {{ {pairs} ?value ?p ?o . {keep} }}"
            hits += [
                self.hit(shape, r[0], r[2], "Closed", path=URIRef(r[1].value))
                for r in self.rows(text)
            ]
        return hits

    def logical(self, shape: Shape, focus: Focus, depth: int) -> list[Hit]:
        inlined = cc.logical_checks(shape, self.shapes, self.regex_ok)
        tests = []  # (component, (parameter, value), shapes, rule over how many conform)
        for node in shape.values(SH.node):
            tests.append(("Node", (SH.node, node), [node], lambda ok, n: ok == n))
        for node in shape.values(SH["not"]):
            tests.append(("Not", (SH["not"], node), [node], lambda ok, n: ok == 0))
        for pred, name, rule in (
            (SH["and"], "And", lambda ok, n: ok == n),
            (SH["or"], "Or", lambda ok, n: ok > 0),
            (SH.xone, "Xone", lambda ok, n: ok == 1),
        ):
            for head in shape.values(pred):
                tests.append((name, (pred, head), list(shape.graph.items(head)), rule))
        tests = [(name, m, rule) for name, key, m, rule in tests if key not in inlined]
        qualified = shape.value(SH.qualifiedValueShape)
        if not tests and qualified is None:
            return []
        values = self.value_focus(shape, focus)
        pairs = self.value_pairs(shape, focus)
        hits = []
        for name, members, rule in tests:
            fails = [self.failing(m, values, depth) for m in members]
            for this, value in pairs:
                ok = sum(value not in f for f in fails)
                if not rule(ok, len(members)):
                    hits.append(self.hit(shape, this, value, name))
        if qualified is not None:
            hits += self.qualified(shape, qualified, focus, values, pairs, depth)
        return hits

    def qualified(self, shape, qualified, focus, values, pairs, depth) -> list[Hit]:
        conforming = {v for _, v in pairs} - self.failing(qualified, values, depth)
        if is_true(shape.value(SH.qualifiedValueShapesDisjoint)):
            for sibling in self.siblings(shape, qualified):
                conforming &= self.failing(sibling, values, depth)
        counts = Counter(this for this, v in pairs if v in conforming)
        hits = []
        low, high = shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount)
        for this in self.nodes(focus):
            n = counts.get(this, 0)
            if low is not None and n < int(low):
                hits.append(self.hit(shape, this, None, "QualifiedMinCount"))
            if high is not None and n > int(high):
                hits.append(self.hit(shape, this, None, "QualifiedMaxCount"))
        return hits

    def siblings(self, shape: Shape, qualified) -> list:
        g = shape.graph
        found = []
        for parent in g.subjects(SH.property, shape.node):
            for other in g.objects(parent, SH.property):
                q = g.value(other, SH.qualifiedValueShape)
                if q is not None and other != shape.node:
                    found.append(q)
        return found
