"""lod.tabular.to_ntriples: csv2rdf features, streaming, escaping, errors."""

from __future__ import annotations

import itertools
import json
import os
import threading
import warnings
from pathlib import Path

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

from lod.errors import BadInput, ConversionFailed
from lod.tabular import to_ntriples

CSVW = Namespace("http://www.w3.org/ns/csvw#")
URL = "https://data.kraj.example.cz/t.csv"
P = Namespace(URL + "#")


def graph(lines) -> Graph:
    g = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g.parse(data="".join(lines), format="nt")
    return g


def one(g: Graph, predicate):
    """The object of the only triple with this predicate (None if there is none)."""
    objects = list(g.objects(None, predicate))
    assert len(objects) <= 1, objects
    return objects[0] if objects else None


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def meta(columns: list[dict], **schema) -> dict:
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": URL,
        "tableSchema": {"columns": columns, **schema},
    }


def test_standard_and_minimal_mode(tmp_path):
    path = write(tmp_path, "kod,nazev\r\n1,Hradec Králové\r\n2,Jičín\r\n")
    m = meta([{"name": "kod", "datatype": "integer"}, {"name": "nazev", "lang": "cs"}])
    g = graph(to_ntriples(m, csv_path=path))
    group = g.value(predicate=RDF.type, object=CSVW.TableGroup)
    table = g.value(group, CSVW.table)
    assert g.value(table, CSVW.url) == URIRef(URL)
    rows = sorted(g.objects(table, CSVW.row), key=lambda r: int(g.value(r, CSVW.rownum)))
    assert [g.value(r, CSVW.url) for r in rows] == [URIRef(URL + "#row=2"), URIRef(URL + "#row=3")]
    assert g.value(rows[0], CSVW.rownum) == Literal(1, datatype=XSD.integer)
    subject = g.value(rows[1], CSVW.describes)
    assert isinstance(subject, BNode)
    assert g.value(subject, P.nazev) == Literal("Jičín", lang="cs")
    assert g.value(subject, P.kod) == Literal("2", datatype=XSD.integer)

    minimal = graph(to_ntriples(m, csv_path=path, minimal=True))
    assert len(minimal) == 4
    assert not set(minimal.predicates()) - {P.kod, P.nazev}


def test_templates_virtual_columns_and_suppressed_output(tmp_path):
    path = write(tmp_path, "kod obce,nazev,okres\n569810,Hradec Králové,3602\n")
    m = meta(
        [
            {"name": "kod_obce", "titles": "kod obce", "suppressOutput": True},
            {"name": "nazev", "propertyUrl": "http://schema.org/name"},
            {
                "name": "okres",
                "propertyUrl": "https://example.cz/okres",
                "valueUrl": "https://linked.cuzk.cz/resource/ruian/okres/{okres}",
            },
            {
                "name": "typ",
                "virtual": True,
                "propertyUrl": "rdf:type",
                "valueUrl": "https://linked.cuzk.cz/ontology/ruian/Obec",
            },
        ],
        aboutUrl="https://linked.cuzk.cz/resource/ruian/obec/{kod_obce}",
    )
    g = graph(to_ntriples(m, csv_path=path, minimal=True))
    obec = URIRef("https://linked.cuzk.cz/resource/ruian/obec/569810")
    assert set(g) == {
        (obec, URIRef("http://schema.org/name"), Literal("Hradec Králové")),
        (
            obec,
            URIRef("https://example.cz/okres"),
            URIRef("https://linked.cuzk.cz/resource/ruian/okres/3602"),
        ),
        (obec, RDF.type, URIRef("https://linked.cuzk.cz/ontology/ruian/Obec")),
    }


def test_default_property_is_percent_encoded_and_iris_escaped(tmp_path):
    path = write(tmp_path, "Kód obce,x\n1,Hradec Králové/centrum\n")
    m = {
        "url": URL,
        "tableSchema": {"columns": [{"titles": "Kód obce"}, {"name": "x", "valueUrl": "#{x}"}]},
    }
    lines = list(to_ntriples(m, csv_path=path, minimal=True))
    g = graph(lines)
    assert (None, URIRef(URL + "#K%C3%B3d%20obce"), Literal("1")) in g
    assert URIRef(URL + "#Hradec%20Kr%C3%A1lov%C3%A9%2Fcentrum") in set(g.objects())


