"""The HTTP interface: the LKOD documents NKOD harvests, downloads, SPARQL, HTML pages."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib import URIRef
from rdflib.compare import isomorphic

from lod.catalog import ofn
from lod.publish import ingest
from lod.validate import schema

from .conftest import BASE, DATA
from .test_validation import VALID

TABLE = DATA / "tables" / "rozpocet-cp1250.csv"
JSONLD = {"Accept": "application/ld+json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def published(store, settings):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    ingest(store, settings, DATA / "tables" / "rozpocet-cp1250.csv", "rozpocet-kopie", VALID)
    return ["rozpocet", "rozpocet-kopie"]


def path_of(iri: str) -> str:
    assert iri.startswith(BASE + "/")
    return urlsplit(iri).path


def test_catalogue_is_valid_ofn_json_ld(client, published):
    response = client.get("/catalog", headers=JSONLD)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/ld+json")
    doc = response.get_json()
    assert doc["@context"] == ofn.CONTEXT_2024
    assert schema.validate(doc, "katalog") == []
    assert sorted(doc["datová_sada"]) == [f"{BASE}/datasets/{i}" for i in published]
    graph = ofn.to_graph(doc)  # parses as JSON-LD with the local context
    assert (
        URIRef(f"{BASE}/catalog"),
        rdflib.RDF.type,
        URIRef("http://www.w3.org/ns/dcat#Catalog"),
    ) in graph


def test_every_listed_dataset_dereferences_at_its_iri(client, published):
    doc = client.get("/catalog", headers=JSONLD).get_json()
    for iri in doc["datová_sada"]:
        response = client.get(path_of(iri), headers=JSONLD)
        assert response.status_code == 200, iri
        record = response.get_json()
        assert record["iri"] == iri  # the subject is exactly the IRI it is served at
        assert schema.validate(record, "datová-sada") == []
        graph = ofn.to_graph(record)
        assert ofn.first_subject(graph, "Datová sada") == URIRef(iri)


def test_default_format_is_json_ld(client, published):
    for accept in (None, "*/*"):
        headers = {"Accept": accept} if accept else {}
        response = client.get("/datasets/rozpocet", headers=headers)
        assert response.headers["Content-Type"].startswith("application/ld+json")


@pytest.mark.parametrize(
    "suffix,media_type,rdflib_format",
    [
        ("ttl", "text/turtle", "turtle"),
        ("rdf", "application/rdf+xml", "xml"),
        ("nt", "application/n-triples", "nt"),
    ],
)
def test_rdf_forms_agree_with_json_ld(client, published, suffix, media_type, rdflib_format):
    reference = ofn.to_graph(client.get("/datasets/rozpocet", headers=JSONLD).get_json())
    by_suffix = client.get(f"/datasets/rozpocet.{suffix}")
    by_accept = client.get("/datasets/rozpocet", headers={"Accept": media_type})
    for response in (by_suffix, by_accept):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith(media_type)
        graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
        # the RDF forms carry everything the JSON-LD has (and publication facts besides)
        missing = [
            t
            for t in reference
            if not isinstance(t[0], rdflib.BNode)
            and not isinstance(t[2], rdflib.BNode)
            and t not in graph
        ]
        assert missing == []
    assert isomorphic(
        rdflib.Graph().parse(data=by_suffix.data, format=rdflib_format),
        rdflib.Graph().parse(data=by_accept.data, format=rdflib_format),
    )


def test_catalogue_rdf_forms(client, published):
    for suffix, fmt in (("ttl", "turtle"), ("rdf", "xml"), ("nt", "nt")):
        response = client.get(f"/catalog.{suffix}")
        graph = rdflib.Graph().parse(data=response.data, format=fmt)
        datasets = set(
            graph.objects(URIRef(f"{BASE}/catalog"), URIRef("http://www.w3.org/ns/dcat#dataset"))
        )
        assert len(datasets) == 2


def test_cors_head_options(client, published):
    for path in (
        "/catalog",
        "/datasets/rozpocet",
        "/datasets/rozpocet/data.csv",
        "/sparql?query=ASK%7B%7D",
    ):
        with client.get(path) as get:
            assert get.headers["Access-Control-Allow-Origin"] == "*", path
        with client.head(path) as head:
            assert head.status_code == 200, path
            assert head.data == b""
        with client.options(path) as options:
            assert options.status_code == 200, path
            assert options.headers["Access-Control-Allow-Origin"] == "*"
            assert "GET" in options.headers["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    "name,content_type",
    [
        ("data.csv", "text/csv; charset=utf-8"),
        ("data.csv-metadata.json", "application/csvm+json"),
        ("data.ttl", "text/turtle; charset=utf-8"),
        ("data.nt", "application/n-triples"),
    ],
)
def test_downloads(client, published, name, content_type):
    with client.get(f"/datasets/rozpocet/{name}") as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == content_type
        assert response.headers["Content-Disposition"].startswith("inline; filename=rozpocet")


def test_every_distribution_url_answers(client, published):
    record = client.get("/datasets/rozpocet", headers=JSONLD).get_json()
    for dist in record["distribuce"]:
        urls = [dist["přístupové_url"], dist.get("soubor_ke_stažení"), dist.get("schéma")]
        for url in filter(None, urls):
            with client.head(path_of(url)) as response:  # MQA checks URLs with a bare HEAD
                assert response.status_code == 200, url
        with client.get(path_of(dist["iri"]), headers=JSONLD) as response:
            assert response.status_code == 200, dist["iri"]


def test_csv_download_is_utf8_and_matches_the_schema(client, published):
    with client.get("/datasets/rozpocet/data.csv") as response:
        text = response.data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    with client.get("/datasets/rozpocet/data.csv-metadata.json") as response:
        schema_doc = json.loads(response.data)
    titles = [c["titles"] for c in schema_doc["tableSchema"]["columns"] if not c.get("virtual")]
    assert [t if isinstance(t, str) else t[0] for t in titles] == rows[0]
    assert "Činnost místní správy" in text


def test_data_graph_forms(client, published):
    with client.get("/datasets/rozpocet/data", headers={"Accept": "text/turtle"}) as turtle:
        assert turtle.status_code == 200
        g1 = rdflib.Graph().parse(data=turtle.data, format="turtle")
    with client.get("/datasets/rozpocet/data.jsonld") as jsonld:
        assert jsonld.status_code == 200
        g2 = rdflib.Graph().parse(data=jsonld.data, format="json-ld")
    assert isomorphic(g1, g2)


def test_rows_and_columns_dereference(client, published):
    row = client.get("/datasets/rozpocet/rows/1", headers={"Accept": "text/turtle"})
    assert row.status_code == 200
    graph = rdflib.Graph().parse(data=row.data, format="turtle")
    assert (URIRef(f"{BASE}/datasets/rozpocet/rows/1"), None, None) in graph
    page = client.get("/datasets/rozpocet/rows/1", headers=BROWSER)
    assert page.status_code == 200 and b"<html" in page.data
    assert client.get("/services/sparql", headers={"Accept": "text/turtle"}).status_code == 200
    # every column used as a property dereferences to its header and datatype
    for predicate in {p for p in graph.predicates() if "/columns/" in str(p)}:
        response = client.get(path_of(str(predicate)), headers={"Accept": "text/turtle"})
        assert response.status_code == 200, predicate
        described = rdflib.Graph().parse(data=response.data, format="turtle")
        assert described.value(predicate, rdflib.RDFS.label) is not None
        assert described.value(predicate, rdflib.RDFS.range) is not None
    page = client.get("/datasets/rozpocet/rows/1", headers=BROWSER).data.decode()
    assert "Výsledek od počátku roku" in page  # the header labels the property


def test_not_found_and_not_acceptable(client, published):
    missing = client.get("/datasets/neexistuje", headers=JSONLD)
    assert missing.status_code == 404
    assert missing.get_json()["error"]
    assert client.get("/datasets/neexistuje", headers=BROWSER).status_code == 404
    assert client.get("/datasets/rozpocet", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/nic/takoveho").status_code == 404


def test_html_pages(client, published):
    page = client.get("/catalog", headers=BROWSER)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    html = page.data.decode()
    assert 'lang="cs"' in html and "Rozpočet obce 2016" in html
    page = client.get("/datasets/rozpocet", headers=BROWSER).data.decode()
    assert "Rozpočet obce 2016" in page and "Municipal budget 2016" in page
    assert f"{BASE}/datasets/rozpocet/data.csv" in page
    assert client.get("/sparql", headers=BROWSER).status_code == 200


# ---------------------------------------------------------------------------------- SPARQL
QUERY = (
    "SELECT ?s ?title WHERE { ?s a <http://www.w3.org/ns/dcat#Dataset> ; "
    "<http://purl.org/dc/terms/title> ?title } ORDER BY ?s ?title"
)


def solutions(data: bytes) -> list[dict]:
    doc = json.loads(data)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def test_sparql_get_post_form_and_direct_post_agree(client, store, published):
    direct = [{k: str(v) for k, v in row.items()} for row in store.query(QUERY).rows()]
    assert len(direct) == 4  # two datasets, titles in cs and en
    accept = {"Accept": "application/sparql-results+json"}
    get = client.get("/sparql", query_string={"query": QUERY}, headers=accept)
    form = client.post("/sparql", data={"query": QUERY}, headers=accept)
    body = client.post(
        "/sparql",
        data=QUERY.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    for response in (get, form, body):
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("application/sparql-results+json")
        assert solutions(response.data) == direct


@pytest.mark.parametrize(
    "accept,marker",
    [
        ("application/sparql-results+xml", b"<sparql"),
        ("text/csv", b"s,title"),
        ("text/tab-separated-values", b"?s\t?title"),
    ],
)
def test_sparql_result_formats(client, published, accept, marker):
    response = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept)
    assert marker in response.data


@pytest.mark.parametrize(
    "accept,fmt",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_sparql_construct_formats(client, published, accept, fmt):
    query = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } "
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200
    assert len(rdflib.Graph().parse(data=response.data, format=fmt)) > 0


def test_sparql_errors(client, published):
    bad = client.get(
        "/sparql",
        query_string={"query": "SELECT * WHERE {"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert bad.status_code == 400
    assert "syntax" in bad.get_json()["error"]
    assert (
        client.post("/sparql", data="x", headers={"Content-Type": "text/plain"}).status_code == 415
    )
    two = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400


def test_sparql_protocol_dataset_parameters(client, published):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    graph = f"{BASE}/datasets/rozpocet"
    only_meta = client.get(
        "/sparql",
        query_string={"query": query, "default-graph-uri": graph},
        headers={"Accept": "application/sparql-results+json"},
    )
    everything = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert 0 < int(solutions(only_meta.data)[0]["n"]) < int(solutions(everything.data)[0]["n"])


def links_here(client, path: str) -> str:
    """The "Odkazují sem" (links here) list of a resource page."""
    html = client.get(path, headers=BROWSER).data.decode()
    return html.split("Odkazují sem", 1)[1].split("</ul>", 1)[0]


def hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


def test_a_row_page_names_the_table_row_that_describes_it(client, published):
    """In standard mode a csvw:Row (a blank node) describes each row: the row page links to
    the table that holds it, with its row number, never to a blank node's label."""
    inbound = links_here(client, "/datasets/rozpocet/rows/3")
    table = f"{BASE}/datasets/rozpocet/data.csv#table"
    assert f'<a href="{table}">{table}</a>, řádek 3' in inbound
    assert "(csvw:describes)" in inbound
    assert hrefs(inbound) == [table]


def test_blank_nodes_that_link_here_are_shown_by_what_holds_them(client, store):
    from lod.formats import BY_NAME
    from lod.store import GraphSource

    thing, holder = f"{BASE}/things/x", f"{BASE}/things/holder"
    data = (
        f'<{thing}> <http://www.w3.org/2000/01/rdf-schema#label> "věc" .\n'
        f"<{holder}> <http://example.org/has> _:held .\n"
        f"_:held <http://example.org/about> <{thing}> .\n"
        f"_:alone <http://example.org/about> <{thing}> .\n"
    )
    store.replace_graphs({f"{BASE}/graphs/things": GraphSource(BY_NAME["nt"], data=data.encode())})
    inbound = links_here(client, "/things/x")
    assert (
        f'<a href="{holder}">{holder}</a> <span class="muted">(přes nepojmenovaný uzel)' in inbound
    )
    assert '<span class="muted">nepojmenovaný uzel</span>' in inbound
    assert hrefs(inbound) == [holder]
