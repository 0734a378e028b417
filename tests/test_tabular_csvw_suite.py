"""W3C CSVW csv2rdf conformance: the positive ToRdfTest entries of manifest-rdf.jsonld.

Each test's output must be isomorphic to its expected Turtle. Tests that do not pass yet are
listed by id in KNOWN_FAILURES (xfail, strict: a fixed test must leave the list).
The suite lives in ../shared/reference/csvw-tests (see notes/conformance-suites.md §1).
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from lod.tabular import to_ntriples
from lod.tabular.locate import locate_metadata

BASE = "http://www.w3.org/2013/csvw/tests/"
REFERENCE = Path(os.environ.get(
    "LOD_REFERENCE", Path(__file__).resolve().parents[2] / "shared" / "reference"))
SUITE = REFERENCE / "csvw-tests" / "tests"

# What http://www.w3.org/.well-known/csvm serves (not in the repository; tests 259, 260).
WELL_KNOWN = ("{+url}-metadata.json", "csv-metadata.json", "{+url}.json", "csvm.json")

KNOWN_FAILURES: dict[str, str] = {}


def _entries():
    manifest = SUITE / "manifest-rdf.jsonld"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    return [e for e in entries if e["type"] == "csvt:ToRdfTest"]


def _params():
    out = []
    for entry in _entries():
        test_id = entry["id"].split("#")[-1]
        marks = []
        if test_id in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[test_id]))
        out.append(pytest.param(entry, id=test_id, marks=marks))
    return out


def _local(url: str, *, keep_query: bool = False) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE):]
    if not keep_query:
        rel = urlsplit(rel).path
    return SUITE / rel


def _fetch(url: str):
    if not url.startswith(BASE):
        return None
    path = _local(url, keep_query=True)
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _load(url: str) -> dict:
    doc = _fetch(url)
    if doc is None:
        raise FileNotFoundError(url)
    return doc


def run_entry(entry: dict) -> tuple[Graph, list[str]]:
    """Convert one test's action as a CSVW processor would; return the graph and warnings."""
    option = entry.get("option", {})
    action = BASE + entry["action"]
    if option.get("metadata"):
        base = BASE + option["metadata"]
        doc = _load(base)
    elif entry["action"].split("?")[0].endswith(".json"):
        doc, base = _load(action), action
    else:
        doc, base = locate_metadata(action, _fetch, link_header=entry.get("httpLink"),
                                    locations=WELL_KNOWN)
    found: list[str] = []
    lines = to_ntriples(doc, base=base, loader=_load, open_table=_local,
                        minimal=bool(option.get("minimal")), warnings=found)
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about ill-typed literals
        graph.parse(data="".join(lines), format="nt")
    return graph, found


def expected_graph(entry: dict) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph.parse(SUITE / entry["result"], format="turtle", publicID=BASE + entry["result"])
    return graph


@pytest.mark.skipif(not SUITE.exists(), reason=f"CSVW test suite not found at {SUITE}")
@pytest.mark.parametrize("entry", _params())
def test_to_rdf(entry):
    graph, _ = run_entry(entry)
    expected = expected_graph(entry)
    assert isomorphic(graph, expected), (
        f"{entry['id']}: {len(graph)} triples produced, {len(expected)} expected")


def test_suite_is_present():
    """The conformance run must not silently run nothing."""
    assert len(_entries()) == 76, f"expected 76 ToRdfTest entries in {SUITE}"
