"""The W3C SPARQL 1.1 Protocol tests against a live endpoint.

Each test of ``sparql11/protocol/manifest.ttl`` is a sequence of HTTP requests sent, in order,
to a real server on a loopback port (werkzeug, threaded) over a store holding data1..3.nt as
named graphs named by their ``rdfs:label``. Queries go to ``/sparql``; updates (and the
``bad_update_*`` requests) go to the authenticated update endpoint ``/sparql/update`` with a
bearer token, each update test on a fresh store.
"""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from rdflib import Namespace, URIRef
from rdflib.collection import Collection
from werkzeug.serving import make_server

from lod.formats import BY_NAME
from lod.settings import load_settings
from lod.store import GraphSource

from .conftest import BASE, reference
from .live import free_port

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = rdflib.RDFS
pytestmark = pytest.mark.slow

SRX = "{http://www.w3.org/2005/sparql-results#}"
TABULAR = (
    "application/sparql-results+xml",
    "application/sparql-results+json",
    "text/csv",
    "text/tab-separated-values",
)
BOOLEAN = ("application/sparql-results+xml", "application/sparql-results+json")
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
# Named exceptions: none. (Update requests run against /sparql/update, issue 7 part 4.)
EXCEPTIONS: dict[str, str] = {}


# --------------------------------------------------------------------------- live server
@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


# ------------------------------------------------------------------------------ manifest
def protocol_dir() -> Path:
    return reference("sparql11-tests", "sparql11", "protocol")


def load_manifest() -> tuple[rdflib.Graph, list[URIRef]]:
    path = protocol_dir() / "manifest.ttl"
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries


GRAPH, ENTRIES = load_manifest()


def entry_name(entry: URIRef) -> str:
    return str(entry).rsplit("#", 1)[-1]


def requests_of(entry: URIRef) -> list[dict]:
    action = GRAPH.value(entry, MF.action)
    steps = []
    for node in Collection(GRAPH, GRAPH.value(action, HT.requests)):
        headers = {}
        listed = GRAPH.value(node, HT.headers)
        for header in Collection(GRAPH, listed) if listed else []:
            headers[str(GRAPH.value(header, HT.fieldName))] = str(
                GRAPH.value(header, HT.fieldValue)
            )
        body = GRAPH.value(node, HT.body)
        data = None
        if body is not None:
            encoding = str(GRAPH.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(GRAPH.value(body, CNT.chars)).encode(encoding.lower())
        resp = GRAPH.value(node, HT.resp)
        expected = GRAPH.value(resp, MF.expectedBoolean)
        steps.append(
            {
                "method": str(GRAPH.value(node, HT.methodName)),
                "path": str(GRAPH.value(node, HT.absolutePath)),
                "headers": headers,
                "data": data,
                "statuses": {
                    str(s).rsplit("#", 1)[-1] for s in GRAPH.objects(resp, MF.expectedStatus)
                },
                "format": str(GRAPH.value(resp, MF.expectedFormat) or "") or None,
                "boolean": None if expected is None else expected.toPython(),
            }
        )
    return steps


def is_update(entry: URIRef, step: dict) -> bool:
    """Requests of the update tests go to the update endpoint, except their checking queries."""
    if "update" not in entry_name(entry):
        return False
    return not step["headers"].get("content-type", "").startswith("application/sparql-query")


def touches_updates(entry: URIRef) -> bool:
    return any(is_update(entry, step) for step in requests_of(entry))


# ---------------------------------------------------------------------------------- data
def make_app(home: Path):
    from lod.app import create_app
    from lod.store import open_store

    settings = load_settings(
        env={"LOD_HOME": str(home), "LOD_BASE_URL": BASE}, config_file=home / "none.toml"
    )
    store = open_store(settings)
    graphs = {}
    for name in ("data1", "data2", "data3"):
        label = f"http://kasei.us/2009/09/sparql/data/{name}.rdf"
        graphs[label] = GraphSource(BY_NAME["nt"], path=protocol_dir() / f"{name}.nt")
    store.replace_graphs(graphs)
    app = create_app(settings, store)
    return app


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory) -> Iterator[str]:
    app = make_app(tmp_path_factory.mktemp("protocol") / "home")
    with live_server(app) as url:
        yield url
    app.extensions["lod.sparql"].close()


@pytest.fixture
def writable(tmp_path) -> Iterator[tuple[str, str]]:
    """A fresh store with a token for the update endpoint."""
    from lod.tokens import Tokens

    home = tmp_path / "home"
    app = make_app(home)
    token = Tokens(home).create("protocol-tests")
    with live_server(app) as url:
        yield url, token
    app.extensions["lod.sparql"].close()


