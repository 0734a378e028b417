"""Values derived from the store, computed once per store generation.

The store's content changes only when something is published, and the embedded store names
each of its states: its newest checkpoint (`generation`). A value derived from the store
(VoID statistics, a data-derived example query, a serialized catalogue page) is kept until the
generation changes, and concurrent requests for it wait for one computation. A store that
cannot name its generation (a remote SPARQL server, which others may change) keeps values
`ttl` seconds, or not at all.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


def generation(store) -> Hashable | None:
    """What changes whenever the store's content does, or None if the store cannot tell.

    The embedded store's readers use the newest checkpoint, and every write makes a new one,
    so the checkpoint's name is the generation."""
    for name in ("generation", "_current_name"):
        method = getattr(store, name, None)
        if callable(method):
            return method()
    return None


class PerGeneration(Generic[T]):
    """At most `entries` values, each computed once per generation of its store (least
    recently used first out; a new generation drops the values of the old one)."""

    def __init__(self, *, ttl: float | None = 600.0, entries: int = 64):
        self.ttl, self.entries = ttl, entries  # ttl None: nothing kept without a generation
        self._values: OrderedDict[tuple, tuple[Hashable | None, float, T]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    def get(self, store, key: Hashable, compute: Callable[[], T]) -> T:
        gen = generation(store)
        if gen is None and self.ttl is None:
            return compute()
        slot = (id(store), key)
        with self._lock:
            computing = self._computing.setdefault(slot, threading.Lock())
        with computing:
            now = time.monotonic()
            with self._lock:
                hit = self._values.get(slot)
                if (
                    hit is not None
                    and hit[0] == gen
                    and (gen is not None or now - hit[1] < self.ttl)
                ):
                    self._values.move_to_end(slot)
                    return hit[2]
            value = compute()
            with self._lock:
                for old in [s for s, v in self._values.items() if s[0] == slot[0] and v[0] != gen]:
                    del self._values[old]
                self._values[slot] = (gen, now, value)
                self._values.move_to_end(slot)
                while len(self._values) > self.entries:
                    gone, _ = self._values.popitem(last=False)
                    self._computing.pop(gone, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
