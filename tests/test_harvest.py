"""lod check-harvest: walk a catalogue like NKOD and say what it would drop, and why."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lod.harvest import check_harvest

from .conftest import reference

PUBLIC = "https://lkod.example.cz/"


class CorsHandler(SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def static_lkod(tmp_path):
    """A static LKOD on loopback: a catalogue and three records, one of them served at the wrong IRI."""
    example = json.loads(
        reference("dcat-ap-cz", "ofn-2024-05-28", "example-datova-sada.jsonld").read_text(
            encoding="utf-8"
        )
    )
    good = dict(example, iri=PUBLIC + "good.jsonld")
    moved = dict(example, iri=PUBLIC + "somewhere-else")
    incomplete = {k: v for k, v in example.items() if k != "klíčové_slovo"}
    incomplete["iri"] = PUBLIC + "incomplete.jsonld"
    for name, doc in (("good", good), ("moved", moved), ("incomplete", incomplete)):
        (tmp_path / f"{name}.jsonld").write_text(
            json.dumps(doc, ensure_ascii=False), encoding="utf-8"
        )
    catalog = {
        "@context": example["@context"],
        "iri": PUBLIC + "catalog.jsonld",
        "typ": "Katalog",
        "název": {"cs": "Testovací katalog"},
        "popis": {"cs": "Katalog pro test"},
        "poskytovatel": example["poskytovatel"],
        "datová_sada": [PUBLIC + n + ".jsonld" for n in ("good", "moved", "incomplete")],
    }
    (tmp_path / "catalog.jsonld").write_text(
        json.dumps(catalog, ensure_ascii=False), encoding="utf-8"
    )
    handler = functools.partial(CorsHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_verdicts_per_dataset(static_lkod):
    report = check_harvest(PUBLIC + "catalog.jsonld", mapping={PUBLIC: static_lkod})
    assert report.catalog_problems == []
    verdicts = {v.iri.removeprefix(PUBLIC): v for v in report.datasets}
    assert verdicts["good.jsonld"].kept
    assert not verdicts["moved.jsonld"].kept
    assert any("exactly the listed IRI" in p.message for p in verdicts["moved.jsonld"].problems)
    assert not verdicts["incomplete.jsonld"].kept
    assert any(
        p.where == "klíčové_slovo (dcat:keyword)" for p in verdicts["incomplete.jsonld"].problems
    )
    assert not report.all_kept
