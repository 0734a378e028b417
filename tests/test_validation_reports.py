"""Validation profiles and reports people act on: each mistake one line, in Czech and English,
saying where (OFN key and RDF property), the value and how to fix it, in all four forms."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import rdflib
from click.testing import CliRunner

from lod.cli import main
from lod.errors import Problem
from lod.namespaces import SH
from lod.validate import profiles, shacl
from lod.validate.report import VALIDACE

from .conftest import BASE, reference

OFN = ("dcat-ap-cz", "ofn-2024-05-28")
KHK = ("dcat-ap-cz", "krhk-lkod")
THEME = "https://example.cz/temata/rozpocty"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/YEARLY"
EMAIL = "mailto:jan.novak(at)example.cz"
# the mistakes of the record below: OFN key -> (RDF property, offending value or "")
MISTAKES = {
    "téma": ("dcat:theme", THEME),
    "název": ("dct:title", ""),
    "periodicita_aktualizace": ("dct:accrualPeriodicity", FREQUENCY),
    "časové_pokrytí.začátek": ("dct:temporal/dcat:startDate", "leden 2020"),
    "kontaktní_bod.e-mail": ("dcat:contactPoint/vcard:hasEmail", EMAIL),
}


def example(name: str) -> dict:
    return json.loads(reference(*OFN, name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mistaken(tmp_path_factory):
    doc = example("example-datova-sada.jsonld")
    doc["téma"] = [THEME]
    del doc["název"]
    doc["periodicita_aktualizace"] = FREQUENCY
    doc["časové_pokrytí"] = {
        "typ": "Časový interval",
        "začátek": "leden 2020",
        "konec": "2020-12-31",
    }
    doc["kontaktní_bod"]["e-mail"] = EMAIL
    path = tmp_path_factory.mktemp("records") / "chyby.jsonld"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(mistaken):
    return profiles.validate(str(mistaken), "nkod")


def test_one_actionable_line_per_mistake(report):
    assert not report.conforms
    assert sorted(p.key for p in report.errors) == sorted(MISTAKES)
    for p in report.errors:
        prop, value = MISTAKES[p.key]
        assert p.property == prop and p.value == value
        assert all(
            f"{k} ({step})" in p.where
            for k, step in zip(p.key.split("."), prop.split("/"), strict=True)
        )
        assert p.focus == "https://data.gov.cz/lkod/mdcr/datové-sady/vld"
        assert p.message and p.message_cs and p.message != p.message_cs
        assert p.hint and p.hint_cs and p.hint != p.hint_cs
    theme = next(p for p in report.errors if p.key == "téma")
    assert theme.message == (
        "téma must be an IRI from the EU data-theme list, such as "
        "http://publications.europa.eu/resource/authority/data-theme/GOVE"
    )
    assert "data-theme/GOVE" in theme.message_cs


def test_several_checks_of_one_mistake_are_one_line(report):
    title = next(p for p in report.errors if p.key == "název")
    # NKOD's filter (SHACL) and the OFN JSON schema both find it
    assert set(title.check.split(", ")) == {"nkod", "ofn-schema"}


def test_text_form(report):
    text = report.text()
    errors = text.split("Chyby / Errors (5):\n")[1].split("\n")
    for key in MISTAKES:
        czech = [
            line for line in errors if line.startswith("  chyba: ") and key.split(".")[0] in line
        ]
        english = [
            line for line in errors if line.startswith("    error: ") and key.split(".")[0] in line
        ]
        assert czech and english, key
    assert "jak opravit:" in text and "how to fix:" in text
    assert "neodpovídá profilu nkod (5 chyb, 0 varování)" in text
    assert "does not conform to profile nkod (5 error(s), 0 warning(s))" in text


def test_json_form(report):
    data = json.loads(report.render("json"))
    assert data["conforms"] is False and data["profile"] == "nkod"
    assert data["summary"] == {"errors": 5, "warnings": 0} and data["warnings"] == []
    for item in data["errors"]:
        prop, value = MISTAKES[item["key"]]
        assert item["property"] == prop and item.get("value", "") == value
        assert item["message"]["cs"] and item["message"]["en"]
        assert item["hint"]["cs"] and item["hint"]["en"]


def test_turtle_form_is_a_shacl_validation_report(report):
    graph = rdflib.Graph().parse(data=report.render("ttl"), format="turtle")
    (node,) = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(node, SH.result))
    assert len(results) == 5
    keys = set()
    for result in results:
        assert graph.value(result, SH.resultSeverity) == SH.Violation
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.resultPath) is not None
        assert graph.value(result, SH.sourceConstraintComponent) is not None
        langs = {m.language for m in graph.objects(result, SH.resultMessage)}
        hints = {m.language for m in graph.objects(result, VALIDACE.hint)}
        assert langs == hints == {"cs", "en"}
        key = str(graph.value(result, VALIDACE.key))
        keys.add(key)
        value = graph.value(result, SH.value)
        assert (str(value) if value is not None else "") == MISTAKES[key][1]
    assert keys == set(MISTAKES)
    nested = next(r for r in results if str(graph.value(r, VALIDACE.key)) == "kontaktní_bod.e-mail")
    path = graph.value(nested, SH.resultPath)  # a SHACL sequence path
    assert list(rdflib.collection.Collection(graph, path)) == [
        rdflib.URIRef("http://www.w3.org/ns/dcat#contactPoint"),
        rdflib.URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"),
    ]


class Rows(HTMLParser):
    """The rows of the report's tables, as lists of cell texts, per table id."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.table = self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "problems" in (attrs.get("class") or ""):
            self.table = self.tables.setdefault(attrs["id"], [])
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag == "td" and self.table is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_html_form(report):
    page = report.render("html")
    assert page.startswith("<!doctype html>") and '<html lang="cs">' in page
    parser = Rows()
    parser.feed(page)
    rows = [r for r in parser.tables["errors"] if r]
    assert len(rows) == 5 and "warnings" not in parser.tables
    for _, where, value, what, fix in rows:
        key = next(k for k in MISTAKES if k.split(".")[-1] in where)
        assert value == MISTAKES[key][1]
        assert what and fix
    czech = page.index("Neodpovídá profilu nkod")
    assert czech < page.index("Does not conform to profile nkod")  # Czech first


