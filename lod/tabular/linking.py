"""Automatic linking: which columns of a table hold territorial codes or municipality names.

While `prepare` reads a table, a `Tally` counts the distinct values of the columns that may
be linked. `decide` then links a column when

- its header names a kind of unit ("Kód obce", "kod_orp", "KODOKRESU", "kraj"; see
  ``territory.headers``) and at least half of its values are codes of that kind in one code
  system (the rest are reported as unknown codes), or
- whatever the header, **all** its values are codes of exactly one kind and system, and that
  is no coincidence: 6-digit obec codes (at least 3 distinct ones, or a "kód"-like header),
  NUTS codes (``CZ0521``), kraj abbreviations (``HKK``); codes made of a few digits (ORP 5205,
  okres 3602, VÚSC 86) only under a "kód"/"code"/"území" header and with at least 3 distinct
  values, so years, counts and postcodes stay what they are;

and a column of municipality names when its header names obce ("Název obce", "Obec", "Město")
without naming a code, at least 80 % of its values are names of obce, and no other column of
the table links obce by code (see `reconcile`).

A code column whose values are all RÚIAN codes gets a ``valueUrl`` of RÚIAN IRIs
(``https://linked.cuzk.cz/resource/ruian/obec/{kod_obce}``). Otherwise (other code systems,
unknown codes, names) the table gets a derived column ``<name>_ruian`` holding the RÚIAN code
of each row's unit (empty when there is none) with that ``valueUrl``, and the original column
stays a literal: the published CSV and its CSVW metadata reproduce the RDF in any processor.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..iris import RUIAN
from ..territory import headers as header_words
from ..territory.kinds import BY_KEY
from .infer import MISSING
from .reconcile import units_named

MAX_DISTINCT = 20_000  # a column with more distinct values is neither codes nor obec names
HINTED_SHARE = 0.5  # of the values of a column whose header names a kind, to be codes
NAMES_SHARE = 0.8  # of the values of a name column, to be names of obce
LINKABLE = ("obec", "pou", "orp", "okres", "kraj", "region")
BY_VALUES = ("obec", "pou", "orp", "okres", "kraj")  # kinds recognised by values alone
CONTEXT = ("pou", "orp", "okres", "kraj")  # kinds that tell obce of one name apart
SYSTEM_NAMES = {"ruian": "RÚIAN", "csu": "ČSÚ", "lau": "LAU", "nuts": "NUTS", "zkratka": "zkratka"}
KIND_NAMES = {
    "obec": "obec",
    "pou": "POU",
    "orp": "ORP",
    "okres": "okres",
    "kraj": "kraj",
    "region": "region soudržnosti",
}


class Tally:
    """Counts of the distinct raw values of the columns that may be linked.

    A column whose header names no territorial unit is counted only while every value is a
    code of some unit: one other value and it can only be what it is (a count, a year, text).
    Past MAX_DISTINCT values a column is neither codes nor names of obce.

    Once a column is linked as codes of one kind and system (`settle`), only its distinct
    values are kept while all of them are such codes: the decision on it is then the same
    whatever the counts. A value that is not makes the column `unsettled`: its counts must be
    taken again (`recount`) before the links are decided on the whole table."""

    def __init__(self, titles: list[str], index):
        self.index = index
        self.counts: list[Counter | None] = [Counter() for _ in titles]
        self.open = [not _hinted(header_words.read(t)) for t in titles]  # not named: watch
        self.settled: dict[int, tuple[str, str, set]] = {}  # column -> kind, system, values
        self.unsettled: set[int] = set()

    def wanted(self) -> list[int]:
        """The columns still counted."""
        return [i for i, counts in enumerate(self.counts) if counts is not None]

    def add(self, columns: dict[int, list[str]]) -> None:
        """Count a batch of rows, given as its `wanted` columns."""
        for i, values in columns.items():
            if i in self.settled:
                self._add_settled(i, values)
                continue
            counts = self.counts[i]
            if counts is None:
                continue
            before = len(counts)
            counts.update(values)
            if len(counts) > MAX_DISTINCT:
                self.counts[i] = None
            elif self.open[i] and len(counts) > before:
                systems_of = self.index.systems_of
                for raw in list(counts)[before:]:
                    value = raw.strip()
                    if value not in MISSING and not systems_of(value):
                        self.counts[i] = None
                        break

    def _add_settled(self, i: int, values: list[str]) -> None:
        kind, system, seen = self.settled[i]
        new = set(values) - seen
        if not new:
            return
        seen |= new
        get = self.index.get
        if i not in self.unsettled:
            for raw in new:
                value = raw.strip()
                if value not in MISSING and get(kind, value, system) is None:
                    self.unsettled.add(i)
                    break
        if len(seen) > MAX_DISTINCT:
            self.unsettled.add(i)

    def settle(self, links) -> None:
        """Keep only the distinct values of the columns linked as codes whose values are all
        codes of their link's kind and system."""
        for link in links:
            if link.system is not None and not link.unknown and link.index not in self.settled:
                counts = self.counts[link.index]
                self.settled[link.index] = (link.kind, link.system, set(counts))

    def recount(self, counts: dict[int, Counter]) -> None:
        """The exact counts of unsettled columns (read again from the table)."""
        for i, counted in counts.items():
            del self.settled[i]
            self.counts[i] = counted if len(counted) <= MAX_DISTINCT else None
        self.unsettled.clear()

    def values(self, i: int) -> dict[str, int] | None:
        """Non-missing values (stripped) and how many rows have each (of a settled column:
        one each)."""
        if i in self.settled:
            counts: dict = dict.fromkeys(self.settled[i][2], 1)
        elif (counts := self.counts[i]) is None:
            return None
        out: dict[str, int] = {}
        for raw, n in counts.items():
            value = raw.strip()
            if value not in MISSING:
                out[value] = out.get(value, 0) + n
        return out


