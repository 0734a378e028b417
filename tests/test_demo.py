"""`lod demo`: the bundled real data publishes cleanly into a full, valid catalogue."""

from __future__ import annotations

from lod.demo import load_demo, manifest
from lod.validate import schema

JSONLD = {"Accept": "application/ld+json"}


def test_demo_publishes_every_dataset_validly(settings, client):
    lines = list(load_demo(settings))
    assert len(lines) == len(manifest()) + 1 >= 4  # the territorial codelist comes first
    assert "uzemni-struktura-cr (6258 obce" in lines[0]
    catalog = client.get("/catalog", headers=JSONLD).get_json()
    assert schema.validate(catalog) == []
    assert len(catalog["datová_sada"]) == len(manifest()) + 1
    for iri in catalog["datová_sada"]:
        record = client.get(iri.removeprefix(settings.base), headers=JSONLD).get_json()
        assert schema.validate(record) == [], iri
        with client.get(iri.removeprefix(settings.base) + "/data.csv") as response:
            assert response.status_code == 200
    with client.get("/datasets/uzemni-struktura-khk/data.csv") as response:
        territory = response.data.decode("utf-8")
    assert territory.count("\n") == 449  # header + 448 municipalities of the region
    assert "Hradec Králové" in territory


def test_demo_tables_are_linked_to_the_territory(settings, store):
    from rdflib import URIRef

    lines = list(load_demo(settings))
    assert "lekarska-pohotovost (30 rows" in lines[2]
    assert "linked to RÚIAN: 'Kód okresu', 'Kód obce'" in lines[2]
    ruian = "https://linked.cuzk.cz/resource/ruian/"

    def objects(dataset, column):
        graph = store.graph(f"{settings.base}/datasets/{dataset}/data")
        prop = URIRef(f"{settings.base}/datasets/{dataset}/columns/{column}")
        return {str(o) for o in graph.objects(None, prop)}

    assert ruian + "okres/3602" in objects("lekarska-pohotovost", "kod_okresu")
    assert ruian + "obec/569810" in objects("lekarska-pohotovost", "kod_obce")
    assert ruian + "obec/572659" in objects("obory-skol-jicinsko", "kod_mista")  # Jičín
    assert ruian + "obec/570109" in objects("lekarny", "mesto_ruian")  # Chlumec n. C., by name
