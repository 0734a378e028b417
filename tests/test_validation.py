"""NKOD silently drops records missing required fields: lod refuses them, naming the field."""

from __future__ import annotations

import pytest
import yaml

from lod.errors import ValidationFailed
from lod.publish import prepare_record

from .conftest import DATA

VALID = DATA / "records" / "valid.yaml"

# OFN key removed -> the RDF property the message must name
REQUIRED = {
    "název": "dct:title",
    "popis": "dct:description",
    "téma": "dcat:theme",
    "periodicita_aktualizace": "dct:accrualPeriodicity",
    "klíčové_slovo": "dcat:keyword",
    "prvek_rúian": "dct:spatial",
}


def record_without(tmp_path, key: str, **changes):
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    data.pop(key, None)
    data.update(changes)
    path = tmp_path / "record.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_valid_record_passes(settings):
    document, graph, problems = prepare_record(VALID, "rozpocet", settings)
    assert [p for p in problems if p.severity == "error"] == []
    assert document["iri"] == "https://data.example.cz/datasets/rozpocet"


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_missing_required_field_is_refused_by_name(tmp_path, settings, key):
    with pytest.raises(ValidationFailed) as info:
        prepare_record(record_without(tmp_path, key), "rozpocet", settings)
    errors = [p for p in info.value.problems if p.severity == "error"]
    shacl = [p for p in errors if p.where.startswith(f"{key} ({REQUIRED[key]})")]
    assert shacl, [p.line() for p in errors]
    assert all(p.hint for p in shacl)  # every SHACL problem says how to fix it
    assert info.value.exit_code == 1


def test_theme_outside_the_eu_list_is_refused(tmp_path, settings):
    path = record_without(tmp_path, "téma", téma=["https://example.cz/temata/rozpocty"])
    with pytest.raises(ValidationFailed) as info:
        prepare_record(path, "rozpocet", settings)
    lines = [p.line() for p in info.value.problems]
    assert any("téma (dcat:theme)" in line and "data-theme/GOVE" in line for line in lines)


def test_spatial_must_be_ruian(tmp_path, settings):
    path = record_without(
        tmp_path,
        "prvek_rúian",
        geografické_území=["http://publications.europa.eu/resource/authority/country/CZE"],
    )
    with pytest.raises(ValidationFailed) as info:
        prepare_record(path, "rozpocet", settings)
    errors = [p for p in info.value.problems if p.severity == "error"]
    spatial = [p for p in errors if p.key == "prvek_rúian"]
    # NKOD's filter and the OFN JSON schema both find it: one line says it
    assert [p.where for p in spatial] == ["prvek_rúian (dct:spatial)"]
    assert set(spatial[0].check.split(", ")) == {"nkod", "ofn-schema"}


def test_czech_title_is_required(tmp_path, settings):
    path = record_without(tmp_path, "název", název={"en": "Budget"})
    with pytest.raises(ValidationFailed) as info:
        prepare_record(path, "rozpocet", settings)
    problem = next(p for p in info.value.problems if p.where == "název (dct:title)")
    assert "Czech" in problem.message and "česky" in problem.message_cs


def test_terms_of_use_must_be_complete(tmp_path, settings):
    path = record_without(
        tmp_path,
        "x",
        podmínky_užití={
            "osobní_údaje": "https://data.gov.cz/podmínky-užití/není-specifikováno-zda-obsahuje-osobní-údaje/"
        },
    )
    with pytest.raises(ValidationFailed) as info:
        prepare_record(path, "rozpocet", settings)
    wheres = [p.where for p in info.value.problems if p.severity == "error"]
    assert any(
        w.startswith("distribuce https://data.example.cz/datasets/rozpocet/distributions/csv")
        and "podmínky_užití (pu:specifikace)" in w
        for w in wheres
    )