def _hinted(header) -> bool:
    return header.territorial or header.postcode


@dataclass(frozen=True)
class Context:
    """A column that tells obce of one name apart: codes or names of a kind, or PSČ."""

    index: int
    kind: str  # "okres", "orp", "kraj", "pou", or "psc"
    system: str | None  # code system; None: names (or PSČ)


@dataclass
class Link:
    index: int  # position of the column
    name: str
    title: str
    kind: str
    system: str | None  # code system of its values; None: names of obce
    share: float  # of its non-missing values that are known
    derived: str | None = None  # name of the derived column with the RÚIAN codes
    derived_title: str | None = None
    context: tuple[Context, ...] = ()  # names: the columns that resolve ambiguity
    unknown: int = 0  # distinct values that are not codes (names: not names) of the kind

    @property
    def segment(self) -> str:
        return BY_KEY[self.kind].segment

    @property
    def key(self) -> tuple:
        """What the derived cells depend on (two plans with equal keys write the same CSV)."""
        return (self.index, self.kind, self.system, self.derived, self.context)

    def value_url(self) -> str:
        return f"{RUIAN}{self.segment}/{{{self.derived or self.name}}}"

    def holds(self) -> str:
        """What the column holds: "ORP codes (ČSÚ)", "names of obce (told apart by okres)"."""
        if self.system is None:
            return f"names of obce{_context_text(self.context)}"
        return f"{KIND_NAMES[self.kind]} codes ({SYSTEM_NAMES[self.system]})"

    def describe(self) -> str:
        target = f"new column {self.derived_title!r}" if self.derived else "the column itself"
        return (
            f"column {self.title!r}: {self.holds()} linked to RÚIAN {KIND_NAMES[self.kind]}"
            f" IRIs in {target}"
        )


@dataclass
class Plan:
    links: list[Link] = field(default_factory=list)

    @property
    def derived(self) -> list[Link]:
        return [link for link in self.links if link.derived]

    @property
    def key(self) -> tuple:
        return tuple(link.key for link in self.links)


def decide(titles: list[str], names: list[str], tally: Tally, index) -> Plan:
    """The links of a table from its header and the counts of its values."""
    read = [header_words.read(t) for t in titles]
    links: list[Link] = []
    values = [tally.values(i) for i in range(len(titles))]
    for i, (title, name, header) in enumerate(zip(titles, names, read, strict=True)):
        if values[i] and not header.postcode:
            if choice := _code_choice(header, values[i], index):
                kind, system, share, unknown = choice
                links.append(Link(i, name, title, kind, system, share, unknown=unknown))
    links = _without_repeats(links, values, index)
    if not any(link.kind == "obec" for link in links):
        linked = {link.index for link in links}
        for i, (title, name, header) in enumerate(zip(titles, names, read, strict=True)):
            if i in linked or not values[i] or "obec" not in header.kinds or header.code:
                continue
            known = _name_share(values[i], index, "obec")
            if known >= NAMES_SHARE:
                link = Link(i, name, title, "obec", None, known)
                link.context = _context(read, values, links, index, skip=i)
                link.unknown = sum(1 for v in values[i] if not index.by_name(v))
                links.append(link)
    _name_derived(links, names)
    return Plan(sorted(links, key=lambda link: link.index))


def _code_choice(header, values: dict[str, int], index) -> tuple | None:
    """(kind, system, share, unknown values) of a column of codes, or None."""
    total = sum(values.values())
    matched: Counter = Counter()
    for value, n in values.items():
        for kind, system in index.systems_of(value):
            if kind == "obec" and system == "csu":
                continue  # the same codes as RÚIAN's
            matched[(kind, system)] += n
    if header.kinds:
        wanted = [k for k in header.kinds if k in LINKABLE]
    else:
        wanted = list(LINKABLE if header.generic else BY_VALUES)
    scores = {ks: n for ks, n in matched.items() if ks[0] in wanted}
    if not scores:
        return None
    best = max(scores.values())
    if header.kinds:
        if best < HINTED_SHARE * total:
            return None
    elif best < total:
        return None
    tied = [ks for ks, n in scores.items() if n == best]
    if not header.kinds and len(tied) > 1:
        return None  # the values fit two kinds or systems equally: the header must say
    kind, system = min(tied, key=lambda ks: _preference(ks, header, wanted))
    if not header.kinds and not _unmistakable(kind, system, values, header):
        return None
    unknown = sum(1 for v in values if not index.get(kind, v, system))
    return kind, system, best / total, unknown