# ------------------------------------------------------------------------------- running
def run_step(url: str, entry: URIRef, step: dict, token: str | None) -> None:
    path = step["path"]
    assert path.startswith("/sparql/")
    update = is_update(entry, step)
    target = ("/sparql/update" if update else "/sparql") + path[len("/sparql/") :]
    headers = dict(step["headers"])
    if update and token:
        headers["Authorization"] = f"Bearer {token}"
    answer = requests.request(
        step["method"], url + target, headers=headers, data=step["data"], timeout=30
    )
    status = answer.status_code
    classes = {f"StatusCode{status // 100}xx"}
    assert classes & step["statuses"], (status, answer.text[:500], step["statuses"])
    if status >= 400 or step["format"] is None:
        return
    ctype = answer.headers["Content-Type"].split(";")[0].strip()
    if step["format"] == "boolean":
        assert ctype in BOOLEAN, ctype
        value = boolean_of(ctype, answer.content)
        if step["boolean"] is not None:
            assert value is step["boolean"]
    elif step["format"] == "tabular":
        assert ctype in TABULAR, ctype
        assert answer.content
    elif step["format"] == "RDF":
        assert ctype in RDF_TYPES, ctype
        rdflib.Graph().parse(data=answer.content, format=RDF_TYPES[ctype])
    else:
        raise AssertionError(f"unknown expected format {step['format']}")


def boolean_of(ctype: str, data: bytes) -> bool:
    if ctype == "application/sparql-results+json":
        return json.loads(data)["boolean"]
    element = ET.fromstring(data).find(f"{SRX}boolean")
    assert element is not None
    return element.text.strip() == "true"


def params():
    for entry in ENTRIES:
        name = entry_name(entry)
        marks = []
        if name in EXCEPTIONS:
            marks.append(pytest.mark.xfail(reason=EXCEPTIONS[name], strict=True))
        yield pytest.param(entry, id=name, marks=marks)


@pytest.mark.parametrize("entry", list(params()))
def test_protocol(entry, request):
    steps = requests_of(entry)
    if touches_updates(entry):
        url, token = request.getfixturevalue("writable")
    else:
        url, token = request.getfixturevalue("endpoint"), None
    for step in steps:
        run_step(url, entry, step, token)


def test_all_approved_protocol_tests_are_listed():
    assert len(ENTRIES) == 34
    assert sum(1 for e in ENTRIES if not touches_updates(e)) == 20


