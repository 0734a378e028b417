"""``/sparql``: the SPARQL 1.1 Protocol for queries, and a query page for browsers."""

from __future__ import annotations

import rdflib
from flask import Blueprint, render_template, request
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF

from ..errors import BadInput, LodError
from ..formats import BY_NAME, RESULT_FORMATS
from ..rdfio import serialize_graph
from ..store import QuerySyntaxError
from .http import choose, respond, services

bp = Blueprint("sparql", __name__)

HTML = BY_NAME["html"]
GRAPH_FORMATS = (BY_NAME["ttl"], BY_NAME["nt"], BY_NAME["jsonld"], BY_NAME["rdf"])
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


def _query_from_request() -> tuple[str | None, list[str], list[str]]:
    """The query and the protocol's dataset parameters, from GET or either POST form."""
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/x-www-form-urlencoded":
            params = request.form
            if "update" in params:
                raise Forbidden(
                    "this endpoint does not accept updates", hint="publish data with `lod ingest`"
                )
        elif ctype == "application/sparql-query":
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise UnsupportedMediaType(f"charset {charset} is not supported", hint="send UTF-8")
            try:
                body = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise BadInput("the query is not valid UTF-8") from None
            return (
                body,
                request.args.getlist("default-graph-uri"),
                request.args.getlist("named-graph-uri"),
            )
        elif ctype == "application/sparql-update":
            raise Forbidden("this endpoint does not accept updates")
        else:
            raise UnsupportedMediaType(
                f"unsupported Content-Type {request.mimetype or '(none)'}",
                hint="POST application/x-www-form-urlencoded (query=…) or application/sparql-query",
            )
    else:
        params = request.args
        if "update" in params:
            raise BadInput("updates cannot be sent with GET")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadInput("more than one query parameter", hint="send exactly one query")
    return (
        queries[0] if queries else None,
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    query, default_graphs, named_graphs = _query_from_request()
    wants_page = (
        not request.args.get("format")
        and request.accept_mimetypes.best_match(
            ["application/sparql-results+json", "text/turtle", "text/html"]
        )
        == "text/html"
    )
    if query is None:
        if request.method == "POST":
            raise BadInput(
                "missing query", hint="send query=SELECT … (form) or the query as the body"
            )
        if wants_page:
            return respond(HTML, render_template("sparql.html", query=EXAMPLE, result=None))
        fmt = choose(GRAPH_FORMATS, BY_NAME["ttl"])
        return respond(fmt, serialize_graph(service_description(services().iris), fmt))
    svc = services()
    try:
        result = svc.store.query(
            query,
            default_graphs=default_graphs or None,
            named_graphs=named_graphs or None,
            base_iri=svc.iris.sparql_endpoint,
        )
    except QuerySyntaxError as exc:
        if wants_page:
            return respond(
                HTML,
                render_template("sparql.html", query=query, result=None, error=str(exc)),
                status=400,
            )
        raise BadInput(
            f"query syntax error: {exc}", where="query", hint="fix the query at the position given"
        ) from None
    if wants_page:
        return respond(HTML, render_template("sparql.html", query=query, result=_table(result)))
    if result.kind == "graph":
        fmt = choose(GRAPH_FORMATS, BY_NAME["ttl"])
    else:
        fmt = choose(RESULT_FORMATS, BY_NAME["json"])
    return respond(fmt, result.serialize(fmt))


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")


def service_description(iris) -> rdflib.Graph:
    """The SPARQL 1.1 Service Description, answered to a GET without a query."""
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    service = URIRef(iris.sparql_service)
    endpoint = URIRef(iris.sparql_endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS_NS[name]))
    return graph


def _table(result) -> dict:
    """A small, HTML-friendly view of a result (first 1,000 rows)."""
    if result.kind == "boolean":
        return {"boolean": result.boolean}
    if result.kind == "graph":
        rows = []
        for i, triple in enumerate(result.triples()):
            if i >= 1000:
                break
            rows.append({"subject": triple[0], "predicate": triple[1], "object": triple[2]})
        return {"variables": ["subject", "predicate", "object"], "rows": rows}
    rows = []
    for i, row in enumerate(result.rows()):
        if i >= 1000:
            break
        rows.append(row)
    return {"variables": result.variables, "rows": rows}
