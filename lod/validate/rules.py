"""Rules of DCAT-AP-CZ 2024-05-28 that the JSON schemas and NKOD's filter do not check, as code.

* Codelist values against the shipped tables (``lod.catalog.codelists``): data theme,
  frequency, file type (errors: data.europa.eu rejects them), IANA media types (warnings:
  NKOD reports them), EU spatial codes.
* High-value datasets (Implementing Regulation 2023/138), as the lkod-validator checks them: the
  HVD legislation, specific (not top-level) categories, a distribution under the HVD
  legislation, and data services with legislation, category, contact point and documentation.
* Dataset series: a record ``je_součástí`` a series of this catalogue names a published series.
* The 2026 drafts (``LOD_DRAFT_2026``): the open-data ELI on every dataset, distribution and
  data service.

Each problem names the OFN key and RDF property (``téma (dcat:theme)``) and says how to fix it.
"""

from __future__ import annotations

import rdflib
from rdflib import Literal, URIRef

from ..catalog import codelists
from ..errors import Problem
from ..namespaces import DATA_THEME, DCAT, DCATAP, DCTERMS, EU, EUROVOC, FOAF, FREQUENCY, RDF
from .shacl import curie

HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
OPEN_DATA_ELI_2026 = "https://www.e-sbirka.cz/eli/cz/sb/1999/106/2025-08-19"
FILE_TYPE = EU + "file-type/"
RECORDS = (DCAT.Dataset, DCAT.DatasetSeries)


def check(
    graph: rdflib.Graph, *, draft_2026: bool = False, series: set[str] | None = None
) -> list[Problem]:
    """All problems of one record graph (a dataset or series with its distributions).

    ``series``: the IRIs of the dataset series published here, to check ``je_součástí``
    against (None: not checked)."""
    problems: list[Problem] = []
    for cls in RECORDS:
        for record in graph.subjects(RDF.type, cls):
            problems += _codelists(graph, record)
            problems += _hvd(graph, record)
            if series is not None:
                problems += _series(graph, record, series)
            if draft_2026:
                problems += _draft_2026(graph, record)
    return problems


def _p(where: str, message: str, hint: str, value="", severity="error") -> Problem:
    return Problem(message, where=where, hint=hint, value=str(value), severity=severity)


def _distributions(graph, record):
    return sorted(graph.objects(record, DCAT.distribution), key=str)


def _codelists(graph: rdflib.Graph, record) -> list[Problem]:
    out = []
    for theme in graph.objects(record, DCAT.theme):
        text = str(theme)
        if text.startswith(DATA_THEME) and not codelists.in_scheme(text, codelists.DATA_THEME):
            out.append(
                _p(
                    "téma (dcat:theme)",
                    "is not a concept of the EU data-theme table",
                    "use one of " + ", ".join(codelists.codes(codelists.DATA_THEME)),
                    theme,
                )
            )
        elif not text.startswith((DATA_THEME, EUROVOC)):
            out.append(
                _p(
                    "téma (dcat:theme)",
                    "is neither an EU data theme nor a EuroVoc concept: NKOD removes it",
                    "use an IRI of the EU data-theme table (téma) or of EuroVoc (koncept_euroVoc)",
                    theme,
                    "warning",
                )
            )
    for frequency in graph.objects(record, DCTERMS.accrualPeriodicity):
        if not codelists.in_scheme(frequency, codelists.FREQUENCY):
            out.append(
                _p(
                    "periodicita_aktualizace (dct:accrualPeriodicity)",
                    "is not a concept of the EU frequency table",
                    f"use {FREQUENCY}<CODE>, CODE one of "
                    + ", ".join(codelists.codes(codelists.FREQUENCY)),
                    frequency,
                )
            )
    for spatial in graph.objects(record, DCTERMS.spatial):
        text = str(spatial)
        for prefix, scheme in (
            (EU + "country/", codelists.COUNTRY),
            (EU + "continent/", codelists.CONTINENT),
        ):
            if text.startswith(prefix) and not codelists.in_scheme(text, scheme):
                out.append(
                    _p(
                        "geografické_území (dct:spatial)",
                        f"is not a concept of the EU {scheme.rsplit('/', 1)[-1]} table",
                        f"use e.g. {EU}country/CZE",
                        spatial,
                    )
                )
    for keyword in graph.objects(record, DCAT.keyword):
        if isinstance(keyword, Literal) and not str(keyword).strip():
            out.append(
                _p(
                    "klíčové_slovo (dcat:keyword)",
                    "an empty keyword",
                    "remove the empty string from klíčové_slovo",
                    severity="warning",
                )
            )
    for dist in _distributions(graph, record):
        out += _distribution_codelists(graph, dist)
    return out


