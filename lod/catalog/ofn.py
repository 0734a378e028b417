"""The OFN 2024-05-28 JSON shape of DCAT-AP-CZ records, as a table, both ways.

``CLASSES`` maps each OFN ``typ`` to its RDF class and its keys to RDF properties. From RDF we
write JSON exactly as the OFN examples and JSON schemas show it (``to_ofn``); from JSON we read
RDF with the official context, loaded from the local copy in ``vocab/ofn/`` (``to_graph``).
Keys sharing one property (``dct:spatial``: ``prvek_rúian`` / ``geografické_území`` /
``prostorové_pokrytí``; ``dcat:theme``: ``téma`` / ``koncept_euroVoc``) are told apart by the
IRI's prefix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from .. import resources
from ..namespaces import DCAT, DCATAP, DCTERMS, EU, EUROVOC, FOAF, PU, RDF, RUIAN, VCARD
from ..store.terms import to_rdflib

CONTEXT_2024 = (
    "https://ofn.gov.cz/dcat-ap-cz-rozhraní-katalogů-otevřených-dat/2024-05-28/kontexty/"
    "rozhraní-katalogů-otevřených-dat.jsonld"
)
CONTEXT_2021 = (
    "https://ofn.gov.cz/rozhraní-katalogů-otevřených-dat/2021-01-11/kontexty/"
    "rozhraní-katalogů-otevřených-dat.jsonld"
)
LOCAL_CONTEXTS = {
    CONTEXT_2024: "ofn/context-2024-05-28.jsonld",
    CONTEXT_2021: "ofn/context-2021-01-11.jsonld",
}

# value kinds
LANG = "lang"  # language map of one string per language: {"cs": "…", "en": "…"}
LANGS = "langs"  # language map of string lists: {"cs": ["…"], "en": ["…"]}
IRI = "iri"  # one IRI string
IRIS = "iris"  # list of IRI strings
TEXT = "text"  # one literal as a string (dates, decimals, durations)
NODE = "node"  # one nested object


@dataclass(frozen=True)
class Key:
    key: str
    predicate: URIRef
    kind: str
    node: str | None = None  # OFN typ of a nested object
    accepts: tuple[str, ...] = ()  # IRI prefixes this key takes (shared predicates)
    rejects: tuple[str, ...] = ()  # IRI prefixes this key leaves to another key


@dataclass(frozen=True)
class ClassMap:
    typ: str
    rdf_type: URIRef
    keys: tuple[Key, ...]

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.key == name), None)


_SPATIAL_EU = (EU + "country/", EU + "continent/", EU + "place/", "https://sws.geonames.org/")

CLASSES: dict[str, ClassMap] = {
    m.typ: m
    for m in (
        ClassMap(
            "Katalog",
            DCAT.Catalog,
            (
                Key("název", DCTERMS.title, LANG),
                Key("popis", DCTERMS.description, LANG),
                Key("poskytovatel", DCTERMS.publisher, IRI),
                Key("kontaktní_bod", DCAT.contactPoint, NODE, "Organizace"),
                Key("domovská_stránka", FOAF.homepage, IRI),
                Key("datová_sada", DCAT.dataset, IRIS),
            ),
        ),
        ClassMap(
            "Datová sada",
            DCAT.Dataset,
            (
                Key("název", DCTERMS.title, LANG),
                Key("popis", DCTERMS.description, LANG),
                Key("poskytovatel", DCTERMS.publisher, IRI),
                Key("téma", DCAT.theme, IRIS, rejects=(EUROVOC,)),
                Key("periodicita_aktualizace", DCTERMS.accrualPeriodicity, IRI),
                Key("klíčové_slovo", DCAT.keyword, LANGS),
                Key("prvek_rúian", DCTERMS.spatial, IRIS, accepts=(RUIAN,)),
                Key("geografické_území", DCTERMS.spatial, IRIS, accepts=_SPATIAL_EU),
                Key("prostorové_pokrytí", DCTERMS.spatial, IRIS, rejects=(RUIAN, *_SPATIAL_EU)),
                Key("časové_pokrytí", DCTERMS.temporal, NODE, "Časový interval"),
                Key("kontaktní_bod", DCAT.contactPoint, NODE, "Organizace"),
                Key("dokumentace", FOAF.page, IRI),
                Key("specifikace", DCTERMS.conformsTo, IRIS),
                Key("koncept_euroVoc", DCAT.theme, IRIS, accepts=(EUROVOC,)),
                Key("prostorové_rozlišení_v_metrech", DCAT.spatialResolutionInMeters, TEXT),
                Key("časové_rozlišení", DCAT.temporalResolution, TEXT),
                Key("je_součástí", DCAT.inSeries, IRI),
                Key("právní_předpis", DCATAP.applicableLegislation, IRIS),
                Key("kategorie_hvd", DCATAP.hvdCategory, IRIS),
                Key("distribuce", DCAT.distribution, NODE, "Distribuce"),
            ),
        ),
        ClassMap(
            "Distribuce",
            DCAT.Distribution,
            (
                Key("název", DCTERMS.title, LANG),
                Key("podmínky_užití", PU.specifikace, NODE, "Specifikace podmínek užití"),
                Key("přístupové_url", DCAT.accessURL, IRI),
                Key("soubor_ke_stažení", DCAT.downloadURL, IRI),
                Key("formát", DCTERMS["format"], IRI),
                Key("typ_média", DCAT.mediaType, IRI),
                Key("schéma", DCTERMS.conformsTo, IRI),
                Key("typ_média_komprese", DCAT.compressFormat, IRI),
                Key("typ_média_balíčku", DCAT.packageFormat, IRI),
                Key("přístupová_služba", DCAT.accessService, NODE, "Datová služba"),
                Key("právní_předpis", DCATAP.applicableLegislation, IRIS),
            ),
        ),
        ClassMap(
            "Datová služba",
            DCAT.DataService,
            (
                Key("název", DCTERMS.title, LANG),
                Key("přístupový_bod", DCAT.endpointURL, IRI),
                Key("popis_přístupového_bodu", DCAT.endpointDescription, IRI),
                Key("specifikace", DCTERMS.conformsTo, IRIS),
                Key("dokumentace", FOAF.page, IRIS),
                Key("kontaktní_bod", DCAT.contactPoint, NODE, "Organizace"),
                Key("právní_předpis", DCATAP.applicableLegislation, IRIS),
                Key("kategorie_hvd", DCATAP.hvdCategory, IRIS),
                Key("poskytuje_datovou_sadu", DCAT.servesDataset, IRIS),
            ),
        ),
        ClassMap(
            "Specifikace podmínek užití",
            PU.Specifikace,
            (
                Key("autorské_dílo", PU["autorské-dílo"], IRI),
                Key("autor", PU.autor, LANG),
                Key("databáze_jako_autorské_dílo", PU["databáze-jako-autorské-dílo"], IRI),
                Key("autor_databáze", PU["autor-databáze"], LANG),
                Key(
                    "databáze_chráněná_zvláštními_právy",
                    PU["databáze-chráněná-zvláštními-právy"],
                    IRI,
                ),
                Key("osobní_údaje", PU["osobní-údaje"], IRI),
            ),
        ),
        ClassMap(
            "Časový interval",
            DCTERMS.PeriodOfTime,
            (
                Key("začátek", DCAT.startDate, TEXT),
                Key("konec", DCAT.endDate, TEXT),
            ),
        ),
        ClassMap(
            "Organizace",
            VCARD.Organization,
            (
                Key("jméno", VCARD.fn, LANG),
                Key("e-mail", VCARD.hasEmail, IRI),
            ),
        ),
    )
}

# A dataset series has the keys of a dataset (OFN 2024-05-28 schema "datová-série").
CLASSES["Datová série"] = ClassMap("Datová série", DCAT.DatasetSeries, CLASSES["Datová sada"].keys)
# The OFN typ of each record class, for the documents lod serves.
RECORD_TYPES = {DCAT.Dataset: "Datová sada", DCAT.DatasetSeries: "Datová série"}

# Keys whose value is a list of nested objects rather than one object.
NODE_LISTS = {"distribuce"}


def _matches(key: Key, iri: str) -> bool:
    if key.accepts and not iri.startswith(key.accepts):
        return False
    return not (key.rejects and iri.startswith(key.rejects))


@cache
def local_context(iri: str = CONTEXT_2024) -> dict:
    """The ``@context`` object of an OFN context IRI, from the local copy."""
    path = resources.vocab(LOCAL_CONTEXTS[iri])
    return json.loads(path.read_text(encoding="utf-8"))["@context"]


# ---------------------------------------------------------------------------- RDF -> JSON
def to_ofn(graph: rdflib.Graph, subject: rdflib.term.Node, typ: str, *, top: bool = True) -> dict:
    """The OFN JSON object for ``subject`` as an instance of ``typ``."""
    cls = CLASSES[typ]
    out: dict = {}
    if top:
        out["@context"] = CONTEXT_2024
    if isinstance(subject, URIRef):
        out["iri"] = str(subject)
    out["typ"] = typ
    for key in cls.keys:
        values = graph.objects(subject, key.predicate)
        if key.kind == NODE:
            nodes = sorted(values, key=sort_key)
            value = _encode(graph, key, nodes) if nodes else None
        else:
            value = encode_values(key, values)
        if value not in (None, {}, []):
            out[key.key] = value
    return out


def encode_values(key: Key, values: Iterable) -> object:
    """The OFN value of a key that is not a nested object, from its RDF ``values`` in any
    order (None when none of them fits the key)."""
    values = sorted(values, key=sort_key)
    if key.kind in (IRI, IRIS):
        values = [v for v in values if isinstance(v, URIRef) and _matches(key, str(v))]
    return _encode(None, key, values) if values else None


def sort_key(term) -> tuple:
    """The order of the values of a key (and of nested objects) in OFN documents."""
    return (getattr(term, "language", None) or "", str(term))


def _encode(graph, key: Key, values: list):
    if key.kind == LANG:
        out: dict[str, str] = {}
        for v in values:
            out.setdefault(getattr(v, "language", None) or "cs", str(v))
        return out
    if key.kind == LANGS:
        lists: dict[str, list[str]] = {}
        for v in values:
            lists.setdefault(getattr(v, "language", None) or "cs", []).append(str(v))
        return lists
    if key.kind == IRI:
        return str(values[0])
    if key.kind == IRIS:
        return [str(v) for v in values]
    if key.kind == TEXT:
        return str(values[0])
    if key.kind == NODE:
        nodes = [to_ofn(graph, v, key.node, top=False) for v in values]
        return nodes if key.key in NODE_LISTS else nodes[0]
    raise ValueError(key.kind)


# ---------------------------------------------------------------------------- JSON -> RDF
def to_graph(document: dict, *, base: str | None = None) -> rdflib.Graph:
    """Parse an OFN JSON-LD document with its context loaded from the local copy."""
    doc = dict(document)
    context = doc.get("@context")
    if isinstance(context, str) and context in LOCAL_CONTEXTS:
        doc["@context"] = local_context(context)
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    graph = rdflib.Graph()
    for quad in ox.parse(data, format=ox.RdfFormat.JSON_LD, base_iri=base):
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def record_typ(graph: rdflib.Graph, subject) -> str:
    """ "Datová série" for a dataset series, else "Datová sada"."""
    types = set(graph.objects(subject, RDF.type))
    return "Datová série" if DCAT.DatasetSeries in types else "Datová sada"


def first_subject(graph: rdflib.Graph, typ: str) -> rdflib.term.Node | None:
    subjects = sorted(graph.subjects(RDF.type, CLASSES[typ].rdf_type), key=str)
    return subjects[0] if subjects else None
