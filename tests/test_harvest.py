"""lod check-harvest: walk a catalogue like NKOD and say what it would drop, and why."""

from __future__ import annotations

import copy
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from lod.cli import main
from lod.fetch import Fetcher
from lod.harvest import DROPPED, KEPT, LOSSY, check_harvest

from .conftest import BASE, DATA, reference

PUBLIC = "https://lkod.example.cz/"
SEEN_AGENTS: list[str] = []


class CorsHandler(SimpleHTTPRequestHandler):
    def end_headers(self):
        if "no-cors" not in self.path:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self):
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        super().do_GET()

    def do_HEAD(self):
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        super().do_HEAD()

    def log_message(self, *args):
        pass


def example() -> dict:
    return json.loads(
        reference("dcat-ap-cz", "ofn-2024-05-28", "example-datova-sada.jsonld").read_text(
            encoding="utf-8"
        )
    )


def _without(doc: dict, key: str) -> dict:
    return {k: v for k, v in doc.items() if k != key}


def _distribution(change) -> dict:
    doc = example()
    change(doc["distribuce"][0])
    return doc


def _service(change) -> dict:
    doc = example()
    service = next(d["přístupová_služba"] for d in doc["distribuce"] if "přístupová_služba" in d)
    change(service)
    return doc


# one broken record per rule of NKOD's harvester: name -> (record, status, where the reason is)
BROKEN = {
    "no-title": (_without(example(), "název"), DROPPED, "název (dct:title)"),
    "no-czech-title": (dict(example(), název={"en": "Timetables"}), DROPPED, "název (dct:title)"),
    "no-description": (_without(example(), "popis"), DROPPED, "popis (dct:description)"),
    "no-theme": (_without(example(), "téma"), DROPPED, "téma (dcat:theme)"),
    "no-frequency": (
        _without(example(), "periodicita_aktualizace"),
        DROPPED,
        "periodicita_aktualizace (dct:accrualPeriodicity)",
    ),
    "no-keyword": (_without(example(), "klíčové_slovo"), DROPPED, "klíčové_slovo (dcat:keyword)"),
    "no-spatial": (
        {k: v for k, v in example().items() if k not in ("prvek_rúian", "geografické_území")},
        DROPPED,
        "prvek_rúian (dct:spatial)",
    ),
    "no-access-url": (
        _distribution(lambda d: d.pop("přístupové_url")),
        LOSSY,
        "přístupové_url (dcat:accessURL)",
    ),
    "no-terms-of-use": (
        _distribution(lambda d: d.pop("podmínky_užití")),
        LOSSY,
        "podmínky_užití (pu:specifikace)",
    ),
    "incomplete-terms-of-use": (
        _distribution(lambda d: d["podmínky_užití"].pop("osobní_údaje")),
        LOSSY,
        "podmínky_užití (pu:specifikace)",
    ),
    "service-without-endpoint": (
        _service(lambda s: s.pop("přístupový_bod")),
        LOSSY,
        "přístupový_bod (dcat:endpointURL)",
    ),
}


