"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol, for token holders only.

Indirect identification: ``/graph-store?graph=<IRI>`` names a graph, ``/graph-store?default``
the store's default graph (the unnamed one; ``/sparql`` queries the union of all graphs).
Direct identification: ``/graph-store/<path>`` is the graph ``LOD_BASE_URL/graph-store/<path>``.

- ``GET``/``HEAD``: the graph, negotiated (Turtle by default, N-Triples, RDF/XML, JSON-LD);
  404 if there is no such named graph.
- ``PUT``: replace the graph with the body (201 created, 204 replaced).
- ``POST``: add the body to the graph (201 created, 204 merged); ``multipart/form-data`` adds
  every part; ``POST /graph-store`` alone creates a new graph and answers 201 with its IRI in
  ``Location``.
- ``DELETE``: drop the graph (204; 404 if there is none).

Bodies are Turtle, N-Triples, RDF/XML or JSON-LD by ``Content-Type`` (others: 415), parsed with
the graph's IRI as base; a body that does not parse answers 400 with the position. Writes go
through the store protocol (``replace_graphs`` for a whole named graph, ``update`` for merges
and the default graph), one writer at a time, and never block readers. Authorisation as for
SPARQL Update (``lod.web.update.authorize``).
"""

from __future__ import annotations

import io
import uuid

import pyoxigraph as ox
from flask import Blueprint, Response, request
from werkzeug.datastructures import MIMEAccept

from ..errors import BadInput, NotAcceptable, NotFound
from ..formats import BY_NAME, FORMATS, Format, negotiate
from ..store import GraphSource
from .http import respond, services
from .update import UnsupportedMediaType, authorize

bp = Blueprint("gsp", __name__)

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
GRAPH_FORMATS = tuple(BY_NAME[n] for n in ("ttl", "nt", "rdf", "jsonld"))
NT = BY_NAME["nt"]
_NOT_IN_IRI = set('<>"{}|\\^` ')


@bp.before_request
def _check_token():
    return authorize()


@bp.after_request
def _methods(response: Response) -> Response:
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
    return response


@bp.route("/graph-store", methods=METHODS)
def indirect():
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if len(graphs) > 1 or (graphs and default):
        raise BadInput("name one graph: ?graph=IRI or ?default", where="query string")
    if default:
        return _handle(None)
    if graphs:
        return _handle(_checked(graphs[0]))
    if request.method == "POST":  # graph creation: the server names the new graph
        name = f"{services().iris.graph_store}/{uuid.uuid4().hex}"
        _write(name, _triples_of_request(name), merge=False)
        return Response(status=201, headers={"Location": name})
    raise BadInput("name the graph: ?graph=IRI or ?default", where="query string")


@bp.route("/graph-store/<path:rest>", methods=METHODS)
def direct(rest: str):
    if "graph" in request.args or "default" in request.args:
        raise BadInput("a graph named by its own URL takes no ?graph= or ?default")
    return _handle(_checked(f"{services().iris.graph_store}/{rest}"))


def _checked(iri: str) -> str:
    if ":" not in iri or any(c in _NOT_IN_IRI or ord(c) < 0x20 for c in iri):
        raise BadInput(f"not an absolute IRI: {iri!r}", where="graph")
    return iri


def _handle(name: str | None):
    """``name`` None: the default graph."""
    store = services().store
    exists = name is None or name in store.named_graphs()
    if request.method in ("GET", "HEAD"):
        if not exists:
            raise NotFound(f"no graph {name}")
        fmt = _negotiated()
        return respond(fmt, _read(store, name, fmt))
    if request.method == "DELETE":
        if not exists:
            raise NotFound(f"no graph {name}")
        if name is None:
            store.update("DROP SILENT DEFAULT")
        else:
            store.replace_graphs({name: None})
        return Response(status=204)
    merge = request.method == "POST"
    _write(name, _triples_of_request(name), merge=merge)
    return Response(status=204 if exists else 201)


# ---------------------------------------------------------------------------- reading
def _negotiated() -> Format:
    """The response format by Accept; media type parameters (``text/turtle; charset=utf-8``,
    as the W3C tests send) do not get in the way."""
    accept = MIMEAccept([(value.split(";")[0].strip(), q) for value, q in request.accept_mimetypes])
    fmt = negotiate(accept, GRAPH_FORMATS, BY_NAME["ttl"])
    if fmt is None:
        raise NotAcceptable(
            f"none of the accepted media types ({request.headers.get('Accept')}) is offered",
            hint="accept one of " + ", ".join(f.media_type for f in GRAPH_FORMATS),
        )
    return fmt


def _read(store, name: str | None, fmt: Format) -> bytes:
    if name is not None:
        out = io.BytesIO()
        store.dump(out, fmt, graph=name)
        return out.getvalue()
    # the default graph: the store protocol dumps named graphs or everything, so take the
    # quads without a graph name from the whole dump (it is meant to be small)
    whole = io.BytesIO()
    store.dump(whole, BY_NAME["nq"])
    triples = [
        q.triple
        for q in ox.parse(whole.getvalue(), format=ox.RdfFormat.N_QUADS)
        if isinstance(q.graph_name, ox.DefaultGraph)
    ]
    return ox.serialize(triples, format=fmt.rdf) or b""


# ---------------------------------------------------------------------------- writing
def _format_of(mimetype: str) -> Format:
    mimetype = (mimetype or "").lower()
    for fmt in FORMATS:
        if fmt.kind == "rdf" and fmt.name != "nq" and mimetype in (fmt.media_type, *fmt.aliases):
            if mimetype == "application/json" and fmt.name != "jsonld":
                continue
            return fmt
    raise UnsupportedMediaType(
        f"unsupported Content-Type {mimetype or '(none)'}",
        hint="send text/turtle, application/n-triples, application/rdf+xml or application/ld+json",
    )


def _parse(body: bytes, mimetype: str, base: str | None) -> list:
    fmt = _format_of(mimetype)
    try:
        return list(ox.parse(body, format=fmt.rdf, base_iri=base, without_named_graphs=True))
    except SyntaxError as exc:
        raise BadInput(f"the {fmt.name} body does not parse: {exc}", where="body") from None


def _triples_of_request(base: str | None) -> list:
    """The triples the request carries (every part of a multipart body)."""
    if (request.mimetype or "").lower() == "multipart/form-data":
        triples: list = []
        for part in request.files.values():
            triples += _parse(part.read(), part.mimetype, base)
        return triples
    return _parse(request.get_data(), request.mimetype, base)


def _nt(triples: list) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _write(name: str | None, triples: list, *, merge: bool) -> None:
    store = services().store
    body = _nt(triples).decode("utf-8")
    if name is None:
        drop = "" if merge else "DROP SILENT DEFAULT ;\n"
        store.update(f"{drop}INSERT DATA {{\n{body}}}")
    elif merge:
        store.update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}")
    else:
        store.replace_graphs({name: GraphSource(NT, data=body.encode("utf-8"))})