# ------------------------------------------------------------------ profiles on real records
@pytest.mark.parametrize(
    "name",
    [
        "example-datova-sada.jsonld",
        "example-datova-sada-hvd.jsonld",
        "example-datova-sada-v-serii.jsonld",
        "example-datova-serie.jsonld",
        "example-datova-serie.ttl",
    ],
)
def test_the_ofn_examples_conform_to_nkod(name):
    result = profiles.validate(str(reference(*OFN, name)), "nkod")
    assert result.errors == [], [p.line() for p in result.errors]


def test_a_literal_email_in_turtle_is_flagged():
    # the Turtle example writes the e-mail as a literal, not as a mailto: IRI (its JSON-LD
    # twin is right); our NKOD shapes want the IRI
    result = profiles.validate(str(reference(*OFN, "example-datova-sada.ttl")), "nkod")
    assert [(p.key, p.value) for p in result.errors] == [
        ("kontaktní_bod.e-mail", "sekretariat.190@mdcr.cz")
    ]


def test_hvd_profile():
    hvd = profiles.validate(str(reference(*OFN, "example-datova-sada-hvd.jsonld")), "hvd")
    assert hvd.conforms, [p.line() for p in hvd.errors]
    plain = profiles.validate(str(reference(*OFN, "example-datova-sada.jsonld")), "hvd")
    keys = {(p.key, p.focus.rsplit("/", 1)[-1]) for p in plain.errors}
    assert ("kategorie_hvd", "vld") in keys and ("právní_předpis", "vld") in keys
    assert ("kategorie_hvd", "sparql") in keys  # the data service too (rule and HVD shapes)
    assert any("HVD" in p.message for p in plain.errors)
    assert all(p.message_cs and p.hint_cs for p in plain.errors)


