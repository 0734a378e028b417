"""SHACL shapes generated from a table's CSVW schema: the facets they express, the problems they
find (row, column, value), publishing them with the dataset, a steward's own shapes, and the
published CSV + shapes checked by pySHACL as lod checks them."""

from __future__ import annotations

import copy
import functools
import json
import re

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.collection import Collection

from lod import tabular
from lod.catalog import catalog as catalog_mod
from lod.cli import main
from lod.errors import BadInput, ValidationFailed
from lod.namespaces import DCTERMS, RDF, SH, UZEMI, XSD
from lod.publish import current_version, ingest, version_dir
from lod.territory import lookup
from lod.validate import datacheck, dataproblems, datashapes

from .conftest import BASE, DATA
from .test_validation import VALID

SHAPES = DATA / "shapes"
FACETS = json.loads((SHAPES / "facets.csv-metadata.json").read_text(encoding="utf-8"))
DOC = f"{BASE}/datasets/facets/shapes"
COL = f"{BASE}/datasets/facets/columns/"
ENGINES = ["pySHACL", "lod.shacl"]
CONSTRAINTS = (
    "required",
    "format",
    "length",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
)


def column_shape(graph, name):
    shape = URIRef(f"{DOC}#column-{name}")
    assert (shape, RDF.type, SH.PropertyShape) in graph
    return shape


def values(graph, shape, prop):
    return set(graph.objects(shape, prop))


def test_shapes_for_a_schema_with_each_facet():
    g = datashapes.shapes_for(FACETS, base=DOC)
    rows = URIRef(f"{DOC}#rows")
    described = [c["name"] for c in FACETS["tableSchema"]["columns"]]
    assert values(g, rows, SH.targetSubjectsOf) == {URIRef(COL + n) for n in described}
    assert values(g, rows, SH.property) == {URIRef(f"{DOC}#column-{n}") for n in described}
    kod = column_shape(g, "kod")
    assert values(g, kod, SH.path) == {URIRef(COL + "kod")}
    assert values(g, kod, SH.datatype) == {XSD.string}
    assert values(g, kod, SH.minCount) == {Literal(1)}  # required
    assert values(g, kod, SH.maxCount) == {Literal(1)}
    assert values(g, kod, SH.pattern) == {Literal("^[0-9]+$")}
    assert values(g, kod, SH.minLength) == values(g, kod, SH.maxLength) == {Literal(3)}  # length
    assert {(v.value, v.language) for v in values(g, kod, SH.name)} == {("Kód", "cs")}
    assert {v.language for v in values(g, kod, rdflib.RDFS.label)} == {"cs", "en"}
    pocet = column_shape(g, "pocet")
    assert values(g, pocet, SH.datatype) == {XSD.integer}
    assert values(g, pocet, SH.minInclusive) == {Literal("0", datatype=XSD.integer)}  # minimum
    assert values(g, pocet, SH.maxExclusive) == {Literal("1000", datatype=XSD.integer)}
    assert not values(g, pocet, SH.minCount)  # not required
    druh = column_shape(g, "druh")  # format ^(A|B|C)$: the allowed values
    assert list(Collection(g, g.value(druh, SH["in"]))) == [
        Literal("A"),
        Literal("B"),
        Literal("C"),
    ]
    assert not values(g, druh, SH.pattern)
    datum = column_shape(g, "datum")  # the bound is in the column's format, d.M.yyyy
    assert values(g, datum, SH.minInclusive) == {Literal("2020-01-01", datatype=XSD.date)}
    nazev = column_shape(g, "nazev")
    assert values(g, nazev, SH.datatype) == {RDF.langString}
    assert list(Collection(g, g.value(nazev, SH.languageIn))) == [Literal("cs")]
    assert values(g, nazev, SH.minLength) == {Literal(2)}
    assert values(g, nazev, SH.maxLength) == {Literal(10)}
    tagy = column_shape(g, "tagy")  # a separator: several values a row
    assert not values(g, tagy, SH.maxCount)
    obec = column_shape(g, "obec")  # linked to the codelist
    assert values(g, obec, SH.nodeKind) == {SH.IRI}
    assert values(g, obec, SH["class"]) == {UZEMI.Obec}
    (pattern,) = values(g, obec, SH.pattern)
    assert re.search(str(pattern), "https://linked.cuzk.cz/resource/ruian/obec/569810")
    assert not re.search(str(pattern), "https://linked.cuzk.cz/resource/ruian/okres/3602")
    assert not values(g, obec, SH.datatype)
    rok = column_shape(g, "rok")
    assert values(g, rok, SH.maxInclusive) == {Literal("2020", datatype=XSD.gYear)}
    key = URIRef(f"{DOC}#key")  # the primary key in SHACL Core
    assert values(g, key, SH.targetObjectsOf) == {URIRef(COL + "kod")}
    (unique,) = values(g, key, SH.property)
    assert g.value(g.value(unique, SH.path), SH.inversePath) == URIRef(COL + "kod")
    assert values(g, unique, SH.maxCount) == {Literal(1)}


