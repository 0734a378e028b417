"""The newest read-only checkpoint of the embedded store, as a query worker sees it.

Follows the layout of ``lod.store.embedded`` (``checkpoints/CURRENT`` names the newest
checkpoint directory) without importing it, so a worker starts in milliseconds. A worker asks
before every query, so it switches to a new checkpoint as soon as a publish renames CURRENT.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


class Checkpoints:
    def __init__(self, store_dir: str | Path):
        self.current = Path(store_dir) / "checkpoints" / "CURRENT"
        self.stamp: tuple[int, int] | None = None
        self.name: str | None = None
        self.store: ox.Store | None = None

    def reader(self) -> ox.Store:
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
        self.stamp = stamp
        return self.store
