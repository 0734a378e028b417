"""Self-description: VoID, the SPARQL Service Description, the example queries, and the SPARQL
endpoint as a dcat:DataService in the catalogue.

Over the demo data. VoID's numbers are checked against counts made here from the published
N-Triples file (not through SPARQL); the example queries all run, and the cross-region sum
equals the sum computed from the demo table and ČSÚ's territorial file. The W3C service
description tests (service-description/manifest.ttl: RDF on GET, a matching sd:endpoint
triple, conformance to the vocabulary) are checked on /sparql and /sparql/description.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from lod import resources
from lod.app import create_app
from lod.demo import load_demo
from lod.iris import Iris
from lod.settings import load_settings
from lod.sparql_examples import STATIC, examples
from lod.store import open_store
from lod.territory import default_source

from .conftest import BASE

VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
TTL = {"Accept": "text/turtle"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("void")
    settings = load_settings(
        env={"LOD_HOME": str(tmp / "home"), "LOD_BASE_URL": BASE}, config_file=tmp / "none"
    )
    list(load_demo(settings))
    store = open_store(settings)
    app = create_app(settings, store)
    app.testing = True
    yield settings, store, app.test_client()
    store.close()


def path(iri: str) -> str:
    return urlsplit(iri).path


def turtle(response) -> rdflib.Graph:
    assert response.status_code == 200, response.data[:500]
    return rdflib.Graph().parse(data=response.data, format="turtle")


def value(graph, s, p) -> int:
    return int(graph.value(s, p))


# ---------------------------------------------------------------------------- VoID
def test_dataset_void_counts_what_was_published(demo):
    settings, store, client = demo
    iri = URIRef(f"{BASE}/datasets/lekarska-pohotovost")
    response = client.get("/datasets/lekarska-pohotovost/void", headers=TTL)
    void = turtle(response)
    # the published data, read from its N-Triples download
    with client.get("/datasets/lekarska-pohotovost/data.nt") as dump:
        data = rdflib.Graph().parse(data=dump.data, format="nt")
    assert (iri, RDF.type, VOID.Dataset) in void
    assert value(void, iri, VOID.triples) == len(data)
    assert value(void, iri, VOID.distinctSubjects) == len(set(data.subjects()))
    assert value(void, iri, VOID.distinctObjects) == len(set(data.objects()))
    assert value(void, iri, VOID.properties) == len(set(data.predicates()))
    assert value(void, iri, VOID.classes) == len(set(data.objects(None, RDF.type)))
    classes = {
        void.value(part, VOID["class"]): value(void, part, VOID.entities)
        for part in void.objects(iri, VOID.classPartition)
    }
    assert classes == {
        c: len(set(data.subjects(RDF.type, c))) for c in set(data.objects(None, RDF.type))
    }
    properties = {
        void.value(part, VOID.property): value(void, part, VOID.triples)
        for part in void.objects(iri, VOID.propertyPartition)
    }
    assert properties == Counter(p for _, p, _ in data)
    # links to RÚIAN: one linkset per linking column, counted from the file
    links = defaultdict(list)
    for _, p, o in data:
        if isinstance(o, URIRef) and str(o).startswith(RUIAN):
            links[p].append(o)
    assert len(links) == 2  # 'Kód okresu' and 'Kód obce' are linked
    linksets = {
        void.value(ls, VOID.linkPredicate): ls for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    assert set(linksets) == set(links)
    for predicate, objects in links.items():
        linkset = linksets[predicate]
        assert (iri, VOID.subset, linkset) in void
        assert void.value(linkset, VOID.subjectsTarget) == iri
        target = void.value(linkset, VOID.objectsTarget)
        assert str(void.value(target, VOID.uriSpace)) == RUIAN
        assert value(void, linkset, VOID.triples) == len(objects)
        assert value(void, linkset, VOID.distinctObjects) == len(set(objects))
    # where to query it and where to download it
    assert void.value(iri, VOID.sparqlEndpoint) == URIRef(f"{BASE}/sparql")
    dumps = set(void.objects(iri, VOID.dataDump))
    assert {str(d).rsplit("/", 1)[1] for d in dumps} == {"data.nt", "data.ttl"}
    for dump_iri in dumps:
        with client.get(path(str(dump_iri))) as download:
            assert download.status_code == 200
    titles = set(void.objects(iri, DCTERMS.title))
    assert titles and titles == set(
        store.graph(f"{BASE}/datasets/lekarska-pohotovost").objects(iri, DCTERMS.title)
    )


def test_whole_void_lists_every_dataset(demo):
    settings, store, client = demo
    void = turtle(client.get("/.well-known/void", headers=TTL))
    whole = URIRef(f"{BASE}/.well-known/void#all")
    iris = Iris.of(settings)
    with_data = {
        URIRef(iris.dataset(iris.dataset_id_of(g)))
        for g in store.named_graphs()
        if iris.dataset_id_of(g) and g.endswith("/data")
    }
    subsets = set(void.objects(whole, VOID.subset))
    linksets = set(void.subjects(RDF.type, VOID.Linkset))
    assert subsets - linksets == with_data
    assert linksets <= subsets  # the links to RÚIAN of everything
    statements = sum(
        int(row["n"])
        for row in store.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }").rows()
    )
    assert value(void, whole, VOID.triples) == statements
    assert void.value(whole, VOID.rootResource) == URIRef(f"{BASE}/catalog")
    for subset in with_data:  # each subset points at its own VoID, which dereferences
        own = void.value(subset, RDFS.seeAlso)
        assert (subset, RDF.type, VOID.Dataset) in turtle(client.get(path(str(own)), headers=TTL))


def test_void_is_negotiated(demo):
    _, _, client = demo
    for url in ("/.well-known/void", "/datasets/lekarny/void"):
        assert client.get(url).headers["Content-Type"].startswith("text/turtle")
        jsonld = client.get(url, headers={"Accept": "application/ld+json"})
        assert jsonld.headers["Content-Type"].startswith("application/ld+json")
        assert len(rdflib.Graph().parse(data=jsonld.data, format="json-ld")) > 10
        nt = client.get(url + ".nt")
        assert nt.headers["Content-Type"].startswith("application/n-triples")
        page = client.get(url, headers=BROWSER)
        assert page.headers["Content-Type"].startswith("text/html")
        assert "void" in page.get_data(as_text=True).lower()
        assert client.head(url).status_code == 200
        assert client.options(url).headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/datasets/no-such-dataset/void").status_code == 404


# ---------------------------------------------------------------------------- service description
def test_w3c_service_description(demo):
    """returns-rdf, has-endpoint-triple, conforms-to-schema: on /sparql and its description."""
    settings, store, client = demo
    endpoint = URIRef(f"{BASE}/sparql")
    for url in ("/sparql", "/sparql/description"):
        for accept, fmt in (("text/turtle", "turtle"), ("application/rdf+xml", "xml")):
            response = client.get(url, headers={"Accept": accept})
            assert response.status_code == 200
            sd = rdflib.Graph().parse(data=response.data, format=fmt)  # returns-rdf
            services = list(sd.subjects(RDF.type, SD.Service))
            assert len(services) == 1
            service = services[0]
            assert (service, SD.endpoint, endpoint) in sd  # has-endpoint-triple
            # conforms-to-schema: the ranges of the vocabulary's properties
            assert set(sd.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
            assert SD.UnionDefaultGraph in set(sd.objects(service, SD.feature))
            formats = {str(f).rsplit("/", 1)[1] for f in sd.objects(service, SD.resultFormat)}
            assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV"} <= formats
            assert {"SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML"} <= formats
            dataset = sd.value(service, SD.defaultDataset)
            assert (dataset, RDF.type, SD.Dataset) in sd
            assert (sd.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in sd
            names = set()
            for named in sd.objects(dataset, SD.namedGraph):
                assert (named, RDF.type, SD.NamedGraph) in sd
                assert len(list(sd.objects(named, SD.name))) == 1
                names.add(str(sd.value(named, SD.name)))
                assert (sd.value(named, SD.graph), RDF.type, SD.Graph) in sd
            assert names == set(store.named_graphs())
            see_also = set(sd.objects(service, RDFS.seeAlso))
            assert URIRef(f"{BASE}/sparql/examples") in see_also
            assert URIRef(f"{BASE}/.well-known/void") in see_also


def test_examples_as_rdf_match_the_registry(demo):
    settings, store, client = demo
    graph = turtle(client.get("/sparql/examples", headers=TTL))
    registry = examples(Iris.of(settings), store)
    assert len(registry) == len(STATIC) + 1  # the demo allows the data-derived sum
    for example in registry:
        node = URIRef(f"{BASE}/sparql/examples#{example.name}")
        assert (node, RDF.type, SH.SPARQLExecutable) in graph
        text = graph.value(node, SH.select if example.kind == "select" else SH.construct)
        assert str(text) == example.query
        assert {lit.language for lit in graph.objects(node, RDFS.label)} == {"cs", "en"}
        assert {lit.language for lit in graph.objects(node, RDFS.comment)} == {"cs", "en"}
        assert graph.value(node, SCHEMA.target) == URIRef(f"{BASE}/sparql")
    assert client.get("/sparql/examples", headers=BROWSER).status_code == 303


def test_every_example_runs_and_finds_something(demo):
    settings, store, client = demo
    for example in examples(Iris.of(settings), store):
        accept = "text/turtle" if example.kind == "construct" else "application/sparql-results+json"
        response = client.get(
            "/sparql", query_string={"query": example.query}, headers={"Accept": accept}
        )
        assert response.status_code == 200, (example.name, response.data[:300])
        if example.kind == "construct":
            assert len(rdflib.Graph().parse(data=response.data, format="turtle")) > 10
        else:
            assert response.get_json()["results"]["bindings"], example.name
    listing = next(e for e in examples(Iris.of(settings), store) if e.name == "datove-sady")
    rows = client.get(
        "/sparql",
        query_string={"query": listing.query},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()["results"]["bindings"]
    catalog = client.get("/catalog", headers={"Accept": "application/ld+json"}).get_json()
    assert sorted(r["datova_sada"]["value"] for r in rows) == sorted(catalog["datová_sada"])


def test_the_cross_region_sum_is_right(demo):
    """The data-derived example sums 'Počet žáků daného oboru' from obce up to kraje: compare
    with the demo table and ČSÚ's file."""
    settings, store, client = demo
    example = next(e for e in examples(Iris.of(settings), store) if e.name == "soucet-po-uzemi")
    assert "pocet_zaku_daneho_oboru" in example.query and "uzemi:kraj" in example.query
    with open(default_source(), encoding="utf-8", newline="") as f:
        kraj_of = {row["obec_kod"]: row["kraj_ruian_vusc_kod"] for row in csv.DictReader(f)}
    expected: Counter = Counter()
    with open(resources.demo("data") / "skoly-obory.csv", encoding="cp1250", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[1:]:
        if len(row) == 1:  # a row wrapped whole in quotes (the source has 12)
            row = next(csv.reader([row[0]]))
        expected[RUIAN + "vusc/" + kraj_of[row[1]]] += int(row[6])
    result = client.get(
        "/sparql",
        query_string={"query": example.query},
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()
    got = {
        b["jednotka"]["value"]: int(b["soucet"]["value"])
        for b in result["results"]["bindings"]
        if b["uroven"]["value"].endswith("#kraj")
    }
    assert got == dict(expected)


# ---------------------------------------------------------------------------- catalogue
def test_the_endpoint_is_a_data_service_in_the_catalogue(demo):
    settings, store, client = demo
    service = URIRef(f"{BASE}/services/sparql")
    record = client.get("/datasets/lekarny.ttl")
    graph = turtle(record)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/sparql")
    description = graph.value(service, DCAT.endpointDescription)
    assert description == URIRef(f"{BASE}/sparql/description")
    assert (service, DCAT.servesDataset, URIRef(f"{BASE}/datasets/lekarny")) in graph
    sd = turtle(client.get(path(str(description)), headers=TTL))
    assert (service, SD.endpoint, URIRef(f"{BASE}/sparql")) in sd  # the same node
    doc = client.get("/datasets/lekarny", headers={"Accept": "application/ld+json"}).get_json()
    services = [d["přístupová_služba"] for d in doc["distribuce"] if "přístupová_služba" in d]
    assert services[0]["popis_přístupového_bodu"] == f"{BASE}/sparql/description"


def test_void_follows_every_write(client, store):
    """The numbers are cached per store generation: a write shows at once."""
    node = URIRef(f"{BASE}/datasets/pokus")
    for n in (3, 7):
        write_pokus(store, n)
        void = turtle(client.get("/datasets/pokus/void", headers=TTL))
        assert value(void, node, VOID.triples) == n
        linkset = next(void.subjects(RDF.type, VOID.Linkset))
        assert value(void, linkset, VOID.triples) == n
        assert value(void, linkset, VOID.distinctObjects) == 2
        whole = turtle(client.get("/.well-known/void", headers=TTL))
        assert value(whole, URIRef(f"{BASE}/.well-known/void#all"), VOID.triples) == n


def write_pokus(store, n: int) -> None:
    """A data graph of `n` rows, each linked to one of two obce."""
    from lod.formats import BY_NAME
    from lod.store import GraphSource

    lines = "".join(
        f"<{BASE}/datasets/pokus/rows/{i}> <{BASE}/datasets/pokus/columns/obec> "
        f"<{RUIAN}obec/{569810 + i % 2}> .\n"
        for i in range(n)
    )
    store.replace_graphs(
        {f"{BASE}/datasets/pokus/data": GraphSource(BY_NAME["nt"], data=lines.encode())}
    )


def test_void_numbers_are_queried_like_public_queries(app, client, store, monkeypatch):
    """The statistics go to /sparql's engine (the query workers for the embedded store), not
    to the store in the web process; when the engine cannot answer, the store does."""
    from lod import void as void_mod
    from lod.sparql.engine import QueryTimedOut

    def not_here(_store):
        raise AssertionError("VoID queried the store in the web process")

    engine = app.extensions["lod.sparql"]
    asked = []
    run = engine.run

    def recorded(job):
        asked.append(job.client)
        return run(job)

    monkeypatch.setattr(engine, "run", recorded)
    monkeypatch.setattr(void_mod, "select_from", not_here)
    write_pokus(store, 5)
    whole = turtle(client.get("/.well-known/void", headers=TTL))
    assert value(whole, URIRef(f"{BASE}/.well-known/void#all"), VOID.triples) == 5
    assert asked == ["lod-void"] * 3  # properties, distinct nodes, classes

    def too_slow(job):
        raise QueryTimedOut("past the limit")

    monkeypatch.undo()  # the store may be queried here again
    monkeypatch.setattr(engine, "run", too_slow)
    write_pokus(store, 4)  # a new generation: computed again, by the store itself
    whole = turtle(client.get("/.well-known/void", headers=TTL))
    assert value(whole, URIRef(f"{BASE}/.well-known/void#all"), VOID.triples) == 4
