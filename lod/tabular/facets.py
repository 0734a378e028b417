"""Consistency of a datatype description's constraints
(https://www.w3.org/TR/tabular-metadata/#datatypes): the combinations the spec says
applications MUST raise an error for.
"""

from __future__ import annotations

from . import dates, numbers
from .datatypes import ALIASES, BINARY, BUILTIN, DURATIONS, SPECIAL_IRIS, STRING_FAMILY, Datatype
from .ntriples import XSD

LENGTHS = ("length", "minLength", "maxLength")
BOUNDS = ("minimum", "maximum", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive")
ORDERED = numbers.NUMERIC_TYPES | set(dates.LEXICAL) | DURATIONS
BUILTIN_IRIS = {XSD + name for name in BUILTIN} | set(SPECIAL_IRIS.values())


def datatype_errors(desc: dict) -> list[str]:
    """What is wrong with a datatype object, as messages (empty: nothing)."""
    base = desc.get("base", "string")
    base = ALIASES.get(base, base) if isinstance(base, str) else "string"
    out = []
    if isinstance(desc.get("@id"), str) and desc["@id"] in BUILTIN_IRIS:
        out.append(f"@id {desc['@id']!r} is a built-in datatype; use base instead")
    lengths = [k for k in LENGTHS if k in desc]
    if lengths and base in BUILTIN and base not in STRING_FAMILY | BINARY:
        out.append(f"{', '.join(lengths)} cannot constrain {base} (only strings and binary)")
    for key in lengths:
        value = desc[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            out.append(f"{key} must be a non-negative integer, not {value!r}")
    bounds = [k for k in BOUNDS if k in desc]
    if bounds and base in BUILTIN and base not in ORDERED:
        out.append(f"{', '.join(bounds)} cannot constrain {base} (only numbers, dates, times)")
    if out:
        return out
    length, low, high = (desc.get(k) for k in LENGTHS)
    if length is not None and low is not None and length < low:
        out.append(f"length {length} is less than minLength {low}")
    if length is not None and high is not None and length > high:
        out.append(f"length {length} is greater than maxLength {high}")
    if low is not None and high is not None and low > high:
        out.append(f"minLength {low} is greater than maxLength {high}")
    has = {k for k in BOUNDS if k in desc}
    if has & {"minimum", "minInclusive"} and "minExclusive" in has:
        out.append("minInclusive (minimum) and minExclusive cannot both be given")
    if has & {"maximum", "maxInclusive"} and "maxExclusive" in has:
        out.append("maxInclusive (maximum) and maxExclusive cannot both be given")
    if out or not has:
        return out
    b = Datatype(desc, []).bounds  # comparable values (invalid ones are warnings elsewhere)
    lo_in, hi_in = b.get("minInclusive"), b.get("maxInclusive")
    lo_ex, hi_ex = b.get("minExclusive"), b.get("maxExclusive")
    if lo_in is not None and hi_in is not None and hi_in < lo_in:
        out.append("maxInclusive is less than minInclusive")
    if lo_in is not None and hi_ex is not None and hi_ex <= lo_in:
        out.append("maxExclusive is not greater than minInclusive")
    if lo_ex is not None and hi_ex is not None and hi_ex < lo_ex:
        out.append("maxExclusive is less than minExclusive")
    if lo_ex is not None and hi_in is not None and hi_in <= lo_ex:
        out.append("maxInclusive is not greater than minExclusive")
    return out
