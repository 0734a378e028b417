"""The store protocol: everything else in lod speaks only to this.

A store holds named graphs (one metadata graph and one data graph per dataset). Reads see a
consistent snapshot; a write (``update`` or ``replace_graphs``) becomes visible to readers all at
once or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import rdflib

from ..formats import Format


@dataclass(frozen=True)
class GraphSource:
    """The new content of a named graph: a file, bytes, or a stream of bytes, in an RDF format.

    A stream (`chunks`) is read once, while the store writes (so a table is converted and
    loaded in one pass), and each chunk is loaded on its own: no blank node may appear in two
    chunks (``lod.tabular``'s chunks end between rows; give the table an ``@id``). A stream
    that raises aborts the whole write.
    """

    format: Format
    path: Path | None = None
    data: bytes | None = None
    chunks: Iterable[bytes] | None = None


class QueryResult(Protocol):
    kind: str  # "boolean", "solutions" or "graph"

    @property
    def boolean(self) -> bool: ...

    @property
    def variables(self) -> list[str]: ...

    def rows(self) -> Iterator[dict[str, rdflib.term.Node]]:
        """SELECT solutions as dicts of rdflib terms (unbound variables left out)."""
        ...

    def triples(self) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]: ...

    def serialize(self, fmt: Format) -> bytes: ...


class Store(Protocol):
    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query. Without ``default_graphs`` the default graph is the
        union of all named graphs. Raises ``QuerySyntaxError`` for a malformed query."""
        ...

    def update(self, sparql: str) -> None:
        """Apply a SPARQL 1.1 update atomically."""
        ...

    def replace_graphs(self, graphs: Mapping[str, GraphSource | None]) -> None:
        """Replace several named graphs in one atomic step (None drops the graph). Sources
        are read in the order given, so a stream may depend on the sources before it
        having been read (metadata that counts the bytes of the data just written)."""
        ...

    def graph(self, name: str) -> rdflib.Graph:
        """A copy of one named graph (small graphs: metadata)."""
        ...

    def dump(self, output: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        """Write one named graph (triples) or the whole dataset (quads) to ``output``."""
        ...

    def named_graphs(self) -> list[str]: ...

    def close(self) -> None: ...


class QuerySyntaxError(ValueError):
    """The query or update does not parse; the message says where."""


def open_store(settings) -> Store:
    """The store configured by ``LOD_STORE``: empty means embedded Oxigraph under LOD_HOME,
    an http(s) URL a remote SPARQL 1.1 server (``remote.py``)."""
    if settings.store:
        if not settings.store.startswith(("http://", "https://")):
            from ..errors import BadInput

            raise BadInput(
                f"LOD_STORE={settings.store!r} is not an http(s) URL",
                hint="give the SPARQL query endpoint, e.g. http://127.0.0.1:8890/sparql, or "
                "leave LOD_STORE empty to use the embedded store under LOD_HOME",
            )
        from .remote import RemoteStore

        return RemoteStore(settings)
    from .embedded import EmbeddedStore

    return EmbeddedStore(settings.home_path / "store", grace=settings.checkpoint_grace)