def test_literal_escaping_roundtrip(tmp_path):
    value = 'a "quoted" \\ back\nnew\rline\ttab – Žluťoučký'
    escaped = value.replace('"', '""')
    path = write(tmp_path, f'x\n"{escaped}"\n')
    m = meta(
        [{"name": "x", "datatype": "string"}],
    )
    lines = list(to_ntriples(m, csv_path=path, minimal=True))
    assert "Žluťoučký" in lines[0]  # UTF-8, not \u escapes
    assert one(graph(lines), P.x) == Literal(value)


def test_separator_default_null_and_ordered_lists(tmp_path):
    path = write(tmp_path, "tagy,poradi,stav,cislo\na; b ;c,x|y,,N/A\n")
    m = meta(
        [
            {"name": "tagy", "separator": ";"},
            {"name": "poradi", "separator": "|", "ordered": True},
            {"name": "stav", "default": "neznámý", "lang": "cs"},
            {"name": "cislo", "datatype": "integer", "null": ["N/A", ""]},
        ]
    )
    g = graph(to_ntriples(m, csv_path=path, minimal=True))
    # string values keep their spaces (tabular data model 6.4); other datatypes are stripped
    assert set(g.objects(None, P.tagy)) == {Literal("a"), Literal(" b "), Literal("c")}
    head = one(g, P.poradi)
    assert g.value(head, RDF.first) == Literal("x")
    assert g.value(g.value(head, RDF.rest), RDF.first) == Literal("y")
    assert one(g, P.stav) == Literal("neznámý", lang="cs")
    assert one(g, P.cislo) is None


@pytest.mark.parametrize(
    "datatype, raw, expected",
    [
        (
            {"base": "decimal", "format": {"decimalChar": ",", "groupChar": " "}},
            "1 234,50",
            Literal("1234.5", datatype=XSD.decimal),
        ),
        (
            {"base": "decimal", "format": {"decimalChar": ",", "groupChar": "\u00a0"}},
            "-1\u00a0000,25",
            Literal("-1000.25", datatype=XSD.decimal),
        ),
        (
            {"base": "date", "format": "d.M.yyyy"},
            "1.2.2024",
            Literal("2024-02-01", datatype=XSD.date),
        ),
        (
            {"base": "date", "format": "dd.MM.yyyy"},
            "01.02.2024",
            Literal("2024-02-01", datatype=XSD.date),
        ),
        (
            {"base": "date", "format": "d. M. yyyy"},
            "1. 2. 2024",
            Literal("2024-02-01", datatype=XSD.date),
        ),
        (
            {"base": "dateTime", "format": "dd.MM.yyyy HH:mm:ss"},
            "18.09.2025 00:00:00",
            Literal("2025-09-18T00:00:00", datatype=XSD.dateTime),
        ),
        ("integer", "0042", Literal("42", datatype=XSD.integer)),
        ({"base": "boolean", "format": "ano|ne"}, "ano", Literal("true", datatype=XSD.boolean)),
        ("boolean", "0", Literal("false", datatype=XSD.boolean)),
        ("decimal", "+012.500", Literal("12.5", datatype=XSD.decimal)),
    ],
)
def test_canonical_lexical_forms(tmp_path, datatype, raw, expected):
    path = write(tmp_path, f'x\n"{raw}"\n')
    lines = list(
        to_ntriples(meta([{"name": "x", "datatype": datatype}]), csv_path=path, minimal=True)
    )
    assert len(lines) == 1
    obj = one(graph(lines), P.x)
    assert (str(obj), obj.datatype) == (str(expected), expected.datatype)


INVALID = "kod,datum\n1,1.2.2024\nx12,31.2.2024\n"
INVALID_META = meta(
    [
        {"name": "kod", "datatype": "integer"},
        {"name": "datum", "datatype": {"base": "date", "format": "d.M.yyyy"}, "lang": "cs"},
    ]
)


