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

from dataclasses import replace

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
    graph: rdflib.Graph,
    *,
    draft_2026: bool = False,
    series: set[str] | None = None,
    hvd: bool = False,
) -> list[Problem]:
    """All problems of one record graph (a dataset or series with its distributions).

    ``series``: the IRIs of the dataset series published here, to check ``je_součástí``
    against (None: not checked). ``hvd``: every record must be a high-value dataset (else only
    those that say they are one are checked as such)."""
    problems: list[Problem] = []
    for record in sorted({r for cls in RECORDS for r in graph.subjects(RDF.type, cls)}, key=str):
        found = _codelists(graph, record) + _hvd(graph, record, required=hvd)
        if series is not None:
            found += _series(graph, record, series)
        if draft_2026:
            found += _draft_2026(graph, record)
        problems += [p if p.focus else replace(p, focus=str(record)) for p in found]
    return problems


COMMON = ("GOVE", "REGI", "ECON", "EDUC", "HEAL", "ENVI", "TRAN", "SOCI")
COMMON += ("ANNUAL", "QUARTERLY", "MONTHLY", "WEEKLY", "DAILY", "IRREG", "UNKNOWN")


def _one_of(codes: list[str], prefix: str) -> tuple[str, str]:
    common = [c for c in COMMON if c in codes]
    listed = ", ".join(common) + ", …" if len(codes) > 12 and common else ", ".join(codes)
    codes = common or codes
    return (
        f"use {prefix}<CODE>, such as {prefix}{codes[0]}; CODE one of {listed}",
        f"použijte {prefix}<KÓD>, např. {prefix}{codes[0]}; KÓD je jeden z {listed}",
    )


