"""The embedded store: Oxigraph on disk, one writer at a time, readers on checkpoints.

pyoxigraph lets only one process open a store directory read-write. So nobody keeps it open:

* a writer (``lod ingest``, or the web app later) takes an exclusive file lock, opens the primary
  directory read-write, applies its changes, makes a hard-link checkpoint with ``Store.backup()``
  (milliseconds), points ``CURRENT`` at it with an atomic rename, and closes the primary;
* readers (any number of processes and threads) open the checkpoint named by ``CURRENT``
  read-only and switch to a newer one as soon as it appears.

Readers therefore see each write all at once or not at all. A writer that dies mid-way leaves a
``dirty`` marker; the next writer restores the primary from the last checkpoint before it
starts, so an interrupted publish leaves the previous version fully in place.

Layout under the store directory::

    lock            the writers' lock file (fcntl.flock)
    primary/        the read-write database
    checkpoints/    <time_ns>/ read-only snapshots; CURRENT names the newest
    dirty           present while a write is in progress (or was interrupted)
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import rdflib

from ..formats import BY_NAME, Format
from . import GraphSource, QuerySyntaxError
from .loading import copy_graphs, copying_is_cheaper, load_chunks
from .terms import to_rdflib


class OxigraphResult:
    def __init__(self, raw):
        self._raw = raw
        if isinstance(raw, ox.QueryBoolean):
            self.kind = "boolean"
        elif isinstance(raw, ox.QuerySolutions):
            self.kind = "solutions"
        else:
            self.kind = "graph"

    @property
    def boolean(self) -> bool:
        return bool(self._raw)

    @property
    def variables(self) -> list[str]:
        return [v.value for v in self._raw.variables] if self.kind == "solutions" else []

    def rows(self) -> Iterator[dict]:
        names = self.variables
        for solution in self._raw:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            yield row

    def triples(self) -> Iterator[tuple]:
        for triple in self._raw:
            yield (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))

    def serialize(self, fmt: Format) -> bytes:
        if self.kind == "graph":
            if fmt.rdf is None:
                raise ValueError(f"{fmt.name} cannot hold a graph")
            return self._raw.serialize(format=fmt.rdf)
        if fmt.results is None:
            raise ValueError(f"{fmt.name} cannot hold query results")
        return self._raw.serialize(format=fmt.results)


class _Handle:
    """The read-write store, lent to one write: released (closed) when the write ends, even if
    the caller still holds a reference (e.g. in a traceback), so the next writer can open it."""

    def __init__(self, store: ox.Store):
        self._store: ox.Store | None = store

    def __getattr__(self, name):
        if self._store is None:
            raise RuntimeError("the write has ended; this store handle is closed")
        return getattr(self._store, name)

    def release(self) -> None:
        self._store = None

    def swap(self, store: ox.Store) -> None:
        """Write to `store` from now on (a copy being built beside the primary)."""
        self._store = store


class EmbeddedStore:
    def __init__(self, directory: Path, *, grace: int = 600):
        self.directory = Path(directory)
        self.primary = self.directory / "primary"
        self.copy = self.directory / "primary.new"  # a write that starts from a copy builds it here
        self.checkpoints = self.directory / "checkpoints"
        self.grace = grace
        self._reader_lock = threading.Lock()
        self._reader: ox.Store | None = None
        self._reader_name: str | None = None
        self._current_stamp: tuple[int, int] | None = None
        self.checkpoints.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ reading
    def _current_name(self) -> str | None:
        try:
            return (self.checkpoints / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def reader(self) -> ox.Store:
        """The read-only store of the newest checkpoint (switching when a newer one appears)."""
        current = self.checkpoints / "CURRENT"
        try:
            st = current.stat()
            stamp = (st.st_mtime_ns, st.st_ino)
        except FileNotFoundError:
            stamp = None
        with self._reader_lock:
            if self._reader is not None and stamp == self._current_stamp:
                return self._reader
        if stamp is None:
            with self.writing():  # creates the first, empty checkpoint
                pass
            return self.reader()
        name = self._current_name()
        with self._reader_lock:
            if self._reader is None or name != self._reader_name:
                self._reader = ox.Store.read_only(str(self.checkpoints / name))
                self._reader_name = name
            self._current_stamp = stamp
            return self._reader

    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        kwargs: dict = {"base_iri": base_iri}
        if default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            raw = self.reader().query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        return OxigraphResult(raw)

    def graph(self, name: str) -> rdflib.Graph:
        graph = rdflib.Graph()
        data = self.reader().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        if data:
            graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    def dump(self, output: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        reader = self.reader()
        if graph is None:
            fmt = fmt if fmt.rdf and fmt.rdf.supports_datasets else BY_NAME["nq"]
            reader.dump(output, format=fmt.rdf)
        else:
            reader.dump(output, format=fmt.rdf, from_graph=ox.NamedNode(graph))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.reader().named_graphs() if isinstance(g, ox.NamedNode))

    def close(self) -> None:
        with self._reader_lock:
            self._reader = None
            self._reader_name = None
            self._current_stamp = None

    # ------------------------------------------------------------------ writing
    @contextmanager
    def writing(self) -> Iterator[ox.Store]:
        """Exclusive read-write access; on success readers switch to the result at once."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / "lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                dirty = self.directory / "dirty"
                if dirty.exists():
                    self._recover()
                dirty.write_text(str(os.getpid()))
                handle = _Handle(ox.Store(str(self.primary)))
                try:
                    yield handle  # type: ignore[misc]
                    handle.flush()
                    self._checkpoint(handle)
                finally:
                    handle.release()
                if self.copy.exists():
                    self._install_copy()
                dirty.unlink()
                self._collect_garbage()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _checkpoint(self, store) -> None:
        name = str(time.time_ns())
        store.backup(str(self.checkpoints / name))
        tmp = self.checkpoints / f".CURRENT.{os.getpid()}"
        tmp.write_text(name)
        os.replace(tmp, self.checkpoints / "CURRENT")

    def _install_copy(self) -> None:
        """The copy becomes the primary (it is checkpointed already)."""
        old = self.directory / "primary.old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(self.primary, old)
        os.rename(self.copy, self.primary)
        shutil.rmtree(old, ignore_errors=True)

    def _recover(self) -> None:
        """Restore the primary from the newest checkpoint after an interrupted write."""
        for leftover in (self.primary, self.copy, self.directory / "primary.old"):
            shutil.rmtree(leftover, ignore_errors=True)
        name = self._current_name()
        if name:
            ox.Store.read_only(str(self.checkpoints / name)).backup(str(self.primary))

    def _collect_garbage(self) -> None:
        """Delete checkpoints superseded more than ``grace`` seconds ago."""
        names = sorted(
            (p.name for p in self.checkpoints.iterdir() if p.is_dir() and p.name.isdigit()),
            key=int,
        )
        now = time.time_ns()
        for older, newer in zip(names, names[1:], strict=False):
            if now - int(newer) > self.grace * 1_000_000_000:
                shutil.rmtree(self.checkpoints / older, ignore_errors=True)

    def update(self, sparql: str) -> None:
        with self.writing() as store:
            try:
                store.update(sparql)
            except SyntaxError as exc:
                raise QuerySyntaxError(str(exc)) from None

    def replace_graphs(self, graphs: Mapping[str, GraphSource | None]) -> None:
        with self.writing() as store:
            names = [ox.NamedNode(name) for name in graphs]
            if copying_is_cheaper(store, names):  # see loading.py
                shutil.rmtree(self.copy, ignore_errors=True)
                fresh = ox.Store(str(self.copy))
                copy_graphs(store, fresh, skip=names)
                store.swap(fresh)
            for name, source in graphs.items():
                node = ox.NamedNode(name)
                if store.contains_named_graph(node):
                    store.remove_graph(node)
                if source is None:
                    continue
                fmt = source.format.rdf
                if source.chunks is not None:
                    load_chunks(store, source.chunks, fmt, node)
                elif source.path is not None:
                    store.bulk_load(path=str(source.path), format=fmt, to_graph=node)
                else:
                    store.bulk_load(io.BytesIO(source.data or b""), format=fmt, to_graph=node)
