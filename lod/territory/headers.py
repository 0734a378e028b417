"""What a column's header says about territorial units: word tables, not code.

``read("Kód obce")`` names the kind obec and a code; ``read("Název okresu")`` the kind okres
and a name; ``read("kod_orp_csu")`` the kind ORP in the ČSÚ code system; ``read("PSČ")`` a
postcode. Headers are compared without diacritics and case, split into words at spaces,
punctuation, ``_`` and camelCase (``kodObce``); glued words (``KODOKRESU``, ``NAZOBCE``) are
split after a leading ``kod``/``naz``/``nazev``. The values decide the rest (`linking`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# word -> kinds of units it names
KIND_WORDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["obec", "obce", "obci", "obcich", "municipality", "icob", "zuj"], ("obec",)),
    **dict.fromkeys(["mesto", "mesta", "city", "town"], ("obec",)),
    **dict.fromkeys(["pou"], ("pou",)),
    **dict.fromkeys(["orp", "soorp"], ("orp",)),
    **dict.fromkeys(["okres", "okresu", "okresy", "okresni", "district"], ("okres",)),
    **dict.fromkeys(["kraj", "kraje", "kraji", "krajsky", "vusc"], ("kraj",)),
    **dict.fromkeys(["region", "regionu"], ("region", "kraj")),
    **dict.fromkeys(["soudrznosti"], ("region",)),
}
# glued to "kod"/"naz": "KODOB" (ČSÚ), "NAZOB"
GLUED_KIND_WORDS = {"ob": ("obec",), "kr": ("kraj",), "ok": ("okres",)}
CODE_WORDS = frozenset(
    "kod kody code codes id ident identifikator cislo icob zuj ruian nuts lau zkratka".split()
)
NAME_WORDS = frozenset("nazev nazvy name jmeno text".split())
POSTCODE_WORDS = frozenset("psc zip postcode postal".split())
GENERIC_WORDS = frozenset("uzemi uzemni territory".split())
# words of quantities, dates and contacts: "Počet obyvatel obce", "Telefon území" name no unit
OTHER_WORDS = frozenset(
    "pocet rok roku year castka celkem suma podil procento mnozstvi hodnota cena vymera plocha"
    " datum date telefon tel fax email mail www url adresa ulice".split()
)
SYSTEM_WORDS = {"ruian": "ruian", "csu": "csu", "nuts": "nuts", "lau": "lau", "zkratka": "zkratka"}
# ČSÚ codelist numbers ("orp_csu_cis65_kod", "vuzemi_cis" values): kind and code system
CSU_CODELISTS = {
    "43": ("obec", "csu"),
    "61": ("pou", "csu"),
    "65": ("orp", "csu"),
    "100": ("kraj", "csu"),
    "101": ("okres", "lau"),
    "108": ("kraj", "nuts"),
    "109": ("okres", "nuts"),
    "99": ("region", "csu"),
    "107": ("region", "nuts"),
}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CODELIST = re.compile(r"cis([0-9]+)")
_GLUED = re.compile(r"(kod|nazev|naz)([a-z]+)")


@dataclass(frozen=True)
class Header:
    kinds: tuple[str, ...] = ()  # kinds of units the header names, in the order named
    system: str | None = None  # the code system it names
    code: bool = False  # it says the column holds codes ("kód", "code", "IČOB")
    name: bool = False  # it says the column holds names ("název", "name")
    postcode: bool = False  # PSČ
    generic: bool = False  # a territorial unit of any kind ("území")

    @property
    def territorial(self) -> bool:
        return bool(self.kinds) or self.generic


def words(title: str) -> list[str]:
    """The header's words: ASCII, lower case."""
    text = _CAMEL.sub(" ", title)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return [w for w in re.split(r"[^a-z0-9]+", text) if w]


def read(title: str) -> Header:
    kinds: list[str] = []
    system = None
    code = name = postcode = generic = other = False
    for word in words(title):
        parts = [word]
        if word not in KIND_WORDS and (glued := _GLUED.fullmatch(word)):
            parts = [glued[1], glued[2]]
        for part in parts:
            named = KIND_WORDS.get(part, ())
            if not named and len(parts) > 1:
                named = GLUED_KIND_WORDS.get(part, ())
            if (m := _CODELIST.fullmatch(part)) and m[1] in CSU_CODELISTS:
                kind, system = CSU_CODELISTS[m[1]]
                named, code = (kind,), True
            kinds.extend(k for k in named if k not in kinds)
            code |= part in CODE_WORDS or part == "kod"
            name |= part in NAME_WORDS or part == "naz"
            postcode |= part in POSTCODE_WORDS
            generic |= part in GENERIC_WORDS
            other |= part in OTHER_WORDS
            system = SYSTEM_WORDS.get(part, system)
    if postcode or other:  # "PSČ obce" is a postcode, "Počet obcí" a number: not units
        kinds, generic = [], False
    return Header(tuple(kinds), system, code, name, postcode, generic)
