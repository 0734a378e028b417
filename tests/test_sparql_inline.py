"""Lookups of one triple pattern answered in the web process (lod.sparql.inline): only queries
that cannot run long, the same bytes a worker writes, more rows than the cap left to a worker,
only from the in-memory copy of the store, and a new publish seen at once."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from lod.formats import BY_NAME
from lod.sparql.inline import parse_lookup
from lod.store import GraphSource

from . import test_sparql_limits
from .test_answer_cache import record_queries
from .test_sparql_limits import GRAPH, numbers

make_app = test_sparql_limits.make_app  # the fixture: an app over 600 numbers

VALUE = "http://example.org/value"
OTHER = "https://data.example.cz/graphs/more"
LOOKUPS = [
    "SELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o }",
    "select ?p ?o where{<http://example.org/n7>?p ?o}".replace("?p", " ?p"),
    "SELECT * WHERE { <http://example.org/n7> ?p ?o . }",
    f"SELECT ?s WHERE {{ ?s <{VALUE}> ?v }} LIMIT 10",
    "PREFIX ex: <http://example.org/>\nSELECT ?v WHERE { ex:n12 ex:value ?v }",
    "SELECT * WHERE { <http://example.org/n7> <http://example.org/value> ?v }",
    "SELECT ?x WHERE { <http://example.org/n7> <http://example.org/value> ?v }",  # unbound
    "SELECT * WHERE { <http://example.org/n7> <http://example.org/next> <http://example.org/n8> }",
    "SELECT * WHERE { ?s <http://example.org/value> ?v } LIMIT 0",
    "PREFIX : <http://example.org/> SELECT $o { :n3 ?p $o } LIMIT 3",
    "SELECT ?t WHERE { <http://example.org/n3> a ?t }",
    "SELECT ?p ?o WHERE { <http://example.org/nothing#here> ?p ?o }",
    "# made new by a comment\nSELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o } # 12",
]
CONSTRUCTS = [
    "CONSTRUCT WHERE { <http://example.org/n7> ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<http://example.org/n7> AS ?s) ?s ?p ?o }",
    "PREFIX ex: <http://example.org/> CONSTRUCT { ex:n3 ?p ?o } WHERE { ex:n3 ?p ?o . }",
    f"CONSTRUCT {{ ?s <{VALUE}> ?v }} WHERE {{ ?s <{VALUE}> ?v }} LIMIT 8",
    "CONSTRUCT WHERE { ?s ?p <http://example.org/n8> }",
]
NOT_LOOKUPS = [
    f"SELECT ?s ?v WHERE {{ ?s <{VALUE}> ?v FILTER(?v < 5) }}",  # a filter may skip everything
    "SELECT DISTINCT ?p WHERE { ?s ?p ?o }",  # materialized
    "SELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o } ORDER BY ?o",
    "SELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o } OFFSET 5",
    "SELECT ?x WHERE { ?x ?p ?x }",  # a repeated variable: a scan that keeps few
    "SELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o . ?o ?q ?r }",  # a join
    'SELECT ?s WHERE { ?s ?p "7" }',  # literals: never
    "SELECT ?p ?o FROM <http://example.org/g> WHERE { <http://example.org/n7> ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?p ?o WHERE { <http://example.org/n7> ?p ?o # }\n FILTER(?o > 1) }",
    "ASK { <http://example.org/n7> ?p ?o }",
    "SELECT ?o WHERE { GRAPH ?g { <http://example.org/n7> ?p ?o } }",
    "SELECT ?o WHERE { <http://example.org/n7> <http://example.org/a>/<http://example.org/b> ?o }",
    "SELECT ?o WHERE { _:b ?p ?o }",
    "BASE <http://example.org/> SELECT ?v WHERE { <n12> <value> ?v }",  # resolved by a worker
    "SELECT ?v WHERE { <n12> <http://example.org/value> ?v }",
    "SELECT ?o WHERE { ex:n7 ?p ?o }",  # an undeclared prefix: the worker's error
    "SELECT ?p ?p WHERE { <http://example.org/n7> ?p ?o }",
    "CONSTRUCT { ?o ?p ?s } WHERE { ?s ?p ?o }",  # rearranged
    "CONSTRUCT { ?s ?p ?o . ?o ?p ?s } WHERE { ?s ?p ?o }",
    "CONSTRUCT WHERE { BIND(<http://example.org/n7> AS ?s) ?s ?p ?o }",  # not SPARQL
    "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<http://example.org/n7> AS ?s) ?s ?p ?o ?q }",
    "DESCRIBE <http://example.org/n7>",
    "SELECT ?o WHERE { <http://example.org/n7> ?p ?o } VALUES ?o { 1 }",
    "SELECT ?o WHERE { SERVICE <http://example.org/> { <http://example.org/n7> ?p ?o } }",
]


@pytest.mark.parametrize("query", LOOKUPS + CONSTRUCTS)
def test_lookups_are_recognized(query):
    assert parse_lookup(query) is not None


@pytest.mark.parametrize("query", NOT_LOOKUPS)
def test_anything_else_goes_to_a_worker(query):
    assert parse_lookup(query) is None


def warm(app) -> None:
    """Wait until this process (if it answers lookups) and every started query worker read
    their in-memory copies."""
    engine = app.extensions["lod.sparql"]
    client = app.test_client()
    deadline = time.monotonic() + 30
    while True:
        fresh = f"ASK {{}} # {time.monotonic_ns()}"  # never from the result cache
        assert client.get("/sparql", query_string={"query": fresh}).status_code == 200
        status = engine.status()
        here = status["lookups_in_memory"] or engine.inline is None  # none made: no copy
        if here and status["in_memory"] == status["workers"]:
            return
        assert time.monotonic() < deadline, status
        time.sleep(0.02)


@pytest.fixture
def jobs(monkeypatch):
    """``jobs(app)``: the queries the app's worker pool was given since."""
    return lambda app: record_queries(monkeypatch, app.extensions["lod.sparql"].pool, "query")


