"""CSVW datatypes (https://www.w3.org/TR/tabular-metadata/#datatypes) and cell value parsing
(https://www.w3.org/TR/tabular-data-model/#parsing-cells).

`Datatype` compiles a column's datatype description once; `parse` turns a cell string into
the lexical form written to RDF (canonical for numbers, booleans and formatted dates) or
raises ValueError with the reason.
"""

from __future__ import annotations

import functools
import re

from . import dates, numbers
from .ntriples import CSVW, RDF, XSD

ALIASES = {
    "number": "double",
    "binary": "base64Binary",
    "datetime": "dateTime",
    "any": "anyAtomicType",
}
SPECIAL_IRIS = {"xml": RDF + "XMLLiteral", "html": RDF + "HTML", "json": CSVW + "JSON"}
BUILTIN = {
    "anyAtomicType",
    "anyURI",
    "base64Binary",
    "boolean",
    "date",
    "dateTime",
    "dateTimeStamp",
    "dayTimeDuration",
    "decimal",
    "double",
    "duration",
    "float",
    "gDay",
    "gMonth",
    "gMonthDay",
    "gYear",
    "gYearMonth",
    "hexBinary",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "normalizedString",
    "QName",
    "string",
    "time",
    "token",
    "yearMonthDuration",
    "xml",
    "html",
    "json",
    *numbers.INTEGER_TYPES,
    "number",
    "binary",
    "datetime",
    "any",
}
# Values of these keep their whitespace; normalizedString only has it replaced by spaces.
KEEP_SPACE = {"string", "json", "xml", "html", "anyAtomicType"}
STRING_FAMILY = {
    "string",
    "normalizedString",
    "token",
    "language",
    "Name",
    "NCName",
    "NMTOKEN",
    "QName",
    "anyURI",
    "xml",
    "html",
    "json",
    "anyAtomicType",
}
BINARY = {"base64Binary", "hexBinary"}
DURATIONS = {"duration", "dayTimeDuration", "yearMonthDuration"}

# compiled when a column needs one (`_lexical`: a command starts sooner)
_LEXICAL = {
    "language": r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*",
    "NMTOKEN": r"[\w.:-]+",
    "Name": r"[^\W\d.-][\w.:-]*",
    "NCName": r"[^\W\d.-][\w.-]*",
    "QName": r"(?:[^\W\d.-][\w.-]*:)?[^\W\d.-][\w.-]*",
    "token": r"(?:\S+(?: \S+)*)?",
    "hexBinary": r"(?:[0-9a-fA-F]{2})*",
    "base64Binary": r"[A-Za-z0-9+/= ]*",
    "duration": (
        r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?"
        r"(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
    ),
    "dayTimeDuration": (
        r"-?P(?=\d|T\d)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?"
        r"(?:\d+(?:\.\d+)?S)?)?"
    ),
    "yearMonthDuration": r"-?P(?=\d)(?:\d+Y)?(?:\d+M)?",
}
_BOOLEAN = {"true": "true", "1": "true", "false": "false", "0": "false"}
_CONSTRAINTS = (
    "minimum",
    "maximum",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "length",
    "minLength",
    "maxLength",
)


_FORMAT_KEYS = ("pattern", "decimalChar", "groupChar")
_LIMITS = {
    "length": "length",
    "minLength": "length at least",
    "maxLength": "length at most",
    "minimum": "at least",
    "minInclusive": "at least",
    "minExclusive": "more than",
    "maximum": "at most",
    "maxInclusive": "at most",
    "maxExclusive": "less than",
}


class DatatypeError(ValueError):
    """The datatype description itself is unusable."""


def base_name(desc) -> str:
    if isinstance(desc, str):
        return ALIASES.get(desc, desc)
    if isinstance(desc, dict):
        return ALIASES.get(desc.get("base", "string"), desc.get("base", "string"))
    return "string"


