"""The CLI: a thin face with documented exit codes (0 ok, 1 refused / does not conform, 2 error)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import rdflib
from rdflib.compare import isomorphic

from lod.cli import main

from .conftest import BASE, DATA, reference
from .test_validation import VALID

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_and_exists():
    commands = set(main.commands)
    documented = set(re.findall(r"^\| `lod ([a-z-]+)", README, flags=re.M))
    assert documented == commands


def test_convert_formats(run, tmp_path):
    out = tmp_path / "out.ttl"
    result = run("convert", TABLE, "-o", out)
    assert result.exit_code == 0, result.output
    standard = rdflib.Graph().parse(out, format="turtle")
    result = run("convert", TABLE, "--minimal", "-f", "nt", "-o", tmp_path / "min.nt")
    assert result.exit_code == 0
    minimal = rdflib.Graph().parse(tmp_path / "min.nt", format="nt")
    assert 0 < len(minimal) < len(standard)
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/csvw#Row")) in standard
    assert (None, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/csvw#Row")) not in minimal
    result = run("convert", TABLE, "-f", "jsonld", "-o", tmp_path / "out.jsonld")
    assert result.exit_code == 0
    assert len(rdflib.Graph().parse(tmp_path / "out.jsonld", format="json-ld")) == len(standard)


def test_convert_writes_and_reuses_the_schema(run, tmp_path):
    schema = tmp_path / "schema.json"
    first = run("convert", TABLE, "-f", "nt", "-o", tmp_path / "a.nt", "--schema", schema)
    assert first.exit_code == 0, first.output
    meta = json.loads(schema.read_text(encoding="utf-8"))
    assert meta["tableSchema"]["columns"]
    second = run("convert", TABLE, "-f", "nt", "-o", tmp_path / "b.nt", "--metadata", schema)
    assert second.exit_code == 0, second.output
    a = rdflib.Graph().parse(tmp_path / "a.nt", format="nt")
    b = rdflib.Graph().parse(tmp_path / "b.nt", format="nt")
    assert isomorphic(a, b)


def test_convert_missing_file_is_a_usage_error(run):
    assert run("convert", "missing.csv").exit_code == 2


def test_validate_exit_codes(run, tmp_path):
    example = reference("dcat-ap-cz", "ofn-2024-05-28", "example-datova-sada.jsonld")
    ok = run("validate", example)
    assert ok.exit_code == 0, ok.output
    doc = json.loads(example.read_text(encoding="utf-8"))
    del doc["periodicita_aktualizace"]
    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    refused = run("validate", bad)
    assert refused.exit_code == 1
    assert "periodicita_aktualizace (dct:accrualPeriodicity)" in refused.output
    as_json = run("validate", bad, "--format", "json")
    assert json.loads(as_json.output)["conforms"] is False
    assert run("validate", tmp_path / "missing.jsonld").exit_code == 2


def test_ingest_list_delete(run, tmp_path):
    result = run("ingest", TABLE, "--id", "rozpocet", "--meta", VALID)
    assert result.exit_code == 0, result.output
    assert run("list").output.strip() == f"{BASE}/datasets/rozpocet"
    assert run("delete", "--id", "rozpocet").exit_code == 0
    assert run("list").output.strip() == ""
    assert run("delete", "--id", "rozpocet").exit_code == 2


def test_ingest_bad_input_is_exit_2_with_a_hint(run, tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("nazev: Rozpočet\n", encoding="utf-8")
    result = run("ingest", TABLE, "--id", "rozpocet", "--meta", bad)
    assert result.exit_code == 2
    assert "did you mean 'název'" in result.output


def test_every_unknown_key_of_a_record_is_named_at_once(run, tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("nazev: Rozpočet\npopsi: x\nzbytecny: 1\n", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 2
    assert "unknown keys 'nazev', 'popsi', 'zbytecny'" in result.output
    assert "'nazev': did you mean 'název'? 'popsi': did you mean 'popis'?" in result.output


def test_readme_record_example_is_valid(tmp_path, settings):
    """The record shown in the README publishes as shown."""
    from lod.publish import prepare_record

    example = re.search(r"```yaml\n(.*?)```", README, flags=re.S).group(1)
    path = tmp_path / "rozpocet-2016.yaml"
    path.write_text(example, encoding="utf-8")
    document, _, problems = prepare_record(path, "rozpocet-2016", settings)
    assert [p for p in problems if p.severity == "error"] == []
    terms = document["distribuce"][0]["podmínky_užití"]
    assert terms["autorské_dílo"] == "https://creativecommons.org/licenses/by/4.0/"


def test_readme_refusal_example_matches_the_real_output(run, tmp_path):
    record = tmp_path / "rozpocet.yaml"
    record.write_text(
        "".join(
            line
            for line in VALID.read_text(encoding="utf-8").splitlines(True)
            if "periodicita" not in line
        ),
        encoding="utf-8",
    )
    result = run("ingest", TABLE, "--id", "rozpocet", "--meta", record)
    assert result.exit_code == 1
    shown = re.search(r"```\n(refused:.*?)```", README, flags=re.S).group(1)
    for line in result.output.splitlines()[1:]:
        assert line in shown


def test_validate_says_in_both_languages_that_nkod_needs_https(tmp_path):
    from click.testing import CliRunner

    env = {"LOD_HOME": str(tmp_path), "LOD_BASE_URL": "http://127.0.0.1:8000"}
    env["LOD_CONFIG"] = str(tmp_path / "none.toml")
    result = CliRunner().invoke(main, ["validate", str(VALID)], env=env)
    assert result.exit_code == 0, result.output
    assert "LOD_BASE_URL není https" in result.output
    assert "jak opravit: pro NKOD publikujte pod https://…" in result.output
    assert "how to fix: publish under https://… for NKOD" in result.output
