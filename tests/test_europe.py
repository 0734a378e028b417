"""DCAT-AP 3 for data.europa.eu: the demo catalogue's RDF forms pass the official DCAT-AP 3.0.1
shapes with no violation, carry what the MQA scores, page with Hydra, and every demo dataset
is rated Excellent; the JSON-LD for NKOD stays exactly OFN."""

from __future__ import annotations

import json

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import URIRef

from lod.catalog import codelists, dcatap, ofn
from lod.cli import main
from lod.settings import load_settings
from lod.validate import dcatap as dcatap_shapes
from lod.validate import schema

from .conftest import BASE

JSONLD = {"Accept": "application/ld+json"}
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from lod.app import create_app
    from lod.demo import load_demo
    from lod.store import open_store

    home = tmp_path_factory.mktemp("demo")
    env = {"LOD_HOME": str(home / "home"), "LOD_BASE_URL": BASE, "LOD_CATALOG_PAGE_SIZE": "2"}
    settings = load_settings(env=env, config_file=home / "none.toml")
    list(load_demo(settings))
    store = open_store(settings)
    app = create_app(settings, store)
    app.testing = True
    yield settings, store, app.test_client(), env
    store.close()


def dataset_paths(client) -> list[str]:
    catalog = client.get("/catalog", headers=JSONLD).get_json()
    return [iri.removeprefix(BASE) for iri in catalog["datová_sada"]]


def test_every_demo_record_passes_the_dcat_ap_3_shapes(demo):
    _, _, client, _ = demo
    for path in dataset_paths(client):
        graph = rdflib.Graph().parse(data=client.get(path + ".ttl").data, format="turtle")
        problems = dcatap_shapes.validate(graph)
        assert [p.line() for p in problems if p.severity == "error"] == [], path


def test_every_demo_record_is_valid_ofn_json_ld(demo):
    _, _, client, _ = demo
    for path in dataset_paths(client):
        doc = client.get(path, headers=JSONLD).get_json()
        assert doc["@context"] == ofn.CONTEXT_2024
        assert schema.validate(doc) == [], path
        # nothing DCAT-AP-only leaks into the document for NKOD
        assert set(doc) <= {k.key for k in ofn.CLASSES["Datová sada"].keys} | {
            "@context",
            "iri",
            "typ",
        }


def test_rdf_forms_carry_the_dcat_ap_extras(demo):
    settings, _, client, _ = demo
    iri = BASE + "/datasets/lekarny"
    graph = rdflib.Graph().parse(data=client.get("/datasets/lekarny.rdf").data, format="xml")
    node = URIRef(iri)
    csv = URIRef(iri + "/distributions/csv")
    assert graph.value(csv, DCT.license) == URIRef(EU + "licence/CC0")
    assert graph.value(csv, DCT.rights) is not None
    assert graph.value(csv, DCAT.byteSize).datatype == rdflib.XSD.nonNegativeInteger
    assert graph.value(csv, DCT.issued) is not None and graph.value(csv, DCT.modified) is not None
    assert graph.value(node, DCT.accessRights) == URIRef(EU + "access-right/PUBLIC")
    assert set(graph.objects(node, DCT.language)) == {
        URIRef(EU + "language/CES"),
        URIRef(EU + "language/ENG"),
    }
    assert graph.value(node, DCAT.landingPage) == URIRef(iri + ".html")
    publisher = graph.value(node, DCT.publisher)
    assert (publisher, rdflib.RDF.type, FOAF.Agent) in graph
    assert str(graph.value(publisher, FOAF.name)) == settings.publisher_name
    service = URIRef(BASE + "/services/sparql")
    assert (service, DCAT.servesDataset, node) in graph
    theme = URIRef(EU + "data-theme/HEAL")
    assert (theme, rdflib.SKOS.inScheme, URIRef(EU + "data-theme")) in graph
    assert client.get("/datasets/lekarny.html").status_code == 200  # the landing page


def test_licences_follow_the_terms_of_use():
    pu = "https://data.gov.cz/podmínky-užití/"
    none = {
        "autorské-dílo": pu + "neobsahuje-autorská-díla/",
        "databáze-jako-autorské-dílo": pu + "není-autorskoprávně-chráněnou-databází/",
        "databáze-chráněná-zvláštními-právy": pu
        + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
        "osobní-údaje": pu + "neobsahuje-osobní-údaje/",
    }
    assert dcatap.licence_of(none) == URIRef(EU + "licence/CC0")
    cc_by = dict(none, **{"autorské-dílo": "https://creativecommons.org/licenses/by/4.0/"})
    assert dcatap.licence_of(cc_by) == URIRef(EU + "licence/CC_BY_4_0")
    several = dict(none, **{"autorské-dílo": pu + "obsahuje-více-autorských-děl/"})
    assert dcatap.licence_of(several) is None