def _p(
    where: str,
    message: tuple[str, str],
    hint: tuple[str, str],
    value="",
    severity="error",
    focus="",
) -> Problem:
    """``where`` is ``[<owner> <IRI>: ]<OFN key> (<property>)``; message and hint (en, cs)."""
    owner, _, field = where.rpartition(": ")
    key, _, prop = field.partition(" (")
    return Problem(
        message[0],
        where=where,
        hint=hint[0],
        message_cs=message[1],
        hint_cs=hint[1],
        value=str(value),
        value_kind="iri" if isinstance(value, URIRef) else ("literal" if value != "" else ""),
        severity=severity,
        focus=owner.split(" ", 2)[-1] if owner else str(focus),
        key=key,
        property=prop.rstrip(")"),
        component="lod:" + ("Codelist" if "table" in message[0] else "Rule"),
        check="rules",
    )


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
                    (
                        "téma is not a concept of the EU data-theme table",
                        "téma není pojmem z číselníku EU data-theme",
                    ),
                    _one_of(codelists.codes(codelists.DATA_THEME), DATA_THEME),
                    theme,
                )
            )
        elif not text.startswith((DATA_THEME, EUROVOC)):
            out.append(
                _p(
                    "téma (dcat:theme)",
                    (
                        "téma is neither an EU data theme nor a EuroVoc concept: NKOD removes it",
                        "téma není ani téma EU, ani pojem EuroVoc: NKOD ho odstraní",
                    ),
                    (
                        "use an IRI of the EU data-theme table (téma), such as "
                        f"{DATA_THEME}GOVE, or of EuroVoc (koncept_euroVoc)",
                        f"použijte IRI z číselníku EU data-theme (téma), např. {DATA_THEME}GOVE, "
                        "nebo z EuroVoc (koncept_euroVoc)",
                    ),
                    theme,
                    "warning",
                )
            )
    for frequency in graph.objects(record, DCTERMS.accrualPeriodicity):
        if not codelists.in_scheme(frequency, codelists.FREQUENCY):
            out.append(
                _p(
                    "periodicita_aktualizace (dct:accrualPeriodicity)",
                    (
                        "periodicita_aktualizace is not a concept of the EU frequency table",
                        "periodicita_aktualizace není pojmem z číselníku EU frequency",
                    ),
                    _one_of(codelists.codes(codelists.FREQUENCY), FREQUENCY),
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
                        (
                            f"is not a concept of the EU {scheme.rsplit('/', 1)[-1]} table",
                            f"není pojmem z číselníku EU {scheme.rsplit('/', 1)[-1]}",
                        ),
                        (f"use e.g. {EU}country/CZE", f"použijte např. {EU}country/CZE"),
                        spatial,
                    )
                )
    for prop, key, what in (
        (DCTERMS.title, "název (dct:title)", ("the title", "název")),
        (DCTERMS.description, "popis (dct:description)", ("the description", "popis")),
    ):
        for text in graph.objects(record, prop):
            if isinstance(text, Literal) and not str(text).strip():
                lang = f" ({text.language})" if text.language else ""
                out.append(
                    _p(
                        key,
                        (f"{what[0]}{lang} is empty", f"{what[1]}{lang} je prázdný"),
                        (f"write {what[0]} or leave the language out", f"vyplňte {what[1]}"),
                        severity="warning",  # NKOD keeps the record; its readers learn nothing
                    )
                )
    for keyword in graph.objects(record, DCAT.keyword):
        if isinstance(keyword, Literal) and not str(keyword).strip():
            out.append(
                _p(
                    "klíčové_slovo (dcat:keyword)",
                    ("an empty keyword", "prázdné klíčové slovo"),
                    (
                        "remove the empty string from klíčové_slovo",
                        "odstraňte z klíčové_slovo prázdný text",
                    ),
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
                    (
                        "formát is not a concept of the EU file-type table: data.europa.eu "
                        "rejects the record",
                        "formát není pojmem z číselníku EU file-type: data.europa.eu záznam "
                        "odmítne",
                    ),
                    (
                        f"use {FILE_TYPE}<CODE>, such as {FILE_TYPE}CSV (CSV, JSON, GEOJSON, "
                        "XLSX, ZIP, …; OCTET when the format is not known)",
                        f"použijte {FILE_TYPE}<KÓD>, např. {FILE_TYPE}CSV (CSV, JSON, GEOJSON, "
                        "XLSX, ZIP, …; OCTET, když formát není znám)",
                    ),
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
                        ("is not an IANA media type IRI", "není IRI typu média IANA"),
                        (
                            "use http://www.iana.org/assignments/media-types/<type>/<subtype>, "
                            "such as …/text/csv",
                            "použijte http://www.iana.org/assignments/media-types/<typ>/<podtyp>, "
                            "např. …/text/csv",
                        ),
                        value,
                    )
                )
            elif not codelists.is_registered_media_type(value):
                out.append(
                    _p(
                        owner + f"{key} ({curie(prop)})",
                        (
                            "is not a media type registered at IANA: NKOD reports it",
                            "není typ média registrovaný u IANA: NKOD to hlásí",
                        ),
                        (
                            "use a registered type, e.g. text/csv, application/json, "
                            "application/octet-stream when the type is not known",
                            "použijte registrovaný typ, např. text/csv, application/json, "
                            "application/octet-stream, když typ není znám",
                        ),
                        value,
                        "warning",
                    )
                )
    return out


def _legislation(graph, node) -> set[str]:
    return {str(o) for o in graph.objects(node, DCATAP.applicableLegislation)}