def test_protocol_extras(endpoint):
    """What the W3C tests leave out: HEAD, OPTIONS (CORS), 405, 406, format=, 400 positions."""
    url = endpoint + "/sparql"
    query = {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 3"}
    head = requests.head(url, params=query, headers={"Accept": "text/csv"}, timeout=30)
    assert head.status_code == 200 and head.headers["Content-Type"].startswith("text/csv")
    assert head.content == b""
    options = requests.options(
        url,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert options.status_code == 200
    assert "POST" in options.headers["Access-Control-Allow-Methods"]
    assert options.headers["Access-Control-Allow-Origin"] == "*"
    put = requests.put(url, params=query, timeout=30)
    assert put.status_code == 405 and "POST" in put.headers["Allow"]
    ask = {"query": "ASK {}"}
    refused = requests.get(url, params=ask, headers={"Accept": "text/turtle"}, timeout=30)
    assert refused.status_code == 406
    construct = {"query": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"}
    assert (
        requests.get(url, params=construct, headers={"Accept": "text/csv"}, timeout=30).status_code
        == 406
    )
    for fmt, ctype in [
        ("json", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("nq", "application/n-quads"),
        ("trig", "application/trig"),
        ("application/ld+json", "application/ld+json"),
    ]:
        got = requests.get(url, params={**construct, "format": fmt}, timeout=30)
        assert got.status_code == 200 and got.headers["Content-Type"].startswith(ctype), fmt
        assert list(ox.parse(got.content, format=ox.RdfFormat.from_media_type(ctype)))
    for fmt, ctype in [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ]:
        got = requests.get(url, params={**query, "format": fmt}, timeout=30)
        assert got.status_code == 200 and got.headers["Content-Type"].startswith(ctype), fmt
    bad = requests.get(url, params={"query": "SELECT * WHERE {\n  ?s ?p"}, timeout=30)
    assert bad.status_code == 400
    assert bad.json()["where"] == "query, line 2, column 8"  # 1-based: just after "?p"
    assert "syntax" in bad.json()["error"]
    update = requests.post(url, data={"update": "CLEAR ALL"}, timeout=30)
    assert update.status_code == 403 and "/sparql/update" in update.json()["hint"]
    as_query = requests.get(url, params={"query": "CLEAR ALL"}, timeout=30)
    assert as_query.status_code == 403


def test_the_query_dataset_and_the_union_default_graph(endpoint):
    """Without protocol graphs: the query's FROM if it has one, else the union of all graphs;
    with them: the protocol's graphs, a side not given being empty."""
    data = "http://kasei.us/2009/09/sparql/data/"
    count = "SELECT (COUNT(DISTINCT ?s) AS ?n) {from} WHERE {{ ?s ?p ?o }}"

    def n(query: str, **params) -> int:
        answer = requests.get(
            endpoint + "/sparql",
            params={"query": query, **params},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return int(answer.json()["results"]["bindings"][0]["n"]["value"])

    union = n(count.format(**{"from": ""}))
    one = n(count.format(**{"from": f"FROM <{data}data1.rdf>"}))
    assert union == 3 and one == 1
    # protocol graphs override FROM
    assert (
        n(
            count.format(**{"from": f"FROM <{data}data1.rdf>"}),
            **{"default-graph-uri": [f"{data}data2.rdf", f"{data}data3.rdf"]},
        )
        == 2
    )
    # only named graphs given: the default graph is empty
    assert n(count.format(**{"from": ""}), **{"named-graph-uri": f"{data}data1.rdf"}) == 0


def test_the_query_text_scanner():
    from lod.sparql.text import has_dataset_clause, query_form, uses_service

    assert query_form("PREFIX ex: <http://ex/select#> # ASK\nCONSTRUCT WHERE { ?s ?p ?o }") == (
        "CONSTRUCT"
    )
    assert query_form("prefix insert: <http://x/> select * { ?s insert:x ?o }") == "SELECT"
    assert query_form("INSERT DATA { <a> <b> <c> }") == "UPDATE"
    assert query_form("nonsense") is None
    assert has_dataset_clause("SELECT * FROM <http://g> { ?s ?p ?o }")
    assert has_dataset_clause("select * from named <http://g> { graph ?g { ?s ?p ?o } }")
    for text in (
        "SELECT * { ?s <http://x/FROM> 'FROM' } # FROM",
        'SELECT ?from { ?s ex:from ?from . ?s from:x """FROM""" }',
    ):
        assert not has_dataset_clause(text), text
    assert uses_service("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")
    assert uses_service("SELECT * { ?s ?p ?o .service silent <http://x> { } }")
    assert not uses_service("SELECT * { ?s <http://x/SERVICE> 'SERVICE', ?service }")


def test_select_star_lists_its_variables_in_the_order_written():
    from lod.sparql.text import star_order

    assert star_order("SELECT * WHERE { ?zeta ?alpha ?mid }") == ["zeta", "alpha", "mid"]
    query = 'PREFIX ex: <http://x/select?a=1> # SELECT ?q\nselect distinct * { ?b ex:p "?no" . ?a ?c ?b }'
    assert star_order(query) == ["b", "a", "c"]  # not in the IRI, comment or string
    assert star_order("SELECT * { ?obec rdfs:label ?název ; uzemi:okres $okres }") == [
        "obec",
        "název",
        "okres",
    ]
    assert star_order("SELECT ?x WHERE { { SELECT * { ?y ?z ?x } } }") is None  # named: as is
    assert star_order("ASK { ?a ?b ?c }") is None
    assert star_order("CONSTRUCT WHERE { ?s ?p ?o }") is None


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_star_answers_in_the_order_written(endpoint, accept):
    """Oxigraph lists the variables of SELECT * alphabetically; the endpoint gives them (and
    each row's values) in the order the query names them, as Virtuoso and Jena do."""
    query = "SELECT * WHERE { ?zeta ?alpha ?mid } ORDER BY ?zeta ?alpha ?mid LIMIT 3"
    answer = requests.get(
        endpoint + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    if accept.endswith("json"):
        data = answer.json()
        assert data["head"]["vars"] == ["zeta", "alpha", "mid"]
        row = data["results"]["bindings"][0]
        assert row["zeta"]["type"] in ("uri", "bnode") and row["alpha"]["type"] == "uri"
    elif accept.endswith("xml"):
        root = ET.fromstring(answer.content)
        names = [v.get("name") for v in root.iter(f"{SRX}variable")]
        assert names == ["zeta", "alpha", "mid"]
        first = next(root.iter(f"{SRX}result"))
        assert [b.get("name") for b in first.iter(f"{SRX}binding")][:2] == ["zeta", "alpha"]
    else:
        sep = "," if accept == "text/csv" else "\t"
        header, first = answer.text.splitlines()[:2]
        assert header.replace("?", "").split(sep) == ["zeta", "alpha", "mid"]
        assert "http://" in first.split(sep)[1]  # the predicate, where ?alpha is


def test_select_star_order_without_a_row_limit():
    import io

    import pyoxigraph as ox

    from lod.sparql.writers import write

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("o")))
    out = io.BytesIO()
    raw = store.query("SELECT * { ?zeta ?alpha ?mid }")
    write(
        raw,
        out,
        results=ox.QueryResultsFormat.CSV,
        rdf=None,
        max_rows=0,
        order=["zeta", "alpha", "mid"],
    )
    assert out.getvalue().decode() == "zeta,alpha,mid\r\nhttp://s,http://p,o\r\n"
