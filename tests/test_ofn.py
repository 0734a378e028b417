"""The OFN JSON shape both ways, checked against the official examples and schemas."""

from __future__ import annotations

import json

import pytest
from rdflib.compare import isomorphic

from lod.catalog import ofn
from lod.validate import schema

from .conftest import reference

EXAMPLES = [
    "example-datova-sada.jsonld",
    "example-datova-sada-hvd.jsonld",
    "example-datova-sada-v-serii.jsonld",
]


def load(name: str) -> dict:
    return json.loads(reference("dcat-ap-cz", "ofn-2024-05-28", name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_official_examples_round_trip(name):
    doc = load(name)
    graph = ofn.to_graph(doc)
    subject = ofn.first_subject(graph, "Datová sada")
    assert str(subject) == doc["iri"]
    out = ofn.to_ofn(graph, subject, "Datová sada")
    assert isomorphic(ofn.to_graph(out), graph)
    assert set(out) == set(doc)  # the same keys: nothing lost, nothing invented
    assert schema.validate(out) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_official_examples_validate_against_their_schemas(name):
    assert schema.validate(load(name)) == []


def test_shared_predicates_split_by_prefix():
    doc = load("example-datova-sada.jsonld")
    out = ofn.to_ofn(
        ofn.to_graph(doc), ofn.first_subject(ofn.to_graph(doc), "Datová sada"), "Datová sada"
    )
    assert out["prvek_rúian"] == ["https://linked.cuzk.cz/resource/ruian/stat/1"]
    assert out["geografické_území"] == [
        "http://publications.europa.eu/resource/authority/continent/EUROPE"
    ]
    assert out["koncept_euroVoc"] == ["http://eurovoc.europa.eu/4512"]
    assert out["téma"] == ["http://publications.europa.eu/resource/authority/data-theme/TRAN"]


def test_context_is_loaded_from_the_local_copy():
    context = ofn.local_context(ofn.CONTEXT_2024)
    assert context["název"]["@id"] == "dcterms:title"
    assert context["@language"] == "cs"
