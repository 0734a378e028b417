"""DCAT-AP 3 for Europe: what data.europa.eu and its quality assessment (MQA) expect beyond
DCAT-AP-CZ, added to a record's graph. NKOD reads none of it; the JSON-LD for NKOD (``ofn.to_ofn``)
writes only the OFN keys, so it stays exactly as the OFN shows it.

Added (../shared/notes/dcat-ap-europe-and-mqa.md §1–§2):

* ``dct:license`` on each distribution: its terms of use (``pu:specifikace``) mapped to the EU
  licence table (CC BY 4.0 where a CC BY 4.0 licence is given, CC0 where nothing is protected);
  ``dct:rights``: the terms of use themselves, as a ``dct:RightsStatement``;
* ``dct:accessRights`` PUBLIC, ``dct:language`` (the languages of the title and description),
  ``dcat:landingPage`` (the record's HTML page), ``dct:issued``/``dct:modified`` on the
  distributions too;
* the publisher as a ``foaf:Agent`` with ``foaf:name`` (and its ADMS publisher type);
* ``dcat:servesDataset`` from each data service to the dataset;
* explicit types of every referenced resource (``range.ttl``: ``dct:Frequency``,
  ``dct:Location``, ``dct:MediaType``, ``vcard:Kind``, …) and the codelist concepts used, from
  the shipped EU tables (``mdr-vocabularies.shape.ttl``: ``skos:inScheme``, ``skos:prefLabel``).
"""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef

from ..iris import Iris
from ..namespaces import DCAT, DCATAP, DCTERMS, EU, EUROVOC, FOAF, PU, PU_VALUES, RDF, SKOS, VCARD
from . import codelists, publishers

ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
LICENCE_CC_BY_4 = URIRef(EU + "licence/CC_BY_4_0")
LICENCE_CC0 = URIRef(EU + "licence/CC0")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
NOT_PROTECTED = {
    "autorské-dílo": {PU_VALUES + "neobsahuje-autorská-díla/"},
    "databáze-jako-autorské-dílo": {PU_VALUES + "není-autorskoprávně-chráněnou-databází/"},
    "databáze-chráněná-zvláštními-právy": {
        PU_VALUES + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
        CC0,
    },
}
LANGUAGES = {"cs": "CES", "en": "ENG", "sk": "SLK", "de": "DEU", "pl": "POL", "fr": "FRA"}
RECORD_CLASSES = (DCAT.Dataset, DCAT.DatasetSeries)
# object classes the DCAT-AP range shapes require, by property
RANGES = {
    DCTERMS.accrualPeriodicity: DCTERMS.Frequency,
    DCTERMS.spatial: DCTERMS.Location,
    DCTERMS["format"]: DCTERMS.MediaTypeOrExtent,
    DCAT.mediaType: DCTERMS.MediaType,
    DCAT.compressFormat: DCTERMS.MediaType,
    DCAT.packageFormat: DCTERMS.MediaType,
    DCTERMS.conformsTo: DCTERMS.Standard,
    FOAF.page: FOAF.Document,
    FOAF.homepage: FOAF.Document,
    DCAT.landingPage: FOAF.Document,
    DCAT.contactPoint: VCARD.Kind,
    DCATAP.applicableLegislation: ELI.LegalResource,
    DCAT.inSeries: DCAT.DatasetSeries,
    DCAT.theme: SKOS.Concept,
    DCTERMS.language: DCTERMS.LinguisticSystem,
    DCTERMS.license: DCTERMS.LicenseDocument,
    DCTERMS.accessRights: DCTERMS.RightsStatement,
    DCTERMS.rights: DCTERMS.RightsStatement,
    DCTERMS.publisher: FOAF.Agent,
}


def licence_of(terms: dict[str, str]) -> URIRef | None:
    """The EU licence a combination of terms of use amounts to (keys: the pu: property names).

    CC BY 4.0 anywhere -> CC_BY_4_0; nothing protected (or CC0 for the sui generis right) ->
    CC0; a value that is itself a licence of the EU table (by IRI or exact match) -> that one;
    otherwise (e.g. "contains several author works") no single licence."""
    values = set(terms.values())
    if CC_BY_4 in values or CC_BY_4.rstrip("/") in values:
        return LICENCE_CC_BY_4
    if all(terms.get(k) in allowed for k, allowed in NOT_PROTECTED.items()):
        return LICENCE_CC0
    for value in (terms.get("autorské-dílo"), terms.get("databáze-jako-autorské-dílo")):
        found = eu_licence(value) if value else None
        if found is not None:
            return found
    return None


def eu_licence(iri: str) -> URIRef | None:
    """The EU licence concept of a licence IRI (the concept itself, or by skos:exactMatch)."""
    if codelists.in_scheme(iri, codelists.LICENCE):
        return URIRef(iri)
    variants = {str(iri), str(iri).rstrip("/"), str(iri).rstrip("/") + "/"}
    g = codelists.graph()
    for variant in variants:
        for concept in g.subjects(SKOS.exactMatch, URIRef(variant)):
            if codelists.in_scheme(concept, codelists.LICENCE):
                return concept
    return None


