"""Streaming reading of delimited text (https://www.w3.org/TR/tabular-data-model/#parsing).

Bytes are decoded in chunks, split into lines on CRLF, LF or CR, and parsed by the `csv` module.
Memory stays constant whatever the number of rows; a decoding failure names its byte offset,
line and row. `repair_row` fixes the two row shapes common in Czech exports (wrong field count,
a whole row wrapped in one quoted field).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from lod.errors import BadInput

from .dialect import Dialect

CHUNK = 1 << 20
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")
csv.field_size_limit(1 << 30)


class DecodeFailure(Exception):
    def __init__(self, offset: int, line: int, encoding: str, bad: bytes):
        super().__init__(f"byte {offset} (line {line}) is not valid {encoding}")
        self.offset, self.line, self.encoding, self.bad = offset, line, encoding, bad


def iter_lines(stream: BinaryIO, encoding: str) -> Iterator[str]:
    """Decoded lines with their terminators; strips a UTF-8 BOM; raises DecodeFailure."""
    codec = codecs.lookup(encoding).name
    if codec == "utf-8":
        codec = "utf-8-sig"
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0  # bytes read before the current chunk
    line_no = 0  # lines yielded
    carry = ""
    while True:
        chunk = stream.read(CHUNK)
        final = not chunk
        failure = None
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as e:
            start = max(e.start, 0)
            failure = (offset + start, chunk[start : start + 8])
            text = codecs.decode(chunk[:start], codec, "ignore")
            final = True
        offset += len(chunk)
        text = carry + text
        end = 0
        for m in _LINE.finditer(text):
            if not final and m.end() == len(text) and text.endswith("\r"):
                break  # a CR at the end of the chunk may be the first half of CRLF
            end = m.end()
            line_no += 1
            yield m.group()
        carry = text[end:]
        if failure:
            raise DecodeFailure(failure[0], line_no + 1, encoding, failure[1])
        if final:
            if carry:
                yield carry
            return


class Records:
    """Records (lists of raw cell strings) of a delimited file, numbered by source row.

    Skips `skip_rows` rows and comment lines (both count as source rows); comments are passed to
    `on_comment`. `source_row` is the number of the record last yielded.
    """

    def __init__(
        self,
        lines: Iterable[str],
        dialect: Dialect,
        on_comment: Callable[[str], None] | None = None,
    ):
        self.dialect = dialect
        self.on_comment = on_comment
        self.source_row = 0
        self._lines = lines
        self._quotes = 0  # quote characters seen in the current record (odd: inside a field)

    def _filtered(self) -> Iterator[str]:
        d = self.dialect
        q, prefix = d.quote_char, d.comment_prefix
        skip = d.skip_rows
        for line in self._lines:
            at_start = self._quotes % 2 == 0
            if at_start:
                self._quotes = 0
                if skip:
                    skip -= 1
                    self.source_row += 1
                    if prefix and line.startswith(prefix) and self.on_comment:
                        self.on_comment(line[len(prefix) :].strip())
                    continue
                if prefix and line.startswith(prefix):
                    self.source_row += 1
                    if self.on_comment:
                        self.on_comment(line[len(prefix) :].strip())
                    continue
            if q:
                self._quotes += line.count(q)
                if d.escape_char:
                    self._quotes -= line.count(d.escape_char + q)
            yield line

    def __iter__(self) -> Iterator[list[str]]:
        for record in csv.reader(self._filtered(), **reader_options(self.dialect)):
            self.source_row += 1
            self._quotes = 0
            yield record


def reader_options(d: Dialect) -> dict:
    """The `csv.reader` arguments of a dialect."""
    kwargs = {
        "delimiter": d.delimiter,
        "doublequote": d.double_quote,
        "skipinitialspace": d.skip_initial_space,
        "strict": False,
    }
    if d.quote_char:
        kwargs["quotechar"] = d.quote_char
    else:
        kwargs["quoting"] = csv.QUOTE_NONE
    if d.escape_char:
        kwargs["escapechar"] = d.escape_char
    return kwargs


def open_records(
    path: Path,
    dialect: Dialect,
    *,
    where: str | None = None,
    on_comment: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """(source row number, raw cells) of every record of the file at `path`, streamed.

    A decoding failure becomes BadInput naming the file, row, line and byte offset.
    """
    where = where or str(path)
    if dialect.skip_rows or dialect.comment_prefix:
        return _records(path, dialect, where, on_comment)
    return plain_records(path, dialect, where)


def plain_records(
    path: Path, dialect: Dialect, where: str, offset: int = 0, first_row: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """The same records when no line is skipped: the csv module reads the decoded file
    itself (a text file splits lines on CRLF, LF and CR as `iter_lines` does). From byte
    `offset` on (the start of a line), the first record being row `first_row`
    (lod/tabular/parallel.py reads the rest of a file so)."""
    codec = codecs.lookup(dialect.encoding).name
    row = first_row - 1
    try:
        with open(path, "rb") as raw:
            if offset:  # a pipe cannot seek, and is read from its start
                raw.seek(offset)
            encoding = "utf-8-sig" if codec == "utf-8" and not offset else codec
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            for record in csv.reader(text, **reader_options(dialect)):
                row += 1
                yield row, record
    except UnicodeDecodeError:  # located by reading again line by line: raises BadInput
        for _ in _records(path, dialect, where, None):
            pass
        raise
    except csv.Error as e:
        raise BadInput(
            f"cannot parse the CSV: {e}",
            where=f"{where}, row {row + 1}",
            hint="check the quoting around this row",
        ) from None


def _records(path, dialect, where, on_comment) -> Iterator[tuple[int, list[str]]]:
    with open(path, "rb") as stream:
        records = Records(iter_lines(stream, dialect.encoding), dialect, on_comment)
        try:
            for record in records:
                yield records.source_row, record
        except DecodeFailure as e:
            raise decode_error(e, where, records.source_row + 1) from None
        except csv.Error as e:
            raise BadInput(
                f"cannot parse the CSV: {e}",
                where=f"{where}, row {records.source_row + 1}",
                hint="check the quoting around this row",
            ) from None


def decode_error(e: DecodeFailure, where: str, row: int) -> BadInput:
    from .sniff import sniff_encoding

    guess = ""
    candidates = ("utf-8", "windows-1250")
    sniffed, _ = sniff_encoding(e.bad)  # UTF-16 first: its NUL bytes decode as 8-bit text too
    if sniffed.startswith("utf-16"):
        candidates = (sniffed, *candidates)
    for other in candidates:
        if codecs.lookup(other).name != codecs.lookup(e.encoding).name:
            try:
                text = e.bad.decode(other, "strict")
                guess = other
                break
            except UnicodeDecodeError:
                continue
    hint = (
        "re-save the file as UTF-8, or state the file's real encoding"
        ' (CSVW metadata: "dialect": {"encoding": "..."})'
    )
    if guess:
        hint = (
            f"the bytes read as {guess} ({text[:8]!r}); re-save the whole file as UTF-8, "
            f'or if all of it is {guess} set "dialect": {{"encoding": "{guess}"}}'
        )
    return BadInput(
        f"the file is not valid {e.encoding}: undecodable byte(s) {e.bad[:4]!r}",
        where=f"{where}, row {row} (line {e.line}, byte offset {e.offset})",
        hint=hint,
    )


def repair_row(cells: list[str], width: int, delimiter: str) -> tuple[list[str], str | None]:
    """Fit a record to `width` fields; return it and what was done (None if nothing).

    A record that is one field holding delimiters (a row wrapped whole in quotes, as some
    exports do) is split again; short records are padded with empty cells; surplus empty
    cells are dropped silently and surplus non-empty ones are dropped with a note.
    """
    note = None
    if len(cells) == 1 and width > 1 and delimiter in cells[0]:
        split = next(csv.reader([cells[0]], delimiter=delimiter, strict=False), cells)
        if len(split) == width:
            return split, "the whole row was wrapped in quotes; split into its fields"
    if len(cells) < width:
        if cells:
            note = f"{len(cells)} fields instead of {width}; padded with empty cells"
        cells = cells + [""] * (width - len(cells))
    elif len(cells) > width:
        extra = cells[width:]
        if any(c.strip() for c in extra):
            note = (
                f"{len(cells)} fields instead of {width}; the surplus values "
                f"{[c for c in extra if c.strip()][:3]!r} were dropped"
            )
        cells = cells[:width]
    return cells, note


MAX_ROWS_NAMED = 10


class RowNotes:
    """Per-row warnings grouped by message, naming the first rows and counting the rest."""

    def __init__(self, where: str):
        self.where = where
        self.rows: dict[str, list[int]] = {}
        self.counts: dict[str, int] = {}

    def add(self, row: int, message: str) -> None:
        self.counts[message] = self.counts.get(message, 0) + 1
        rows = self.rows.setdefault(message, [])
        if len(rows) < MAX_ROWS_NAMED:
            rows.append(row)

    def lines(self) -> list[str]:
        out = []
        for message, rows in self.rows.items():
            more = self.counts[message] - len(rows)
            label = "row" if self.counts[message] == 1 else "rows"
            text = f"{self.where}, {label} {', '.join(map(str, rows))}"
            if more:
                text += f" and {more} more"
            out.append(f"{text}: {message}")
        return out
