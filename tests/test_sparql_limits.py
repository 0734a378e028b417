"""Isolation and limits of /sparql: a runaway query is killed at the time limit while other
queries keep answering; per-client and total concurrency limits; request size and row limits;
workers follow a publish; no worker outlives its app."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from lod.formats import BY_NAME
from lod.settings import load_settings
from lod.sparql import engine_for
from lod.sparql.engine import QueryRequest, QueryTimedOut
from lod.store import GraphSource

from .conftest import BASE
from .live import free_port
from .test_sparql_protocol import live_server

pytestmark = pytest.mark.slow
JSON = {"Accept": "application/sparql-results+json"}
GRAPH = "https://data.example.cz/graphs/numbers"
# 600 triples: a COUNT over the cartesian product of three patterns is 2.16e8 rows
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = (
    "SELECT ?s ?v WHERE { ?s <http://example.org/value> ?v FILTER(?v < 100) } ORDER BY ?v LIMIT 50"
)


def numbers(n: int) -> bytes:
    return "".join(
        f'<http://example.org/n{i}> <http://example.org/value> "{i}"'
        "^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        for i in range(n)
    ).encode()


def make_settings(tmp_path, **values):
    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE}
    env.update({f"LOD_{k.upper()}": str(v) for k, v in values.items()})
    return load_settings(env=env, config_file=tmp_path / "none.toml")


@pytest.fixture
def make_app(tmp_path):
    """An app over a store with 600 numbers, with the limits given."""
    from lod.app import create_app
    from lod.store import open_store

    apps = []

    def make(**limits):
        settings = make_settings(tmp_path, **limits)
        store = open_store(settings)
        store.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(600))})
        app = create_app(settings, store)
        app.testing = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["lod.sparql"].close()


def ask(url: str, query: str, **kw) -> requests.Response:
    return requests.get(url + "/sparql", params={"query": query}, headers=JSON, timeout=60, **kw)


def timed(url: str, query: str) -> float:
    start = time.perf_counter()
    answer = ask(url, query)
    assert answer.status_code == 200, answer.text
    return time.perf_counter() - start


def test_runaway_query_is_killed_at_the_limit_while_others_answer(make_app):
    # no result cache: every query goes to a worker, as a stream of distinct queries would
    app = make_app(
        sparql_timeout=2, sparql_workers=2, sparql_max_per_client=8, sparql_cache_bytes=0
    )
    pool = app.extensions["lod.sparql"].pool
    with live_server(app) as url:
        for _ in range(5):  # warm up: workers started, store open, caches filled
            timed(url, SMALL)
        normal = statistics.median(timed(url, SMALL) for _ in range(15))
        workers_before = set(pool.pids())

        result = {}

        def runaway():
            start = time.perf_counter()
            result["answer"] = ask(url, RUNAWAY)
            result["seconds"] = time.perf_counter() - start

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)  # the runaway holds a worker now
        during = []
        while thread.is_alive() and len(during) < 2000:
            during.append(timed(url, SMALL))
        thread.join()
        print(
            f"normal {normal * 1000:.1f} ms; during the runaway: median "
            f"{statistics.median(during) * 1000:.1f} ms of {len(during)} queries"
        )

        answer = result["answer"]
        assert answer.status_code == 503
        body = answer.json()
        assert "limit of 2 s" in body["error"] and "LIMIT" in body["hint"]
        assert 2.0 <= result["seconds"] < 3.5, result["seconds"]
        # the other queries kept answering, within twice their normal latency (median)
        assert len(during) >= 5
        assert statistics.median(during) <= 2 * max(normal, 0.005), (normal, during)
        # the worker that ran the runaway is gone, and the pool is whole again
        killed = workers_before - set(pool.pids())
        assert len(killed) == 1
        with pytest.raises(ProcessLookupError):
            os.kill(killed.pop(), 0)
        deadline = time.monotonic() + 20
        while len(pool.pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(pool.pids()) == 2
        assert timed(url, SMALL) < 5


def test_a_query_that_needs_too_much_memory_is_stopped(make_app):
    # sorting the 2.16e8 rows of a cartesian product needs gigabytes; the worker may use 512 MiB
    app = make_app(sparql_timeout=60, sparql_workers=1, sparql_worker_max_bytes=512 << 20)
    client = app.test_client()
    hungry = RUNAWAY.replace("(COUNT(*) AS ?n)", "?a ?d ?g").replace("}", "} ORDER BY ?c ?f ?i")
    start = time.perf_counter()
    answer = client.get("/sparql", query_string={"query": hungry}, headers=JSON)
    assert answer.status_code == 500
    body = answer.get_json()
    assert "more memory than a query worker may use (512 MiB)" in body["error"]
    assert "LOD_SPARQL_WORKER_MAX_BYTES" in body["hint"]
    assert time.perf_counter() - start < 30  # stopped by the memory limit, not the time limit
    small = client.get("/sparql", query_string={"query": SMALL}, headers=JSON)
    assert small.status_code == 200  # a new worker took its place
    assert len(small.get_json()["results"]["bindings"]) == 50


def test_worker_memory_limit_settings():
    from lod.sparql.engine import worker_max_bytes

    assert worker_max_bytes(-1, 2) == 0  # no limit
    assert worker_max_bytes(1 << 30, 2) == 1 << 30
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    workers = max(2, os.cpu_count() or 1)
    assert worker_max_bytes(0, 2) == total // (workers + 1)


def _in_threads(client, queries: list[tuple]) -> list:
    """Send (client address, query[, X-Forwarded-For]) requests at once, each 0.2 s after the
    one before; the responses in order."""
    answers: list = [None] * len(queries)

    def send(i, address, query, forwarded_for=None):
        answers[i] = client.get(
            "/sparql",
            query_string={"query": query},
            headers={**JSON, "X-Forwarded-For": forwarded_for} if forwarded_for else JSON,
            environ_base={"REMOTE_ADDR": address},
        )

    threads = [threading.Thread(target=send, args=(i, *pair)) for i, pair in enumerate(queries)]
    for t in threads:
        t.start()
        time.sleep(0.2)
    for t in threads:
        t.join()
    return answers


def test_per_client_limit_answers_429_with_retry_after(make_app):
    app = make_app(sparql_timeout=2, sparql_workers=2, sparql_max_per_client=1)
    first, second, other = _in_threads(
        app.test_client(),
        [("10.0.0.1", RUNAWAY), ("10.0.0.1", SMALL), ("10.0.0.2", SMALL)],
    )
    assert first.status_code == 503  # the runaway, stopped at the limit
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) > 0
    assert "Retry-After" in second.headers["Access-Control-Expose-Headers"]
    assert "1 queries at once" in second.get_json()["error"]
    assert other.status_code == 200  # another client is not held back


@pytest.mark.parametrize("hops", [0, 1])
def test_per_client_limit_behind_a_reverse_proxy(make_app, hops):
    app = make_app(  # no cache: a cached answer takes no slot
        sparql_timeout=2,
        sparql_workers=2,
        sparql_max_per_client=1,
        sparql_cache_bytes=0,
        trusted_proxies=hops,
    )
    proxy = "127.0.0.1"  # every request comes through it, saying who the client is
    runaway, other, same = _in_threads(
        app.test_client(),
        [
            (proxy, RUNAWAY, "203.0.113.5"),
            (proxy, SMALL, "198.51.100.7"),
            (proxy, SMALL, "203.0.113.5"),
        ],
    )
    assert runaway.status_code == 503
    assert same.status_code == 429  # the first client again
    # a trusted proxy tells the clients apart; an untrusted X-Forwarded-For is ignored (it
    # could be forged), so every client is the proxy
    assert other.status_code == (200 if hops else 429)


def test_total_limit_answers_503_with_retry_after(make_app):
    app = make_app(
        sparql_timeout=2, sparql_workers=2, sparql_max_per_client=5, sparql_max_concurrent=2
    )
    answers = _in_threads(
        app.test_client(),
        [("10.0.0.1", RUNAWAY), ("10.0.0.2", RUNAWAY), ("10.0.0.3", SMALL)],
    )
    assert [a.status_code for a in answers[:2]] == [503, 503]
    busy = answers[2]
    assert busy.status_code == 503
    assert int(busy.headers["Retry-After"]) > 0
    assert "2 queries at once" in busy.get_json()["error"]
    assert "limit of 2 s" in answers[0].get_json()["error"]  # timeouts say so, busy says busy


def test_request_size_limits(make_app):
    client = make_app(sparql_max_request_bytes=1000).test_client()
    padding = "#" + "x" * 1200 + "\n"
    big = client.post(
        "/sparql",
        data=(padding + "ASK {}").encode(),
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert big.status_code == 413
    assert "limit is 1000" in big.get_json()["error"]
    form = client.post("/sparql", data={"query": padding + "ASK {}"}, headers=JSON)
    assert form.status_code == 413
    url = client.get("/sparql", query_string={"query": padding + "ASK {}"}, headers=JSON)
    assert url.status_code == 414
    small = client.post(
        "/sparql",
        data=b"ASK {}",
        headers={"Content-Type": "application/sparql-query", **JSON},
    )
    assert small.status_code == 200 and small.get_json()["boolean"] is True


def test_results_are_cut_at_max_rows_and_say_so(make_app):
    client = make_app(sparql_max_rows=7).test_client()
    select = "SELECT ?s WHERE { ?s ?p ?o }"
    for accept, count in [
        ("application/sparql-results+json", lambda r: len(r.get_json()["results"]["bindings"])),
        ("text/csv", lambda r: len(r.data.decode().splitlines()) - 1),
        ("text/tab-separated-values", lambda r: len(r.data.decode().splitlines()) - 1),
        ("application/sparql-results+xml", lambda r: r.data.count(b"<result>")),
    ]:
        cut = client.get("/sparql", query_string={"query": select}, headers={"Accept": accept})
        assert cut.status_code == 200
        assert cut.headers["X-SPARQL-MaxRows"] == "7"
        assert "X-SPARQL-MaxRows" in cut.headers["Access-Control-Expose-Headers"]
        assert count(cut) == 7, accept
    construct = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert len(construct.data.decode().splitlines()) == 7
    assert construct.headers["X-SPARQL-MaxRows"] == "7"
    whole = client.get(
        "/sparql", query_string={"query": select + " LIMIT 7"}, headers=JSON
    )  # exactly the limit: nothing was cut
    assert len(whole.get_json()["results"]["bindings"]) == 7
    assert "X-SPARQL-MaxRows" not in whole.headers


def test_workers_switch_to_a_new_checkpoint_after_a_publish(make_app):
    app = make_app(sparql_workers=1)
    client = app.test_client()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def total() -> int:
        answer = client.get("/sparql", query_string={"query": count}, headers=JSON)
        return int(answer.get_json()["results"]["bindings"][0]["n"]["value"])

    assert total() == 600
    store = app.extensions["lod"].store
    store.replace_graphs({GRAPH + "/more": GraphSource(BY_NAME["nt"], data=numbers(10))})
    assert total() == 610  # the same worker, without a restart
    store.replace_graphs({GRAPH: None})
    assert total() == 10


def test_federated_queries_are_refused(make_app):
    client = make_app().test_client()
    for query in (
        "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p ?o .service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ):
        refused = client.get("/sparql", query_string={"query": query}, headers=JSON)
        assert refused.status_code == 400
        assert "SERVICE" in refused.get_json()["error"]
    # the word in a string or an IRI is no call
    fine = client.get(
        "/sparql",
        query_string={"query": 'ASK { FILTER("SERVICE" != "x") }'},
        headers=JSON,
    )
    assert fine.status_code == 200


def test_no_worker_outlives_its_engine(make_app):
    app = make_app(sparql_workers=2, sparql_timeout=2)
    engine = app.extensions["lod.sparql"]
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    assert len(engine.pool.pids()) == 1  # workers start as the load needs them
    busy = _in_threads(client, [("10.0.0.1", RUNAWAY), ("10.0.0.2", "ASK {}")])
    assert [a.status_code for a in busy] == [503, 200]
    deadline = time.monotonic() + 20
    while len(engine.pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = engine.pool.pids()
    assert len(pids) == 2  # the second query started a second worker; the killed one replaced
    engine.close()
    for pid in pids:
        assert not _running(pid)


class SlowStore:
    """A stand-in for a remote store whose query takes too long."""

    def query(self, sparql, **kwargs):
        time.sleep(3)
        raise AssertionError("never answered")


def test_other_stores_get_the_time_limit_too(tmp_path):
    engine = engine_for(make_settings(tmp_path, sparql_timeout=1), SlowStore())
    start = time.perf_counter()
    with pytest.raises(QueryTimedOut, match="limit of 1 s"):
        engine.run(QueryRequest("ASK {}", results=BY_NAME["json"], rdf=BY_NAME["ttl"]))
    assert time.perf_counter() - start < 2
    engine.close()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path("/proc").glob("[0-9]*"):
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(task.name))
    return found


def test_lod_serve_runs_queries_in_workers_and_stops_them(tmp_path):
    env = {
        **os.environ,
        "LOD_HOME": str(tmp_path / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp_path / "none.toml"),
        "LOD_SPARQL_WORKERS": "2",
        "LOD_SPARQL_TIMEOUT": "2",
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "lod", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = ask(url, "ASK {}")
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        # the store is empty: the runaway is a product of VALUES blocks (300^4 rows)
        runaway = (
            "SELECT (COUNT(*) AS ?n) { "
            + " ".join(
                f"VALUES ?v{i} {{ {' '.join(str(n) for n in range(300))} }}" for i in range(4)
            )
            + " }"
        )
        start = time.perf_counter()
        stopped = ask(url, runaway)
        assert stopped.status_code == 503 and 2 <= time.perf_counter() - start < 4
        deadline = time.monotonic() + 20
        while not _children(server.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _children(server.pid)
        assert workers  # the killed worker's replacement
    finally:
        server.terminate()
        server.wait(timeout=20)
    deadline = time.monotonic() + 5
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, workers))


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie waits for PID 1, which may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_large_results_stream_and_both_writers_agree(make_app):
    """Over 1 MB an answer is streamed from the worker; the writer that counts rows and
    Oxigraph's own serializer (no row limit) give the same results."""
    import pyoxigraph as ox

    query = (
        "SELECT ?a ?b ?v WHERE { ?a <http://example.org/value> ?v . "
        "?b <http://example.org/value> ?w FILTER(?w < 60) }"
    )
    counted = make_app(sparql_max_rows=10**6, sparql_workers=1)
    whole = make_app(sparql_max_rows=0, sparql_workers=1)
    for accept, fmt in [
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ]:
        answers = []
        for app in (counted, whole):
            with live_server(app) as url:
                answer = requests.get(
                    url + "/sparql", params={"query": query}, headers={"Accept": accept}, timeout=60
                )
            assert answer.status_code == 200
            assert len(answer.content) > 1024 * 1024
            assert int(answer.headers["Content-Length"]) == len(answer.content)
            answers.append(ox.parse_query_results(answer.content, format=fmt))
        rows = [sorted(tuple(map(str, s)) for s in a) for a in answers]
        assert len(rows[0]) == 600 * 60
        assert rows[0] == rows[1], accept