def with_two_graphs(app) -> None:
    """A second graph: n0 to n9 again (the default graph is the union: each twice), and n7's
    next; then wait for the in-memory copies."""
    more = b"<http://example.org/n7> <http://example.org/next> <http://example.org/n8> .\n"
    store = app.extensions["lod"].store
    store.replace_graphs({OTHER: GraphSource(BY_NAME["nt"], data=numbers(10) + more)})
    warm(app)


def by_workers(app, answers):
    """``answers()`` with the lookups in this process switched off."""
    engine = app.extensions["lod.sparql"]
    inline, engine.inline = engine.inline, None
    try:
        return answers()
    finally:
        engine.inline = inline


FORMATS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


@pytest.mark.parametrize("max_rows", [100000, 0, 3])
def test_inline_answers_are_the_workers_bytes(make_app, jobs, max_rows):
    # no result cache: every request is evaluated, in this process or by a worker, both from
    # their in-memory copies (the copy on disk gives solutions in another order where the
    # query sets none)
    app = make_app(sparql_cache_bytes=0, sparql_max_rows=max_rows, sparql_workers=1)
    with_two_graphs(app)
    given = jobs(app)
    client = app.test_client()

    def answers():
        return [
            (r.status_code, r.headers.get("X-SPARQL-MaxRows"), r.data)
            for query in LOOKUPS
            for accept in FORMATS
            for r in [
                client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
            ]
        ]

    here = answers()
    # with no row limit this process makes no copy of the store for lookups it never answers
    assert (app.extensions["lod.sparql"].inline is None) == (max_rows == 0)
    # none went to a worker; with no row limit all do (a worker's serializer writes other bytes)
    assert len(given) == (len(LOOKUPS) * len(FORMATS) if max_rows == 0 else 0)
    given.clear()
    assert by_workers(app, answers) == here
    assert len(given) == len(LOOKUPS) * len(FORMATS)
    assert all(status == 200 for status, _, _ in here)
    # only the LIMIT 10 lookup has more rows than 3
    truncated = [i // len(FORMATS) for i, (_, cut, _) in enumerate(here) if cut]
    assert truncated == ([3] * len(FORMATS) if max_rows == 3 else [])
    n7 = here[0][2].decode()  # n7's triples in JSON: its value in both graphs, its next
    assert n7.count('"value":"7"') == 2 and n7.count('"value":"http://example.org/n8"') == 1


GRAPH_FORMATS = [
    "application/n-triples",
    "text/turtle",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
    "application/ld+json",
]


def test_inline_graphs_are_the_workers_triples(make_app, jobs):
    app = make_app(sparql_cache_bytes=0, sparql_max_rows=10, sparql_workers=1)
    with_two_graphs(app)
    given = jobs(app)
    client = app.test_client()

    def answers():
        found = []
        for query in CONSTRUCTS:
            for accept in GRAPH_FORMATS:
                r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
                assert r.status_code == 200, r.data
                fmt = ox.RdfFormat.from_media_type(accept)
                triples = sorted(str(q.triple) for q in ox.parse(r.data, fmt))  # as a list
                found.append(
                    (r.headers.get("X-SPARQL-MaxRows"), r.headers["Content-Type"], triples)
                )
        return found

    here = answers()
    assert given == []
    assert by_workers(app, answers) == here  # the same triples (a graph's order is its writer's)
    assert len(given) == len(CONSTRUCTS) * len(GRAPH_FORMATS)
    n7 = here[0][2]  # n7's value once, though it is in both graphs, and its next
    assert len(n7) == 2 and "<http://example.org/next>" in n7[0] and f"<{VALUE}>" in n7[1]
    # LIMIT 8: eight solutions, and a triple of n0 to n9 in both graphs once
    assert all(cut is None and 0 < len(triples) <= 8 for cut, _, triples in here[18:24])


def test_a_graph_longer_than_the_row_limit_is_cut_by_a_worker(make_app, jobs):
    app = make_app(sparql_cache_bytes=0, sparql_max_rows=10, sparql_workers=1)
    store = app.extensions["lod"].store
    store.replace_graphs({OTHER: GraphSource(BY_NAME["nt"], data=numbers(10))})
    warm(app)
    given = jobs(app)
    query = f"CONSTRUCT WHERE {{ ?s <{VALUE}> ?v }}"  # 610 matches, 600 triples
    answer = app.test_client().get("/sparql", query_string={"query": query})
    assert answer.headers["X-SPARQL-MaxRows"] == "10"
    assert len(list(ox.parse(answer.data, ox.RdfFormat.from_media_type(answer.mimetype)))) == 10
    assert given == [query]


def test_more_rows_than_the_cap_are_left_to_a_worker(make_app, jobs):
    app = make_app(sparql_cache_bytes=0, sparql_inline_rows=50)
    warm(app)
    given = jobs(app)
    client = app.test_client()
    few = f"SELECT ?s WHERE {{ ?s <{VALUE}> ?v }} LIMIT 50"
    many = f"SELECT ?s WHERE {{ ?s <{VALUE}> ?v }}"
    assert (
        len(client.get("/sparql", query_string={"query": few}).get_json()["results"]["bindings"])
        == 50
    )
    assert given == []
    answer = client.get("/sparql", query_string={"query": many}).get_json()
    assert len(answer["results"]["bindings"]) == 600  # all, from the worker
    assert given == [many]


def test_errors_are_the_workers(make_app, jobs):
    app = make_app(sparql_cache_bytes=0)
    warm(app)
    given = jobs(app)
    undeclared = "SELECT ?o WHERE { ex:n7 ?p ?o }"
    answer = app.test_client().get("/sparql", query_string={"query": undeclared})
    assert answer.status_code == 400
    assert "ex" in answer.get_json()["error"]
    assert given == [undeclared]


def test_a_new_publish_is_answered_at_once(make_app, jobs):
    app = make_app()  # with the result cache, keyed by the checkpoint
    given = jobs(app)
    client = app.test_client()
    query = "SELECT ?o WHERE { <http://example.org/n700> ?p ?o }"

    def values():
        answer = client.get("/sparql", query_string={"query": query + f" # {time.time()}"})
        return [b["o"]["value"] for b in answer.get_json()["results"]["bindings"]]

    assert values() == []  # by a worker: this process has no copy of the store yet
    assert len(given) == 1
    warm(app)
    given.clear()
    assert values() == []
    assert given == []  # from this process's copy
    store = app.extensions["lod"].store
    store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(701))})
    assert values() == ["700"]  # at once, whoever answers
    warm(app)
    given.clear()
    assert values() == ["700"]
    assert given == []  # from the new checkpoint's copy


def test_no_lookups_here_without_a_copy_in_memory(make_app, jobs):
    app = make_app(sparql_cache_bytes=0, sparql_memory_quads=0)
    given = jobs(app)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": LOOKUPS[0]}).status_code == 200
        assert app.extensions["lod.sparql"].status()["lookups_in_memory"] is False
    assert given == [LOOKUPS[0]] * 3


def test_inline_lookups_can_be_switched_off(make_app, jobs):
    app = make_app(sparql_cache_bytes=0, sparql_inline_rows=0)
    given = jobs(app)
    answer = app.test_client().get("/sparql", query_string={"query": LOOKUPS[0]})
    assert answer.status_code == 200
    assert given == [LOOKUPS[0]]
