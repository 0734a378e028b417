"""JSON tables: an array of flat objects (as ArcGIS Hub and many Czech portals export them).

The header is every key in the order first seen; values become text the way a spreadsheet's
cells do (integers without ".0", booleans as true/false, null as empty, nested values as JSON).
The file is parsed whole by the json module, so its size is bounded by memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from lod.errors import BadInput

from .sheets import cell_text


def is_json_records(path: Path) -> bool:
    """A .json file whose first non-blank character opens an array."""
    if path.suffix.lower() != ".json":
        return False
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def json_rows(path: Path) -> Iterator[list[str]]:
    """The header, then one row per object."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"invalid JSON: {exc.msg}",
            where=f"{path}:{exc.lineno}:{exc.colno}",
            hint="fix the JSON syntax at that line and column",
        ) from None
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"not UTF-8 (byte {exc.start})", where=str(path), hint="save the JSON file as UTF-8"
        ) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise BadInput(
            "a JSON table must be an array of objects, one per row",
            where=str(path),
            hint='e.g. [{"kod_obce": "569810", "nazev": "Hradec Králové"}, …]',
        )
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)
    yield header
    for record in records:
        yield [_text(record.get(k)) for k in header]


def _text(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)
