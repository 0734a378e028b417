"""lod import-catalog on the Hradec Králové Region's real catalogue (165 records): every record
is published here with the same facts (graph comparison per record, up to the repairs the
import reports), passes the OFN JSON schemas and the DCAT-AP 3 shapes, and the preflight says
what NKOD does with the source catalogue today."""

from __future__ import annotations

import json
import re

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from lod.catalog import ofn
from lod.catalog.catalog import dataset_graph, dataset_json, dataset_summaries
from lod.catalog.importer import import_catalog, mapped_source
from lod.cli import main
from lod.settings import load_settings
from lod.validate import dcatap as dcatap_shapes
from lod.validate import schema

from .conftest import BASE, reference

KHK = "https://open.datakhk.cz/"
JSONLD = {"Accept": "application/ld+json"}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    from lod.store import open_store

    home = tmp_path_factory.mktemp("import")
    settings = load_settings(
        env={"LOD_HOME": str(home / "home"), "LOD_BASE_URL": BASE}, config_file=home / "x.toml"
    )
    store = open_store(settings)
    folder = reference("dcat-ap-cz", "krhk-lkod")
    report = import_catalog(
        store, settings, str(folder / "katalog.jsonld"), mapping={KHK: folder}, offline=True
    )
    yield settings, store, report
    store.close()


def test_every_record_is_imported(imported):
    settings, store, report = imported
    assert report.catalog == KHK + "katalog.jsonld"
    assert len(report.records) == 165
    assert [r.source for r in report.records if r.status != "imported"] == []
    record = next(r for r in report.records if "1adad0a9" in r.source)
    assert record.iri == f"{BASE}/datasets/1adad0a9ee684b23a84c8613f8e5156e"


def test_same_facts_per_record(imported):
    settings, store, report = imported
    for record in report.imported:
        graph = dataset_graph(store, settings, record.dataset_id)
        ours = ofn.to_graph(dataset_json(graph, record.iri))
        assert isomorphic(ours, mapped_source(record)), record.source


def test_only_what_europe_rejects_is_repaired_and_reported(imported):
    _, _, report = imported
    repairs = [p for r in report.imported for p in r.repairs]
    assert len(repairs) == 1024  # 512 distributions: file type UNKNOWN, media type "unknown"
    assert {p.value.rsplit("/", 1)[-1] for p in repairs} == {"UNKNOWN", "unknown"}
    assert all(p.hint and p.where.startswith(f"distribuce {BASE}/datasets/") for p in repairs)


def test_imported_records_pass_the_ofn_schemas_and_the_dcat_ap_3_shapes(imported):
    settings, store, report = imported
    union = rdflib.Graph()
    for record in report.imported:
        graph = dataset_graph(store, settings, record.dataset_id)
        assert schema.validate(dataset_json(graph, record.iri)) == [], record.source
        union += graph
    # one run over all 165 records: the same shapes, several times faster than one by one
    assert [p.line() for p in dcatap_shapes.validate(union) if p.severity == "error"] == []


def test_the_old_iri_is_kept_and_the_catalogue_lists_every_record(imported):
    settings, store, report = imported
    from lod.app import create_app

    client = create_app(settings, store).test_client()
    catalog = client.get("/catalog", headers=JSONLD).get_json()
    assert len(catalog["datová_sada"]) == 165
    turtle = client.get("/datasets/1adad0a9ee684b23a84c8613f8e5156e.ttl").data.decode()
    assert KHK + "1adad0a9ee684b23a84c8613f8e5156e.jsonld" in turtle  # adms:identifier


def test_preflight_says_what_nkod_does_today(imported):
    _, _, report = imported
    verdicts = report.preflight.datasets
    assert len(verdicts) == 165 and all(v.kept for v in verdicts)  # NKOD drops no record
    problems = [p for v in verdicts for p in v.problems]
    formats = [p for p in problems if p.severity == "error" and "formát (dct:format)" in p.where]
    assert len(formats) == 512  # but data.europa.eu would reject 512 distributions' formats
    assert sum("empty keyword" in p.message for p in problems) == 34


def test_import_refuses_records_with_other_errors(tmp_path, settings, store):
    folder = tmp_path / "lkod"
    folder.mkdir()
    source = reference("dcat-ap-cz", "krhk-lkod")
    names = ["1adad0a9ee684b23a84c8613f8e5156e", "0be317969b43455b93d08666cabda783"]
    for n, name in enumerate(names):
        doc = json.loads((source / f"{name}.jsonld").read_text(encoding="utf-8"))
        if n == 1:
            doc["téma"] = ["http://publications.europa.eu/resource/authority/data-theme/NOPE"]
        (folder / f"{name}.jsonld").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    catalog = json.loads((source / "katalog.jsonld").read_text(encoding="utf-8"))
    catalog["datová_sada"] = [KHK + n + ".jsonld" for n in names]
    (folder / "katalog.jsonld").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    env = {"LOD_HOME": str(settings.home_path), "LOD_BASE_URL": BASE, "LOD_CONFIG": "x.toml"}
    store.close()
    result = CliRunner().invoke(
        main,
        ["import-catalog", str(folder / "katalog.jsonld"), "--map", f"{KHK}={folder}", "--offline"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert f"imported    {KHK}{names[0]}.jsonld" in result.output
    assert f"refused     {KHK}{names[1]}.jsonld" in result.output
    assert "téma (dcat:theme)" in result.output
    assert "1 of 2 records imported" in result.output


def test_the_catalogue_page_shows_what_each_record_says(imported):
    """The catalogue page reads its summaries with one query (`dataset_summaries`); they are
    the fields of each record's OFN document the page shows, in the same order."""
    settings, store, report = imported
    summaries = dataset_summaries(store, settings, [r.iri for r in report.imported])
    for record, summary in zip(report.imported, summaries, strict=True):
        full = dataset_json(dataset_graph(store, settings, record.dataset_id), record.iri)
        assert summary["iri"] == record.iri and summary["id"] == record.dataset_id
        for key in ("název", "popis", "téma"):
            assert summary.get(key) == full.get(key), (record.source, key)
        shown = [d["formát"] for d in full.get("distribuce", []) if d.get("formát")]
        assert [d["formát"] for d in summary.get("distribuce", [])] == shown, record.source
    assert sum(len(s.get("distribuce", [])) for s in summaries) == 1460  # formats shown
    elsewhere = "https://data.elsewhere.example/datasets/x"
    assert dataset_summaries(store, settings, [elsewhere]) == [{"iri": elsewhere, "id": None}]


def test_a_catalogue_card_names_each_format_once(imported):
    settings, store, report = imported
    from lod.app import create_app

    client = create_app(settings, store).test_client()
    page = client.get("/catalog", headers={"Accept": "text/html"}).data.decode()
    cards = page.split('<li class="card">')[1:]
    assert len(cards) == 165
    badges = [re.findall(r'<li class="badge">([^<]*)</li>', card) for card in cards]
    assert all(len(b) == len(set(b)) for b in badges)
    summaries = dataset_summaries(store, settings, [r.iri for r in report.imported])
    repeated = [
        s
        for s in summaries
        if len({d["formát"] for d in s.get("distribuce", [])}) < len(s.get("distribuce", []))
    ]
    assert len(repeated) > 100  # most records have several files of one format
