"""Repeated GET /sparql answered before Flask (lod.web.answer_cache): the same bytes and
headers as the first answer, without the view or the engine; nothing stale after a publish;
volatile queries, errors, POSTs and the HTML page always answered afresh; every hit logged."""

from __future__ import annotations

import json

import pytest

from lod.formats import BY_NAME
from lod.store import GraphSource

from . import test_sparql_limits
from .test_sparql_limits import GRAPH, JSON, numbers

make_app = test_sparql_limits.make_app  # the fixture: an app over 600 numbers

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/value> ?v }"


def record_queries(monkeypatch, owner, method: str) -> list[str]:
    """The ``query`` of everything ``owner.method`` is called with from now on, in order."""
    seen: list[str] = []
    call = getattr(owner, method)

    def counted(job):
        seen.append(job.query)
        return call(job)

    monkeypatch.setattr(owner, method, counted)
    return seen


@pytest.fixture
def runs(monkeypatch):
    """``runs(app)``: the queries that reached the app's engine since, in order."""
    return lambda app: record_queries(monkeypatch, app.extensions["lod.sparql"], "run")


def get(client, query: str, headers=JSON, **params):
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def test_a_repeated_get_gets_the_same_answer_without_the_engine(make_app, runs):
    app = make_app()
    client = app.test_client()
    seen = runs(app)
    first = get(client, COUNT)
    again = get(client, COUNT)
    assert first.status_code == again.status_code == 200
    assert seen == [COUNT]  # the second never reached the view's engine call
    assert again.data == first.data
    assert list(again.headers.items()) == list(first.headers.items())
    assert again.headers["Access-Control-Allow-Origin"] == "*"  # CORS kept
    assert again.headers["Vary"] == "Accept"
    # another Accept header, another format parameter: other answers
    xml = get(client, COUNT, headers={"Accept": "application/sparql-results+xml"})
    csv = get(client, COUNT, format="csv")
    assert xml.content_type.startswith("application/sparql-results+xml")
    assert csv.content_type.startswith("text/csv")
    assert seen == [COUNT] * 3
    assert get(client, COUNT, headers={"Accept": "application/sparql-results+xml"}).data == xml.data
    assert seen == [COUNT] * 3


def test_nothing_stale_after_a_publish(make_app, runs):
    app = make_app()
    client = app.test_client()
    seen = runs(app)
    assert get(client, COUNT).get_json()["results"]["bindings"][0]["n"]["value"] == "600"
    store = app.extensions["lod"].store
    store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(700))})
    assert get(client, COUNT).get_json()["results"]["bindings"][0]["n"]["value"] == "700"
    assert seen == [COUNT, COUNT]


def test_what_is_always_answered_afresh(make_app, runs):
    app = make_app()
    client = app.test_client()
    seen = runs(app)
    volatile = "SELECT (STRUUID() AS ?u) {}"
    assert get(client, volatile).data != get(client, volatile).data
    broken = "SELECT ?x WHERE { ?x"
    assert get(client, broken).status_code == get(client, broken).status_code == 400
    form = {"query": COUNT}
    posted = [client.post("/sparql", data=form, headers=JSON) for _ in range(2)]
    assert [p.status_code for p in posted] == [200, 200]
    page = {"Accept": "text/html"}
    assert get(client, COUNT, headers=page).status_code == 200
    assert "<html" in get(client, COUNT, headers=page).text.lower()
    # each reached the engine (a POST or a page may still be answered from the result cache,
    # but never as a kept HTTP answer)
    assert seen == [volatile, volatile, broken, broken, COUNT, COUNT, COUNT, COUNT]


def test_the_answer_cache_shares_the_result_cache_and_its_switch(make_app, runs):
    off = make_app(sparql_cache_bytes=0)
    seen = runs(off)
    client = off.test_client()
    assert get(client, COUNT).data == get(client, COUNT).data
    assert seen == [COUNT, COUNT]


def test_hits_are_logged(make_app, caplog):
    app = make_app()
    client = app.test_client()
    get(client, COUNT)
    with caplog.at_level("INFO", logger="lod.access"):
        get(client, COUNT, headers={**JSON, "User-Agent": "dashboard/1.0"})
    (record,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lod.access"]
    assert record["path"] == "/sparql" and record["status"] == 200
    assert record["agent"] == "dashboard/1.0" and record["bytes"] > 0
