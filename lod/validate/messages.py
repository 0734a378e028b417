"""What a validation result means, in Czech and English, and how to fix it.

``TABLE`` is keyed by (property path, constraint component): the path as CURIEs, nested paths
joined by ``/`` (``dcat:contactPoint/vcard:hasEmail``), the component by its local name
without ``ConstraintComponent`` (``MinCount``, ``Pattern``); ``*`` matches any component. A
result not in the table gets ``generic`` text built from the component and the constraint's
parameters, still naming the field and the value. ``{field}`` in a text is the OFN key (or the
property, when the key is not known).

``ofn_key`` names a property by its OFN key, from the mapping table of ``lod.catalog.ofn``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from ..catalog import ofn

EU = "http://publications.europa.eu/resource/authority/"
THEME_EXAMPLE = EU + "data-theme/GOVE"
FREQUENCY_EXAMPLE = EU + "frequency/ANNUAL"
FILE_TYPE_EXAMPLE = EU + "file-type/CSV"
MEDIA_TYPE_EXAMPLE = "http://www.iana.org/assignments/media-types/text/csv"
RUIAN_EXAMPLE = "https://linked.cuzk.cz/resource/ruian/vusc/86"
HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


@dataclass(frozen=True)
class Text:
    cs: str
    en: str
    hint_cs: str
    hint_en: str


def _t(cs: str, en: str, hint_cs: str, hint_en: str) -> Text:
    return Text(cs, en, hint_cs, hint_en)


_TITLE = _t(
    "chybí název česky; NKOD záznam jinak zahodí",
    "the Czech title (název) is missing; NKOD drops the record otherwise",
    'doplňte "název": {"cs": "…", "en": "…"}',
    'add "název": {"cs": "…", "en": "…"}',
)
_DESCRIPTION = _t(
    "chybí popis česky; NKOD záznam jinak zahodí",
    "the Czech description (popis) is missing; NKOD drops the record otherwise",
    'doplňte "popis": {"cs": "…"}',
    'add "popis": {"cs": "…"}',
)
_PUBLISHER = _t(
    "poskytovatel musí být právě jeden, jako IRI orgánu veřejné moci z RPP",
    "poskytovatel (publisher) must be exactly one IRI of a public body from the RPP",
    'uveďte "poskytovatel": "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/'
    '<IČO>"',
    'give "poskytovatel": "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/<IČO>"',
)
_THEME_MISSING = _t(
    "chybí téma; NKOD datovou sadu jinak zahodí",
    "téma (theme) is missing; NKOD drops the dataset otherwise",
    f'doplňte "téma": ["{THEME_EXAMPLE}"] (IRI z číselníku EU data-theme)',
    f'add "téma": ["{THEME_EXAMPLE}"] (an IRI from the EU data-theme list)',
)
_THEME = _t(
    f"téma musí být IRI z číselníku EU data-theme, například {THEME_EXAMPLE}",
    f"téma must be an IRI from the EU data-theme list, such as {THEME_EXAMPLE}",
    "nahraďte hodnotu IRI tématu EU (GOVE, REGI, ECON, EDUC, HEAL, ENVI, TRAN, SOCI, …); "
    "koncepty EuroVoc patří do koncept_euroVoc",
    "replace the value with an EU theme IRI (GOVE, REGI, ECON, EDUC, HEAL, ENVI, TRAN, SOCI, …); "
    "EuroVoc concepts go in koncept_euroVoc",
)
_FREQUENCY_MISSING = _t(
    "chybí periodicita aktualizace (právě jedna); NKOD datovou sadu jinak zahodí",
    "periodicita_aktualizace (update frequency) is missing: exactly one is needed; NKOD drops "
    "the dataset otherwise",
    f'doplňte "periodicita_aktualizace": "{FREQUENCY_EXAMPLE}"',
    f'add "periodicita_aktualizace": "{FREQUENCY_EXAMPLE}"',
)
_FREQUENCY = _t(
    f"periodicita aktualizace musí být IRI z číselníku EU frequency, například {FREQUENCY_EXAMPLE}",
    "periodicita_aktualizace must be an IRI from the EU frequency list, such as "
    + FREQUENCY_EXAMPLE,
    "použijte jeden z kódů ANNUAL, QUARTERLY, MONTHLY, WEEKLY, DAILY, IRREG, UNKNOWN, NEVER, …",
    "use one of the codes ANNUAL, QUARTERLY, MONTHLY, WEEKLY, DAILY, IRREG, UNKNOWN, NEVER, …",
)
_KEYWORD = _t(
    "chybí klíčové slovo; NKOD datovou sadu jinak zahodí",
    "klíčové_slovo (keyword) is missing; NKOD drops the dataset otherwise",
    'doplňte "klíčové_slovo": {"cs": ["…"]}',
    'add "klíčové_slovo": {"cs": ["…"]}',
)
_SPATIAL = _t(
    "chybí prvek RÚIAN (území, kterého se data týkají); NKOD datovou sadu jinak zahodí",
    "prvek_rúian (the RÚIAN area the data covers) is missing; NKOD drops the dataset otherwise",
    f'doplňte "prvek_rúian": ["{RUIAN_EXAMPLE}"] (stát, kraj, okres, ORP nebo obec z RÚIAN)',
    f'add "prvek_rúian": ["{RUIAN_EXAMPLE}"] (the state, a region, district, ORP or '
    "municipality from RÚIAN)",
)
_EMAIL = _t(
    "e-mail kontaktního bodu musí být IRI mailto: s platnou adresou",
    "the contact point's e-mail must be a mailto: IRI with a valid address",
    'napište "e-mail": "mailto:jmeno@example.cz"',
    'write "e-mail": "mailto:name@example.cz"',
)
_START = _t(
    "začátek časového pokrytí musí být datum RRRR-MM-DD",
    "the start of časové_pokrytí (temporal coverage) must be a date YYYY-MM-DD",
    'napište např. "začátek": "2020-01-01"',
    'write e.g. "začátek": "2020-01-01"',
)
_END = _t(
    "konec časového pokrytí musí být datum RRRR-MM-DD",
    "the end of časové_pokrytí (temporal coverage) must be a date YYYY-MM-DD",
    'napište např. "konec": "2020-12-31", nebo konec vynechte',
    'write e.g. "konec": "2020-12-31", or leave the end out',
)
_TERMS = _t(
    "distribuce musí mít všechny čtyři podmínky užití jako IRI; NKOD ji jinak zahodí",
    "the distribution needs all four terms of use as IRIs; NKOD drops it otherwise",
    'uveďte v "podmínky_užití" autorské_dílo, databáze_jako_autorské_dílo, '
    "databáze_chráněná_zvláštními_právy a osobní_údaje (hodnoty https://data.gov.cz/"
    "podmínky-užití/…)",
    "give autorské_dílo, databáze_jako_autorské_dílo, databáze_chráněná_zvláštními_právy and "
    'osobní_údaje under "podmínky_užití" (values https://data.gov.cz/podmínky-užití/…)',
)
_FORMAT = _t(
    f"formát musí být IRI z číselníku EU file-type, například {FILE_TYPE_EXAMPLE}",
    f"formát must be an IRI from the EU file-type list, such as {FILE_TYPE_EXAMPLE}",
    "použijte kód typu souboru (CSV, JSON, GEOJSON, XLSX, ZIP, …; OCTET, když není znám)",
    "use a file-type code (CSV, JSON, GEOJSON, XLSX, ZIP, …; OCTET when it is not known)",
)
_MEDIA_TYPE = _t(
    f"typ média musí být IRI typu média IANA, například {MEDIA_TYPE_EXAMPLE}",
    f"the media type must be an IANA media type IRI, such as {MEDIA_TYPE_EXAMPLE}",
    "použijte http://www.iana.org/assignments/media-types/<typ>/<podtyp>",
    "use http://www.iana.org/assignments/media-types/<type>/<subtype>",
)
_HVD_CATEGORY = _t(
    "datová sada s vysokou hodnotou (HVD) musí uvést kategorii HVD",
    "a high-value dataset (HVD) must state its HVD category",
    'doplňte "kategorie_hvd": ["http://data.europa.eu/bna/c_…"] (nejkonkrétnější kategorii)',
    'add "kategorie_hvd": ["http://data.europa.eu/bna/c_…"] (the most specific category)',
)

TABLE: dict[tuple[str, str], Text] = {
    ("dct:title", "MinCount"): _TITLE,
    ("dct:title", "QualifiedMinCount"): _TITLE,
    ("dct:title", "UniqueLang"): _t(
        "název smí mít v každém jazyce jen jednu hodnotu",
        "název (title) may have only one value per language",
        "ponechte jeden název pro každý jazyk",
        "keep one title per language",
    ),
    ("dct:description", "MinCount"): _DESCRIPTION,
    ("dct:description", "QualifiedMinCount"): _DESCRIPTION,
    ("dct:publisher", "MinCount"): _PUBLISHER,
    ("dct:publisher", "MaxCount"): _PUBLISHER,
    ("dct:publisher", "NodeKind"): _PUBLISHER,
    ("dct:publisher", "Node"): _t(
        "DCAT-AP 3 doporučuje poskytovatele z číselníku EU corporate-body, který ale obsahuje "
        "jen instituce EU; české orgány v něm nejsou",
        "DCAT-AP 3 recommends a publisher from the EU corporate-body table, which lists EU "
        "institutions only; Czech public bodies are not in it",
        "pro NKOD není co opravovat; IRI orgánu z RPP je správné",
        "nothing to fix for NKOD; the RPP IRI of the public body is right",
    ),
    ("dct:spatial", "Node"): _t(
        "DCAT-AP 3 doporučuje území z číselníků EU (country, place, continent) nebo GeoNames; "
        "prvek RÚIAN mezi ně nepatří",
        "DCAT-AP 3 recommends a spatial coverage from the EU country, place or continent "
        "tables or GeoNames; a RÚIAN element is none of them",
        f'ponechte prvek_rúian a doplňte "geografické_území": ["{EU}country/CZE"]',
        f'keep prvek_rúian and add "geografické_území": ["{EU}country/CZE"]',
    ),
    ("dcat:theme", "Node"): _t(
        "DCAT-AP 3 doporučuje témata z číselníku EU data-theme; pojem EuroVoc je pro NKOD v "
        "pořádku",
        "DCAT-AP 3 recommends themes from the EU data-theme table; a EuroVoc concept is fine "
        "for NKOD",
        f'ponechte vedle něj téma z číselníku EU, např. "{THEME_EXAMPLE}"',
        f'keep a theme from the EU table beside it, such as "{THEME_EXAMPLE}"',
    ),
    ("dcat:theme", "MinCount"): _THEME_MISSING,
    ("dcat:theme", "QualifiedMinCount"): _THEME,
    ("dcat:theme", "Pattern"): _THEME,
    ("dcat:theme", "NodeKind"): _THEME,
    ("dct:accrualPeriodicity", "MinCount"): _FREQUENCY_MISSING,
    ("dct:accrualPeriodicity", "MaxCount"): _FREQUENCY_MISSING,
    ("dct:accrualPeriodicity", "NodeKind"): _FREQUENCY,
    ("dct:accrualPeriodicity", "Pattern"): _FREQUENCY,
    ("dct:accrualPeriodicity", "Node"): _FREQUENCY,
    ("dct:accrualPeriodicity", "In"): _FREQUENCY,
    ("dcat:keyword", "MinCount"): _KEYWORD,
    ("dcat:keyword", "QualifiedMinCount"): _t(
        "chybí klíčové slovo v češtině",
        "there is no keyword in Czech",
        'doplňte klíčová slova do "klíčové_slovo": {"cs": […]}',
        'add Czech keywords under "klíčové_slovo": {"cs": […]}',
    ),
    ("dct:spatial", "MinCount"): _SPATIAL,
    ("dct:spatial", "QualifiedMinCount"): _t(
        "alespoň jedno území musí být prvek RÚIAN",
        "at least one spatial coverage must be a RÚIAN element",
        "použijte https://linked.cuzk.cz/resource/ruian/{stat|vusc|okres|orp|obec}/{kód}, např. "
        "…/stat/1 pro celou ČR",
        "use https://linked.cuzk.cz/resource/ruian/{stat|vusc|okres|orp|obec}/{code}, e.g. "
        "…/stat/1 for the whole country",
    ),
    ("dct:spatial", "NodeKind"): _SPATIAL,
    ("foaf:page", "*"): _t(
        "dokumentace musí být jeden odkaz (URL)",
        "dokumentace (documentation) must be one URL",
        'uveďte "dokumentace": "https://…"',
        'give "dokumentace": "https://…"',
    ),
    ("dcat:contactPoint", "MaxCount"): _t(
        "kontaktní bod smí být jen jeden",
        "there may be only one kontaktní_bod (contact point)",
        "ponechte jeden kontaktní bod",
        "keep one contact point",
    ),
    ("dcat:contactPoint/vcard:fn", "MinCount"): _t(
        "kontaktní bod musí mít jméno",
        "the contact point needs a name (jméno)",
        'doplňte "kontaktní_bod": {"jméno": {"cs": "…"}}',
        'add "kontaktní_bod": {"jméno": {"cs": "…"}}',
    ),
    ("dcat:contactPoint/vcard:hasEmail", "*"): _EMAIL,
    ("dct:temporal", "MaxCount"): _t(
        "časové pokrytí smí být jen jedno",
        "there may be only one časové_pokrytí (temporal coverage)",
        "ponechte jeden časový interval",
        "keep one time interval",
    ),
    ("dct:temporal/dcat:startDate", "MinCount"): _t(
        "časové pokrytí musí mít začátek; NKOD ho jinak smaže",
        "časové_pokrytí (temporal coverage) needs a start; NKOD deletes it otherwise",
        'doplňte "začátek": "RRRR-MM-DD"',
        'add "začátek": "YYYY-MM-DD"',
    ),
    ("dct:temporal/dcat:startDate", "*"): _START,
    ("dct:temporal/dcat:endDate", "*"): _END,
    ("dcat:distribution", "NodeKind"): _t(
        "distribuce musí mít IRI",
        "a distribution must have an IRI",
        'dejte každé distribuci "iri": "https://…"',
        'give each distribution an "iri": "https://…"',
    ),
    ("dcat:accessURL", "*"): _t(
        "distribuce musí mít přístupové URL; NKOD ji jinak zahodí",
        "the distribution needs přístupové_url (access URL); NKOD drops it otherwise",
        'doplňte "přístupové_url": "https://…" (u souboru stejné jako soubor_ke_stažení)',
        'add "přístupové_url": "https://…" (for a file, the same as soubor_ke_stažení)',
    ),
    ("pu:specifikace", "*"): _TERMS,
    ("dct:format", "*"): _FORMAT,
    ("dcat:mediaType", "*"): _MEDIA_TYPE,
    ("dcat:compressFormat", "*"): _MEDIA_TYPE,
    ("dcat:packageFormat", "*"): _MEDIA_TYPE,
    ("dcat:endpointURL", "*"): _t(
        "datová služba musí mít právě jeden přístupový bod (IRI); NKOD ji jinak zahodí",
        "the data service needs exactly one přístupový_bod (endpoint URL); NKOD drops it otherwise",
        'doplňte službě "přístupový_bod": "https://…"',
        'add "přístupový_bod": "https://…" to the data service',
    ),
    ("dcatap:hvdCategory", "MinCount"): _HVD_CATEGORY,
    ("dcatap:applicableLegislation", "MinCount"): _t(
        "chybí právní předpis",
        "právní_předpis (applicable legislation) is missing",
        f'doplňte "právní_předpis": ["{HVD_ELI}"] u datové sady s vysokou hodnotou',
        f'add "právní_předpis": ["{HVD_ELI}"] for a high-value dataset',
    ),
}
for _prop in ("autorské-dílo", "databáze-jako-autorské-dílo", "databáze-chráněná-zvláštními-právy"):
    TABLE[(f"pu:specifikace/pu:{_prop}", "*")] = _TERMS
TABLE[("pu:specifikace/pu:osobní-údaje", "*")] = _t(
    "osobní údaje musí být uvedeny jako https://data.gov.cz/podmínky-užití/neobsahuje-osobní-"
    "údaje/ nebo …/obsahuje-osobní-údaje/",
    "osobní_údaje (personal data) must be https://data.gov.cz/podmínky-užití/neobsahuje-osobní-"
    "údaje/ or …/obsahuje-osobní-údaje/",
    "uveďte, zda data obsahují osobní údaje; hodnota „není specifikováno“ je zastaralá",
    'state whether the data contain personal data; "not specified" is obsolete',
)

# a datatype by what a steward writes
DATATYPES = {
    "xsd:date": ("datum RRRR-MM-DD", "a date YYYY-MM-DD"),
    "xsd:dateTime": ("datum a čas RRRR-MM-DDThh:mm:ss", "a date and time YYYY-MM-DDThh:mm:ss"),
    "xsd:decimal": ("desetinné číslo s tečkou", "a decimal number with a dot"),
    "xsd:integer": ("celé číslo", "a whole number"),
    "xsd:duration": ("doba trvání ISO 8601, např. P1D", "an ISO 8601 duration such as P1D"),
    "xsd:boolean": ("true nebo false", "true or false"),
    "rdf:langString": ("text s jazykem", "a text with its language"),
    "xsd:string": ("text", "text"),
}


def lookup(path: str, component: str, severity: str = "error") -> Text | None:
    """The table's text; a missing recommended value (a warning) and a class the DCAT-AP range
    wants are always told by the generic text, which says just that."""
    if component == "Class" or (severity == "warning" and component == "MinCount"):
        return None
    return TABLE.get((path, component)) or TABLE.get((path, "*"))


def generic(component: str, field: str, params: dict, severity: str) -> Text:
    """Clear text for a result the table does not know, from the constraint's parameters."""
    n = params.get("count", "")
    if component == "MinCount":
        if severity == "warning":
            return _t(
                f"chybí doporučená hodnota {field}",
                f"{field} is recommended but missing",
                f"doplňte {field}",
                f"add {field}",
            )
        return _t(
            f"chybí povinná hodnota {field}",
            f"{field} is required but missing",
            f"doplňte {field}",
            f"add {field}",
        )
    if component == "MaxCount":
        return _t(
            f"{field} má příliš mnoho hodnot (nejvýše {n})",
            f"{field} has too many values (at most {n})",
            f"ponechte nejvýše {n}",
            f"keep at most {n}",
        )
    if component == "Datatype":
        cs, en = DATATYPES.get(params.get("datatype", ""), (params.get("datatype", ""),) * 2)
        return _t(
            f"{field} musí být {cs}",
            f"{field} must be {en}",
            f"napište hodnotu jako {cs}",
            f"write the value as {en}",
        )
    if component == "NodeKind":
        iri = "IRI" in params.get("kind", "")
        return _t(
            f"{field} musí být {'IRI (odkaz)' if iri else 'text (literál)'}",
            f"{field} must be {'an IRI (a link)' if iri else 'a literal (text)'}",
            "napište celé IRI https://…" if iri else "napište hodnotu jako text",
            "write a full https://… IRI" if iri else "write the value as text",
        )
    if component == "Class":
        cls = params.get("class", "")
        return _t(
            f"hodnota {field} musí být popsána jako {cls} (rozsah DCAT-AP 3)",
            f"the value of {field} must be described as a {cls} (DCAT-AP 3 range)",
            f"uveďte v RDF třídu hodnoty (<hodnota> a {cls}); lod ji doplní sám ve formě "
            "DCAT-AP, kterou publikuje (Turtle záznamu /datasets/<id>)",
            f"state the value's class in the RDF (<value> a {cls}); lod adds it itself in the "
            "DCAT-AP form it publishes (the Turtle of /datasets/<id>)",
        )
    if component == "Pattern":
        pattern = params.get("pattern", "")
        return _t(
            f"{field} nemá správný tvar (vzor {pattern})",
            f"{field} does not have the right form (pattern {pattern})",
            f"opravte hodnotu podle vzoru {pattern}",
            f"correct the value to match {pattern}",
        )
    if component == "In":
        allowed = params.get("in", "")
        return _t(
            f"{field} není jednou z povolených hodnot",
            f"{field} is not one of the allowed values",
            f"použijte jednu z hodnot: {allowed}",
            f"use one of: {allowed}",
        )
    if component in ("QualifiedMinCount", "QualifiedMaxCount"):
        return _t(
            f"{field}: hodnoty nesplňují požadovaný tvar",
            f"{field}: the values do not have the required form",
            f"opravte hodnoty {field}",
            f"correct the values of {field}",
        )
    if component == "UniqueLang":
        return _t(
            f"{field} smí mít v každém jazyce jen jednu hodnotu",
            f"{field} may have only one value per language",
            "ponechte jednu hodnotu pro každý jazyk",
            "keep one value per language",
        )
    if component in ("Node", "Or", "And", "Xone", "Not"):
        return _t(
            f"hodnota {field} nesplňuje požadovaný tvar; u číselníků EU musí být z číselníku",
            f"the value of {field} does not have the required form; for EU codelists it must "
            "come from the codelist",
            f"opravte hodnotu {field} podle specifikace",
            f"correct the value of {field} as the specification says",
        )
    message = params.get("message", "")
    return _t(
        f"{field} nesplňuje omezení {component}: {message}",
        f"{field} fails the {component} constraint: {message}",
        f"opravte {field}",
        f"correct {field}",
    )


def ofn_key(data, focus, predicates: list[URIRef], value=None) -> str:
    """The dotted OFN key of a property path from ``focus`` (``kontaktní_bod.e-mail``), or ""
    when a step is not in the mapping table."""
    typ = _typ_of(data, focus)
    keys = []
    for i, predicate in enumerate(predicates):
        cls = ofn.CLASSES.get(typ) if typ else None
        if cls is None:
            return ""
        candidates = [k for k in cls.keys if k.predicate == predicate]
        if not candidates:
            return ""
        key = candidates[0]
        last = i == len(predicates) - 1
        if last and value is not None and len(candidates) > 1:
            key = next((k for k in candidates if ofn._matches(k, str(value))), key)
        keys.append(key.key)
        typ = key.node
    return ".".join(keys)


def _typ_of(data, node) -> str | None:
    from ..namespaces import RDF

    types = set(data.objects(node, RDF.type)) if node is not None else set()
    for cls in ofn.CLASSES.values():
        if cls.rdf_type in types:
            return cls.typ
    return None
