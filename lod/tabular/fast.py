"""The fast path of csv2rdf: rows in batches, column by column, straight to UTF-8 bytes.

`FastRows.compile` accepts a table whose rows all give triples of one shape: one subject per
row (a blank node, or an ``aboutUrl`` of ``_row``, ``_sourceRow`` and column values under an
absolute IRI), predicates that do not depend on the row, and objects that are literals or
IRIs of a ``valueUrl`` of the same kind as such an ``aboutUrl`` (``https://linked.cuzk.cz/
resource/ruian/obec/{kod_obce}``: linked territorial codes). It declines (None) anything else
(other ``valueUrl``s, separators, virtual columns, ``rowTitles``, comment lines, key checks),
which the general, row-by-row code in `csv2rdf` converts. For a table it accepts it
writes exactly what the general code would: the same lines in the same order, the same blank
node labels, and the same warnings and errors in the same order.

Per batch of rows the cells are transposed into columns, and each column is trimmed,
normalised, nulled and converted as a whole: values already in their canonical form (plain
integers and decimals) are recognised by one regular expression, repeated values by a cache,
and the rest go cell by cell through the column's `ColumnPlan` (the general code's own parsing,
with its warnings). The lines are then written as pieces (subject; predicate and opening quote;
value; closing quote, datatype or language) laid out row by row in one list and joined
(`_interleaved`), so no Python code runs per triple. For a table with a Turtle form
(`lod ingest`'s data.ttl) each batch is written as Turtle too, the same way (turtle.py).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain, compress, islice, repeat
from operator import is_not, mul
from urllib.parse import quote

from .ntriples import CSVW, TYPE, XSD, iri, literal
from .turtle import Bare, TurtleChunk, TurtleForm

ENABLED = True  # tests turn it off to compare with the general code
BATCH = 4096  # rows per chunk of output, at most
# and about this much output per chunk: a batch's lists and output then stay in the CPU's
# caches (bench/: 4 MB chunks took 1.3-1.5 times as long on one CPU; lod.store.loading
# joins chunks again for the store)
CHUNK_BYTES = 512 << 10
CACHE = 1 << 16  # cached values per column
_MISS = object()
# what N-Triples escapes in a string's contents (as `literal`), in UTF-8: the backslash first
_ESCAPES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\n", b"\\n"), (b"\r", b"\\r"))
_URI_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")  # values quote(v, safe="") leaves as they are
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_ROW_VARS = {"_row", "_sourceRow"}
_EMPTY = {None: ""}  # _EMPTY.get(v, v): "" for None, else v


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _constant(text: str) -> bytes:
    """Text for a bytes %-format."""
    return _utf8(text).replace(b"%", b"%%")


def _interleaved(parts: list, rows: int) -> bytes:
    """Row 0's pieces (one of each part, in order), then row 1's, and so on: each part a
    sequence of `rows` pieces, or a `repeat` of one. One list of all pieces is laid out from a
    row of the repeated ones and filled part by part (extended slices), then joined: C loops
    only, and one allocation of the output."""
    width = len(parts)
    row: list[bytes] = [b""] * width
    filled = []
    for j, part in enumerate(parts):
        if isinstance(part, repeat):
            row[j] = next(part)
        else:
            filled.append((j, part))
    pieces = row * rows
    for j, part in filled:
        pieces[j::width] = part if isinstance(part, list) else list(part)
    return b"".join(pieces)


def _encode_all(values: list[str]) -> list[bytes]:
    pieces = "\n".join(values).encode("utf-8").split(b"\n")
    return pieces if len(pieces) == len(values) else [_utf8(v) for v in values]


def _encode_escaped(values: list[str]) -> list[bytes]:
    """The values as UTF-8 N-Triples string contents (what `literal` writes between the
    quotes). Escaped in UTF-8: a bytes search is a memchr, a str one of Czech text is not."""
    data = "\x00".join(values).encode("utf-8")
    for char, escape in _ESCAPES:
        if char in data:
            data = data.replace(char, escape)
    pieces = data.split(b"\x00")
    if len(pieces) == len(values):
        return pieces
    return [_utf8(literal(v)[1:-1]) for v in values]


def _has_any(text: str, chars: str) -> bool:
    """Whether one of `chars` is in `text` (a find each: faster than a regex's search)."""
    return any(c in text for c in chars)


class _Recorder:
    """Stands in for the table's RowWarnings during a batch: keeps every call with the (row,
    step, column) it was made for, and replays them in the order the row-by-row code makes
    them."""

    def __init__(self):
        self.key: tuple = (0, 0, 0)
        self.calls: list = []

    def __getattr__(self, name: str):
        def record(*args, **kwargs):
            self.calls.append((self.key, len(self.calls), name, args, kwargs))

        return record

    def replay(self, target) -> None:
        for _key, _n, name, args, kwargs in sorted(self.calls, key=lambda c: c[:2]):
            getattr(target, name)(*args, **kwargs)
        self.calls.clear()


def _unsigned(text: str) -> bool:
    """Whether `text` (values each after a line end, and a last line end) holds only
    canonical unsigned integers without a leading zero: str methods, faster than a regex."""
    digits = text.replace("\n", "")
    return digits.isascii() and digits.isdigit() and "\n\n" not in text and "\n0" not in text


class _Numbers:
    """Plain integers or decimals ("-012", "1234,50") of a whole batch made canonical ("-12",
    "1234.5") by a few regular expressions over the joined values: what the column's parser
    (`numbers.integer_parser`, `numbers.decimal_parser`) returns for each of them."""

    PROBES = ["0", "-0", "+0", "7", "-7", "+7", "007", "-007", "10", "100", "1D50", "-0D0"]
    PROBES += ["0D0", "-0D50", "00D5", "12D000", "+1D5", "-0D05", "0D10"]

    def __init__(self, decimal: str | None):
        d = re.escape(decimal or ".")
        number = r"[+-]?[0-9]{1,18}" + ("" if decimal is None else rf"(?:{d}[0-9]{{1,18}})?")
        self.one = re.compile(number).fullmatch
        self.all = re.compile(rf"(?:{number}\n)*").fullmatch
        canonical = (
            r"(?:-?[1-9][0-9]*|0)"
            if decimal is None
            else (rf"(?!-0(?:{d}|\n))-?(?:0|[1-9][0-9]*)(?:{d}[0-9]*[1-9])?")
        )
        self.canonical_all = re.compile(rf"(?:{canonical}\n)*").fullmatch
        self.decimal = decimal
        # the steps, each run only if the joined values (a line end before each one, see
        # `canonical`) hold one of its needles: a regex's search of a text it does not match
        # takes as long as a replace. Its matches are replaced by `repl`, or by its group if
        # None ("".join(split): a sub with "\\1" calls Python code for each match).
        steps = [(("\n+",), r"^\+", "")]
        if decimal is not None:  # trailing zeros of the fraction, then an empty fraction
            steps += [(("0\n",), rf"({d}[0-9]*?)0+$", None), ((decimal + "\n",), rf"{d}$", "")]
        steps += [(("\n0", "\n-0"), r"^(-?)0+(?=[0-9])", None), (("\n-0\n",), r"^-0$", "0")]
        self.steps = [(n, re.compile(pattern, re.M), repl) for n, pattern, repl in steps]

    @classmethod
    def of(cls, plan) -> _Numbers | None:
        """For an integer or decimal column without pattern or bounds, if its parser agrees."""
        dt = plan.column.datatype
        fmt = getattr(dt, "number_format", None) or {}
        if getattr(dt, "bounds", True) or plan.fast is None or fmt.get("pattern"):
            return None
        if dt.base == "integer" and not fmt:
            numbers = cls(None)
        elif dt.base == "decimal":
            char, group = fmt.get("decimalChar", "."), fmt.get("groupChar")
            if not isinstance(char, str) or len(char) != 1 or char in "-+0123456789\n":
                return None
            if group is not None and (not isinstance(group, str) or group in "+-0123456789" + char):
                return None
            numbers = cls(char)
        else:
            return None
        probes = [p.replace("D", numbers.decimal or ".") for p in cls.PROBES]
        probes = [p for p in probes if numbers.one(p)]
        try:
            agrees = numbers.canonical(probes) == [plan.fast(p) for p in probes]
        except ValueError:
            agrees = False
        return numbers if agrees else None

    def canonical(self, values: list[str]) -> list[str] | None:
        """The values in canonical form, or None if one of them is not a plain number."""
        text = "\n" + "\n".join(values) + "\n"  # each value between line ends
        if self.decimal is None and _unsigned(text):
            return list(values)
        if self.canonical_all(text, 1):
            if self.decimal in (None, "."):
                return list(values)
        elif not self.all(text, 1):
            return None
        else:
            for needles, regex, repl in self.steps:
                if any(needle in text for needle in needles):
                    text = regex.sub(repl, text) if repl is not None else "".join(regex.split(text))
        if self.decimal not in (None, "."):
            text = text.replace(self.decimal, ".")
        return text.split("\n")[1:-1]


class _Column:
    """A real column: its values in a batch, and the pieces of its lines."""

    def __init__(self, plan, index: int, recorder: _Recorder, strip: Callable | None):
        self.plan = copy.copy(plan)
        self.plan.warnings = recorder  # warnings in order: see _Recorder
        self.index, self.recorder, self.strip = index, recorder, strip
        self.name = plan.column.name
        self.output = not plan.column.suppress
        self.normalize, self.default = plan.normalize, plan.default
        self.null, self.required = plan.null, plan.required
        self.nulls = dict.fromkeys(plan.null)  # null value -> None
        self.identity = plan.fast is None
        self.numbers = _Numbers.of(plan)
        self.cache: dict[str, str | None] = {}
        probe = plan.literal("0", True)  # the literal's syntax, as the plan writes it
        self.close = probe[2:] if probe.startswith('"0"') else ""
        self.escapes = plan.literal('"', True) != '"""' + self.close[1:]
        self.predicate = plan.predicate
        self.open = _utf8(f' {plan.predicate} "')
        self.end = _utf8(self.close + " .\n")
        self.objects: _Subjects | None = None  # a valueUrl's IRIs, expanded like subjects
        self.quoted = False  # a valueUrl of the column's own value: written like a literal
        self.ttl: tuple[bytes, bytes, bytes, Bare | None] | None = None  # see for_turtle

    def compile_value(self, names: set[str]) -> None:
        if self.plan.column.value is None:
            return
        self.objects = _Subjects.of(self.plan.column.value, names)
        self.open, self.end = _utf8(f" {self.predicate} "), b" .\n"
        parts = self.plan.column.value._parts
        if self.objects is not None and parts is not None and parts[1:2] == [self.name]:
            if len(parts) == 3:  # "https://…/obec/{kod_obce}": <prefix, the value, suffix>
                self.quoted = True
                self.open = _utf8(f" {self.predicate} {iri(parts[0])[:-1]}")
                self.end = _utf8(iri(parts[2])[1:] + " .\n")

    def for_turtle(self, form: TurtleForm) -> None:
        """Write the column as Turtle too: (predicate, opening and end of an object, the
        pattern of values that may be written bare)."""
        p = self.predicate
        predicate = _utf8(form.name(p[1:-1]) if p.startswith("<") else p)
        if self.objects is not None and not self.quoted:
            self.ttl = (predicate, b"", b"", None)
        elif self.quoted:
            start = len(f" {p} ")
            self.ttl = (predicate, self.open[start:], self.end[: -len(" .\n")], None)
        else:
            close = _utf8(form.close(self.close))
            self.ttl = (predicate, b'"', close, form.bare(predicate, self.close))

    def turtle(self, encoded: list[bytes], present: list[str], kept: list | None) -> list[bytes]:
        """Each row's ``predicate object`` in Turtle (b"" where the value is null)."""
        predicate, start, end, bare = self.ttl
        if bare is None:
            objects = list(
                map(b"".join, zip(repeat(predicate + b" " + start), encoded, repeat(end)))
            )
        elif bare.all("\n".join(present) + "\n"):
            objects = list(map((predicate + b" ").__add__, encoded))
        else:
            objects = bare.some(present, encoded)
        return objects if kept is None else list(map(mul, objects, kept))

    @property
    def usable(self) -> bool:
        if self.plan.separator is not None or self.predicate is None:
            return False
        if self.plan.column.value is not None:
            return self.objects is not None and self.objects.template is not None
        return self.close.startswith('"') and self.plan.literal("1", True) == '"1' + self.close

    def iri_pieces(self, subjects, values: list, objects: list[bytes], turtle=None) -> tuple:
        """This column's part of the batch when its objects are IRIs: the rows whose own value
        is null have no triple. (`turtle`: a list to add its Turtle to.)"""
        if turtle is not None:
            start = self.ttl[0] + b" "
            turtle.append(
                list(map(start.__add__, objects))
                if None not in values
                else [
                    start + o if v is not None else b""
                    for v, o in zip(values, objects, strict=True)
                ]
            )
        if None not in values:
            return (subjects, repeat(self.open), objects, repeat(self.end))
        start, end = self.open, self.end
        return (
            [
                s + start + o + end if v is not None else b""
                for s, v, o in zip(subjects, values, objects, strict=True)
            ],
        )

    def values(self, cells, rows) -> tuple[list, list | None, bool]:
        """The cells' values (None when null), the ok flags if some value is invalid, and
        whether some value is null."""
        cells = list(map(self.strip, cells)) if self.strip is not None else list(cells)
        trimmed = cells
        if self.normalize is not None and (
            self.strip is not str.strip or _has_any("\x00".join(cells), "\r\n\t")
        ):
            cells = list(map(self.normalize, cells))
        if self.default:
            default = self.default
            cells = [c or default for c in cells]
        misses: list[int] = []
        null = self.null
        if len(null) < 4:  # a list search for each: no cell is hashed
            some_null = any(n in cells for n in null)
        else:
            some_null = not null.isdisjoint(cells)
        if not some_null:
            values, where = list(cells), None
        else:
            values = list(map(self.nulls.get, cells, cells))  # None for a null value
            where = list(compress(range(len(values)), map(is_not, values, repeat(None))))
            if self.required:
                misses = [i for i, v in enumerate(values) if v is None]
        if not self.identity:
            self._convert(values, where, misses)
        if not misses:
            return values, None, where is not None
        ok = [True] * len(values)
        cache = self.cache
        for i in sorted(misses):
            before = len(self.recorder.calls)
            self.recorder.key = (rows[i], 1, self.index)
            values[i], ok[i] = self.plan.parse(trimmed[i], rows[i])
            if ok[i] and len(self.recorder.calls) == before and len(cache) < CACHE:
                cache[cells[i]] = values[i]
        return values, ok, None in values

    def _convert(self, values: list, where: list[int] | None, misses: list[int]) -> None:
        """Convert the values (at `where`, default all) in place; add the indexes left for
        the plan to parse to `misses`."""
        present = values if where is None else [values[i] for i in where]
        if self.numbers is not None:
            converted = self.numbers.canonical(present)
            if converted is not None and where is None:
                values[:] = converted
                return
            if converted is None:  # some are not plain: those are parsed one by one
                one, indexes = self.numbers.one, range(len(values)) if where is None else where
                plain = [i for i in indexes if one(values[i])]
                misses.extend(sorted(set(indexes) - set(plain)))
                where = plain
                converted = self.numbers.canonical([values[i] for i in plain]) or []
            for i, v in zip(where, converted, strict=True):
                values[i] = v
            return
        found = list(map(self.cache.get, present, repeat(_MISS)))
        if where is None and _MISS not in found:
            values[:] = found
            return
        for i, v in zip(range(len(values)) if where is None else where, found, strict=True):
            if v is _MISS:
                misses.append(i)
            else:
                values[i] = v

    def pieces(self, subjects, values: list, ok: list | None, nulls: bool, turtle=None) -> tuple:
        """This column's part of the batch: (subjects, open, values, end), or (lines,).
        (`turtle`: a list to add its Turtle to.)"""
        if self.quoted:  # the IRI of the value as it is, valid for its datatype or not
            ok = None
        if ok is not None and not all(ok):
            literal = self.plan.literal
            objects = [
                _utf8(literal(v, good)) if v is not None else b""
                for v, good in zip(values, ok, strict=True)
            ]
            if turtle is not None:
                start = self.ttl[0] + b" "
                turtle.append([start + o if o else b"" for o in objects])
            p = _utf8(f" {self.predicate} ")
            return (
                [s + p + o + b" .\n" if o else b"" for s, o in zip(subjects, objects, strict=True)],
            )
        # a null value is "", and its row's pieces are all b"" (bytes * False)
        present = list(map(_EMPTY.get, values, values)) if nulls else values
        if self.quoted:
            if not _URI_SAFE.fullmatch("".join(present)):
                present = [quote(v, safe="") for v in present]
            encoded = _encode_all(present)
        elif self.escapes:
            encoded = _encode_escaped(present)
        else:
            encoded = _encode_all(present)
        kept = list(map(is_not, values, repeat(None))) if nulls else None
        if turtle is not None:
            turtle.append(self.turtle(encoded, present, kept))
        if kept is None:
            return (subjects, repeat(self.open), encoded, repeat(self.end))
        return (
            list(map(mul, subjects, kept)),
            list(map(mul, repeat(self.open), kept)),
            encoded,
            list(map(mul, repeat(self.end), kept)),
        )


class _Subjects:
    """The subject of each row: a new blank node, or the aboutUrl template expanded (as a
    bytes %-format of its literal parts, IRI-escaped, and its variables)."""

    def __init__(self, template):
        self.template = template
        self.variables: list[str] = []
        self.format = b""
        if template is not None:
            text = "<"
            for i, part in enumerate(template._parts):  # literal, variable, literal, ...
                if i % 2:
                    self.variables.append(part)
                    text += "\x01"
                else:
                    text += iri(part)[1:-1]
            self.format = _constant(text + ">").replace(b"\x01", b"%s")

    @classmethod
    def of(cls, template, names: set[str]) -> _Subjects | None:
        """None if the template may give a relative IRI or a prefixed name (expanded and
        resolved by the general code), or uses other variables than row numbers and cells."""
        if template is None:
            return cls(None)
        parts = getattr(template, "_parts", None)
        if parts is None or not template.variables <= names | _ROW_VARS:
            return None
        if not _ABSOLUTE.match(parts[0]) or "\x01" in template.text:
            return None
        return cls(template)

    def expand(self, row_nums: range, source_rows, values: dict[str, list]) -> list[bytes]:
        columns = []
        for name in self.variables:
            if name == "_row":
                column = list(map(str, row_nums))
            elif name == "_sourceRow":
                column = list(map(str, source_rows))
            else:
                column = values[name]
                if None in column:
                    column = ["" if v is None else v for v in column]
                if not _URI_SAFE.fullmatch("".join(column)):
                    column = [quote(v, safe="") for v in column]
            columns.append(_encode_all(column))
        if not columns:
            return [self.format.replace(b"%%", b"%")] * len(row_nums)
        if len(columns) == 1:
            return list(map(self.format.__mod__, columns[0]))
        return list(map(self.format.__mod__, zip(*columns, strict=True)))


def _taker(records: Iterator[tuple[int, list[str]]]) -> Callable:
    """`take(n)` for `FastRows._convert`: the next n (source row, cells) records at most, as
    a list of source rows and a list of rows."""

    def take(size: int) -> tuple[list, list]:
        batch = list(islice(records, size))
        if not batch:
            return [], []
        sources, rows = zip(*batch, strict=True)
        return list(sources), list(rows)

    return take


class FastRows:
    """The rows of one table after its header, converted in batches."""

    def __init__(self, table, columns: list[_Column], subjects: _Subjects, minimal: bool, strip):
        self.table, self.columns, self.subjects, self.minimal = table, columns, subjects, minimal
        self.strip = strip
        self.recorder = columns[0].recorder if columns else _Recorder()
        self.width = len(columns)
        self.outputs = [c for c in columns if c.output]
        self.row_num = 0
        # Turtle too (the table's `turtle` form, set by `to_ntriples(turtle=…)`): the opening
        # and prefix of the subjects' namespace, and each row's frame
        self.turtle: TurtleForm | None = table.turtle
        self.subject_ns: tuple[bytes, bytes] | None = None
        self._frames_t = b""  # a row's frame in Turtle (`_turtle_frame`), set by `run`
        if self.turtle is not None:
            for column in self.outputs:
                column.for_turtle(self.turtle)
            if subjects.template is not None:
                self.subject_ns = self.turtle.namespace(subjects.template._parts[0])

    @classmethod
    def compile(cls, table, plans: list, *, minimal: bool, row_titles) -> FastRows | None:
        """The fast path for a table with these column plans, or None if it does not fit."""
        d = table.dialect
        if (
            not ENABLED
            or getattr(table, "key_check", None) is not None
            or row_titles
            or d.comment_prefix
            or any(p.column.virtual for p in plans)
        ):
            return None
        strip = {True: str.strip, "start": str.lstrip, "end": str.rstrip}.get(d.trim)
        recorder = _Recorder()
        columns = [_Column(p, i, recorder, strip) for i, p in enumerate(plans)]
        names = {c.name for c in columns}
        for column in columns:
            column.compile_value(names)
        abouts = {
            c.plan.column.about.text if c.plan.column.about else None for c in columns if c.output
        }
        if len(names) != len(columns) or len(abouts) > 1 or not all(c.usable for c in columns):
            return None
        templates = [c.plan.column.about for c in columns if c.output and c.plan.column.about]
        subjects = _Subjects.of(templates[0] if templates else None, names)
        if subjects is None:
            return None
        return cls(table, columns, subjects, minimal, strip)

    @property
    def per_row(self) -> int:
        """Blank nodes made per row."""
        return (0 if self.minimal else 1) + (
            1 if self.outputs and self.subjects.template is None else 0
        )

    def run(
        self,
        first: tuple[int, list[str]],
        records: Iterator[tuple[int, list[str]]],
        *,
        t: str,
        bnodes,
        row_warnings,
        fit: Callable,
    ) -> Iterator[bytes]:
        """The lines of the first data row (already cut and trimmed) and all rows after it.
        `fit(source_row, cells, row_warnings)` fits a row of the wrong length to the table.
        A big file is converted by two processes when the table allows it (parallel.py)."""
        frame = self._frame(t)
        if self.turtle is not None and frame is not None:
            self._frames_t = self._turtle_frame(t)
        prefix = bnodes.prefix.encode()
        source = getattr(self.table, "parallel_source", None)
        if source is not None:
            from .parallel import Split

            split = Split.of(source(), self.table.dialect, first[0])
            if split is not None:
                yield from split.run(
                    self,
                    first,
                    frame=frame,
                    prefix=prefix,
                    bnodes=bnodes,
                    row_warnings=row_warnings,
                    fit=fit,
                )
                return
        yield from self._convert(
            _taker(chain([first], records)), True, frame, prefix, bnodes, row_warnings, fit
        )

    def convert_records(self, records, frame, prefix, bnodes, row_warnings, fit):
        """The output of raw records (source row, cells) read after the first data row."""
        return self._convert(_taker(records), False, frame, prefix, bnodes, row_warnings, fit)

    def convert_rows(self, rows, sources, frame, prefix, bnodes, row_warnings, fit, cut=True):
        """The output of raw rows (`cut`: their skipped columns still there) and their source
        row numbers (a sequence as long), as from `convert_records`."""
        start = 0

        def take(size: int) -> tuple:
            nonlocal start
            start += size
            return sources[start - size : start], rows[start - size : start]

        return self._convert(take, not cut, frame, prefix, bnodes, row_warnings, fit)

    def clean_chunks(self, rows, sources, frame, prefix, bnodes) -> list[bytes] | None:
        """`convert_rows` for rows that need no fitting and give no warning; else None."""
        skip = self.table.dialect.skip_columns
        if any(map((self.width + skip).__ne__, map(len, rows))):
            return None
        chunks = list(self.convert_rows(rows, sources, frame, prefix, bnodes, None, None))
        if self.recorder.calls:
            self.recorder.calls.clear()
            return None
        return chunks

    def _convert(self, take, first_row, frame, prefix, bnodes, row_warnings, fit):
        """The output of rows in batches, `take(n)` giving the next n at most (their source
        row numbers, their cells); the first one's skipped columns already cut if
        `first_row`. Warnings are replayed on `row_warnings` (None: kept in the recorder)."""
        d = self.table.dialect
        skip, blank = d.skip_columns, d.skip_blank_rows
        size = min(BATCH, 256)  # rows in the next batch: the first ones measure a row's bytes
        while True:
            sources, rows = take(size)
            if not rows:
                return
            if skip and not first_row:
                rows = [r[skip:] for r in rows]
            elif skip:
                rows = rows[:1] + [r[skip:] for r in rows[1:]]
            first_row = False
            if blank:
                keep = [i for i, r in enumerate(rows) if any(map(self._trim, r))]
                if len(keep) != len(rows):
                    rows, sources = [rows[i] for i in keep], [sources[i] for i in keep]
                    if not rows:
                        continue
            if any(map(self.width.__ne__, map(len, rows))):
                rows = [
                    r if len(r) == self.width else self._fit(fit, n, r)
                    for n, r in zip(sources, rows, strict=True)
                ]
            chunk = self._batch(rows, sources, frame, prefix, bnodes)
            yield chunk
            if row_warnings is not None:
                self.recorder.replay(row_warnings)
            size = max(16, min(BATCH, len(rows) * CHUNK_BYTES // max(len(chunk), 1)))

    def _trim(self, cell: str) -> str:
        return self.strip(cell) if self.strip is not None else cell

    def _fit(self, fit, source_row: int, cells: list[str]) -> list[str]:
        self.recorder.key = (source_row, 0, 0)
        return fit(source_row, [self._trim(c) for c in cells], self.recorder)

    def _frame(self, t: str) -> bytes | None:
        if self.minimal:
            return None
        url = iri(self.table.url.split("#")[0] + "#row=")[:-1]
        lines = [
            f"{t} {iri(CSVW + 'row')} \x01 .",
            f"\x01 {TYPE} {iri(CSVW + 'Row')} .",
            f'\x01 {iri(CSVW + "rownum")} "\x02"^^{iri(XSD + "integer")} .',
            f"\x01 {iri(CSVW + 'url')} {url}\x02>",
        ]
        lines[-1] += " ."
        if self.outputs:
            lines.append(f"\x01 {iri(CSVW + 'describes')} \x01 .")
        text = _constant("\n".join(lines) + "\n")
        return text.replace(b"\x01", b"%s").replace(b"\x02", b"%d")

    def _turtle_frame(self, t: str) -> bytes:
        """A row's frame in Turtle: %-format of (row node, row node, row number, source row
        [, subject])."""
        name = self.turtle.name
        url = iri(self.table.url.split("#")[0] + "#row=")[:-1]
        text = (
            f"{t} {name(CSVW + 'row')} \x01 .\n\x01 a {name(CSVW + 'Row')} ;\n"
            f"\t{name(CSVW + 'rownum')} \x02 ;\n\t{name(CSVW + 'url')} {url}\x02>"
        )
        if self.outputs:
            text += f" ;\n\t{name(CSVW + 'describes')} \x01"
        return _constant(text + " .\n").replace(b"\x01", b"%s").replace(b"\x02", b"%d")

    def _batch(self, rows, sources, frame, prefix: bytes, bnodes) -> bytes:
        """The batch's N-Triples (a TurtleChunk with its Turtle if the table has a form)."""
        cells = list(zip(*rows, strict=False)) if rows else []  # rows were fitted
        rows_n = range(self.row_num + 1, self.row_num + 1 + len(rows))
        self.row_num += len(rows)
        values, results = {}, {}
        for column, column_cells in zip(self.columns, cells, strict=True):
            results[column.name] = column.values(column_cells, sources)
            values[column.name] = results[column.name][0]
        parts: list = []
        count = bnodes.count
        per_row = self.per_row
        bnodes.count += per_row * len(rows)
        if not self.outputs:
            subjects = []
        elif self.subjects.template is None:
            first = count + per_row
            subjects = [b"%s%d" % (prefix, k) for k in range(first, bnodes.count + 1, per_row)]
        else:
            subjects = self.subjects.expand(rows_n, sources, values)
        nodes = []
        if frame is not None:
            nodes = [b"%s%d" % (prefix, k) for k in range(count + 1, bnodes.count + 1, per_row)]
            if self.outputs:
                frames = [
                    frame % (r, r, r, n, r, source, r, s)
                    for r, n, source, s in zip(nodes, rows_n, sources, subjects, strict=True)
                ]
            else:
                frames = [
                    frame % (r, r, r, n, r, source)
                    for r, n, source in zip(nodes, rows_n, sources, strict=True)
                ]
            parts.append(frames)
        turtle = None if self.turtle is None else []
        for column in self.outputs:
            if column.objects is not None and not column.quoted:
                objects = column.objects.expand(rows_n, sources, values)
                parts.extend(column.iri_pieces(subjects, values[column.name], objects, turtle))
            else:
                parts.extend(column.pieces(subjects, *results[column.name], turtle))
        data = _interleaved(parts, len(rows))
        if turtle is None:
            return data
        chunk = TurtleChunk(data)
        chunk.turtle = self._turtle_batch(turtle, subjects, nodes, rows_n, sources, frame)
        return chunk

    def _turtle_batch(self, objects: list, subjects, nodes, rows_n, sources, frame) -> bytes:
        """The batch in Turtle: each row's frame, then its subject with its columns' `objects`
        (per column, each row's ``predicate object`` or b"")."""
        parts: list = []
        subjects = self.turtle.names(subjects, self.subject_ns)
        if frame is not None:
            frame_t = self._frames_t
            if self.outputs:
                frames = [
                    frame_t % (r, r, n, source, s)
                    for r, n, source, s in zip(nodes, rows_n, sources, subjects, strict=True)
                ]
            else:
                frames = [
                    frame_t % (r, r, n, source)
                    for r, n, source in zip(nodes, rows_n, sources, strict=True)
                ]
            parts.append(frames)
        if self.outputs:
            bodies = zip(*objects, strict=True)
            if any(b"" in column for column in objects):  # a row may have no triple at all
                bodies = map(b" ;\n\t".join, map(partial(filter, None), bodies))
                parts.append(
                    [
                        s + b" " + body + b" .\n" if body else b""
                        for s, body in zip(subjects, bodies, strict=True)
                    ]
                )
            else:
                parts += [subjects, repeat(b" "), map(b" ;\n\t".join, bodies), repeat(b" .\n")]
        return _interleaved(parts, len(rows_n))
