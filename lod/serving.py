"""Which HTTP server runs the web app, by the store it serves.

* Embedded store (``LOD_STORE`` empty), by default: one process, many threads (waitress).
  No process keeps the store open read-write (``lod.store.embedded``): readers open read-only
  checkpoints, a writer takes a file lock, so public SPARQL queries run in their own worker
  processes (``lod.sparql``).
* Embedded store with ``--workers N`` (N > 1): granian with N web processes, each of a few
  threads, opening the same read-only checkpoints and running its own SPARQL worker pool. The
  query workers and the concurrency limits are divided among the N processes
  (``lod.sparql.limits.share``) so that they hold for the whole server; writes over HTTP stay one
  at a time under the store's lock, whichever process takes them.
* Remote store: the web tier keeps no state of its own (the store is a SPARQL server, the
  published files are under ``LOD_HOME``, which several hosts may share), so it runs as several
  worker processes under granian, each with a few threads; more hosts behind a proxy scale it
  further. The same can be started by hand:
  ``granian --interface wsgi --factory --workers 4 lod.app:create_app``.
"""

from __future__ import annotations

import os

from .errors import BadInput, LodError


def default_workers() -> int:
    """Worker processes for a remote store: two per core, at most 8 (they mostly wait for
    the SPARQL server)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def check_workers(settings, workers: int) -> int:
    """The number of web processes to run (0: choose): for the embedded store one unless asked
    (1: waitress, more: granian), for a remote store ``default_workers()``."""
    if workers < 0:
        raise BadInput(f"--workers {workers}: expected 0 (choose) or more", hint="e.g. --workers 2")
    if not settings.store:
        return workers or 1
    return workers or default_workers()


def refresh_in_child(settings) -> None:
    """Refresh the catalogue of the embedded store in a child process, before granian forks its
    web processes. The server's main process must never open the store itself: RocksDB (under
    pyoxigraph) starts background threads on first use, a forked child does not inherit them,
    and its first write would wait for them forever."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(target=_refresh, args=(settings,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise LodError(
            f"refreshing the catalogue before serving failed (exit {child.exitcode})",
            hint="see the message above",
        )


def _refresh(settings) -> None:
    import sys

    from .publish import refresh_catalog
    from .store import open_store

    try:
        store = open_store(settings)
        try:
            refresh_catalog(store, settings)
        finally:
            store.close()
    except LodError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


class _QuietAboutThreads:
    """Drops granian's warning that many threads per core seem high: lod's threads mostly
    wait for the SPARQL query workers, which do the work in processes of their own."""

    def filter(self, record) -> bool:
        return "Python threads" not in record.getMessage()


def _granian_logging() -> dict:
    """granian's own log lines (workers started and stopped) on stderr, like lod's access log."""
    stream = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    return {
        "filters": {"lod": {"()": _QuietAboutThreads}},
        "handlers": {
            "console": {**stream, "formatter": "generic", "filters": ["lod"]},
            "access": {**stream, "formatter": "access"},
        },
    }


def _web_app(settings):
    """The app of one web process, made in that process after the fork: its own store
    connection and SPARQL worker pool."""
    from .app import create_app
    from .web.accesslog import to_stderr

    to_stderr()
    app = create_app(settings)
    settle_heap()
    return app


def settle_heap() -> None:
    """Leave what start-up made (modules, the app, its routes and templates: about 77,000
    objects) out of the garbage collector's full passes. Such a pass comes whenever enough
    objects have outlived their requests (answers kept in the result cache) and scanned them
    all: 38 ms on the bench store with the process idle, more under load, with every thread of
    the process stopped; it was the 99th percentile of /sparql lookups under load (6–110 ms
    against 0.7 ms for the median). Frozen objects are never collected: start-up leaves no
    garbage that matters (``gc.collect()`` first)."""
    import gc

    gc.collect()
    gc.freeze()


def run_granian(settings, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with granian (a web server written in Rust: HTTP costs a fraction of a pure-Python
    server's CPU per request): `workers` processes, each running the Flask app in `threads`
    threads; blocks until stopped (SIGINT or SIGTERM). For the embedded store each process
    gets its share of the SPARQL limits."""
    import functools

    from granian.constants import Interfaces
    from granian.server import Server

    from .sparql.limits import share

    if not settings.store:
        settings = share(settings, workers)
    server = Server(
        "lod.app:create_app",  # named in granian's log; the app comes from _web_app
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        websockets=False,
        log_dictconfig=_granian_logging(),
        log_access=False,  # lod's own JSON access log instead (lod.web.accesslog)
        respawn_failed_workers=True,
        workers_kill_timeout=30,
    )
    server.serve(target_loader=functools.partial(_web_app, settings), wrap_loader=False)
