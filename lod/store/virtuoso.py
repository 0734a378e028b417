"""What OpenLink Virtuoso (7.2, the Debian package) does differently, in one place.

* Graph Store Protocol at ``/sparql-graph-crud-auth`` (digest; ``/sparql-graph-crud`` without
  credentials), with ``graph-uri=`` (the ``default`` graph is not supported).
* Its own graphs (``virtrdf#``, ``ldp#``, the service description at ``…/sparql``, ``…/DAV/``)
  are part of the union default graph and of ``GRAPH ?g``: they are left out of
  ``named_graphs()`` and of the default graph with ``DEFINE input:default-graph-exclude``, but
  not in a query that names a graph (``GRAPH <g>``): with any exclusion pragma, Virtuoso 7.2
  answers such a pattern with nothing (``input:named-graph-exclude`` breaks it always).
* ``DESCRIBE`` answers nothing over the union by default: ``DEFINE sql:describe-mode "CBD"``
  gives the concise bounded description, as Oxigraph does.
* Results are cut at ``ResultSetMaxRows`` (Debian: 10,000), with an ``X-SPARQL-MaxRows``
  header on SELECT and silently on CONSTRUCT and Graph Store GET. So whole graphs are read
  as ordered SELECT pages that shrink to the server's limit when that header comes back.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .remote import _SKIP, JSON, GenericServer

if TYPE_CHECKING:
    from .remote import RemoteStore

SYSTEM_PREFIXES = (
    "http://www.openlinksw.com/schemas/",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
)
_SERVICE_GRAPH = re.compile(r"^https?://[^/]+/(sparql|DAV/)$")
_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
PAGE_ROWS = 100_000  # rows per page of a graph dump (fewer if the server's limit is lower)
SYSTEM_GRAPHS_TTL_S = 300
_GRAPH_IRI = re.compile(r"\bGRAPH\s*(<>|[A-Za-z_][\w.-]*:|:)", re.I)


def _names_a_graph(sparql: str) -> bool:
    """``GRAPH <iri>`` or ``GRAPH prefix:name`` in the query (outside strings and comments):
    Virtuoso answers such a pattern with nothing when a graph is excluded by a pragma."""
    text = _SKIP.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", sparql)
    return bool(_GRAPH_IRI.search(text))


class VirtuosoServer(GenericServer):
    name = "virtuoso"

    def __init__(self):
        self._system: list[str] = []
        self._system_at: float | None = None

    def gsp_endpoint(self, settings) -> str:
        if settings.store_gsp:
            return settings.store_gsp
        root = re.sub(r"/sparql(-auth)?/?$", "", settings.store.rstrip("/"))
        authenticated = settings.store_user or settings.store_token
        return root + ("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")

    def gsp_params(self, graph: str) -> dict[str, str]:
        return {"graph-uri": graph}

    def is_system_graph(self, iri: str) -> bool:
        return iri.startswith(SYSTEM_PREFIXES) or bool(_SERVICE_GRAPH.match(iri))

    def system_graphs(self, store: RemoteStore) -> list[str]:
        if self._system_at is None or time.monotonic() - self._system_at > SYSTEM_GRAPHS_TTL_S:
            answer = store.http.request(
                "POST",
                store.endpoint,
                data={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
                headers={"Accept": JSON},
            )
            graphs = ox.parse_query_results(answer.content, format=ox.QueryResultsFormat.JSON)
            self._system = [
                s["g"].value
                for s in graphs
                if isinstance(s["g"], ox.NamedNode) and self.is_system_graph(s["g"].value)
            ]
            self._system_at = time.monotonic()
        return self._system

    def results(self, data: bytes) -> bytes:
        """Blank nodes in SPARQL JSON are ``nodeID://b10006``: not a valid label."""
        return _BNODE.sub(rb"\1", data)

    def prepare(self, store: RemoteStore, sparql: str, form: str, union: bool) -> str:
        pragmas = []
        if union and not _names_a_graph(sparql):
            for graph in self.system_graphs(store):
                pragmas.append(f"DEFINE input:default-graph-exclude <{graph}>")
        if form == "DESCRIBE":
            pragmas.append('DEFINE sql:describe-mode "CBD"')
        # one line, so that the server's "line N" of an error is the line of the query
        return " ".join([*pragmas, sparql])

    def dump_graph(self, store: RemoteStore, graph: str) -> Iterator[ox.Triple]:
        page, offset = PAGE_ROWS, 0
        while True:
            query = (
                "SELECT ?s ?p ?o WHERE { { SELECT ?s ?p ?o WHERE "
                f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o }} }} "
                f"LIMIT {page} OFFSET {offset}"
            )
            answer = store.http.request(
                "POST", store.endpoint, data={"query": query}, headers={"Accept": JSON}
            )
            cap = answer.headers.get("X-SPARQL-MaxRows")
            rows = 0
            data = self.results(answer.content)
            for s in ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON):
                rows += 1
                yield ox.Triple(s["s"], s["p"], s["o"])
            offset += rows
            if cap and cap.isdigit() and 0 < int(cap) < page:
                page = int(cap)  # cut by ResultSetMaxRows: go on from what came
            elif rows < page or rows == 0:
                return