def test_without_a_base_the_shapes_are_blank_nodes():
    g = datashapes.shapes_for(FACETS)
    assert all(isinstance(s, rdflib.BNode) for s in g.subjects(RDF.type, SH.PropertyShape))


def loose(metadata: dict) -> dict:
    """The schema without its constraints: the same columns and datatypes."""
    out = copy.deepcopy(metadata)
    out["tableSchema"].pop("primaryKey", None)
    for column in out["tableSchema"]["columns"]:
        column.pop("required", None)
        if isinstance(column.get("datatype"), dict):
            kept = {k: v for k, v in column["datatype"].items() if k not in CONSTRAINTS}
            if column["datatype"].get("base") in ("date", "dateTime"):
                kept["format"] = column["datatype"]["format"]
            column["datatype"] = kept
    return out


def converted(tmp_path, metadata: dict, csv_path) -> rdflib.Graph:
    out = tmp_path / "data.nt"
    with open(out, "wb") as f:
        for chunk in tabular.to_ntriples(metadata, csv_path=csv_path, strict=False, chunks=True):
            f.write(chunk)
    return out


# (row as conversion errors number it, column title, value, constraint component)
BROKEN = {
    (3, "Počet", "-3", "MinInclusive"),
    (4, "Kód", "03", "MinLength"),
    (5, "Počet", "1200", "MaxExclusive"),
    (6, "Druh", "D", "In"),
    (7, "Kód", "", "MinCount"),
    (8, "Datum", "2019-02-01", "MinInclusive"),
    (9, "Název", "Theta je dlouhý název", "MaxLength"),
    (10, "Kód obce", "https://linked.cuzk.cz/resource/ruian/obec/999999", "Class"),
    (11, "Počet", "abc", "Datatype"),
    (12, "Kód", "0x1", "Pattern"),
    (13, "Název", "M", "MinLength"),
    (14, "Rok", "2021", "MaxInclusive"),
}


@pytest.mark.parametrize("using", ENGINES)
def test_each_broken_rule_is_named_by_row_column_and_value(tmp_path, using):
    nt = converted(tmp_path, loose(FACETS), SHAPES / "facets.csv")
    shapes = datashapes.shapes_for(FACETS, base=DOC)
    found = datacheck.check(nt, shapes, FACETS, index=lookup.load(), using=using)
    assert all(p.severity == "error" and p.message and p.message_cs for p in found)
    named = {(p.where, p.value) for p in found}
    for row, column, value, _ in BROKEN:
        assert (f"data.csv, row {row}, column {column!r}", value) in named
    # the duplicate key names both rows and the value
    assert ("data.csv, rows 2, 8, column 'Kód'", "001") in named
    assert len(found) == len(BROKEN) + 1  # nothing else: the first row is valid
    report = datacheck.run(
        datacheck.load(nt, index=lookup.load(), using=using), shapes, using=using
    )
    components = {r.component for r in dataproblems.results(report)}
    assert {c + "ConstraintComponent" for *_, c in BROKEN} <= components


