"""With a remote store the web tier is stateless: `lod serve` runs granian with several web
processes, and each serves the catalogue and the datasets from the same Virtuoso."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from lod.cli import main
from lod.publish import ingest
from lod.serving import check_workers
from lod.settings import load_settings
from lod.store import open_store

from .conftest import DATA
from .test_validation import VALID
from .virtuoso import empty, free_port

pytestmark = pytest.mark.slow
BASE = "https://data.example.cz"


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_two_web_processes_serve_from_virtuoso(virtuoso, tmp_path):
    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE, **virtuoso}
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    empty(settings)
    store = open_store(settings)
    ingest(store, settings, DATA / "tables" / "rozpocet-cp1250.csv", "rozpocet", VALID)
    store.close()

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lod", "serve", "--port", str(port), "--workers", "2"],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("LOD_")}, **env},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                if requests.get(url + "/catalog", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "lod serve did not answer in 60 s"
            time.sleep(0.2)
        deadline = time.monotonic() + 30
        while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        workers = children(proc.pid)
        assert len(workers) == 2  # granian's main process and its two web processes
        for _ in range(6):  # spread over both workers
            catalog = requests.get(url + "/catalog", headers={"Accept": "application/ld+json"})
            assert catalog.status_code == 200
            assert catalog.json()["datová_sada"] == [f"{BASE}/datasets/rozpocet"]
            dataset = requests.get(url + "/datasets/rozpocet", headers={"Accept": "text/turtle"})
            assert dataset.status_code == 200
            assert f"<{BASE}/datasets/rozpocet>".encode() in dataset.content
        data = requests.get(url + "/datasets/rozpocet/data.nt")
        assert data.status_code == 200 and data.content.count(b"\n") > 10
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert "2 web processes (granian)" in output
    assert "Spawning worker-2" in output
    logged = [json.loads(line) for line in output.splitlines() if line.startswith('{"time"')]
    assert len(logged) >= 13 and {r["pid"] for r in logged} <= set(workers)


def test_the_embedded_store_is_served_by_one_process_unless_asked(tmp_path):
    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE}
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    assert check_workers(settings, 0) == 1  # waitress
    assert check_workers(settings, 2) == 2  # granian: tests/test_serve_workers.py
    result = CliRunner().invoke(main, ["serve", "--workers", "-1"], env=env)
    assert result.exit_code == 2
    assert "--workers -1: expected 0 (choose) or more" in result.output


def test_access_log_is_one_json_object_per_request(client, caplog):
    with caplog.at_level("INFO", logger="lod.access"):
        client.get("/catalog?page=1", headers={"Accept": "text/turtle", "User-Agent": "nkod/0.0.1"})
    (record,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lod.access"]
    assert record["method"] == "GET" and record["path"] == "/catalog"
    assert record["query"] == "page=1" and record["status"] == 200
    assert record["agent"] == "nkod/0.0.1" and record["accept"] == "text/turtle"
    assert record["ms"] >= 0 and record["pid"] > 0


def test_access_log_reads_paths_and_queries_as_utf8(client, caplog):
    with caplog.at_level("INFO", logger="lod.access"):
        client.get("/datasets/léky?q=Hradec Králové")
    (record,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "lod.access"]
    assert record["path"] == "/datasets/léky" and record["status"] == 404
    assert record["query"] == "q=Hradec Králové"  # raw UTF-8 bytes in the query string
