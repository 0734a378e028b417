"""An in-memory index of the territorial codelist, for linking tables to RÚIAN IRIs.

Built from the same ČSÚ file and with the same checks as the codelist (``Source``), in about
0.2 s; every lookup is one or two dict accesses.

    index = load()                                  # the shipped file (cached per file)
    index.iri("kraj", "3085")                       # any code system -> RÚIAN IRI (…/vusc/86)
    index.get("okres", "CZ0521").name               # 'Hradec Králové'
    [u.okres.name for u in index.by_name("Borovnice")]  # 5 candidates, each with okres/ORP/kraj
    [u.name for u in index.by_postcode("503 04")]   # the obce a postcode (PSČ) serves

Kinds are ``stat``, ``region``, ``kraj``, ``okres``, ``orp``, ``pou``, ``obec`` (the RÚIAN IRI
segments ``vusc`` and ``region-soudrznosti`` are accepted too). Code systems are ``ruian``,
``csu``, ``lau`` (okres), ``nuts`` and ``zkratka`` (kraj); see ``kinds.KINDS``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from .. import resources
from ..iris import ruian
from .kinds import BY_KEY, KINDS
from .kinds import kind as kind_named
from .source import Source

POSTCODES_FILE = "territory/psc_obce.csv"  # PSČ -> obec codes (see vocab/territory/SOURCES.md)
_DASHES = re.compile(r"\s*[-‐‑‒–—]\s*")
_COMBINING = re.compile("[\u0300-\u036f]")  # accents left over by NFKD (all Czech ones)


def normalize_name(text: str) -> str:
    """Case-, diacritics- and whitespace-insensitive form of a name.

    ``"  hradec   KRÁLOVÉ "`` and ``"Hradec Kralove"`` both become ``"hradec kralove"``;
    dashes of any kind lose the spaces around them (``"Frýdek - Místek"`` = ``"Frýdek-Místek"``).
    """
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _DASHES.sub("-", " ".join(plain.split())).casefold()


class Unit:
    """One territorial unit: its kind, RÚIAN code and IRI, name, codes and superior units."""

    __slots__ = ("kind", "code", "iri", "name", "codes", "within", "seat_code", "obec_type")

    def __init__(self, kind, code, name, codes, within, seat_code=None, obec_type=None):
        self.kind: str = kind
        self.code: str = code  # RÚIAN code
        self.iri: str = ruian(BY_KEY[kind].segment, code)
        self.name: str = name
        self.codes: dict[str, str] = codes  # code system -> code
        self.within: dict[str, Unit] = within  # kind -> the unit of that kind it lies in
        self.seat_code: str | None = seat_code  # obec code of the seat (POU, ORP)
        self.obec_type: str | None = obec_type  # "Obec", "Město", … (obce)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.code} {self.name}>"

    @property
    def pou(self) -> Unit | None:
        return self.within.get("pou")

    @property
    def orp(self) -> Unit | None:
        return self.within.get("orp")

    @property
    def okres(self) -> Unit | None:
        return self.within.get("okres")

    @property
    def kraj(self) -> Unit | None:
        return self.within.get("kraj")

    @property
    def region(self) -> Unit | None:
        return self.within.get("region")

    @property
    def stat(self) -> Unit | None:
        return self.within.get("stat")


class Index:
    """Lookups by kind and code (any code system), by IRI and by normalised name."""

    def __init__(self, source: Source):
        self.source = source.path
        self._units: dict[str, list[Unit]] = {k.key: [] for k in KINDS}
        self._by_system: dict[tuple[str, str], dict[str, Unit]] = {
            (k.key, s.key): {} for k in KINDS for s in k.systems
        }
        self._by_code: dict[str, dict[str, Unit]] = {}
        self._by_iri: dict[str, Unit] = {}
        self._by_name: dict[str, dict[str, list[Unit]]] | None = None  # built when needed
        self._systems_of: dict[str, list[tuple[str, str]]] = {}
        self._sizes: dict[str, int] | None = None
        for record in source.records():
            key = record.kind.key
            within = {k: self._by_system[(k, "ruian")][code] for k, code in record.within.items()}
            unit = Unit(key, record.code, record.name, record.codes, within, record.seat)
            unit.obec_type = record.obec_type
            self._units[key].append(unit)
            self._by_iri[unit.iri] = unit
            for system, code in record.codes.items():
                self._by_system[(key, system)][code] = unit
        for k in KINDS:
            # Without a system named, RÚIAN codes win over other systems' codes.
            merged: dict[str, Unit] = {}
            for system in reversed(k.systems):
                merged.update(self._by_system[(k.key, system.key)])
                for code in self._by_system[(k.key, system.key)]:
                    self._systems_of.setdefault(code, []).append((k.key, system.key))
            self._by_code[k.key] = merged
        self.valid: str | None = max(source.dates) if source.dates else None
        self.warnings = list(source.warnings)

    def get(self, kind: str, code: str, system: str | None = None) -> Unit | None:
        """The unit of ``kind`` with ``code`` in ``system`` (default: any of its systems)."""
        key = kind_named(kind).key
        code = str(code).strip()
        if system is None:
            return self._by_code[key].get(code)
        table = self._by_system.get((key, system))
        if table is None:
            systems = ", ".join(s.key for s in BY_KEY[key].systems)
            raise KeyError(f"{key} has no code system {system!r}; use one of {systems}")
        return table.get(code)

    def iri(self, kind: str, code: str, system: str | None = None) -> str | None:
        unit = self.get(kind, code, system)
        return unit.iri if unit else None

    def unit(self, iri: str) -> Unit | None:
        return self._by_iri.get(iri)

    def by_name(self, name: str, kind: str = "obec") -> list[Unit]:
        """Every unit of ``kind`` whose normalised name equals that of ``name``."""
        return list(self._names()[kind_named(kind).key].get(normalize_name(name), ()))

    def by_part(self, text: str, kind: str | None = None) -> list[Unit]:
        """The units (of ``kind``, else of every kind, the broadest first) whose normalised
        name contains that of ``text`` ("hradec" finds Hradec Králové and Jindřichův Hradec),
        in the order of their normalised names: a person's search, not the linker's."""
        part = normalize_name(text)
        if not part:
            return []
        names = self._names()
        keys = [kind_named(kind).key] if kind else [k.key for k in KINDS]
        return [
            unit
            for key in keys
            for name, units in sorted(names[key].items())
            if part in name
            for unit in units
        ]

    def _names(self) -> dict[str, dict[str, list[Unit]]]:
        """kind -> normalised name -> units (built when first needed)."""
        if self._by_name is None:
            self._by_name = {k.key: {} for k in KINDS}
            for key, units in self._units.items():
                for unit in units:
                    self._by_name[key].setdefault(normalize_name(unit.name), []).append(unit)
        return self._by_name

    def systems_of(self, code: str) -> list[tuple[str, str]]:
        """Every (kind, code system) in which ``code`` exists, e.g. for sniffing a column."""
        return list(self._systems_of.get(str(code).strip(), ()))

    def by_postcode(self, postcode: str) -> list[Unit]:
        """The obce a postcode (PSČ, "50304" or "503 04") serves; several may share one."""
        table = self._by_system[("obec", "ruian")]
        codes = postcodes().get("".join(str(postcode).split()), ())
        return [table[code] for code in codes if code in table]

    def size(self, unit: Unit) -> int:
        """How many obce the unit has (1 for an obec)."""
        if self._sizes is None:
            sizes: dict[str, int] = {}
            for obec in self._units["obec"]:
                sizes[obec.iri] = 1
                for parent in obec.within.values():
                    sizes[parent.iri] = sizes.get(parent.iri, 0) + 1
            self._sizes = sizes
        return self._sizes.get(unit.iri, 0)

    def units(self, kind: str) -> list[Unit]:
        return list(self._units[kind_named(kind).key])

    def counts(self) -> dict[str, int]:
        return {key: len(units) for key, units in self._units.items()}


@cache
def postcodes() -> dict[str, tuple[str, ...]]:
    """PSČ -> the codes of the obce it serves, from the shipped file."""
    out: dict[str, list[str]] = {}
    with open(resources.vocab(POSTCODES_FILE), encoding="utf-8", newline="") as stream:
        rows = csv.reader(stream)
        next(rows, None)
        for postcode, code in rows:
            out.setdefault(postcode, []).append(code)
    return {postcode: tuple(codes) for postcode, codes in out.items()}


def build(path: Path | str) -> Index:
    """A fresh index of one ČSÚ file (raises ``BadInput`` naming the row/column if it is bad)."""
    return Index(Source(path))


def load(path: Path | str | None = None) -> Index:
    """The index of ``path`` (default: the shipped file), cached while the file is unchanged.

    The file is trusted: the shipped one, or one `lod territory update` checked and published
    (``build`` checks a file)."""
    from . import default_source

    resolved = Path(path or default_source()).resolve()
    stat = resolved.stat()
    return _cached(resolved, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int, size: int) -> Index:
    return Index(Source(path, trusted=True))