def test_a_composite_key_is_checked_with_sparql(tmp_path):
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "k.csv",
        "tableSchema": {
            "aboutUrl": f"{BASE}/datasets/k/rows/{{_row}}",
            "propertyUrl": f"{BASE}/datasets/k/columns/{{_name}}",
            "primaryKey": ["rok", "obec"],
            "columns": [
                {"name": "rok", "titles": "Rok", "datatype": "integer"},
                {"name": "obec", "titles": "Obec"},
                {"name": "n", "titles": "Počet", "datatype": "integer"},
            ],
        },
    }
    table = tmp_path / "k.csv"
    table.write_text("Rok,Obec,Počet\n2020,A,1\n2021,A,2\n2020,B,3\n2020,A,4\n", encoding="utf-8")
    shapes = datashapes.shapes_for(metadata, base=f"{BASE}/datasets/k/shapes")
    assert len(list(shapes.objects(None, SH.select))) == 1
    nt = converted(tmp_path, loose(metadata), table)
    found = datacheck.check(nt, shapes, metadata, using="pySHACL")
    assert {p.where for p in found} == {"data.csv, row 2", "data.csv, row 5"}
    assert {p.value for p in found} == {f"{BASE}/datasets/k/rows/{n}" for n in (1, 4)}
    assert all("unique key 'Rok', 'Obec'" in p.message for p in found)


# -------------------------------------------------------------------------- publishing


def published_folder(store, settings, dataset_id):
    return version_dir(settings, dataset_id, current_version(store, settings, dataset_id))


def test_a_valid_table_publishes_its_shapes(store, settings, client):
    result = ingest(store, settings, SHAPES / "obyvatele.csv", "obyvatele", VALID)
    assert "conforms" in result.shapes
    folder = published_folder(store, settings, "obyvatele")
    shapes = rdflib.Graph().parse(folder / "shapes.ttl", format="turtle")
    iri = f"{BASE}/datasets/obyvatele/shapes"
    obec = URIRef(f"{iri}#column-kod_obce")
    assert (obec, SH["class"], UZEMI.Obec) in shapes
    # served, negotiated like the other documents
    turtle = client.get("/datasets/obyvatele/shapes")
    assert turtle.status_code == 200 and turtle.content_type.startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=turtle.data, format="turtle")) == len(shapes)
    jsonld = client.get("/datasets/obyvatele/shapes", headers={"Accept": "application/ld+json"})
    assert jsonld.content_type.startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=jsonld.data, format="json-ld")) == len(shapes)
    nt = client.get("/datasets/obyvatele/shapes.nt")
    assert len(rdflib.Graph().parse(data=nt.data, format="nt")) == len(shapes)
    assert client.get("/datasets/obyvatele/shapes.xyz").status_code == 404
    # the RDF distributions conform to the shapes; the CSV to its CSVW schema
    graph = catalog_mod.dataset_graph(store, settings, "obyvatele")
    dist = f"{BASE}/datasets/obyvatele/distributions/"
    for key in ("ttl", "nt"):
        assert set(graph.objects(URIRef(dist + key), DCTERMS.conformsTo)) == {URIRef(iri)}
    assert set(graph.objects(URIRef(dist + "csv"), DCTERMS.conformsTo)) == {
        URIRef(f"{BASE}/datasets/obyvatele/data.csv-metadata.json")
    }
    assert (URIRef(iri), RDF.type, DCTERMS.Standard) in graph
    record = client.get("/datasets/obyvatele", headers={"Accept": "application/ld+json"}).json
    schemas = {d["iri"].rsplit("/", 1)[-1]: d.get("schéma") for d in record["distribuce"]}
    assert schemas["ttl"] == schemas["nt"] == iri


