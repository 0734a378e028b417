"""The harvest preflight in the web: POST /validate (JSON and HTML) and a dataset's check."""

from __future__ import annotations

import json

import pytest

from lod.publish import ingest

from .conftest import BASE, DATA, reference

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
VALID = DATA / "records" / "valid.yaml"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture
def published(store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)


def test_post_a_catalogue_url_for_a_json_report(client, published):
    response = client.post("/validate", json={"url": BASE + "/catalog"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    report = response.get_json()
    assert report["all_kept"] is True and report["kept"] == report["total"] == 1
    assert report["datasets"][0] == {
        "iri": BASE + "/datasets/rozpocet",
        "status": "kept",
        "problems": [],
    }


def test_post_a_form_for_an_html_report(client, published):
    response = client.post("/validate", data={"url": BASE + "/catalog"}, headers=BROWSER)
    assert response.status_code == 200
    page = response.data.decode()
    assert "NKOD by převzal <strong>1 z 1</strong>" in page
    assert client.get("/validate", headers=BROWSER).status_code == 200


def test_post_a_record_document(client):
    doc = json.loads(
        reference("dcat-ap-cz", "ofn-2024-05-28", "example-datova-sada.jsonld").read_text("utf-8")
    )
    doc.pop("klíčové_slovo")
    response = client.post("/validate", data=json.dumps(doc), content_type="application/ld+json")
    report = response.get_json()
    verdict = report["datasets"][0]
    assert verdict["status"] == "DROPPED"
    assert any(p["where"] == "klíčové_slovo (dcat:keyword)" for p in verdict["problems"])


def test_bad_requests_are_explained(client):
    response = client.post("/validate", data={"url": "ftp://x"})
    assert response.status_code == 400 and "not an http(s) URL" in response.get_json()["error"]
    assert client.post("/validate").status_code == 400


def test_the_check_of_a_published_dataset(client, published):
    page = client.get("/datasets/rozpocet", headers=BROWSER).data.decode()
    assert "/datasets/rozpocet/check" in page
    report = client.get("/datasets/rozpocet/check", headers={"Accept": "application/json"})
    assert report.get_json()["all_kept"] is True
    html = client.get("/datasets/rozpocet/check", headers=BROWSER).data.decode()
    assert "převzata" in html
    assert client.get("/datasets/nic/check").status_code == 404
