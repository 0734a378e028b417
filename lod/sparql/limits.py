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


def default_workers(processes: int = 1) -> int:
    """Query workers of one of ``processes`` web processes when ``LOD_SPARQL_WORKERS`` is 0: the
    CPUs divided among the processes, and at least two, so that one long query never holds up
    the other queries of its process (a worker starts only when the load needs it)."""
    import os

    return max(2, (os.cpu_count() or 1) // processes)


def share(settings, processes: int):
    """The settings one of ``processes`` web processes runs with, so that the SPARQL limits hold
    for the whole server: the query workers (``LOD_SPARQL_WORKERS``; 0: ``default_workers``), the
    per-client and the total concurrency limits are divided among the processes, rounding
    down, at least 1 each (a limit of 0, none, stays 0). Each process then admits at most its
    share, so together they never pass a limit that is at least ``processes``; a client whose
    queries all reach one process may be refused (429) before it reaches its whole limit."""
    import dataclasses

    if processes <= 1:
        return settings

    def part(value: int) -> int:
        return max(1, value // processes) if value else 0

    workers = settings.sparql_workers
    values = {
        **settings.values,
        "sparql_workers": part(workers) if workers else default_workers(processes),
        "sparql_max_per_client": part(settings.sparql_max_per_client),
        "sparql_max_concurrent": part(settings.sparql_max_concurrent),
    }
    return dataclasses.replace(settings, values=values)
