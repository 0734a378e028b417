"""Query workers answer from an in-memory copy of a small enough store (lod/sparql/checkpoint.py):
the same answers as the checkpoint on disk (blank nodes relabelled), the new data right after a publish (from disk
until the new copy is made), never a copy of a store above the limit; /health tells."""

from __future__ import annotations

import time

import pytest

from lod.formats import BY_NAME
from lod.sparql.checkpoint import Checkpoints, copy_to_memory
from lod.store import GraphSource, open_store

from .test_sparql_limits import GRAPH, make_app, make_settings, numbers  # noqa: F401

QUERY = (
    "SELECT (COUNT(*) AS ?n) (SUM(?v) AS ?total) WHERE { GRAPH ?g { ?s ?p ?v } FILTER(?v >= 10) }"
)
BNODES = b'_:a <http://example.org/p> "x" .\n_:a <http://example.org/q> _:b .\n'


def rows(store) -> list:
    return [tuple(v.value for v in row) for row in store.query(QUERY)]


def wait_in_memory(checkpoints: Checkpoints, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not checkpoints.in_memory and time.monotonic() < deadline:
        checkpoints.reader()
        time.sleep(0.02)
    assert checkpoints.in_memory


@pytest.fixture
def store(tmp_path):
    store = open_store(make_settings(tmp_path))
    store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(300))})
    yield store
    store.close()


def test_the_copy_answers_as_the_checkpoint_and_follows_a_publish(store):
    checkpoints = Checkpoints(store.directory, memory_quads=10_000)
    disk = checkpoints.reader()
    assert not checkpoints.in_memory  # at first the checkpoint on disk answers
    expected = rows(disk)
    assert expected == [("290", "44805")]
    wait_in_memory(checkpoints)
    memory = checkpoints.reader()
    assert memory is not disk and rows(memory) == expected
    assert len(memory) == len(disk) == 300

    store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(20))})
    newest = checkpoints.reader()  # the new checkpoint at once, from disk
    assert not checkpoints.in_memory
    assert rows(newest) == [("10", "145")]
    wait_in_memory(checkpoints)
    assert rows(checkpoints.reader()) == [("10", "145")]


def test_no_copy_of_a_store_above_the_limit(store):
    # 299: counted; 1: its files alone are too big
    for limit in (299, 1):
        checkpoints = Checkpoints(store.directory, memory_quads=limit)
        checkpoints.reader()
        time.sleep(0.5)
        checkpoints.reader()
        assert not checkpoints.in_memory
    off = Checkpoints(store.directory, memory_quads=0)
    off.reader()
    assert not off.in_memory and off.replica is None


def test_the_copy_keeps_every_quad(store):
    store.replace_graphs({"http://example.org/g": GraphSource(BY_NAME["nt"], data=BNODES)})
    disk = Checkpoints(store.directory).reader()
    memory = copy_to_memory(disk)

    def ground(s):
        return sorted(str(q) for q in s if not str(q).startswith("_:"))

    assert len(memory) == len(disk) == 302
    assert ground(memory) == ground(disk)
    # blank nodes get new labels (bulk_load renames them; SPARQL labels are per answer anyway)
    # but stay the same nodes
    linked = "SELECT ?x WHERE { ?a <http://example.org/p> ?x ; <http://example.org/q> ?b }"
    assert [r[0].value for r in memory.query(linked, use_default_graph_as_union=True)] == ["x"]


def test_health_tells_how_many_workers_answer_from_memory(make_app):  # noqa: F811
    app = make_app(sparql_workers=1, sparql_cache_bytes=0)
    client = app.test_client()
    deadline = time.monotonic() + 30
    while True:
        answer = client.get(
            "/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"}
        )
        assert answer.status_code == 200
        assert answer.data.decode().splitlines()[1] == "590,179655"
        status = client.get("/health").get_json()["sparql"]
        if (status["in_memory"] and status["lookups_in_memory"]) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    # the web process copies the store too, for lookups of one pattern (lod.sparql.inline)
    assert status == {"size": 1, "workers": 1, "in_memory": 1, "lookups_in_memory": True}

    off = make_app(sparql_workers=1, sparql_memory_quads=0).test_client()
    assert off.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert off.get("/health").get_json()["sparql"] == {
        "size": 1,
        "workers": 1,
        "in_memory": 0,
        "lookups_in_memory": False,  # nor lookups in the web process (lod.sparql.inline)
    }
