"""Guess the encoding, delimiter and line ends of a delimited text file from a sample.

Czech files come as UTF-8 (often with a BOM) or Windows-1250; ISO-8859-2 is recognised when
its bytes for š, ť, ž, Š, Ť, Ž appear and no Windows-1250-only byte does; UTF-16 (what Excel
saves as "Unicode text": a BOM, tabs) by its BOM, or without one by its NUL bytes.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadInput
from .dialect import Dialect

SAMPLE = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_CP1250_ONLY = set(range(0x80, 0xA0))  # C1 controls in ISO-8859-2, letters in Windows-1250
_LATIN2_LETTERS = {0xA9, 0xAB, 0xAE, 0xB9, 0xBB, 0xBE}  # Š Ť Ž š ť ž in ISO-8859-2


@dataclass
class Sniffed:
    dialect: Dialect
    bom: bool = False
    notes: list[str] = field(default_factory=list)


def sniff_encoding(sample: bytes) -> tuple[str, bool]:
    """(Python codec name, has a BOM)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", True
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True  # Excel's "Unicode text"; the codec reads the byte order
    if (order := _utf16_order(sample)) is not None:
        return f"utf-16-{order}", False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    high = {b for b in sample if b >= 0x80}
    if high & _LATIN2_LETTERS and not high & _CP1250_ONLY:
        return "iso-8859-2", False
    return "windows-1250", False


def _utf16_order(sample: bytes) -> str | None:
    """The byte order ("le" or "be") of UTF-16 text without a BOM (one of each two bytes of
    its ASCII characters is NUL, which no 8-bit or UTF-8 table has); None for anything else."""
    even, odd = sample[0:4096:2], sample[1:4096:2]
    if len(odd) < 4:
        return None
    if odd.count(0) >= len(odd) // 2 and not even.count(0):
        return "le"
    if even.count(0) >= len(even) // 2 and not odd.count(0):
        return "be"
    return None


def sniff_delimiter(text: str) -> str:
    """The candidate giving the most consistent field count (> 1) over the sample's records."""
    lines = _LINES.findall(text)
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut
    best, best_score = ",", (0.0, 0)
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts:
            continue
        width, hits = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (hits / len(counts), width)
        if score > best_score:
            best, best_score = delim, score
    return best


def sniff_line_terminator(text: str) -> list[str] | None:
    """None when the CSVW default (CRLF or LF) fits."""
    if "\n" not in text and "\r" in text:
        return ["\r"]
    return None


# files that are not tables of text, by their first bytes: what they are, and the fix
_NOT_TEXT = (
    (
        b"PK\x03\x04",
        "a ZIP file: an XLSX or ODS workbook under the wrong suffix?",
        "give it its real suffix (.xlsx or .ods): lod reads workbooks too (--sheet chooses "
        "the sheet)",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (or another OLE2 document)",
        "give it the suffix .xls: lod reads workbooks too (--sheet chooses the sheet)",
    ),
    (b"%PDF-", "a PDF document", "export the table from its source as CSV, XLSX or ODS"),
)


def sniff(path: Path) -> Sniffed:
    with open(path, "rb") as f:
        sample = f.read(SAMPLE)
    for magic, what, hint in _NOT_TEXT:
        if sample.startswith(magic):
            raise BadInput(f"this is not a table of text but {what}", where=str(path), hint=hint)
    encoding, bom = sniff_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if bom:
        text = text.lstrip("\ufeff")
    dialect = Dialect(encoding=encoding, delimiter=sniff_delimiter(text))
    if terminators := sniff_line_terminator(text):
        dialect.line_terminators = terminators
    notes = [f"encoding {encoding}{' with BOM' if bom else ''}", f"delimiter {dialect.delimiter!r}"]
    return Sniffed(dialect, bom, notes)