def test_an_abandoned_answer_frees_its_worker(make_app):
    app = make_app(sparql_max_rows=0, sparql_workers=1)
    pool = app.extensions["lod.sparql"].pool
    query = "SELECT * WHERE { ?a ?p ?v . ?b ?q ?w FILTER(?w < 30) }"
    with live_server(app) as url:
        with requests.get(
            url + "/sparql", params={"query": query}, headers=JSON, stream=True, timeout=60
        ) as answer:
            assert answer.status_code == 200
            next(answer.iter_content(1024))  # read a little, then hang up
        assert timed(url, "ASK {}") < 10  # the one worker is free again
        assert len(pool.pids()) == 1


def test_a_browser_sees_the_limit_beside_its_query(make_app):
    client = make_app(sparql_timeout=1).test_client()
    page = client.get(
        "/sparql",
        query_string={"query": RUNAWAY},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.status_code == 503
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.data.decode()
    assert "limit of 1 s" in html and "COUNT(*) AS ?n" in html


def test_no_time_limit_when_the_timeout_is_zero(make_app):
    client = make_app(sparql_timeout=0, sparql_workers=1).test_client()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c < 300) }"
    answer = client.get("/sparql", query_string={"query": count}, headers=JSON)
    assert answer.status_code == 200
    assert answer.get_json()["results"]["bindings"][0]["n"]["value"] == str(300 * 600)


