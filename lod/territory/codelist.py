"""The territorial codelist as RDF: N-Triples streamed from the ČSÚ file (or an rdflib graph).

Every unit is a ``skos:Concept`` of the scheme ``uzemi:struktura-uzemi-cr`` named by its RÚIAN
IRI, typed with its ``uzemi:`` class, labelled (``skos:prefLabel @cs``), with one typed
``skos:notation`` per code system, ``skos:broader`` to its direct parents and an explicit
``uzemi:`` link to every unit it lies in. The model is documented in vocab/territory/README.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .. import resources
from ..iris import ruian
from ..namespaces import DCTERMS, RDF, SKOS, UZEMI, XSD
from .kinds import BY_KEY, OBEC_TYPES, SCHEME, Kind
from .source import Record, Source

ONTOLOGY_FILE = "territory/ontology.ttl"

_TYPE = f"<{RDF.type}>"
_IN_SCHEME = f"<{SKOS.inScheme}>"
_LABEL = f"<{SKOS.prefLabel}>"
_NOTATION = f"<{SKOS.notation}>"
_BROADER = f"<{SKOS.broader}>"
_SCHEME = f"<{SCHEME}>"
_SEAT = f"<{UZEMI.sidlo}>"
_OBEC_TYPE = f"<{UZEMI.typObce}>"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _text(value: str, lang: str) -> str:
    return '"' + value.translate(_ESCAPES) + '"@' + lang


def scheme_ntriples() -> Iterator[str]:
    yield f"{_SCHEME} {_TYPE} <{SKOS.ConceptScheme}> .\n"
    yield f"{_SCHEME} {_LABEL} {_text('Územní struktura České republiky', 'cs')} .\n"
    yield f"{_SCHEME} {_LABEL} {_text('Territorial structure of the Czech Republic', 'en')} .\n"


def unit_ntriples(record: Record) -> Iterator[str]:
    """The triples of one unit (codes are checked by the reader, so they need no escaping)."""
    kind: Kind = record.kind
    s = f"<{ruian(kind.segment, record.code)}>"
    yield f"{s} {_TYPE} <{UZEMI[kind.cls]}> .\n"
    yield f"{s} {_IN_SCHEME} {_SCHEME} .\n"
    yield f"{s} {_LABEL} {_text(record.name, 'cs')} .\n"
    for system in kind.systems:
        yield f'{s} {_NOTATION} "{record.codes[system.key]}"^^<{UZEMI[system.datatype]}> .\n'
    for key in kind.broader:
        yield f"{s} {_BROADER} <{ruian(BY_KEY[key].segment, record.within[key])}> .\n"
    for key in kind.within:
        parent = BY_KEY[key]
        yield f"{s} <{UZEMI[parent.link or key]}> <{ruian(parent.segment, record.within[key])}> .\n"
    if record.seat:
        yield f"{s} {_SEAT} <{ruian('obec', record.seat)}> .\n"
    if record.obec_type in OBEC_TYPES:
        yield f"{s} {_OBEC_TYPE} <{UZEMI[OBEC_TYPES[record.obec_type]]}> .\n"
    if not kind.within:  # the stát: the top of the scheme
        yield f"{s} <{SKOS.topConceptOf}> {_SCHEME} .\n"
        yield f"{_SCHEME} <{SKOS.hasTopConcept}> {s} .\n"


def ntriples(source: Source | Path | str) -> Iterator[str]:
    """The codelist of one ČSÚ file as N-Triples lines, streaming.

    Raises ``BadInput`` (naming the row and the column) while streaming if the file is bad;
    pass a ``Source`` to read its ``warnings``, ``rows`` and ``dates`` afterwards.
    """
    source = source if isinstance(source, Source) else Source(source)
    yield from scheme_ntriples()
    for record in source.records():
        yield from unit_ntriples(record)
    for date in sorted(source.dates):
        yield f'{_SCHEME} <{DCTERMS.valid}> "{date}"^^<{XSD.date}> .\n'


def ontology_ntriples() -> Iterator[str]:
    """The uzemi: ontology (vocab/territory/ontology.ttl) as N-Triples lines."""
    path = resources.vocab(ONTOLOGY_FILE)
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield f"{triple.subject} {triple.predicate} {triple.object} .\n"


def graph(source: Source | Path | str) -> rdflib.Graph:
    """The codelist as an rdflib graph (about 110,000 triples: a few seconds)."""
    return rdflib.Graph().parse(data="".join(ntriples(source)), format="nt")
