"""The fast path writes Turtle beside its N-Triples (lod/tabular/turtle.py): for `lod ingest`'s
data.ttl, instead of parsing the N-Triples again to serialize them.

The Turtle of every table must be the same graph as its N-Triples, read by two parsers
(pyoxigraph: the same blank node labels, so the same set of triples; rdflib: isomorphic), on
the generated tables of test_tabular_fast (invalid cells, nulls, languages, IRIs of templates,
rows without a value) and the W3C CSVW suite."""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lod import rdfio
from lod.errors import LodError
from lod.formats import BY_NAME
from lod.tabular import convert, fast, parallel, to_ntriples
from lod.tabular.turtle import TurtleForm
from tests import test_tabular_csvw_suite as suite
from tests.test_tabular_fast import random_table
from tests.test_tabular_fast import two_processes as two_processes  # a fixture

PREFIXES = {
    "row": "https://data.example.cz/rows/",
    "col": "https://data.example.cz/columns/",
    "ex": "https://data.example.cz/",  # shorter: the longest namespace must win
    "csvw": "http://www.w3.org/ns/csvw#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def turtle_of(chunks) -> tuple[bytes, bytes, int]:
    """(N-Triples, Turtle as lod.rdfio writes it, chunks that carried their own Turtle)."""
    chunks = list(chunks)
    out = io.BytesIO()
    rdfio.write_ntriples(chunks, out, BY_NAME["ttl"], PREFIXES)
    return b"".join(chunks), out.getvalue(), sum(hasattr(c, "turtle") for c in chunks)


def same_graph(ntriples: bytes, turtle: bytes) -> None:
    nt = set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    ttl = set(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert ttl == nt
    if len(nt) > 400:  # rdflib's isomorphism takes minutes over thousands of blank nodes
        return
    a = rdflib.Graph().parse(data=ntriples.decode(), format="nt")
    b = rdflib.Graph().parse(data=turtle.decode(), format="turtle")
    assert isomorphic(lower_languages(a), lower_languages(b))


def lower_languages(graph: rdflib.Graph) -> rdflib.Graph:
    """Language tags in lower case: their value (RDF 1.1 Concepts, 3.3), which is how
    pyoxigraph writes them (`"en"@en-US` from the general path comes out as `@en-us`)."""
    lowered = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        lowered.add((s, p, o))
    return lowered


@pytest.mark.parametrize("seed", range(300))
def test_generated_tables_turtle_is_the_same_graph(seed, tmp_path, monkeypatch):
    rng = random.Random(seed)
    metadata, path = random_table(rng, tmp_path)
    minimal = rng.random() < 0.5
    monkeypatch.setattr(fast, "BATCH", rng.choice([1, 3, 16, 4096]))
    chunks = to_ntriples(
        metadata, csv_path=path, minimal=minimal, strict=False, chunks=True, turtle=PREFIXES
    )
    ntriples, turtle, _ = turtle_of(chunks)
    same_graph(ntriples, turtle)


def test_generated_tables_mostly_carry_their_turtle(tmp_path):
    carried = 0
    for seed in range(60):
        metadata, path = random_table(random.Random(seed), tmp_path)
        chunks = to_ntriples(metadata, csv_path=path, strict=False, chunks=True, turtle=PREFIXES)
        carried += turtle_of(chunks)[2] > 0
    assert carried > 30


SUITE = [p.values[0] for p in suite._params(None)]


def suite_turtle(entry) -> tuple[bytes, bytes, int] | None:
    """(N-Triples, Turtle, chunks with their own Turtle) of a W3C test converted as `lod
    convert -f ttl` converts it; None for a negative test (no output)."""
    path, kwargs = suite.arguments(entry)
    try:
        return turtle_of(convert(path, strict=False, chunks=True, turtle=PREFIXES, **kwargs))
    except LodError:
        return None


@pytest.mark.parametrize("entry", SUITE, ids=lambda e: e["id"].split("#")[-1])
def test_csvw_suite_turtle_is_the_same_graph(entry):
    converted = suite_turtle(entry)
    if converted is not None:
        same_graph(*converted[:2])


def test_csvw_suite_mostly_carries_its_turtle():
    """Most of the suite's tables take the fast path, whose chunks carry their Turtle."""
    carried = [e["id"] for e in SUITE if (converted := suite_turtle(e)) and converted[2]]
    assert len(carried) > 100


def test_rows_are_one_statement_each_with_prefixed_names_and_bare_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "kod,nazev,pocet,podil,datum\n"
        '0042,Hradec Králové,12,"1,5",1. 2. 2024\n'
        'a b,"objekt ""Radnice""",-,"2",\n'
        ",,,,\n",
        encoding="utf-8",
    )
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "https://data.example.cz/t.csv",
        "tableSchema": {
            "aboutUrl": "https://data.example.cz/rows/{_row}",
            "propertyUrl": "https://data.example.cz/columns/{_name}",
            "columns": [
                {"name": "kod", "titles": "kod"},
                {"name": "nazev", "titles": "nazev", "lang": "cs"},
                {"name": "pocet", "titles": "pocet", "datatype": "integer", "null": ["", "-"]},
                {
                    "name": "podil",
                    "titles": "podil",
                    "datatype": {"base": "decimal", "format": {"decimalChar": ","}},
                },
                {
                    "name": "datum",
                    "titles": "datum",
                    "datatype": {"base": "date", "format": "d. M. yyyy"},
                },
            ],
        },
    }
    chunks = to_ntriples(metadata, csv_path=path, minimal=True, chunks=True, turtle=PREFIXES)
    ntriples, turtle, carried = turtle_of(chunks)
    assert carried == 1
    same_graph(ntriples, turtle)
    text = turtle.decode()
    assert text.startswith("@prefix row: <https://data.example.cz/rows/> .\n")
    assert (
        'row:1 col:kod "0042" ;\n\tcol:nazev "Hradec Králové"@cs ;\n\tcol:pocet 12 ;\n'
        '\tcol:podil 1.5 ;\n\tcol:datum "2024-02-01"^^xsd:date .\n'
    ) in text
    # a decimal without a fraction stays typed ("2" is not the Turtle token of a decimal)
    assert 'row:2 col:kod "a b" ;\n\tcol:nazev "objekt \\"Radnice\\""@cs ;\n' in text
    assert 'col:podil "2"^^xsd:decimal .\n' in text
    assert "row:3" not in text  # a row of empty cells has no triple


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("https://data.example.cz/rows/1", "row:1"),
        ("https://data.example.cz/rows/", "row:"),
        ("https://data.example.cz/rows/a.b", "row:a.b"),
        ("https://data.example.cz/rows/a%C3%A9", "row:a%C3%A9"),
        ("https://data.example.cz/rows/a.", "<https://data.example.cz/rows/a.>"),
        ("https://data.example.cz/rows/-1", "<https://data.example.cz/rows/-1>"),
        ("https://data.example.cz/rows/a~b", "<https://data.example.cz/rows/a~b>"),
        ("https://data.example.cz/rows/a/b", "<https://data.example.cz/rows/a/b>"),
        ("https://data.example.cz/jine", "ex:jine"),
        ("http://www.w3.org/2001/XMLSchema#date", "xsd:date"),
        ("https://jinde.cz/x", "<https://jinde.cz/x>"),
    ],
)
def test_prefixed_names_only_where_the_local_name_is_valid(iri, name):
    assert TurtleForm(PREFIXES).name(iri) == name
    if not name.startswith("<"):
        prefix = name.split(":")[0]
        doc = f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n<http://s> <http://p> {name} .\n"
        assert next(iter(ox.parse(doc.encode(), format=ox.RdfFormat.TURTLE))).object.value == iri


