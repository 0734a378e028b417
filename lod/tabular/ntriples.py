"""N-Triples terms as strings (https://www.w3.org/TR/n-triples/), built without rdflib objects."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CSVW = "http://www.w3.org/ns/csvw#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = RDF + "langString"

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# Characters not allowed in an N-Triples IRIREF; they are not valid in IRIs either, so they are
# percent-encoded rather than written as \\u escapes.
_IRI_BAD = {c: f"%{ord(c):02X}" for c in '<>"{}|^`\\'}
_IRI_BAD.update({chr(i): f"%{i:02X}" for i in range(0x21)})
_IRI_ESCAPES = str.maketrans(_IRI_BAD)


def iri(value: str) -> str:
    return "<" + value.translate(_IRI_ESCAPES) + ">"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    text = '"' + value.translate(_LITERAL_ESCAPES) + '"'
    if lang:
        return text + "@" + lang
    if datatype and datatype != XSD_STRING:
        return text + "^^" + iri(datatype)
    return text


def triple(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def new_prefix() -> str:
    """The start of the blank node labels of one conversion: random, so that the outputs of
    several runs can be merged."""
    return "_:b" + os.urandom(4).hex() + "x"


class BlankNodes:
    """Blank node labels unique to one conversion, so outputs of several runs can be merged."""

    def __init__(self):
        self.prefix = new_prefix()
        self.count = 0

    def new(self) -> str:
        self.count += 1
        return f"{self.prefix}{self.count}"


TYPE = iri(RDF + "type")


# The converters yield N-Triples lines (str) and, from the fast path, chunks of whole rows
# already encoded (bytes); between two rows, the general path yields ROW_END. These two turn
# such a stream into one kind.
ROW_END = b""
CHUNK = 1 << 20


def as_lines(items: Iterable[str | bytes]) -> Iterator[str]:
    """Each N-Triples line as a str ("... .\\n")."""
    for item in items:
        if isinstance(item, bytes):
            for line in item.decode("utf-8").split("\n")[:-1]:
                yield line + "\n"
        else:
            yield item


def as_chunks(items: Iterable[str | bytes], size: int = CHUNK) -> Iterator[bytes]:
    """UTF-8 N-Triples in chunks of whole rows (about `size` bytes or more), so that no
    blank node of a row is in two chunks (the table's and group's nodes may be)."""
    lines: list[str] = []
    length = 0
    for item in items:
        if isinstance(item, str):
            lines.append(item)
            length += len(item)
            continue
        if lines and (item or length >= size):
            yield "".join(lines).encode("utf-8")
            lines, length = [], 0
        if item:
            yield item
    if lines:
        yield "".join(lines).encode("utf-8")
