"""Which HTTP server runs the web app, by the store it serves.

* Embedded store (``LOD_STORE`` empty), by default: one process, many threads (waitress).
  No process keeps the store open read-write (``lod.store.embedded``): readers open read-only
  checkpoints, a writer takes a file lock, so public SPARQL queries run in their own worker
  processes (``lod.sparql``).
* Embedded store with ``--workers N`` (N > 1): gunicorn with N web processes, each of a few
  threads, opening the same read-only checkpoints and running its own SPARQL worker pool. The
  query workers and the concurrency limits are divided among the N processes
  (``lod.sparql.limits.share``) so that they hold for the whole server; writes over HTTP stay one
  at a time under the store's lock, whichever process takes them.
* Remote store: the web tier keeps no state of its own (the store is a SPARQL server, the
  published files are under ``LOD_HOME``, which several hosts may share), so it runs as several
  worker processes under gunicorn, each with a few threads; more hosts behind a proxy scale it
  further. The same can be started by hand: ``gunicorn -w 4 'lod.app:create_app()'``.
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
    (1: waitress, more: gunicorn), for a remote store ``default_workers()``."""
    if workers < 0:
        raise BadInput(f"--workers {workers}: expected 0 (choose) or more", hint="e.g. --workers 2")
    if not settings.store:
        return workers or 1
    return workers or default_workers()


def refresh_in_child(settings) -> None:
    """Refresh the catalogue of the embedded store in a child process, before gunicorn forks its
    web processes. The gunicorn master must never open the store itself: RocksDB (under
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


def run_gunicorn(settings, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn: `workers` processes of `threads` threads; blocks until stopped.
    For the embedded store each process gets its share of the SPARQL limits."""
    from gunicorn.app.base import BaseApplication

    from .sparql.limits import share

    if not settings.store:
        settings = share(settings, workers)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "accesslog": None,  # lod's own JSON access log instead (lod.web.accesslog)
        "timeout": max(60, int(settings.sparql_timeout) * 2),
        "graceful_timeout": 30,
        "proc_name": "lod",
    }

    class Lod(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):  # in each worker, after the fork: its own store connection
            from .app import create_app

            return create_app(settings)

    Lod().run()
