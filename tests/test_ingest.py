"""lod ingest: a table and a record in; a validated dataset published atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from lod.catalog import catalog as catalog_mod
from lod.errors import BadInput, ValidationFailed
from lod.publish import current_version, delete, ingest, version_dir
from lod.store import open_store

from .conftest import DATA
from .test_validation import VALID, record_without

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"


def data_graph(store, settings, dataset_id):
    return store.graph(f"{settings.base}/datasets/{dataset_id}/data")


def test_czech_windows_1250_decimal_comma_table(store, settings):
    result = ingest(store, settings, TABLE, "rozpocet", VALID)
    assert result.rows == 5
    graph = data_graph(store, settings, "rozpocet")
    col = f"{settings.base}/datasets/rozpocet/columns/"
    values = {str(o) for o in graph.objects(None, None) if isinstance(o, Literal)}
    assert "Činnost místní správy" in values  # Czech characters decoded correctly
    results = set(graph.objects(None, URIRef(col + "vysledek_od_pocatku_roku")))
    assert Literal("110187.82", datatype=XSD.decimal) in results
    assert Literal("1187340.1", datatype=XSD.decimal) in results
    assert {o.datatype for o in results} == {XSD.decimal}
    # the code keeps being a code
    row1 = URIRef(f"{settings.base}/datasets/rozpocet/rows/1")
    assert (row1, URIRef(col + "kod_obce"), None) in graph


def test_published_files_and_schema(store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    folder = version_dir(settings, "rozpocet", current_version(store, settings, "rozpocet"))
    csv_text = (folder / "data.csv").read_bytes().decode("utf-8")
    assert "Činnost místní správy" in csv_text
    schema = json.loads((folder / "data.csv-metadata.json").read_text(encoding="utf-8"))
    assert schema["url"] == f"{settings.base}/datasets/rozpocet/data.csv"
    turtle = rdflib.Graph().parse(folder / "data.ttl", format="turtle")
    ntriples = rdflib.Graph().parse(folder / "data.nt", format="nt")
    assert len(turtle) == len(ntriples) > 0


def test_metadata_graph_holds_the_record_and_publication_facts(store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    graph = catalog_mod.dataset_graph(store, settings, "rozpocet")
    doc = catalog_mod.dataset_json(graph, f"{settings.base}/datasets/rozpocet")
    assert doc["název"]["cs"] == "Rozpočet obce 2016"
    assert len(doc["distribuce"]) == 4
    assert catalog_mod.dataset_iris(store, settings) == [f"{settings.base}/datasets/rozpocet"]


def catalogue_bytes(client):
    return client.get("/catalog", headers={"Accept": "application/ld+json"}).data


def test_refused_record_changes_nothing(app, client, store, settings, tmp_path):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    before = catalogue_bytes(client)
    dataset_before = client.get("/datasets/rozpocet").data
    bad = record_without(tmp_path, "téma")
    with pytest.raises(ValidationFailed):
        ingest(store, settings, TABLE, "rozpocet", bad)
    with pytest.raises(ValidationFailed):
        ingest(store, settings, TABLE, "jina-sada", bad)
    assert catalogue_bytes(client) == before
    assert client.get("/datasets/rozpocet").data == dataset_before
    assert client.get("/datasets/jina-sada").status_code == 404


def test_failed_conversion_leaves_the_previous_version(client, store, settings, tmp_path):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    with client.get("/datasets/rozpocet/data.csv") as response:
        before = response.data
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a spreadsheet")
    with pytest.raises(BadInput):
        ingest(store, settings, broken, "rozpocet", VALID)
    with client.get("/datasets/rozpocet/data.csv") as response:
        assert response.data == before
    versions = [p for p in (settings.home_path / "files" / "rozpocet").iterdir()]
    assert len(versions) == 1  # no half-written version left behind


def test_new_version_replaces_the_old_one(client, store, settings, tmp_path):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    first = current_version(store, settings, "rozpocet")
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("Paragraf;Název\n2212;Silnice\n", encoding="utf-8")
    ingest(store, settings, smaller, "rozpocet", VALID)
    assert current_version(store, settings, "rozpocet") != first
    graph = data_graph(store, settings, "rozpocet")
    rows = set(graph.subjects(URIRef("http://www.w3.org/ns/csvw#rownum"), None))
    assert len(rows) == 1
    with client.get("/datasets/rozpocet/data.csv") as response:
        assert response.data.decode().startswith("Paragraf,")


def test_invalid_id_and_missing_table(store, settings):
    with pytest.raises(BadInput) as info:
        ingest(store, settings, TABLE, "Rozpočet 2016", VALID)
    assert info.value.where == "--id"
    with pytest.raises(BadInput):
        ingest(store, settings, DATA / "nope.csv", "x", VALID)


def test_delete(client, store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    delete(store, settings, "rozpocet")
    assert client.get("/datasets/rozpocet").status_code == 404
    assert catalog_mod.dataset_iris(store, settings) == []


def test_a_table_with_only_a_header_is_published_with_a_warning(store, settings, tmp_path):
    table = tmp_path / "prazdna.csv"
    table.write_text("Kód obce;Název\n", encoding="utf-8")
    result = ingest(store, settings, table, "prazdna", VALID)
    assert result.rows == 0
    assert any(
        "prazdna.csv: the table has no data rows, only a header" in w for w in result.warnings
    )
    full = ingest(store, settings, TABLE, "rozpocet", VALID)
    assert not any("no data rows" in w for w in full.warnings)


def test_the_last_collection_skips_what_ingest_left(tmp_path, settings):
    """`lod ingest` freezes the objects left at exit (lod.cli.skip_last_collection): the
    interpreter's last collection does not walk them; the store is closed and whole before."""
    script = (
        "import atexit, gc, sys\n"
        # registered first, so it runs last: after lod's handler
        "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"
        "from lod.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    env = {
        **os.environ,
        "LOD_HOME": str(settings.home_path),
        "LOD_BASE_URL": settings.base,
        "LOD_CONFIG": str(tmp_path / "none.toml"),
    }
    args = ["ingest", str(TABLE), "--id", "rozpocet", "--meta", str(VALID)]
    proc = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[-1]) > 1000
    store = open_store(settings)
    assert len(data_graph(store, settings, "rozpocet")) > 5 * 8
    assert current_version(store, settings, "rozpocet")
