"""Reading ČSÚ "Struktura území ČR": every territorial unit once, checked, streaming.

The file has one row per obec with the codes and names of all the units it lies in, so a POU,
ORP, okres, kraj, region soudržnosti or stát repeats on many rows. ``Source.records()`` yields
each unit the first time it appears (superior units before the obec of the row) and checks
every later appearance against the first.

Rows are numbered as in a spreadsheet: the header is row 1, the first obec is row 2. A file with
a missing column, an empty or malformed code (codes are taken as written: no spaces), a
duplicate code, or a unit whose name, codes or superior units differ between rows is refused
with ``BadInput`` naming the row and the column.
"""

from __future__ import annotations

import csv
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput
from .kinds import DATE_COLUMN, KINDS, OBEC_TYPES, REQUIRED_COLUMNS, TYPE_COLUMN, Kind

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SEAT = re.compile(r"[0-9]{6}")  # an obec code
_EXAMPLES = {"nuts": "CZ052", "zkratka": "HKK"}
_FIX_FILE = (
    'use the CSV of ČSÚ "Struktura území ČR" as published (UTF-8, comma-separated, '
    "one row per obec); its columns are described in "
    "vocab/territory/struktura_uzemi_cr_metadata.json"
)


@dataclass(slots=True)
class Record:
    """One territorial unit as the file first states it."""

    kind: Kind
    code: str  # RÚIAN code
    name: str
    codes: dict[str, str]  # code system key -> code (RÚIAN included)
    within: dict[str, str]  # kind key -> RÚIAN code of the unit it lies in
    seat: str | None  # obec code of the seat (POU, ORP)
    obec_type: str | None  # obec_typ as written (obce only)
    row: int


class _Layout:
    """Where one kind's values are in a row, and the raw values that identify a repetition."""

    def __init__(self, kind: Kind, index: dict[str, int]):
        self.kind = kind
        self.name = index[kind.name_column]
        self.systems = [(s, index[s.column]) for s in kind.systems]
        self.ruian = index[kind.ruian.column]
        self.within = [(k, index[_ruian_column(k)]) for k in kind.within]
        self.seat = index[kind.seat_column] if kind.seat_column else None
        self.columns = [kind.name_column, *(s.column for s in kind.systems)]
        self.columns += [_ruian_column(k) for k in kind.within]
        self.columns += [kind.seat_column] if kind.seat_column else []
        self.raw = operator.itemgetter(*(index[c] for c in self.columns))  # -> tuple


def _ruian_column(kind_key: str) -> str:
    return next(k for k in KINDS if k.key == kind_key).ruian.column


