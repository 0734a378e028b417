"""Self-description: VoID (``/.well-known/void``, ``/datasets/<id>/void``), the SPARQL Service
Description (``/sparql/description``) and the example queries (``/sparql/examples``).

Each document is negotiated like every other (``Accept``, ``.ttl``-style suffix, ``?format=``):
Turtle by default, JSON-LD, RDF/XML, N-Triples, and HTML for a browser.
"""

from __future__ import annotations

import json

import rdflib
from flask import Blueprint, redirect, url_for

from .. import void
from ..errors import LodError, NotFound
from ..formats import BY_NAME
from ..iris import DATASET_ID
from ..namespaces import prefixed
from ..rdfio import serialize_graph
from ..sparql.engine import QueryRequest
from ..sparql_description import examples_graph, service_description
from ..sparql_examples import PREFIXES, examples
from .http import alternates, choose, respond, services, suffix_format
from .resources import FORMATS, page
from .sparql import engine

bp = Blueprint("describe", __name__)


def _serialize(graph, fmt) -> bytes:
    """Like ``serialize_graph``, keeping the graph's own prefixes (sd:, void:, sh:) in Turtle."""
    if fmt.name != "ttl":
        return serialize_graph(graph, fmt)
    out = rdflib.Graph()
    for prefix, namespace in (*PREFIXES.items(), *graph.namespaces()):
        out.bind(prefix, namespace, override=True)
    out += graph
    return out.serialize(format="turtle", encoding="utf-8")


def _select(query: str) -> list[dict]:
    """A VoID statistics query evaluated like a public one (``/sparql``'s engine: for the
    embedded store a query worker, on its in-memory copy), its rows as plain values. When the
    engine cannot answer it whole (busy, past the time limit or the row limit), the web
    process queries the store itself, as before the workers took these queries."""
    job = QueryRequest(query, results=BY_NAME["json"], client="lod-void")
    try:
        answer = engine().run(job)
        truncated = answer.truncated
        body = answer.read()
    except LodError:
        truncated, body = True, b""
    if truncated:
        return list(void.select_from(services().store)(query))
    bindings = json.loads(body)["results"]["bindings"]
    return [{name: value["value"] for name, value in row.items()} for row in bindings]


def _document(graph, document: str, topic: str, title: str, suffix: str | None):
    return page(
        graph,
        document,
        topic,
        title=lambda: title,
        suffix=suffix_format(suffix),
        serialize=_serialize,
    )


@bp.get("/.well-known/void")
@bp.get("/.well-known/void.<suffix>")
def whole(suffix: str | None = None):
    svc = services()
    graph = void.whole_void(svc.store, svc.iris, svc.settings, _select)
    return _document(graph, svc.iris.void, svc.iris.void_all, "Popis dat (VoID)", suffix)


@bp.get("/datasets/<dataset_id>/void")
@bp.get("/datasets/<dataset_id>/void.<suffix>")
def dataset(dataset_id: str, suffix: str | None = None):
    svc = services()
    if not DATASET_ID.match(dataset_id):
        raise NotFound(f"no dataset {dataset_id!r}")
    graph = void.dataset_void(svc.store, svc.iris, dataset_id, _select)
    if not len(graph):
        raise NotFound(
            f"dataset {dataset_id!r} has no data here",
            hint="see /.well-known/void for the datasets with data",
        )
    return _document(
        graph,
        svc.iris.dataset_void(dataset_id),
        svc.iris.dataset(dataset_id),
        f"Popis datové sady {dataset_id} (VoID)",
        suffix,
    )


@bp.get("/sparql/description")
@bp.get("/sparql/description.<suffix>")
def description(suffix: str | None = None):
    svc = services()
    graph = service_description(svc.iris, svc.store)
    return _document(
        graph,
        svc.iris.sparql_description,
        svc.iris.sparql_service,
        "Popis služby SPARQL (Service Description)",
        suffix,
    )


@bp.get("/sparql/examples")
@bp.get("/sparql/examples.<suffix>")
def examples_document(suffix: str | None = None):
    svc = services()
    fmt = choose(FORMATS, BY_NAME["ttl"], suffix_format(suffix))
    if fmt.name == "html":
        return redirect(url_for("sparql.sparql") + "#priklady", code=303)
    graph = examples_graph(svc.iris, svc.store)
    return respond(fmt, _serialize(graph, fmt), link=alternates(svc.iris.sparql_examples, FORMATS))


@bp.app_context_processor
def query_page_globals():
    """What the query page (templates/sparql.html) needs besides the query and its result."""

    def sparql_examples():
        svc = services()
        return examples(svc.iris, svc.store)

    return {"sparql_examples": sparql_examples, "sparql_prefixes": PREFIXES}


@bp.app_template_filter("sparql_compact")
def sparql_compact(iri) -> str:
    """An IRI as a prefixed name where one of the query page's prefixes fits."""
    return prefixed(iri, PREFIXES) or str(iri)