def run_cli(settings, *args):
    env = {"LOD_HOME": str(settings.home_path), "LOD_BASE_URL": BASE, "LOD_CONFIG": "/nonexistent"}
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def test_a_steward_s_shapes_are_merged_and_enforced(store, settings, tmp_path):
    table = SHAPES / "obyvatele.csv"
    steward = SHAPES / "obyvatele-kraj.ttl"
    store.close()  # the CLI opens the store itself
    first = run_cli(settings, "ingest", table, "--id", "obyvatele", "--meta", VALID)
    assert first.exit_code == 0, first.output
    before = current_version(store, settings, "obyvatele")
    refused = run_cli(
        settings, "ingest", table, "--id", "obyvatele", "--meta", VALID, "--shapes", steward
    )
    assert refused.exit_code == 1
    assert "data.csv, row 2, column 'Počet obyvatel'" in refused.output
    assert "at most 50,000 inhabitants (value: 92000)" in refused.output
    assert current_version(store, settings, "obyvatele") == before  # the previous version stays
    shapes = rdflib.Graph().parse(published_folder(store, settings, "obyvatele") / "shapes.ttl")
    assert URIRef(f"{BASE}/datasets/obyvatele/shapes#pocet") not in set(shapes.subjects())
    # a looser steward rule publishes, merged with the generated shapes
    looser = tmp_path / "obyvatele.shapes.ttl"  # by convention: beside the table
    looser.write_text(steward.read_text(encoding="utf-8").replace("50000", "100000"), "utf-8")
    copy_of_table = tmp_path / "obyvatele.csv"
    copy_of_table.write_bytes(table.read_bytes())
    ok = run_cli(settings, "ingest", copy_of_table, "--id", "obyvatele", "--meta", VALID)
    assert ok.exit_code == 0, ok.output
    shapes = rdflib.Graph().parse(published_folder(store, settings, "obyvatele") / "shapes.ttl")
    steward_shape = URIRef(f"{BASE}/datasets/obyvatele/shapes#pocet")
    assert (
        steward_shape,
        SH.targetSubjectsOf,
        URIRef(f"{BASE}/datasets/obyvatele/columns/pocet_obyvatel"),
    ) in shapes
    assert (URIRef(f"{BASE}/datasets/obyvatele/shapes#rows"), RDF.type, SH.NodeShape) in shapes


def test_a_bad_steward_shapes_file_is_bad_input(store, settings, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(BadInput, match="not valid Turtle"):
        ingest(store, settings, SHAPES / "obyvatele.csv", "x", VALID, shapes=bad)
    empty = tmp_path / "empty.ttl"
    empty.write_text("<a> <b> <c> .", encoding="utf-8")
    with pytest.raises(BadInput, match="no SHACL shapes"):
        ingest(store, settings, SHAPES / "obyvatele.csv", "x", VALID, shapes=empty)
    assert current_version(store, settings, "x") is None


@pytest.mark.parametrize("using", ENGINES)
def test_tables_beyond_the_engine_s_limit_are_published_unchecked(
    store, settings, monkeypatch, using
):
    monkeypatch.setattr(datacheck, "PYSHACL_ROWS", 2)
    monkeypatch.setattr(datacheck, "FAST_ROWS", 3)
    if using == "pySHACL":
        monkeypatch.setattr(datacheck, "_fast", lambda: None)
    steward = SHAPES / "obyvatele-kraj.ttl"
    result = ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID, shapes=steward)
    assert "not checked" in result.shapes
    assert any(f"4 rows are more than {using} checks" in w for w in result.warnings)


def test_big_tables_are_checked_by_the_fast_validator_while_loading(store, settings, monkeypatch):
    monkeypatch.setattr(datacheck, "PYSHACL_ROWS", 2)
    ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID)
    before = current_version(store, settings, "o")
    steward = SHAPES / "obyvatele-kraj.ttl"
    with pytest.raises(ValidationFailed) as refused:
        ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID, shapes=steward)
    assert [p.value for p in refused.value.problems] == ["92000"]
    assert current_version(store, settings, "o") == before
    assert len(store.graph(f"{BASE}/datasets/o/data")) == int(
        len(rdflib.Graph().parse(published_folder(store, settings, "o") / "data.nt"))
    )


