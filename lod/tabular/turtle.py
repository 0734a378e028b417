"""Turtle (https://www.w3.org/TR/turtle/) written beside the fast path's N-Triples.

`lod ingest` publishes a table's RDF as data.nt and data.ttl. Parsing the N-Triples again to
serialize them as Turtle cost 2–3.6 CPU-seconds for a 1.6 M-triple table, on the core the
store's loader wants. The fast path (fast.py) knows each row's subject and each column's
predicate and objects, so it writes the Turtle as it writes the N-Triples, a few joins per
batch: one statement per row (its predicate-object list), prefixed names where a prefix's
namespace leaves a valid local name, integers, decimals, doubles and booleans bare when they
are in a form Turtle reads as the same literal, everything else as in N-Triples (which
Turtle includes).

`TurtleChunk` carries both: it is the N-Triples bytes, with the Turtle of the same triples in
``.turtle`` (lod.rdfio writes those instead of serializing the chunk again).
"""

from __future__ import annotations

import re
from itertools import repeat

from .ntriples import XSD, iri


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


# a local name (PN_LOCAL) made of the characters `quote(value, safe="")` leaves or escapes
_LOCAL = r"(?:(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:(?:[A-Za-z0-9_.-]|%[0-9A-Fa-f]{2})*(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}))?)?"
_LOCAL_ONE = re.compile(_LOCAL)
_LOCALS = re.compile(rb"(?:" + _LOCAL.encode() + rb"\n)*")
# datatypes whose canonical values Turtle writes bare (INTEGER, DECIMAL, DOUBLE, BOOLEAN):
# a bare token is read as the literal with that token as its lexical form
_BARE = {
    XSD + "integer": r"[+-]?[0-9]+",
    XSD + "decimal": r"[+-]?[0-9]*\.[0-9]+",
    XSD + "double": r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+",
    XSD + "boolean": r"true|false",
}


class TurtleChunk(bytes):
    """N-Triples bytes with ``turtle``: the same triples as Turtle, using the prefixes of the
    `TurtleForm` that made them (declared once at the top of the document)."""

    turtle: bytes

    @classmethod
    def of(cls, turtle: bytes) -> TurtleChunk:
        """Turtle alone (what a Turtle writer needs of a chunk)."""
        chunk = cls()
        chunk.turtle = turtle
        return chunk


class TurtleForm:
    """How terms are written: the prefixes (name -> namespace) a document declares."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = dict(prefixes)
        self._longest_first = sorted(self.prefixes.items(), key=lambda p: -len(p[1]))

    def name(self, value: str) -> str:
        """An IRI as a prefixed name if a namespace leaves a valid local name, else <…>."""
        for prefix, ns in self._longest_first:
            if value.startswith(ns) and _LOCAL_ONE.fullmatch(value, len(ns)):
                return f"{prefix}:{value[len(ns) :]}"
        return iri(value)

    def namespace(self, start: str) -> tuple[bytes, bytes] | None:
        """For IRIs that all start with `start` (a template's text before its first
        variable): (the N-Triples opening to cut, the prefix to write instead), or None."""
        for prefix, ns in self._longest_first:
            if start.startswith(ns):
                return iri(ns)[:-1].encode(), f"{prefix}:".encode()
        return None

    @staticmethod
    def names(terms: list[bytes], under: tuple[bytes, bytes] | None) -> list[bytes]:
        """N-Triples IRIs that all start with the opening `under[0]`, as prefixed names when
        every one of them leaves a valid local name, else as they are."""
        if under is None:
            return terms
        cut = len(under[0])
        locals_ = [t[cut:-1] for t in terms]
        if not _LOCALS.fullmatch(b"\n".join(locals_) + b"\n"):
            return terms
        return list(map(under[1].__add__, locals_))

    def close(self, close: str) -> str:
        """The end of a literal after its value (``"``, ``"@cs``, ``"^^<datatype>``) with the
        datatype as a prefixed name if it can be."""
        if close.startswith('"^^<') and "\\" not in close:
            return '"^^' + self.name(close[4:-1])
        return close

    def bare(self, predicate: bytes, close: str) -> Bare | None:
        """For a column of literals ending ``"^^<datatype>``: how its values are written bare,
        or None if Turtle has no bare form of the datatype."""
        token = _BARE.get(close[4:-1]) if close.startswith('"^^<') else None
        return Bare(token, predicate, _utf8(self.close(close))) if token else None


class Bare:
    """The values of a column that Turtle may write bare (a token of its datatype)."""

    def __init__(self, token: str, predicate: bytes, close: bytes):
        self.all = re.compile(rf"(?:(?:{token})?\n)*").fullmatch  # values + "\n" each ("": null)
        self.one = re.compile(token).fullmatch
        self.predicate, self.close = predicate + b" ", close

    def some(self, present: list[str], encoded: list[bytes]) -> list[bytes]:
        """Each value's ``predicate object``: bare if it is a token, else typed."""
        start, end = self.predicate, self.close
        typed = map(b"".join, zip(repeat(start + b'"'), encoded, repeat(end)))
        bare = map(start.__add__, encoded)
        return list(
            map(tuple.__getitem__, zip(typed, bare, strict=True), map(bool, map(self.one, present)))
        )
