"""Automatic linking of territorial codes and municipality names while a table is prepared."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef

from lod.cli import main
from lod.tabular import fast, linking, prepare, to_ntriples
from lod.territory import headers, lookup

RUIAN = "https://linked.cuzk.cz/resource/ruian/"
URL = "https://data.example.cz/datasets/t/data.csv"


@pytest.fixture(scope="module")
def index():
    return lookup.load()


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


def prepared(tmp_path, rows, index, **kwargs):
    """(Prepared, the canonical CSV's rows, its columns by name)."""
    out = tmp_path / "data.csv"
    result = prepare(write(tmp_path / "in.csv", rows), out, table_url=URL, index=index, **kwargs)
    with open(out, encoding="utf-8", newline="") as f:
        written = list(csv.reader(f))
    columns = {c["name"]: c for c in result.metadata["tableSchema"]["columns"]}
    return result, written, columns


def column(written: list[list[str]], title: str) -> list[str]:
    at = written[0].index(title)
    return [row[at] for row in written[1:] if row]


def triples(result, tmp_path) -> rdflib.Graph:
    lines = to_ntriples(result.metadata, csv_path=tmp_path / "data.csv", minimal=True)
    return rdflib.Graph().parse(data="".join(lines), format="nt")


# ------------------------------------------------------------------ headers


@pytest.mark.parametrize(
    "title, kinds, code, name",
    [
        ("Kód obce", ("obec",), True, False),
        ("KOD_OBCE", ("obec",), True, False),
        ("ICOB", ("obec",), True, False),
        ("obec_kod", ("obec",), True, False),
        ("kodObce", ("obec",), True, False),
        ("Název obce", ("obec",), False, True),
        ("NAZOBCE", ("obec",), False, True),
        ("Město", ("obec",), False, False),
        ("kod_okresu", ("okres",), True, False),
        ("KODOKRESU", ("okres",), True, False),
        ("ORP", ("orp",), False, False),
        ("kod_vusc", ("kraj",), True, False),
        ("kod_kraje", ("kraj",), True, False),
        ("pou", ("pou",), False, False),
        ("PSČ", (), False, False),
        ("Počet obcí", (), False, False),
        ("Rok", (), False, False),
        ("Telefon území KHK", (), False, False),
    ],
)
def test_headers_name_kinds_codes_and_names(title, kinds, code, name):
    header = headers.read(title)
    assert (header.kinds, header.code, header.name) == (kinds, code, name)


def test_headers_name_code_systems():
    assert headers.read("orp_csu_cis65_kod").system == "csu"
    assert headers.read("okres_csu_cis109_nuts_kod").system == "nuts"
    assert headers.read("kraj_ruian_vusc_kod").system == "ruian"
    assert headers.read("PSČ").postcode


# ------------------------------------------------------------------ codes


def test_a_column_of_obec_codes_gets_a_value_url_of_ruian_iris(tmp_path, index):
    rows = [["Kód obce", "Počet"], ["569810", "10"], ["579092", "3"], ["-", "1"], ["", "2"]]
    result, written, columns = prepared(tmp_path, rows, index)
    assert columns["kod_obce"]["valueUrl"] == RUIAN + "obec/{kod_obce}"
    assert written[0] == ["Kód obce", "Počet"]  # no derived column: the codes are RÚIAN's
    graph = triples(result, tmp_path)
    obce = set(graph.objects(None, URIRef(URL + "#kod_obce")))
    assert obce == {URIRef(RUIAN + "obec/569810"), URIRef(RUIAN + "obec/579092")}
    assert result.warnings == []  # missing values stay missing, silently
    assert result.links == [
        "column 'Kód obce': obec codes (RÚIAN) linked to RÚIAN obec IRIs in the column itself"
    ]


def test_codes_of_other_systems_get_derived_columns_of_ruian_codes(tmp_path, index):
    rows = [
        ["Kód ORP", "Okres", "kod_kraje", "Hodnota"],
        ["5205", "CZ0521", "3085", "1"],
        ["5201", "CZ0523", "3085", "2"],
        ["-", "CZ0100", "3018", "3"],
    ]
    result, written, columns = prepared(tmp_path, rows, index)
    assert written[0][-3:] == ["Kód ORP (RÚIAN)", "Okres (RÚIAN)", "kod_kraje (RÚIAN)"]
    assert column(written, "Kód ORP (RÚIAN)") == ["965", "1031", ""]
    assert column(written, "Okres (RÚIAN)") == ["3602", "3605", "3100"]
    assert column(written, "kod_kraje (RÚIAN)") == ["86", "86", "19"]
    derived = columns["kod_orp_ruian"]
    assert derived["valueUrl"] == RUIAN + "orp/{kod_orp_ruian}"
    assert derived["titles"] == "Kód ORP (RÚIAN)"
    assert "valueUrl" not in columns["kod_orp"]  # the original code stays a literal
    graph = triples(result, tmp_path)
    assert Literal("5205") in set(graph.objects(None, URIRef(URL + "#kod_orp")))
    assert set(graph.objects(None, URIRef(URL + "#kod_orp_ruian"))) == {
        URIRef(RUIAN + "orp/965"),
        URIRef(RUIAN + "orp/1031"),
    }
    assert URIRef(RUIAN + "okres/3602") in set(graph.objects(None, URIRef(URL + "#okres_ruian")))
    assert result.warnings == []


def test_unknown_codes_are_reported_with_their_rows_and_not_linked(tmp_path, index):
    rows = [["kod_obce", "x"]] + [["569810", "1"]] * 3 + [["999999", "2"], ["569810", "3"]]
    rows += [["999999", "4"], ["12345", "5"], ["-", "6"]]
    result, written, columns = prepared(tmp_path, rows, index)
    assert "valueUrl" not in columns["kod_obce"]
    assert columns["kod_obce_ruian"]["valueUrl"] == RUIAN + "obec/{kod_obce_ruian}"
    assert column(written, "kod_obce (RÚIAN)") == ["569810"] * 3 + ["", "569810", "", "", ""]
    assert result.warnings == [
        "in.csv, rows 5, 7: column 'kod_obce': '999999' is not the code of any obec (RÚIAN);"
        " not linked — check the code",
        "in.csv, row 8: column 'kod_obce': '12345' is not the code of any obec (RÚIAN);"
        " not linked — check the code",
    ]


@pytest.mark.parametrize(
    "title, values",
    [
        ("Rok", ["2019", "2020", "2021", "2022", "2023"]),
        ("Počet", [str(n) for n in range(1, 150)]),  # includes VÚSC 19, 27, … and ORP RÚIAN
        ("PSČ", ["50003", "50002", "54101", "40568", "40584"]),  # two are LAU codes of okresy
        ("Hodnota", ["86", "19", "27", "35", "43"]),  # VÚSC codes, but a number column
        ("Číslo", ["3085", "3107", "3115"]),  # kraj ČSÚ codes = some ORP codes: ambiguous
        ("Kód", ["1031", "965", "1040"]),  # ORP RÚIAN codes = POU codes: ambiguous
        ("Obec", ["Praha 5", "Atlantis", "Hradec Králové"]),  # mostly not names of obce
        ("Název", ["Hradec Králové", "Jičín", "Náchod"]),  # names, but not said to be obce
    ],
)
def test_no_false_links(tmp_path, index, title, values):
    rows = [[title, "x"]] + [[v, "1"] for v in values]
    result, written, columns = prepared(tmp_path, rows, index)
    assert result.links == []
    assert written[0] == [title, "x"]
    assert all("valueUrl" not in c for c in columns.values())


def test_codes_recognised_by_their_values_alone(tmp_path, index):
    rows = [["Kód místa", "id", "NUTS", "x"]]
    rows += [["572659", "5205", "CZ0521", "1"], ["569810", "5201", "CZ0523", "2"]]
    rows += [["579092", "1000", "CZ0100", "3"]]
    result, written, columns = prepared(tmp_path, rows, index)
    assert columns["kod_mista"]["valueUrl"] == RUIAN + "obec/{kod_mista}"
    assert column(written, "id (RÚIAN)") == ["965", "1031", "19"]  # ORP, ČSÚ numbering
    assert column(written, "NUTS (RÚIAN)") == ["3602", "3605", "3100"]


def test_a_hinted_column_needs_half_of_its_values_as_codes(tmp_path, index):
    rows = [["okres"], ["3602"], ["neznámý"], ["x"], ["y"]]
    assert prepared(tmp_path, rows, index)[0].links == []
    rows = [["okres"], ["3602"], ["3605"], ["x"], ["-"]]
    result, written, _ = prepared(tmp_path, rows, index)
    assert column(written, "okres (RÚIAN)") == ["3602", "3605", "", ""]
    assert len(result.warnings) == 1 and "'x' is not the code of any okres" in result.warnings[0]


def test_a_codelist_table_links_each_kind_once(tmp_path, index):
    """Codes of one unit in several systems (a codelist): the RÚIAN column is linked, the
    other systems' columns stay literals instead of repeating the same links."""
    rows = [["orp_csu_cis65_kod", "orp_ruian_kod", "kraj_zkratka", "kraj_ruian_vusc_kod"]]
    rows += [["5205", "965", "HKK", "86"], ["5201", "1031", "HKK", "86"]]
    result, written, columns = prepared(tmp_path, rows, index)
    assert [c.split("'")[1] for c in result.links] == ["orp_ruian_kod", "kraj_ruian_vusc_kod"]
    assert len(written[0]) == 4


# ------------------------------------------------------------------ names


def test_names_with_districts_are_reconciled(tmp_path, index):
    rows = [
        ["Název obce", "Okres", "Počet"],
        ["Borovnice", "Trutnov", "1"],
        ["BOROVNICE", "Rychnov nad Kněžnou", "2"],
        ["Hradec Kralove", "Hradec Králové", "3"],
        ["  chlumec   nad cidlinou ", "Hradec Králové", "4"],
        ["Borovnice", "Benešov", "5"],
        ["Frýdek - Místek", "", "6"],
        ["-", "Trutnov", "7"],
    ]
    result, written, columns = prepared(tmp_path, rows, index)
    assert column(written, "Název obce (RÚIAN)") == [
        "579092",
        "576140",
        "569810",
        "570109",
        "532096",
        "598003",
        "",
    ]
    assert columns["nazev_obce_ruian"]["valueUrl"] == RUIAN + "obec/{nazev_obce_ruian}"
    assert result.warnings == []
    assert result.links == [
        "column 'Název obce': names of obce (told apart by okres) linked to RÚIAN obec IRIs in"
        " new column 'Název obce (RÚIAN)'"
    ]
    graph = triples(result, tmp_path)
    assert Literal("Borovnice", lang="cs") in set(graph.objects())  # the name stays


def test_ambiguous_names_are_reported_with_their_candidates_never_guessed(tmp_path, index):
    rows = [["Obec", "Hodnota"], ["Hradec Králové", "1"], ["Borovnice", "2"]]
    rows += [["Jičín", "3"], ["Borovnice", "4"], ["Atlantis", "5"]]
    result, written, _ = prepared(tmp_path, rows, index)
    assert column(written, "Obec (RÚIAN)") == ["569810", "", "572659", "", ""]
    ambiguous, unknown = result.warnings
    assert ambiguous.startswith(
        "in.csv, rows 3, 5: column 'Obec': 'Borovnice' is the name of 5 obce"
    )
    for candidate in (
        "Borovnice 579092 (okres Trutnov)",
        "Borovnice 576140 (okres Rychnov nad Kněžnou)",
        "Borovnice 595322 (okres Žďár nad Sázavou)",
        "Borovnice 532096 (okres Benešov)",
        "Borovnice 535681 (okres České Budějovice)",
    ):
        assert candidate in ambiguous
    assert "not linked" in ambiguous and "add a column with the okres, ORP or PSČ" in ambiguous
    assert unknown.startswith("in.csv, row 6: column 'Obec': no obec is named 'Atlantis'")


def test_context_that_fits_no_candidate_is_reported(tmp_path, index):
    rows = [["Obec", "Okres"], ["Borovnice", "Náchod"], ["Jičín", "Jičín"], ["Hořice", "Jičín"]]
    result, written, _ = prepared(tmp_path, rows, index)
    assert column(written, "Obec (RÚIAN)") == ["", "572659", "572926"]
    assert result.warnings[0].startswith(
        "in.csv, row 2: column 'Obec': no obec 'Borovnice' with okres 'Náchod'; not linked"
    )
    assert "Borovnice 579092 (okres Trutnov)" in result.warnings[0]


def test_names_told_apart_by_postcode_orp_code_or_kraj(tmp_path, index):
    rows = [
        ["Město", "PSČ", "kod_orp", "Kraj"],
        ["Borovnice", "544 77", "", ""],  # PSČ of Borovnice u Dvora Králové
        ["Borovnice", "", "5208", ""],  # ORP Kostelec nad Orlicí, ČSÚ numbering
        ["Borovnice", "", "", "Kraj Vysočina"],
        ["Borovnice", "", "", "Jihočeský"],  # without the word "kraj"
        ["Borovnice", "", "", "Královéhradecký kraj"],  # two of them there
        ["Hradec Králové", "503 03", "", ""],  # a PSČ of Smiřice: it only breaks ties
        ["Borovnice", "110 00", "", ""],  # a PSČ of Praha: no tie broken
    ]
    result, written, _ = prepared(tmp_path, rows, index)
    assert column(written, "Město (RÚIAN)") == [
        *("579092", "576140", "595322", "535681", ""),
        *("569810", ""),
    ]
    assert len(result.warnings) == 2
    assert "row 6: column 'Město': 'Borovnice' is the name of 2 obce" in result.warnings[0]
    assert "row 8: column 'Město': 'Borovnice' is the name of 5 obce" in result.warnings[1]


def test_names_are_not_reconciled_when_the_table_has_obec_codes(tmp_path, index):
    rows = [["Kód obce", "Název obce"], ["569810", "Hradec Králové"], ["579092", "Borovnice"]]
    result, written, _ = prepared(tmp_path, rows, index)
    assert written[0] == ["Kód obce", "Název obce"]
    assert [line.split("'")[1] for line in result.links] == ["Kód obce"]


# ------------------------------------------------------------------ coverage


@pytest.mark.parametrize(
    "codes, covering",
    [
        (["569810"], "obec/569810"),
        (["579092", "579025", "579203"], "okres/3610"),  # Trutnov: three ORP
        (["569810", "579092", "572659"], "vusc/86"),
        (["569810", "554782"], "stat/1"),  # Hradec Králové and Praha
    ],
)
def test_coverage_is_the_smallest_unit_of_the_linked_rows(tmp_path, index, codes, covering):
    rows = [["Kód obce", "Kraj"]] + [[code, "86"] for code in codes]  # kraj: coarser, ignored
    result, _, _ = prepared(tmp_path, rows, index)
    assert result.coverage.iri == RUIAN + covering


def test_coverage_of_an_orp_and_of_a_table_without_links(tmp_path, index):
    rows = [["Kód obce"], ["572659"], ["572926"]]  # Jičín, Hořice: two ORP of okres Jičín
    assert prepared(tmp_path, rows, index)[0].coverage.iri == RUIAN + "okres/3604"
    rows = [["Kód obce"], ["573868"], ["573906"], ["573965"]]  # in ORP Náchod, three POU
    assert prepared(tmp_path, rows, index)[0].coverage.iri == RUIAN + "orp/1066"
    assert prepared(tmp_path, [["x"], ["1"]], index)[0].coverage is None


# ------------------------------------------------------------------ the whole table


def test_links_decided_on_the_first_rows_are_checked_against_all(tmp_path, index, monkeypatch):
    """The links are decided on the first batch of rows and the rows written with them; a
    later row that changes the decision makes lod rewrite the file with the final links."""
    from lod.tabular import derive

    monkeypatch.setattr(derive, "BATCH", 4)
    rows = [["Kód obce", "Kód"]] + [["569810", "572659"]] * 6
    rows += [["999999", "text"], ["572659", "569810"]]  # a bad code; not codes after all
    result, written, columns = prepared(tmp_path, rows, index)
    assert written[0] == ["Kód obce", "Kód", "Kód obce (RÚIAN)"]
    assert column(written, "Kód obce (RÚIAN)") == ["569810"] * 6 + ["", "572659"]
    assert all(len(row) == 3 for row in written)
    assert "valueUrl" not in columns["kod"]
    assert result.warnings == [
        "in.csv, row 8: column 'Kód obce': '999999' is not the code of any obec (RÚIAN);"
        " not linked — check the code"
    ]


def test_later_rows_count_as_much_as_the_first(tmp_path, index, monkeypatch):
    """Four codes first, then six rows of one other value: less than half of the rows have
    codes, so the column is not linked, however few distinct values the others are."""
    from lod.tabular import derive

    monkeypatch.setattr(derive, "BATCH", 4)
    rows = [["Kód obce"], ["569810"], ["572659"], ["579092"], ["579025"]] + [["neuvedeno"]] * 6
    result, written, columns = prepared(tmp_path, rows, index)
    assert result.links == [] and written[0] == ["Kód obce"]
    assert all(len(row) == 1 for row in written)
    rows = rows[:-3]  # four codes of seven rows: linked, the other value reported
    result, written, columns = prepared(tmp_path, rows, index)
    assert (
        column(written, "Kód obce (RÚIAN)") == ["569810", "572659", "579092", "579025"] + [""] * 3
    )
    assert result.warnings == [
        "in.csv, rows 6, 7, 8: column 'Kód obce': 'neuvedeno' is not the code of any obec"
        " (RÚIAN); not linked — check the code"
    ]


def test_big_tables_take_the_fast_path_with_the_same_bytes(tmp_path, index, monkeypatch):
    rows = [["Kód obce", "Kód ORP", "Obec"]]
    rows += [["569810", "5205", "Hradec Králové"], ["579092", "-", "Borovnice"]] * 3000
    result, _, _ = prepared(tmp_path, rows, index)
    outputs = []
    for enabled in (True, False):
        monkeypatch.setattr(fast, "ENABLED", enabled)
        monkeypatch.setattr("lod.tabular.ntriples.new_prefix", lambda: "_:b00000000x")
        outputs.append("".join(to_ntriples(result.metadata, csv_path=tmp_path / "data.csv")))
    assert outputs[0] == outputs[1]
    assert outputs[0].count(f"<{RUIAN}orp/965>") == 3000


def test_linking_is_off_without_an_index(tmp_path):
    rows = [["Kód obce"], ["569810"]]
    result, written, columns = prepared(tmp_path, rows, None)
    assert result.links == [] and "valueUrl" not in columns["kod_obce"]


def test_blank_rows_kept_for_lod_convert(tmp_path, index):
    rows = [[], ["Kód ORP", "x"], ["5205", "1"], ["", ""], ["9999", "2"]]
    result, written, _ = prepared(tmp_path, rows, index, keep_blank=True)
    assert result.metadata["dialect"] == {"skipRows": 1, "skipBlankRows": True}
    assert written == [[], ["Kód ORP", "x", "Kód ORP (RÚIAN)"], ["5205", "1", "965"]] + [
        ["", "", ""],
        ["9999", "2", ""],
    ]
    assert result.warnings[0].startswith("in.csv, row 5: column 'Kód ORP': '9999'")


# ------------------------------------------------------------------ lod convert


def test_lod_convert_links_inferred_metadata_and_keeps_row_numbers(tmp_path):
    table = write(tmp_path / "t.csv", [["Kód ORP", "x"], ["", ""], ["5205", "1"], ["77", "2"]])
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(table), "-f", "nt"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"<{RUIAN}orp/965>" in result.stdout
    assert f"{table.as_uri()}#row=3>" in result.stdout  # the row numbers of the file
    assert "t.csv, row 4: column 'Kód ORP': '77' is not the code of any ORP" in result.stderr
    plain = runner.invoke(main, ["convert", str(table), "-f", "nt", "--no-link"])
    assert RUIAN not in plain.stdout and plain.stderr == ""


def test_lod_convert_schema_keeps_only_links_the_original_file_can_hold(tmp_path):
    table = write(tmp_path / "t.csv", [["Kód obce", "Kód ORP"], ["569810", "5205"]])
    schema = tmp_path / "t.json"
    result = CliRunner().invoke(
        main, ["convert", str(table), "--schema", str(schema), "-f", "nt"], catch_exceptions=False
    )
    assert result.exit_code == 0
    columns = json.loads(schema.read_text(encoding="utf-8"))["tableSchema"]["columns"]
    assert [c.get("valueUrl") for c in columns] == [RUIAN + "obec/{kod_obce}", None]
    assert "column 'Kód ORP' not linked: its ORP codes (ČSÚ) need a derived column" in result.stderr


def test_plan_keys_compare_links():
    a = linking.Link(0, "a", "A", "obec", "ruian", 1.0)
    b = linking.Link(0, "a", "A", "obec", "ruian", 0.9)
    assert linking.Plan([a]).key == linking.Plan([b]).key
