"""The SPARQL 1.1 Service Description of ``/sparql``, and the example queries as RDF.

The description (W3C SPARQL 1.1 Service Description) is answered by ``GET /sparql`` without a
query when RDF is asked for, and always at ``/sparql/description`` (the data service's
``dcat:endpointDescription``). Its subject is the data service ``{base}/services/sparql``, the
same node the catalogue describes as a ``dcat:DataService``. It lists the endpoint, the query
language, the result formats, the features (the default graph is the union of all named
graphs), the default dataset with one ``sd:namedGraph`` per graph in the store, and links to the
VoID description and the example queries.

The examples are SHACL ``sh:SPARQLExecutable``s (SHACL Advanced Features §4: ``sh:select``,
``sh:construct`` …) with ``rdfs:label``/``rdfs:comment`` in Czech and English and
``schema:target`` naming the endpoint, as the SIB ``sparql-examples`` collections publish them.
"""

from __future__ import annotations

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .formats import BY_NAME
from .iris import Iris
from .namespaces import DCTERMS, SH
from .sparql_examples import examples

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
SCHEMA = Namespace("https://schema.org/")
ENTAILMENT_SIMPLE = URIRef("http://www.w3.org/ns/entailment/Simple")

# lod's format names -> the W3C format IRIs (http://www.w3.org/ns/formats/)
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdf": "RDF_XML",
    "nq": "N-Quads",
    "trig": "TriG",
}
RESULT_FORMAT_NAMES = ("json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdf")

EXECUTABLE = {
    "select": (SH.SPARQLSelectExecutable, SH.select),
    "ask": (SH.SPARQLAskExecutable, SH.ask),
    "construct": (SH.SPARQLConstructExecutable, SH.construct),
    "describe": (SH.SPARQLDescribeExecutable, SH.describe),
}


def endpoint_formats() -> tuple[str, ...]:
    """The formats ``/sparql`` answers in (its own tables), by lod's format names."""
    try:
        from .web.sparql import GRAPH_FORMATS, RESULT_FORMATS
    except ImportError:  # the endpoint module is being rebuilt: the formats it always had
        return RESULT_FORMAT_NAMES
    return tuple(f.name for f in (*RESULT_FORMATS, *GRAPH_FORMATS))


def service_description(iris: Iris, store=None, formats=None) -> rdflib.Graph:
    """The Service Description; with a store, its default dataset lists the named graphs."""
    formats = endpoint_formats() if formats is None else formats
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    graph.bind("dct", DCTERMS)
    graph.bind("void", "http://rdfs.org/ns/void#")
    service = URIRef(iris.sparql_service)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(iris.sparql_endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT_SIMPLE))
    graph.add((service, DCTERMS.title, Literal("SPARQL endpoint", lang="cs")))
    graph.add((service, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "Dotazování na všechna publikovaná data a metadata jazykem SPARQL 1.1. "
                "Výchozí graf je sjednocením všech pojmenovaných grafů.",
                lang="cs",
            ),
        )
    )
    graph.add(
        (
            service,
            DCTERMS.description,
            Literal(
                "SPARQL 1.1 queries over all published data and metadata. The default graph "
                "is the union of all named graphs.",
                lang="en",
            ),
        )
    )
    for name in formats:
        if name in BY_NAME and name in FORMAT_IRIS:
            graph.add((service, SD.resultFormat, FORMATS_NS[FORMAT_IRIS[name]]))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.seeAlso, URIRef(iris.void)))
    for name in store.named_graphs() if store is not None else []:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        inner = BNode()
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        dataset_id = iris.dataset_id_of(name)
        if dataset_id and name == iris.data_graph(dataset_id):
            graph.add((inner, RDFS.seeAlso, URIRef(iris.dataset_void(dataset_id))))
    graph.add((service, RDFS.seeAlso, URIRef(iris.void)))
    graph.add((service, RDFS.seeAlso, URIRef(iris.sparql_examples)))
    graph.add((service, RDFS.seeAlso, URIRef(iris.sparql_description)))
    return graph


def examples_graph(iris: Iris, store=None) -> rdflib.Graph:
    """The example queries as SHACL SPARQL executables."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    graph.bind("schema", SCHEMA)
    document = URIRef(iris.sparql_examples)
    graph.add((document, DCTERMS.title, Literal("Ukázkové dotazy SPARQL", lang="cs")))
    graph.add((document, DCTERMS.title, Literal("Example SPARQL queries", lang="en")))
    for example in examples(iris, store):
        node = URIRef(iris.sparql_example(example.name))
        cls, prop = EXECUTABLE[example.kind]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, cls))
        graph.add((node, prop, Literal(example.query)))
        graph.add((node, RDFS.label, Literal(example.title_cs, lang="cs")))
        graph.add((node, RDFS.label, Literal(example.title_en, lang="en")))
        graph.add((node, RDFS.comment, Literal(example.description_cs, lang="cs")))
        graph.add((node, RDFS.comment, Literal(example.description_en, lang="en")))
        graph.add((node, SCHEMA.target, URIRef(iris.sparql_endpoint)))
        graph.add((document, SCHEMA.hasPart, node))
    return graph