def test_invalid_values_are_errors_naming_file_row_column_value(tmp_path):
    path = write(tmp_path, INVALID)
    with pytest.raises(ConversionFailed) as e:
        list(to_ntriples(INVALID_META, csv_path=path, minimal=True))
    assert e.value.exit_code == 1 and e.value.status == 422
    kod, datum = e.value.problems
    assert (kod.where, kod.value) == (f"{URL}, row 3, column 1 (kod)", "x12")
    assert kod.message == "is not a valid integer" and kod.hint == "expected xsd:integer"
    assert (datum.where, datum.value) == (f"{URL}, row 3, column 2 (datum)", "31.2.2024")
    assert datum.hint == "expected xsd:date in the format 'd.M.yyyy'"
    assert str(e.value).startswith(f"cannot convert {URL}: 2 error(s)")


def test_lenient_mode_writes_invalid_values_as_plain_strings_with_a_warning(tmp_path):
    path = write(tmp_path, INVALID)
    found: list[str] = []
    g = graph(to_ntriples(INVALID_META, csv_path=path, minimal=True, warnings=found, strict=False))
    assert Literal("x12") in set(g.objects(None, P.kod))
    assert Literal("31.2.2024", lang="cs") in set(g.objects(None, P.datum))
    assert len(found) == 2
    assert found[0] == (
        f"{URL}, row 3, column 1 (kod): is not a valid integer (value 'x12'); expected xsd:integer"
    )
    assert "row 3, column 2 (datum)" in found[1]


def test_required_and_constraint_violations_are_errors(tmp_path):
    path = write(tmp_path, "kod,pocet\n1,5\n,200\n3,-1\n")
    m = meta(
        [
            {"name": "kod", "titles": "kod", "datatype": "integer", "required": True},
            {
                "name": "pocet",
                "titles": "pocet",
                "datatype": {"base": "integer", "minimum": 0, "maximum": 100},
            },
        ]
    )
    with pytest.raises(ConversionFailed) as e:
        list(to_ntriples(m, csv_path=path))
    lines = e.value.lines()
    assert lines == [
        f"error: {URL}, row 3, column 1 (kod): a value is required, but the cell is empty"
        " — how to fix: expected xsd:integer (the column is required)",
        f"error: {URL}, row 3, column 2 (pocet): is greater than the maximum (value: 200)"
        " — how to fix: expected xsd:integer (at least 0, at most 100)",
        f"error: {URL}, row 4, column 2 (pocet): is less than the minimum (value: -1)"
        " — how to fix: expected xsd:integer (at least 0, at most 100)",
    ]


