"""Validate a table with its CSVW schema, as ``lod ingest`` would check its data.

The table is converted by W3C csv2rdf (``lod.tabular``, strict: a cell that does not fit its
datatype, a missing required value or a key violation is a problem at its row and column) and
its RDF checked against the shapes generated from the schema
(``lod.validate.datashapes.shapes_for``) by ``lod.validate.datacheck``. Every problem names the
row and column, the value, and says what is wrong and how to fix it, in Czech and English.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BadInput, ConversionFailed, Problem
from . import datacheck, datashapes
from .report import Report

_PLACE = re.compile(
    r"rows? (?P<row>\d+)(?:, \d+)*(?:, column (?:'(?P<quoted>[^']*)'|\d+ \((?P<title>[^)]*)\)|"
    r"(?P<bare>[^,;]+)))?"
)
# the conversion's messages (lod.tabular) in Czech: (English pattern, Czech)
CZECH = (
    (r"a value is required, but the cell is empty", "hodnota je povinná, ale buňka je prázdná"),
    (r"is greater than the maximum", "je větší než maximum"),
    (r"is less than the minimum", "je menší než minimum"),
    (r"is not greater than minExclusive", "není větší než dolní mez (minExclusive)"),
    (r"is not less than maxExclusive", "není menší než horní mez (maxExclusive)"),
    (r"is not a boolean", "není pravdivostní hodnota"),
    (r"is not a language tag", "není jazykový kód"),
    (r"is not valid base64", "není platné base64"),
    (r"the header does not match the metadata's column", "záhlaví neodpovídá sloupci ve schématu"),
    (r"does not match the format (.*)", r"neodpovídá formátu \1"),
    (r"does not match the number pattern (.*)", r"neodpovídá vzoru čísla \1"),
    (
        r"duplicate primary key: row (\d+) has the same value",
        r"duplicitní primární klíč: řádek \1 má stejnou hodnotu",
    ),
    (r"has length (\d+), not (\d+)", r"má délku \1, ne \2"),
    (r"is longer than (\d+)", r"je delší než \1 znaků"),
    (r"is shorter than (\d+)", r"je kratší než \1 znaků"),
    (r"is not a valid (xsd:)?(\S+)", r"není platná hodnota typu \2"),
    (r"is not an integer \((.*)\)", r"není celé číslo (\1)"),
    (r"is out of the range of xsd:(\S+)", r"je mimo rozsah typu \1"),
    (r"has misplaced group characters (.*)", r"má špatně umístěné oddělovače tisíců \1"),
)
PROFILE = "data"


def validate_table(
    table: bytes, table_name: str, schema: bytes, *, territory: str | None = None
) -> Report:
    """The report of ``table`` (CSV bytes) against its CSVW ``schema`` (JSON bytes).

    ``territory``: the territorial codelist's source file, for the checks that a RÚIAN link
    names a unit of the right kind (None: those facts are not known, such links fail)."""
    try:
        metadata = json.loads(schema.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInput(f"the CSVW schema is not JSON: {exc}", where="schema") from None
    if not isinstance(metadata, dict):
        raise BadInput("the CSVW schema must be a JSON object", where="schema")
    name = _file_name(metadata, table_name)
    with tempfile.TemporaryDirectory(prefix="lod-validate-") as tmp:
        work = Path(tmp)
        csv_path = work / name
        csv_path.write_bytes(table)
        nt = work / "data.nt"
        problems = _convert(metadata, csv_path, nt, name)
        if problems is None:
            index = _index(territory)
            shapes = datashapes.shapes_for(metadata)
            problems = datacheck.check(nt, shapes, metadata, index=index, where=name)
        located = [_located(p, work, name) for p in problems]
    return Report(table_name, PROFILE, located)


def _file_name(metadata: dict, given: str) -> str:
    """The file name the schema's ``url`` gives the table (so that it resolves), else the
    uploaded name."""
    url = metadata.get("url")
    if not isinstance(url, str) and isinstance(metadata.get("tables"), list) and metadata["tables"]:
        url = metadata["tables"][0].get("url") if isinstance(metadata["tables"][0], dict) else None
    candidate = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) if isinstance(url, str) else ""
    candidate = candidate or Path(given).name or "data.csv"
    if candidate in (".", "..") or "/" in candidate or "\\" in candidate:
        return "data.csv"
    return candidate


def _convert(metadata: dict, csv_path: Path, nt: Path, name: str) -> list[Problem] | None:
    """Write the table's N-Triples; the conversion's problems instead, if it has any."""
    from .. import tabular

    warnings: list[str] = []
    try:
        with nt.open("wb") as out:
            for chunk in tabular.to_ntriples(
                metadata, csv_path=csv_path, warnings=warnings, chunks=True
            ):
                out.write(chunk)
    except ConversionFailed as exc:
        found = [replace(p, check=p.check or "csvw") for p in exc.problems]
        if exc.more:
            found.append(
                Problem(
                    f"… and {exc.more} more error(s) like these",
                    name,
                    message_cs=f"… a {exc.more} dalších podobných chyb",
                )
            )
        return found
    return None


def _index(territory: str | None):
    if territory is None:
        return None
    from ..territory import lookup

    return lookup.load(territory)


def _located(problem: Problem, work: Path, name: str) -> Problem:
    """Row and column from ``data.csv, row 3, column 'Kód obce'``; Czech where missing."""
    where = problem.where.replace(str(work / name), name).replace(str(work), "")
    problem = replace(problem, where=where)
    match = _PLACE.search(where)
    if match and problem.row is None:
        column = match["quoted"] or match["title"] or (match["bare"] or "").strip()
        problem = replace(problem, row=int(match["row"]), column=problem.column or column)
    return replace(
        problem,
        message_cs=problem.message_cs or czech(problem.message),
        hint_cs=problem.hint_cs or _czech_hint(problem.hint),
        check=problem.check or "data",
    )


def czech(message: str) -> str:
    for pattern, cs in CZECH:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, cs, message)
    return message


def _czech_hint(hint: str) -> str:
    """``expected xsd:integer (at least 0, less than 1000)`` and a few other hints."""
    if hint.startswith("expected "):
        text = hint.removeprefix("expected ")
        for en, cs in (
            (" in the format ", " ve formátu "),
            ("at least ", "nejméně "),
            ("at most ", "nejvýše "),
            ("less than ", "méně než "),
            ("more than ", "více než "),
            ("length at least ", "délka nejméně "),
            ("length at most ", "délka nejvýše "),
            ("length ", "délka "),
            ("(the column is required)", "(sloupec je povinný)"),
            (
                "a value no other row has (primaryKey)",
                "hodnota, kterou nemá žádný jiný řádek (primární klíč)",
            ),
        ):
            text = text.replace(en, cs)
        return "očekává se " + text
    return hint
