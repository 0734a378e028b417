"""RDF namespaces used across lod (one definition each).

The plain IRIs (``RUIAN``, ``EU``, ``PREFIXES``, …) are strings; the ``Namespace`` objects
(``DCAT``, ``RDF``, …) are rdflib's and made on first use (module ``__getattr__``), so code
that needs only strings (``lod convert``, the query workers) starts without importing rdflib
(a tenth of a second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Namespace

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = EU + "data-theme/"
FREQUENCY = EU + "frequency/"
FILE_TYPE = EU + "file-type/"
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
EUROVOC = "http://eurovoc.europa.eu/"
RPP_OVM = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"
PU_VALUES = "https://data.gov.cz/podmínky-užití/"
# lod's own territorial ontology: fixed, never under LOD_BASE_URL (vocab/territory/README.md)
UZEMI_IRI = "https://w3id.org/lod-cz/uzemi#"

# Open namespaces (rdflib's closed DCAT lacks DCAT 3 terms such as dcat:inSeries).
_OPEN = {
    "DCAT": "http://www.w3.org/ns/dcat#",
    "DCTERMS": "http://purl.org/dc/terms/",
    "FOAF": "http://xmlns.com/foaf/0.1/",
    "PU": "https://data.gov.cz/slovník/podmínky-užití/",
    "VCARD": "http://www.w3.org/2006/vcard/ns#",
    "DCATAP": "http://data.europa.eu/r5r/",
    "CSVW": "http://www.w3.org/ns/csvw#",
    "SH": "http://www.w3.org/ns/shacl#",
    "UZEMI": UZEMI_IRI,
}
_RDFLIB = {  # rdflib's own (closed) namespaces
    "RDF": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "RDFS": "http://www.w3.org/2000/01/rdf-schema#",
    "SKOS": "http://www.w3.org/2004/02/skos/core#",
    "XSD": "http://www.w3.org/2001/XMLSchema#",
}

PREFIXES = {
    "dcat": _OPEN["DCAT"],
    "dct": _OPEN["DCTERMS"],
    "foaf": _OPEN["FOAF"],
    "vcard": _OPEN["VCARD"],
    "pu": _OPEN["PU"],
    "dcatap": _OPEN["DCATAP"],
    "csvw": _OPEN["CSVW"],
    "skos": _RDFLIB["SKOS"],
    "rdf": _RDFLIB["RDF"],
    "rdfs": _RDFLIB["RDFS"],
    "xsd": _RDFLIB["XSD"],
    "sh": _OPEN["SH"],
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "eli": "http://data.europa.eu/eli/ontology#",
}


def prefixed(iri, prefixes: dict[str, str] = PREFIXES) -> str | None:
    """``iri`` as ``prefix:local`` with the longest namespace of ``prefixes`` it starts with;
    None when none fits."""
    text = str(iri)
    best = max(
        (p for p, ns in prefixes.items() if text.startswith(ns)),
        key=lambda p: len(prefixes[p]),
        default=None,
    )
    return f"{best}:{text[len(prefixes[best]) :]}" if best is not None else None


if TYPE_CHECKING:
    DCAT: Namespace
    DCTERMS: Namespace
    FOAF: Namespace
    PU: Namespace
    VCARD: Namespace
    DCATAP: Namespace
    CSVW: Namespace
    SH: Namespace
    UZEMI: Namespace
    RDF: Namespace
    RDFS: Namespace
    SKOS: Namespace
    XSD: Namespace


def __getattr__(name: str):
    if name in _OPEN:
        from rdflib import Namespace

        value = Namespace(_OPEN[name])
    elif name in _RDFLIB:
        from rdflib import namespace

        value = getattr(namespace, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # made once
    return value


__all__ = [
    "CSVW",
    "DCAT",
    "DCATAP",
    "DCTERMS",
    "FOAF",
    "PU",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "UZEMI",
    "VCARD",
    "XSD",
    "PREFIXES",
]