def _without_repeats(links: list[Link], values: list, index) -> list[Link]:
    """Drop a column of other codes of the same units as a column of RÚIAN codes (a codelist
    gives each unit in every code system: ``orp_csu_cis65_kod`` beside ``orp_ruian_kod``)."""

    def units(link: Link) -> set[str]:
        found = (index.get(link.kind, v, link.system) for v in values[link.index])
        return {u.code for u in found if u is not None}

    direct = [units(link) for link in links if link.system == "ruian" and not link.unknown]
    return [
        link
        for link in links
        if link.system == "ruian" and not link.unknown or units(link) not in direct
    ]


def _preference(ks: tuple[str, str], header, wanted: list[str]) -> tuple:
    kind, system = ks
    systems = [s.key for s in BY_KEY[kind].systems]
    return (system != header.system, wanted.index(kind), systems.index(system))


def _unmistakable(kind: str, system: str, values: dict[str, int], header) -> bool:
    """Values recognised without a header naming their kind: no coincidence."""
    if kind == "obec":
        return len(values) >= 3 or header.code
    if system in ("nuts", "zkratka"):
        return system == "nuts" or len(values) >= 2
    return (header.code or header.generic) and len(values) >= 3


def _name_share(values: dict[str, int], index, kind: str) -> float:
    total = sum(values.values())
    known = sum(n for v, n in values.items() if units_named(index, v, kind))
    return known / total if total else 0.0


def _context(read, values, links: list[Link], index, *, skip: int) -> tuple[Context, ...]:
    out: list[Context] = []
    coded = {link.index: link for link in links}
    for i, header in enumerate(read):
        if i == skip or not values[i]:
            continue
        if header.postcode:
            out.append(Context(i, "psc", None))
        elif i in coded and coded[i].kind in CONTEXT:
            out.append(Context(i, coded[i].kind, coded[i].system))
        elif not header.code:
            for kind in header.kinds:
                if kind in CONTEXT and _name_share(values[i], index, kind) >= HINTED_SHARE:
                    out.append(Context(i, kind, None))
                    break
    return tuple(out)


def _context_kinds(context: tuple[Context, ...]) -> str:
    return ", ".join(
        dict.fromkeys("PSČ" if c.kind == "psc" else KIND_NAMES[c.kind] for c in context)
    )


def _context_text(context: tuple[Context, ...]) -> str:
    return f" (told apart by {_context_kinds(context)})" if context else ""


def _name_derived(links: list[Link], names: list[str]) -> None:
    """Derived columns for links whose values are not all RÚIAN codes."""
    taken = set(names)
    for link in links:
        if link.system == "ruian" and not link.unknown:
            continue
        base, n = f"{link.name}_ruian", 2
        name = base
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        link.derived = name
        link.derived_title = f"{link.title} (RÚIAN)"


def describe_metadata(metadata: dict, plan: Plan, property_url: str | None = None) -> None:
    """Record the links in CSVW metadata whose columns are the table's original columns."""
    columns = metadata["tableSchema"]["columns"]
    for link in plan.links:
        column = columns[link.index]
        if link.derived is None:
            column["valueUrl"] = link.value_url()
            column.pop("lang", None)
        if link.system is not None and column.get("datatype") == "integer":
            column["datatype"] = "string"  # a code, not a quantity
    for link in plan.derived:
        derived = {
            "name": link.derived,
            "titles": link.derived_title,
            "datatype": "string",
            "valueUrl": link.value_url(),
            "dc:description": _derivation(link),
        }
        if property_url:
            derived["propertyUrl"] = property_url
        columns.append(derived)


def _derivation(link: Link) -> str:
    what = KIND_NAMES[link.kind]
    if link.system is None:
        how = f"podle názvu obce ve sloupci „{link.title}“{_context_cs(link.context)}"
    else:
        system = SYSTEM_NAMES[link.system]
        how = f"podle kódu ({system}) ve sloupci „{link.title}“"
    return (
        f"Kód RÚIAN ({what}) doplněný lod {how} a číselníku Struktura území ČR; "
        "prázdný, kde jednotka není známa nebo jednoznačná."
    )


def _context_cs(context: tuple[Context, ...]) -> str:
    return f" (nejednoznačné názvy rozlišeny podle: {_context_kinds(context)})" if context else ""
