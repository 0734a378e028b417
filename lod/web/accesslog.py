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

from flask import Flask

log = logging.getLogger("lod.access")


def init_app(app: Flask) -> None:
    """Log every request of ``app`` (wraps its WSGI callable, so apply ProxyFix after this:
    the client address logged is then the one ProxyFix found)."""
    app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]


class AccessLog:
    """WSGI middleware: the log line is made from the WSGI environ and the status line and
    headers the application started its answer with, not from Flask's request and response
    objects (two request hooks and a dozen proxy lookups cost more per request than the rest
    of a cached /sparql answer); ``ms`` is the time until the application returned its body."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not log.isEnabledFor(logging.INFO):
            return self.app(environ, start_response)
        began = time.monotonic()
        answer: list = []

        def started(status, headers, exc_info=None):
            answer[:] = (status, headers)
            return start_response(status, headers, exc_info)

        body = self.app(environ, started)
        ms = round((time.monotonic() - began) * 1000, 1)
        status, headers = answer or ("0", ())
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "method": environ.get("REQUEST_METHOD"),
            "path": "/" + _text(environ.get("PATH_INFO", "")).lstrip("/"),
            "query": _text(environ.get("QUERY_STRING", "")),
            "status": int(status.split(" ", 1)[0]),
            "bytes": int(length) if length is not None else None,
            "ms": ms,
            "client": environ.get("REMOTE_ADDR"),
            "agent": environ.get("HTTP_USER_AGENT", ""),
            "accept": environ.get("HTTP_ACCEPT"),
            "pid": os.getpid(),
        }
        log.info(json.dumps(record, ensure_ascii=False))
        return body


def _text(wsgi: str) -> str:
    """A WSGI environ string (bytes as latin-1) as the UTF-8 text it carries (a server that
    put decoded text there is taken at its word)."""
    try:
        return wsgi.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return wsgi


def to_stderr() -> None:
    """Write the access log to stderr (``lod serve``)."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
