"""W3C CSVW csv2rdf conformance: the ToRdfTest and ToRdfTestWithWarnings entries of
manifest-rdf.jsonld.

Each test's output must be isomorphic to its expected Turtle (and, for the second kind, at
least one warning must be reported). Tests that do not pass yet are listed by id in
KNOWN_FAILURES (xfail, strict: a fixed test must leave the list).
The suite lives in ../shared/reference/csvw-tests (see notes/conformance-suites.md §1).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from lod.tabular import to_ntriples
from lod.tabular.locate import locate_metadata

from . import conftest

BASE = "http://www.w3.org/2013/csvw/tests/"
REFERENCE = conftest.REFERENCE
SUITE = REFERENCE / "csvw-tests" / "tests"

# What http://www.w3.org/.well-known/csvm serves (not in the repository; tests 259, 260).
WELL_KNOWN = ("{+url}-metadata.json", "csv-metadata.json", "{+url}.json", "csvm.json")

_TITLES = "header titles are not yet checked against the metadata's columns (compatibility)"
_PLACE = "properties in the wrong place (or undefined) are not yet reported"
_ARRAYS = "array properties of the wrong shape are not yet reported"
_LOCATE = "found metadata that does not describe the file is skipped without a warning"
_PATTERN = "UAX35 number patterns: grouping and minimum digits are not fully checked"
_URLS = "an invalid URI template should fall back as the reference implementations do"
KNOWN_FAILURES: dict[str, str] = {
    # ToRdfTest: none.
    # ToRdfTestWithWarnings:
    "test047": _URLS,
    "test048": _URLS,
    "test049": _URLS,
    "test073": "an invalid @language in @context is not rejected",
    "test075": "tableDirection values are not yet validated",
    "test076": "tableDirection values are not yet validated",
    "test093": _PLACE,
    "test095": _ARRAYS,
    "test097": _ARRAYS,
    "test099": _ARRAYS,
    "test100": _ARRAYS,
    "test101": _ARRAYS,
    "test102": "an @id that is not a string is not rejected",
    "test105": "primaryKey is not yet validated",
    "test106": "a dialect that is not an object is ignored without a warning",
    "test107": "a tableSchema that is not an object is not handled like the reference",
    "test109": "titles with an invalid language tag are not reported",
    "test117": _LOCATE,
    "test119": _LOCATE,
    "test120": _LOCATE,
    "test122": _LOCATE,
    "test123": _LOCATE,
    "test127": _TITLES,
    "test147": _TITLES,
    "test148": _TITLES,
    "test157": _PATTERN,
    "test162": _PATTERN,
    "test247": "date formats: extra fractional-second digits are not rejected",
    "test270": "transformations are not yet validated",
    "test275": _PLACE,
    "test276": _PLACE,
    "test277": _PLACE,
    "test278": _TITLES,
    "test288": _PATTERN,
    "test292": _PATTERN,
}


def _entries(kind: str = "csvt:ToRdfTest"):
    manifest = SUITE / "manifest-rdf.jsonld"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    return [e for e in entries if e["type"] == kind]


def _params(kind: str = "csvt:ToRdfTest"):
    out = []
    for entry in _entries(kind):
        test_id = entry["id"].split("#")[-1]
        marks = []
        if test_id in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[test_id]))
        out.append(pytest.param(entry, id=test_id, marks=marks))
    return out


def _local(url: str, *, keep_query: bool = False) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE) :]
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
        doc, base = locate_metadata(
            action, _fetch, link_header=entry.get("httpLink"), locations=WELL_KNOWN
        )
    found: list[str] = []
    lines = to_ntriples(
        doc,
        base=base,
        loader=_load,
        open_table=_local,
        minimal=bool(option.get("minimal")),
        warnings=found,
    )
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
        f"{entry['id']}: {len(graph)} triples produced, {len(expected)} expected"
    )


@pytest.mark.skipif(not SUITE.exists(), reason=f"CSVW test suite not found at {SUITE}")
@pytest.mark.parametrize("entry", _params("csvt:ToRdfTestWithWarnings"))
def test_to_rdf_with_warnings(entry):
    graph, found = run_entry(entry)
    expected = expected_graph(entry)
    assert isomorphic(graph, expected), (
        f"{entry['id']}: {len(graph)} triples produced, {len(expected)} expected"
    )
    assert found, f"{entry['id']}: no warning reported"


def test_suite_is_present():
    """The conformance run must not silently run nothing."""
    assert len(_entries()) == 76, f"expected 76 ToRdfTest entries in {SUITE}"
    assert len(_entries("csvt:ToRdfTestWithWarnings")) == 136
