"""The RDF forms of a catalogue (Turtle, RDF/XML, N-Triples, …) for harvesters like
data.europa.eu's: one page at a time, each dataset complete within its page, paged with Hydra.

piveau follows ``hydra:next``/``hydra:nextPage`` and needs ``hydra:totalItems``
(../shared/notes/dcat-ap-europe-and-mqa.md §3); the page node is typed both
``hydra:PartialCollectionView`` and ``hydra:PagedCollection`` so that either of its readers
finds it. Every link is absolute and built from ``LOD_BASE_URL`` (``Iris.page``), never from the
request's host. The JSON-LD catalogue for NKOD is not paged (NKOD knows no paging): it lists
every dataset (``catalog.catalog_document``).
"""

from __future__ import annotations

import math

import rdflib
from rdflib import Literal, URIRef

from ..iris import Iris
from ..namespaces import DCAT, DCTERMS, RDF, XSD
from . import dcatap, ofn
from .catalog import restore_datatypes, series_descriptions

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")


def page_count(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def catalog_page(
    store,
    settings,
    description: dict,
    datasets: list[str],
    *,
    suffix: str,
    page: int = 1,
) -> rdflib.Graph:
    """Page ``page`` of the catalogue ``description`` (its OFN record) listing ``datasets``:
    the catalogue, the page's datasets with their full records, and the Hydra paging."""
    size = settings.catalog_page_size
    pages = page_count(len(datasets), size)
    chosen = datasets[(page - 1) * size : page * size]
    catalog = URIRef(description["iri"])
    graph = ofn.to_graph(description)
    if chosen:
        values = " ".join(f"<{iri}>" for iri in chosen)
        result = store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        for triple in result.triples():
            graph.add(triple)
        restore_datatypes(graph)
        graph += series_descriptions(store, graph)
    for other in set(graph.subjects(DCAT.dataset)) - {catalog}:
        graph.remove((other, DCAT.dataset, None))  # the links of other catalogues
    for iri in chosen:
        graph.add((catalog, DCAT.dataset, URIRef(iri)))
    dcatap.catalog_extras(graph, catalog, settings)
    view = URIRef(Iris.page(str(catalog), suffix, page))
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, RDF.type, HYDRA.PagedCollection))
    graph.add((view, HYDRA.totalItems, Literal(len(datasets), datatype=XSD.nonNegativeInteger)))
    graph.add((view, HYDRA.itemsPerPage, Literal(size, datatype=XSD.nonNegativeInteger)))
    links = {
        (HYDRA.first, HYDRA.firstPage): 1,
        (HYDRA.last, HYDRA.lastPage): pages,
    }
    if page > 1:
        links[(HYDRA.previous, HYDRA.previousPage)] = page - 1
    if page < pages:
        links[(HYDRA.next, HYDRA.nextPage)] = page + 1
    for predicates, number in links.items():
        for predicate in predicates:
            graph.add((view, predicate, URIRef(Iris.page(str(catalog), suffix, number))))
    return graph


def publisher_datasets(store, settings, publisher_iri: str) -> list[str]:
    """The datasets and series of one publisher, in IRI order."""
    catalog = Iris.of(settings).catalog
    result = store.query(
        f"SELECT DISTINCT ?d WHERE {{ <{catalog}> <{DCAT.dataset}> ?d . "
        f"?d <{DCTERMS.publisher}> <{publisher_iri}> }} ORDER BY ?d"
    )
    return [str(row["d"]) for row in result.rows()]