def enrich(graph: rdflib.Graph, settings, *, landing_pages: dict[str, str] | None = None) -> None:
    """Add the DCAT-AP 3 facts to a record graph (one dataset or series, or a page of them).

    ``landing_pages``: record IRI -> its HTML page."""
    records = [s for cls in RECORD_CLASSES for s in graph.subjects(RDF.type, cls)]
    for record in records:
        _record(graph, record, (landing_pages or {}).get(str(record)))
    for dist in set(graph.objects(None, DCAT.distribution)):
        _distribution(graph, dist)
    for service in set(graph.subjects(RDF.type, DCAT.DataService)):
        for dataset in graph.subjects(DCAT.accessService, service, unique=True):
            for record in graph.subjects(DCAT.distribution, dataset):
                graph.add((service, DCAT.servesDataset, record))
        if str(service) == Iris.of(settings).sparql_service:  # lod's own SPARQL service
            for p in (DCTERMS.publisher, DCTERMS.accessRights):
                graph.remove((service, p, None))
            graph.add((service, DCTERMS.publisher, URIRef(settings.publisher_iri)))
            graph.add((service, DCTERMS.accessRights, PUBLIC))
    add_types(graph)
    describe_publishers(graph, settings)
    graph += codelists.describe(graph)


def _record(graph: rdflib.Graph, record, landing_page: str | None) -> None:
    if graph.value(record, DCTERMS.accessRights) is None:
        graph.add((record, DCTERMS.accessRights, PUBLIC))
    languages = {
        getattr(text, "language", None)
        for p in (DCTERMS.title, DCTERMS.description)
        for text in graph.objects(record, p)
    }
    for lang in sorted(filter(None, languages)):
        if lang in LANGUAGES:
            graph.add((record, DCTERMS.language, URIRef(EU + "language/" + LANGUAGES[lang])))
    if landing_page and graph.value(record, DCAT.landingPage) is None:
        graph.add((record, DCAT.landingPage, URIRef(landing_page)))
    issued = graph.value(record, DCTERMS.issued)
    modified = graph.value(record, DCTERMS.modified)
    for dist in graph.objects(record, DCAT.distribution):
        if issued is not None and graph.value(dist, DCTERMS.issued) is None:
            graph.add((dist, DCTERMS.issued, issued))
        if modified is not None and graph.value(dist, DCTERMS.modified) is None:
            graph.add((dist, DCTERMS.modified, modified))


def _distribution(graph: rdflib.Graph, dist) -> None:
    spec = graph.value(dist, PU.specifikace)
    if spec is None:
        return
    terms = {
        str(p)[len(str(PU)) :]: str(o) for p, o in graph.predicate_objects(spec) if p != RDF.type
    }
    licence = licence_of(terms)
    if licence is not None and graph.value(dist, DCTERMS.license) is None:
        graph.add((dist, DCTERMS.license, licence))
    if graph.value(dist, DCTERMS.rights) is None:
        graph.add((dist, DCTERMS.rights, spec))


def add_types(graph: rdflib.Graph) -> None:
    """State the class of every object the DCAT-AP range shapes check."""
    for predicate, cls in RANGES.items():
        for obj in set(graph.objects(None, predicate)):
            if isinstance(obj, Literal):
                continue
            graph.add((obj, RDF.type, cls))
            if cls == SKOS.Concept and str(obj).startswith(EUROVOC):
                # EuroVoc is not shipped: name the concept by its identifier
                if graph.value(obj, SKOS.prefLabel) is None:
                    code = str(obj).rstrip("/").rsplit("/", 1)[-1]
                    graph.add((obj, SKOS.prefLabel, Literal(f"EuroVoc {code}", lang="en")))
    for obj in set(graph.objects(None, DCAT.dataset)) | set(
        graph.objects(None, DCAT.servesDataset)
    ):
        if not any(graph.triples((obj, RDF.type, cls)) for cls in RECORD_CLASSES):
            graph.add((obj, RDF.type, DCAT.Dataset))
    for obj in set(graph.objects(None, DCAT.service)):
        graph.add((obj, RDF.type, DCAT.DataService))


def describe_publishers(graph: rdflib.Graph, settings) -> None:
    """Each publisher as a foaf:Agent with its name (and ADMS type) from the settings."""
    for iri in set(graph.objects(None, DCTERMS.publisher)):
        publisher = publishers.by_iri(settings, str(iri))
        graph.add((iri, RDF.type, FOAF.Agent))
        if publisher is None:
            continue
        graph.add((iri, RDF.type, FOAF.Organization))
        graph.add((iri, FOAF.name, Literal(publisher.name, lang="cs")))
        if publisher.name_en:
            graph.add((iri, FOAF.name, Literal(publisher.name_en, lang="en")))
        if publisher.type_iri:
            graph.add((iri, DCTERMS.type, URIRef(publisher.type_iri)))


def catalog_extras(graph: rdflib.Graph, catalog: URIRef, settings) -> None:
    """The catalogue node's DCAT-AP facts: theme taxonomy, languages, home page type, the data
    services its datasets use, its publisher as an agent."""
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(codelists.DATA_THEME)))
    graph.add((URIRef(codelists.DATA_THEME), RDF.type, SKOS.ConceptScheme))
    for lang in sorted(
        {getattr(t, "language", None) for t in graph.objects(catalog, DCTERMS.title)} - {None}
    ):
        if lang in LANGUAGES:
            graph.add((catalog, DCTERMS.language, URIRef(EU + "language/" + LANGUAGES[lang])))
    for service in set(graph.subjects(RDF.type, DCAT.DataService)):
        graph.add((catalog, DCAT.service, service))
    add_types(graph)
    describe_publishers(graph, settings)
    graph += codelists.describe(graph)
