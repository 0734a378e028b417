"""Numbers with formats (https://www.w3.org/TR/tabular-data-model/#formats-for-numeric-types).

A numeric format is ``{"pattern": UAX35 pattern, "decimalChar": ..., "groupChar": ...}``; with no
pattern the parser accepts signs, group characters, the decimal character, exponents and a
trailing or leading ``%``/``‰``. Values come back as `Decimal` (or float for NaN/INF).
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

INTEGER_TYPES = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
}
FLOAT_TYPES = {"double", "float", "number"}
NUMERIC_TYPES = set(INTEGER_TYPES) | FLOAT_TYPES | {"decimal"}

_SPECIAL = {"NaN": float("nan"), "INF": float("inf"), "-INF": float("-inf"), "+INF": float("inf")}


class NumberFormatError(ValueError):
    pass


def _digits_regex(int_part: str, frac_part: str, group: str, exp_part: str) -> str:
    g = re.escape(group)
    int_digits = int_part.replace(",", "")
    min_int = int_digits.count("0")
    commas = [i for i, c in enumerate(int_part) if c == ","]
    if commas:
        primary = len(int_part) - commas[-1] - 1
        secondary = commas[-1] - commas[-2] - 1 if len(commas) > 1 else primary
        if primary <= 0 or secondary <= 0:
            raise NumberFormatError(f"invalid grouping in {int_part!r}")
        grouped = rf"\d{{1,{secondary}}}(?:{g}\d{{{secondary}}})*{g}\d{{{primary}}}"
        integer = rf"(?:{grouped}|\d{{1,{primary}}})"
        if min_int > 1:  # at least min_int digits, wherever the group characters are
            integer = rf"(?=(?:\d{g}?){{{min_int}}}){integer}"
    elif exp_part is not None:  # scientific: the pattern fixes the integer digits
        integer = rf"\d{{{min_int},{len(int_digits)}}}"
    else:
        integer = rf"\d{{{max(min_int, 1)},}}" if min_int else r"\d*"
    regex = integer
    if frac_part is not None:
        frac_digits = frac_part.replace(",", "")
        min_f, max_f = frac_digits.count("0"), len(frac_digits)
        if "," in frac_part:
            size = frac_part.index(",")
            # allow any prefix of the grouped fraction, at least min_f digits long
            alts = []
            for n in range(max(min_f, 1), max_f + 1):
                full, rest = divmod(n, size)
                parts = [rf"\d{{{size}}}"] * full + ([rf"\d{{{rest}}}"] if rest else [])
                alts.append(g.join(parts))
            frac = "(?:" + "|".join(sorted(alts, key=len, reverse=True)) + ")"
        else:
            frac = rf"\d{{{max(min_f, 1)},{max_f}}}"
        regex += rf"(?:DECIMAL{frac})" + ("" if min_f else "?")
    if exp_part is not None:
        regex += rf"(?:E[+-]?\d{{{max(exp_part.count('0'), 1)},}})"
    return regex


def _check_groups(text: str, group: str, decimal: str) -> None:
    """Group characters only between digits of the integer part."""
    whole = text.split(decimal)[0].lstrip("+-")
    if group * 2 in whole or whole.startswith(group) or whole.endswith(group):
        raise ValueError(f"has misplaced group characters {group!r}")


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str, decimal: str, group: str) -> re.Pattern:
    """A regex for a UAX35 number pattern; group named `n` holds the number (with chars)."""
    pattern = pattern.split(";")[0]
    m = re.fullmatch(r"([^#0,.E]*)([#0,]*)(?:\.([#0,]*))?(?:E(\+?[#0]+))?([^#0,.E]*)", pattern)
    if not m or not m.group(2) and not m.group(3):
        raise NumberFormatError(f"invalid number pattern {pattern!r}")
    prefix, int_part, frac_part, exp_part, suffix = m.groups()
    if (
        re.search(r"0[#]", int_part.replace(",", ""))
        or frac_part
        and re.search(r"#0", frac_part.replace(",", ""))
    ):
        raise NumberFormatError(f"invalid number pattern {pattern!r}")
    body = _digits_regex(int_part, frac_part, ",", exp_part)
    body = body.replace(re.escape(","), "GROUP").replace("DECIMAL", re.escape(decimal))
    body = body.replace("GROUP", re.escape(group))

    def affix(text):
        out = ""
        for c in text:
            out += "[+-]?" if c in "+-" else re.escape(c)
        return out

    sign = "" if "+" in prefix + suffix or "-" in prefix + suffix else "[+-]?"
    return re.compile(affix(prefix) + sign + "(?P<n>" + body + ")" + affix(suffix))


def parse_number(value: str, base: str, fmt: dict | None) -> Decimal | float:
    """The numeric value of `value`, or ValueError saying why it is not a number."""
    fmt = fmt or {}
    decimal, group = fmt.get("decimalChar", "."), fmt.get("groupChar")
    pattern = fmt.get("pattern")
    if pattern and not group and "," in pattern:
        group = ","  # a pattern's grouping implies the default group character
    text = value
    if base in FLOAT_TYPES and text in _SPECIAL:
        return _SPECIAL[text]
    scale = 1
    if pattern:
        regex = compile_pattern(pattern, decimal, group or ",")
        if not regex.fullmatch(text):
            raise ValueError(f"does not match the number pattern {pattern!r}")
    if "%" in text:
        scale, text = 100, text.replace("%", "", 1)
    elif "\u2030" in text:
        scale, text = 1000, text.replace("\u2030", "", 1)
    if group and group in text:
        _check_groups(text, group, decimal)
        text = text.replace(group, "")
    if decimal != ".":
        if "." in text:
            raise ValueError("contains '.' but the decimal character is " + repr(decimal))
        text = text.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", text):
        raise ValueError(f"is not a valid {base}")
    if base not in FLOAT_TYPES and "e" in text.lower() and not pattern:
        raise ValueError(f"exponents are not allowed in xsd:{base}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"is not a valid {base}") from None
    if scale != 1:
        number = number / scale
    if base in INTEGER_TYPES:
        if number != number.to_integral_value():
            raise ValueError(f"is not an integer ({base})")
        low, high = INTEGER_TYPES[base]
        if low is not None and number < low or high is not None and number > high:
            raise ValueError(f"is out of the range of xsd:{base}")
    return number


def canonical(number: Decimal | float, base: str, original: str, formatted: bool) -> str:
    """The lexical form written to RDF (canonical for integers and decimals)."""
    if isinstance(number, float):
        return {"nan": "NaN", "inf": "INF", "-inf": "-INF"}[repr(number)]
    if base in INTEGER_TYPES:
        return str(int(number))
    if base == "decimal":
        return format(number.normalize(), "f") if number else "0"
    # double/float: keep a valid lexical form as given, else a computed one
    if not formatted and re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", original):
        return original
    return repr(float(number)).replace("e", "E")


_ASCII_INT = re.compile(r"[+-]?[0-9]+")
_PLAIN_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")


def integer_parser(base: str):
    """Fast parser of plain integers (no format) to their canonical form."""
    low, high = INTEGER_TYPES[base]

    def parse(value: str) -> str:
        if not _ASCII_INT.fullmatch(value):
            raise ValueError(f"is not a valid {base}")
        number = int(value)
        if low is not None and number < low or high is not None and number > high:
            raise ValueError(f"is out of the range of xsd:{base}")
        return str(number)

    return parse


def decimal_parser(decimal: str, group: str | None, fallback):
    """Fast parser of decimals with decimalChar/groupChar (no pattern) to canonical form;
    values with %, ‰ or exponents go to `fallback`."""

    def parse(value: str) -> str:
        if group and group in value:
            _check_groups(value, group, decimal)
            text = value.replace(group, "")
        else:
            text = value
        if decimal != ".":
            if "." in text:
                raise ValueError("contains '.' but the decimal character is " + repr(decimal))
            text = text.replace(decimal, ".")
        m = _PLAIN_DECIMAL.fullmatch(text)
        if not m or not (m.group(2) or m.group(3)):
            return fallback(value)
        sign, whole, frac = m.groups()
        whole = whole.lstrip("0") or "0"
        frac = (frac or "").rstrip("0")
        text = whole + "." + frac if frac else whole
        return "-" + text if sign == "-" and text != "0" else text

    return parse