def _hvd(graph: rdflib.Graph, record, *, required: bool = False) -> list[Problem]:
    categories = sorted(str(c) for c in graph.objects(record, DCATAP.hvdCategory))
    laws = _legislation(graph, record)
    if not categories and HVD_ELI not in laws and not required:
        return []
    out = []
    if not categories:
        out.append(
            _p(
                "kategorie_hvd (dcatap:hvdCategory)",
                (
                    "a high-value dataset (under the HVD regulation) needs its HVD category",
                    "datová sada s vysokou hodnotou (podle nařízení o HVD) musí uvést kategorii "
                    "HVD",
                ),
                (
                    "add kategorie_hvd: [http://data.europa.eu/bna/c_…], the most specific "
                    "category",
                    "doplňte kategorie_hvd: [http://data.europa.eu/bna/c_…], nejkonkrétnější "
                    "kategorii",
                ),
            )
        )
    if HVD_ELI not in laws:
        out.append(
            _p(
                "právní_předpis (dcatap:applicableLegislation)",
                (
                    "a high-value dataset must name the HVD regulation",
                    "datová sada s vysokou hodnotou musí uvést nařízení o HVD",
                ),
                (f"add {HVD_ELI} to právní_předpis", f"doplňte {HVD_ELI} do právní_předpis"),
            )
        )
    for category in categories:
        if not category.startswith(codelists.HVD_CATEGORY + "c_"):
            out.append(
                _p(
                    "kategorie_hvd (dcatap:hvdCategory)",
                    ("is not an HVD category IRI", "není IRI kategorie HVD"),
                    (
                        "use http://data.europa.eu/bna/c_… from the EU HVD category vocabulary",
                        "použijte http://data.europa.eu/bna/c_… ze slovníku kategorií HVD EU",
                    ),
                    category,
                )
            )
        elif category in codelists.hvd_top_categories():
            out.append(
                _p(
                    "kategorie_hvd (dcatap:hvdCategory)",
                    (
                        f"is a top-level HVD category ({codelists.label(category, 'en')}); NKOD "
                        "wants the specific one",
                        f"je kategorie HVD nejvyšší úrovně ({codelists.label(category, 'cs')}); "
                        "NKOD chce konkrétní",
                    ),
                    (
                        "use the most specific category below it, e.g. http://data.europa.eu/"
                        "bna/c_1e787364 rather than c_b79e35eb (Mobility)",
                        "použijte nejkonkrétnější kategorii pod ní, např. http://data.europa.eu/"
                        "bna/c_1e787364 místo c_b79e35eb (Mobilita)",
                    ),
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
                (
                    "a high-value dataset needs a distribution under the HVD regulation",
                    "datová sada s vysokou hodnotou musí mít distribuci podle nařízení o HVD",
                ),
                (
                    f"add právní_předpis: [{HVD_ELI}] to a distribution",
                    f"doplňte distribuci právní_předpis: [{HVD_ELI}]",
                ),
            )
        )
    for dist in distributions:
        for service in graph.objects(dist, DCAT.accessService):
            out += _hvd_service(graph, service)
    return out


def _hvd_service(graph, service) -> list[Problem]:
    owner = f"datová služba {service}: "
    needs = (
        (
            "právní_předpis",
            DCATAP.applicableLegislation,
            (f"add právní_předpis: [{HVD_ELI}]", f"doplňte právní_předpis: [{HVD_ELI}]"),
        ),
        (
            "kategorie_hvd",
            DCATAP.hvdCategory,
            (
                "add kategorie_hvd (the dataset's categories)",
                "doplňte kategorie_hvd (kategorie datové sady)",
            ),
        ),
        (
            "kontaktní_bod",
            DCAT.contactPoint,
            ("add kontaktní_bod to the data service", "doplňte službě kontaktní_bod"),
        ),
        (
            "dokumentace",
            FOAF.page,
            (
                "add dokumentace (a page describing the service)",
                "doplňte dokumentace (stránku popisující službu)",
            ),
        ),
        ("přístupový_bod", DCAT.endpointURL, ("add přístupový_bod", "doplňte přístupový_bod")),
    )
    out = []
    for key, prop, hint in needs:
        values = {str(v) for v in graph.objects(service, prop)}
        if not values or (prop == DCATAP.applicableLegislation and HVD_ELI not in values):
            out.append(
                _p(
                    owner + f"{key} ({curie(prop)})",
                    (
                        f"the data service of a high-value dataset needs {key}",
                        f"datová služba datové sady s vysokou hodnotou musí mít {key}",
                    ),
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
                    (
                        "names no dataset series published in this catalogue",
                        "neodkazuje na žádnou datovou sérii publikovanou v tomto katalogu",
                    ),
                    (
                        "publish the series first (lod publish-record --meta series.yaml), or "
                        "fix the IRI",
                        "nejprve publikujte sérii (lod publish-record --meta serie.yaml), nebo "
                        "opravte IRI",
                    ),
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
                    (
                        "the DCAT-AP-CZ 2026 drafts require the open-data law (ELI) here",
                        "návrhy DCAT-AP-CZ 2026 zde vyžadují zákon o otevřených datech (ELI)",
                    ),
                    (
                        f"add {OPEN_DATA_ELI_2026} to právní_předpis (LOD_DRAFT_2026 is on)",
                        f"doplňte {OPEN_DATA_ELI_2026} do právní_předpis (LOD_DRAFT_2026 je "
                        "zapnuto)",
                    ),
                )
            )
    return out


def hvd_record(graph: rdflib.Graph, record: URIRef) -> bool:
    return graph.value(record, DCATAP.hvdCategory) is not None
