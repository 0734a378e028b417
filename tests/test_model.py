"""The whole DCAT-AP-CZ 2024-05-28 model: series, metadata-only records, high-value datasets,
codelists checked against the EU tables and IANA, and the 2026 drafts behind a setting."""

from __future__ import annotations

import json

import pytest
import rdflib
import yaml

from lod.errors import BadInput, ValidationFailed
from lod.publish import ingest
from lod.publish_record import publish_record
from lod.settings import load_settings
from lod.validate import dcatap as dcatap_shapes
from lod.validate import schema

from .conftest import BASE, DATA, reference

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
VALID = DATA / "records" / "valid.yaml"
JSONLD = {"Accept": "application/ld+json"}
HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
ELI_2026 = "https://www.e-sbirka.cz/eli/cz/sb/1999/106/2025-08-19"
EU = "http://publications.europa.eu/resource/authority/"


def ofn_example(name: str) -> dict:
    path = reference("dcat-ap-cz", "ofn-2024-05-28", name)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("iri")
    doc.pop("poskytovatel")  # this installation's publisher
    return doc


def valid_record(**changes) -> dict:
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    data.update(changes)
    return data


def refused_at(problems, where: str) -> list:
    return [p for p in problems if p.severity == "error" and where in p.where]


def test_a_series_and_a_dataset_in_it(store, settings, client):
    series = publish_record(store, settings, "rozpocty", ofn_example("example-datova-serie.jsonld"))
    member = ofn_example("example-datova-sada-v-serii.jsonld")
    member["je_součástí"] = series.iri
    member["distribuce"][0].pop("iri")
    member["distribuce"][0]["přístupová_služba"].pop("iri")
    publish_record(store, settings, "rozpocet-2019", member)

    doc = client.get("/datasets/rozpocty", headers=JSONLD).get_json()
    assert doc["typ"] == "Datová série"
    assert schema.validate(doc, "datová-série") == []
    doc = client.get("/datasets/rozpocet-2019", headers=JSONLD).get_json()
    assert doc["je_součástí"] == f"{BASE}/datasets/rozpocty"
    assert doc["distribuce"][0]["iri"] == f"{BASE}/datasets/rozpocet-2019/distributions/1"
    assert schema.validate(doc, "datová-sada") == []
    catalog = client.get("/catalog", headers=JSONLD).get_json()
    assert set(catalog["datová_sada"]) == {
        f"{BASE}/datasets/rozpocty",
        f"{BASE}/datasets/rozpocet-2019",
    }
    for path in ("/datasets/rozpocty.ttl", "/datasets/rozpocet-2019.ttl"):
        graph = rdflib.Graph().parse(data=client.get(path).data, format="turtle")
        assert [p.line() for p in dcatap_shapes.validate(graph) if p.severity == "error"] == []


def test_a_dataset_in_an_unknown_series_is_refused(store, settings):
    member = ofn_example("example-datova-sada-v-serii.jsonld")
    member["je_součástí"] = f"{BASE}/datasets/no-such-series"
    with pytest.raises(ValidationFailed) as info:
        publish_record(store, settings, "rozpocet-2019", member)
    assert refused_at(info.value.problems, "je_součástí (dcat:inSeries)")


def test_a_high_value_dataset_gets_what_the_hvd_schema_wants(store, settings, client):
    record = valid_record(kategorie_hvd=["http://data.europa.eu/bna/c_1e787364"])
    ingest(store, settings, TABLE, "hvd", record_file(record, settings))
    doc = client.get("/datasets/hvd", headers=JSONLD).get_json()
    assert HVD_ELI in doc["právní_předpis"]
    assert schema.validate(doc, "datová-sada-hvd") == []
    assert all(HVD_ELI in d["právní_předpis"] for d in doc["distribuce"])
    service = next(d["přístupová_služba"] for d in doc["distribuce"] if "přístupová_služba" in d)
    assert service["kategorie_hvd"] == ["http://data.europa.eu/bna/c_1e787364"]
    assert (
        service["kontaktní_bod"] and service["dokumentace"] and HVD_ELI in service["právní_předpis"]
    )


def test_a_top_level_hvd_category_is_refused(store, settings):
    record = valid_record(kategorie_hvd=["http://data.europa.eu/bna/c_b79e35eb"])
    with pytest.raises(ValidationFailed) as info:
        ingest(store, settings, TABLE, "hvd", record_file(record, settings))
    found = refused_at(info.value.problems, "kategorie_hvd (dcatap:hvdCategory)")
    assert found and "top-level" in found[0].message and "Mobility" in found[0].message


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"téma": [EU + "data-theme/NOPE"]}, "téma (dcat:theme)"),
        ({"periodicita_aktualizace": EU + "frequency/WHENEVER"}, "periodicita_aktualizace"),
        ({"geografické_území": [EU + "country/XXX"]}, "geografické_území (dct:spatial)"),
    ],
)
def test_codelist_values_outside_the_eu_tables_are_refused(store, settings, changes, where):
    with pytest.raises(ValidationFailed) as info:
        ingest(store, settings, TABLE, "x", record_file(valid_record(**changes), settings))
    assert refused_at(info.value.problems, where), [p.line() for p in info.value.problems]


def test_file_types_and_media_types_of_a_metadata_only_record(store, settings):
    record = valid_record(
        distribuce=[
            {
                "název": "Excel",
                "přístupové_url": "https://www.example.cz/rozpocet.xlsx",
                "soubor_ke_stažení": "https://www.example.cz/rozpocet.xlsx",
                "formát": EU + "file-type/UNKNOWN",
                "typ_média": "http://www.iana.org/assignments/media-types/unknown",
            }
        ]
    )
    with pytest.raises(ValidationFailed) as info:
        publish_record(store, settings, "rozpocet-xlsx", record)
    assert refused_at(info.value.problems, "formát (dct:format)")
    record["distribuce"][0]["formát"] = EU + "file-type/XLSX"
    published = publish_record(store, settings, "rozpocet-xlsx", record)
    warnings = [p for p in published.notes if "typ_média" in p.where]
    assert warnings and warnings[0].severity == "warning" and "IANA" in warnings[0].message


def test_the_2026_drafts_behind_a_setting(tmp_path, store):
    env = {"LOD_HOME": str(tmp_path / "home26"), "LOD_BASE_URL": BASE, "LOD_DRAFT_2026": "true"}
    settings = load_settings(env=env, config_file=tmp_path / "none.toml")
    from lod.app import create_app
    from lod.store import open_store

    store26 = open_store(settings)
    ingest(store26, settings, TABLE, "r", record_file(valid_record(), settings))
    doc = create_app(settings, store26).test_client().get("/datasets/r", headers=JSONLD).get_json()
    assert ELI_2026 in doc["právní_předpis"]
    for dist in doc["distribuce"]:
        assert ELI_2026 in dist["právní_předpis"]
        if "přístupová_služba" in dist:
            assert ELI_2026 in dist["přístupová_služba"]["právní_předpis"]
    store26.close()
    with pytest.raises(BadInput) as info:
        load_settings(env={**env, "LOD_CONTACT_EMAIL": ""}, config_file=tmp_path / "none.toml")
    assert "contact point" in str(info.value)


def record_file(record: dict, settings) -> str:
    path = (
        settings.home_path.parent / f"record-{abs(hash(json.dumps(record, sort_keys=True)))}.yaml"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return path
