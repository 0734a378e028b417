"""VoID (W3C Interest Group Note "Describing Linked Datasets with the VoID Vocabulary").

Two documents: ``/.well-known/void`` describes everything published here (``…#all``, the union
of all graphs) with every dataset as a ``void:subset``; ``/datasets/<id>/void`` describes one
dataset's data graph. Each description states ``void:triples``, ``void:distinctSubjects``,
``void:distinctObjects``, ``void:classes``, ``void:properties``, a ``void:classPartition`` per
class (``void:entities``) and a ``void:propertyPartition`` per property (``void:triples``),
``void:sparqlEndpoint`` and, for a dataset with downloads, ``void:dataDump`` (its N-Triples and
Turtle files). Links to RÚIAN (objects under ``https://linked.cuzk.cz/resource/ruian/``) are a
``void:Linkset`` per linking property, with the number of links and of distinct units.

The numbers come from SPARQL aggregates over the store, so they are computed once per store
generation (a write makes a new one) and kept in a small cache. The web app has them evaluated
like public queries (``select``: the SPARQL query workers, off the web process, on their
in-memory copies of the store: three times faster than on the checkpoint on disk).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .generations import PerGeneration
from .iris import Iris
from .namespaces import DCAT, DCTERMS, FOAF, RUIAN

VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
RUIAN_DATASET_TITLE = {
    "cs": "Registr územní identifikace, adres a nemovitostí (RÚIAN)",
    "en": "Register of territorial identification, addresses and real estate (RÚIAN)",
}


Select = Callable[[str], Iterable[dict]]  # a SELECT query -> its rows (values: str or terms)


def select_from(store) -> Select:
    """Queries straight on ``store`` (in this process)."""
    return lambda query: store.query(query).rows()


@dataclass
class Stats:
    triples: int = 0
    subjects: int = 0
    objects: int = 0
    classes: dict[str, int] = field(default_factory=dict)  # class -> distinct instances
    properties: dict[str, int] = field(default_factory=dict)  # property -> triples
    links: dict[str, tuple[int, int]] = field(default_factory=dict)  # property -> (links, units)


def _int(row, name: str) -> int:
    value = row.get(name)
    return int(value) if value is not None else 0


def _where(graph: str | None, pattern: str) -> str:
    return f"GRAPH <{graph}> {{ {pattern} }}" if graph else pattern


def compute(store, graph: str | None, select: Select | None = None) -> Stats:
    """The statistics of one named graph, or of the union of all graphs (``graph=None``),
    queried with ``select`` (default: on ``store``).

    Three scans: per property its triples and its links to RÚIAN (the triples are their sum),
    the distinct subjects and objects, and the instances per class."""
    select = select or select_from(store)
    stats = Stats()
    link = f'isIRI(?o) && STRSTARTS(STR(?o), "{RUIAN}")'
    for row in select(
        "SELECT ?p (COUNT(*) AS ?n) (COUNT(?l) AS ?links) (COUNT(DISTINCT ?l) AS ?units) "
        f"WHERE {{ {_where(graph, '?s ?p ?o')} BIND(IF({link}, ?o, ?none) AS ?l) }} GROUP BY ?p"
    ):
        prop = str(row["p"])
        stats.properties[prop] = _int(row, "n")
        if _int(row, "links"):
            stats.links[prop] = (_int(row, "links"), _int(row, "units"))
    stats.triples = sum(stats.properties.values())
    for row in select(
        "SELECT (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?o) AS ?o_) "
        f"WHERE {{ {_where(graph, '?s ?p ?o')} }}"
    ):
        stats.subjects, stats.objects = _int(row, "s_"), _int(row, "o_")
    for row in select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {_where(graph, f'?s <{RDF.type}> ?c')} }} "
        "GROUP BY ?c"
    ):
        stats.classes[str(row["c"])] = _int(row, "n")
    return stats


# ---------------------------------------------------------------------------- cache
_STATS: PerGeneration[Stats] = PerGeneration(ttl=600.0)  # 600 s when the store cannot tell


def stats(store, graph: str | None, select: Select | None = None) -> Stats:
    """``compute``, once per store generation: concurrent requests wait for one computation."""
    return _STATS.get(store, graph, lambda: compute(store, graph, select))


# ---------------------------------------------------------------------------- graphs
def _new_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.bind("void", VOID)
    graph.bind("dct", DCTERMS)
    graph.bind("dcat", DCAT)
    graph.bind("foaf", FOAF)
    return graph


def _describe(graph: rdflib.Graph, node: URIRef, numbers: Stats, iris: Iris, linkset_base: str):
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, VOID.sparqlEndpoint, URIRef(iris.sparql_endpoint)))
    for predicate, value in (
        (VOID.triples, numbers.triples),
        (VOID.distinctSubjects, numbers.subjects),
        (VOID.distinctObjects, numbers.objects),
        (VOID.classes, len(numbers.classes)),
        (VOID.properties, len(numbers.properties)),
    ):
        graph.add((node, predicate, Literal(value, datatype=XSD.integer)))
    for cls, count in sorted(numbers.classes.items()):
        part = BNode()
        graph.add((node, VOID.classPartition, part))
        graph.add((part, VOID["class"], URIRef(cls)))
        graph.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(numbers.properties.items()):
        part = BNode()
        graph.add((node, VOID.propertyPartition, part))
        graph.add((part, VOID.property, URIRef(prop)))
        graph.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    if numbers.links:
        target = URIRef(iris.void + "#ruian")
        graph.add((target, RDF.type, VOID.Dataset))
        graph.add((target, VOID.uriSpace, Literal(RUIAN)))
        for lang, title in RUIAN_DATASET_TITLE.items():
            graph.add((target, DCTERMS.title, Literal(title, lang=lang)))
    for n, (prop, (links, units)) in enumerate(sorted(numbers.links.items()), start=1):
        linkset = URIRef(f"{linkset_base}#ruian-{n}")
        graph.add((node, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, VOID.subjectsTarget, node))
        graph.add((linkset, VOID.objectsTarget, URIRef(iris.void + "#ruian")))
        graph.add((linkset, VOID.linkPredicate, URIRef(prop)))
        graph.add((linkset, VOID.triples, Literal(links, datatype=XSD.integer)))
        graph.add((linkset, VOID.distinctObjects, Literal(units, datatype=XSD.integer)))


def _titles(store, iris: Iris, dataset_id: str) -> list[Literal]:
    result = store.query(
        f"SELECT ?t WHERE {{ GRAPH <{iris.metadata_graph(dataset_id)}> "
        f"{{ <{iris.dataset(dataset_id)}> <{DCTERMS.title}> ?t }} }}"
    )
    return [row["t"] for row in result.rows()]


def _dumps(store, iris: Iris, dataset_id: str) -> list[str]:
    """The dataset's RDF downloads, as its record lists them."""
    wanted = [iris.download(dataset_id, suffix) for suffix in ("nt", "ttl")]
    values = " ".join(f"<{u}>" for u in wanted)
    result = store.query(
        f"SELECT DISTINCT ?u WHERE {{ VALUES ?u {{ {values} }} "
        f"GRAPH <{iris.metadata_graph(dataset_id)}> {{ ?d <{DCAT.downloadURL}> ?u }} }}"
    )
    found = {str(row["u"]) for row in result.rows()}
    return [u for u in wanted if u in found]


