"""Derived columns, written in the same pass that writes the canonical CSV.

`LinkingSink` stands between `prepare.scan` and the CSV writer: it holds the header and the
first batch of rows, decides the links on them (`linking.decide`), writes the header with the
derived columns, and from then on writes every batch of rows with its derived cells (one dict
look-up per distinct value: `_Memo`). When the whole table has been read the links are decided
again on all the values; if they differ (a later value was not a code after all) the file is
rewritten once with the final links (`relink`). Codes that do not exist and names that stay
unknown or ambiguous are noted by source row, grouped like the reader's row notes.
"""

from __future__ import annotations

import csv
import os
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from pathlib import Path

from ..territory.coverage import covering
from .infer import MISSING, column_names
from .linking import KIND_NAMES, LINKABLE, SYSTEM_NAMES, Link, Plan, Tally, decide
from .read import RowNotes
from .reconcile import Reconciler

BATCH = 4096  # rows per batch; the links are first decided on the first batch
MAX_PROBLEMS = 20  # distinct problem values listed per column; the others are summed up


class _Memo(dict):
    """value -> RÚIAN code (or ""), computed once per distinct value; the values that have a
    problem are kept in `problems` with it."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute
        self.problems: dict = {}

    def __missing__(self, key):
        code, problem = self.compute(key)
        if problem is not None:
            self.problems[key] = problem
        self[key] = code
        return code


class _Codes:
    """A code of the link's kind and system -> (RÚIAN code or "", problem or None)."""

    def __init__(self, index, link: Link):
        self.index, self.link = index, link

    def __call__(self, raw: str) -> tuple[str, str | None]:
        value = raw.strip()
        if value in MISSING:
            return "", None
        unit = self.index.get(self.link.kind, value, self.link.system)
        if unit is not None:
            return unit.code, None
        kind, system = KIND_NAMES[self.link.kind], SYSTEM_NAMES[self.link.system]
        return "", (
            f"column {self.link.title!r}: {value!r} is not the code of any {kind} ({system});"
            " not linked — check the code"
        )


class Deriver:
    """The derived cells of a plan, batch by batch, with the problems noted by source row."""

    def __init__(self, plan: Plan, index, notes: RowNotes):
        self.notes = notes
        self.parts = []
        for link in plan.derived:
            if link.system is None:
                positions = (link.index, *(c.index for c in link.context))
                memo = _Memo(Reconciler(index, link))
            else:
                positions = (link.index,)
                memo = _Memo(_Codes(index, link))
            self.parts.append((link, positions, memo))

    def positions(self) -> set[int]:
        """The columns the derived cells are computed from."""
        return {p for _, positions, _ in self.parts for p in positions}

    def cells(self, sources: list[int], cells: dict) -> list[list[str]]:
        """The derived columns of a batch of rows, given their values of the columns of
        `positions` (column -> list) and their source row numbers."""
        columns = []
        for link, positions, memo in self.parts:
            if link.system is not None:  # codes: one column
                keys = cells[positions[0]]
            else:  # names: the name and its context
                keys = list(zip(*(cells[p] for p in positions), strict=True))
            columns.append(list(map(memo.__getitem__, keys)))
            if memo.problems:
                self._note(link, memo.problems, keys, sources)
        return columns

    def _note(self, link: Link, problems: dict, keys: list, sources: list[int]) -> None:
        listed = set(list(problems)[:MAX_PROBLEMS])
        others = f"column {link.title!r}: other values not linked (see the ones listed above)"
        for key, source in zip(keys, sources, strict=True):
            if key in problems:
                self.notes.add(source, problems[key] if key in listed else others)

    def codes(self, link: Link) -> set[str]:
        """The RÚIAN codes found for a derived link (of this plan or an equal one) so far."""
        for known, _, memo in self.parts:
            if known.key == link.key:
                return set(memo.values()) - {""}
        return set()


@dataclass
class Linked:
    """What linking did to a table: its plan, its problems, the units its rows link to."""

    plan: Plan
    warnings: list[str] = field(default_factory=list)
    units: list = field(default_factory=list)

    def coverage(self, index):
        return covering(index, self.units)


