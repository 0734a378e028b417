"""W3C CSVW conformance: all 270 entries of manifest-rdf.jsonld, run through
`lod.tabular.convert`, the function behind `lod convert`.

csv2rdf (lenient mode, `lod convert --lenient`, what W3C csv2rdf processors do):
- ToRdfTest: the output is isomorphic to the expected Turtle;
- ToRdfTestWithWarnings: the same, plus at least one warning;
- NegativeRdfTest: the conversion fails with ConversionFailed (exit 1 of `lod convert`).

Strict mode (the default of `lod convert` and `lod ingest`) is a CSVW validator: for every
entry, the conversion fails exactly when manifest-validation.jsonld has that entry as a
NegativeValidationTest, with every problem located; otherwise it gives the expected graph.

`http://www.w3.org/2013/csvw/tests/` is mapped to the local suite, and the host's
`/.well-known/csvm` (not in the repository) to tests/data/csvw-well-known/csvm, which says
what w3.org serves there. Tests that do not pass are listed by id in KNOWN_FAILURES (strict
xfail: a fixed test must leave the list). The suite lives in ../shared/reference/csvw-tests
(see notes/conformance-suites.md §1).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from lod.errors import ConversionFailed
from lod.tabular import convert

from . import conftest

BASE = "http://www.w3.org/2013/csvw/tests/"
SUITE = conftest.REFERENCE / "csvw-tests" / "tests"
WELL_KNOWN = Path(__file__).resolve().parent / "data" / "csvw-well-known"
MAPS = ((BASE, SUITE), ("http://www.w3.org/.well-known/", WELL_KNOWN))
KINDS = {
    "csvt:ToRdfTest": 76,
    "csvt:ToRdfTestWithWarnings": 136,
    "csvt:NegativeRdfTest": 58,
}
KNOWN_FAILURES: dict[str, str] = {}
_NAMED = (
    "the metadata's invalid titles are ignored, and a column whose name is the header's title"
    " fits it in strict mode (a CSVW validator wants titles)"
)
STRICT_DEVIATIONS: dict[str, str] = {"test109": _NAMED, "test111": _NAMED}


def _entries(kind: str) -> list[dict]:
    manifest = SUITE / "manifest-rdf.jsonld"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    return [e for e in entries if e["type"] == kind]


def _params(kind: str | None, known: dict[str, str] = KNOWN_FAILURES):
    out = []
    for entry in _entries(kind) if kind else [e for k in KINDS for e in _entries(k)]:
        test_id = entry["id"].split("#")[-1]
        marks = []
        if test_id in known:
            marks.append(pytest.mark.xfail(strict=True, reason=known[test_id]))
        out.append(pytest.param(entry, id=test_id, marks=marks))
    return out


def _validation() -> dict[str, str]:
    manifest = SUITE / "manifest-validation.jsonld"
    if not manifest.exists():
        return {}
    entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    return {e["id"].split("#")[-1]: e["type"] for e in entries}


def arguments(entry: dict) -> tuple[Path, dict]:
    """The file and the keyword arguments of convert() (the options of `lod convert`)."""
    option = entry.get("option", {})
    kwargs = {
        "url": BASE + entry["action"],
        "maps": MAPS,
        "link_header": entry.get("httpLink"),
        "minimal": bool(option.get("minimal")),
        "infer": False,
    }
    if option.get("metadata"):
        kwargs["metadata"] = SUITE / option["metadata"]
    return SUITE / entry["action"].split("?")[0], kwargs


def run_entry(entry: dict, *, strict: bool = True) -> tuple[Graph, list[str]]:
    """Convert one test's action as `lod convert` would; the graph and the warnings."""
    path, kwargs = arguments(entry)
    found: list[str] = []
    lines = convert(path, strict=strict, warnings=found, **kwargs)
    return parse("".join(lines)), found


def parse(text: str, **kwargs) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about ill-typed literals
        graph.parse(data=text, format="nt", **kwargs)
    return graph


def expected_graph(entry: dict) -> Graph:
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph.parse(SUITE / entry["result"], format="turtle", publicID=BASE + entry["result"])
    return graph


@pytest.mark.parametrize("entry", _params("csvt:ToRdfTest"))
def test_to_rdf(entry):
    graph, _ = run_entry(entry, strict=False)
    expected = expected_graph(entry)
    assert isomorphic(graph, expected), (
        f"{entry['id']}: {len(graph)} triples produced, {len(expected)} expected"
    )


@pytest.mark.parametrize("entry", _params("csvt:ToRdfTestWithWarnings"))
def test_to_rdf_with_warnings(entry):
    graph, found = run_entry(entry, strict=False)
    expected = expected_graph(entry)
    assert isomorphic(graph, expected), (
        f"{entry['id']}: {len(graph)} triples produced, {len(expected)} expected"
    )
    assert found, f"{entry['id']}: no warning reported"


@pytest.mark.parametrize("entry", _params("csvt:NegativeRdfTest"))
def test_negative(entry):
    path, kwargs = arguments(entry)
    with pytest.raises(ConversionFailed) as info:
        list(convert(path, strict=False, **kwargs))
    assert info.value.problems and all(p.where for p in info.value.problems)


@pytest.mark.parametrize("entry", _params(None, STRICT_DEVIATIONS))
def test_strict_mode_validates(entry):
    test_id = entry["id"].split("#")[-1]
    negative = _validation()[test_id] == "csvt:NegativeValidationTest"
    try:
        graph, _ = run_entry(entry, strict=True)
    except ConversionFailed as e:
        assert negative, f"{test_id}: strict mode refused a valid table: {e}"
        assert e.problems and all(p.where for p in e.problems)
        return
    assert not negative, f"{test_id}: strict mode accepted what a validator must refuse"
    assert isomorphic(graph, expected_graph(entry))


def test_suite_is_present():
    """The conformance run must not silently run nothing."""
    for kind, count in KINDS.items():
        assert len(_entries(kind)) == count, f"expected {count} {kind} entries in {SUITE}"
    validation = _validation()
    assert all(e["id"].split("#")[-1] in validation for k in KINDS for e in _entries(k))
