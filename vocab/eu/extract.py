"""Extract the codelist concepts lod needs from the EU authority tables (run from the repository root).

    python vocab/eu/extract.py ../shared/reference/eu-vocabularies > vocab/eu/labels.ttl

Keeps, for every concept of the tables below: its type, scheme, notation, the Czech and English
preferred labels and (licences) its exact matches; for every scheme: its type, title and label.
These are the facts the DCAT-AP 3 vocabulary shapes need "in the data graph" (skos:inScheme,
skos:prefLabel) and the lists lod checks codelist values against. Languages: only those with an
ISO 639-1 code (the 8,000 others are never used in a catalogue). ADMS publisher types come from
ADMS_SKOS_v1.00.rdf.
"""

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DC, DCTERMS, RDF, SKOS

AT = rdflib.Namespace("http://publications.europa.eu/ontology/authority/")
TABLES = (
    "data-theme.ttl",
    "frequencies.ttl",
    "filetypes.ttl",
    "licences.ttl",
    "access-right.ttl",
    "languages.ttl",
    "countries.ttl",
    "continents.ttl",
    "planned-availability.ttl",
    "distribution-status.ttl",
    "dataset-types.ttl",
)
ADMS = ("ADMS_SKOS_v1.00.rdf", "http://purl.org/adms/publishertype/1.0")


def iso639_1(graph: rdflib.Graph, concept) -> bool:
    return any(
        str(graph.value(code, DC.source)) == "iso-639-1"
        for code in graph.objects(concept, AT["op-mapped-code"])
    )


def copy_concept(graph: rdflib.Graph, concept, out: rdflib.Graph) -> None:
    out.add((concept, RDF.type, SKOS.Concept))
    for scheme in graph.objects(concept, SKOS.inScheme):
        out.add((concept, SKOS.inScheme, scheme))
    code = str(concept).rstrip("/").rsplit("/", 1)[-1]
    out.add((concept, SKOS.notation, rdflib.Literal(code)))
    for label in graph.objects(concept, SKOS.prefLabel):
        if getattr(label, "language", None) in ("cs", "en"):
            out.add((concept, SKOS.prefLabel, label))
    for match in graph.objects(concept, SKOS.exactMatch):
        out.add((concept, SKOS.exactMatch, match))


def copy_scheme(graph: rdflib.Graph, scheme, out: rdflib.Graph) -> None:
    out.add((scheme, RDF.type, SKOS.ConceptScheme))
    labels = [
        label
        for label in graph.objects(scheme, SKOS.prefLabel)
        if getattr(label, "language", None) in ("cs", "en")
    ]
    if not labels:
        labels = [rdflib.Literal(str(scheme).rstrip("/").rsplit("/", 2)[-2], lang="en")]
    for label in labels:
        out.add((scheme, SKOS.prefLabel, label))
        out.add((scheme, DCTERMS.title, label))


source = Path(sys.argv[1])
out = rdflib.Graph()
out.bind("skos", SKOS)
out.bind("dct", DCTERMS)
for name in TABLES:
    g = rdflib.Graph().parse(source / name)
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        copy_scheme(g, scheme, out)
    for concept in g.subjects(RDF.type, SKOS.Concept):
        if name == "languages.ttl" and not iso639_1(g, concept):
            continue
        copy_concept(g, concept, out)
g = rdflib.Graph().parse(source / ADMS[0])
scheme = rdflib.URIRef(ADMS[1])
copy_scheme(g, scheme, out)
for concept in g.subjects(SKOS.inScheme, scheme):
    copy_concept(g, concept, out)
sys.stdout.write(out.serialize(format="turtle"))