@pytest.mark.parametrize("seed", range(60))
def test_two_processes_send_their_turtle_too(seed, tmp_path, monkeypatch, two_processes):
    """`lod convert -f ttl` of a big table: the forked worker's chunks carry their Turtle
    through the pipe, and the document is the same graph as the N-Triples."""
    rng = random.Random(seed)
    metadata, path = random_table(rng, tmp_path)
    monkeypatch.setattr(parallel, "RANGE_BYTES", rng.choice([1, 40, 100, 300]))
    monkeypatch.setattr(fast, "BATCH", rng.choice([1, 3, 4096]))
    chunks = convert(
        path,
        metadata=metadata,
        url=metadata["url"],
        minimal=rng.random() < 0.5,
        strict=False,
        chunks=True,
        turtle=PREFIXES,
    )
    ntriples, turtle, carried = turtle_of(chunks)
    same_graph(ntriples, turtle)


def test_the_worker_chunks_carry_turtle(tmp_path, monkeypatch, two_processes):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "".join(f"{i},x{i}\n" for i in range(2000)), encoding="utf-8")
    monkeypatch.setattr(parallel, "RANGE_BYTES", 1000)
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "https://data.example.cz/big.csv",
        "tableSchema": {
            "aboutUrl": "https://data.example.cz/rows/{_row}",
            "columns": [
                {"name": "a", "titles": "a", "datatype": "integer"},
                {"name": "b", "titles": "b"},
            ],
        },
    }
    chunks = list(
        convert(path, metadata=metadata, url=metadata["url"], chunks=True, turtle=PREFIXES)
    )
    assert two_processes  # the table was cut into ranges for two processes
    rows = [c for c in chunks if b"/rows/" in c]
    assert len(rows) > 10 and all(hasattr(c, "turtle") for c in rows)
    ntriples, turtle, _ = turtle_of(chunks)
    same_graph(ntriples, turtle)
    assert "\nrow:2000 <https://data.example.cz/big.csv#a> 1999 ;" in turtle.decode()
