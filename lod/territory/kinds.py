"""The kinds of territorial units and the code systems they are known by: tables, not code.

Each kind is read from the columns of ČSÚ "Struktura území ČR" that start with its ``key``
(``obec_…``, ``pou_…``, ``orp_…``, ``okres_…``, ``kraj_…``, ``region_…``, ``stat_…``). Its IRI is
the RÚIAN IRI ``https://linked.cuzk.cz/resource/ruian/{segment}/{RÚIAN code}``; only the obec
code is the same in ČSÚ and RÚIAN numbering, every other RÚIAN code comes from a ``*_ruian_*``
column. The RDF terms (classes, properties, datatypes) are defined in
``vocab/territory/ontology.ttl``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..namespaces import UZEMI_IRI

# Our own small ontology: the same in every lod installation (never under LOD_BASE_URL), so
# that SPARQL queries join across regions; see vocab/territory/README.md.
ONTOLOGY = "https://w3id.org/lod-cz/uzemi"
SCHEME = UZEMI_IRI + "struktura-uzemi-cr"  # the codelist as a skos:ConceptScheme

_DIGITS = re.compile(r"[0-9]{1,12}")
_NUTS = re.compile(r"[A-Z]{2}[0-9A-Z]{0,4}")
_ABBREVIATION = re.compile(r"[A-Z]{2,4}")


@dataclass(frozen=True)
class CodeSystem:
    """One system of codes: a column of the file and the datatype of its skos:notation."""

    key: str  # "ruian", "csu", "lau", "nuts", "zkratka"
    column: str
    datatype: str  # local name in UZEMI
    pattern: re.Pattern = _DIGITS


@dataclass(frozen=True)
class Kind:
    key: str  # our name of the kind, also the prefix of its columns
    segment: str  # RÚIAN IRI path segment
    cls: str  # local name of its class in UZEMI
    link: str | None  # property "lies in a unit of this kind" (UZEMI local name)
    name_column: str
    systems: tuple[CodeSystem, ...]  # the first one is RÚIAN: it makes the IRI
    broader: tuple[str, ...]  # kinds of the direct parents (skos:broader)
    within: tuple[str, ...]  # kinds of every unit it lies in (explicit links)
    seat_column: str | None = None  # obec code of the seat (sídlo) of a POU or ORP

    @property
    def ruian(self) -> CodeSystem:
        return self.systems[0]


def _systems(*rows: tuple[str, str, str, re.Pattern]) -> tuple[CodeSystem, ...]:
    return tuple(CodeSystem(*row) for row in rows)


# Top-down: every kind comes after the kinds it lies in.
KINDS: tuple[Kind, ...] = (
    Kind(
        "stat",
        "stat",
        "Stat",
        "stat",
        "stat_text",
        _systems(
            ("ruian", "stat_ruian_kod", "kodRuianStat", _DIGITS),
            ("csu", "stat_csu_cis97_kod", "kodCsuStat", _DIGITS),
            ("nuts", "stat_csu_cis105_nuts_kod", "kodNuts", _NUTS),
        ),
        broader=(),
        within=(),
    ),
    Kind(
        "region",
        "region-soudrznosti",
        "RegionSoudrznosti",
        "regionSoudrznosti",
        "region_text",
        _systems(
            ("ruian", "region_ruian_kod", "kodRuianRegionSoudrznosti", _DIGITS),
            ("csu", "region_csu_cis99_kod", "kodCsuRegionSoudrznosti", _DIGITS),
            ("nuts", "region_csu_cis107_nuts_kod", "kodNuts", _NUTS),
        ),
        broader=("stat",),
        within=("stat",),
    ),
    Kind(
        "kraj",
        "vusc",
        "Kraj",
        "kraj",
        "kraj_text",
        _systems(
            ("ruian", "kraj_ruian_vusc_kod", "kodRuianVusc", _DIGITS),
            ("csu", "kraj_csu_cis100_kod", "kodCsuKraj", _DIGITS),
            ("nuts", "kraj_csu_cis108_nuts_kod", "kodNuts", _NUTS),
            ("zkratka", "kraj_zkratka", "zkratkaKraje", _ABBREVIATION),
        ),
        broader=("region",),
        within=("region", "stat"),
    ),
    Kind(
        "okres",
        "okres",
        "Okres",
        "okres",
        "okres_text",
        _systems(
            ("ruian", "okres_ruian_kod", "kodRuianOkres", _DIGITS),
            ("lau", "okres_csu_cis101_lau_kod", "kodLauOkres", _DIGITS),
            ("nuts", "okres_csu_cis109_nuts_kod", "kodNuts", _NUTS),
        ),
        broader=("kraj",),
        within=("kraj", "region", "stat"),
    ),
    Kind(
        "orp",
        "orp",
        "Orp",
        "orp",
        "orp_text",
        _systems(
            ("ruian", "orp_ruian_kod", "kodRuianOrp", _DIGITS),
            ("csu", "orp_csu_cis65_kod", "kodCsuOrp", _DIGITS),
        ),
        broader=("kraj",),
        within=("kraj", "region", "stat"),
        seat_column="orp_sidlo_obec_kod",
    ),
    Kind(
        "pou",
        "pou",
        "Pou",
        "pou",
        "pou_text",
        _systems(
            ("ruian", "pou_ruian_kod", "kodRuianPou", _DIGITS),
            ("csu", "pou_csu_cis61_kod", "kodCsuPou", _DIGITS),
        ),
        broader=("orp",),
        within=("orp", "kraj", "region", "stat"),
        seat_column="pou_sidlo_obec_kod",
    ),
    Kind(
        "obec",
        "obec",
        "Obec",
        None,
        "obec_text",
        _systems(
            ("ruian", "obec_kod", "kodRuianObec", _DIGITS),
            ("csu", "obec_kod", "kodCsuObec", _DIGITS),
        ),
        broader=("pou", "okres"),
        within=("pou", "orp", "okres", "kraj", "region", "stat"),
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}
# Other names a caller may use for a kind: the RÚIAN IRI segments.
ALIASES = {"vusc": "kraj", "region-soudrznosti": "region", "region_soudrznosti": "region"}

DATE_COLUMN = "platnost_datum"
TYPE_COLUMN = "obec_typ"
# obec_typ -> local name of its concept in UZEMI (scheme uzemi:typy-obci)
OBEC_TYPES = {
    "Obec": "typ-obce-obec",
    "Město": "typ-obce-mesto",
    "Městys": "typ-obce-mestys",
    "Statutární město": "typ-obce-statutarni-mesto",
    "Hlavní město": "typ-obce-hlavni-mesto",
    "Vojenský újezd": "typ-obce-vojensky-ujezd",
}

REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [DATE_COLUMN, TYPE_COLUMN]
        + [
            column
            for kind in KINDS
            for column in (
                kind.name_column,
                *(s.column for s in kind.systems),
                *([kind.seat_column] if kind.seat_column else []),
            )
        ]
    )
)


def kind(name: str) -> Kind:
    """A kind by its key or alias ("kraj" or "vusc", "region" or "region-soudrznosti")."""
    key = ALIASES.get(name, name)
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(
            f"unknown kind of territorial unit {name!r}; use one of {', '.join(BY_KEY)}"
        ) from None
