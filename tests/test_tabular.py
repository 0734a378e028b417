"""lod.tabular: reading Czech tables, schema inference, canonical CSV (prepare)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from lod.errors import BadInput
from lod.tabular import convert, infer_metadata, prepare, to_ntriples

from . import conftest

DATA = Path(__file__).parent / "data" / "tabular"
REFERENCE = conftest.REFERENCE / "czech-datasets"
URL = "https://data.kraj.example.cz/datasets/obce/table.csv"


def graph(lines) -> Graph:
    g = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.parse(data="".join(lines), format="nt")
    return g


def columns(metadata: dict) -> dict[str, dict]:
    return {c["name"]: c for c in metadata["tableSchema"]["columns"]}


def same_rdf(a: tuple[dict, Path], b: tuple[dict, Path]) -> bool:
    """The two (metadata, CSV) pairs give the same cell triples (rows named, so that the
    graphs compare as sets: isomorphism over thousands of blank nodes is slow)."""
    graphs = []
    for metadata, path in (a, b):
        metadata = json.loads(json.dumps(metadata))
        metadata["tableSchema"]["aboutUrl"] = "#row-{_row}"
        graphs.append(set(graph(to_ntriples(metadata, csv_path=path, minimal=True))))
    return graphs[0] == graphs[1] and len(graphs[0]) > 0


def values(g: Graph, prop: str) -> set:
    return set(g.objects(None, URIRef(prop)))


# --- the synthetic Windows-1250 file: ';', decimal comma, Czech dates, codes -------------


@pytest.fixture(scope="module")
def obce(tmp_path_factory):
    out = tmp_path_factory.mktemp("obce") / "obce.csv"
    return prepare(DATA / "obce_cp1250.csv", out, table_url=URL), out


def test_cp1250_inferred_types(obce):
    prepared, _ = obce
    cols = columns(prepared.metadata)
    assert list(cols) == [
        "kod_obce",
        "nazev_obce",
        "pocet_obyvatel",
        "rozpocet_kc",
        "datum_aktualizace",
        "kod_casti",
        "poznamka",
    ]
    assert cols["kod_obce"]["datatype"] == "string"  # a code, by its header
    assert cols["nazev_obce"]["titles"] == "Název obce"  # trailing space trimmed
    assert cols["nazev_obce"]["lang"] == "cs"
    assert cols["pocet_obyvatel"]["datatype"] == {"base": "integer", "format": {"groupChar": " "}}
    assert cols["rozpocet_kc"]["datatype"] == {
        "base": "decimal",
        "format": {"decimalChar": ",", "groupChar": " "},
    }
    assert cols["rozpocet_kc"]["null"] == ["", "-"]
    assert cols["datum_aktualizace"]["datatype"] == {"base": "date", "format": "d. M. yyyy"}
    assert cols["kod_casti"]["datatype"] == "string"  # leading zeros: a code
    assert "lang" not in cols["kod_casti"]
    assert prepared.rows == 4
    assert prepared.warnings == []
    assert prepared.metadata["@context"] == ["http://www.w3.org/ns/csvw", {"@language": "cs"}]
    assert prepared.metadata["url"] == URL
    assert "dialect" not in prepared.metadata  # the canonical CSV uses every default
    json.dumps(prepared.metadata)


def test_cp1250_canonical_csv(obce):
    _, out = obce
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == (
        "Kód obce,Název obce,Počet obyvatel,Rozpočet (Kč),Datum aktualizace,Kód části,Poznámka"
    )
    assert lines[1] == '569810,Hradec Králové,92 891,"1 234,56",1. 2. 2024,0042,Krajské město'
    assert '"Řeka Metuje; ""Ostrov"""' in lines[3]
    assert "Žďár nad Metují" in text
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")


