"""RDF namespaces used across lod (one definition each)."""

from rdflib import Namespace
from rdflib.namespace import RDF, RDFS, SKOS, XSD

# Open namespaces (rdflib's closed DCAT lacks DCAT 3 terms such as dcat:inSeries).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

PU = Namespace("https://data.gov.cz/slovník/podmínky-užití/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
CSVW = Namespace("http://www.w3.org/ns/csvw#")
SH = Namespace("http://www.w3.org/ns/shacl#")

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = EU + "data-theme/"
FREQUENCY = EU + "frequency/"
FILE_TYPE = EU + "file-type/"
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
# lod's own territorial ontology: fixed, never under LOD_BASE_URL (vocab/territory/README.md)
UZEMI = Namespace("https://w3id.org/lod-cz/uzemi#")
EUROVOC = "http://eurovoc.europa.eu/"
RPP_OVM = "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/"
PU_VALUES = "https://data.gov.cz/podmínky-užití/"

PREFIXES = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "pu": str(PU),
    "dcatap": str(DCATAP),
    "csvw": str(CSVW),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "eli": "http://data.europa.eu/eli/ontology#",
}

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