class Source:
    """One ČSÚ file. Iterate ``records()`` once; then ``rows``, ``dates`` and ``warnings``."""

    def __init__(self, path: Path | str, *, trusted: bool = False):
        self.path = Path(path)
        # a file already checked (the shipped one, or one published by `lod territory
        # update`): read without checking every repetition and code again (3x faster)
        self.trusted = trusted
        self.rows = 0  # obce read
        self.dates: set[str] = set()
        self.warnings: list[str] = []
        self._row = 1  # the last row read

    def error(self, row: int, column: str | None, message: str, hint: str = "") -> BadInput:
        where = f"{self.path}, row {row}" + (f", column {column}" if column else "")
        return BadInput(message, where=where, hint=hint or None)

    def records(self) -> Iterator[Record]:
        if not self.path.is_file():
            raise BadInput("file not found", where=str(self.path), hint="check the path")
        self._row = 1
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as stream:
                reader = csv.reader(stream)
                header = [cell.strip() for cell in next(reader, [])]
                index = self._index(header)
                yield from self._rows(reader, len(header), index)
        except UnicodeDecodeError:
            raise self.error(
                self._row + 1,
                None,
                "the file is not UTF-8",
                "re-save the file as UTF-8 (ČSÚ publishes it in UTF-8)",
            ) from None
        except csv.Error as exc:
            raise self.error(
                self._row + 1, None, f"cannot parse the CSV: {exc}", "check the quoting"
            ) from None

    def _index(self, header: list[str]) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            if name in index and name in REQUIRED_COLUMNS:
                raise self.error(1, name, "the column appears twice in the header", _FIX_FILE)
            index.setdefault(name, position)
        missing = [c for c in REQUIRED_COLUMNS if c not in index]
        if missing:
            raise self.error(
                1,
                missing[0],
                f"missing column(s) {', '.join(missing)}",
                _FIX_FILE,
            )
        return index

    def _rows(self, reader, width: int, index: dict[str, int]) -> Iterator[Record]:
        layouts = [_Layout(kind, index) for kind in KINDS]
        seen: dict[str, dict[str, tuple[tuple, int]]] = {k.key: {} for k in KINDS}
        owners: dict[tuple[str, str, str], tuple[str, int]] = {}  # (kind, system, code) -> unit
        seats: list[tuple[Record, str]] = []
        date_at, type_at = index[DATE_COLUMN], index[TYPE_COLUMN]
        for number, cells in enumerate(reader, start=2):
            self._row = number
            if not cells or cells == [""]:
                continue
            if len(cells) != width:
                raise self.error(
                    number,
                    None,
                    f"the row has {len(cells)} cells, the header {width}",
                    "check the quoting and the separators of this row",
                )
            date = cells[date_at]
            if date not in self.dates:
                if not _DATE.fullmatch(date):
                    raise self.error(
                        number, DATE_COLUMN, f"{date!r} is not a date", "write it as YYYY-MM-DD"
                    )
                self.dates.add(date)
            self.rows += 1
            for layout in layouts:
                kind = layout.kind
                code = cells[layout.ruian]
                if self.trusted:
                    if code in seen[kind.key]:
                        continue
                    raw = None
                else:
                    raw = layout.raw(cells)
                first = seen[kind.key].get(code)
                if first is not None:
                    if kind.key == "obec":
                        raise self.error(
                            number,
                            kind.ruian.column,
                            f"duplicate obec code {code!r} (also in row {first[1]})",
                            "each obec must appear in exactly one row",
                        )
                    if raw != first[0]:
                        self._differs(number, layout, code, raw, first)
                    continue
                record = self._record(number, layout, cells, owners)
                if kind.key == "obec":
                    record.obec_type = cells[type_at]
                    if record.obec_type not in OBEC_TYPES:
                        self.warnings.append(
                            f"{self.path}, row {number}, column {TYPE_COLUMN}: unknown type of "
                            f"obec {record.obec_type!r}; the obec is published without uzemi:typObce"
                        )
                seen[kind.key][code] = (raw, number)
                if record.seat:
                    seats.append((record, layout.kind.seat_column or ""))
                yield record
        if self.rows == 0:
            raise self.error(2, None, "the file has no rows", _FIX_FILE)
        obce = seen["obec"]
        for record, column in seats:
            if record.seat not in obce:
                raise self.error(
                    record.row,
                    column,
                    f"the seat of {record.kind.key} {record.code} ({record.name}) is obec "
                    f"{record.seat!r}, which is not in the file",
                    "the seat must be one of the obce of the file",
                )

    def _record(self, number: int, layout: _Layout, cells: list[str], owners) -> Record:
        kind = layout.kind
        name = cells[layout.name].strip()
        if not name:
            raise self.error(number, kind.name_column, "the name is empty", "fill in the name")
        ruian = cells[layout.ruian]
        if self.trusted:
            codes = {system.key: cells[position] for system, position in layout.systems}
            seat = cells[layout.seat] if layout.seat is not None else None
            within = {key: cells[position] for key, position in layout.within}
            return Record(kind, ruian, name, codes, within, seat, None, number)
        codes: dict[str, str] = {}
        for system, position in layout.systems:
            value = cells[position]
            if not system.pattern.fullmatch(value):
                raise self.error(
                    number,
                    system.column,
                    f"{value!r} is not a valid code" if value else "the code is empty",
                    f"write the {system.key} code of the {kind.key} of this row, e.g. "
                    + _EXAMPLES.get(system.key, "3602"),
                )
            owner = owners.setdefault((kind.key, system.key, value), (ruian, number))
            if owner[0] != ruian:
                raise self.error(
                    number,
                    system.column,
                    f"duplicate code {value!r}: it already belongs to {kind.key} {owner[0]} "
                    f"(row {owner[1]})",
                    "each code may identify only one unit",
                )
            codes[system.key] = value
        seat = cells[layout.seat] if layout.seat is not None else None
        if layout.seat is not None and not _SEAT.fullmatch(seat or ""):
            raise self.error(
                number, kind.seat_column, f"{seat!r} is not an obec code", "write a 6-digit code"
            )
        within = {key: cells[position] for key, position in layout.within}
        return Record(kind, ruian, name, codes, within, seat, None, number)

    def _differs(self, number: int, layout: _Layout, code: str, raw: list[str], first) -> None:
        column = next(c for c, a, b in zip(layout.columns, raw, first[0], strict=True) if a != b)
        before = first[0][layout.columns.index(column)]
        now = raw[layout.columns.index(column)]
        raise self.error(
            number,
            column,
            f"{layout.kind.key} {code} has {column} {now!r} here but {before!r} in row {first[1]}",
            "a unit must have the same name, codes and superior units on every row",
        )