def test_cp1250_rdf(obce):
    prepared, out = obce
    g = graph(to_ntriples(prepared.metadata, csv_path=out))
    p = URL + "#"
    assert Literal("1234.56", datatype=XSD.decimal) in values(g, p + "rozpocet_kc")
    assert Literal("987654.3", datatype=XSD.decimal) in values(g, p + "rozpocet_kc")
    assert len(values(g, p + "rozpocet_kc")) == 3  # "-" is missing
    assert Literal("92891", datatype=XSD.integer) in values(g, p + "pocet_obyvatel")
    assert values(g, p + "datum_aktualizace") == {
        Literal("2024-02-01", datatype=XSD.date),
        Literal("2024-03-15", datatype=XSD.date),
        Literal("2023-12-01", datatype=XSD.date),
    }
    assert Literal("0042") in values(g, p + "kod_casti")
    assert Literal("Žďár nad Metují", lang="cs") in values(g, p + "nazev_obce")
    assert Literal('Řeka Metuje; "Ostrov"', lang="cs") in values(g, p + "poznamka")
    assert len(values(g, p + "poznamka")) == 2


def test_infer_metadata_reproduces_rdf_from_original(obce):
    prepared, out = obce
    original = infer_metadata(DATA / "obce_cp1250.csv", table_url=URL)
    assert original["dialect"] == {"encoding": "windows-1250", "delimiter": ";"}
    assert original["tableSchema"] == prepared.metadata["tableSchema"]
    a = graph(to_ntriples(original, csv_path=DATA / "obce_cp1250.csv"))
    b = graph(to_ntriples(prepared.metadata, csv_path=out))
    assert isomorphic(a, b)
    assert same_rdf((original, DATA / "obce_cp1250.csv"), (prepared.metadata, out))


def test_templates_from_prepare(tmp_path):
    prepared = prepare(
        DATA / "obce_cp1250.csv",
        tmp_path / "o.csv",
        table_url=URL,
        about_url="https://data.kraj.example.cz/obce/{kod_obce}",
        property_url="https://data.kraj.example.cz/slovnik/{_name}",
    )
    schema = prepared.metadata["tableSchema"]
    assert schema["aboutUrl"] == "https://data.kraj.example.cz/obce/{kod_obce}"
    assert all(
        c["propertyUrl"] == "https://data.kraj.example.cz/slovnik/{_name}"
        for c in schema["columns"]
    )
    g = graph(to_ntriples(prepared.metadata, csv_path=tmp_path / "o.csv", minimal=True))
    subject = URIRef("https://data.kraj.example.cz/obce/569810")
    assert (
        subject,
        URIRef("https://data.kraj.example.cz/slovnik/nazev_obce"),
        Literal("Hradec Králové", lang="cs"),
    ) in g


