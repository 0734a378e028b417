"""Loading a stream of RDF chunks into Oxigraph while the stream is still being produced.

pyoxigraph's ``bulk_load`` releases the GIL while it parses and writes bytes, so the chunks are
produced by a background thread (the table converter, writing the download files on the way)
while the loader works on the chunks before them. Each ``bulk_load`` gets about `LOAD_BYTES`:
big enough to keep the loader fast, small enough to keep its memory bounded (a single
``bulk_load`` of a whole file takes memory in proportion to the file; measured in bench/).

`LOADERS` ``bulk_load``s run at once, each in a thread of its own. A ``bulk_load`` parses its
piece, then writes the piece's sorted files into RocksDB: with one loader, parsing waits for
the writing and the writing for the parsing; with two, one parses while the other writes, as
pyoxigraph's own loader of a whole file does. Each ``bulk_load`` writes files of its own
(random names) and RocksDB takes in files from several threads at once; the quads of a graph
are a set, so the order the pieces land in does not matter.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from itertools import islice

import pyoxigraph as ox

from ..allocator import release_freed_memory
from ..rdfio import prefetched

LOAD_BYTES = 4 << 20  # per bulk_load, at least (a table's chunks are about as big)
LOADERS = 2  # bulk_loads at once


def load_chunks(store, chunks: Iterable[bytes], fmt: ox.RdfFormat, graph: ox.NamedNode) -> None:
    """Load N-Triples (or other line-based) `chunks` into `graph`, `LOAD_BYTES` at a time,
    `LOADERS` pieces at once. The first error (the producer's or the store's) is raised once
    every loader has stopped."""
    pieces = coalesced(prefetched(chunks), LOAD_BYTES)
    taking = threading.Lock()
    failed = threading.Event()

    def load() -> None:
        try:
            while not failed.is_set():
                with taking:  # one thread at a time advances the generators
                    data = next(pieces, None)
                if data is None:
                    return
                store.bulk_load(data, format=fmt, to_graph=graph)
                del data
                release_freed_memory()
        except BaseException:
            failed.set()
            raise

    with closing(pieces), ThreadPoolExecutor(LOADERS - 1, "lod-load") as pool:
        others = [pool.submit(load) for _ in range(LOADERS - 1)]
        try:
            load()
        finally:
            errors = [other.exception() for other in others]  # (waits for each)
        for error in errors:
            if error is not None:
                raise error


def coalesced(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The chunks joined into pieces of at least `size` bytes (the last may be smaller)."""
    pending: list[bytes] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


# Replacing a big graph. Oxigraph removes a graph quad by quad in one transaction held in
# memory: about 50 µs and 1.4 KB a quad here (a 1.5 M-triple graph: 80 s, 2.1 GB). Copying
# the other graphs into a new store streams at about 10 µs a quad in bounded memory, so when
# the graphs to replace are big and the rest is not much bigger, the write starts from a copy.
REMOVE_US, COPY_US = 50, 10
COPY_FROM = 100_000  # quads to replace before copying is considered
COPY_BATCH = 100_000  # quads per bulk_extend (its memory grows with the batch)


def copying_is_cheaper(store, names: list[ox.NamedNode]) -> bool:
    """Whether to copy everything but the graphs `names` rather than remove them."""
    gone = sum(_size(store, name) for name in names if store.contains_named_graph(name))
    return gone >= COPY_FROM and (store.__len__() - gone) * COPY_US < gone * REMOVE_US


def copy_graphs(source, target, *, skip: list[ox.NamedNode]) -> None:
    """Copy every graph of `source` (the default graph too) but `skip` into `target`; blank
    nodes keep their identity (quads are copied as they are, not parsed again)."""
    graphs = [g for g in source.named_graphs() if g not in skip]
    for graph in [*graphs, ox.DefaultGraph()]:
        if not isinstance(graph, ox.DefaultGraph):
            target.add_graph(graph)
        quads = source.quads_for_pattern(None, None, None, graph)
        while batch := list(islice(quads, COPY_BATCH)):
            target.bulk_extend(batch)


def _size(store, name: ox.NamedNode) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name.value}> {{ ?s ?p ?o }} }}")
    return int(next(iter(result))["n"].value)
