"""Read a table (CSV/XLSX/ODS), infer its CSVW schema and optionally write canonical CSV,
all in one streaming pass; with a territorial index, link its territorial columns on the way
(`derive`).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from lod.errors import BadInput

from .dialect import Dialect
from .infer import ColumnGuess, clean_title, column_names, column_warnings
from .metadata import CSVW_CONTEXT
from .read import RowNotes, open_records, repair_row
from .sheets import is_spreadsheet, sheet_rows
from .sniff import sniff

if TYPE_CHECKING:
    from .derive import Linked


@dataclass
class Scan:
    titles: list[str]
    names: list[str]
    guesses: list[ColumnGuess]
    rows: int = 0
    dialect: Dialect | None = None  # of the original file (CSV only)
    warnings: list[str] = field(default_factory=list)
    column_warnings: list[str] = field(default_factory=list)  # of the guesses (in `warnings` too)
    leading_blank: int = 0  # blank rows before the header
    blank: bool = False  # some data rows are blank
    linked: Linked | None = None  # what linking did (write_canonical with an index)


Sink = Callable[[list[list[str]], list[int]], None]  # (rows, their source row numbers)
GUESS_BATCH = 4096  # rows added to the column guesses (and given to the sink) at a time


def scan(source: Path, *, sheet=None, sink: Sink | None = None, keep_blank: bool = False) -> Scan:
    """Read `source` once: header, repaired rows (passed to `sink` with their source row
    numbers, in batches: the header alone, then up to GUESS_BATCH rows at a time) and column
    guesses. With `keep_blank`, the sink also gets the blank rows (before the header as
    ``[]``), so that its rows keep their numbers."""
    source = Path(source)
    if not source.exists():
        raise BadInput(
            "the file does not exist", where=str(source), hint="check the path of the table"
        )
    dialect = None
    if is_spreadsheet(source):
        name, rows = sheet_rows(source, sheet)
        where = f"{source.name}, sheet {name}"
        records = enumerate(rows, 1)
        delimiter = ","
    else:
        dialect = sniff(source).dialect
        where = source.name
        records = open_records(source, dialect, where=str(source))
        delimiter = dialect.delimiter
    notes = RowNotes(where)
    batch: list[list[str]] = []  # rows not yet added to the guesses, and their numbers
    batch_rows: list[int] = []
    given: list[list[str]] = []  # rows not yet given to the sink (blank ones too), numbers
    given_rows: list[int] = []
    header = None
    leading_blank = 0
    blank = False
    result = None
    for row_no, cells in records:
        if header is None:
            if not any(map(str.strip, cells)):
                leading_blank += 1
                if sink and keep_blank:
                    sink([[]], [row_no])
                continue
            header = cells
            if dialect is None:  # spreadsheets: the header's last non-empty cell ends the table
                while header and not header[-1].strip():
                    header = header[:-1]
            titles = [clean_title(t) for t in header]
            names = column_names(titles)
            titles = [t or n for t, n in zip(titles, names, strict=True)]
            result = Scan(titles, names, [ColumnGuess() for _ in titles], dialect=dialect)
            guesses, width = result.guesses, len(titles)
            if sink:
                sink([titles], [row_no])
            continue
        if not any(map(str.strip, cells)):
            blank = True
            if sink and keep_blank:
                given.append([""] * width)
                given_rows.append(row_no)
            else:
                notes.add(row_no, "empty row skipped")
            continue
        if len(cells) != width:
            cells, note = repair_row(cells, width, delimiter)
            if note:
                notes.add(row_no, note)
        batch.append(cells)
        batch_rows.append(row_no)
        if sink:
            given.append(cells)
            given_rows.append(row_no)
        if len(batch) == GUESS_BATCH:
            _guess(guesses, batch, batch_rows)
        if len(given) >= GUESS_BATCH:
            sink(given, given_rows)
            given, given_rows = [], []
        result.rows += 1
    if result is not None and batch:
        _guess(result.guesses, batch, batch_rows)
    if given:
        sink(given, given_rows)
    if result is None:
        raise BadInput(
            "the table is empty: no header row found",
            where=where,
            hint="the first non-empty row must name the columns",
        )
    result.leading_blank, result.blank = leading_blank, blank
    if dialect is not None:
        dialect.skip_rows = leading_blank
        dialect.skip_blank_rows = blank
    result.column_warnings = [
        w for t, g in zip(result.titles, result.guesses, strict=True) for w in column_warnings(t, g)
    ]
    result.warnings = notes.lines() + [f"{where}: {w}" for w in result.column_warnings]
    return result


def _guess(guesses: list[ColumnGuess], rows: list[list[str]], numbers: list[int]) -> None:
    """Add a batch of rows to the column guesses, column by column; empty the batch."""
    for guess, values in zip(guesses, zip(*rows, strict=True), strict=True):
        guess.add_many(values, numbers)
    rows.clear()
    numbers.clear()


def build_metadata(
    result: Scan,
    *,
    table_url: str,
    about_url: str | None,
    property_url: str | None,
    lang: str,
    dialect: Dialect | None,
) -> dict:
    columns = []
    for title, name, guess in zip(result.titles, result.names, result.guesses, strict=True):
        column = {"name": name, "titles": title}
        column.update(guess.describe(title))
        if lang and column["datatype"] == "string" and guess.text:
            column["lang"] = lang
        if property_url:
            column["propertyUrl"] = property_url
        columns.append(column)
    metadata: dict = {"@context": [CSVW_CONTEXT, {"@language": lang}], "url": table_url}
    if dialect is not None and (dialect_json := dialect.to_json()):
        metadata["dialect"] = dialect_json
    schema: dict = {"columns": columns}
    if about_url:
        schema["aboutUrl"] = about_url
    metadata["tableSchema"] = schema
    return metadata


def canonical_dialect(result: Scan) -> Dialect | None:
    """The dialect of a canonical CSV written with `keep_blank` (None: the default one)."""
    if not (result.leading_blank or result.blank):
        return None
    return Dialect(skip_rows=result.leading_blank, skip_blank_rows=result.blank)


class CanonicalWriter:
    """UTF-8, comma, CRLF CSV; a first cell starting with "#" is quoted, so that processors
    that still take "#" for the default commentPrefix (the CSVW Recommendation's text before
    its erratum) do not read the row as a comment."""

    def __init__(self, stream):
        self.stream = stream
        self.writer = csv.writer(stream, lineterminator="\r\n")

    def rows(self, rows: list[list[str]], derived: list[list[str]] | None = None) -> None:
        """Write `rows`, each followed by its cells of the `derived` columns (if any)."""
        lines = map(chain, rows, zip(*derived, strict=True)) if derived else rows
        try:
            firsts = "\n" + "\n".join(map(itemgetter(0), rows))
        except IndexError:  # an empty row (a blank line kept)
            firsts = "\n#"
        if "\n#" in firsts:
            for line in lines:
                self._row(list(line))
        else:
            self.writer.writerows(lines)

    def __call__(self, rows: list[list[str]], sources: list[int] | None = None) -> None:
        """The sink of `scan`: write the rows (their source row numbers are not needed)."""
        self.rows(rows)

    def _row(self, cells: list[str]) -> None:
        if cells and cells[0].startswith("#"):
            self.stream.write('"' + cells[0].replace('"', '""') + '"')
            if len(cells) > 1:
                self.stream.write(",")
                self.writer.writerow(cells[1:])
            else:
                self.stream.write("\r\n")
            return
        self.writer.writerow(cells)


def write_canonical(
    source: Path, out_csv: Path, *, sheet=None, index=None, keep_blank: bool = False
) -> Scan:
    """Scan `source` and write it to `out_csv` (replaced only when the whole read succeeds).

    With a territorial `index` (``lod.territory.lookup.Index``) its territorial columns are
    linked and the derived columns written (`derive`; ``result.linked`` says what was done).
    With `keep_blank` the blank rows are written too, so rows keep their numbers
    (`canonical_dialect` describes such a file)."""
    out_csv = Path(out_csv)
    partial = out_csv.with_name(out_csv.name + ".part")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as stream:
            sink = writer = CanonicalWriter(stream)
            if index:
                from .derive import LinkingSink  # (the territory's modules: when linking)

                sink = LinkingSink(writer.rows, index, Path(source).name)
            result = scan(source, sheet=sheet, sink=sink, keep_blank=keep_blank)
            if index is not None:
                sink.close()
        if index is not None:
            result.linked = sink.finish(partial, CanonicalWriter)
        os.replace(partial, out_csv)
    finally:
        if partial.exists():
            partial.unlink()
    return result
