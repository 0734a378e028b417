"""Plain ``GET /sparql`` queries answered without Flask.

A lookup that the result cache cannot answer costs the web process three times what its
query costs the worker, and most of that was Flask's: the request context, routing, parsing
the arguments again, building a response object and running the after-request hooks (about
200 µs of CPU in all, against 50 µs for what this module does). So the WSGI middleware in
front of the app (``lod.web.answer_cache``) hands a GET it cannot answer from its cache here
first. This module reads the query string as Werkzeug does, decides the formats with the
view's own functions (``lod.web.sparql``), runs the query on the same engine, and writes the
response with the headers the view and its hooks would have set (tests/test_sparql_direct.py
compares the two paths answer by answer).

Whatever is not a plain query goes on to the view as before: no ``query`` or several, an
``update`` parameter, a browser asking for the HTML page, a ``format`` or ``Accept`` that
nothing offered can satisfy, a query the view refuses (updates, ``SERVICE``), a query string
over the size limit or not UTF-8, a request with a body. And when the query has run but its
answer is not a small success (an error, a big answer to stream), the outcome is handed over
to the view (``sparql.hand_over``), which answers it as if it had run the query itself.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask

from ..errors import LodError
from ..sparql.engine import QueryRequest
from ..sparql.text import query_form, uses_service
from . import sparql as view
from .answer_cache import HttpAnswer
from .http import CORS_HEADERS

_EXPOSED = CORS_HEADERS["Access-Control-Expose-Headers"] + ", Retry-After, X-SPARQL-MaxRows"
_CORS = [
    (name, value) for name, value in CORS_HEADERS.items() if name != "Access-Control-Expose-Headers"
]
_USED = ("query", "format", "default-graph-uri", "named-graph-uri", "update")


def respond(app: Flask, environ: dict) -> tuple[HttpAnswer, bool] | None:
    """The answer to the GET in ``environ`` and whether it may be kept (the engine's
    ``reusable``); None when the view answers it (``environ`` may then carry the outcome)."""
    job = _job(app, environ)
    if job is None:
        return None
    try:
        answer = app.extensions["lod.sparql"].run(job)
    except LodError as exc:
        view.hand_over(environ, job, exc)
        return None
    if answer.size is None or answer.size > view.SMALL_ANSWER:
        view.hand_over(environ, job, answer)
        return None
    body = answer.read()
    headers = [
        ("Content-Type", answer.format.content_type),
        ("Content-Length", str(len(body))),
        ("Vary", "Accept"),
    ]
    if answer.truncated:
        headers.append(("X-SPARQL-MaxRows", str(answer.max_rows)))
    headers.append(("Access-Control-Expose-Headers", _EXPOSED))
    headers += _CORS
    return HttpAnswer("200 OK", headers, body), answer.reusable


def _job(app: Flask, environ: dict) -> QueryRequest | None:
    """The query of a plain GET, as the view would make it; None for anything else."""
    if environ.get("CONTENT_LENGTH") not in (None, "", "0"):
        return None
    raw = environ.get("QUERY_STRING", "")
    svc = app.extensions["lod"]
    limit = svc.settings.sparql_max_request_bytes
    if limit and len(raw) > limit:
        return None
    try:
        text = raw.encode("latin-1").decode()
    except UnicodeError:
        return None
    # as Werkzeug reads request.args
    params: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
        if name in _USED:
            params.setdefault(name, []).append(value)
    queries = params.get("query", ())
    if len(queries) != 1 or "update" in params:
        return None
    query = queries[0]
    wanted = params.get("format", [None])[0]
    accept = environ.get("HTTP_ACCEPT", "")
    if not wanted and view.by_accept(accept)[0]:
        return None  # the HTML page
    try:
        tables, graphs = view.formats_for(wanted, accept)
    except LodError:
        return None
    form = query_form(query)
    if form == "UPDATE" or uses_service(query):
        return None
    if (form in ("SELECT", "ASK") and tables is None) or (
        form in ("CONSTRUCT", "DESCRIBE") and graphs is None
    ):
        return None
    return view.query_request(
        svc,
        query,
        [g for g in params.get("default-graph-uri", ()) if g],
        [g for g in params.get("named-graph-uri", ()) if g],
        tables,
        graphs,
        environ.get("REMOTE_ADDR"),
    )
