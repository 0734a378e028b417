"""Streaming RDF plumbing: N-Triples in, any RDF format out, without a graph in memory.

N-Triples come as an iterable of str lines, of bytes chunks of whole lines (UTF-8), or both
(`lod.tabular` gives both kinds).
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from typing import IO, TYPE_CHECKING, TypeVar

from .formats import Format

if TYPE_CHECKING:
    import rdflib

T = TypeVar("T")


class LineStream(io.RawIOBase):
    """A binary file-like object reading from an iterable of str lines or bytes chunks."""

    def __init__(self, lines: Iterable[str | bytes]):
        self._lines: Iterator[str | bytes] = iter(lines)
        self._buffer = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        if not self._buffer:  # refill: one chunk, or small lines up to the size asked for
            pieces, length = [], 0
            while length < len(target):
                item = next(self._lines, None)
                if item is None:
                    break
                piece = item if isinstance(item, bytes) else item.encode("utf-8")
                pieces.append(piece)
                length += len(piece)
            self._buffer = memoryview(pieces[0] if len(pieces) == 1 else b"".join(pieces))
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def write_ntriples(
    lines: Iterable[str | bytes],
    output: IO[bytes],
    fmt: Format,
    prefixes: dict[str, str] | None = None,
) -> None:
    """Write N-Triples ``lines`` to ``output`` in ``fmt``, streaming."""
    if fmt.name == "nt":  # the next lines are made while these are written
        for item in prefetched(lines, may_inline=True):
            if isinstance(item, bytes):
                output.write(item)
            elif isinstance(item, str):
                output.write(item.encode("utf-8"))
            else:  # a chunk the second process writes itself (lod.tabular.parallel.Placed)
                item.write_to(output)
        return
    if fmt.name == "ttl":
        _write_turtle(lines, output, prefixes or {})
        return
    import pyoxigraph as ox  # here: `lod convert -f nt` does without it

    quads = ox.parse(LineStream(lines), format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(quads, output, format=fmt.rdf, prefixes=prefixes or {})


def _write_turtle(lines: Iterable[str | bytes], output: IO[bytes], prefixes: dict) -> None:
    """Turtle of N-Triples `lines`: chunks that carry their own Turtle (``.turtle``: the
    table converter's fast path, lod.tabular.turtle, made with the same `prefixes`) are
    written as they are, the rest is parsed and serialized. The prefixes are declared once."""
    import pyoxigraph as ox

    declared = False
    for ready, run in groupby(lines, key=lambda item: hasattr(item, "turtle")):
        if ready:
            if not declared:
                output.write(
                    "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode()
                )
                declared = True
            for chunk in run:
                output.write(chunk.turtle)
        else:
            quads = ox.parse(LineStream(run), format=ox.RdfFormat.N_TRIPLES)
            first = next(quads, None)
            if first is None:
                continue
            declarations = {} if declared else prefixes  # written before the first triple
            ox.serialize(
                chain([first], quads), output, format=ox.RdfFormat.TURTLE, prefixes=declarations
            )
            declared = True


class Serializer:
    """Writes N-Triples, given chunk by chunk, to `path` in another RDF format (Turtle), in a
    background thread: ``write(chunk)`` returns at once (up to `ahead` chunks are queued).
    Use as a context manager; leaving it waits for the file and raises the writer's error."""

    def __init__(self, path, fmt: Format, prefixes: dict[str, str] | None = None, ahead: int = 2):
        self._chunks: queue.Queue = queue.Queue(ahead)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(path, fmt, prefixes or {}), name="lod-serializer", daemon=True
        )

    def _items(self) -> Iterator[bytes]:
        while (chunk := self._chunks.get()) is not None:
            yield chunk
        self._ended = True

    def _run(self, path, fmt: Format, prefixes: dict[str, str]) -> None:
        self._ended = False
        try:
            with open(path, "wb") as output:
                write_ntriples(self._items(), output, fmt, prefixes)
        except BaseException as e:
            self._error = e
            while not self._ended and self._chunks.get() is not None:  # let write() return
                pass

    def __enter__(self) -> Serializer:
        self._thread.start()
        return self

    def write(self, chunk: bytes) -> None:
        if self._error is None:
            self._chunks.put(chunk)

    def __exit__(self, *exc) -> None:
        self._chunks.put(None)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


def serialize_graph(graph: rdflib.Graph, fmt: Format) -> bytes:
    """A small rdflib graph (metadata) in an RDF format, with the usual prefixes."""
    import rdflib  # not at the top: `lod convert` does without it

    from .namespaces import PREFIXES

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


_producer = threading.local()  # in a thread of `prefetched`: its consumer's `inline` event
_ITEM, _END, _INLINE = 0, 1, 2


def inline() -> None:
    """Said by the code making the items of `prefetched` when it keeps the other CPUs busy
    itself (lod.tabular.parallel: its worker process, or a machine of one CPU): where the
    consumer allows it (``may_inline``), the background thread steps aside after the item
    being made, and the consumer makes the rest in its own thread. A thread then has no CPU
    to run on and costs a hand-over per item: in bench/'s `lod convert` on two CPUs, 1,500
    context switches, 60 without it."""
    event = getattr(_producer, "inline", None)
    if event is not None:
        event.set()


def prefetched(items: Iterable[T], ahead: int = 2, *, may_inline: bool = False) -> Iterator[T]:
    """`items`, computed by a background thread up to `ahead` items in advance (or, once
    the producer says `inline` where `may_inline`, in this thread).

    An exception of the producer is raised here, in the consumer. If the consumer stops
    early (an exception, or closing this generator), the producer is told to stop, its
    iterator is closed in its own thread, and this waits for it to end.
    """
    channel: queue.Queue = queue.Queue(ahead)
    stop = threading.Event()
    event = threading.Event() if may_inline else None
    iterator: list[Iterator[T]] = []  # the items' iterator, once made (in the thread)

    def put(message) -> bool:
        while not stop.is_set():
            try:
                channel.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        _producer.inline = event
        handed = False
        try:
            iterator.append(iter(items))
            for item in iterator[0]:
                if not put((_ITEM, item)):
                    break
                if event is not None and event.is_set():
                    handed = put((_INLINE, None))
                    return
            else:
                put((_END, None))
        except BaseException as e:  # handed to the consumer
            put((_END, e))
        finally:
            _producer.inline = None
            close = getattr(iterator[0], "close", None) if iterator and not handed else None
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="lod-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = channel.get()
            if kind == _ITEM:
                yield value
            elif kind == _INLINE:
                thread.join()
                yield from iterator[0]  # closed by this generator's close
                return
            elif value is None:
                return
            else:
                raise value
    finally:
        stop.set()
        thread.join()