class LinkingSink:
    """The sink of `prepare.scan` (header, then rows with their source row numbers)."""

    def __init__(self, write_rows, index, where: str, *, settle: bool = True):
        """`write_rows(rows, derived=None)` writes rows, with the derived columns' cells;
        `settle=False` keeps every count (when no file can be read again)."""
        self.settle = settle
        self.write_rows, self.index, self.where = write_rows, index, where
        self.titles: list[str] | None = None
        self.names: list[str] = []
        self.tally: Tally | None = None
        self.pending: list[list[str]] = []
        self.sources: list[int] = []
        self.plan: Plan | None = None
        self.deriver: Deriver | None = None
        self.notes = RowNotes(where)
        self.all_sources = array("l")  # the source row of every data row written
        self.leading = 0  # blank lines kept before the header

    def __call__(self, rows: list[list[str]], sources: list[int]) -> None:
        """`prepare.scan`'s rows: blank lines before the header (kept), the header, then the
        data rows in batches."""
        if self.titles is None:
            cells = rows[0]
            if not cells:  # a blank line before the header, kept
                self.leading += 1
                self.write_rows([[]], None)
                return
            self.titles, self.names = list(cells), column_names(list(cells))
            self.tally = Tally(self.titles, self.index)
            return
        self.pending.extend(rows)
        self.sources.extend(sources)
        if len(self.pending) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        rows, sources = self.pending, self.sources
        self.pending, self.sources = [], []
        cells = {i: list(map(itemgetter(i), rows)) for i in self.tally.wanted()} if rows else {}
        self.tally.add(cells)
        if self.plan is None:
            self.plan = decide(self.titles, self.names, self.tally, self.index)
            if self.settle:
                self.tally.settle(self.plan.links)
            self.deriver = Deriver(self.plan, self.index, self.notes)
            titles = self.titles + [link.derived_title for link in self.plan.derived]
            self.write_rows([titles], None)
        if rows:
            derived = None
            if self.plan.derived:
                for i in self.deriver.positions() - cells.keys():
                    cells[i] = list(map(itemgetter(i), rows))
                derived = self.deriver.cells(sources, cells)
            self.write_rows(rows, derived)
            self.all_sources.extend(sources)

    def close(self) -> None:
        """Write the rows still held (the table has ended)."""
        if self.titles is not None:
            self._flush()

    def final_plan(self, path: Path | None = None) -> Plan:
        """The links decided on every value of the table (after `close`; the columns whose
        counts were not kept are counted again in the file at `path`, else their distinct
        values count once each)."""
        if self.tally.unsettled and path is not None:
            self.tally.recount(self._count(path, sorted(self.tally.unsettled)))
        return decide(self.titles, self.names, self.tally, self.index)

    def _count(self, path: Path, columns: list[int]) -> dict[int, Counter]:
        counts = {i: Counter() for i in columns}
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            for _ in range(self.leading + 1):  # blank lines and the header
                next(reader)
            while batch := list(islice(reader, BATCH)):
                for i in columns:
                    counts[i].update(map(itemgetter(i), batch))
        return counts

    def finish(self, path: Path, writer) -> Linked | None:
        """Once the file at ``path`` is closed: decide on the whole table, and rewrite the
        file (with ``writer(stream)``, which has ``rows(list)``) if that changes the links."""
        if self.titles is None:
            return None
        final = self.final_plan(path)
        deriver = self.deriver
        if final.key != self.plan.key:
            self.notes = RowNotes(self.where)
            deriver = relink(path, self, final, writer)
        units = []
        finest = min((LINKABLE.index(link.kind) for link in final.links), default=None)
        for link in final.links:  # a row is about its finest unit: its obec, not its kraj
            if LINKABLE.index(link.kind) != finest:
                continue
            if link.derived:
                codes = deriver.codes(link)
            else:
                codes = set(self.tally.values(link.index) or ())
            units.extend(self.index.get(link.kind, code, "ruian") for code in codes)
        return Linked(final, self.notes.lines(), [u for u in units if u is not None])


def relink(path: Path, sink: LinkingSink, plan: Plan, writer) -> Deriver:
    """Rewrite the canonical CSV at ``path`` with the derived columns of ``plan``."""
    width = len(sink.titles)
    deriver = Deriver(plan, sink.index, sink.notes)
    temporary = path.with_name(path.name + ".relink")
    sources = iter(sink.all_sources)
    try:
        with (
            open(path, encoding="utf-8", newline="") as old,
            open(temporary, "w", encoding="utf-8", newline="") as new,
        ):
            reader, out = csv.reader(old), writer(new)
            for _ in range(sink.leading):
                out.rows([next(reader)])
            header = next(reader)[:width]
            out.rows([header + [link.derived_title for link in plan.derived]])
            positions = deriver.positions()
            while batch := [row[:width] for row in islice(reader, BATCH)]:
                rows_sources = [next(sources) for _ in batch]
                cells = {i: list(map(itemgetter(i), batch)) for i in positions}
                out.rows(batch, deriver.cells(rows_sources, cells) if plan.derived else None)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    return deriver
