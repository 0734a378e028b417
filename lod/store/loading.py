"""Loading a stream of RDF chunks into Oxigraph while the stream is still being produced.

pyoxigraph's ``bulk_load`` releases the GIL while it parses and writes bytes, so the chunks are
produced by a background thread (the table converter, writing the download files on the way)
while the loader works on the chunks before them. Each ``bulk_load`` gets about `LOAD_BYTES`:
big enough to keep the loader fast, small enough to keep its memory bounded (a single
``bulk_load`` of a whole file takes memory in proportion to the file; measured in bench/).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

import pyoxigraph as ox

LOAD_BYTES = 8 << 20  # per bulk_load
AHEAD = 2  # chunks produced ahead of the loader

T = TypeVar("T")


def load_chunks(store, chunks: Iterable[bytes], fmt: ox.RdfFormat, graph: ox.NamedNode) -> None:
    """Load N-Triples (or other line-based) `chunks` into `graph`, `LOAD_BYTES` at a time."""
    for data in coalesced(prefetched(chunks), LOAD_BYTES):
        store.bulk_load(data, format=fmt, to_graph=graph)


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


def prefetched(items: Iterable[T], ahead: int = AHEAD) -> Iterator[T]:
    """`items`, computed by a background thread up to `ahead` items in advance.

    An exception of the producer is raised here, in the consumer. If the consumer stops
    early (an exception, or closing this generator), the producer is told to stop, its
    iterator is closed in its own thread, and this waits for it to end.
    """
    channel: queue.Queue = queue.Queue(ahead)
    stop = threading.Event()

    def put(message) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(items)
        try:
            for item in iterator:
                if not put((True, item)):
                    break
            else:
                put((False, None))
        except BaseException as e:  # handed to the consumer
            put((False, e))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="lod-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            more, value = channel.get()
            if more:
                yield value
            elif value is None:
                return
            else:
                raise value
    finally:
        stop.set()
        thread.join()
