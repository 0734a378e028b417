"""The codelists a DCAT-AP-CZ record takes its values from, shipped in ``vocab/``, offline.

EU authority tables (``vocab/eu/labels.ttl``: data themes, frequencies, file types, licences,
access rights, languages, countries, continents, …; ADMS publisher types), the top-level
high-value dataset categories (``vocab/eu/hvd.ttl``) and the IANA media types
(``vocab/iana/media-types.txt``). ``describe`` merges the concepts a graph uses into it, as the
DCAT-AP 3 vocabulary shapes require ("the used codelist concepts merged").
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from .. import resources
from ..namespaces import DCTERMS, EU, RDF, SKOS
from ..store.terms import to_rdflib

DATA_THEME = EU + "data-theme"
FREQUENCY = EU + "frequency"
FILE_TYPE = EU + "file-type"
LICENCE = EU + "licence"
ACCESS_RIGHT = EU + "access-right"
LANGUAGE = EU + "language"
COUNTRY = EU + "country"
CONTINENT = EU + "continent"
PLANNED_AVAILABILITY = EU + "planned-availability"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/1.0"
HVD_CATEGORY = "http://data.europa.eu/bna/"
IANA_PREFIXES = (
    "http://www.iana.org/assignments/media-types/",
    "https://www.iana.org/assignments/media-types/",
)
FILES = ("eu/labels.ttl", "eu/hvd.ttl")


@cache
def graph() -> rdflib.Graph:
    """Every shipped concept and scheme: type, scheme, notation, labels (cs, en). Parsed by
    pyoxigraph, in half the time rdflib's Turtle parser takes (every record's check waits)."""
    g = rdflib.Graph()
    for name in FILES:
        triples = ox.parse(path=str(resources.vocab(name)), format=ox.RdfFormat.TURTLE)
        g.addN(
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), g) for t in triples
        )
    return g


@cache
def _schemes() -> dict[str, str]:
    """concept IRI -> scheme IRI"""
    return {str(c): str(s) for c, s in graph().subject_objects(SKOS.inScheme)}


def scheme_of(iri) -> str | None:
    return _schemes().get(str(iri))


def in_scheme(iri, scheme: str) -> bool:
    return scheme_of(iri) == scheme


def codes(scheme: str) -> list[str]:
    """The notations of a scheme's concepts, sorted (for messages)."""
    return sorted(str(c).rsplit("/", 1)[-1] for c, s in _schemes().items() if s == scheme)


@cache
def hvd_top_categories() -> frozenset[str]:
    g = rdflib.Graph().parse(resources.vocab("eu/hvd.ttl"), format="turtle")
    return frozenset(str(c) for c in g.subjects(RDF.type, SKOS.Concept))


@cache
def _media_types() -> frozenset[str]:
    text = resources.vocab("iana/media-types.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def media_type_of(iri) -> str | None:
    """``text/csv`` of ``http://www.iana.org/assignments/media-types/text/csv``, else None."""
    text = str(iri)
    for prefix in IANA_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return None


def is_registered_media_type(iri) -> bool:
    media_type = media_type_of(iri)
    return media_type is not None and media_type.lower() in _media_types()


def describe(data: rdflib.Graph) -> rdflib.Graph:
    """The concepts (and their schemes) that ``data`` refers to, as a new graph."""
    g = graph()
    out = rdflib.Graph()
    used = {o for o in data.objects() if isinstance(o, URIRef)}
    used |= {s for s in data.subjects() if isinstance(s, URIRef)}
    schemes = set()
    for iri in used:
        if (iri, RDF.type, SKOS.Concept) not in g:
            continue
        for p, o in g.predicate_objects(iri):
            if p != SKOS.exactMatch:
                out.add((iri, p, o))
            if p == SKOS.inScheme:
                schemes.add(o)
    for scheme in schemes | (used & set(g.subjects(RDF.type, SKOS.ConceptScheme))):
        for p in (RDF.type, DCTERMS.title, SKOS.prefLabel):
            for o in g.objects(scheme, p):
                out.add((scheme, p, o))
    return out


def label(iri, lang: str = "cs") -> str | None:
    values = {
        getattr(v, "language", None): str(v) for v in graph().objects(URIRef(iri), SKOS.prefLabel)
    }
    return values.get(lang) or values.get("en") or next(iter(values.values()), None)