class Datatype:
    def __init__(self, desc=None, warnings: list[str] | None = None, where: str = ""):
        self.warnings = warnings if warnings is not None else []
        desc = {"base": desc} if isinstance(desc, str) else dict(desc or {})
        base = ALIASES.get(desc.get("base", "string"), desc.get("base", "string"))
        if base not in BUILTIN:
            self.warnings.append(f"{where}: unknown datatype base {base!r}; using string")
            base = "string"
        self.base = base
        self.iri = SPECIAL_IRIS.get(base, XSD + base)
        if isinstance(desc.get("@id"), str):
            self.iri = desc["@id"]
        self.keep_space = base in KEEP_SPACE
        self.lang_capable = self.iri == XSD + "string"
        self.fmt = desc.get("format")
        self._parse = self._compile(where)
        self._bounds = self._compile_bounds(desc, where)
        self.desc_bounds = {k: desc[k] for k in _LIMITS if k in desc}
        # Lexical forms of these never need N-Triples escaping.
        self.plain_lexical = (
            base in numbers.NUMERIC_TYPES
            or base in dates.LEXICAL
            or base in ("boolean", "hexBinary", "duration", "dayTimeDuration", "yearMonthDuration")
        )
        self.fast = self._fast()

    # -- compilation ---------------------------------------------------------------------
    def _compile(self, where):
        base, fmt = self.base, self.fmt
        if base in numbers.NUMERIC_TYPES:
            if isinstance(fmt, str):
                fmt = {"pattern": fmt}
            fmt = fmt if isinstance(fmt, dict) else None
            if fmt and fmt.get("pattern"):
                try:
                    numbers.compile_pattern(
                        fmt["pattern"], fmt.get("decimalChar", "."), fmt.get("groupChar") or ","
                    )
                except numbers.NumberFormatError as e:
                    self.warnings.append(f"{where}: {e}; the format is ignored")
                    fmt = {k: v for k, v in fmt.items() if k != "pattern"}
            self.number_format = fmt
            return self._parse_number
        if base == "boolean":
            if isinstance(fmt, str) and fmt.count("|") == 1:
                true, false = fmt.split("|")
                table = {true: "true", false: "false"}
            else:
                if fmt is not None:
                    self.warnings.append(f"{where}: boolean format {fmt!r} is not 'T|F'; ignored")
                table = _BOOLEAN
            return lambda v: _lookup(table, v, "is not a boolean")
        if base in dates.LEXICAL:
            if isinstance(fmt, str):
                try:
                    return dates.format_parser(base, fmt)
                except dates.DateFormatError as e:
                    self.warnings.append(f"{where}: {e}; the format is ignored")
            return lambda v: dates.check_lexical(base, v)
        regex = None
        if isinstance(fmt, str):
            try:
                regex = re.compile(fmt)
            except re.error:
                self.warnings.append(f"{where}: format {fmt!r} is not a regular expression")
        lexical = _lexical(base)

        def parse(value):
            if lexical is not None and not lexical.fullmatch(value):
                raise ValueError(f"is not a valid xsd:{base}")
            if regex is not None and not regex.search(value):
                raise ValueError(f"does not match the format {fmt!r}")
            return value

        return parse

    def _compile_bounds(self, desc, where):
        bounds = {}
        for key in _CONSTRAINTS:
            if key not in desc:
                continue
            value = desc[key]
            if key.endswith("ength"):
                if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                    bounds[key] = value
                else:
                    self.warnings.append(f"{where}: {key} {value!r} is not a length; ignored")
                continue
            try:
                bounds[key] = self._key(str(value))
            except (ValueError, TypeError):
                self.warnings.append(f"{where}: {key} {value!r} is not a valid {self.base}")
        if "minimum" in bounds:
            bounds.setdefault("minInclusive", bounds.pop("minimum"))
        if "maximum" in bounds:
            bounds.setdefault("maxInclusive", bounds.pop("maximum"))
        return bounds

    @property
    def bounds(self) -> dict:
        """Comparable constraint values: length, minLength, maxLength, min/maxIn/Exclusive."""
        return self._bounds

    def describe(self) -> str:
        """What a valid value looks like, for people ("xsd:date in the format d.M.yyyy")."""
        text = f"xsd:{self.base}" if self.iri.startswith(XSD) else f"<{self.iri}>"
        fmt = self.fmt
        if isinstance(fmt, dict):
            parts = [f"{k} {v!r}" for k, v in fmt.items() if k in _FORMAT_KEYS]
            if parts:
                text += " with " + ", ".join(parts)
        elif isinstance(fmt, str):
            text += f" in the format {fmt!r}"
        limits = [f"{_LIMITS[k]} {v}" for k, v in self.desc_bounds.items()]
        if limits:
            text += " (" + ", ".join(limits) + ")"
        return text

    def _fast(self):
        """The quickest equivalent of `parse` for the common cases (None: keep the value)."""
        if self._bounds:
            return self.parse
        if self.base in ("string", "anyAtomicType") and self.fmt is None:
            return None
        fmt = getattr(self, "number_format", None) or {}
        if self.base in numbers.INTEGER_TYPES and not fmt:
            return numbers.integer_parser(self.base)
        if self.base == "decimal" and not fmt.get("pattern"):
            return numbers.decimal_parser(
                fmt.get("decimalChar", "."), fmt.get("groupChar"), self._parse
            )
        return self.parse

    # -- parsing -------------------------------------------------------------------------
    def _parse_number(self, value: str) -> str:
        number = numbers.parse_number(value, self.base, self.number_format)
        return numbers.canonical(number, self.base, value, bool(self.number_format))

    def _key(self, lexical: str):
        if self.base in numbers.NUMERIC_TYPES:
            return numbers.parse_number(lexical, self.base, None)
        return dates.sort_key(self.base, self._parse(lexical))

    def normalize(self, value: str) -> str:
        """Whitespace handling before null/default checks (tabular data model 6.4 steps 1-2)."""
        if self.keep_space:
            return value
        if "\n" in value or "\r" in value or "\t" in value:
            value = value.replace("\r", " ").replace("\n", " ").replace("\t", " ")
        if self.base == "normalizedString":
            return value
        return value.strip()

    def parse(self, value: str) -> str:
        lexical = self._parse(value)
        if self._bounds:
            self._check(value, lexical)
        return lexical

    def _check(self, value, lexical):
        b = self._bounds
        if any(k in b for k in ("length", "minLength", "maxLength")):
            size = _length(self.base, lexical)
            if "length" in b and size != b["length"]:
                raise ValueError(f"has length {size}, not {b['length']}")
            if "minLength" in b and size < b["minLength"]:
                raise ValueError(f"is shorter than {b['minLength']}")
            if "maxLength" in b and size > b["maxLength"]:
                raise ValueError(f"is longer than {b['maxLength']}")
        if any(k in b for k in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive")):
            key = (
                numbers.parse_number(lexical, self.base, None)
                if self.base in numbers.NUMERIC_TYPES
                else dates.sort_key(self.base, lexical)
            )
            if isinstance(key, float) and key != key:
                return
            if "minInclusive" in b and key < b["minInclusive"]:
                raise ValueError("is less than the minimum")
            if "maxInclusive" in b and key > b["maxInclusive"]:
                raise ValueError("is greater than the maximum")
            if "minExclusive" in b and key <= b["minExclusive"]:
                raise ValueError("is not greater than minExclusive")
            if "maxExclusive" in b and key >= b["maxExclusive"]:
                raise ValueError("is not less than maxExclusive")


def _lookup(table: dict, value: str, message: str) -> str:
    try:
        return table[value]
    except KeyError:
        raise ValueError(message) from None


@functools.cache
def _lexical(base: str) -> re.Pattern | None:
    pattern = _LEXICAL.get(base)
    return None if pattern is None else re.compile(pattern)


def _length(base: str, lexical: str) -> int:
    if base == "hexBinary":
        return len(lexical) // 2
    if base == "base64Binary":
        import base64  # here: few tables have binary columns

        try:
            return len(base64.b64decode(lexical.replace(" ", ""), validate=True))
        except ValueError:  # binascii.Error too
            raise ValueError("is not valid base64") from None
    return len(lexical)
