"""``/sparql``: the SPARQL 1.1 Protocol for queries, and a query page for browsers.

The protocol (https://www.w3.org/TR/sparql11-protocol/): ``query`` by GET, by form POST or as an
``application/sparql-query`` body; ``default-graph-uri``/``named-graph-uri`` (they override the
query's FROM; a side not given is empty); results by ``Accept`` or ``?format=``. Queries run in
the engine of ``lod.sparql`` (worker processes with hard limits); this module only reads the
request, picks the formats and writes the response.
"""

from __future__ import annotations

import functools
import json
import weakref

import rdflib
from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..errors import BadInput, LodError, NotAcceptable
from ..formats import BY_NAME, Format, negotiate
from ..rdfio import serialize_graph
from ..sparql import engine_for
from ..sparql.engine import QueryRequest, QueryResponse
from ..sparql.limits import EndpointBusy, TooManyQueries
from ..sparql.text import query_form, uses_service
from ..sparql_description import service_description  # the builder lives there
from . import answer_cache
from .errors import render
from .http import CORS_HEADERS, choose, respond, services

bp = Blueprint("sparql", __name__)

HTML = BY_NAME["html"]
RESULT_FORMATS = (BY_NAME["json"], BY_NAME["xml"], BY_NAME["csv"], BY_NAME["tsv"])
GRAPH_FORMATS = (
    BY_NAME["ttl"],
    BY_NAME["nt"],
    BY_NAME["jsonld"],
    BY_NAME["rdf"],
    BY_NAME["nq"],
    BY_NAME["trig"],
)
DESCRIPTION_FORMATS = GRAPH_FORMATS[:4]
# ?format= words other endpoints use, beside our names, suffixes and media types
FORMAT_WORDS = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdf"),
    "turtle": (None, "ttl"),
    "json-ld": (None, "jsonld"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "rdfxml": (None, "rdf"),
    "rdf/xml": (None, "rdf"),
    "nquads": (None, "nq"),
    "n-quads": (None, "nq"),
}
_OUTCOME = "lod.sparql.outcome"  # in the WSGI environ: see hand_over
SMALL_ANSWER = 1024 * 1024  # answers up to this size are read at once, larger ones streamed
EXAMPLE = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>

SELECT ?dataset ?title WHERE {
  ?dataset a dcat:Dataset ;
           dct:title ?title .
  FILTER(lang(?title) = "cs")
}
ORDER BY ?title
LIMIT 100"""


class UnsupportedMediaType(LodError):
    status = 415


class Forbidden(LodError):
    status = 403


class PayloadTooLarge(LodError):
    status = 413


class UriTooLong(LodError):
    status = 414


# ----------------------------------------------------------------------------- the engine
@bp.record_once
def _start_engine(state) -> None:
    """One query engine per app; its worker processes end with the app (or at exit)."""
    svc = state.app.extensions["lod"]
    engine = engine_for(svc.settings, svc.store)
    state.app.extensions["lod.sparql"] = engine
    weakref.finalize(state.app, engine.close)


def engine():
    return current_app.extensions["lod.sparql"]


@bp.after_request
def _expose_limit_headers(response: Response) -> Response:
    """Let scripts on other sites read the limit headers too (CORS hides them otherwise)."""
    exposed = CORS_HEADERS["Access-Control-Expose-Headers"]
    response.headers["Access-Control-Expose-Headers"] = f"{exposed}, Retry-After, X-SPARQL-MaxRows"
    return response


@bp.errorhandler(TooManyQueries)
@bp.errorhandler(EndpointBusy)
def _busy(exc: TooManyQueries | EndpointBusy) -> ResponseReturnValue:
    answer = render(exc.status, exc.as_dict())
    if isinstance(answer, tuple):
        body, status, headers = answer
        return body, status, {**headers, "Retry-After": str(exc.retry_after)}
    answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


# ---------------------------------------------------------------------------- the request
def _check_size() -> None:
    limit = services().settings.sparql_max_request_bytes
    if not limit:
        return
    request.max_content_length = limit  # a body without Content-Length stops here too (413)
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(
            f"the request body has {request.content_length} bytes; the limit is {limit}",
            hint="send a shorter query (large VALUES blocks belong in a data upload)",
        )
    if len(request.query_string) > limit:
        raise UriTooLong(
            f"the query string has {len(request.query_string)} bytes; the limit is {limit}",
            hint="POST the query as application/sparql-query instead",
        )


def _refuse_update() -> None:
    raise Forbidden(
        "this endpoint answers queries only; SPARQL Update is not accepted here",
        hint=f"send updates with a bearer token to {services().iris.sparql_update}",
    )


def _query_from_request() -> tuple[str | None, list[str], list[str]]:
    """The query and the protocol's dataset parameters, from GET or either POST form."""
    args = request.args
    if request.method != "POST":
        if "update" in args:
            raise BadInput(
                "updates cannot be sent with GET", hint="POST them to the update endpoint"
            )
        return (
            _one_query(args.getlist("query")),
            _graphs(args, "default-graph-uri"),
            _graphs(args, "named-graph-uri"),
        )
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        form = request.form
        if "update" in form or "update" in args:
            _refuse_update()
        return (
            _one_query(args.getlist("query") + form.getlist("query")),
            _graphs(args, "default-graph-uri") + _graphs(form, "default-graph-uri"),
            _graphs(args, "named-graph-uri") + _graphs(form, "named-graph-uri"),
        )
    if ctype == "application/sparql-query":
        if "query" in args:
            raise BadInput(
                "the query is both in the body and in the URL", hint="send exactly one query"
            )
        return _body_text(), _graphs(args, "default-graph-uri"), _graphs(args, "named-graph-uri")
    if ctype == "application/sparql-update":
        _refuse_update()
    raise UnsupportedMediaType(
        f"unsupported Content-Type {request.mimetype or '(none)'}",
        hint="POST application/x-www-form-urlencoded (query=…) or application/sparql-query",
    )