@pytest.fixture(scope="module")
def lkod(tmp_path_factory):
    """A static LKOD on loopback: a catalogue and records, some broken on purpose."""
    tmp_path = tmp_path_factory.mktemp("lkod")
    records = {"good": dict(example(), iri=PUBLIC + "good.jsonld")}
    records["moved"] = dict(example(), iri=PUBLIC + "somewhere-else")
    for name, (doc, _, _) in BROKEN.items():
        records[name] = dict(copy.deepcopy(doc), iri=PUBLIC + name + ".jsonld")
    for name, doc in records.items():
        (tmp_path / f"{name}.jsonld").write_text(
            json.dumps(doc, ensure_ascii=False), encoding="utf-8"
        )
    (tmp_path / "garbage.jsonld").write_text("this is { neither JSON-LD nor Turtle", "utf-8")
    listed = [*records, "garbage", "missing"]
    catalog = {
        "@context": example()["@context"],
        "iri": PUBLIC + "catalog.jsonld",
        "typ": "Katalog",
        "název": {"cs": "Testovací katalog"},
        "popis": {"cs": "Katalog pro test"},
        "poskytovatel": example()["poskytovatel"],
        "datová_sada": [PUBLIC + n + ".jsonld" for n in listed],
    }
    (tmp_path / "catalog.jsonld").write_text(
        json.dumps(catalog, ensure_ascii=False), encoding="utf-8"
    )
    handler = functools.partial(CorsHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", tmp_path
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def static_lkod(lkod):
    return lkod[0]


@pytest.fixture(scope="module")
def report(static_lkod):
    # the example's distribution URLs are on hosts that do not exist here: offline
    return check_harvest(PUBLIC + "catalog.jsonld", mapping={PUBLIC: static_lkod}, offline=True)


def verdicts(report) -> dict:
    return {v.iri.removeprefix(PUBLIC).removesuffix(".jsonld"): v for v in report.datasets}


def test_the_good_record_is_kept(report):
    assert report.catalog_problems == []
    good = verdicts(report)["good"]
    assert good.status == KEPT
    assert [p for p in good.problems if p.severity == "error"] == []
    assert any(p.message == "URL not checked (offline)" for p in good.problems)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_nkod_rule_is_flagged_with_its_reason(report, name):
    _, status, where = BROKEN[name]
    verdict = verdicts(report)[name]
    assert verdict.status == status, [p.line() for p in verdict.problems]
    reasons = [p for p in verdict.problems if p.severity == "error" and where in p.where]
    assert reasons, [p.line() for p in verdict.problems]
    assert all(p.hint for p in reasons if not p.where.startswith("distribuce"))


def test_subject_must_be_the_listed_iri(report):
    moved = verdicts(report)["moved"]
    assert moved.status == DROPPED
    assert any("exactly the listed IRI" in p.message for p in moved.problems)


def test_unreadable_and_missing_records_are_dropped(report):
    garbage, missing = verdicts(report)["garbage"], verdicts(report)["missing"]
    assert garbage.status == DROPPED and "neither JSON-LD nor Turtle" in garbage.problems[0].message
    assert missing.status == DROPPED and "HTTP 404" in missing.problems[0].message
    assert not report.all_kept


def test_requests_look_like_nkod(report):
    assert SEEN_AGENTS and set(SEEN_AGENTS) == {"nkod/0.0.1"}


def test_cli_verdicts_and_exit_code(static_lkod):
    result = CliRunner().invoke(
        main,
        [
            "check-harvest",
            PUBLIC + "catalog.jsonld",
            "--map",
            f"{PUBLIC}={static_lkod}",
            "--offline",
        ],
    )
    assert result.exit_code == 1
    assert f"kept     {PUBLIC}good.jsonld" in result.output
    assert f"DROPPED  {PUBLIC}no-keyword.jsonld" in result.output
    assert f"LOSSY    {PUBLIC}no-access-url.jsonld" in result.output
    assert "datasets would be kept by NKOD" in result.output


def test_urls_are_headed_for_2xx_and_cors(lkod):
    static_lkod, tmp_path = lkod
    doc = dict(example(), iri=PUBLIC + "urls.jsonld")
    (tmp_path / "data.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "no-cors.csv").write_text("a\n1\n", encoding="utf-8")
    doc["distribuce"][0]["přístupové_url"] = PUBLIC + "data.csv"
    doc["distribuce"][0]["soubor_ke_stažení"] = PUBLIC + "gone.csv"
    doc["distribuce"][1]["přístupové_url"] = PUBLIC + "no-cors.csv"
    (tmp_path / "urls.jsonld").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    from lod.harvest import check_record

    verdict = check_record(Fetcher({PUBLIC: static_lkod}), PUBLIC + "urls.jsonld")
    lines = [p.line() for p in verdict.problems]
    assert any(
        "does not answer HEAD with 2xx: 404" in line and "gone.csv" in line for line in lines
    )
    assert any("without CORS" in line and "no-cors.csv" in line for line in lines)
    assert not any("data.csv)" in line and "error" in line for line in lines)
    assert verdict.status == KEPT and not verdict.ok  # NKOD keeps it, but a URL is broken


def test_a_catalogue_on_disk_can_be_checked(tmp_path):
    folder = reference("dcat-ap-cz", "krhk-lkod")
    report = check_harvest(
        "https://open.datakhk.cz/katalog.jsonld",
        mapping={"https://open.datakhk.cz/": folder},
        offline=True,
    )
    assert len(report.datasets) == 165
    assert all(v.kept for v in report.datasets)


def test_our_own_catalogue_passes(app, store, settings):
    from lod.publish import ingest

    ingest(
        store,
        settings,
        DATA / "tables" / "rozpocet-cp1250.csv",
        "rozpocet",
        DATA / "records" / "valid.yaml",
    )
    report = check_harvest(BASE + "/catalog", fetcher=Fetcher({BASE + "/": app}))
    assert report.all_kept, report.as_dict()
    assert [v.status for v in report.datasets] == [KEPT]


def test_cli_says_a_repeated_problem_once_with_its_places(tmp_path):
    """A record on an http base breaks the schema's ^https:// at every IRI: the text report
    gives that once with the places (JSON keeps every problem)."""
    doc = dict(example(), iri=PUBLIC + "plain.jsonld")
    for i, distribution in enumerate(doc["distribuce"]):
        for key in ("přístupové_url", "soubor_ke_stažení"):
            if key in distribution:
                distribution[key] = f"http://lkod.example.cz/file-{i}.csv"
    (tmp_path / "plain.jsonld").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    catalog = {
        "@context": doc["@context"],
        "iri": PUBLIC + "catalog.jsonld",
        "typ": "Katalog",
        "název": {"cs": "Katalog"},
        "popis": {"cs": "Katalog pro test"},
        "poskytovatel": doc["poskytovatel"],
        "datová_sada": [doc["iri"]],
    }
    (tmp_path / "catalog.jsonld").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    args = ["check-harvest", PUBLIC + "catalog.jsonld", "--map", f"{PUBLIC}={tmp_path}"]
    text = CliRunner().invoke(main, [*args, "--offline"]).output
    lines = [line for line in text.splitlines() if "does not match ^https://" in line]
    as_json = json.loads(CliRunner().invoke(main, [*args, "--offline", "--format", "json"]).output)
    problems = [
        p for d in as_json["datasets"] for p in d["problems"] if "^https://" in p["message"]
    ]
    assert len(problems) >= 3
    assert len(lines) == 1, text
    assert f"in {len(problems)} places: distribuce[0]." in lines[0]
    assert "(JSON schema" in lines[0] and "how to fix: use https://" in lines[0]
