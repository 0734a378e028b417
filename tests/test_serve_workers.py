"""`lod serve --workers 2` on the embedded store: two granian web processes read the same
checkpoints, each with its own SPARQL worker pool; a `lod ingest` from another process shows in
both, writes over HTTP stay one at a time, and stopping the server leaves no process behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from lod.settings import load_settings
from lod.sparql.limits import share
from lod.tokens import Tokens

from .conftest import BASE, DATA
from .live import lod_serve
from .test_validation import VALID
from .test_web_processes import children

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
RECORD = f"{BASE}/datasets/rozpocet"
pytestmark = pytest.mark.slow


def lod(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lod", *args], env=env, capture_output=True, text=True, timeout=120
    )


def logged(log: Path) -> list[dict]:
    lines = log.read_text(errors="replace").splitlines()
    return [json.loads(line) for line in lines if line.startswith('{"time"')]


def booted(log: Path) -> set[int]:
    text = log.read_text(errors="replace")
    return {int(line.rsplit(" ", 1)[1]) for line in text.splitlines() if "Spawning worker" in line}


def from_both(url: str, log: Path, path: str, check, **kwargs) -> None:
    """GET ``path`` on fresh connections, many at once, until both web processes answered it;
    ``check`` every answer."""
    seen: set[int] = set()
    start = len(logged(log))

    def get(_):
        response = requests.get(url + path, timeout=30, **kwargs)
        check(response)

    with ThreadPoolExecutor(4) as pool:  # within one process's share of the limits
        for _ in range(10):
            list(pool.map(get, range(16)))
            time.sleep(0.2)  # the access log is written after the answer
            seen = {r["pid"] for r in logged(log)[start:] if r["path"] == path.split("?")[0]}
            if len(seen) >= 2:
                break
    assert seen == booted(log) and len(seen) == 2, (path, seen)


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_two_web_processes_serve_the_embedded_store(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("LOD_")},
        "LOD_HOME": str(tmp_path / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp_path / "none.toml"),
        # 4 queries per client and 6 in all for each of the two web processes
        "LOD_SPARQL_MAX_PER_CLIENT": "8",
        "LOD_SPARQL_MAX_CONCURRENT": "12",
    }
    assert lod(env, "ingest", str(TABLE), "--id", "rozpocet", "--meta", str(VALID)).returncode == 0
    token = Tokens(Path(env["LOD_HOME"])).create("steward")
    log = tmp_path / "serve.log"
    with lod_serve(env, log, "--workers", "2", timeout=60) as url:
        deadline = time.monotonic() + 30
        while len(booted(log)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        web = booted(log)
        assert len(web) == 2

        def catalog_lists(*ids):
            def check(response):
                assert response.status_code == 200
                listed = response.json()["datová_sada"]
                assert listed == [f"{BASE}/datasets/{i}" for i in ids]

            return check

        def record(response):
            assert response.status_code == 200 and f"<{RECORD}>".encode() in response.content

        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{RECORD}/data> {{ ?s ?p ?o }} }}"

        def counted(response):
            assert response.status_code == 200
            assert int(response.json()["results"]["bindings"][0]["n"]["value"]) > 10

        json_ld = {"Accept": "application/ld+json"}
        from_both(url, log, "/catalog", catalog_lists("rozpocet"), headers=json_ld)
        from_both(url, log, "/datasets/rozpocet", record, headers={"Accept": "text/turtle"})
        from_both(url, log, "/sparql", counted, params={"query": count, "format": "json"})
        # each web process has its own SPARQL workers: children of the web processes
        query_workers = {pid for w in web for pid in children(w)}
        assert query_workers

        # a publish from another process: both web processes see it afterwards
        done = lod(env, "ingest", str(TABLE), "--id", "druha", "--meta", str(VALID))
        assert done.returncode == 0, done.stderr
        from_both(url, log, "/catalog", catalog_lists("druha", "rozpocet"), headers=json_ld)

        # writes over HTTP, many at once through both processes: one writer at a time under
        # the store's lock, every one applied
        def insert(n: int) -> int:
            update = f"INSERT DATA {{ GRAPH <urn:test:g{n}> {{ <urn:test:s> <urn:test:p> {n} }} }}"
            response = requests.post(
                url + "/sparql/update",
                data={"update": update},
                headers={"Authorization": f"Bearer {token}"},
                timeout=60,
            )
            return response.status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(insert, range(24)))
        assert set(statuses) <= {200, 204}, statuses
        writers = {r["pid"] for r in logged(log) if r["path"] == "/sparql/update"}
        assert writers <= web
        inserted = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { <urn:test:s> <urn:test:p> ?o } }"

        def all_inserted(response):
            assert response.status_code == 200
            assert response.json()["results"]["bindings"][0]["n"]["value"] == "24"

        from_both(url, log, "/sparql", all_inserted, params={"query": inserted, "format": "json"})
        query_workers |= {pid for w in web for pid in children(w)}
    # stopped: no web process and no query worker is left
    deadline = time.monotonic() + 15
    while any(alive(p) for p in web | query_workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in web | query_workers if alive(p)]
    assert "2 web processes (granian)" in log.read_text()


def test_the_limits_are_shared_among_the_web_processes(tmp_path):
    env = {
        "LOD_HOME": str(tmp_path),
        "LOD_SPARQL_WORKERS": "4",
        "LOD_SPARQL_MAX_PER_CLIENT": "3",
        "LOD_SPARQL_MAX_CONCURRENT": "1",
    }
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    one = share(settings, 1)
    assert one is settings
    two = share(settings, 2)
    assert (two.sparql_workers, two.sparql_max_per_client, two.sparql_max_concurrent) == (2, 1, 1)
    unlimited = load_settings(
        env={"LOD_HOME": str(tmp_path), "LOD_SPARQL_MAX_PER_CLIENT": "0"},
        config_file=tmp_path / "none.toml",
    )
    assert share(unlimited, 2).sparql_max_per_client == 0
    # by default the CPUs, and at least two in each process (one long query holds up no other)
    assert share(unlimited, 2).sparql_workers == max(2, (os.cpu_count() or 1) // 2)
