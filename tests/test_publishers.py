"""One catalogue per publisher: NKOD takes a catalogue's publisher from the data box that
registers it, so each hosted organisation gets its own catalogue listing only its datasets."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from lod.cli import main
from lod.errors import BadInput, ValidationFailed
from lod.publish import ingest
from lod.settings import load_settings
from lod.validate import schema

from .conftest import BASE, DATA

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
VALID = DATA / "records" / "valid.yaml"
KHK = "70889546"
TOWN = "00271632"  # a municipality hosted by the region's installation
RPP = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"
JSONLD = {"Accept": "application/ld+json"}


@pytest.fixture
def two(tmp_path):
    (tmp_path / "lod.toml").write_text(
        f'base_url = "{BASE}"\nhome = "{tmp_path / "home"}"\n\n'
        f'[publishers."{TOWN}"]\nname = "Obec Example"\nname_en = "Example municipality"\n'
        'type = "LocalAuthority"\ncontact_name = "Podatelna"\ncontact_email = "podatelna@example.cz"\n',
        encoding="utf-8",
    )
    settings = load_settings(config_file=tmp_path / "lod.toml", env={})
    return settings, tmp_path


def record(tmp_path, publisher: str | None) -> str:
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    if publisher:
        data["poskytovatel"] = publisher
    path = tmp_path / f"record-{publisher}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_two_publishers_each_get_a_catalogue_of_their_own(two):
    settings, tmp_path = two
    from lod.app import create_app
    from lod.store import open_store

    store = open_store(settings)
    ingest(store, settings, TABLE, "kraj-rozpocet", record(tmp_path, None))
    ingest(store, settings, TABLE, "obec-rozpocet", record(tmp_path, TOWN))  # an IČO is enough
    client = create_app(settings, store).test_client()

    everything = client.get("/catalog", headers=JSONLD).get_json()
    assert sorted(everything["datová_sada"]) == [
        f"{BASE}/datasets/kraj-rozpocet",
        f"{BASE}/datasets/obec-rozpocet",
    ]
    region = client.get(f"/publishers/{KHK}/catalog", headers=JSONLD).get_json()
    town = client.get(f"/publishers/{TOWN}/catalog", headers=JSONLD).get_json()
    assert region["datová_sada"] == [f"{BASE}/datasets/kraj-rozpocet"]
    assert town["datová_sada"] == [f"{BASE}/datasets/obec-rozpocet"]
    assert town["iri"] == f"{BASE}/publishers/{TOWN}/catalog"
    assert town["poskytovatel"] == RPP + TOWN
    assert town["kontaktní_bod"]["e-mail"] == "mailto:podatelna@example.cz"
    for doc in (everything, region, town):
        assert schema.validate(doc, "katalog") == []
    dataset = client.get("/datasets/obec-rozpocet", headers=JSONLD).get_json()
    assert dataset["poskytovatel"] == RPP + TOWN
    turtle = client.get(f"/publishers/{TOWN}/catalog.ttl").data.decode()
    assert "Obec Example" in turtle and "kraj-rozpocet" not in turtle
    assert client.get("/publishers/12345678/catalog").status_code == 404
    store.close()


def test_a_publisher_not_hosted_is_refused(two):
    settings, tmp_path = two
    from lod.store import open_store

    store = open_store(settings)
    with pytest.raises(ValidationFailed) as info:
        ingest(store, settings, TABLE, "cizi", record(tmp_path, "12345678"))
    assert any(p.where == "poskytovatel (dct:publisher)" for p in info.value.problems)
    store.close()


def test_nkod_registration_is_what_the_form_produces(two):
    settings, tmp_path = two
    env = {"LOD_CONFIG": str(tmp_path / "lod.toml")}
    result = CliRunner().invoke(main, ["nkod-registration", "--publisher", TOWN], env=env)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert list(doc) == [
        "@context",
        "@type",
        "přístupový_bod",
        "název",
        "kontaktní_bod",
        "domovská_stránka",
    ]
    assert doc["@type"] == ["Katalog", "https://data.gov.cz/slovník/nkod/DcatApLkod"]
    assert doc["přístupový_bod"] == f"{BASE}/publishers/{TOWN}/catalog"
    assert doc["kontaktní_bod"] == {
        "typ": "Organizace",
        "jméno": {"cs": "Podatelna"},
        "e-mail": "mailto:podatelna@example.cz",
    }
    unknown = CliRunner().invoke(main, ["nkod-registration", "--publisher", "12345678"], env=env)
    assert unknown.exit_code == 2 and "not hosted" in unknown.output


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[publishers."123"]\nname = "X"\n', "not an IČO"),
        (f'[publishers."{TOWN}"]\nnmae = "X"\n', "did you mean 'name'"),
        (f'[publishers."{TOWN}"]\ncontact_name = "X"\n', "name is required"),
    ],
)
def test_malformed_publishers_fail_at_start(tmp_path, table, message):
    (tmp_path / "lod.toml").write_text(table, encoding="utf-8")
    with pytest.raises(BadInput) as info:
        load_settings(config_file=tmp_path / "lod.toml", env={})
    assert message in str(info.value)


def test_publishers_from_the_environment_as_json(tmp_path):
    env = {"LOD_PUBLISHERS": json.dumps({TOWN: {"name": "Obec Example"}})}
    settings = load_settings(config_file=tmp_path / "none.toml", env=env)
    from lod.catalog.publishers import by_ico

    assert by_ico(settings, TOWN).iri == RPP + TOWN


def test_ingest_chooses_the_publisher(two):
    settings, tmp_path = two
    env = {"LOD_CONFIG": str(tmp_path / "lod.toml")}
    runner = CliRunner()
    done = runner.invoke(
        main,
        ["ingest", str(TABLE), "--id", "obec", "--meta", str(VALID), "--publisher", TOWN],
        env=env,
    )
    assert done.exit_code == 0, done.output
    from lod.app import create_app
    from lod.store import open_store

    store = open_store(settings)
    client = create_app(settings, store).test_client()
    assert client.get("/datasets/obec", headers=JSONLD).get_json()["poskytovatel"] == RPP + TOWN
    assert client.get(f"/publishers/{TOWN}/catalog", headers=JSONLD).get_json()["datová_sada"] == [
        f"{BASE}/datasets/obec"
    ]
    store.close()
    refused = runner.invoke(
        main, ["ingest", str(TABLE), "--id", "x", "--meta", str(VALID), "--publisher", "1"], env=env
    )
    assert refused.exit_code == 2 and "not hosted" in refused.output