def dataset_ids(store, iris: Iris) -> list[str]:
    """The published datasets that have a data graph."""
    graphs = set(store.named_graphs())
    ids = []
    for name in sorted(graphs):
        dataset_id = iris.dataset_id_of(name)
        if dataset_id and name == iris.data_graph(dataset_id):
            ids.append(dataset_id)
    return ids


def dataset_void(store, iris: Iris, dataset_id: str, select: Select | None = None) -> rdflib.Graph:
    """The VoID document of one dataset (empty if it has no data graph); its numbers queried
    with ``select`` (default: on ``store``)."""
    graph = _new_graph()
    if iris.data_graph(dataset_id) not in store.named_graphs():
        return graph
    node = URIRef(iris.dataset(dataset_id))
    document = URIRef(iris.dataset_void(dataset_id))
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, FOAF.primaryTopic, node))
    graph.add((document, DCTERMS.title, Literal("Popis datové sady ve slovníku VoID", lang="cs")))
    graph.add((document, DCTERMS.title, Literal("VoID description of the dataset", lang="en")))
    numbers = stats(store, iris.data_graph(dataset_id), select)
    _describe(graph, node, numbers, iris, str(document))
    for title in _titles(store, iris, dataset_id):
        graph.add((node, DCTERMS.title, title))
    graph.add((node, VOID.uriSpace, Literal(iris.dataset(dataset_id) + "/")))
    graph.add((node, FOAF.homepage, URIRef(iris.landing_page(dataset_id))))
    for url in _dumps(store, iris, dataset_id):
        graph.add((node, VOID.dataDump, URIRef(url)))
    graph.add((node, VOID.feature, FORMATS_NS["N-Triples"]))
    graph.add((node, VOID.feature, FORMATS_NS["Turtle"]))
    return graph


def whole_void(store, iris: Iris, settings, select: Select | None = None) -> rdflib.Graph:
    """The VoID document of the installation: everything, and each dataset as a subset; its
    numbers queried with ``select`` (default: on ``store``)."""
    graph = _new_graph()
    node = URIRef(iris.void_all)
    document = URIRef(iris.void)
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, FOAF.primaryTopic, node))
    graph.add((document, DCTERMS.title, Literal("Popis dat ve slovníku VoID", lang="cs")))
    graph.add((document, DCTERMS.title, Literal("VoID description of the data", lang="en")))
    _describe(graph, node, stats(store, None, select), iris, str(document))
    graph.add((node, DCTERMS.title, Literal(settings.catalog_title, lang="cs")))
    if settings.catalog_title_en:
        graph.add((node, DCTERMS.title, Literal(settings.catalog_title_en, lang="en")))
    graph.add((node, DCTERMS.publisher, URIRef(settings.publisher_iri)))
    graph.add((node, VOID.rootResource, URIRef(iris.catalog)))
    graph.add((node, VOID.uriSpace, Literal(iris.base + "/")))
    graph.add((node, FOAF.homepage, URIRef(iris.catalog)))
    for dataset_id in dataset_ids(store, iris):
        subset = URIRef(iris.dataset(dataset_id))
        graph.add((node, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, RDFS.seeAlso, URIRef(iris.dataset_void(dataset_id))))
        for title in _titles(store, iris, dataset_id):
            graph.add((subset, DCTERMS.title, title))
        for url in _dumps(store, iris, dataset_id):
            graph.add((subset, VOID.dataDump, URIRef(url)))
    return graph