def test_rdf_catalogue_pages_with_absolute_hydra_links(demo):
    settings, _, client, _ = demo
    everything = dataset_paths(client)
    assert len(everything) == 5  # the JSON-LD for NKOD lists every dataset, unpaged
    first = client.get("/catalog.ttl", headers={"Host": "internal:8080"})
    graph = rdflib.Graph().parse(data=first.data, format="turtle")
    view = URIRef(BASE + "/catalog.ttl?page=1")
    types = set(graph.objects(view, rdflib.RDF.type))
    assert {HYDRA.PartialCollectionView, HYDRA.PagedCollection} <= types
    assert graph.value(view, HYDRA.totalItems).toPython() == 5
    assert graph.value(view, HYDRA.next) == URIRef(BASE + "/catalog.ttl?page=2")
    assert graph.value(view, HYDRA.nextPage) == URIRef(BASE + "/catalog.ttl?page=2")
    assert graph.value(view, HYDRA.last) == URIRef(BASE + "/catalog.ttl?page=3")
    assert "internal:8080" not in first.data.decode()
    seen = []
    for page in (1, 2, 3):
        data = client.get(f"/catalog.ttl?page={page}").data
        page_graph = rdflib.Graph().parse(data=data, format="turtle")
        listed = list(page_graph.objects(URIRef(BASE + "/catalog"), DCAT.dataset))
        seen += listed
        for dataset in listed:  # each dataset complete within its page
            assert page_graph.value(dataset, DCT.title) is not None
            assert page_graph.value(dataset, DCAT.distribution) is not None
        assert [p.line() for p in dcatap_shapes.validate(page_graph) if p.severity == "error"] == []
    assert sorted(str(d) for d in seen) == sorted(BASE + p for p in everything)
    assert client.get("/catalog.ttl?page=4").status_code == 404


def test_every_demo_dataset_is_excellent(demo):
    _, _, _, env = demo
    result = CliRunner().invoke(
        main, ["quality", "--min", "351", "--format", "json"], env=env, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    scores = {a["iri"].rsplit("/", 1)[-1]: a for a in json.loads(result.output)}
    assert len(scores) == 5
    for name, assessment in scores.items():
        assert assessment["score"] >= 351, (name, assessment["notes"])
        assert assessment["rating"] == "Excellent"
        assert assessment["maximum"] == 405
        assert assessment["metrics"]["accessUrlStatusCode"]  # HEAD answered 2xx in-process
        assert assessment["metrics"]["dcatApCompliance"]


def test_quality_points_come_from_the_published_definitions(demo):
    from lod import quality
    from lod.fetch import Fetcher

    settings, store, client, _ = demo
    graph = rdflib.Graph().parse(data=client.get("/datasets/lekarny.ttl").data, format="turtle")
    fetcher = Fetcher({BASE + "/": client.application})
    full = quality.assess(graph, BASE + "/datasets/lekarny", fetcher)
    for dist in graph.objects(URIRef(BASE + "/datasets/lekarny"), DCAT.distribution):
        graph.remove((dist, DCT.license, None))
    worse = quality.assess(graph, BASE + "/datasets/lekarny", fetcher)
    metrics = quality.metrics()
    lost = metrics["licenceAvailability"].true_score + metrics["knownLicence"].true_score
    assert full.score - worse.score == lost == 30
    assert quality.rating(351) == "Excellent" and quality.rating(350) == "Good"


def test_codelist_concepts_are_shipped():
    assert codelists.in_scheme(EU + "file-type/CSV", codelists.FILE_TYPE)
    assert not codelists.in_scheme(EU + "file-type/UNKNOWN", codelists.FILE_TYPE)
    assert codelists.in_scheme(EU + "frequency/IRREG", codelists.FREQUENCY)
    assert codelists.is_registered_media_type(
        "http://www.iana.org/assignments/media-types/text/csv"
    )
    assert not codelists.is_registered_media_type(
        "http://www.iana.org/assignments/media-types/unknown"
    )