# --- encodings, delimiters, line ends ----------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_delimiters_and_line_ends(tmp_path, delimiter, newline):
    rows = [
        ["Kód", "Název", "Popis"],
        ["1", "Třebechovice pod Orebem", 'a "b"\nc'],
        ["2", "Dvůr Králové nad Labem", "x"],
    ]
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            if any(c in cell for c in (delimiter, '"', "\n", ",", ";", "|", "\t")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    source = tmp_path / "t.csv"
    source.write_bytes(newline.join(lines).encode("utf-8") + newline.encode())
    prepared = prepare(source, tmp_path / "out.csv", table_url=URL)
    assert [c["titles"] for c in prepared.metadata["tableSchema"]["columns"]] == rows[0]
    assert prepared.rows == 2
    g = graph(to_ntriples(prepared.metadata, csv_path=tmp_path / "out.csv"))
    assert Literal('a "b"\nc') in values(g, URL + "#popis")
    original = infer_metadata(source, table_url=URL)
    assert original.get("dialect", {}).get("delimiter", ",") == delimiter
    assert isomorphic(graph(to_ntriples(original, csv_path=source)), g)


def test_iso_8859_2_is_recognised(tmp_path):
    source = tmp_path / "latin2.csv"
    source.write_bytes("Obec;Kraj\nŠtěpánov;Olomoucký\nŽďár;Vysočina\n".encode("iso-8859-2"))
    metadata = infer_metadata(source, table_url=URL)
    assert metadata["dialect"]["encoding"] == "iso-8859-2"
    g = graph(to_ntriples(metadata, csv_path=source))
    assert Literal("Štěpánov", lang="cs") in values(g, URL + "#obec")


def test_utf8_bom_comma_lps(tmp_path):
    prepared = prepare(
        REFERENCE / "krhk-2019-hackathon" / "LPS.csv", tmp_path / "lps.csv", table_url=URL
    )
    cols = prepared.metadata["tableSchema"]["columns"]
    assert cols[0]["titles"] == "Typ pohotovosti"  # no BOM in the first title
    assert cols[-1]["titles"] == "Ordinační hodiny:"
    assert columns(prepared.metadata)["kod_okresu"]["datatype"] == "string"
    assert columns(prepared.metadata)["telefon_uzemi_khk"]["datatype"] == "string"
    assert prepared.rows == 30
    assert not (tmp_path / "lps.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- quirks of real Czech files ----------------------------------------------------------


def test_leading_zero_codes_and_trailing_header_spaces():
    m = infer_metadata(REFERENCE / "cityvizor" / "budget-paragraph.csv", table_url=URL)
    cols = columns(m)
    assert cols["paragraf"]["titles"] == "Paragraf"
    assert cols["paragraf"]["datatype"] == "string"  # "0000"
    assert cols["od"]["datatype"] == {"base": "date", "format": "d.M.yyyy"}
    assert cols["do"]["datatype"] == {"base": "date", "format": "dd.MM.yyyy"}


def test_nbsp_in_headers_and_psc_lekarny():
    m = infer_metadata(REFERENCE / "krhk-2019-hackathon" / "lekarny.csv", table_url=URL)
    cols = columns(m)
    assert cols["kod_lekarny"]["titles"] == "Kód lékárny"
    assert cols["psc"]["datatype"] == "string"  # "503 04"
    assert cols["kod_lekarny"]["datatype"] == "string"


def test_dash_is_missing_iredo():
    source = REFERENCE / "krhk-2022-hackathon" / "IredoBusStops.csv"
    m = infer_metadata(source, table_url=URL)
    cols = columns(m)
    assert cols["kod_orp"]["null"] == ["", "-"]
    assert cols["kod_orp"]["datatype"] == "string"
    assert cols["kod_vusc"]["datatype"] == "string"
    found: list[str] = []
    lines = [
        t for t in to_ntriples(m, csv_path=source, minimal=True, warnings=found) if "#kod_orp>" in t
    ]
    assert found == []
    assert 4900 < len(lines) < 5025  # 37 stops have no ORP code
    assert all(
        o.datatype is None for o in values(graph(lines), URL + "#kod_orp")
    )  # codes stay text


def test_school_overview_cp1250_wrapped_rows(tmp_path):
    source = REFERENCE / "krhk-2019-hackathon" / "school-overview_cp1250.csv"
    prepared = prepare(source, tmp_path / "s.csv", table_url=URL)
    assert prepared.rows == 531
    assert len(prepared.warnings) == 1
    assert "rows 17, 46, 63" in prepared.warnings[0] and "and 2 more" in prepared.warnings[0]
    assert "wrapped in quotes" in prepared.warnings[0]
    text = (tmp_path / "s.csv").read_text(encoding="utf-8")
    assert "Jičín" in text and "Hořice" in text
    assert '87343,572926,Hořice,600012077,8242M01,"Konzervátorství,restaur.",19' in text
    cols = columns(prepared.metadata)
    assert cols["pocet_zaku_daneho_oboru"]["datatype"] == "integer"
    # the original file with the inferred metadata gives the same RDF (rows split there too)
    original = infer_metadata(source, table_url=URL)
    found: list[str] = []
    list(to_ntriples(original, csv_path=source, warnings=found))
    assert found == [f"{URL}, {prepared.warnings[0].split(', ', 1)[1]}"]
    assert same_rdf((original, source), (prepared.metadata, tmp_path / "s.csv"))


def test_cityvizor_budget_decimal_comma():
    source = REFERENCE / "cityvizor" / "00241121_budget_2016.csv"
    m = infer_metadata(source, table_url=URL)
    assert m["dialect"] == {"delimiter": ";"}
    cols = columns(m)
    assert cols["rozpocet_po_zmenach"]["datatype"] == {
        "base": "decimal",
        "format": {"decimalChar": ","},
    }
    g = graph(to_ntriples(m, csv_path=source))
    assert Literal("110187.82", datatype=XSD.decimal) in values(
        g, URL + "#vysledek_od_pocatku_roku"
    )


def test_cityvizor_extra_column_file():
    m = infer_metadata(REFERENCE / "cityvizor" / "00006947_budget_2016.csv", table_url=URL)
    assert len(m["tableSchema"]["columns"]) == 6


def test_embedded_newlines_and_quotes_mos():
    source = REFERENCE / "krhk-2023-hackathon" / "mos_ukaz.csv"
    m = infer_metadata(source, table_url=URL)
    cols = columns(m)
    assert cols["kodukaz"]["datatype"] == "string"
    assert cols["verifikace_csu"]["datatype"] == {"base": "boolean", "format": "ano|ne"}
    g = graph(to_ntriples(m, csv_path=source))
    texts = [str(o) for o in values(g, URL + "#metodika")]
    assert any('označení "ostatní". V osmiletých' in t for t in texts)  # doubled quotes
    assert len(set(g.subjects(URIRef(URL + "#kodukaz")))) == 792


# --- headers -----------------------------------------------------------------------------


def test_empty_and_duplicate_headers(tmp_path):
    source = tmp_path / "h.csv"
    source.write_text("Název,,Název,_x, Kód\u00a0obce \na,b,c,d,e\n", encoding="utf-8")
    prepared = prepare(source, tmp_path / "o.csv", table_url=URL)
    cols = prepared.metadata["tableSchema"]["columns"]
    assert [c["name"] for c in cols] == ["nazev", "column_2", "nazev_2", "x", "kod_obce"]
    assert cols[4]["titles"] == "Kód obce"
    assert all(not c["name"].startswith("_") for c in cols)


def test_short_and_long_rows_are_repaired(tmp_path):
    source = tmp_path / "r.csv"
    source.write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,,\n", encoding="utf-8")
    prepared = prepare(source, tmp_path / "o.csv", table_url=URL)
    assert prepared.rows == 4
    assert any("row 3" in w and "2 fields instead of 3" in w for w in prepared.warnings)
    assert any("row 4" in w and "'9'" in w for w in prepared.warnings)
    assert len(prepared.warnings) == 2  # trailing empty fields are dropped silently
    lines = (tmp_path / "o.csv").read_bytes().decode("utf-8").split("\r\n")
    assert lines[2:5] == ["4,5,", "6,7,8", "10,11,12"]


# --- spreadsheets ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["obce.xlsx", "obce.ods"])
def test_spreadsheets(tmp_path, name):
    prepared = prepare(DATA / name, tmp_path / "o.csv", table_url=URL)
    cols = columns(prepared.metadata)
    assert list(cols) == [
        "kod_obce",
        "nazev_obce",
        "pocet_obyvatel",
        "rozloha_ha",
        "datum",
        "kod_casti",
    ]
    assert cols["kod_obce"]["datatype"] == "string"
    assert cols["rozloha_ha"]["datatype"] == "decimal"
    assert cols["datum"]["datatype"] == "date"
    assert cols["kod_casti"]["datatype"] == "string"
    lines = (tmp_path / "o.csv").read_bytes().decode("utf-8").split("\r\n")
    assert lines[1] == "569810,Hradec Králové,92891,10569.5,2024-02-01,0042"
    assert lines[3] == "574121,Náchod,19481,3322,2024-02-03,0100"


@pytest.mark.parametrize("sheet", ["Druhý list", 1])
def test_spreadsheet_sheet_choice(tmp_path, sheet):
    prepared = prepare(DATA / "obce.xlsx", tmp_path / "o.csv", table_url=URL, sheet=sheet)
    assert [c["name"] for c in prepared.metadata["tableSchema"]["columns"]] == ["nazev", "hodnota"]


def test_spreadsheet_unknown_sheet(tmp_path):
    with pytest.raises(BadInput) as e:
        prepare(DATA / "obce.ods", tmp_path / "o.csv", table_url=URL, sheet="Nic")
    assert "Obce" in e.value.hint and "obce.ods" in e.value.where


def test_convert_spreadsheet_and_csv(tmp_path):
    g = graph(convert(DATA / "obce.xlsx"))
    prop = (DATA / "obce.xlsx").resolve().as_uri() + "#pocet_obyvatel"
    assert Literal("92891", datatype=XSD.integer) in values(g, prop)
    g = graph(convert(DATA / "obce_cp1250.csv", minimal=True))
    prop = (DATA / "obce_cp1250.csv").resolve().as_uri() + "#rozpocet_kc"
    assert Literal("1234.56", datatype=XSD.decimal) in values(g, prop)


# --- errors ------------------------------------------------------------------------------


def test_undecodable_bytes_late_in_utf8_file(tmp_path):
    source = tmp_path / "bad.csv"
    good = "".join(f"{i},Hradec Králové {i}\n" for i in range(1, 5000))
    source.write_bytes(b"id,nazev\n" + good.encode() + "5000,Jičín\n".encode("cp1250"))
    with pytest.raises(BadInput) as e:
        prepare(source, tmp_path / "o.csv", table_url=URL)
    assert "row 5001" in e.value.where and "bad.csv" in e.value.where
    assert "line 5001" in e.value.where and "byte offset" in e.value.where
    assert "windows-1250" in e.value.hint and "UTF-8" in e.value.hint
    assert not (tmp_path / "o.csv").exists()  # nothing half-written
    metadata = {"url": "bad.csv", "tableSchema": {"columns": [{"name": "id"}, {"name": "n"}]}}
    with pytest.raises(BadInput, match="not valid utf-8") as e:
        list(to_ntriples(metadata, csv_path=source))
    assert "row 5001" in e.value.where


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(BadInput, match="does not exist"):
        prepare(tmp_path / "nothing.csv", tmp_path / "o.csv", table_url=URL)
    (tmp_path / "empty.csv").write_bytes(b"\n\n")
    with pytest.raises(BadInput, match="empty") as e:
        infer_metadata(tmp_path / "empty.csv", table_url=URL)
    assert e.value.hint


# --- UTF-16: what Excel saves as "Unicode text" ------------------------------------------


def test_excel_unicode_text_utf16_with_bom_and_tabs(tmp_path):
    source = tmp_path / "obce.txt"
    text = "Kód obce\tNázev\tPočet obyvatel\r\n569810\tHradec Králové\t92 000\r\n"
    text += "574333\tJičín\t16 000\r\n"
    source.write_bytes(text.encode("utf-16"))  # a BOM, little-endian here
    prepared = prepare(source, tmp_path / "obce.csv", table_url=URL)
    assert prepared.rows == 2
    cols = columns(prepared.metadata)
    assert cols["nazev"]["titles"] == "Název"  # no BOM, no NUL in the first title
    assert cols["kod_obce"]["datatype"] == "string"
    assert cols["pocet_obyvatel"]["datatype"] == {"base": "integer", "format": {"groupChar": " "}}
    canonical = (tmp_path / "obce.csv").read_bytes().decode("utf-8")
    assert canonical.splitlines()[1] == "569810,Hradec Králové,92 000"
    # inferred metadata names the encoding, and reading the file with it gives the same RDF
    metadata = infer_metadata(source, table_url=URL)
    assert metadata["dialect"] == {"encoding": "utf-16", "delimiter": "\t"}
    assert same_rdf((metadata, source), (prepared.metadata, tmp_path / "obce.csv"))


def test_utf16_without_bom_is_told_by_its_nul_bytes():
    from lod.tabular.sniff import sniff_encoding

    text = "kód,název\n569810,Hradec Králové\n"
    assert sniff_encoding(text.encode("utf-16-le")) == ("utf-16-le", False)
    assert sniff_encoding(text.encode("utf-16-be")) == ("utf-16-be", False)
    assert sniff_encoding(text.encode("utf-16")) == ("utf-16", True)
    assert sniff_encoding(text.encode("cp1250")) == ("windows-1250", False)
    assert sniff_encoding(text.encode("utf-8")) == ("utf-8", False)
    assert sniff_encoding(b"a\x00") == ("utf-8", False)  # too short to tell


@pytest.mark.parametrize(
    "head, what, fix",
    [
        (
            b"PK\x03\x04\x14\x00",
            "a ZIP file: an XLSX or ODS workbook",
            "real suffix (.xlsx or .ods)",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an Excel 97-2003 workbook", "suffix .xls"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document", "as CSV, XLSX or ODS"),
    ],
)
def test_a_workbook_or_pdf_under_a_csv_name_is_named(tmp_path, head, what, fix):
    source = tmp_path / "tabulka.csv"
    source.write_bytes(head + bytes(range(256)) * 8)
    with pytest.raises(BadInput) as info:
        prepare(source, tmp_path / "out.csv", table_url=URL)
    assert f"this is not a table of text but {what}" in info.value.message
    assert fix in info.value.hint and info.value.where == str(source)
    assert not (tmp_path / "out.csv").exists()


# --- dates that a few values keep from being dates ---------------------------------------


def test_nearly_all_dates_says_which_values_keep_the_column_text(tmp_path):
    days = [f"{d}. 3. 2024" for d in range(1, 11)]
    source = tmp_path / "platby.csv"
    rows = [f"{i};{day}" for i, day in enumerate([*days, "31. 2. 2024", "2024-03-12"], 1)]
    source.write_text("Číslo;Datum úhrady\n" + "\n".join(rows) + "\n", encoding="utf-8")
    prepared = prepare(source, tmp_path / "out.csv", table_url=URL)
    assert columns(prepared.metadata)["datum_uhrady"]["datatype"] == "string"
    (warning,) = [w for w in prepared.warnings if "Datum úhrady" in w]
    assert warning.startswith("platby.csv: column 'Datum úhrady': 10 of 12 distinct values")
    assert "are dates (d. M. yyyy), but 2 are not ('2024-03-12', '31. 2. 2024')" in warning
    assert "or give the column its datatype in the CSVW schema" in warning


def test_no_date_warning_for_dates_or_for_text_with_a_date_in_it(tmp_path):
    dates = "Datum\n" + "\n".join(f"{d}. 3. 2024" for d in range(1, 11)) + "\n"
    (tmp_path / "dates.csv").write_text(dates, encoding="utf-8")
    prepared = prepare(tmp_path / "dates.csv", tmp_path / "a.csv", table_url=URL)
    assert columns(prepared.metadata)["datum"]["datatype"] == {
        "base": "date",
        "format": "d. M. yyyy",
    }
    notes = ["oprava střechy", "nákup", "1. 3. 2024", "úhrada faktury", "2. 3. 2024"]
    (tmp_path / "notes.csv").write_text("Poznámka\n" + "\n".join(notes) + "\n", encoding="utf-8")
    for name in ("dates.csv", "notes.csv"):
        warnings = prepare(tmp_path / name, tmp_path / "b.csv", table_url=URL).warnings
        assert not any("distinct values are dates" in w for w in warnings), name


def test_nearly_all_numbers_says_which_values_keep_the_column_text(tmp_path):
    counts = [str(n * 7) for n in range(1, 11)]
    rows = [
        f"{i};{n};{d}"
        for i, (n, d) in enumerate(
            zip([*counts, "neuvedeno"], [*(f"{k},5" for k in range(10)), "3.25"], strict=True), 1
        )
    ]
    source = tmp_path / "skoly.csv"
    source.write_text("Pořadí;Počet žáků;Podíl\n" + "\n".join(rows) + "\n", encoding="utf-8")
    prepared = prepare(source, tmp_path / "out.csv", table_url=URL)
    cols = columns(prepared.metadata)
    assert cols["pocet_zaku"]["datatype"] == cols["podil"]["datatype"] == "string"
    (count,) = [w for w in prepared.warnings if "'Počet žáků'" in w]
    assert "10 of 11 distinct values are numbers, but 1 is not ('neuvedeno')" in count
    assert 'add them to the column\'s null values in the CSVW schema ("null"' in count
    (share,) = [w for w in prepared.warnings if "'Podíl'" in w]
    assert "are numbers with a decimal comma, but 1 is not ('3.25')" in share


def test_no_number_warning_for_codes_phones_numbers_or_text(tmp_path):
    header = "Kód školy;Telefon;Počet;Poznámka"
    rows = [f"{600 + i};{495000000 + i};{i};oprava č. {i}" for i in range(1, 11)]
    rows += ["A12;neuvedeno;11;12", "B7;-;12;13"]
    (tmp_path / "t.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    prepared = prepare(tmp_path / "t.csv", tmp_path / "out.csv", table_url=URL)
    assert columns(prepared.metadata)["pocet"]["datatype"] == "integer"
    assert not any("distinct values are numbers" in w for w in prepared.warnings)
