"""Streaming RDF plumbing: N-Triples lines in, any RDF format out, without a graph in memory."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox
import rdflib

from .formats import Format
from .namespaces import PREFIXES


class LineStream(io.RawIOBase):
    """A binary file-like object reading from an iterator of text lines."""

    def __init__(self, lines: Iterable[str]):
        self._lines: Iterator[str] = iter(lines)
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while len(self._buffer) < len(target):
            try:
                self._buffer += next(self._lines).encode("utf-8")
            except StopIteration:
                break
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def write_ntriples(
    lines: Iterable[str], output: IO[bytes], fmt: Format, prefixes: dict[str, str] | None = None
) -> None:
    """Write N-Triples ``lines`` to ``output`` in ``fmt``, streaming."""
    if fmt.name == "nt":
        for line in lines:
            output.write(line.encode("utf-8"))
        return
    triples = (q.triple for q in ox.parse(LineStream(lines), format=ox.RdfFormat.N_TRIPLES))
    ox.serialize(triples, output, format=fmt.rdf, prefixes=prefixes or {})


def serialize_graph(graph: rdflib.Graph, fmt: Format) -> bytes:
    """A small rdflib graph (metadata) in an RDF format, with the usual prefixes."""
    if fmt.name in ("ttl", "rdf"):
        g = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True)
        g += graph
        return g.serialize(format="turtle" if fmt.name == "ttl" else "pretty-xml", encoding="utf-8")
    if fmt.name == "jsonld":
        return graph.serialize(
            format="json-ld",
            encoding="utf-8",
            auto_compact=True,
            context={k: v for k, v in PREFIXES.items()},
        )
    return graph.serialize(format="nt", encoding="utf-8")