def _one_query(queries: list[str]) -> str | None:
    if len(queries) > 1:
        raise BadInput("more than one query parameter", hint="send exactly one query")
    return queries[0] if queries else None


def _graphs(params, name: str) -> list[str]:
    return [g for g in params.getlist(name) if g]


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported", hint="send UTF-8")
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput("the query is not valid UTF-8", hint="send UTF-8") from None


def _check_query(query: str) -> str | None:
    """The query's form; refuses updates and SERVICE before a worker is bothered."""
    form = query_form(query)
    if form == "UPDATE":
        _refuse_update()
    if uses_service(query):
        raise BadInput(
            "SERVICE (federated query) is not allowed on this public endpoint",
            where="query",
            hint="query the other endpoint yourself and join the results, or download the data",
        )
    return form


# ---------------------------------------------------------------------------- the formats
def _lookup(wanted: str, candidates: tuple[Format, ...]) -> Format | None:
    for fmt in candidates:
        if wanted in (fmt.name, fmt.suffix, fmt.media_type, *fmt.aliases):
            return fmt
    return None


def result_formats() -> tuple[Format | None, Format | None]:
    """The format for a table or boolean and the format for a graph, by ``?format=`` or
    ``Accept``; None where the client accepts nothing we offer."""
    wanted = (
        request.values.get("format") if request.method == "POST" else request.args.get("format")
    )
    return formats_for(wanted, request.headers.get("Accept", ""))


def formats_for(wanted: str | None, accept: str) -> tuple[Format | None, Format | None]:
    """``result_formats`` of a ``format`` parameter (None or empty: not given) and an
    ``Accept`` header."""
    if wanted:
        word = wanted.strip().lower()
        if word in FORMAT_WORDS:
            tables, graphs = FORMAT_WORDS[word]
            return (BY_NAME[tables] if tables else None), (BY_NAME[graphs] if graphs else None)
        found = _lookup(word, RESULT_FORMATS), _lookup(word, GRAPH_FORMATS)
        if found == (None, None):
            raise NotAcceptable(
                f"format {wanted!r} is not offered here",
                hint="use one of " + ", ".join(f.name for f in (*RESULT_FORMATS, *GRAPH_FORMATS)),
            )
        return found
    return by_accept(accept)[1:]


def _wants_page() -> bool:
    return not request.values.get("format") and by_accept(request.headers.get("Accept", ""))[0]


@functools.lru_cache(maxsize=512)
def by_accept(header: str) -> tuple[bool, Format | None, Format | None]:
    """What an ``Accept`` header asks of /sparql: the query page?, the format for a table or
    boolean, the format for a graph. Clients send the same few headers again and again, and
    matching them costs more than the rest of a cached answer, so the outcome is kept."""
    accept = parse_accept_header(header, MIMEAccept)
    page = (
        accept.best_match(["application/sparql-results+json", "text/turtle", "text/html"])
        == "text/html"
    )
    return (
        page,
        negotiate(accept, RESULT_FORMATS, BY_NAME["json"]),
        negotiate(accept, GRAPH_FORMATS, BY_NAME["ttl"]),
    )


