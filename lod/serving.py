"""Which HTTP server runs the web app, by the store it serves.

* Embedded store (``LOD_STORE`` empty): one process, many threads (waitress). pyoxigraph
  lets one process open the store read-write and releases the GIL while it evaluates a query,
  so threads share the cores; public SPARQL queries run in their own worker processes
  (``lod.sparql``).
* Remote store: the web tier keeps no state of its own (the store is a SPARQL server, the
  published files are under ``LOD_HOME``, which several hosts may share), so it runs as several
  worker processes under gunicorn, each with a few threads; more hosts behind a proxy scale it
  further. The same can be started by hand: ``gunicorn -w 4 'lod.app:create_app()'``.
"""

from __future__ import annotations

import os

from .errors import BadInput


def default_workers() -> int:
    """Worker processes for a remote store: two per core, at most 8 (they mostly wait for
    the SPARQL server)."""
    return max(2, min(8, 2 * (os.cpu_count() or 1)))


def check_workers(settings, workers: int) -> int:
    """The number of worker processes to run (0: choose), refusing several for the embedded
    store."""
    if not settings.store:
        if workers > 1:
            raise BadInput(
                f"--workers {workers}: the embedded store is served by one process",
                hint="use --threads for more concurrency, or a remote store (LOD_STORE) for "
                "several worker processes",
            )
        return 1
    return workers or default_workers()


def run_gunicorn(settings, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn: `workers` processes of `threads` threads; blocks until stopped."""
    from gunicorn.app.base import BaseApplication

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
