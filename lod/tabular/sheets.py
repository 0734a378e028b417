"""Spreadsheets (XLSX, XLS, ODS) read with python-calamine, cells turned into text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from lod.errors import BadInput

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def is_spreadsheet(path: Path) -> bool:
    """A table that is not CSV text: a spreadsheet, or a JSON array of records."""
    from .records import is_json_records

    return path.suffix.lower() in SPREADSHEET_SUFFIXES or is_json_records(path)


def cell_text(value) -> str:
    """Integers without ".0", dates and times in ISO 8601, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        return f"PT{int(seconds) if seconds.is_integer() else seconds}S"
    return str(value)


def sheet_rows(path: Path, sheet: str | int | None = None) -> tuple[str, Iterator[list[str]]]:
    """(sheet name, rows as lists of text) of the chosen sheet (default: the first)."""
    from python_calamine import CalamineWorkbook

    from .records import is_json_records, json_rows

    if is_json_records(path):
        return path.stem, json_rows(path)

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as e:  # calamine raises its own error types
        raise BadInput(
            f"cannot read the spreadsheet: {e}",
            where=str(path),
            hint="save it again as .xlsx or .ods, or export it as CSV",
        ) from e
    names = list(book.sheet_names)
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int) or (
        isinstance(sheet, str) and sheet.isdigit() and sheet not in names
    ):
        index = int(sheet)
        if not 0 <= index < len(names):
            raise BadInput(
                f"there is no sheet number {index} (the file has {len(names)})",
                where=str(path),
                hint=f"choose one of {names} (numbered from 0)",
            )
        name = names[index]
    else:
        if sheet not in names:
            raise BadInput(
                f"there is no sheet named {sheet!r}", where=str(path), hint=f"choose one of {names}"
            )
        name = sheet
    data = book.get_sheet_by_name(name)
    return name, ([cell_text(v) for v in row] for row in data.iter_rows())