class Forwarding:
    """Any store that is not the embedded one (here: the embedded one behind a proxy)."""

    def __init__(self, store):
        self.inner = store

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_other_stores_answer_through_their_own_query(tmp_path):
    from lod.app import create_app
    from lod.sparql.engine import StoreEngine
    from lod.store import open_store

    settings = make_settings(tmp_path)
    inner = open_store(settings)
    inner.replace_graphs({GRAPH: GraphSource(BY_NAME["nt"], data=numbers(10))})
    app = create_app(settings, Forwarding(inner))
    assert isinstance(app.extensions["lod.sparql"], StoreEngine)
    client = app.test_client()
    count = client.get(
        "/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, headers=JSON
    )
    assert count.get_json()["results"]["bindings"][0]["n"]["value"] == "10"
    graph = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/n-triples"},
    )
    assert len(graph.data.splitlines()) == 10
    bad = client.get("/sparql", query_string={"query": "SELECT * {"}, headers=JSON)
    assert bad.status_code == 400 and "syntax" in bad.get_json()["error"]
    app.extensions["lod.sparql"].close()


def test_a_long_query_runs_at_low_priority_and_gets_it_back(monkeypatch):
    from lod.sparql import worker

    calls = []
    monkeypatch.setattr(worker, "DEMOTE_AFTER", 0.01)
    monkeypatch.setattr(worker.os, "setpriority", lambda *args: calls.append(args[2]))
    demoter = worker.Demoter()
    demoter.begin()  # a query starts, and runs on
    deadline = time.monotonic() + 10
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == [worker.LOWEST_PRIORITY]
    assert demoter.end() is True
    assert calls == [worker.LOWEST_PRIORITY, 0]


def test_a_worker_that_cannot_get_its_priority_back_retires(monkeypatch):
    from lod.sparql import worker

    def refuse(*args):
        raise PermissionError("raising priority needs CAP_SYS_NICE")

    demoter = worker.Demoter()
    demoter.begin()
    demoter.demoted = True  # as the watcher leaves it after DEMOTE_AFTER
    monkeypatch.setattr(worker.os, "setpriority", refuse)
    assert demoter.end() is False  # main() then marks its answer "retire" and ends


def test_a_retiring_worker_is_not_reused():
    from lod.sparql.pool import Answer

    released = []

    class Pool:
        timeout = 1.0

        def _release(self, worker, reusable):
            released.append(reusable)

    Answer(Pool(), None, {"ok": True, "size": 0, "retire": True})._finish(reusable=True)
    Answer(Pool(), None, {"ok": True, "size": 0})._finish(reusable=True)
    assert released == [False, True]
