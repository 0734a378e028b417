"""Baseline: the benchmark table to N-Triples with a plain rdflib Graph (build, then serialize).

The same triples as `lod convert --minimal --metadata bench/table.csv-metadata.json` and as
morph-kgc with bench/mapping.rml.ttl. Usage: python bench/baseline_rdflib.py TABLE.csv OUT.nt
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

sys.path.insert(0, str(Path(__file__).resolve().parent))
from morph_udfs import cz_date, cz_decimal  # noqa: E402

ROWS = "https://data.example.cz/datasets/bench/rows/"
COLUMNS = "https://data.example.cz/datasets/bench/columns/"
# each column in order: (property name, datatype, language, value conversion)
SCHEMA = [
    ("cislo_zaznamu", None, None, None),
    ("ico", None, None, None),
    ("kod_obce", None, None, None),
    ("obec", None, "cs", None),
    ("polozka", None, None, None),
    ("rok", XSD.integer, None, None),
    ("pocet_obyvatel", XSD.integer, None, None),
    ("vydaje_kc", XSD.decimal, None, cz_decimal),
    ("datum_uhrady", XSD.date, None, cz_date),
    ("poznamka", None, "cs", None),
]


def build(table: Path) -> Graph:
    graph = Graph()
    predicates = [URIRef(COLUMNS + name) for name, *_ in SCHEMA]
    with open(table, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for row in reader:
            subject = URIRef(ROWS + row[0])
            for value, predicate, (_, datatype, lang, convert) in zip(
                row, predicates, SCHEMA, strict=True
            ):
                if not value:
                    continue
                if convert is not None:
                    value = convert(value)
                graph.add((subject, predicate, Literal(value, datatype=datatype, lang=lang)))
    return graph


if __name__ == "__main__":
    build(Path(sys.argv[1])).serialize(sys.argv[2], format="nt", encoding="utf-8")