def test_if_the_fast_validator_fails_pyshacl_decides(store, settings, monkeypatch):
    import lod.shacl

    def broken(data, shapes):
        raise RuntimeError("boom")

    monkeypatch.setattr(lod.shacl, "validate", broken)
    steward = SHAPES / "obyvatele-kraj.ttl"
    with pytest.raises(ValidationFailed) as refused:
        ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID, shapes=steward)
    assert [p.value for p in refused.value.problems] == ["92000"]
    result = ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID)
    assert "by pySHACL" in result.shapes
    assert any("lod.shacl failed (RuntimeError('boom'))" in w for w in result.warnings)


# -------------------------------------------------------------------------- cross-check


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> set:
    """pySHACL called directly, as anyone would with the published files."""
    from pyshacl import validate

    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    out = set()
    for r in report.objects(None, SH.result):
        path = report.value(r, SH.resultPath)
        if isinstance(path, rdflib.BNode):
            path = ("^", report.value(path, SH.inversePath))
        out.add(
            (
                report.value(r, SH.focusNode),
                path,
                report.value(r, SH.value),
                report.value(r, SH.sourceShape),
                report.value(r, SH.sourceConstraintComponent),
                report.value(r, SH.resultSeverity),
            )
        )
    return out


def lod_results(data, shapes, using) -> set:
    return {
        (r.focus, r.path, r.value, r.shape, SH[r.component], SH.Violation)
        for r in dataproblems.results(datacheck.run(data, shapes, using=using))
    }


@functools.cache
def codelist_types() -> rdflib.Graph:
    """The rdf:type triples of the published territorial codelist (its data.nt)."""
    from lod.territory import codelist, default_source
    from lod.territory.source import Source

    lines = "".join(
        line
        for line in codelist.ntriples(Source(default_source()))
        if "22-rdf-syntax-ns#type" in line
    )
    return rdflib.Graph().parse(data=lines, format="nt")


@pytest.mark.parametrize("using", ENGINES)
def test_published_csv_and_shapes_validate_with_pyshacl_as_lod_checks_them(
    store, settings, tmp_path, using
):
    ingest(store, settings, SHAPES / "obyvatele.csv", "obyvatele", VALID)
    folder = published_folder(store, settings, "obyvatele")
    metadata = json.loads((folder / "data.csv-metadata.json").read_text(encoding="utf-8"))
    shapes = rdflib.Graph().parse(folder / "shapes.ttl", format="turtle")
    data = rdflib.Graph().parse(converted(tmp_path, metadata, folder / "data.csv"), format="nt")
    data += codelist_types()
    assert pyshacl_results(data, shapes) == set() == lod_results(data, shapes, using)
    # and a table that breaks every rule: the same results, one by one
    facets = rdflib.Graph().parse(converted(tmp_path, loose(FACETS), SHAPES / "facets.csv"))
    facets += codelist_types()
    shapes = datashapes.shapes_for(FACETS, base=DOC)
    expected = pyshacl_results(facets, shapes)
    assert len(expected) >= len(BROKEN)
    assert lod_results(facets, shapes, using) == expected


def test_big_tables_without_steward_shapes_are_not_checked_twice(store, settings, monkeypatch):
    """The generated shapes restate the schema the converter enforced on every cell."""
    import lod.shacl

    def called(data, shapes):
        raise AssertionError("the data was validated a second time")

    monkeypatch.setattr(datacheck, "PYSHACL_ROWS", 2)
    monkeypatch.setattr(lod.shacl, "validate", called)
    result = ingest(store, settings, SHAPES / "obyvatele.csv", "o", VALID)
    assert "checked by the converter" in result.shapes
    assert current_version(store, settings, "o") is not None
