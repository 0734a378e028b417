"""Validation as a service: POST /validate in four negotiated forms, with profiles, URLs,
pasted and uploaded records, tables with their schema, limits and timeouts, and the page a
steward reads in the browser; and the harvest preflight (/validate/harvest, a dataset's check).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import rdflib
import yaml
from werkzeug.serving import make_server

from lod.app import create_app
from lod.namespaces import SH
from lod.publish import ingest
from lod.settings import load_settings

from .conftest import BASE, DATA, reference
from .test_validation_reports import Rows

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
VALID = DATA / "records" / "valid.yaml"
FACETS = DATA / "shapes" / "facets.csv"
SCHEMA = DATA / "shapes" / "facets.csv-metadata.json"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def example(name: str = "example-datova-sada.jsonld") -> dict:
    path = reference("dcat-ap-cz", "ofn-2024-05-28", name)
    return json.loads(path.read_text(encoding="utf-8"))


def mistaken() -> bytes:
    doc = example()
    doc["téma"] = ["https://example.cz/temata/rozpocty"]
    del doc["název"]
    doc["kontaktní_bod"]["e-mail"] = "mailto:jan.novak(at)example.cz"
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def published(store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)


@pytest.fixture
def limited(tmp_path, store):
    """A client of an app with small limits: 20,000 bytes, 1 second."""

    def make(**env):
        settings = load_settings(
            env={"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE, **env},
            config_file=tmp_path / "none.toml",
        )
        app = create_app(settings, store)
        app.testing = True
        return app.test_client()

    return make


class Site:
    """A loopback HTTP server answering fixed documents, some slowly."""

    def __init__(self):
        self.pages: dict[str, tuple[bytes, str, float]] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body, ctype, delay = pages.get(self.path, (b"", "", 0))
                time.sleep(delay)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", ctype or "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture(scope="module")
def site():
    s = Site()
    s.pages["/chyby.jsonld"] = (mistaken(), "application/ld+json", 0)
    s.pages["/slow.jsonld"] = (mistaken(), "application/ld+json", 3)
    s.pages["/big.jsonld"] = (b" " * 30_000 + mistaken(), "application/ld+json", 0)
    yield s
    s.server.shutdown()
    s.server.server_close()


# ----------------------------------------------------------------------------- formats
def post(client, accept: str, query: str = "", data: bytes | None = None):
    return client.post(
        "/validate" + query,
        data=data if data is not None else mistaken(),
        content_type="application/ld+json",
        headers={"Accept": accept},
    )


def test_json_by_default_and_for_machines(client):
    for accept in ("application/json", "*/*"):
        response = post(client, accept)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        report = response.get_json()
        assert report["conforms"] is False and report["profile"] == "nkod"
        keys = {p["key"] for p in report["errors"]}
        assert keys == {"téma", "název", "kontaktní_bod.e-mail"}
        assert report["summary"] == {"errors": 3, "warnings": len(report["warnings"])}


def test_turtle_text_and_html(client):
    turtle = post(client, "text/turtle")
    assert turtle.headers["Content-Type"] == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=turtle.data.decode(), format="turtle")
    assert len(list(graph.subjects(rdflib.RDF.type, SH.ValidationResult))) == 3
    text = post(client, "text/plain")
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    body = text.data.decode()
    assert "chyba: téma (dcat:theme)" in body and "error: téma (dcat:theme)" in body
    page = post(client, BROWSER["Accept"])
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Neodpovídá profilu" in page.data.decode()
    forced = post(client, "application/json", "?format=ttl")
    assert forced.headers["Content-Type"].startswith("text/turtle")
    assert post(client, "application/json", "?format=pdf").status_code == 406
    assert post(client, "image/png").status_code == 406


def test_profiles(client):
    body = json.dumps(example("example-datova-sada-hvd.jsonld")).encode()
    assert post(client, "application/json", "?profile=hvd", body).get_json()["conforms"] is True
    plain = json.dumps(example()).encode()
    assert post(client, "application/json", "?profile=nkod", plain).get_json()["conforms"]
    hvd = post(client, "application/json", "?profile=hvd", plain).get_json()
    assert not hvd["conforms"] and any(p["key"] == "kategorie_hvd" for p in hvd["errors"])
    europe = post(client, "application/json", "?profile=dcat-ap-3", plain).get_json()
    assert europe["profile"] == "dcat-ap-3" and europe["errors"]
    wrong = post(client, "application/json", "?profile=nic", plain)
    assert wrong.status_code == 400 and "unknown profile" in wrong.get_json()["error"]


def test_turtle_body(client):
    turtle = reference("dcat-ap-cz", "ofn-2024-05-28", "example-datova-serie.ttl").read_bytes()
    response = client.post(
        "/validate", data=turtle, content_type="text/turtle", headers={"Accept": "application/json"}
    )
    assert response.get_json()["conforms"] is True


# ----------------------------------------------------------------------------- sources
def test_a_url_of_this_catalogue_is_read_in_process(client, published):
    response = client.post("/validate", json={"url": BASE + "/datasets/rozpocet"})
    report = response.get_json()
    assert report["conforms"] is True, report["errors"]
    assert report["source"] == BASE + "/datasets/rozpocet"


def test_a_url_elsewhere(client, site):
    response = client.post("/validate", data={"url": site.url("/chyby.jsonld"), "profile": "nkod"})
    report = response.get_json()
    assert {p["key"] for p in report["errors"]} == {"téma", "název", "kontaktní_bod.e-mail"}
    page = client.get("/validate?url=" + site.url("/chyby.jsonld"), headers=BROWSER)
    assert page.status_code == 200 and "kontaktní_bod.e-mail" in page.data.decode()


def test_pasted_and_uploaded_records(client):
    pasted = client.post(
        "/validate", data={"text": mistaken().decode(), "profile": "nkod"}, headers=BROWSER
    )
    assert pasted.status_code == 200
    rows = Rows()
    rows.feed(pasted.data.decode())
    assert len([r for r in rows.tables["errors"] if r]) == 3
    uploaded = client.post(
        "/validate",
        data={"file": (open_bytes(mistaken()), "zaznam.jsonld"), "profile": "hvd"},
        headers={"Accept": "application/json"},
    )
    report = uploaded.get_json()
    assert report["profile"] == "hvd" and report["source"] == "zaznam.jsonld"
    assert any(p["key"] == "kategorie_hvd" for p in report["errors"])


def test_a_record_as_lod_ingest_takes_it_is_checked_as_it_would_be_published(client):
    """YAML, or JSON without @context: pasted or uploaded, the record is checked like
    `lod validate RECORD.yaml` checks it (IRIs minted, NKOD, OFN schemas, DCAT-AP 3)."""
    accept = {"Accept": "application/json"}
    text = VALID.read_text(encoding="utf-8")
    commented = "# the record of lod ingest --meta\n\n" + text
    pasted = client.post("/validate", data={"text": commented, "profile": "nkod"}, headers=accept)
    assert pasted.status_code == 200, pasted.text
    report = pasted.get_json()
    assert report["profile"] == "lod ingest" and report["conforms"], report
    wrong = text.replace("frequency/ANNUAL", "frequency/ANUAL").encode()
    uploaded = client.post(
        "/validate", data={"file": (open_bytes(wrong), "zaznam.yaml")}, headers=accept
    )
    report = uploaded.get_json()
    assert report["source"] == "zaznam.yaml" and not report["conforms"]
    assert [p["key"] for p in report["errors"]] == ["periodicita_aktualizace"]
    dated = text + "časové_pokrytí:\n  začátek: 2020-01-01\n  konec: 2020-12-31\n"
    report = client.post("/validate", data={"text": dated}, headers=accept).get_json()
    assert report["conforms"], report  # YAML dates read as the CLI reads them (ISO strings)
    as_json = json.dumps(yaml.safe_load(text), ensure_ascii=False)
    posted = client.post("/validate", data={"text": as_json}, headers=accept)
    assert posted.get_json()["profile"] == "lod ingest"
    broken = client.post("/validate", data={"text": "název:\n  cs: [Rozpočet\n"}, headers=accept)
    assert broken.status_code == 400
    assert broken.get_json()["where"].startswith("(vložený text):3:")
    assert "invalid YAML" in broken.get_json()["error"]


def test_turtle_with_sparql_prefixes_is_not_taken_for_yaml(client):
    turtle = (
        "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n"
        "<https://data.example.cz/datasets/x> a dcat:Dataset .\n"
    )
    report = client.post(
        "/validate", data={"text": turtle}, headers={"Accept": "application/json"}
    ).get_json()
    assert report["profile"] == "nkod" and not report["conforms"]


def open_bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_a_table_with_its_schema(client):
    response = client.post(
        "/validate",
        data={
            "table": (open_bytes(FACETS.read_bytes()), "facets.csv"),
            "schema": (open_bytes(SCHEMA.read_bytes()), "schema.json"),
        },
        headers={"Accept": "application/json"},
    )
    report = response.get_json()
    assert response.status_code == 200 and report["conforms"] is False
    cells = {(p["row"], p["column"]) for p in report["errors"]}
    assert (6, "Druh") in cells  # "D" is not one of A, B, C
    assert all(p["message"]["cs"] and p["message"]["en"] for p in report["errors"])
    druh = next(p for p in report["errors"] if p["column"] == "Druh")
    assert druh["value"] == "D" and druh["hint"]["cs"].startswith("očekává se")
    no_schema = client.post("/validate", data={"table": (open_bytes(FACETS.read_bytes()), "t.csv")})
    assert no_schema.status_code == 400 and "CSVW schema" in no_schema.get_json()["error"]


def test_nothing_to_validate(client):
    response = client.post("/validate")
    assert response.status_code == 400 and "nothing to validate" in response.get_json()["error"]
    broken = client.post("/validate", data=b"{not json", content_type="application/ld+json")
    assert broken.status_code == 400 and "invalid JSON" in broken.get_json()["error"]
    assert client.post("/validate", data={"url": "ftp://x"}).status_code == 400


# ----------------------------------------------------------------------------- limits
def test_size_limit(limited, site):
    client = limited(LOD_VALIDATE_MAX_BYTES="20000")
    too_big = post(client, "application/json", data=b" " * 100_000 + mistaken())
    assert too_big.status_code == 413
    error = too_big.get_json()
    assert "larger than the limit of 20,000 bytes" in error["error"]
    assert "LOD_VALIDATE_MAX_BYTES" in error["hint"]
    fetched = client.post("/validate", json={"url": site.url("/big.jsonld")})
    assert fetched.status_code == 413
    page = client.post("/validate", data={"text": "x" * 100_000}, headers=BROWSER)
    assert page.status_code == 413 and "Nelze ověřit" in page.data.decode()
    assert post(client, "application/json").status_code == 200  # a small one still passes


def test_url_timeout(limited, site):
    client = limited(LOD_VALIDATE_TIMEOUT="1")
    response = client.post("/validate", json={"url": site.url("/slow.jsonld")})
    assert response.status_code == 504
    assert "did not answer within 1 s" in response.get_json()["error"]


def test_validation_timeout(limited):
    client = limited(LOD_VALIDATE_TIMEOUT="1")
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> ."
    ]
    for n in range(4000):
        lines.append(
            f'<https://x.example.cz/d/{n}> a dcat:Dataset ; dct:title "Sada {n}"@cs ; '
            f'dct:description "Popis {n}"@cs ; dcat:keyword "k{n}"@cs .'
        )
    started = time.monotonic()
    response = client.post("/validate", data="\n".join(lines).encode(), content_type="text/turtle")
    assert response.status_code == 503
    assert "did not finish within 1 s" in response.get_json()["error"]
    assert time.monotonic() - started < 10


# ----------------------------------------------------------------------------- browser
def test_the_page_in_a_browser(app, site, tmp_path):
    assert shutil.which(CHROMIUM), (
        "chromium is missing: make test installs it (scripts/system-deps)"
    )
    assert app.test_client().get("/validate", headers=BROWSER).status_code == 200
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/validate?url={site.url('/chyby.jsonld')}"
        shot = tmp_path / "validate.png"
        common = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path}/c",
        ]
        dom = subprocess.run(
            [*common, "--dump-dom", url], capture_output=True, text=True, timeout=90
        ).stdout
        subprocess.run(
            [*common, f"--screenshot={shot}", "--window-size=1280,2000", url],
            capture_output=True,
            timeout=90,
        )
    finally:
        server.shutdown()
        server.server_close()
    rows = Rows()
    rows.feed(dom)
    errors = [r for r in rows.tables.get("errors", []) if r]
    assert len(errors) == 3, dom[:2000]
    assert any("téma" in r[1] and "data-theme/GOVE" in r[3] for r in errors)
    assert shot.is_file() and shot.stat().st_size > 10_000


# ----------------------------------------------------------------------------- preflight
def test_post_a_catalogue_url_for_a_json_report(client, published):
    response = client.post("/validate/harvest", json={"url": BASE + "/catalog"})
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
    response = client.post("/validate/harvest", data={"url": BASE + "/catalog"}, headers=BROWSER)
    assert response.status_code == 200
    page = response.data.decode()
    assert "NKOD by převzal <strong>1 z 1</strong>" in page
    assert client.get("/validate/harvest", headers=BROWSER).status_code == 200


def test_post_a_record_document_to_the_preflight(client):
    doc = example()
    doc.pop("klíčové_slovo")
    response = client.post(
        "/validate/harvest", data=json.dumps(doc), content_type="application/ld+json"
    )
    verdict = response.get_json()["datasets"][0]
    assert verdict["status"] == "DROPPED"
    assert any(p["where"] == "klíčové_slovo (dcat:keyword)" for p in verdict["problems"])


def test_bad_preflight_requests_are_explained(client):
    response = client.post("/validate/harvest", data={"url": "ftp://x"})
    assert response.status_code == 400 and "not an http(s) URL" in response.get_json()["error"]
    assert client.post("/validate/harvest").status_code == 400


def test_the_check_of_a_published_dataset(client, published):
    page = client.get("/datasets/rozpocet", headers=BROWSER).data.decode()
    assert "/datasets/rozpocet/check" in page
    report = client.get("/datasets/rozpocet/check", headers={"Accept": "application/json"})
    assert report.get_json()["all_kept"] is True
    html = client.get("/datasets/rozpocet/check", headers=BROWSER).data.decode()
    assert "převzata" in html
    assert client.get("/datasets/nic/check").status_code == 404