def test_dcat_ap_3_profile_wants_the_classes_of_the_range():
    result = profiles.validate(str(reference(*OFN, "example-datova-sada.jsonld")), "dcat-ap-3")
    # codelist concepts are merged, so file type, frequency and media types pass their
    # codelist shapes; what remains are the classes the range shapes want stated
    assert result.errors and {p.component for p in result.errors} == {"sh:ClassConstraintComponent"}
    frequency = next(p for p in result.errors if p.key == "periodicita_aktualizace")
    assert "dct:Frequency" in frequency.message and "dct:Frequency" in frequency.hint_cs
    assert result.warnings  # the recommended shapes


def test_dcat_ap_3_passes_what_lod_publishes(client, store, settings):
    from lod.publish import ingest

    from .test_validation import VALID

    ingest(store, settings, reference_table(), "rozpocet", VALID)
    turtle = client.get("/datasets/rozpocet", headers={"Accept": "text/turtle"}).data
    result = profiles.validate_bytes(turtle, "dcat-ap-3", name=BASE + "/datasets/rozpocet")
    assert result.errors == [], [p.line() for p in result.errors]


def reference_table():
    from .conftest import DATA

    return DATA / "tables" / "rozpocet-cp1250.csv"


@pytest.mark.parametrize(
    "record", ["0486a9c890814de287f54787dbf87c83", "042d4ed225654f6b9c1f2b5036887e1e"]
)
def test_khk_records(record):
    path = reference(*KHK, record + ".jsonld")
    unknown = "file-type/UNKNOWN" in path.read_text(encoding="utf-8")
    nkod = profiles.validate(str(path), "nkod")
    # NKOD keeps every KHK record: its filter finds nothing; the file type UNKNOWN, which
    # data.europa.eu rejects, is the only error
    assert not [p for p in nkod.errors if "nkod" in p.check.split(", ")]
    assert {(p.key, p.value.rsplit("/", 1)[-1]) for p in nkod.errors} == (
        {("formát", "UNKNOWN")} if unknown else set()
    )
    europe = profiles.validate(str(path), "dcat-ap-3")
    if unknown:
        assert any(
            p.key == "formát"
            and p.value.endswith("/UNKNOWN")
            and p.component != "sh:ClassConstraintComponent"
            for p in europe.errors
        )


def test_a_catalogue_validates():
    result = profiles.validate(str(reference(*KHK, "katalog.jsonld")), "nkod")
    assert result.conforms, [p.line() for p in result.errors]


