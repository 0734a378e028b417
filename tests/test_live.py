"""The real thing: `lod serve` in one process, `lod ingest` in another, clients over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests
from SPARQLWrapper import JSON, SPARQLWrapper

from lod.settings import load_settings
from lod.store import open_store

from .conftest import BASE, DATA
from .live import lod_serve
from .test_validation import VALID, record_without

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
pytestmark = pytest.mark.slow


@pytest.fixture
def live(tmp_path):
    env = {
        **os.environ,
        "LOD_HOME": str(tmp_path / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp_path / "none.toml"),
    }
    with lod_serve(env, tmp_path / "serve.log", timeout=30) as url:
        yield url, env


def lod(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lod", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_ingest_while_serving_appears_without_restart(live, tmp_path):
    url, env = live
    assert requests.get(url + "/catalog").json()["datová_sada"] == []
    done = lod(env, "ingest", str(TABLE), "--id", "rozpocet", "--meta", str(VALID))
    assert done.returncode == 0, done.stderr
    assert "published https://data.example.cz/datasets/rozpocet" in done.stdout
    catalog = requests.get(url + "/catalog").json()
    assert catalog["datová_sada"] == [f"{BASE}/datasets/rozpocet"]
    record = requests.get(url + "/datasets/rozpocet", headers={"Accept": "application/ld+json"})
    assert record.status_code == 200 and record.json()["iri"] == f"{BASE}/datasets/rozpocet"
    csv = requests.get(url + "/datasets/rozpocet/data.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "Činnost místní správy" in csv.content.decode("utf-8")

    # a refused record: exit 1, one line per problem, the catalogue byte-identical
    before = requests.get(url + "/catalog").content
    refused = lod(
        env,
        "ingest",
        str(TABLE),
        "--id",
        "dalsi",
        "--meta",
        str(record_without(tmp_path, "periodicita_aktualizace")),
    )
    assert refused.returncode == 1
    assert "periodicita_aktualizace (dct:accrualPeriodicity)" in refused.stderr
    assert requests.get(url + "/catalog").content == before


def test_sparql_over_http_equals_the_store(live):
    url, env = live
    assert lod(env, "ingest", str(TABLE), "--id", "rozpocet", "--meta", str(VALID)).returncode == 0
    query = (
        "SELECT ?row ?value WHERE { ?row <https://data.example.cz/datasets/rozpocet/columns/"
        "vysledek_od_pocatku_roku> ?value } ORDER BY ?row"
    )
    client = SPARQLWrapper(url + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    over_http = [
        {k: v["value"] for k, v in b.items()}
        for b in client.query().convert()["results"]["bindings"]
    ]
    settings = load_settings(env=env)
    store = open_store(settings)  # a reader in this process, beside the server
    direct = [{k: str(v) for k, v in row.items()} for row in store.query(query).rows()]
    assert over_http == direct
    assert len(direct) == 5


def test_nkod_would_keep_everything_we_publish(live):
    url, env = live
    assert lod(env, "ingest", str(TABLE), "--id", "rozpocet", "--meta", str(VALID)).returncode == 0
    check = lod(env, "check-harvest", f"{BASE}/catalog", "--map", f"{BASE}={url}")
    assert check.returncode == 0, check.stdout
    assert f"kept     {BASE}/datasets/rozpocet" in check.stdout
    assert "1 of 1 datasets would be kept by NKOD" in check.stdout
