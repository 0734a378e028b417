"""Query engines behind ``/sparql``: the worker pool (embedded store) or the store itself.

The web layer hands an engine a ``QueryRequest`` (the query, the protocol's dataset, the
formats the client accepts) and gets a ``QueryResponse`` (the chosen format and the bytes) or
one of the errors below, each with its HTTP status and a message that says what to change.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import BadInput, LodError, NotAcceptable
from ..formats import Format
from . import frames
from .cache import ResultCache, cacheable
from .inline import InlineLookups
from .limits import Admission, EndpointBusy, default_workers
from .pool import Job, PoolBusy, QueryTimeout, WorkerFailed, WorkerPool, WorkersCannotStart


class QuerySyntaxError(BadInput):
    """The query does not parse (400); ``where`` gives line and column."""


class QueryTimedOut(LodError):
    """The query ran past the time limit and was stopped (503)."""

    status = 503


class QueryFailed(LodError):
    """Evaluation failed for another reason (500)."""

    status = 500


@dataclass
class QueryRequest:
    query: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    base_iri: str | None = None
    results: Format | None = None  # for SELECT and ASK; None: the client accepts none
    rdf: Format | None = None  # for CONSTRUCT and DESCRIBE
    client: str = "-"


@dataclass
class QueryResponse:
    kind: str  # "boolean", "solutions" or "graph"
    format: Format
    body: Iterator[bytes]
    size: int | None = None
    rows: int = 0
    truncated: bool = False
    max_rows: int = 0
    on_close: list[Callable[[], None]] = field(default_factory=list)
    # the answer depends only on the request and the published checkpoint (it went into, or
    # came from, the result cache) and is small: lod.web.answer_cache keeps the HTTP answer
    reusable: bool = False

    def read(self) -> bytes:
        try:
            return b"".join(self.body)
        finally:
            self.close()

    def close(self) -> None:
        for call in self.on_close:
            call()


class Engine(Protocol):
    def run(self, request: QueryRequest) -> QueryResponse: ...

    def close(self) -> None: ...


def timeout_error(seconds: float) -> QueryTimedOut:
    return QueryTimedOut(
        f"the query ran longer than the limit of {seconds:g} s and was stopped",
        hint="make the query cheaper: add LIMIT, join patterns on shared variables (no "
        "cartesian products), filter early, aggregate less; or download the data dumps. "
        "The operator sets the limit with LOD_SPARQL_TIMEOUT",
    )


_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(message: str) -> QuerySyntaxError:
    match = _POSITION.search(message)
    where = f"query, line {match.group(1)}, column {match.group(2)}" if match else "query"
    if len(message) > 600:
        message = message[:600] + " …"
    return QuerySyntaxError(
        f"query syntax error: {message}", where=where, hint="fix the query at the position given"
    )


def not_acceptable(kind: str) -> NotAcceptable:
    what = "a graph (CONSTRUCT/DESCRIBE)" if kind == "graph" else "a table or a boolean"
    offer = (
        "text/turtle, application/n-triples, application/ld+json, application/rdf+xml, "
        "application/n-quads, application/trig"
        if kind == "graph"
        else "application/sparql-results+json, application/sparql-results+xml, text/csv, "
        "text/tab-separated-values"
    )
    return NotAcceptable(
        f"the query returns {what}, and none of the accepted media types can hold it",
        hint=f"accept one of {offer}",
    )


class PoolEngine:
    """The embedded store: every query in a worker process, killed at the time limit, but
    lookups of one triple pattern, which the web process answers from its in-memory copy
    (``inline``); small answers kept in the result cache until the next publish."""

    def __init__(self, settings, store_dir: Path):
        self.timeout = float(settings.sparql_timeout)
        self.max_rows = int(settings.sparql_max_rows)
        self.admission = Admission(settings.sparql_max_per_client, settings.sparql_max_concurrent)
        size = worker_count(settings)
        self.max_bytes = worker_max_bytes(int(settings.sparql_worker_max_bytes), size)
        self.pool = WorkerPool(
            store_dir,
            size=size,
            timeout=self.timeout,
            memory_quads=int(settings.sparql_memory_quads),
            max_bytes=self.max_bytes,
        )
        size = int(settings.sparql_cache_bytes)
        self.cache = ResultCache(store_dir, size) if size > 0 else None
        # lookups of one pattern in this process: only from an in-memory copy of the store, and
        # only with a row limit (lod.sparql.inline); else no copy is made here for nothing
        rows, quads = int(settings.sparql_inline_rows), int(settings.sparql_memory_quads)
        self.inline = (
            InlineLookups(store_dir, self.max_rows, rows, quads, self.max_bytes)
            if rows > 0 and quads > 0 and self.max_rows > 0
            else None
        )

    def run(self, request: QueryRequest) -> QueryResponse:
        key = None
        if self.cache is not None and cacheable(request.query):
            key = self.cache.key(
                request.query,
                tuple(request.default_graphs) if request.default_graphs is not None else None,
                tuple(request.named_graphs) if request.named_graphs is not None else None,
                request.base_iri,
                request.results.media_type if request.results else None,
                request.rdf.media_type if request.rdf else None,
                self.max_rows,
            )
            hit = self.cache.get(key)
            if hit is not None:  # no worker, no admission: it costs nothing
                kind, body, rows, truncated = hit
                return self._response(
                    request, kind, iter([body]), len(body), rows, truncated, reusable=True
                )
        leave = self.admission.enter(request.client)
        job = Job(
            request.query,
            request.default_graphs,
            request.named_graphs,
            request.base_iri,
            request.results.media_type if request.results else None,
            request.rdf.media_type if request.rdf else None,
            self.max_rows,
        )
        if self.inline is not None:
            try:
                inline = self.inline.run(job)  # a lookup answered in this process
            except BaseException:
                leave()
                raise
            if inline is not None:
                leave()
                return self._small(request, key, *inline)
        try:
            answer = self.pool.query(job)
        except QueryTimeout:
            leave()
            raise timeout_error(self.timeout) from None
        except PoolBusy:
            leave()
            raise EndpointBusy(
                f"no query worker became free within {self.timeout:g} s",
                hint="retry in a few seconds",
            ) from None
        except WorkersCannotStart as exc:
            leave()
            raise QueryFailed(
                f"the SPARQL query workers cannot start: {exc}",
                hint="the operator finds the cause in the server's log",
            ) from None
        except WorkerFailed as failed:
            leave()
            if failed.out_of_memory:
                raise QueryFailed(
                    "the query needed more memory than a query worker may use "
                    f"({self.max_bytes / 2**20:,.0f} MiB); it was stopped",
                    hint="make the query narrower: fewer rows to sort, group or DISTINCT, no "
                    "cartesian products, LIMIT; the operator sets the limit with "
                    "LOD_SPARQL_WORKER_MAX_BYTES",
                ) from None
            raise QueryFailed(
                "the query worker ended while evaluating the query",
                hint="make the query cheaper or narrower",
            ) from None
        except BaseException:
            leave()
            raise
        header = answer.header
        if not header["ok"]:
            answer.close()
            leave()
            raise _header_error(header)
        kind = header["kind"]
        if key is None or self.cache is None or header["size"] > self.cache.entry_limit:
            return self._response(
                request,
                kind,
                answer.chunks(),
                header["size"],
                header["rows"],
                header["truncated"],
                [answer.close, leave],
            )
        try:
            body = b"".join(answer.chunks())  # small: read now, and kept
        except frames.TimedOut:
            raise timeout_error(self.timeout) from None
        except frames.WorkerGone:
            raise QueryFailed("the query worker ended while sending the answer") from None
        finally:
            answer.close()
            leave()
        return self._small(request, key, header, body)

    def _small(self, request, key, header: dict, body: bytes) -> QueryResponse:
        """A whole answer in memory, kept in the result cache when its query may be."""
        kind, rows, truncated = header["kind"], header["rows"], header["truncated"]
        reusable = False
        if key is not None and self.cache is not None and len(body) <= self.cache.entry_limit:
            self.cache.put(key, (kind, body, rows, truncated), len(body))
            reusable = True
        return self._response(
            request, kind, iter([body]), len(body), rows, truncated, reusable=reusable
        )

    def _response(
        self, request, kind, body, size, rows, truncated, on_close=(), *, reusable=False
    ) -> QueryResponse:
        fmt = request.rdf if kind == "graph" else request.results
        if fmt is None:  # a cached answer of the other kind of format than this request's
            raise not_acceptable(kind)
        return QueryResponse(
            kind,
            fmt,
            body,
            size=size,
            rows=rows,
            truncated=truncated,
            max_rows=self.max_rows,
            on_close=list(on_close),
            reusable=reusable,
        )

    def status(self) -> dict:
        """For /health: the worker pool's, and whether lookups are answered from memory."""
        status = self.pool.status()
        status["lookups_in_memory"] = self.inline is not None and self.inline.in_memory
        return status

    def close(self) -> None:
        self.pool.close()