# ------------------------------------------------------------------ messages for the rest
def test_a_result_the_table_does_not_know_gets_clear_generic_text():
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dct: <http://purl.org/dc/terms/> .
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        <urn:s> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
          sh:property [ sh:path dct:title ; sh:maxLength 5 ] .""",
        format="turtle",
    )
    data = profiles.parse(json.dumps(example("example-datova-sada.jsonld")).encode(), "x").graph
    found = shacl.problems(data, shapes, shacl.run(data, shapes))
    assert found and all(p.key == "název" and p.property == "dct:title" for p in found)
    for p in found:
        assert p.value and "název" in p.message and "název" in p.message_cs
        assert p.hint and p.hint_cs


def test_problem_stays_compatible():
    old = Problem("is wrong", "název (dct:title)", "fix it", "je špatně", "x", "warning")
    assert old.line() == "warning: název (dct:title): is wrong (value: x) — how to fix: fix it"
    assert old.as_dict() == {
        "message": "is wrong",
        "where": "název (dct:title)",
        "hint": "fix it",
        "message_cs": "je špatně",
        "value": "x",
        "severity": "warning",
    }
    assert "hodnota: x" in old.line_cs() and old.line_cs().startswith("varování: ")


# ------------------------------------------------------------------ the command


@pytest.mark.parametrize("fmt", ["text", "json", "ttl", "html"])
def test_cli_formats_and_exit_codes(run, mistaken, fmt):
    bad = run("validate", mistaken, "--format", fmt)
    assert bad.exit_code == 1
    for key in MISTAKES:
        assert key.split(".")[-1] in bad.output
    ok = run(
        "validate",
        reference(*OFN, "example-datova-sada-hvd.jsonld"),
        "--profile",
        "hvd",
        "--format",
        fmt,
    )
    assert ok.exit_code == 0, ok.output


def test_cli_profiles_and_errors(run, tmp_path):
    plain = reference(*OFN, "example-datova-sada.jsonld")
    assert run("validate", plain).exit_code == 0
    assert run("validate", plain, "--profile", "hvd").exit_code == 1
    assert run("validate", plain, "--profile", "dcat-ap-3").exit_code == 1
    assert run("validate", plain, "--profile", "nic").exit_code == 2
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> ", encoding="utf-8")
    result = run("validate", broken)
    assert result.exit_code == 2 and "invalid Turtle" in result.output
    assert re.search(r"file not found", run("validate", tmp_path / "no.jsonld").output)


def test_readme_report_example_is_the_real_output(run, tmp_path, monkeypatch):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(Chyby / Errors.*?)```", readme, flags=re.S).group(1)
    doc = example("example-datova-sada.jsonld")
    doc["téma"] = [THEME]
    (tmp_path / "zaznam.jsonld").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "zaznam.jsonld")
    assert result.exit_code == 1
    assert result.output == shown


def test_cli_checks_a_table_with_its_schema(run):
    from .conftest import DATA

    table = DATA / "shapes" / "facets.csv"
    result = run(
        "validate",
        table,
        "--schema",
        table.with_name("facets.csv-metadata.json"),
        "--format",
        "json",
    )
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["profile"] == "data" and report["source"] == "facets.csv"
    assert all(p["row"] and p["column"] and p["message"]["cs"] for p in report["errors"])
    assert run("validate", table, "--schema", table.with_name("none.json")).exit_code == 2


def test_a_record_for_lod_ingest_is_checked_as_ingest_would_publish_it(tmp_path):
    """`lod validate record.yaml`: the steward's own input form (YAML, or JSON without
    @context), not only OFN JSON-LD; each mistake once, no raw DCAT-AP 3 restatement."""
    import yaml

    from .conftest import DATA

    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE, "LOD_CONFIG": "none.toml"}
    good = DATA / "records" / "valid.yaml"
    done = CliRunner().invoke(main, ["validate", str(good)], env=env)
    assert done.exit_code == 0, done.output
    record = yaml.safe_load(good.read_text(encoding="utf-8"))
    record["téma"] = [THEME]
    record["periodicita_aktualizace"] = FREQUENCY
    record["popis"] = {"cs": " "}
    bad = tmp_path / "zaznam.yaml"
    bad.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    done = CliRunner().invoke(main, ["validate", str(bad), "--format", "json"], env=env)
    assert done.exit_code == 1, done.output
    keys = _keys(json.loads(done.output))
    assert keys == [
        ("periodicita_aktualizace", "error"),
        ("popis", "warning"),
        ("téma", "error"),
    ]
    as_json = bad.with_suffix(".json")
    as_json.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    again = CliRunner().invoke(main, ["validate", str(as_json), "--format", "json"], env=env)
    assert _keys(json.loads(again.output)) == keys


def _keys(report: dict) -> list[tuple[str, str]]:
    found = [(p["key"], "error") for p in report["errors"]]
    return sorted(found + [(p["key"], "warning") for p in report["warnings"]])
