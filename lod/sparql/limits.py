"""Admission: how many public queries may run at once, per client address and in all."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from ..errors import LodError

RETRY_CLIENT = 2  # seconds: a client over its own limit waits for one of its queries
RETRY_BUSY = 5  # seconds: the whole endpoint is busy


class TooManyQueries(LodError):
    """This client already runs its allowed number of queries (429)."""

    status = 429
    retry_after = RETRY_CLIENT


class EndpointBusy(LodError):
    """The endpoint runs its allowed number of queries in all (503)."""

    status = 503
    retry_after = RETRY_BUSY


class Admission:
    def __init__(self, per_client: int, total: int):
        self.per_client = per_client
        self.total = total
        self._lock = threading.Lock()
        self._running: Counter[str] = Counter()

    def enter(self, client: str) -> Callable[[], None]:
        """Admit one query of ``client`` or raise; returns the function that ends it (safe to
        call more than once)."""
        with self._lock:
            if self.per_client and self._running[client] >= self.per_client:
                raise TooManyQueries(
                    f"this client already runs {self.per_client} queries at once, the limit",
                    hint=f"wait for a query to finish (retry after {RETRY_CLIENT} s); "
                    "run queries one after another",
                )
            if self.total and self._running.total() >= self.total:
                raise EndpointBusy(
                    f"the endpoint runs {self.total} queries at once, its limit",
                    hint=f"retry after {RETRY_BUSY} s",
                )
            self._running[client] += 1
        left = False

        def leave() -> None:
            nonlocal left
            with self._lock:
                if left:
                    return
                left = True
                self._running[client] -= 1
                if self._running[client] <= 0:
                    del self._running[client]

        return leave
