"""CSVW dialect descriptions (https://www.w3.org/TR/tabular-metadata/#dialect-descriptions).

`Dialect` is the normalised form used by the reader; `from_json` accepts a metadata document's
"dialect" object (with the spec's defaults), `to_json` writes back only what differs from them.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, fields

from lod.errors import BadInput

# WHATWG encoding labels (as CSVW uses them) for the Python codecs we emit.
_LABELS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "cp1250": "windows-1250",
    "iso8859-2": "iso-8859-2",
    "cp1252": "windows-1252",
    "latin-1": "iso-8859-1",
    "iso8859-1": "iso-8859-1",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
}


def encoding_label(name: str) -> str:
    """The CSVW/WHATWG label of a Python codec name (``cp1250`` -> ``windows-1250``)."""
    canonical = codecs.lookup(name).name
    return _LABELS.get(canonical, canonical)


@dataclass
class Dialect:
    encoding: str = "utf-8"
    line_terminators: list[str] = field(default_factory=lambda: ["\r\n", "\n"])
    quote_char: str | None = '"'
    double_quote: bool = True
    skip_rows: int = 0
    # null by the WG erratum of 2016-02-03 (w3c/csvw#801); the Recommendation text says "#"
    comment_prefix: str | None = None
    header_row_count: int = 1
    delimiter: str = ","
    skip_columns: int = 0
    skip_blank_rows: bool = False
    skip_initial_space: bool = False
    trim: bool | str = True  # True, False, "start" or "end"

    # JSON key of each field, in the spec's spelling.
    KEYS = {
        "encoding": "encoding",
        "line_terminators": "lineTerminators",
        "quote_char": "quoteChar",
        "double_quote": "doubleQuote",
        "skip_rows": "skipRows",
        "comment_prefix": "commentPrefix",
        "header_row_count": "headerRowCount",
        "delimiter": "delimiter",
        "skip_columns": "skipColumns",
        "skip_blank_rows": "skipBlankRows",
        "skip_initial_space": "skipInitialSpace",
        "trim": "trim",
    }

    @property
    def header(self) -> bool:
        return self.header_row_count > 0

    @property
    def escape_char(self) -> str | None:
        """doubleQuote false means quotes are escaped with a backslash (the spec's reading)."""
        return None if self.double_quote else "\\"

    @property
    def codec(self) -> str:
        return codecs.lookup(self.encoding).name

    @classmethod
    def from_json(
        cls, data: dict | None, *, where: str = "dialect", warnings: list[str] | None = None
    ) -> Dialect:
        """Read a CSVW dialect object; invalid values fall back to defaults with a warning."""
        d = cls()
        if not data:
            return d
        if not isinstance(data, dict):
            _warn(warnings, f"{where}: dialect must be an object; using the defaults")
            return d

        def num(key, minimum=0):
            v = data[key]
            if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
                _warn(warnings, f"{where}: {key} {v!r} is not an integer >= {minimum}; ignored")
                return None
            return v

        def flag(key):
            v = data[key]
            if not isinstance(v, bool):
                _warn(warnings, f"{where}: {key} {v!r} is not a boolean; ignored")
                return None
            return v

        if "encoding" in data:
            try:
                codecs.lookup(str(data["encoding"]))
                d.encoding = str(data["encoding"])
            except LookupError:
                _warn(warnings, f"{where}: unknown encoding {data['encoding']!r}; using utf-8")
        if "lineTerminators" in data:
            lt = data["lineTerminators"]
            if isinstance(lt, str) or isinstance(lt, list) and all(isinstance(x, str) for x in lt):
                d.line_terminators = [lt] if isinstance(lt, str) else list(lt)
            else:
                _warn(warnings, f"{where}: lineTerminators {lt!r} is not a string; ignored")
        if "quoteChar" in data:
            q = data["quoteChar"]
            if q is None or isinstance(q, str) and len(q) <= 1:
                d.quote_char = q or None
            else:
                _warn(warnings, f"{where}: quoteChar {q!r} is not a character; ignored")
        if "doubleQuote" in data and (v := flag("doubleQuote")) is not None:
            d.double_quote = v
        if "skipRows" in data and (v := num("skipRows")) is not None:
            d.skip_rows = v
        if "commentPrefix" in data:
            c = data["commentPrefix"]
            if c is None or isinstance(c, str):
                d.comment_prefix = c or None
            else:
                _warn(warnings, f"{where}: commentPrefix {c!r} is not a string; ignored")
        if "header" in data and (v := flag("header")) is not None:
            d.header_row_count = 1 if v else 0
        if "headerRowCount" in data and (v := num("headerRowCount")) is not None:
            d.header_row_count = v
        if "delimiter" in data:
            v = data["delimiter"]
            if isinstance(v, str) and len(v) == 1:
                d.delimiter = v
            else:
                _warn(warnings, f"{where}: delimiter {v!r} is not a single character; using ','")
        if "skipColumns" in data and (v := num("skipColumns")) is not None:
            d.skip_columns = v
        if "skipBlankRows" in data and (v := flag("skipBlankRows")) is not None:
            d.skip_blank_rows = v
        if "skipInitialSpace" in data and (v := flag("skipInitialSpace")) is not None:
            d.skip_initial_space = v
        if "trim" in data:
            v = data["trim"]
            v = {"true": True, "false": False}.get(v, v) if isinstance(v, str) else v
            if isinstance(v, bool) or v in ("start", "end"):
                d.trim = v
            else:
                _warn(warnings, f"{where}: trim {v!r} is not true, false, start or end; ignored")
        return d

    def to_json(self) -> dict:
        """The CSVW dialect object: only the properties that differ from the defaults."""
        default = Dialect()
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[self.KEYS[f.name]] = value
        if "encoding" in out:
            out["encoding"] = encoding_label(self.encoding)
        if out.get("headerRowCount") == 0:
            del out["headerRowCount"]
            out["header"] = False
        return out


def _warn(warnings, text):
    if warnings is None:
        raise BadInput(text, hint="fix the dialect description in the CSVW metadata")
    warnings.append(text)