def _header_error(header: dict) -> LodError:
    if header["error"] == "syntax":
        return syntax_error(header["message"])
    if header["error"] == "format":
        return not_acceptable(header["kind"])
    return QueryFailed(f"the query failed: {header.get('message')}")


class StoreEngine:
    """Any other store (a remote SPARQL server): the store's own ``query``, waited for at most
    the time limit. The remote server must stop the query itself; rows are not cut here."""

    def __init__(self, settings, store):
        self.store = store
        self.timeout = float(settings.sparql_timeout)
        self.admission = Admission(settings.sparql_max_per_client, settings.sparql_max_concurrent)
        self.executor = ThreadPoolExecutor(
            max_workers=max(1, settings.sparql_max_concurrent or 8),
            thread_name_prefix="lod-sparql",
        )

    def run(self, request: QueryRequest) -> QueryResponse:
        from ..store import QuerySyntaxError as StoreSyntaxError

        leave = self.admission.enter(request.client)
        try:
            future = self.executor.submit(self._evaluate, request)
            try:
                kind, fmt, body = future.result(timeout=self.timeout or None)  # 0: no limit
            except FutureTimeout:
                raise timeout_error(self.timeout) from None
            except StoreSyntaxError as exc:
                raise syntax_error(str(exc)) from None
        finally:
            leave()
        return QueryResponse(kind, fmt, iter([body]), size=len(body))

    def _evaluate(self, request: QueryRequest) -> tuple[str, Format, bytes]:
        """Query and serialize in one thread (pyoxigraph's results must stay in the thread
        that made them)."""
        result = self.store.query(
            request.query,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            base_iri=request.base_iri,
        )
        fmt = request.rdf if result.kind == "graph" else request.results
        if fmt is None:
            raise not_acceptable(result.kind)
        return result.kind, fmt, result.serialize(fmt)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def worker_max_bytes(setting: int, workers: int) -> int:
    """Each query worker's memory limit: the setting; for 0 the machine's memory shared by the
    workers (at least one per CPU: with ``lod serve --workers N`` a process has only its share)
    and the rest (web processes, the system) as one more; -1: none (0)."""
    if setting < 0:
        return 0
    if setting > 0:
        return setting
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # not POSIX: no limit
        return 0
    return total // (max(workers, os.cpu_count() or 1) + 1)


def worker_count(settings) -> int:
    return settings.sparql_workers or default_workers()
