"""Errors that say where, what and how to fix.

Each error carries an HTTP ``status`` and a CLI ``exit_code``; the web app renders any of them as
HTML or as one JSON shape, and the CLI prints them as ``error: where: what`` plus a hint line.
"""

from __future__ import annotations

from dataclasses import dataclass


class LodError(Exception):
    status = 500
    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f"\n  how to fix: {self.hint}"
        return text

    def as_dict(self) -> dict:
        data: dict = {"error": self.message, "status": self.status}
        if self.where:
            data["where"] = self.where
        if self.hint:
            data["hint"] = self.hint
        return data


class BadInput(LodError):
    """The input cannot be read or used (exit 2, HTTP 400)."""

    status = 400
    exit_code = 2


class NotFound(LodError):
    status = 404
    exit_code = 2


class NotAcceptable(LodError):
    status = 406
    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One validation problem, located and explained.

    The first six fields are what every check gives; the rest locate a problem precisely for
    the validation reports (``lod.validate.report``) and are empty when not known."""

    message: str  # what is wrong (English)
    where: str  # e.g. "název (dct:title)" or "row 12, column Kód obce"
    hint: str = ""  # how to fix it
    message_cs: str = ""
    value: str = ""
    severity: str = "error"  # "error" refuses, "warning" does not
    hint_cs: str = ""  # how to fix it, in Czech
    focus: str = ""  # IRI of the record, distribution, service (or row) concerned
    key: str = ""  # OFN key of the field, dotted when nested ("kontaktní_bod.e-mail")
    property: str = ""  # its RDF property path ("dcat:contactPoint/vcard:hasEmail")
    component: str = ""  # what found it: a SHACL constraint component or a lod check
    check: str = ""  # which check: "nkod", "ofn-schema", "rules", "dcat-ap-3", "hvd", "data"
    value_kind: str = ""  # "iri" or "literal" (for the sh:ValidationReport form)
    row: int | None = None  # table row (1 = the first data row), for data problems
    column: str = ""  # table column name, for data problems

    def line(self) -> str:
        text = f"{self.severity}: {self.where}: {self.message}"
        if self.value:
            text += f" (value: {self.value})"
        if self.hint:
            text += f" — how to fix: {self.hint}"
        return text

    def line_cs(self) -> str:
        """The same line in Czech (English where no Czech text is known)."""
        severity = "chyba" if self.severity == "error" else "varování"
        text = f"{severity}: {self.where}: {self.message_cs or self.message}"
        if self.value:
            text += f" (hodnota: {self.value})"
        if self.hint_cs or self.hint:
            text += f" — jak opravit: {self.hint_cs or self.hint}"
        return text

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


class ValidationFailed(LodError):
    """Validation refused the input; nothing was changed (exit 1, HTTP 422)."""

    status = 422
    exit_code = 1

    def __init__(self, problems: list[Problem], *, what: str = "record"):
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{what} refused: {len(errors)} problem(s); nothing was published")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([self.message, *(p.line() for p in self.problems)])

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["problems"] = [p.as_dict() for p in self.problems]
        return data


class ConversionFailed(LodError):
    """A table or its CSVW metadata has errors, so no RDF is produced (exit 1, HTTP 422).

    Each problem says where (file and row and column, or metadata property), what, the
    offending value and what was expected. `more` counts the errors not listed.
    """

    status = 422
    exit_code = 1

    def __init__(self, problems: list[Problem], *, what: str = "the table", more: int = 0):
        total = len(problems) + more
        super().__init__(f"cannot convert {what}: {total} error(s)")
        self.problems = problems
        self.more = more

    def lines(self) -> list[str]:
        out = [p.line() for p in self.problems]
        if self.more:
            out.append(f"... and {self.more} more error(s) like these")
        return out

    def __str__(self) -> str:
        return "\n".join([self.message, *("  " + line for line in self.lines())])

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["problems"] = [p.as_dict() for p in self.problems]
        if self.more:
            data["more"] = self.more
        return data
