"""The /sparql result cache: a repeated query is answered without a worker, a publish makes
every cached answer stale, the cache stays within its size, and volatile queries are not kept."""

from __future__ import annotations

import pytest

from lod.formats import BY_NAME
from lod.sparql.cache import ResultCache, cacheable
from lod.store import GraphSource

from . import test_sparql_limits
from .test_sparql_limits import GRAPH, JSON, numbers

make_app = test_sparql_limits.make_app  # the fixture: an app over 600 numbers

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/value> ?v }"


def count(client) -> int:
    answer = client.get("/sparql", query_string={"query": COUNT}, headers=JSON)
    assert answer.status_code == 200, answer.text
    return int(answer.get_json()["results"]["bindings"][0]["n"]["value"])


def no_workers(engine, monkeypatch) -> None:
    """From now on a query that reaches the worker pool fails the test."""

    def refuse(job, **kw):
        raise AssertionError(f"the query went to a worker: {job.query}")

    monkeypatch.setattr(engine.pool, "query", refuse)


def test_a_repeated_query_is_answered_from_the_cache(make_app, monkeypatch):
    app = make_app()
    client = app.test_client()
    first = client.get("/sparql", query_string={"query": COUNT}, headers=JSON)
    no_workers(app.extensions["lod.sparql"], monkeypatch)
    again = client.get("/sparql", query_string={"query": COUNT}, headers=JSON)
    assert again.status_code == 200
    assert again.data == first.data
    assert again.content_type == first.content_type
    # another format is another answer: not from the cache
    with pytest.raises(AssertionError, match="went to a worker"):
        client.get("/sparql", query_string={"query": COUNT, "format": "csv"})


def test_a_publish_invalidates_the_cache(make_app):
    app = make_app()
    client = app.test_client()
    assert count(client) == 600
    assert count(client) == 600  # cached
    engine = app.extensions["lod.sparql"]
    assert len(engine.cache) == 2  # the result, and the HTTP answer (lod.web.answer_cache)
    store = app.extensions["lod"].store
    store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(700))})
    assert count(client) == 700
    assert len(engine.cache) == 2  # the answers of the old checkpoint are gone


def test_the_cache_can_be_turned_off(make_app):
    app = make_app(sparql_cache_bytes=0)
    client = app.test_client()
    assert count(client) == count(client) == 600
    assert app.extensions["lod.sparql"].cache is None


def test_volatile_queries_are_not_cached(make_app):
    assert not cacheable("SELECT (RAND() AS ?r) {}")
    assert not cacheable("SELECT ?s WHERE { ?s ?p ?o } ORDER BY now ( )")
    assert not cacheable("CONSTRUCT { ?s <http://example.org/id> ?u } WHERE { BIND(uuid() AS ?u) }")
    assert cacheable("SELECT ?now WHERE { ?now ?p ?o }")
    app = make_app()
    client = app.test_client()
    query = "SELECT (STRUUID() AS ?u) {}"
    first = client.get("/sparql", query_string={"query": query}, headers=JSON).get_json()
    second = client.get("/sparql", query_string={"query": query}, headers=JSON).get_json()
    assert first != second
    assert len(app.extensions["lod.sparql"].cache) == 0


def test_the_cache_keeps_within_its_size(tmp_path):
    cache = ResultCache(tmp_path, 8000)  # entries up to 1,000 bytes
    for i in range(100):
        cache.put(cache.key(f"q{i}"), ("solutions", b"x" * 500, 1, False), 500)
        assert cache.size <= 8000
    assert cache.get(cache.key("q0")) is None  # the oldest went first
    assert cache.get(cache.key("q99")) is not None
    cache.put(cache.key("big"), ("solutions", b"x" * 2000, 1, False), 2000)
    assert cache.get(cache.key("big")) is None  # too big for one entry


def test_an_answer_from_before_a_publish_is_not_kept(tmp_path):
    checkpoints = tmp_path / "checkpoints"
    checkpoints.mkdir()
    (checkpoints / "CURRENT").write_text("1")
    cache = ResultCache(tmp_path, 1 << 20)
    old_key = cache.key("q")
    assert cache.get(old_key) is None
    (checkpoints / "CURRENT.new").write_text("2")
    (checkpoints / "CURRENT.new").replace(checkpoints / "CURRENT")  # a publish, meanwhile
    cache.put(old_key, ("solutions", b"old", 1, False), 3)
    assert cache.get(cache.key("q")) is None
    assert len(cache) == 0


def test_kept_answers_are_left_alone_by_the_garbage_collector(make_app):
    """Keys and values are plain tuples, which the collector stops tracking: a full pass of
    a busy web process does not grow with the answers kept (lod.serving.settle_heap)."""
    import gc

    app = make_app()
    client = app.test_client()
    for query in (COUNT, "SELECT ?v WHERE { ?s <http://example.org/value> ?v } LIMIT 3"):
        for fmt in ("json", "csv"):
            answer = client.get("/sparql", query_string={"query": query, "format": fmt})
            assert answer.status_code == 200, answer.text
    entries = app.extensions["lod.sparql"].cache._entries
    kinds = {key[1] == "http" for key in entries}
    assert len(entries) == 8 and kinds == {True, False}  # results and whole HTTP answers
    gc.collect()  # a pass untracks a tuple whose items are untracked: a level of nesting
    gc.collect()  # a pass, and keys and entries are of two levels
    assert not [key for key in entries if gc.is_tracked(key)]
    assert not [key for key, entry in entries.items() if gc.is_tracked(entry)]
