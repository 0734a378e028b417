"""The remote store on a real Virtuoso: chunked staging, retries, failures midway, paging past
ResultSetMaxRows, authentication, the adapter's choice. (The protocol tests shared with the
embedded store are in test_store.py, test_ingest.py, test_web.py, run on both.)"""

from __future__ import annotations

import io
import threading

import pytest
import requests

from lod.errors import LodError
from lod.formats import BY_NAME
from lod.settings import load_settings
from lod.store import GraphSource, open_store
from lod.store import remote as remote_mod
from lod.store.remote import STAGING, RemoteStore, RemoteStoreError, query_form

from .conftest import BASE
from .virtuoso import GIVEN, TEST_MAX_ROWS, empty

NT = BY_NAME["nt"]
G = "https://data.example.cz/datasets/big/data"


def lines(n: int, value: str = "v", start: int = 0) -> bytes:
    return "".join(
        f'<https://data.example.cz/r/{i}> <https://data.example.cz/p> "{value}{i}" .\n'
        for i in range(start, start + n)
    ).encode()


def count(store, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows())
    return int(rows[0]["n"])


def staging(store: RemoteStore) -> list[str]:
    return [g for g in store._graphs() if g.startswith(STAGING)]


@pytest.fixture
def remote_settings(virtuoso, tmp_path):
    settings = load_settings(
        env={"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE, **virtuoso},
        config_file=tmp_path / "none.toml",
    )
    empty(settings)
    return settings


@pytest.fixture
def remote(remote_settings, monkeypatch):
    monkeypatch.setattr(remote_mod, "BACKOFF_S", 0.01)
    store = open_store(remote_settings)
    assert isinstance(store, RemoteStore)
    yield store
    store.close()


def test_query_form_is_found_past_prologue_comments_and_strings():
    assert query_form("PREFIX a: <http://x/#SELECT>\n# ASK\nCONSTRUCT WHERE { ?s ?p ?o }") == (
        "CONSTRUCT"
    )
    assert query_form("BASE <http://b/> describe <x>") == "DESCRIBE"
    assert query_form('SELECT ("ASK" AS ?x) {}') == "SELECT"


def test_the_adapter_is_chosen_by_the_server_header(remote_settings):
    values = dict(remote_settings.values, store_kind="")
    store = RemoteStore(type(remote_settings)(values))
    assert store.server.name == "virtuoso"
    assert store.gsp.endswith("/sparql-graph-crud-auth")


def test_a_big_graph_goes_in_bounded_chunks_and_is_switched_at_once(remote, monkeypatch):
    monkeypatch.setattr(remote_mod, "CHUNK_BYTES", 20_000)
    remote.replace_graphs({G: GraphSource(NT, data=lines(1000, "old"))})
    puts = []
    original = remote._put

    def put(graph, data):
        puts.append(len(data))
        assert count(remote, G) == 1000  # readers still see the previous version
        original(graph, data)

    monkeypatch.setattr(remote, "_put", put)
    parts = [lines(100, "new", i) for i in range(0, 2000, 100)]  # 7 KB each, as a table's
    remote.replace_graphs({G: GraphSource(NT, chunks=iter(parts))})
    assert len(puts) > 1 and max(puts) < 30_000
    assert count(remote, G) == 2000
    assert remote.query(f'ASK {{ GRAPH <{G}> {{ ?s ?p "old5" }} }}').boolean is False
    assert staging(remote) == []
    assert remote.named_graphs() == [G]


def test_a_failing_stream_leaves_the_previous_version_and_no_staging(remote):
    remote.replace_graphs({G: GraphSource(NT, data=lines(10, "old"))})

    def chunks():
        yield lines(5, "new")
        raise RuntimeError("the table broke at row 6")

    with pytest.raises(RuntimeError):
        remote.replace_graphs({G: GraphSource(NT, chunks=chunks())})
    assert count(remote, G) == 10
    assert remote.query(f'ASK {{ GRAPH <{G}> {{ ?s ?p "old3" }} }}').boolean
    assert staging(remote) == []


class Flaky:
    """The store's HTTP session, failing some requests the way a dropped connection does."""

    def __init__(self, session, fail):
        self.session, self.fail, self.calls = session, fail, []

    def request(self, method, url, **kwargs):
        self.calls.append(method)
        if self.fail(method, self.calls):
            raise requests.ConnectionError("connection reset by peer (injected)")
        return self.session.request(method, url, **kwargs)

    def __getattr__(self, name):
        return getattr(self.session, name)


def test_a_lost_connection_is_retried(remote):
    remote.http.session = Flaky(
        remote.http.session, lambda m, calls: m == "PUT" and calls.count("PUT") <= 2
    )
    remote.replace_graphs({G: GraphSource(NT, data=lines(10))})
    assert remote.http.session.calls.count("PUT") == 3  # two attempts lost, the third went
    assert count(remote, G) == 10


def test_the_connection_dying_midway_leaves_the_previous_version(
    remote, remote_settings, monkeypatch
):
    """Virtuoso's connection killed in the middle of a publish: the previous version is
    served, and the staging graphs go (now, or with the next write if the server is gone)."""
    monkeypatch.setattr(remote_mod, "CHUNK_BYTES", 2_000)
    remote.replace_graphs({G: GraphSource(NT, data=lines(100, "old"))})
    first_put = []

    def dead_after_first_put(method, calls):
        if method == "PUT" and not first_put:
            first_put.append(len(calls))
            return False
        return bool(first_put) and method in ("PUT", "POST")

    remote.http.session = Flaky(remote.http.session, dead_after_first_put)
    with pytest.raises(RemoteStoreError) as info:
        remote.replace_graphs({G: GraphSource(NT, data=lines(200, "new"))})
    assert "injected" in str(info.value)
    reader = open_store(remote_settings)
    assert count(reader, G) == 100
    assert reader.query(f'ASK {{ GRAPH <{G}> {{ ?s ?p "new1" }} }}').boolean is False
    assert len(staging(reader)) == 1  # the server was unreachable: nobody could drop it
    # the next write drops what a dead writer left behind
    monkeypatch.setattr(remote_mod, "STALE_STAGING_S", 0)
    reader.replace_graphs({"https://data.example.cz/other": GraphSource(NT, data=lines(1))})
    assert staging(reader) == []
    assert count(reader, G) == 100


def test_a_lost_answer_to_the_switch_is_not_applied_twice(remote):
    remote.replace_graphs({G: GraphSource(NT, data=lines(10, "old"))})
    session = remote.http.session

    class AnswerLost(Flaky):
        def request(self, method, url, **kwargs):
            answer = self.session.request(method, url, **kwargs)
            data = kwargs.get("data")
            if isinstance(data, dict) and "MOVE" in data.get("update", "") and not self.calls:
                self.calls.append("lost")
                raise requests.ConnectionError("answer lost (injected)")
            return answer

    remote.http.session = AnswerLost(session, None)
    remote.replace_graphs({G: GraphSource(NT, data=lines(20, "new"))})
    assert remote.http.session.calls == ["lost"]
    assert count(remote, G) == 20
    assert staging(remote) == []


def test_dump_pages_past_result_set_max_rows(remote):
    n = TEST_MAX_ROWS + 500  # two pages at the server's limit
    remote.replace_graphs({G: GraphSource(NT, data=lines(n))})
    out = io.BytesIO()
    remote.dump(out, NT, graph=G)
    assert out.getvalue().count(b"\n") == n
    assert len(set(out.getvalue().splitlines())) == n
    result = remote.query(f"SELECT ?s WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    rows = len(list(result.rows()))
    assert result.truncated == (rows < n)  # the server's limit is said by the result
    if not GIVEN:  # the instance started here has Debian's limit
        assert rows == TEST_MAX_ROWS


def test_wrong_credentials_say_what_to_check(remote_settings):
    values = dict(remote_settings.values, store_password="wrong")
    store = RemoteStore(type(remote_settings)(values))
    with pytest.raises(LodError) as info:
        store.replace_graphs({G: GraphSource(NT, data=lines(1))})
    assert "401" in str(info.value) and "LOD_STORE_PASSWORD" in str(info.value)


def test_generic_adapter_speaks_only_the_standards(remote_settings):
    values = dict(remote_settings.values, store_kind="generic", store_gsp="")
    values["store_gsp"] = remote_settings.store.replace("/sparql", "/sparql-graph-crud-auth")
    store = RemoteStore(type(remote_settings)(values))
    store.replace_graphs({G: GraphSource(NT, data=lines(5))})
    out = io.BytesIO()
    store.dump(out, NT, graph=G)
    assert out.getvalue().count(b"\n") == 5
    assert G in store.named_graphs()


def test_concurrent_readers_never_see_half_a_publish(remote, remote_settings):
    remote.replace_graphs({G: GraphSource(NT, data=lines(500, "a"))})
    seen, stop = set(), threading.Event()

    def read():
        reader = open_store(remote_settings)
        while not stop.is_set():
            seen.add(count(reader, G))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for i in range(3):
            remote.replace_graphs({G: GraphSource(NT, data=lines(500 + 100 * (i + 1), "b"))})
    finally:
        stop.set()
        thread.join()
    assert seen <= {500, 600, 700, 800}


def test_health_says_the_store_answers_and_what_it_holds(client, store, store_kind):
    store.replace_graphs({G: GraphSource(NT, data=lines(7))})
    answer = client.get("/health")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "ok"
    assert body["store"]["kind"] == ("remote" if store_kind == "virtuoso" else "embedded")
    assert body["store"]["reachable"] is True
    assert (body["store"]["graphs"], body["store"]["triples"]) == (1, 7)


def test_health_is_503_when_the_store_is_down(tmp_path, monkeypatch):
    from lod.app import create_app

    from .virtuoso import free_port

    settings = load_settings(
        env={
            "LOD_HOME": str(tmp_path / "home"),
            "LOD_BASE_URL": BASE,
            "LOD_STORE": f"http://127.0.0.1:{free_port()}/sparql",
            "LOD_STORE_KIND": "generic",
        },
        config_file=tmp_path / "none.toml",
    )
    app = create_app(settings)
    monkeypatch.setattr(remote_mod, "BACKOFF_S", 0.0)
    answer = app.test_client().get("/health")
    assert answer.status_code == 503
    assert answer.get_json()["store"]["reachable"] is False


@pytest.mark.embedded_only
def test_a_test_marked_embedded_only_is_not_run_on_virtuoso(store, store_kind):
    assert store_kind == "embedded"
    assert not isinstance(store, RemoteStore)


def test_a_backup_of_the_embedded_store_restores_into_virtuoso(virtuoso, tmp_path):
    from click.testing import CliRunner

    from lod.app import create_app
    from lod.cli import main
    from lod.publish import ingest

    from .conftest import DATA
    from .test_validation import VALID

    def pages(settings):
        client = create_app(settings).test_client()
        catalog = client.get("/catalog", headers={"Accept": "application/ld+json"}).get_json()
        record = client.get("/datasets/rozpocet", headers={"Accept": "application/ld+json"})
        with client.get("/datasets/rozpocet/data.csv") as csv:
            assert record.status_code == csv.status_code == 200
            return catalog, record.get_json(), csv.data

    embedded_env = {"LOD_HOME": str(tmp_path / "embedded"), "LOD_BASE_URL": BASE}
    embedded = load_settings(env=embedded_env, config_file=tmp_path / "none.toml")
    store = open_store(embedded)
    ingest(store, embedded, DATA / "tables" / "rozpocet-cp1250.csv", "rozpocet", VALID)
    store.close()
    before = pages(embedded)

    runner = CliRunner()
    file = tmp_path / "lod-backup.tar.gz"
    done = runner.invoke(main, ["backup", str(file)], env=embedded_env)
    assert done.exit_code == 0, done.output
    remote_env = {"LOD_HOME": str(tmp_path / "remote"), "LOD_BASE_URL": BASE, **virtuoso}
    remote = load_settings(env=remote_env, config_file=tmp_path / "none.toml")
    empty(remote)
    done = runner.invoke(main, ["restore", str(file)], env=remote_env)
    assert done.exit_code == 0, done.output
    assert pages(remote) == before

    other = runner.invoke(
        main, ["restore", str(file)], env={**remote_env, "LOD_BASE_URL": "https://elsewhere.cz"}
    )
    assert other.exit_code == 2 and "LOD_BASE_URL" in other.output


@pytest.mark.parametrize(
    "credentials, expected",
    [
        ({"LOD_STORE_TOKEN": "s3cret"}, "Bearer s3cret"),
        ({"LOD_STORE_USER": "lod", "LOD_STORE_PASSWORD": "pw"}, "Basic bG9kOnB3"),
    ],
)
def test_bearer_token_and_basic_auth_are_sent(tmp_path, credentials, expected):
    """A stand-in SPARQL server on loopback that records the Authorization header."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers.get("Authorization"))
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b'{"head": {}, "boolean": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env = {
            "LOD_HOME": str(tmp_path / "home"),
            "LOD_BASE_URL": BASE,
            "LOD_STORE": f"http://127.0.0.1:{server.server_port}/sparql",
            "LOD_STORE_KIND": "generic",
            **credentials,
        }
        store = open_store(load_settings(env=env, config_file=tmp_path / "none.toml"))
        assert store.query("ASK { ?s ?p ?o }").boolean is True
        store.close()
    finally:
        server.shutdown()
        server.server_close()
    assert seen == [expected]
