"""Does a table's header fit the columns its metadata describes?
(https://www.w3.org/TR/tabular-metadata/#schema-compatibility)

The header row is the table's embedded metadata. Two column descriptions are compatible when
their titles share a value in a matching language (``und`` matches any; ``en`` matches
``en-GB``), or when the described column has no titles and its name is the header's title. A
validator (strict mode) raises an error otherwise; a converter warns and goes on with the
metadata's columns.
"""

from __future__ import annotations

from unicodedata import normalize
from urllib.parse import unquote

from lod.errors import Problem


def titles_with_languages(value, lang: str | None) -> list[tuple[str, str]]:
    """(title, language) pairs of a natural-language property value."""
    lang = lang or "und"
    if isinstance(value, str):
        return [(value, lang)]
    if isinstance(value, list):
        return [(v, lang) for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        out = []
        for key, titles in value.items():
            out.extend(titles_with_languages(titles, key))
        return out
    return []


def _languages_match(a: str, b: str) -> bool:
    if a == "und" or b == "und":
        return True
    a, b = a.lower(), b.lower()
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _same(a: str, b: str) -> bool:
    """Equal titles; differences people cannot see (NBSP, doubled or outer spaces, Unicode
    normalisation) do not count."""
    return a == b or " ".join(normalize("NFC", a).split()) == " ".join(normalize("NFC", b).split())


def compatible(described: list[tuple[str, str]], found: list[tuple[str, str]]) -> bool:
    if not described or not found:
        return True
    return any(
        _same(t1, t2) and _languages_match(l1, l2) for t1, l1 in described for t2, l2 in found
    )


def check_header(
    where: str,
    described: list[tuple[str, list[tuple[str, str]]]],
    header: list[str],
    lang: str | None,
) -> list[Problem]:
    """What does not fit between the header and the described (non-virtual) columns, given
    as (name, titles) pairs. A column with a name but no titles fits a header cell equal to
    its name. A validator raises these as errors; a converter warns."""
    out = []
    if len(described) != len(header):
        out.append(
            Problem(
                f"the metadata describes {len(described)} columns but the header has {len(header)}",
                f"{where}, header",
                hint="expected the columns the metadata describes, in its order",
            )
        )
    for number, ((name, titles), title) in enumerate(zip(described, header, strict=False), 1):
        if not titles and name is not None:
            titles = [(unquote(name), "und")]
        if title.strip() and not compatible(titles, [(title, lang or "und")]):
            expected = " or ".join(repr(t) for t, _ in titles)
            out.append(
                Problem(
                    "the header does not match the metadata's column",
                    f"{where}, header, column {number}",
                    hint=f"expected {expected}",
                    value=title,
                )
            )
    return out
