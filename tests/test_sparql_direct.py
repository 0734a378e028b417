"""Plain GET /sparql queries answered without Flask (lod.web.sparql_direct): the same status,
headers and bytes as the view gives, each query run once, and everything that is not a plain
query (errors, the HTML page, updates, big answers) still answered by the view."""

from __future__ import annotations

import pytest

from lod.web import answer_cache
from lod.web import sparql as view

from . import test_answer_cache, test_sparql_limits
from .test_sparql_limits import GRAPH, JSON

make_app = test_sparql_limits.make_app  # the fixture: an app over 600 numbers
runs = test_answer_cache.runs  # the fixture: the queries an app's engine ran

VALUE = "http://example.org/value"
SELECT = f"SELECT ?s ?v WHERE {{ ?s <{VALUE}> ?v FILTER(?v < 5) }} ORDER BY ?v"
STAR = f"SELECT * WHERE {{ ?s <{VALUE}> ?v FILTER(?v < 3) }} ORDER BY ?v"
ASK = f"ASK {{ ?s <{VALUE}> 7 }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{VALUE}> ?v }} WHERE {{ ?s <{VALUE}> ?v FILTER(?v < 4) }}"
DESCRIBE = "DESCRIBE <http://example.org/n3>"
CZECH = f'SELECT ?s WHERE {{ ?s <{VALUE}> ?v FILTER(STR(?v) = "Hradec Králové") }}'
MANY = f"SELECT ?s ?v WHERE {{ ?s <{VALUE}> ?v }} ORDER BY ?v"

CSV = {"Accept": "text/csv"}
TURTLE = {"Accept": "text/turtle"}

# (query parameters, headers) of requests the direct path answers itself
PLAIN = [
    ({"query": SELECT}, JSON),
    ({"query": SELECT}, {"Accept": "*/*"}),
    ({"query": SELECT}, {}),
    ({"query": SELECT}, {"Accept": "application/sparql-results+xml"}),
    ({"query": SELECT}, CSV),
    ({"query": SELECT, "format": "tsv"}, JSON),
    ({"query": SELECT, "format": "json", "_": "1700000000"}, {}),  # a cache buster ignored
    ({"query": STAR}, JSON),
    ({"query": ASK}, JSON),
    ({"query": CONSTRUCT}, TURTLE),
    ({"query": CONSTRUCT, "format": "nt"}, {}),
    ({"query": CONSTRUCT}, {"Accept": "application/ld+json"}),
    ({"query": DESCRIBE}, {"Accept": "application/n-triples"}),
    ({"query": CZECH}, JSON),
    ({"query": SELECT, "default-graph-uri": GRAPH}, JSON),
    ({"query": SELECT, "named-graph-uri": GRAPH}, JSON),
    ({"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"}, JSON),
]
# requests the view answers: refused before any query runs, or errors of the query itself
REFUSED = [
    ({"query": SELECT}, {"Accept": "text/html"}),  # the query page
    ({"query": SELECT}, {"Accept": "text/plain"}),  # nothing acceptable (406)
    ({"query": CONSTRUCT}, {"Accept": "application/sparql-results+json"}),
    ({"query": SELECT, "format": "bogus"}, {}),
    ({"update": "CLEAR ALL"}, {}),
    ({"query": "CLEAR ALL"}, JSON),
    ({"query": "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }"}, JSON),
    ({"query": [SELECT, ASK]}, JSON),  # two queries
    ({}, {"Accept": "text/turtle"}),  # no query: the service description
]
FAILING = [
    ({"query": "SELECT ?x WHERE { ?x"}, JSON),  # syntax error (400), run once by the worker
    ({"query": "SELECT ?x WHERE { ?x ?p ?o"}, CSV),
]


def _gate(app) -> answer_cache.AnswerCache:
    wsgi = app.wsgi_app
    while not isinstance(wsgi, answer_cache.AnswerCache):
        wsgi = wsgi.app
    return wsgi


@pytest.fixture
def counted(runs, monkeypatch):
    """``counted(app)``: (queries the engine ran, requests the view was entered for)."""

    def watch(app):
        views: list[str] = []
        entered = app.view_functions["sparql.sparql"]

        def counted_view(*args, **kwargs):
            views.append("sparql")
            return entered(*args, **kwargs)

        monkeypatch.setitem(app.view_functions, "sparql.sparql", counted_view)
        return runs(app), views

    return watch


def both(app, params, headers):
    """The answer of the direct path and the view's answer to the same GET."""
    client = app.test_client()
    gate = _gate(app)
    direct = client.get("/sparql", query_string=params, headers=headers)
    made_by = gate.direct
    gate.direct = None
    try:
        flask = client.get("/sparql", query_string=params, headers=headers)
    finally:
        gate.direct = made_by
    return direct, flask


