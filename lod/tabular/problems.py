"""Errors and warnings of one conversion.

CSVW distinguishes *errors* (a cell that does not fit its datatype or constraints, a missing
value in a required column, a duplicate primary key, a dangling foreign key, an invalid
metadata document) from *warnings* (a metadata property with an unusable value, a table that
does not match its metadata, a repaired row). Warnings never stop a conversion.

Errors in the metadata always stop it. Errors in the data stop it in strict mode (the default of
`lod convert` and `lod ingest`): the conversion reads on, collecting them, and fails at the end
with `ConversionFailed`. In lenient mode (what W3C csv2rdf processors do) they are reported as
warnings and the offending cells are written as plain strings.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from lod.errors import ConversionFailed, Problem

LISTED = 100  # errors listed in full; the rest are counted


def display(url: str) -> str:
    """A table's URL as people know it: the local path for file: URLs."""
    if url.startswith("file:"):
        return unquote(urlsplit(url).path)
    return url


class Report:
    def __init__(self, warnings: list[str] | None = None, *, strict: bool = True):
        self.warnings = warnings if warnings is not None else []
        self.strict = strict
        self.errors: list[Problem] = []
        self.more = 0

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def error(self, problem: Problem, sink=None) -> None:
        """A data error: kept (strict) or reported as a warning through `sink` (lenient)."""
        if not self.strict:
            (sink or self.warnings).append(warning_text(problem))
        elif len(self.errors) < LISTED:
            self.errors.append(problem)
        else:
            self.more += 1

    def check(self, what: str) -> None:
        """Raise ConversionFailed if errors were kept."""
        if self.errors:
            raise ConversionFailed(self.errors, what=what, more=self.more)


def warning_text(problem: Problem) -> str:
    text = f"{problem.where}: {problem.message}"
    if problem.value:
        text += f" (value {problem.value!r})"
    if problem.hint:
        text += f"; {problem.hint}"
    return text
