"""What the text of a query says before anyone evaluates it: its form and its dataset clause.

A light scanner, not a parser: it skips comments, strings and IRIs and looks at the keywords
left. Oxigraph parses the query for real in the worker; this only decides things that must be
known earlier (which formats may answer, whether the default graph is the union of all graphs).
"""

from __future__ import annotations

import re

_SKIP = re.compile(
    r"""
      \#[^\n\r]*                                  # comment
    | '''(?:[^'\\]|\\.|'(?!''))*'''               # long strings
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'                       # short strings
    | "(?:[^"\\\n\r]|\\.)*"
    | <[^<>"{}|^`\\\x00-\x20]*>                   # IRI references
    """,
    re.VERBOSE | re.DOTALL,
)
# a keyword is a bare word: not part of a prefixed name, variable or language tag
_WORD = re.compile(r"(?<![\w:?$@\-.])([A-Za-z]+)(?![\w:\-])")

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
)


def keywords(query: str) -> list[str]:
    """The bare words of a query, upper-cased, in order (strings, IRIs and comments skipped)."""
    return [m.group(1).upper() for m in _WORD.finditer(_SKIP.sub(" ", query))]


def query_form(query: str) -> str | None:
    """``"SELECT"``, ``"CONSTRUCT"``, ``"DESCRIBE"``, ``"ASK"``, ``"UPDATE"`` or None (unknown)."""
    for word in keywords(query):
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_WORDS:
            return "UPDATE"
    return None


_STAR = re.compile(r"\s*(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([\w\u00B7]+)")


def star_order(query: str) -> list[str] | None:
    """For a ``SELECT *`` query: its variables in the order they first appear after SELECT
    (Oxigraph lists them alphabetically; people read them in the order they wrote them).
    None for any other query."""
    text = _SKIP.sub(" ", query)
    for match in _WORD.finditer(text):
        word = match.group(1).upper()
        if word in QUERY_FORMS or word in UPDATE_WORDS:
            if word != "SELECT" or not (star := _STAR.match(text, match.end())):
                return None
            return list(dict.fromkeys(_VARIABLE.findall(text, star.end())))
    return None


def has_dataset_clause(query: str) -> bool:
    """True when the query names its own dataset (``FROM`` or ``FROM NAMED``)."""
    return "FROM" in keywords(query)


def has_order_by(query: str) -> bool:
    words = keywords(query)
    return any(a == "ORDER" and b == "BY" for a, b in zip(words, words[1:], strict=False))


# Stricter than _WORD on purpose: "ex:a.SERVICE" is flagged too (a false alarm, never a miss).
_SERVICE = re.compile(r"(?<![\w?$:@])SERVICE(?![\w:])", re.IGNORECASE)


def uses_service(query: str) -> bool:
    """True when the query may call another endpoint (``SERVICE``): Oxigraph would fetch any
    URL it names, so the public endpoint refuses such queries."""
    return bool(_SERVICE.search(_SKIP.sub(" ", query)))
