"""Repeated ``GET /sparql`` requests answered before Flask.

The query engine's result cache (``lod.sparql.cache``) already spares a repeated query its
worker; what is left of such a request is the web framework's work: routing, parsing the
query string, negotiating the format, building the response, the after-request hooks. That
is most of the CPU a cached answer costs. So a GET whose answer the engine could reuse
(``QueryResponse.reusable``: not volatile, small, of the checkpoint being served) keeps its
whole HTTP answer, status, headers and body, in the same cache, keyed by the raw query string
and ``Accept`` header; the same GET then gets those bytes back without entering Flask.

It keeps every guarantee of the result cache: one budget of bytes, entries valid only for
the checkpoint they were made on (``ResultCache.key`` starts with it, and ``put`` refuses an
answer if a publish came in between), and answers that may change between runs (``RAND()``
…) are never reused. Only 200 answers to GET are kept; errors, the HTML query page, POSTs and
streamed (large) answers always go through Flask. The access log sees every request.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from flask import Flask, request

_MARK = "lod.sparql.reusable"  # set in the WSGI environ by the /sparql view


@dataclass(frozen=True)
class HttpAnswer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    def kept(self) -> tuple:
        """What the cache keeps of it: plain, flat tuples (see ``lod.sparql.cache``), the
        headers as name, value, name, value…"""
        return (self.status, tuple(chain.from_iterable(self.headers)), self.body)


def init_app(app: Flask, path: str = "/sparql", direct=None) -> None:
    """``direct(app, environ)``: an answer to a GET the cache does not hold, made without
    Flask, and whether it may be kept (``lod.web.sparql_direct.respond``), or None."""
    app.wsgi_app = AnswerCache(app, app.wsgi_app, path, direct)  # type: ignore[method-assign]


def reusable() -> None:
    """Called by the /sparql view: this request's answer may be kept and given again."""
    request.environ[_MARK] = True


class AnswerCache:
    """WSGI middleware in front of the Flask app, for GETs of one path."""

    def __init__(self, flask: Flask, app, path: str, direct=None):
        self.flask, self.app, self.path, self.direct = flask, app, path, direct

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING")
        if (
            not query
            or environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") != self.path
        ):
            return self.app(environ, start_response)
        cache = self._cache()
        key = None
        if cache is not None:
            key = cache.key("http", query, environ.get("HTTP_ACCEPT", ""))
            hit = cache.get(key)
            if hit is not None:
                status, headers, body = hit
                start_response(status, list(zip(headers[::2], headers[1::2], strict=True)))
                return [body]
        made = self.direct(self.flask, environ) if self.direct is not None else None
        if made is not None:
            answer, keep = made
            if keep and key is not None:
                cache.put(key, answer.kept(), len(answer.body))
            start_response(answer.status, list(answer.headers))
            return [answer.body]
        if key is None:
            return self.app(environ, start_response)
        started: list = []

        def start(status, headers, exc_info=None):
            started[:] = (status, headers)
            return start_response(status, headers, exc_info)

        body = self.app(environ, start)
        if not environ.get(_MARK) or not started or not started[0].startswith("200 "):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        cache.put(key, HttpAnswer(started[0], started[1], data).kept(), len(data))
        return [data]

    def _cache(self):
        """The query engine's result cache (None: the engine has none, e.g. a remote store)."""
        return getattr(self.flask.extensions.get("lod.sparql"), "cache", None)