def same(a, b) -> None:
    assert a.status_code == b.status_code
    assert list(a.headers.items()) == list(b.headers.items())
    assert a.data == b.data


@pytest.mark.parametrize("params, headers", PLAIN)
def test_a_plain_get_is_answered_as_the_view_answers_it_without_the_view(
    make_app, counted, params, headers
):
    # every query read from the disk (no in-memory copy, which a worker starts using once it
    # is made): an unordered CONSTRUCT lists its triples in another order from the copy
    app = make_app(sparql_cache_bytes=0, sparql_memory_quads=0)
    ran, views = counted(app)
    direct, flask = both(app, params, headers)
    assert direct.status_code == 200, direct.text
    same(direct, flask)
    assert ran == [params["query"]] * 2  # once each way
    assert views == ["sparql"]  # only the second, with the direct path off


@pytest.mark.parametrize("params, headers", REFUSED)
def test_what_is_not_a_plain_query_goes_to_the_view(make_app, counted, params, headers):
    app = make_app(sparql_cache_bytes=0)
    ran, views = counted(app)
    direct, flask = both(app, params, headers)
    same(direct, flask)
    assert views == ["sparql", "sparql"]
    assert len(ran) in (0, 2)  # the page runs its query; the others are refused before


@pytest.mark.parametrize("params, headers", FAILING)
def test_a_failing_query_runs_once_and_the_view_answers_its_error(
    make_app, counted, params, headers
):
    app = make_app(sparql_cache_bytes=0)
    ran, views = counted(app)
    direct, flask = both(app, params, headers)
    assert direct.status_code == 400
    same(direct, flask)
    assert ran == [params["query"]] * 2  # not run again by the view it was handed to
    assert views == ["sparql", "sparql"]
    assert "line 1" in direct.get_json()["where"]


def test_the_row_limit_header_and_a_big_answer_handed_to_the_view(make_app, counted, monkeypatch):
    app = make_app(sparql_cache_bytes=0, sparql_max_rows=10)
    ran, views = counted(app)
    direct, flask = both(app, {"query": MANY}, JSON)
    same(direct, flask)
    assert direct.headers["X-SPARQL-MaxRows"] == "10"
    assert len(direct.get_json()["results"]["bindings"]) == 10
    assert views == ["sparql"]
    # an answer too big to hold is streamed by the view, from the run already made
    monkeypatch.setattr(view, "SMALL_ANSWER", 100)
    ran.clear()
    views.clear()
    direct, flask = both(app, {"query": MANY}, JSON)
    same(direct, flask)
    assert ran == [MANY, MANY] and views == ["sparql", "sparql"]


def test_limits_and_cache_hold_on_the_direct_path(make_app, counted):
    app = make_app(sparql_max_request_bytes=200)
    ran, views = counted(app)
    client = app.test_client()
    long = SELECT + " " * 300
    too_long = client.get("/sparql", query_string={"query": long}, headers=JSON)
    assert too_long.status_code == 414  # the view's refusal
    assert ran == [] and views == ["sparql"]
    first = client.get("/sparql", query_string={"query": SELECT}, headers=JSON)
    again = client.get("/sparql", query_string={"query": SELECT}, headers=JSON)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert list(again.headers.items()) == list(first.headers.items())
    assert ran == [SELECT]  # the second came from the answer cache
    assert views == ["sparql"]


def test_the_client_limit_is_the_same_on_the_direct_path(make_app):
    """Admission counts a direct query's client as the view would (the address ProxyFix
    found), and a refused query is the view's 429 with its Retry-After."""
    app = make_app(sparql_max_per_client=1, sparql_cache_bytes=0)
    engine = app.extensions["lod.sparql"]
    hold = engine.admission.enter("203.0.113.9")  # one query of that client is running
    try:
        client = app.test_client()
        refused = client.get(
            "/sparql",
            query_string={"query": SELECT},
            headers=JSON,
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        other = client.get(
            "/sparql",
            query_string={"query": SELECT},
            headers=JSON,
            environ_base={"REMOTE_ADDR": "203.0.113.10"},
        )
    finally:
        hold()
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert other.status_code == 200


def test_a_direct_answer_is_logged(make_app, caplog):
    app = make_app(sparql_cache_bytes=0)
    client = app.test_client()
    with caplog.at_level("INFO", logger="lod.access"):
        answer = client.get("/sparql", query_string={"query": SELECT}, headers=JSON)
    (record,) = [r.getMessage() for r in caplog.records if r.name == "lod.access"]
    assert '"path": "/sparql"' in record and '"status": 200' in record
    assert f'"bytes": {len(answer.data)}' in record
