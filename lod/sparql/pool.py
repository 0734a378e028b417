"""A pool of query worker processes with a hard time limit per query.

Each worker (``lod.sparql.worker``) is a separate process reading the newest read-only
checkpoint of the embedded store. A query is given to an idle worker; if its result has not
come back when the time limit passes, the worker is killed (the only way to stop an Oxigraph
query) and a fresh one is started in the background. The pool starts its workers on first
use and add workers as the load needs them (up to ``size``), so an app that never answers a
query never starts a process.
"""

from __future__ import annotations

import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import frames

DRAIN_LIMIT = 16 * 1024 * 1024  # an abandoned result this small is read off, not killed
STARTUP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Job:
    query: str
    default_graphs: list[str] | None
    named_graphs: list[str] | None
    base_iri: str | None
    results: str | None  # media type for booleans and solutions (None: not acceptable)
    rdf: str | None  # media type for graphs (None: not acceptable)
    max_rows: int = 0


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free in time."""


class WorkerFailed(Exception):
    """The worker died while evaluating; ``out_of_memory`` if it aborted (what Oxigraph does
    when an allocation fails: the worker's memory limit, ``RLIMIT_DATA``)."""

    def __init__(self, out_of_memory: bool = False):
        super().__init__("out of memory" if out_of_memory else "the worker ended")
        self.out_of_memory = out_of_memory


class WorkersCannotStart(Exception):
    """No worker process could be started (the message says why)."""


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env


class Worker:
    def __init__(self, store_dir: Path, memory_quads: int = 0, max_bytes: int = 0):
        command = [sys.executable, "-m", "lod.sparql.worker", str(store_dir)]
        self.process = subprocess.Popen(
            command + [str(memory_quads), str(max_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_worker_env(),
        )
        self.reader = frames.FrameReader(self.process.stdout.fileno())  # type: ignore[union-attr]
        self.pid = self.process.pid
        self.ready = False
        self.in_memory = False  # its last answer came from an in-memory copy of the store

    def wait_ready(self, timeout: float) -> None:
        self.reader.read_json(frames.READY, time.monotonic() + timeout)

    def alive(self) -> bool:
        return self.process.poll() is None

    def submit(self, job: Job) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(json.dumps(vars(job)).encode() + b"\n")  # not asdict: it deep-copies
        stdin.flush()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.close()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


class Answer:
    """A finished query: its header, then its serialized bytes (read from the worker in
    chunks). Close it when done; a worker whose answer is abandoned is drained or killed."""

    def __init__(self, pool: WorkerPool, worker: Worker, header: dict):
        self.pool, self.worker, self.header = pool, worker, header
        self.remaining = header.get("size", 0)
        self.done = False

    def chunks(self) -> Iterator[bytes]:
        try:
            while True:
                kind, payload = self.worker.reader.read(time.monotonic() + self.pool.timeout)
                if kind == frames.END:
                    self._finish(reusable=True)
                    return
                self.remaining -= len(payload)
                yield payload
        finally:
            self.close()

    def close(self) -> None:
        if self.done:
            return
        if self.remaining <= DRAIN_LIMIT:
            try:
                while (
                    self.worker.reader.read(time.monotonic() + self.pool.timeout)[0] != frames.END
                ):
                    pass
                self._finish(reusable=True)
                return
            except (frames.TimedOut, frames.WorkerGone):
                pass
        self._finish(reusable=False)

    def _finish(self, reusable: bool) -> None:
        self.done = True
        # a worker that ran a long query at low priority and cannot get it back retires
        self.pool._release(self.worker, reusable and not self.header.get("retire"))


class WorkerPool:
    def __init__(
        self,
        store_dir: Path,
        *,
        size: int,
        timeout: float,
        memory_quads: int = 0,
        max_bytes: int = 0,
    ):
        self.store_dir = Path(store_dir)
        self.memory_quads = memory_quads
        self.max_bytes = max_bytes  # each worker's memory limit (0: none)
        self.size = max(1, size)
        self.timeout = float(timeout) if timeout else math.inf  # 0: no limit
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self._starting = 0
        self._closed = False
        self.start_error: str | None = None
        _POOLS.add(self)

    # ------------------------------------------------------------------ processes
    def pids(self) -> list[int]:
        """The workers ready for queries (or busy with one)."""
        with self._lock:
            return sorted(w.pid for w in self._workers if w.ready)

    def status(self) -> dict:
        """For /health: the pool's size, its started workers, and how many of them answered
        their last query from an in-memory copy of the store."""
        with self._lock:
            ready = [w for w in self._workers if w.ready]
            return {
                "size": self.size,
                "workers": len(ready),
                "in_memory": sum(1 for w in ready if w.in_memory),
            }

    def _grow(self) -> None:
        """Start one more worker in the background, unless the pool is full. Workers start
        as the load needs them (the first query starts one) and then stay."""
        with self._lock:
            ready = sum(1 for w in self._workers if w.ready)
            if self._closed or ready + self._starting >= self.size:
                return
            self._starting += 1
        threading.Thread(target=self._start_one, daemon=True, name="lod-sparql-start").start()

    def _start_one(self) -> None:
        worker = None
        try:
            worker = Worker(self.store_dir, self.memory_quads, self.max_bytes)
            with self._lock:
                self._workers.add(worker)  # from now on close() stops it, ready or not
                closed = self._closed
            if closed:
                raise RuntimeError("the pool closed")
            worker.wait_ready(STARTUP_TIMEOUT)
        except Exception as exc:  # logged; the next query tries again
            self.start_error = f"{exc!r}"
            if not self._closed:
                print(f"lod: a SPARQL worker failed to start: {exc!r}", file=sys.stderr)
            with self._lock:
                self._starting -= 1
                if worker is not None:
                    self._workers.discard(worker)
            if worker is not None:
                worker.kill()
            return
        with self._lock:
            self._starting -= 1
            worker.ready = True
            self.start_error = None
        self._idle.put(worker)

    def _release(self, worker: Worker, reusable: bool) -> None:
        if reusable and worker.alive() and not self._closed:
            self._idle.put(worker)
            return
        with self._lock:
            self._workers.discard(worker)
        worker.kill()
        self._grow()  # its replacement

    def _acquire(self, wait: float) -> Worker:
        deadline = time.monotonic() + wait
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                self._grow()
                worker = self._wait_idle(deadline)
            if worker.alive():
                return worker
            self._release(worker, reusable=False)

    def _wait_idle(self, deadline: float) -> Worker:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PoolBusy
            try:
                return self._idle.get(timeout=min(left, 0.25))
            except queue.Empty:
                with self._lock:
                    broken = self.start_error and not self._workers and not self._starting
                if broken:
                    raise WorkersCannotStart(self.start_error) from None

    # ------------------------------------------------------------------ queries
    def query(self, job: Job, *, wait: float | None = None) -> Answer:
        """Evaluate ``job`` in a worker within the time limit (waiting up to ``wait`` seconds,
        default the time limit, for a free worker)."""
        if self._closed:
            raise RuntimeError("the SPARQL worker pool is closed")
        worker = self._acquire(self.timeout if wait is None else wait)
        try:
            worker.submit(job)
            header = worker.reader.read_json(frames.HEADER, time.monotonic() + self.timeout)
            worker.in_memory = bool(header.get("in_memory"))
        except frames.TimedOut:
            self._release(worker, reusable=False)
            raise QueryTimeout from None
        except (frames.WorkerGone, OSError, ValueError):
            self._release(worker, reusable=False)
            raise WorkerFailed(worker.process.returncode == -signal.SIGABRT) from None
        return Answer(self, worker, header)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.kill()


_POOLS: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def close_all() -> None:
    """Kill every worker of every pool (at interpreter exit)."""
    for pool in list(_POOLS):
        pool.close()
