"""Structured access log: one JSON object per request on the ``lod.access`` logger (INFO).

``lod serve`` writes it to stderr, one line per request, under waitress and granian alike, so
log shippers need no parser: time, method, path, query, status, bytes, milliseconds, client,
user agent, Accept, worker pid.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time

from flask import Flask, Response, g, request

log = logging.getLogger("lod.access")


def init_app(app: Flask) -> None:
    @app.before_request
    def started() -> None:
        g.lod_started = time.monotonic()

    @app.after_request
    def logged(response: Response) -> Response:
        if log.isEnabledFor(logging.INFO):
            began = g.get("lod_started")
            record = {
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode("utf-8", "replace"),
                "status": response.status_code,
                "bytes": response.content_length,
                "ms": round((time.monotonic() - began) * 1000, 1) if began else None,
                "client": request.remote_addr,
                "agent": request.headers.get("User-Agent", ""),
                "accept": request.headers.get("Accept"),
                "pid": os.getpid(),
            }
            log.info(json.dumps(record, ensure_ascii=False))
        return response


def to_stderr() -> None:
    """Write the access log to stderr (``lod serve``)."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
