"""The W3C SHACL Core test suite through lod.shacl (conformance-suites.md §3).

Compares conforms and the multiset of (focusNode, resultPath, value, sourceShape,
sourceConstraintComponent, severity) with the expected report; paths as SPARQL path text.
"""

from __future__ import annotations

from collections import Counter

import pytest
import rdflib
from rdflib import RDF, Namespace, URIRef

from lod.shacl import validate
from lod.shacl.paths import canonical
from tests.conftest import reference

SH = Namespace("http://www.w3.org/ns/shacl#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
CORE = reference("shacl-tests", "core")
XFAIL: dict[str, str] = {}


def _tests() -> list[tuple[str, str, str]]:
    """(test id, test file, entry IRI) for each entry of each core folder manifest."""
    root = rdflib.Graph().parse(CORE / "manifest.ttl")
    found = []
    for sub in sorted(root.objects(None, MF.include)):
        path = sub.removeprefix("file://")
        folder = rdflib.Graph().parse(path)
        for test_file in sorted(folder.objects(None, MF.include)):
            name = test_file.removeprefix("file://")
            test_id = "/".join(name.split("/")[-2:]).removesuffix(".ttl")
            found.append((test_id, name))
    return found


TESTS = _tests()


def _load(path: str, ref: URIRef) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(ref.removeprefix("file://") if ref.startswith("file://") else path, format="turtle")
    return g


def _key(graph: rdflib.Graph, path_graph: rdflib.Graph, node_values) -> tuple:
    focus, path, value, shape, comp, sev = node_values
    return (focus, canonical(path_graph, path), value, shape, comp, sev)


def _expected(g: rdflib.Graph, report) -> tuple[bool, Counter]:
    conforms = g.value(report, SH.conforms).toPython()
    results = Counter()
    for r in g.objects(report, SH.result):
        values = [
            g.value(r, p)
            for p in (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape)
            + (SH.sourceConstraintComponent, SH.resultSeverity)
        ]
        results[_key(g, g, values)] += 1
    return conforms, results


def _params():
    for test_id, path in TESTS:
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[test_id])] if test_id in XFAIL else []
        yield pytest.param(path, id=test_id, marks=marks)


@pytest.fixture
def exact_literals(monkeypatch):
    """Parse literals as written ("1"^^xsd:boolean is not "true": core/property/uniqueLang-002)."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.mark.parametrize("route", [10**9, 0], ids=["focus", "bulk"])
@pytest.mark.parametrize("path", list(_params()))
def test_core(path, route, exact_literals):
    """Both routes of the compiler: from the focus nodes, and scanning each property."""
    manifest = rdflib.Graph().parse(path, format="turtle")
    entry = next(manifest.subjects(RDF.type, SHT.Validate))
    action = manifest.value(entry, MF.action)
    data_ref = manifest.value(action, SHT.dataGraph)
    shapes_ref = manifest.value(action, SHT.shapesGraph)
    own = URIRef("file://" + path)
    data = manifest if data_ref == own else _load(path, data_ref)
    shapes = manifest if shapes_ref == own else _load(path, shapes_ref)
    report = validate(data, shapes, bulk_from=route)
    expected_conforms, expected = _expected(manifest, manifest.value(entry, MF.result))
    got = Counter(
        _key(
            data,
            shapes,
            (r.focus_node, r.result_path, r.value, r.source_shape)
            + (r.source_constraint_component, r.severity),
        )
        for r in report.results
    )
    assert report.fallback == []
    assert report.conforms == expected_conforms
    assert got == expected