# ------------------------------------------------------------------------------- the view
@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    _check_size()
    query, default_graphs, named_graphs = _query_from_request()
    if query is None:
        return _without_query()
    form = _check_query(query)
    svc = services()
    wants_page = _wants_page()
    if wants_page:
        tables, graphs = BY_NAME["json"], BY_NAME["nt"]
    else:
        tables, graphs = result_formats()
        if form in ("SELECT", "ASK") and tables is None:
            raise _not_acceptable(RESULT_FORMATS)
        if form in ("CONSTRUCT", "DESCRIBE") and graphs is None:
            raise _not_acceptable(GRAPH_FORMATS)
    job = query_request(
        svc, query, default_graphs, named_graphs, tables, graphs, request.remote_addr
    )
    try:
        answer = _run(job)
    except LodError as exc:  # a browser sees the error beside its query
        if not wants_page:
            raise
        page = _page(query, error=str(exc), status=exc.status)
        if hasattr(exc, "retry_after"):
            page.headers["Retry-After"] = str(exc.retry_after)
        return page
    if wants_page:
        return _page(query, result=_table(answer))
    if answer.reusable:
        answer_cache.reusable()
    return _respond(answer)


def query_request(
    svc, query: str, default_graphs: list[str], named_graphs: list[str], tables, graphs, client
) -> QueryRequest:
    """The engine's request for a query (the protocol's graphs, if any, replace the query's
    dataset; a side not given is then empty)."""
    given = bool(default_graphs or named_graphs)
    return QueryRequest(
        query,
        default_graphs=default_graphs if given else None,
        named_graphs=named_graphs if given else None,
        base_iri=svc.iris.sparql_endpoint,
        results=tables,
        rdf=graphs,
        client=client or "-",
    )


def hand_over(environ: dict, job: QueryRequest, outcome: QueryResponse | LodError) -> None:
    """For ``lod.web.sparql_direct``: it ran ``job`` but leaves the answer to this view."""
    environ[_OUTCOME] = (job, outcome)


def _run(job: QueryRequest) -> QueryResponse:
    """The engine's answer to ``job``, or the outcome handed over for it (an error, a big
    answer), so that the query is not run twice."""
    handed = request.environ.pop(_OUTCOME, None)
    if handed is not None:
        done, outcome = handed
        if done == job:
            if isinstance(outcome, LodError):
                raise outcome
            return outcome
        if isinstance(outcome, QueryResponse):  # never: the direct path asks what we ask
            outcome.close()
    return engine().run(job)


def _without_query() -> ResponseReturnValue:
    if request.method == "POST":
        raise BadInput("missing query", hint="send query=SELECT … (form) or the query as the body")
    if _wants_page():
        return _page(EXAMPLE)
    svc = services()
    fmt = choose(DESCRIPTION_FORMATS, BY_NAME["ttl"])
    return respond(fmt, serialize_graph(service_description(svc.iris, svc.store), fmt))


def _not_acceptable(candidates: tuple[Format, ...]) -> NotAcceptable:
    return NotAcceptable(
        f"none of the accepted media types ({request.headers.get('Accept')}) can hold this "
        "query's result",
        hint="accept one of " + ", ".join(f.media_type for f in candidates),
    )


def _respond(answer: QueryResponse) -> Response:
    if answer.size is not None and answer.size <= SMALL_ANSWER:
        response = Response(answer.read(), content_type=answer.format.content_type)
    else:
        response = Response(answer.body, content_type=answer.format.content_type)
        response.call_on_close(answer.close)
        if answer.size is not None:
            response.headers["Content-Length"] = str(answer.size)
    response.headers["Vary"] = "Accept"
    if answer.truncated:
        # Virtuoso's header: the result was cut at this many rows
        response.headers["X-SPARQL-MaxRows"] = str(answer.max_rows)
    return response


# ------------------------------------------------------------------------ the query page
def _page(query: str, *, result=None, error: str | None = None, status: int = 200) -> Response:
    html = render_template("sparql.html", query=query, result=result, error=error)
    return respond(HTML, html, status=status)


def _term(value: dict):
    if value["type"] == "uri":
        return rdflib.URIRef(value["value"])
    if value["type"] == "bnode":
        return rdflib.BNode(value["value"])
    datatype = value.get("datatype")
    return rdflib.Literal(
        value["value"],
        lang=value.get("xml:lang"),
        datatype=rdflib.URIRef(datatype) if datatype else None,
    )


def _table(answer: QueryResponse, limit: int = 1000) -> dict:
    """A small, HTML-friendly view of an answer (first 1,000 rows)."""
    data = answer.read()
    if answer.kind == "graph":
        rows = []
        for triple in rdflib.Graph().parse(data=data, format="nt"):
            if len(rows) >= limit:
                break
            rows.append(dict(zip(("subject", "predicate", "object"), triple, strict=True)))
        return {"variables": ["subject", "predicate", "object"], "rows": rows}
    doc = json.loads(data)
    if "boolean" in doc:
        return {"boolean": doc["boolean"]}
    rows = [
        {name: _term(value) for name, value in binding.items()}
        for binding in doc["results"]["bindings"][:limit]
    ]
    return {"variables": doc["head"]["vars"], "rows": rows}
