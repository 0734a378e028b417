"""The newest read-only checkpoint of the embedded store, as a query worker sees it.

Follows the layout of ``lod.store.embedded`` (``checkpoints/CURRENT`` names the newest
checkpoint directory) without importing it, so a worker starts in milliseconds. A worker asks
before every query, so it switches to a new checkpoint as soon as a publish renames CURRENT.

**In-memory replica.** Oxigraph evaluates joins over many triples several times faster on its
in-memory storage than on its on-disk one (an aggregate over 100,000 observations and the
territorial hierarchy: 0.23 s against 2.6 s; a top-10 with labels 37 ms against 212 ms). So a
checkpoint of at most ``memory_quads`` quads is copied into an in-memory store by a
background thread (the checkpoint's N-Quads dump piped into ``bulk_load``; pyoxigraph
releases the GIL for both), and queries use the copy once it is complete. Until then, and for
bigger stores, they read the checkpoint on disk: the answers are the same, only the speed
differs. A replica costs about 400 bytes of memory per quad in each worker process (800 while it
is made); it may take at most half of the worker's memory limit.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pyoxigraph as ox

BYTES_PER_QUAD = 800  # a copy's peak while it is made (it keeps about 400 bytes a quad)


class Checkpoints:
    def __init__(self, store_dir: str | Path, memory_quads: int = 0, max_bytes: int = 0):
        self.current = Path(store_dir) / "checkpoints" / "CURRENT"
        self.memory_quads = memory_quads
        if max_bytes > 0:  # the worker's memory limit: a copy may take half of it
            self.memory_quads = min(memory_quads, max_bytes // 2 // BYTES_PER_QUAD)
        self.stamp: tuple[int, int] | None = None
        self.name: str | None = None
        self.store: ox.Store | None = None
        # (checkpoint name, its in-memory copy), set by the copying thread when complete
        self.replica: tuple[str, ox.Store] | None = None

    def reader(self) -> ox.Store:
        """The store to query: the replica of the newest checkpoint if complete, else the
        checkpoint itself."""
        store = self._newest()
        replica = self.replica
        return replica[1] if replica is not None and replica[0] == self.name else store

    @property
    def in_memory(self) -> bool:
        """Whether queries read the in-memory replica of the newest checkpoint."""
        return self.reader() is not self.store

    def _newest(self) -> ox.Store:
        try:
            st = self.current.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_ino)
        except FileNotFoundError:
            stamp = None
        if self.store is not None and stamp == self.stamp:
            return self.store
        name = self.current.read_text().strip() if stamp else ""
        if self.store is None or name != self.name:
            # no checkpoint yet: nothing has been published, an empty store answers
            self.store = ox.Store.read_only(str(self.current.parent / name)) if name else ox.Store()
            self.name = name
            self.replica = None  # the old copy's memory goes now, not when the new one is done
            if name and self.memory_quads > 0:
                threading.Thread(
                    target=self._copy, args=(name, self.store), daemon=True, name="lod-replica"
                ).start()
        self.stamp = stamp
        return self.store

    def _copy(self, name: str, disk: ox.Store) -> None:
        try:
            # counting takes a while on a huge store: its files (about 140 bytes a quad)
            # tell first when it is far too big
            files = (self.current.parent / name).iterdir()
            if sum(f.stat().st_size for f in files if f.is_file()) > self.memory_quads * 1000:
                return
            if len(disk) > self.memory_quads:
                return
            replica = copy_to_memory(disk)
        except Exception as exc:  # the disk checkpoint keeps answering
            print(f"lod: SPARQL worker: no in-memory copy of {name}: {exc!r}", file=sys.stderr)
            return
        if self.name == name:  # not if a newer checkpoint came meanwhile
            self.replica = (name, replica)


def copy_to_memory(disk: ox.Store) -> ox.Store:
    """An in-memory store with the quads of ``disk``: its N-Quads dump, written by one thread
    into a pipe, loaded by this one."""
    memory = ox.Store()
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def dump() -> None:
        try:
            with os.fdopen(write_end, "wb", buffering=1 << 20) as out:
                disk.dump(out, format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # e.g. the reader stopped: reported below
            failure.append(exc)

    writer = threading.Thread(target=dump, daemon=True, name="lod-replica-dump")
    writer.start()
    try:
        with os.fdopen(read_end, "rb", buffering=1 << 20) as source:
            memory.bulk_load(source, ox.RdfFormat.N_QUADS)
    finally:
        writer.join()
    if failure:
        raise failure[0]
    return memory
