"""Dates and times with UAX35 format patterns
(https://www.w3.org/TR/tabular-data-model/#formats-for-dates-and-times).

A pattern such as ``d.M.yyyy`` or ``yyyy-MM-ddTHH:mm:ss.SXXX`` compiles to a regular expression;
a match is turned into the XSD lexical form (``2024-02-01``, ``15:02:37.1-05:00``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

# Lexical spaces of the XSD date/time types (validated as such when no format is given),
# compiled when a column needs one (`lexical`: a command starts sooner).
_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_DATE = r"-?(?:[1-9]\d{3,}|0\d{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_TIME = r"(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?)"
LEXICAL = {
    "date": _DATE + _TZ,
    "time": _TIME + _TZ,
    "dateTime": _DATE + "T" + _TIME + _TZ,
    "dateTimeStamp": _DATE + "T" + _TIME + r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))",
    "gDay": r"---(?:0[1-9]|[12]\d|3[01])" + _TZ,
    "gMonth": r"--(?:0[1-9]|1[0-2])" + _TZ,
    "gMonthDay": r"--(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])" + _TZ,
    "gYear": r"-?(?:[1-9]\d{3,}|0\d{3})" + _TZ,
    "gYearMonth": r"-?(?:[1-9]\d{3,}|0\d{3})-(?:0[1-9]|1[0-2])" + _TZ,
}

_FIELDS = [  # longest first
    ("yyyy", r"(?P<year>-?\d{4})"),
    ("MM", r"(?P<month>\d{2})"),
    ("M", r"(?P<month>\d{1,2})"),
    ("dd", r"(?P<day>\d{2})"),
    ("d", r"(?P<day>\d{1,2})"),
    ("HH", r"(?P<hour>\d{2})"),
    ("H", r"(?P<hour>\d{1,2})"),
    ("mm", r"(?P<minute>\d{2})"),
    ("ss", r"(?P<second>\d{2})"),
    ("XXX", r"(?P<tz>Z|[+-]\d{2}:\d{2})"),
    ("XX", r"(?P<tz>Z|[+-]\d{4})"),
    ("X", r"(?P<tz>Z|[+-]\d{2}(?:\d{2})?)"),
    ("xxx", r"(?P<tz>[+-]\d{2}:\d{2})"),
    ("xx", r"(?P<tz>[+-]\d{4})"),
    ("x", r"(?P<tz>[+-]\d{2}(?:\d{2})?)"),
]


class DateFormatError(ValueError):
    pass


def compile_pattern(pattern: str) -> re.Pattern:
    """Regex for a UAX35 date/time pattern; unknown letters are an error."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "S":
            n = len(pattern[i:]) - len(pattern[i:].lstrip("S"))
            out.append(rf"(?P<fraction>\d{{1,{n}}})")
            i += n
            continue
        for token, regex in _FIELDS:
            if pattern.startswith(token, i) and not pattern.startswith(token + token[0], i):
                out.append(regex)
                i += len(token)
                break
        else:
            c = pattern[i]
            if c.isalpha() and c != "T":
                raise DateFormatError(f"unsupported date pattern letter {c!r} in {pattern!r}")
            out.append(re.escape(c))
            i += 1
    try:
        return re.compile("".join(out))
    except re.error as e:
        raise DateFormatError(f"invalid date pattern {pattern!r}: {e}") from None


def _tz(value: str | None) -> str:
    if not value:
        return ""
    if value == "Z":
        return "Z"
    sign, digits = value[0], value[1:].replace(":", "")
    hh, mm = digits[:2], digits[2:4] or "00"
    if int(hh) > 14 or int(mm) > 59:
        raise ValueError(f"bad time zone {value!r}")
    return f"{sign}{hh}:{mm}"


def format_parser(base: str, pattern: str):
    """A function from a string matching `pattern` to the XSD lexical form of `base`."""
    regex = compile_pattern(pattern)
    fields = set(regex.groupindex)
    if base == "date" and not {"year", "month", "day"} <= fields:
        raise DateFormatError(f"date pattern {pattern!r} lacks year, month or day")
    if base == "time" and "hour" not in fields:
        raise DateFormatError(f"time pattern {pattern!r} lacks hours")

    def parse(value: str) -> str:
        m = regex.fullmatch(value)
        if not m:
            raise ValueError(f"does not match the format {pattern!r}")
        g = m.groupdict()
        tz = _tz(g.get("tz"))
        date = time = ""
        if "year" in fields:
            y, mo, d = int(g["year"]), int(g.get("month") or 1), int(g.get("day") or 1)
            dt.date(y if y > 0 else 2000, mo, d)  # raises ValueError for 31.2.
            date = f"{'-' if y < 0 else ''}{abs(y):04d}-{mo:02d}-{d:02d}"
        if "hour" in fields:
            h, mi, s = int(g["hour"]), int(g.get("minute") or 0), int(g.get("second") or 0)
            if h > 23 or mi > 59 or s > 59:
                raise ValueError("time out of range")
            time = f"{h:02d}:{mi:02d}:{s:02d}"
            if g.get("fraction"):
                time += "." + g["fraction"]
        if base == "date":
            return date + tz
        if base == "time":
            return time + tz
        return f"{date}T{time or '00:00:00'}{tz}"

    return parse


@functools.cache
def lexical(base: str) -> re.Pattern | None:
    pattern = LEXICAL.get(base)
    return None if pattern is None else re.compile(pattern)


def check_lexical(base: str, value: str) -> str:
    regex = lexical(base)
    if regex and not regex.fullmatch(value):
        raise ValueError(f"is not a valid xsd:{base}")
    if base in ("date", "dateTime", "dateTimeStamp"):
        m = re.match(r"(-?\d{4,})-(\d{2})-(\d{2})", value)
        y = int(m.group(1))
        dt.date(y if 0 < y < 10000 else 2000, int(m.group(2)), int(m.group(3)))
    return value


def sort_key(base: str, lexical: str):
    """A comparable value for minimum/maximum constraints (time zones ignored; years of four
    digits, so that the lexical forms sort like the values)."""
    return re.sub(r"(Z|[+-]\d{2}:\d{2})$", "", lexical)