def _distribution_codelists(graph: rdflib.Graph, dist) -> list[Problem]:
    out = []
    owner = f"distribuce {dist}: "
    for fmt in graph.objects(dist, DCTERMS["format"]):
        if not codelists.in_scheme(fmt, codelists.FILE_TYPE):
            out.append(
                _p(
                    owner + "formát (dct:format)",
                    "is not a concept of the EU file-type table: data.europa.eu rejects the record",
                    f"use {FILE_TYPE}<CODE> (CSV, JSON, GEOJSON, XLSX, ZIP, …; OCTET when the "
                    "format is not known)",
                    fmt,
                )
            )
    for key, prop in (
        ("typ_média", DCAT.mediaType),
        ("typ_média_komprese", DCAT.compressFormat),
        ("typ_média_balíčku", DCAT.packageFormat),
    ):
        for value in graph.objects(dist, prop):
            if codelists.media_type_of(value) is None:
                out.append(
                    _p(
                        owner + f"{key} ({curie(prop)})",
                        "is not an IANA media type IRI",
                        "use http://www.iana.org/assignments/media-types/<type>/<subtype>",
                        value,
                    )
                )
            elif not codelists.is_registered_media_type(value):
                out.append(
                    _p(
                        owner + f"{key} ({curie(prop)})",
                        "is not a media type registered at IANA: NKOD reports it",
                        "use a registered type, e.g. text/csv, application/json, "
                        "application/octet-stream when the type is not known",
                        value,
                        "warning",
                    )
                )
    return out


def _legislation(graph, node) -> set[str]:
    return {str(o) for o in graph.objects(node, DCATAP.applicableLegislation)}


def _hvd(graph: rdflib.Graph, record) -> list[Problem]:
    categories = sorted(str(c) for c in graph.objects(record, DCATAP.hvdCategory))
    laws = _legislation(graph, record)
    if not categories and HVD_ELI not in laws:
        return []
    out = []
    if not categories:
        out.append(
            _p(
                "kategorie_hvd (dcatap:hvdCategory)",
                "a high-value dataset (under the HVD regulation) needs its HVD category",
                "add kategorie_hvd: [http://data.europa.eu/bna/c_…], the most specific category",
            )
        )
    if HVD_ELI not in laws:
        out.append(
            _p(
                "právní_předpis (dcatap:applicableLegislation)",
                "a high-value dataset must name the HVD regulation",
                f"add {HVD_ELI} to právní_předpis",
            )
        )
    for category in categories:
        if not category.startswith(codelists.HVD_CATEGORY + "c_"):
            out.append(
                _p(
                    "kategorie_hvd (dcatap:hvdCategory)",
                    "is not an HVD category IRI",
                    "use http://data.europa.eu/bna/c_… from the EU HVD category vocabulary",
                    category,
                )
            )
        elif category in codelists.hvd_top_categories():
            out.append(
                _p(
                    "kategorie_hvd (dcatap:hvdCategory)",
                    f"is a top-level HVD category ({codelists.label(category, 'en')}); NKOD "
                    "wants the specific one",
                    "use the most specific category below it, e.g. http://data.europa.eu/bna/"
                    "c_1e787364 rather than c_b79e35eb (Mobility)",
                    category,
                )
            )
    distributions = _distributions(graph, record)
    if graph.value(record, RDF.type) != DCAT.DatasetSeries and not any(
        HVD_ELI in _legislation(graph, d) for d in distributions
    ):
        out.append(
            _p(
                "distribuce (dcat:distribution)",
                "a high-value dataset needs a distribution under the HVD regulation",
                f"add právní_předpis: [{HVD_ELI}] to a distribution",
            )
        )
    for dist in distributions:
        for service in graph.objects(dist, DCAT.accessService):
            out += _hvd_service(graph, service)
    return out


def _hvd_service(graph, service) -> list[Problem]:
    owner = f"datová služba {service}: "
    needs = (
        ("právní_předpis", DCATAP.applicableLegislation, f"add právní_předpis: [{HVD_ELI}]"),
        ("kategorie_hvd", DCATAP.hvdCategory, "add kategorie_hvd (the dataset's categories)"),
        ("kontaktní_bod", DCAT.contactPoint, "add kontaktní_bod to the data service"),
        ("dokumentace", FOAF.page, "add dokumentace (a page describing the service)"),
        ("přístupový_bod", DCAT.endpointURL, "add přístupový_bod"),
    )
    out = []
    for key, prop, hint in needs:
        values = {str(v) for v in graph.objects(service, prop)}
        if not values or (prop == DCATAP.applicableLegislation and HVD_ELI not in values):
            out.append(
                _p(
                    owner + f"{key} ({curie(prop)})",
                    "the data service of a high-value dataset needs it",
                    hint,
                )
            )
    return out


def _series(graph: rdflib.Graph, record, series: set[str]) -> list[Problem]:
    out = []
    for parent in graph.objects(record, DCAT.inSeries):
        if str(parent) not in series:
            out.append(
                _p(
                    "je_součástí (dcat:inSeries)",
                    "names no dataset series published in this catalogue",
                    "publish the series first (lod publish-record --meta series.yaml), or fix "
                    "the IRI",
                    parent,
                )
            )
    return out


def _draft_2026(graph: rdflib.Graph, record) -> list[Problem]:
    out = []
    nodes = [("", record)]
    for dist in _distributions(graph, record):
        nodes.append((f"distribuce {dist}: ", dist))
        for service in graph.objects(dist, DCAT.accessService):
            nodes.append((f"datová služba {service}: ", service))
    for owner, node in nodes:
        if OPEN_DATA_ELI_2026 not in _legislation(graph, node):
            out.append(
                _p(
                    owner + "právní_předpis (dcatap:applicableLegislation)",
                    "the DCAT-AP-CZ 2026 drafts require the open-data law (ELI) here",
                    f"add {OPEN_DATA_ELI_2026} to právní_předpis (LOD_DRAFT_2026 is on)",
                )
            )
    return out


def hvd_record(graph: rdflib.Graph, record: URIRef) -> bool:
    return graph.value(record, DCATAP.hvdCategory) is not None
