"""`lod demo`: the bundled real data publishes cleanly into a full, valid catalogue."""

from __future__ import annotations

from rdflib import URIRef

from lod.demo import load_demo, manifest
from lod.validate import schema

JSONLD = {"Accept": "application/ld+json"}
RUIAN = "https://linked.cuzk.cz/resource/ruian/"


def test_demo_publishes_every_dataset_validly(settings, client, store):
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
    # the demo tables come out linked to the territory
    assert "lekarska-pohotovost (30 rows" in lines[2]
    assert "linked to RÚIAN: 'Kód okresu', 'Kód obce'" in lines[2]

    def objects(dataset, column):
        graph = store.graph(f"{settings.base}/datasets/{dataset}/data")
        prop = URIRef(f"{settings.base}/datasets/{dataset}/columns/{column}")
        return {str(o) for o in graph.objects(None, prop)}

    assert RUIAN + "okres/3602" in objects("lekarska-pohotovost", "kod_okresu")
    assert RUIAN + "obec/569810" in objects("lekarska-pohotovost", "kod_obce")
    assert RUIAN + "obec/572659" in objects("obory-skol-jicinsko", "kod_mista")  # Jičín
    assert RUIAN + "obec/570109" in objects("lekarny", "mesto_ruian")  # by name and PSČ
