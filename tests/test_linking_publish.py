"""Linking in `lod ingest`: the published CSV and CSVW metadata reproduce the linked RDF, the
dataset's coverage (dct:spatial) comes from the linked rows, the pages name the units."""

from __future__ import annotations

import csv
import json

import pytest
import rdflib
import yaml
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.compare import isomorphic

from lod.catalog import catalog as catalog_mod
from lod.cli import main
from lod.errors import ValidationFailed
from lod.namespaces import DCTERMS
from lod.publish import current_version, ingest, version_dir
from lod.territory.dataset import update

from .conftest import BASE
from .test_validation import VALID

RUIAN = "https://linked.cuzk.cz/resource/ruian/"
BROWSER = {"Accept": "text/html"}


def table(tmp_path, rows, name="t.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


def record(tmp_path, **changes):
    data = yaml.safe_load(VALID.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / "record.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def spatial(store, settings, dataset_id):
    graph = catalog_mod.dataset_graph(store, settings, dataset_id)
    return {str(o) for o in graph.objects(URIRef(f"{BASE}/datasets/{dataset_id}"), DCTERMS.spatial)}


MIXED = [
    ["Obec", "Okres", "Kód ORP", "Počet"],
    ["Borovnice", "Trutnov", "5203", "10"],  # ORP Dvůr Králové nad Labem (ČSÚ)
    ["Hradec Králové", "Hradec Králové", "5205", "20"],
    ["Borovnice", "", "", "30"],  # ambiguous
    ["Jičín", "Jičín", "5207", "40"],
    ["Náchod", "Náchod", "5204", "50"],  # ORP Hořice: no such Náchod
    ["Atlantis", "Náchod", "9999", "60"],
]


def test_published_csv_and_metadata_reproduce_the_rdf(store, settings, tmp_path):
    result = ingest(store, settings, table(tmp_path, MIXED), "obce", VALID)
    folder = version_dir(settings, "obce", current_version(store, settings, "obce"))
    with open(folder / "data.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["Obec", "Okres", "Kód ORP", "Počet", "Obec (RÚIAN)", "Kód ORP (RÚIAN)"]
    metadata = json.loads((folder / "data.csv-metadata.json").read_text(encoding="utf-8"))
    derived = metadata["tableSchema"]["columns"][-2:]
    assert [c["valueUrl"] for c in derived] == [
        RUIAN + "obec/{obec_ruian}",
        RUIAN + "orp/{kod_orp_ruian}",
    ]
    assert len(result.links) == 2
    out = tmp_path / "again.nt"
    again = CliRunner().invoke(
        main,
        ["convert", str(folder / "data.csv"), "--metadata", str(folder / "data.csv-metadata.json")]
        + ["--url", f"{BASE}/datasets/obce/data.csv", "-f", "nt", "-o", str(out)],
        catch_exceptions=False,
    )
    assert again.exit_code == 0, again.output
    published = rdflib.Graph().parse(folder / "data.nt", format="nt")
    assert isomorphic(rdflib.Graph().parse(out, format="nt"), published)
    obce = set(published.objects(None, URIRef(f"{BASE}/datasets/obce/columns/obec_ruian")))
    assert obce == {URIRef(RUIAN + f"obec/{c}") for c in ("579092", "569810", "572659")}
    # the problems of the table are warnings of the ingest, with rows
    assert any("row 4: column 'Obec': 'Borovnice' is the name of" in w for w in result.warnings)
    assert any(
        "row 6: column 'Obec': no obec 'Náchod' with okres 'Náchod' and ORP '5204'" in w
        for w in result.warnings
    )
    assert any("row 7: column 'Obec': no obec is named 'Atlantis'" in w for w in result.warnings)
    assert any("row 7: column 'Kód ORP': '9999'" in w for w in result.warnings)


@pytest.mark.parametrize(
    "codes, covering",
    [
        (["579092", "579025", "579203"], "okres/3610"),
        (["569810", "579092", "572659"], "vusc/86"),
        (["569810", "554782"], "stat/1"),
    ],
)
def test_coverage_from_the_linked_rows_when_the_record_has_none(
    store, settings, tmp_path, codes, covering
):
    rows = [["Kód obce", "Hodnota"]] + [[code, "1"] for code in codes]
    result = ingest(
        store, settings, table(tmp_path, rows), "sada", record(tmp_path, prvek_rúian=None)
    )
    assert spatial(store, settings, "sada") == {RUIAN + covering}
    assert result.spatial == [RUIAN + covering]


def test_the_record_s_own_coverage_wins(store, settings, tmp_path):
    rows = [["Kód obce"], ["569810"], ["554782"]]
    result = ingest(store, settings, table(tmp_path, rows), "sada", VALID)
    assert spatial(store, settings, "sada") == {RUIAN + "vusc/86"}  # as the record says
    assert result.spatial == []


def test_a_record_without_coverage_and_a_table_without_links_is_refused(store, settings, tmp_path):
    rows = [["Paragraf", "Částka"], ["2212", "100"]]
    bare = record(tmp_path, prvek_rúian=None)
    with pytest.raises(ValidationFailed) as refused:
        ingest(store, settings, table(tmp_path, rows), "sada", bare)
    wheres = [p.where for p in refused.value.problems if p.severity == "error"]
    assert wheres and all(w.startswith("prvek_rúian") for w in wheres)
    assert "sada" not in {i.rsplit("/", 1)[-1] for i in catalog_mod.dataset_iris(store, settings)}
    assert not (settings.home_path / "files" / "sada").exists() or not any(
        p for p in (settings.home_path / "files" / "sada").iterdir() if not p.name.startswith(".")
    )


def test_other_errors_refuse_the_record_before_the_table_is_read(store, settings, tmp_path):
    bare = record(tmp_path, prvek_rúian=None, téma=None)
    rows = [["Kód obce"], ["569810"]]
    with pytest.raises(ValidationFailed) as refused:
        ingest(store, settings, table(tmp_path, rows), "sada", bare)
    wheres = {p.where.split(" ")[0] for p in refused.value.problems if p.severity == "error"}
    assert {"téma", "prvek_rúian"} <= wheres  # every problem, as before linking


def test_cli_says_what_was_linked_and_the_coverage(tmp_path, monkeypatch):
    monkeypatch.setenv("LOD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LOD_BASE_URL", BASE)
    monkeypatch.setenv("LOD_CONFIG", str(tmp_path / "none.toml"))
    rows = [["Kód obce"], ["579092"], ["579025"]]
    result = CliRunner().invoke(
        main,
        ["ingest", str(table(tmp_path, rows)), "--id", "sada"]
        + ["--meta", str(record(tmp_path, prvek_rúian=None))],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "linked: column 'Kód obce': obec codes (RÚIAN) linked to RÚIAN obec IRIs" in (
        result.stderr
    )
    assert f"prvek_rúian (dct:spatial) from the linked rows: {RUIAN}okres/3610" in result.stderr


def test_row_pages_name_the_linked_units(client, store, settings, tmp_path):
    update(store, settings)  # the codelist: the units' names
    rows = [["Kód obce", "Kód ORP"], ["579092", "5205"]]
    ingest(store, settings, table(tmp_path, rows), "sada", VALID)
    page = client.get("/datasets/sada/rows/1", headers=BROWSER).data.decode()
    assert f'<a href="{RUIAN}obec/579092">Borovnice</a>' in page
    assert f'<a href="{RUIAN}orp/965">Hradec Králové</a>' in page
