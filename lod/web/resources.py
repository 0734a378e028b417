"""Every other IRI under the base URL: its description from the store (DESCRIBE), negotiated.

Rows, columns, distributions and the SPARQL data service all dereference here: HTML for people,
RDF for machines, ``.ttl``-style suffixes included.
"""

from __future__ import annotations

import rdflib
from flask import Blueprint, render_template, request
from rdflib import URIRef

from ..errors import NotFound
from ..formats import BY_NAME, RDF_FORMATS
from ..labels import label
from ..rdfio import serialize_graph
from .http import alternates, choose, respond, services, split_suffix

bp = Blueprint("resources", __name__)

FORMATS = (BY_NAME["html"], *RDF_FORMATS[:4])
_NOT_IN_IRI = set('<>"{}|\\^`')
CSVW_ROWNUM = "http://www.w3.org/ns/csvw#rownum"


def describe(iri: str) -> rdflib.Graph:
    store = services().store
    graph = rdflib.Graph()
    for triple in store.query(f"DESCRIBE <{iri}>").triples():
        graph.add(triple)
    return graph


def inbound(iri: str, limit: int = 50) -> list[dict]:
    """What links to ``iri`` (at most ``limit``): each subject with its predicate. A blank node
    has no address to link to, so it is shown by the named resource that holds it, with its
    ``csvw:rownum`` if it is a row of a table (a csvw:Row in standard mode: "table, row 5")."""
    store = services().store
    result = store.query(
        "SELECT ?s ?p (SAMPLE(?up) AS ?holder) (SAMPLE(?n) AS ?rownum) WHERE {\n"
        f"  {{ SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }} ORDER BY ?s ?p LIMIT {limit} }}\n"
        "  OPTIONAL { ?up ?via ?s FILTER(isBlank(?s) && isIRI(?up)) }\n"
        f"  OPTIONAL {{ ?s <{CSVW_ROWNUM}> ?n FILTER(isBlank(?s)) }}\n"
        "} GROUP BY ?s ?p ORDER BY ?s ?p"
    )
    links = []
    for row in result.rows():
        subject = row["s"]
        if isinstance(subject, URIRef):
            links.append({"href": str(subject), "blank": False, "predicate": row["p"]})
            continue
        holder = row.get("holder")
        links.append(
            {
                "href": str(holder) if holder is not None else None,  # None: nothing named
                "blank": True,
                "row": str(row["rownum"]) if "rownum" in row else None,
                "predicate": row["p"],
            }
        )
    return links


@bp.get("/<path:path>")
def resource(path: str):
    svc = services()
    name, suffix = split_suffix(path)
    iri = svc.settings.base + "/" + name
    if any(c in _NOT_IN_IRI or c.isspace() for c in iri):
        raise NotFound(f"nothing is published at {request.path}")
    graph = describe(iri)
    if not len(graph):
        raise NotFound(
            f"nothing is published at {request.path}", hint="start at /catalog or query /sparql"
        )
    return page(
        graph,
        iri,
        iri,
        title=lambda: _title(graph, URIRef(iri), svc.settings.base),
        inbound=lambda: inbound(iri),
        suffix=suffix,
    )


def page(graph, document: str, topic: str, *, title, inbound=list, suffix=None, serialize=None):
    """A resource's answer: ``resource.html`` (the properties of `topic`, `title()` and
    `inbound()` links) or `graph` serialized (`serialize`, default ``serialize_graph``), as the
    URL suffix or the request negotiates; with Link headers to the other formats."""
    fmt = choose(FORMATS, BY_NAME["ttl"], suffix)
    link = alternates(document, FORMATS)
    if fmt.name != "html":
        return respond(fmt, (serialize or serialize_graph)(graph, fmt), link=link)
    names = store_labels({str(t) for triple in graph for t in triple if isinstance(t, URIRef)})
    html = render_template(
        "resource.html",
        iri=document,
        properties=_properties(graph, URIRef(topic), names),
        inbound=inbound(),
        title=title(),
    )
    return respond(fmt, html, link=link)


def store_labels(iris: set[str]) -> dict[str, str]:
    """Labels the store knows for these IRIs (column headers, titles), Czech first."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris) if not any(c in _NOT_IN_IRI for c in i))
    result = services().store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX dct: <http://purl.org/dc/terms/> "
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} "
        "{ ?s rdfs:label ?l } UNION { ?s dct:title ?l } UNION { ?s skos:prefLabel ?l } }"
    )
    labels: dict[str, str] = {}
    for row in result.rows():
        subject, text = str(row["s"]), row["l"]
        if subject not in labels or getattr(text, "language", None) == "cs":
            labels[subject] = str(text)
    return labels


def _title(graph, node, base: str) -> str:
    from ..namespaces import DCTERMS, RDFS, SKOS

    for predicate in (DCTERMS.title, SKOS.prefLabel, RDFS.label):
        values = list(graph.objects(node, predicate))
        for value in values:
            if getattr(value, "language", None) == "cs":
                return str(value)
        if values:
            return str(values[0])
    return str(node).removeprefix(base + "/")


def _properties(graph, node, names: dict[str, str]) -> list[dict]:
    rows = []
    for predicate in sorted(set(graph.predicates(node)), key=str):
        values = sorted(graph.objects(node, predicate), key=str)
        rows.append(
            {
                "predicate": predicate,
                "label": names.get(str(predicate)) or label(str(predicate)),
                "objects": [_value(graph, v, names) for v in values],
            }
        )
    return rows


def _value(graph, value, names: dict[str, str]) -> dict:
    if isinstance(value, rdflib.BNode):
        return {"kind": "node", "properties": _properties(graph, value, names)}
    if isinstance(value, URIRef):
        text = names.get(str(value)) or label(str(value))
        return {"kind": "iri", "iri": str(value), "label": text}
    return {
        "kind": "literal",
        "text": str(value),
        "lang": value.language,
        "datatype": str(value.datatype) if value.datatype else None,
    }
