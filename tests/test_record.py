"""Reading a steward's record: OFN keys, JSON or YAML, friendly shorthands, clear errors."""

from __future__ import annotations

import pytest

from lod.catalog.record import dataset_document, load_record, normalize_record
from lod.errors import BadInput


def test_yaml_and_json_records_read_the_same(tmp_path):
    (tmp_path / "r.yaml").write_text(
        "název:\n  cs: Obce\nčasové_pokrytí:\n  začátek: 2024-01-01\n", encoding="utf-8"
    )
    (tmp_path / "r.json").write_text(
        '{"název": {"cs": "Obce"}, "časové_pokrytí": {"začátek": "2024-01-01"}}', encoding="utf-8"
    )
    assert load_record(tmp_path / "r.yaml") == load_record(tmp_path / "r.json")


def test_syntax_errors_are_located(tmp_path):
    (tmp_path / "r.json").write_text('{"název": {"cs": "Obce"},\n "popis": }', encoding="utf-8")
    with pytest.raises(BadInput) as info:
        load_record(tmp_path / "r.json")
    assert info.value.where.endswith("r.json:2:11")


def test_unknown_key_suggests_the_right_one():
    with pytest.raises(BadInput) as info:
        normalize_record({"nazev": {"cs": "x"}})
    assert "'nazev'" in info.value.message
    assert "název" in info.value.hint


def test_shorthands_become_the_ofn_shape():
    record, notes = normalize_record(
        {
            "název": "Obce",
            "klíčové_slovo": ["obce", "kraj"],
            "téma": "http://publications.europa.eu/resource/authority/data-theme/REGI",
            "kontaktní_bod": {"jméno": "Odbor", "e-mail": "a@b.cz"},
        }
    )
    assert record["název"] == {"cs": "Obce"}
    assert record["klíčové_slovo"] == {"cs": ["obce", "kraj"]}
    assert record["téma"] == ["http://publications.europa.eu/resource/authority/data-theme/REGI"]
    assert record["kontaktní_bod"] == {
        "typ": "Organizace",
        "jméno": {"cs": "Odbor"},
        "e-mail": "mailto:a@b.cz",
    }
    assert notes == []


def test_iri_and_distributions_are_ignored_with_a_warning():
    record, notes = normalize_record({"iri": "https://x.cz/ds", "distribuce": [], "název": "x"})
    assert "iri" not in record and "distribuce" not in record
    assert {n.severity for n in notes} == {"warning"}
    assert len(notes) == 2


def test_document_mints_iris_and_serves_distributions(settings):
    doc = dataset_document({"název": {"cs": "x"}}, dataset_id="obce", settings=settings)
    assert doc["iri"] == "https://data.example.cz/datasets/obce"
    assert doc["poskytovatel"] == settings.publisher_iri
    files = [d for d in doc["distribuce"] if "soubor_ke_stažení" in d]
    assert [d["soubor_ke_stažení"] for d in files] == [
        "https://data.example.cz/datasets/obce/data.csv",
        "https://data.example.cz/datasets/obce/data.ttl",
        "https://data.example.cz/datasets/obce/data.nt",
    ]
    csv = files[0]
    assert csv["schéma"] == "https://data.example.cz/datasets/obce/data.csv-metadata.json"
    assert csv["formát"] == "http://publications.europa.eu/resource/authority/file-type/CSV"
    assert csv["typ_média"] == "http://www.iana.org/assignments/media-types/text/csv"
    service = [d for d in doc["distribuce"] if "přístupová_služba" in d][0]
    assert service["přístupové_url"] == "https://data.example.cz/sparql"
    for dist in doc["distribuce"]:
        terms = dist["podmínky_užití"]
        assert terms["osobní_údaje"] == settings.terms_personal_data


def test_terms_of_use_override_per_record(settings):
    cc_by = "https://creativecommons.org/licenses/by/4.0/"
    record, _ = normalize_record({"podmínky_užití": {"autorské_dílo": cc_by, "autor": "Kraj"}})
    doc = dataset_document(record, dataset_id="x", settings=settings)
    terms = doc["distribuce"][0]["podmínky_užití"]
    assert terms["autorské_dílo"] == cc_by
    assert terms["autor"] == {"cs": "Kraj"}
    assert terms["databáze_jako_autorské_dílo"] == settings.terms_database_work


def test_a_bare_code_is_refused_with_the_iri_to_use():
    with pytest.raises(BadInput) as info:
        normalize_record({"téma": ["GOVE"]})
    assert info.value.where.endswith("téma")
    assert "http://publications.europa.eu/resource/authority/data-theme/GOVE" in info.value.hint
