"""A cache of serialized /sparql results, valid until the next publish.

The embedded store changes only when a writer makes a new checkpoint (``checkpoints/CURRENT``
is renamed into place), so a query's answer depends only on the checkpoint, the query text, the
protocol's dataset, the base IRI, the formats asked for and the row limit: that tuple is the
key. The checkpoint is told by the (inode, mtime) of ``CURRENT``, one ``stat`` per query; when
it changes, every entry of the older one is dropped at once. Queries whose answer may differ
between runs (``RAND()``, ``NOW()``, ``UUID()``, ``STRUUID()``, ``BNODE()``) are never cached.
The cache holds at most ``max_bytes`` of results (least recently used go first); one answer is
kept only if it is at most an eighth of that (and at most ``ENTRY_LIMIT``). The web app keeps
whole HTTP answers of repeated GETs in the same cache, under keys of their own
(``lod.web.answer_cache``).

Keys and values are plain tuples of strings, bytes and numbers, nested as little as they can
be: the garbage collector stops tracking such a tuple in a pass that finds its items untracked
(a level of nesting a pass), so tens of thousands of kept answers add nothing to its full
passes, which stop every thread of the web process (``lod.serving.settle_heap``); objects with
attributes would each be scanned in every pass.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from pathlib import Path

ENTRY_LIMIT = 4 * 1024 * 1024
_VOLATILE = re.compile(r"\b(RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
_OVERHEAD = 200  # bytes counted per entry beside its body (key, bookkeeping)


def cacheable(query: str) -> bool:
    """False for a query whose answer may change without a publish."""
    return _VOLATILE.search(query) is None


class ResultCache:
    def __init__(self, store_dir: Path | str, max_bytes: int):
        self.current = Path(store_dir) / "checkpoints" / "CURRENT"
        self.max_bytes = max_bytes
        self.entry_limit = min(ENTRY_LIMIT, max_bytes // 8)
        self.size = 0
        self._entries: OrderedDict[tuple, tuple] = OrderedDict()  # (cost, *value)
        self._generation: tuple | None = None
        self._lock = threading.Lock()

    def generation(self) -> tuple | None:
        """The checkpoint now served (None: nothing published yet)."""
        try:
            st = os.stat(self.current)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def key(self, *parts) -> tuple:
        """The key of a query now: the checkpoint, then ``parts`` (query, dataset, formats…)."""
        return (self.generation(), *parts)

    def get(self, key: tuple) -> tuple | None:
        with self._lock:
            self._follow(key[0])
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return hit[1:]

    def put(self, key: tuple, value: tuple, size: int) -> None:
        """Keep `value` (a tuple of strings, bytes, numbers) whose bytes count `size`."""
        cost = size + _OVERHEAD
        if cost > self.entry_limit:
            return
        with self._lock:
            if key[0] != self._generation:
                if key[0] != self.generation():
                    return  # a publish came in between: the answer may be of either checkpoint
                self._follow(key[0])
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[0]
            self._entries[key] = (cost, *value)  # flat: see the module's docstring
            self.size += cost
            while self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= dropped[0]

    def _follow(self, generation) -> None:
        """Drop everything when the served checkpoint has changed."""
        if generation != self._generation:
            self._entries.clear()
            self.size = 0
            self._generation = generation

    def __len__(self) -> int:
        return len(self._entries)
