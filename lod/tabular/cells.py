"""Cell values (https://www.w3.org/TR/tabular-data-model/#parsing-cells) and their RDF terms.

A `ColumnPlan` holds everything about a column that does not change from row to row: how to
parse its cells (whitespace, default, null, separator, datatype) and how to write a value as
an N-Triples literal.
"""

from __future__ import annotations

import re

from lod.errors import Problem

from .metadata import Column
from .ntriples import iri, literal
from .problems import Report, display

_NEEDS_ESCAPE = re.compile(r'["\\\n\r]')
ROW_WARNINGS = 200  # per table; the rest are counted, so memory stays bounded


class RowWarnings:
    """Per-row warnings of one table: the first ROW_WARNINGS in full, then a count."""

    def __init__(
        self,
        warnings: list[str],
        where: str,
        limit: int = ROW_WARNINGS,
        report: Report | None = None,
    ):
        self.warnings, self.where, self.limit, self.dropped = warnings, where, limit, 0
        self.count = 0
        self.report = report if report is not None else Report(warnings, strict=False)

    def error(self, problem: Problem) -> None:
        """A data error (kept by a strict report, else one more row warning)."""
        self.report.error(problem, sink=self)

    def append(self, text: str) -> None:
        self.count += 1
        if self.count <= self.limit:
            self.warnings.append(text)
        else:
            self.dropped += 1

    def close(self) -> None:
        if self.dropped:
            self.warnings.append(
                f"{self.where}: {self.dropped} more row warnings like the above were not listed"
            )
            self.dropped = 0


class ColumnPlan:
    __slots__ = (
        "column",
        "name",
        "warnings",
        "where",
        "normalize",
        "fast",
        "null",
        "default",
        "separator",
        "required",
        "keep_space",
        "predicate",
        "_lang",
        "_typed",
    )

    def __init__(self, column: Column, predicate: str | None, where: str, warnings: list[str]):
        dt = column.datatype
        self.column = column
        self.name = column.name
        self.warnings = warnings
        self.where = where  # "table URL" for messages
        self.keep_space = dt.keep_space
        self.normalize = None if dt.keep_space else dt.normalize
        self.fast = dt.fast
        self.null = frozenset(column.null)
        self.default = column.default
        self.separator = column.separator
        self.required = column.required
        self.predicate = predicate
        self._lang = f"@{column.lang}" if column.lang else ""
        if dt.lang_capable:
            self._typed = None
        elif dt.plain_lexical:
            self._typed = "^^" + iri(dt.iri)
        else:
            self._typed = False  # typed, lexical forms may need escaping

    def _warn(self, row: int, text: str, problem: str) -> None:
        c = self.column
        self.warnings.error(
            Problem(
                problem,
                f"{display(self.where)}, row {row}, column {c.number} ({c.label})",
                hint=f"expected {c.datatype.describe()}",
                value=text,
            )
        )

    def parse(self, raw: str, row: int):
        """(value, ok): value None (missing), a lexical form, or a list of (form, ok)."""
        text = self.normalize(raw) if self.normalize else raw
        if not text:
            text = self.default
        if text in self.null:
            if self.required:
                c = self.column
                self.warnings.error(
                    Problem(
                        "a value is required, but the cell is "
                        + (f"{raw!r}, a null value" if raw.strip() else "empty"),
                        f"{display(self.where)}, row {row}, column {c.number} ({c.label})",
                        hint=f"expected {c.datatype.describe()} (the column is required)",
                    )
                )
            return None, True
        if self.separator is None:
            return self._value(text, row)
        if not text:
            return [], True
        items = []
        for part in text.split(self.separator):
            if not self.keep_space:
                part = part.strip()
            if part not in self.null:
                items.append(self._value(part, row))
        return items, True

    def _value(self, text: str, row: int):
        if self.fast is None:
            return text, True
        try:
            return self.fast(text), True
        except ValueError as e:
            self._warn(row, text, str(e))
            return text, False

    def literal(self, value: str, ok: bool) -> str:
        typed = self._typed
        if typed and ok:
            return '"' + value + '"' + typed
        if typed is False and ok:
            return literal(value, self.column.datatype.iri)
        if _NEEDS_ESCAPE.search(value):
            return literal(value) + self._lang
        return '"' + value + '"' + self._lang
