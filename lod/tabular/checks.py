"""Checks of metadata property values (https://www.w3.org/TR/tabular-metadata/#property-syntax).

An invalid value is reported and treated as if the property were absent, as the spec says
for inherited and column properties.
"""

from __future__ import annotations

import functools
import re

# BCP 47 language tags (RFC 5646 section 2.1), case-insensitive.
_AN = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language (with extlangs)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_AN}{{5,8}}|[0-9]{_AN}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_AN}{{2,8}})+)*"  # extensions
    rf"(?:-x(?:-{_AN}{{1,8}})+)?"  # private use
)
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn"
    "|i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn"
    "|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANG = rf"{_LANGTAG}|x(?:-{_AN}{{1,8}})+|{_GRANDFATHERED}"
TEMPLATES = ("aboutUrl", "propertyUrl", "valueUrl")


def language_tag(value) -> bool:
    """True for a well-formed BCP 47 language tag."""
    if not isinstance(value, str):
        return False
    if 2 <= len(value) <= 8 and value.isascii() and value.isalpha():  # "cs": a language
        return True
    return bool(_language_tags().fullmatch(value))


@functools.cache
def _language_tags() -> re.Pattern:
    """The grammar, compiled when a tag needs it (5 ms: a command starts sooner without)."""
    return re.compile(_LANG, re.IGNORECASE)


NAME = re.compile(r"(?:[A-Za-z0-9]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_.]|%[0-9A-Fa-f]{2})*")


def _string(v):
    return isinstance(v, str)


def _strings(v):
    return isinstance(v, str) or isinstance(v, list) and all(isinstance(x, str) for x in v)


CHECKS = {
    "aboutUrl": _string,
    "propertyUrl": _string,
    "valueUrl": _string,
    "datatype": lambda v: isinstance(v, (str, dict)),
    "default": _string,
    "lang": language_tag,
    "null": lambda v: isinstance(v, (str, list)),
    "ordered": lambda v: isinstance(v, bool),
    "required": lambda v: isinstance(v, bool),
    "separator": lambda v: v is None or isinstance(v, str),
    "textDirection": lambda v: v in ("ltr", "rtl", "auto", "inherit"),
    "tableDirection": lambda v: v in ("ltr", "rtl", "auto"),
    "suppressOutput": lambda v: isinstance(v, bool),
    "virtual": lambda v: isinstance(v, bool),
    "name": lambda v: isinstance(v, str) and bool(NAME.fullmatch(v)),
}


def valid(obj: dict, keys, where: str, warnings: list[str]) -> dict:
    """The entries of `obj` among `keys` whose values are valid; the others are reported."""
    out = {}
    for key in keys:
        if key not in obj:
            continue
        value = obj[key]
        check = CHECKS.get(key)
        if check is not None and not check(value):
            if key in TEMPLATES:  # an invalid URI template counts as "" (tabular-metadata 5.1.3)
                warnings.append(f'{where}: {key} {value!r} is not a URI template; using ""')
                out[key] = ""
                continue
            warnings.append(f"{where}: invalid {key} {value!r}; ignored")
            continue
        if key == "null" and isinstance(value, list):
            good = [v for v in value if isinstance(v, str)]
            if len(good) != len(value):
                warnings.append(f"{where}: non-string null values ignored")
            value = good
        out[key] = value
    return out


def titles_ok(value, where: str, warnings: list[str]):
    """Titles as given if valid (string, list of strings, or language map); else None."""
    if value is None or _strings(value):
        return value
    if isinstance(value, dict):
        out = {}
        for lang, titles in value.items():
            if not language_tag(lang):
                warnings.append(f"{where}: titles language {lang!r} is invalid; ignored")
                continue
            if isinstance(titles, list):
                kept = [t for t in titles if isinstance(t, str)]
                if len(kept) != len(titles):
                    warnings.append(f"{where}: non-string titles ignored")
                titles = kept
            elif not isinstance(titles, str):
                warnings.append(f"{where}: titles {titles!r} is not a string; ignored")
                continue
            out[lang] = titles
        return out
    if isinstance(value, list):
        warnings.append(f"{where}: non-string titles ignored")
        return [t for t in value if isinstance(t, str)]
    warnings.append(f"{where}: titles {value!r} is not a string; ignored")
    return None