def test_long_rows_are_errors_when_the_metadata_is_given(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n3,4,5\n6\n")
    with pytest.raises(ConversionFailed) as e:
        list(to_ntriples(meta([{"name": "a"}, {"name": "b"}]), csv_path=path))
    (problem,) = e.value.problems
    assert (problem.where, problem.value) == (f"{URL}, row 3", "5")
    assert "3 cells but the table has 2 columns" in problem.message


def test_header_that_does_not_fit_the_metadata(tmp_path):
    path = write(tmp_path, "Kód\u00a0obce,Název\n1,Jičín\n")
    fits = meta([{"titles": "Kód obce"}, {"name": "Název"}])
    assert len(graph(to_ntriples(fits, csv_path=path, minimal=True))) == 2
    wrong = meta([{"titles": "Název"}, {"titles": "Kód obce"}])
    with pytest.raises(ConversionFailed) as e:
        list(to_ntriples(wrong, csv_path=path))
    assert [p.where for p in e.value.problems] == [
        f"{URL}, header, column 1",
        f"{URL}, header, column 2",
    ]
    found: list[str] = []
    g = graph(to_ntriples(wrong, csv_path=path, warnings=found, strict=False))
    assert len(found) == 2 and "expected 'Název'" in found[0]
    assert Literal("Jičín") in set(g.objects(None, URIRef(URL + "#K%C3%B3d%20obce")))


KEYS = {
    "@context": "http://www.w3.org/ns/csvw",
    "tables": [
        {
            "url": "obce.csv",
            "tableSchema": {
                "columns": [
                    {"name": "kod", "titles": "kod"},
                    {"name": "nazev", "titles": "nazev"},
                ],
                "primaryKey": "kod",
            },
        },
        {
            "url": "skoly.csv",
            "tableSchema": {
                "columns": [
                    {"name": "skola", "titles": "skola"},
                    {"name": "obec", "titles": "obec"},
                ],
                "foreignKeys": [
                    {
                        "columnReference": "obec",
                        "reference": {"resource": "obce.csv", "columnReference": "kod"},
                    }
                ],
            },
        },
    ],
}


def test_primary_and_foreign_keys(tmp_path):
    write(tmp_path, "kod,nazev\n569810,Hradec Králové\n572659,Jičín\n", name="obce.csv")
    write(tmp_path, "skola,obec\nGymnázium,572659\nZŠ,569810\n", name="skoly.csv")
    g = graph(to_ntriples(KEYS, base=tmp_path.as_uri() + "/", minimal=True))
    assert len(g) == 8
    write(tmp_path, "kod,nazev\n569810,Hradec Králové\n569810,Jičín\n", name="obce.csv")
    write(tmp_path, "skola,obec\nGymnázium,572659\nZŠ,569810\n", name="skoly.csv")
    with pytest.raises(ConversionFailed) as e:
        list(to_ntriples(KEYS, base=tmp_path.as_uri() + "/"))
    duplicate, dangling, ambiguous = e.value.problems
    obce, skoly = tmp_path / "obce.csv", tmp_path / "skoly.csv"
    assert (duplicate.where, duplicate.value) == (f"{obce}, row 3, column kod", "569810")
    assert "row 2 has the same value" in duplicate.message
    assert (dangling.where, dangling.value) == (f"{skoly}, row 2, column obec", "572659")
    assert dangling.message == f"foreign key matches no row of {obce} (column kod)"
    assert ambiguous.message == f"foreign key matches 2 rows of {obce} (column kod)"


def test_foreign_key_to_an_unknown_column_is_a_metadata_error(tmp_path):
    bad = json.loads(json.dumps(KEYS))
    bad["tables"][1]["tableSchema"]["foreignKeys"][0]["reference"]["columnReference"] = "x"
    with pytest.raises(ConversionFailed) as e:
        to_ntriples(bad, base=tmp_path.as_uri() + "/")
    assert "unknown: 'x'" in e.value.problems[0].message
    assert e.value.problems[0].where.endswith("skoly.csv: tableSchema.foreignKeys[0]")


def test_relative_url_resolves_against_csv_path(tmp_path):
    path = write(tmp_path, "a\n1\n", name="data.csv")
    g = graph(to_ntriples({"url": "data.csv"}, csv_path=path, minimal=True))
    assert set(g.predicates()) == {URIRef(path.resolve().as_uri() + "#a")}


def test_table_group_with_local_files(tmp_path):
    write(tmp_path, "a\n1\n", name="one.csv")
    write(tmp_path, "b\n2\n", name="two.csv")
    group = {
        "@context": "http://www.w3.org/ns/csvw",
        "tables": [{"url": "one.csv"}, {"url": "two.csv", "suppressOutput": True}],
    }
    g = graph(to_ntriples(group, base=tmp_path.as_uri() + "/"))
    assert len(list(g.subjects(RDF.type, CSVW.Table))) == 1
    assert set(g.objects(None, URIRef((tmp_path / "one.csv").as_uri() + "#a"))) == {Literal("1")}


def test_remote_table_needs_a_local_file():
    with pytest.raises(BadInput) as e:
        list(to_ntriples(meta([{"name": "a"}])))
    assert e.value.where == URL and "csv_path" in e.value.hint


def test_metadata_without_url():
    with pytest.raises(ConversionFailed) as e:
        to_ntriples({"tableSchema": {}})
    assert 'neither "tables" nor "url"' in e.value.problems[0].message


def test_metadata_errors_name_the_property():
    doc = meta([{"name": "a", "datatype": {"base": "date", "length": 5}}])
    doc["tableSchema"]["@id"] = "_:schema"
    with pytest.raises(ConversionFailed) as e:
        to_ntriples(doc, base="https://example.cz/m.json")
    assert [p.where for p in e.value.problems] == [
        "https://example.cz/m.json: tableSchema.columns[0].datatype",
        "https://example.cz/m.json: tableSchema.@id",
    ]
    assert e.value.problems[0].message == "length cannot constrain date (only strings and binary)"


def test_bad_dialect_and_datatype_are_warnings(tmp_path):
    path = write(tmp_path, "a\n1\n")
    m = meta([{"name": "a", "datatype": "wholeNumber"}])
    m["dialect"] = {"delimiter": ";;", "skipRows": -1}
    found: list[str] = []
    g = graph(to_ntriples(m, csv_path=path, minimal=True, warnings=found))
    assert len(g) == 1
    assert any("delimiter" in w for w in found) and any("wholeNumber" in w for w in found)


def test_comment_lines_and_skip_rows(tmp_path):
    path = write(tmp_path, 'Export 2024\n#poznámka\nkod\n#další\n1\n"#2"\n')
    m = meta([{"name": "kod"}])
    m["dialect"] = {"skipRows": 1, "commentPrefix": "#"}
    g = graph(to_ntriples(m, csv_path=path))
    table = g.value(predicate=RDF.type, object=CSVW.Table)
    comments = set(g.objects(table, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    assert comments == {Literal("poznámka"), Literal("další")}
    assert set(g.objects(None, P.kod)) == {Literal("1"), Literal("#2")}
    urls = {str(o) for o in g.objects(None, CSVW.url)} - {URL}
    assert urls == {URL + "#row=5", URL + "#row=6"}  # source rows count every line


# --- streaming ---------------------------------------------------------------------------


def test_streaming_reads_only_what_it_needs(tmp_path):
    """2 million rows come lazily through a pipe; taking the first 100 triples must read
    only the beginning (the writer is blocked by the pipe once the reader stops)."""
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    total = 2_000_000
    produced = [0]

    def writer():
        try:
            with open(fifo, "wb") as f:
                f.write(b"kod;nazev;castka\n")
                for i in range(total):
                    f.write(f"{i};Obec {i};{i},5\n".encode())
                    produced[0] += 1
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    m = meta(
        [
            {"name": "kod", "datatype": "integer"},
            {"name": "nazev"},
            {"name": "castka", "datatype": {"base": "decimal", "format": {"decimalChar": ","}}},
        ]
    )
    m["dialect"] = {"delimiter": ";"}
    lines = to_ntriples(m, csv_path=fifo, minimal=True)
    first = list(itertools.islice(lines, 100))
    assert len(first) == 100
    assert '"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' in first[2]
    assert produced[0] < total // 10  # nowhere near the whole input was generated
    lines.close()  # closes the file: the writer gets a broken pipe and ends
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert produced[0] < total


def test_hash_rows_are_data_by_default(tmp_path):
    """commentPrefix defaults to null (CSVW erratum, w3c/csvw#801); prepare() also quotes
    such cells so that processors still using "#" read the row as data."""
    from lod.tabular import prepare

    source = write(tmp_path, "kod,nazev\n#1,Hradec\n2,Jičín\n")
    prepared = prepare(source, tmp_path / "o.csv", table_url=URL)
    assert prepared.rows == 2
    assert (tmp_path / "o.csv").read_bytes().split(b"\r\n")[1] == b'"#1",Hradec'
    g = graph(to_ntriples(prepared.metadata, csv_path=tmp_path / "o.csv", minimal=True))
    assert set(g.objects(None, P.kod)) == {Literal("#1"), Literal("2")}


def test_row_warnings_are_bounded(tmp_path):
    path = write(tmp_path, "n\n" + "x\n" * 1000)
    found: list[str] = []
    lines = list(
        to_ntriples(
            meta([{"name": "n", "datatype": "integer"}]),
            csv_path=path,
            minimal=True,
            warnings=found,
            strict=False,
        )
    )
    assert len(lines) == 1000
    assert len(found) == 201
    assert found[-1] == f"{URL}: 800 more row warnings like the above were not listed"


def test_spreadsheets_are_not_read_as_csv():
    xlsx = Path(__file__).parent / "data" / "tabular" / "obce.xlsx"
    with pytest.raises(BadInput, match="spreadsheets") as e:
        to_ntriples(meta([{"name": "a"}]), csv_path=xlsx)
    assert "prepare()" in e.value.hint
