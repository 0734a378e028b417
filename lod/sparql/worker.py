"""A query worker: a process that evaluates one public SPARQL query at a time.

Started by ``lod.sparql.pool`` as ``python -m lod.sparql.worker STORE_DIR [MEMORY_QUADS
[MAX_BYTES]]`` (``limit_memory``). It
reads jobs (JSON lines) on stdin, evaluates each on the newest read-only checkpoint (or its
in-memory copy: ``lod.sparql.checkpoint``), writes the whole serialized result to a spool
file and only then sends it back (``lod.sparql.frames``): so the web process knows the
outcome (status, size, truncation) before it answers, and a query that passes the time limit
is stopped by killing this process, whatever it was doing.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time

import pyoxigraph as ox

from . import frames
from .checkpoint import Checkpoints
from .text import has_dataset_clause, star_order
from .writers import NoFormat, kind_of, write

SPOOL_IN_MEMORY = 8 * 1024 * 1024
DEMOTE_AFTER = 0.5  # seconds: a query running longer yields the CPU to short ones
LOWEST_PRIORITY = 19


def dataset_arguments(job: dict) -> dict:
    """The dataset of a query: the protocol's graphs if any were given (they override FROM,
    and a side not given is empty), else the query's own FROM, else the union of all graphs."""
    default, named = job.get("default_graphs"), job.get("named_graphs")
    if default is None and named is None:
        if has_dataset_clause(job["query"]):
            return {}
        return {"use_default_graph_as_union": True}
    return {
        "default_graph": [ox.NamedNode(g) for g in default or ()],
        "named_graphs": [ox.NamedNode(g) for g in named or ()],
    }


def _format(factory, media_type: str | None):
    return factory.from_media_type(media_type) if media_type else None


def evaluate(store: ox.Store, job: dict, spool) -> dict:
    """Run one job into ``spool``; the header frame's content."""
    try:
        raw = store.query(job["query"], base_iri=job.get("base_iri"), **dataset_arguments(job))
        written = write(
            raw,
            spool,
            results=_format(ox.QueryResultsFormat, job.get("results")),
            rdf=_format(ox.RdfFormat, job.get("rdf")),
            max_rows=job.get("max_rows", 0),
            order=star_order(job["query"]),
        )
    except SyntaxError as exc:
        return {"ok": False, "error": "syntax", "message": str(exc)}
    except NoFormat:
        return {"ok": False, "error": "format", "kind": kind_of(raw)}
    except Exception as exc:  # e.g. OSError reading the store; the worker lives on
        return {"ok": False, "error": "failed", "message": str(exc)}
    return {
        "ok": True,
        "kind": written.kind,
        "rows": written.rows,
        "truncated": written.truncated,
        "size": spool.tell(),
    }


def _answer(out, header: dict, spool) -> None:
    if not header["ok"] or header["size"] <= frames.CHUNK:
        # a small answer goes in one write: one wake-up of the web process, not three
        spool.seek(0)
        data = spool.read() if header["ok"] else b""
        parts = [frames.frame(frames.HEADER, header)]
        if data:
            parts.append(frames.frame(frames.DATA, data))
        parts.append(frames.frame(frames.END, b""))
        out.write(b"".join(parts))
        out.flush()
        return
    frames.send(out, frames.HEADER, header)
    if header["ok"]:
        spool.seek(0)
        while chunk := spool.read(frames.CHUNK):
            frames.send(out, frames.DATA, chunk)
    frames.send(out, frames.END, b"")


class Demoter:
    """Drops the thread that evaluates (the main one) to the lowest CPU priority once a query
    has run ``DEMOTE_AFTER`` seconds, so long queries yield the CPU to short ones (Linux sets
    niceness per thread). A watcher thread that lives as long as the worker looks a few times
    per ``DEMOTE_AFTER``; a query only writes two numbers as it begins (waking a thread per
    query cost more than evaluating a point lookup). After the query the thread is put back to
    normal priority; where the system does not allow that (raising priority needs
    CAP_SYS_NICE or RLIMIT_NICE), ``end`` says so and the worker retires after its answer."""

    def __init__(self) -> None:
        self.tid = threading.get_native_id()
        self.lock = threading.Lock()  # demoting and restoring do not cross
        self.started = 0.0
        self.running = False
        self.demoted = False
        threading.Thread(target=self._watch, daemon=True, name="lod-demoter").start()

    def begin(self) -> None:
        self.started = time.monotonic()
        self.running = True

    def end(self) -> bool:
        """The query is done; False if this thread could not get its priority back."""
        with self.lock:
            self.running = False
            if not self.demoted:
                return True
            try:
                os.setpriority(os.PRIO_PROCESS, self.tid, 0)
            except OSError:
                return False
            self.demoted = False
            return True

    def _watch(self) -> None:
        while True:
            time.sleep(DEMOTE_AFTER / 4)
            with self.lock:
                if (
                    self.running
                    and not self.demoted
                    and time.monotonic() - self.started >= DEMOTE_AFTER
                ):
                    try:
                        os.setpriority(os.PRIO_PROCESS, self.tid, LOWEST_PRIORITY)
                        self.demoted = True
                    except OSError:
                        pass


def _watch_parent() -> None:
    """Exit when the web process is gone (stdin is not read while a query runs)."""
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's data memory (``RLIMIT_DATA``: heap and private mappings, not the
    store's mapped files): an allocation beyond it fails, Oxigraph aborts, and the pool
    answers that the query ran out of memory, instead of the machine running out."""
    if max_bytes <= 0:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        max_bytes = min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, hard))


def main(store_dir: str, memory_quads: int = 0, max_bytes: int = 0) -> None:
    limit_memory(max_bytes)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to stderr, never into the frames
    threading.Thread(target=_watch_parent, daemon=True).start()
    checkpoints = Checkpoints(store_dir, memory_quads, max_bytes)
    checkpoints.reader()
    frames.send(out, frames.READY, {"pid": os.getpid()})
    demoter = Demoter()
    for line in sys.stdin.buffer:
        job = json.loads(line)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
            demoter.begin()
            try:
                store = checkpoints.reader()
                header = evaluate(store, job, spool)
                header["in_memory"] = store is not checkpoints.store  # its replica
            finally:
                retire = not demoter.end()
            if retire:
                header["retire"] = True  # the pool replaces this worker after the answer
            _answer(out, header, spool)
        if retire:
            return


if __name__ == "__main__":
    main(sys.argv[1], *(int(arg) for arg in sys.argv[2:4]))
