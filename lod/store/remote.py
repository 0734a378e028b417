"""The remote store: the store protocol over a SPARQL 1.1 server, in standards only.

* Queries: SPARQL 1.1 Protocol, always as a form POST (``query=``; some servers hang on an
  ``application/sparql-query`` body). Solutions come back as SPARQL JSON, graphs as N-Triples;
  both are parsed by pyoxigraph, so results behave exactly like the embedded store's.
* Updates: SPARQL 1.1 Protocol (``update=``) to ``LOD_STORE_UPDATE`` (default ``LOD_STORE``).
* Whole graphs: SPARQL 1.1 Graph Store HTTP Protocol at ``LOD_STORE_GSP`` (``?graph=IRI``).

Publishing stays atomic for readers. ``replace_graphs`` PUTs the new content into staging
graphs (``urn:lod:staging:<time>:<id>:<n>``), one per bounded chunk of N-Triples, so each
chunk is an idempotent request that can be retried with backoff; then a single SPARQL Update
drops the targets and moves the staging graphs into them. Readers see the previous version
until that update commits. If anything fails before, the staging graphs are dropped (and any a
dead writer left behind are dropped by the next write), so the previous version stays served.

What a particular server does differently lives in an adapter (``GenericServer`` here; the
Virtuoso one in ``virtuoso.py``), chosen by ``LOD_STORE_KIND`` or by the ``Server`` header.
"""

from __future__ import annotations

import io
import logging
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from typing import IO

import pyoxigraph as ox
import rdflib
import requests

from ..errors import LodError
from ..formats import BY_NAME, Format
from . import GraphSource, QuerySyntaxError
from .terms import to_rdflib

log = logging.getLogger("lod.store.remote")

STAGING = "urn:lod:staging:"
STALE_STAGING_S = 3600  # staging graphs older than this were left by a writer that died
CHUNK_BYTES = 4 << 20  # N-Triples per staging graph (one PUT each)
RETRIES = 4  # attempts after the first, for requests that may be repeated
BACKOFF_S = 0.5  # doubled after each attempt
CONNECT_TIMEOUT_S = 10
UPDATE_TIMEOUT_S = 3600  # a switch of big graphs may take minutes on the server
RETRY_STATUS = {408, 425, 429, 502, 503, 504}
JSON = "application/sparql-results+json"
NT = "application/n-triples"


class RemoteStoreError(LodError):
    """The SPARQL server cannot be reached or refused a request."""

    status = 502
    exit_code = 2


class GenericServer:
    """A SPARQL 1.1 server that follows the standards (Fuseki, GraphDB, Oxigraph, QLever)."""

    name = "generic"

    def gsp_endpoint(self, settings) -> str:
        return settings.store_gsp or settings.store

    def gsp_params(self, graph: str) -> dict[str, str]:
        return {"graph": graph}

    def prepare(self, store: RemoteStore, sparql: str, form: str, union: bool) -> str:
        """The query as sent; `union`: the default graph is meant to be all named graphs."""
        return sparql

    def is_system_graph(self, iri: str) -> bool:
        return False

    def results(self, data: bytes) -> bytes:
        """SPARQL JSON results as pyoxigraph reads them."""
        return data

    def dump_graph(self, store: RemoteStore, graph: str) -> Iterator[ox.Triple]:
        """The triples of one graph (Graph Store Protocol GET, streamed)."""
        answer = store.http.request(
            "GET",
            store.gsp,
            params=self.gsp_params(graph),
            headers={"Accept": NT},
            stream=True,
            ok=(200, 404),
        )
        with answer:
            if answer.status_code == 404:
                return
            answer.raw.decode_content = True
            for quad in ox.parse(answer.raw, format=ox.RdfFormat.N_TRIPLES):
                yield quad.triple


class Http:
    """requests with the store's credentials, timeouts and retries (backoff) where safe."""

    def __init__(self, settings):
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "lod (remote store)"
        user, password = settings.store_user, settings.store_password
        if settings.store_token:
            self.session.headers["Authorization"] = "Bearer " + settings.store_token
        elif user:
            kind = (settings.store_auth or "basic").lower()
            if kind == "digest":
                self.session.auth = requests.auth.HTTPDigestAuth(user, password)
            elif kind == "basic":
                self.session.auth = requests.auth.HTTPBasicAuth(user, password)
            else:
                raise RemoteStoreError(
                    f"LOD_STORE_AUTH={kind!r} is not known", hint="use basic or digest"
                )
        self.read_timeout = max(60, int(settings.sparql_timeout) * 2)

    def request(
        self,
        method: str,
        url: str,
        *,
        retry: bool = True,
        ok: tuple[int, ...] = (200, 201, 204),
        timeout: float | None = None,
        **kwargs,
    ) -> requests.Response:
        """Send; retry connection failures and 5xx gateway answers if `retry`, else raise
        at once. Raises RemoteStoreError for an answer outside `ok`, QuerySyntaxError for
        400 (the message is the server's)."""
        kwargs.setdefault("timeout", (CONNECT_TIMEOUT_S, timeout or self.read_timeout))
        attempts = 1 + (RETRIES if retry else 0)
        for attempt in range(attempts):
            try:
                answer = self.session.request(method, url, **kwargs)
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
                if attempt + 1 == attempts:
                    raise RemoteStoreError(
                        f"{method} {url}: {problem}",
                        hint="is the SPARQL server up and LOD_STORE right?",
                    ) from exc
            else:
                if answer.status_code in ok:
                    return answer
                if answer.status_code not in RETRY_STATUS or attempt + 1 == attempts:
                    raise self._refused(method, url, answer)
                problem = f"HTTP {answer.status_code}"
                answer.close()
            delay = BACKOFF_S * 2**attempt
            log.warning("%s %s failed (%s); retrying in %.1f s", method, url, problem, delay)
            time.sleep(delay)
        raise AssertionError("unreachable")

    @staticmethod
    def _refused(method: str, url: str, answer: requests.Response) -> LodError:
        text = answer.text.strip()[:1000]
        if answer.status_code == 400:  # the first paragraph (Virtuoso adds the query)
            return QuerySyntaxError(text.split("\n\n")[0] or "the server refused the request")
        hint = None
        if answer.status_code in (401, 403):
            hint = (
                "check LOD_STORE_USER, LOD_STORE_PASSWORD (or LOD_STORE_TOKEN) and LOD_STORE_AUTH"
            )
        if "SR325" in text:  # Virtuoso: one transaction wrote more log than it allows
            hint = (
                "raise Virtuoso's TransactionAfterImageLimit ([Parameters] in virtuoso.ini, "
                "default 50 MB; e.g. 1000000000), or at run time in isql-vt: "
                "select __dbf_set('txn_after_image_limit', 1000000000);"
            )
        return RemoteStoreError(f"{method} {url}: HTTP {answer.status_code}: {text}", hint=hint)


class RemoteResult:
    """A query result as received: SPARQL JSON (solutions, boolean) or N-Triples (graph)."""

    def __init__(self, kind: str, data: bytes, *, truncated: bool = False):
        self.kind = kind
        self._data = data
        self.truncated = truncated  # the server cut the result short (e.g. ResultSetMaxRows)

    def _parsed(self):
        return ox.parse_query_results(self._data, format=ox.QueryResultsFormat.JSON)

    @property
    def boolean(self) -> bool:
        return bool(self._parsed()) if self.kind == "boolean" else False

    @property
    def variables(self) -> list[str]:
        return [v.value for v in self._parsed().variables] if self.kind == "solutions" else []

    def rows(self) -> Iterator[dict]:
        solutions = self._parsed()
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            yield {n: to_rdflib(solution[n]) for n in names if solution[n] is not None}

    def triples(self) -> Iterator[tuple]:
        for quad in ox.parse(self._data, format=ox.RdfFormat.N_TRIPLES):
            yield to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)

    def serialize(self, fmt: Format) -> bytes:
        if self.kind == "graph":
            if fmt.rdf is None:
                raise ValueError(f"{fmt.name} cannot hold a graph")
            if fmt.name == "nt":
                return self._data
            triples = (q.triple for q in ox.parse(self._data, format=ox.RdfFormat.N_TRIPLES))
            return ox.serialize(triples, format=fmt.rdf)
        if fmt.results is None:
            raise ValueError(f"{fmt.name} cannot hold query results")
        return self._parsed().serialize(format=fmt.results)


_SKIP = re.compile(
    r'<[^>\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|#[^\n]*",
    re.S,
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs, strings and
    comments (the prologue has only BASE and PREFIX)."""
    match = _FORM.search(_SKIP.sub(" ", sparql))
    if match is None:
        raise QuerySyntaxError("1:1: not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return match.group(1).upper()


def server_kind(settings, http: Http) -> str:
    """LOD_STORE_KIND, else from the Server header of the query endpoint."""
    kind = (settings.store_kind or "").lower()
    if kind:
        return kind
    try:
        answer = http.request("GET", settings.store, params={"query": "ASK {}"}, ok=(200,))
    except LodError:
        return "generic"
    return "virtuoso" if "virtuoso" in answer.headers.get("Server", "").lower() else "generic"


class RemoteStore:
    def __init__(self, settings):
        self.settings = settings
        self.endpoint = settings.store
        self.update_endpoint = settings.store_update or settings.store
        self.http = Http(settings)
        self._server: GenericServer | None = None
        self._system_graphs: list[str] | None = None

    @property
    def server(self) -> GenericServer:
        """The adapter (chosen on first use, so the web app starts while the server is down)."""
        if self._server is None:
            kind = server_kind(self.settings, self.http)
            if kind == "virtuoso":
                from .virtuoso import VirtuosoServer

                self._server = VirtuosoServer()
            elif kind == "generic":
                self._server = GenericServer()
            else:
                raise RemoteStoreError(
                    f"LOD_STORE_KIND={kind!r} is not known", hint="use generic or virtuoso"
                )
        return self._server

    @property
    def gsp(self) -> str:
        return self.server.gsp_endpoint(self.settings)

    # ------------------------------------------------------------------ reading
    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        form = query_form(sparql)
        union = default_graphs is None and named_graphs is None
        if base_iri and not re.match(r"\s*BASE\b", _SKIP.sub(" ", sparql), re.I):
            sparql = f"BASE <{base_iri}>\n{sparql}"
        text = self.server.prepare(self, sparql, form, union)
        data: list[tuple[str, str]] = [("query", text)]
        data += [("default-graph-uri", g) for g in default_graphs or ()]
        data += [("named-graph-uri", g) for g in named_graphs or ()]
        graph = form in ("CONSTRUCT", "DESCRIBE")
        answer = self.http.request(
            "POST", self.endpoint, data=data, headers={"Accept": NT if graph else JSON}
        )
        truncated = "X-SPARQL-MaxRows" in answer.headers
        if truncated:
            log.warning("result cut at %s rows by the server", answer.headers["X-SPARQL-MaxRows"])
        kind = "graph" if graph else "boolean" if form == "ASK" else "solutions"
        data = answer.content if graph else self.server.results(answer.content)
        return RemoteResult(kind, data, truncated=truncated)

    def _graphs(self) -> list[str]:
        """Every graph holding triples, staging and the server's own graphs included."""
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return [str(row["g"]) for row in result.rows() if "g" in row]

    def named_graphs(self) -> list[str]:
        return sorted(
            g
            for g in self._graphs()
            if not g.startswith(STAGING) and not self.server.is_system_graph(g)
        )

    def graph(self, name: str) -> rdflib.Graph:
        graph = rdflib.Graph()
        out = io.BytesIO()
        self.dump(out, BY_NAME["nt"], graph=name)
        if out.getvalue():
            graph.parse(data=out.getvalue().decode("utf-8"), format="nt")
        return graph

    def dump(self, output: IO[bytes], fmt: Format, graph: str | None = None) -> None:
        if graph is not None:
            ox.serialize(self.server.dump_graph(self, graph), output, format=fmt.rdf)
            return
        fmt = fmt if fmt.rdf and fmt.rdf.supports_datasets else BY_NAME["nq"]
        ox.serialize(self._quads(), output, format=fmt.rdf)

    def _quads(self) -> Iterator[ox.Quad]:
        for name in self.named_graphs():
            node = ox.NamedNode(name)
            for t in self.server.dump_graph(self, name):
                yield ox.Quad(t.subject, t.predicate, t.object, node)

    def close(self) -> None:
        self.http.session.close()

    # ------------------------------------------------------------------ writing
    def update(self, sparql: str) -> None:
        self.http.request(
            "POST",
            self.update_endpoint,
            data={"update": sparql},
            retry=False,
            timeout=UPDATE_TIMEOUT_S,
        )

    def replace_graphs(self, graphs: Mapping[str, GraphSource | None]) -> None:
        self._drop_stale_staging()
        token = f"{STAGING}{time.time_ns()}:{uuid.uuid4().hex}"
        staged: dict[str, list[str]] = {}
        try:
            for target, source in graphs.items():
                if source is None:
                    continue
                staged[target] = []
                for data in _ntriples_pieces(source):
                    name = f"{token}:{sum(map(len, staged.values()))}"
                    self._put(name, data)
                    staged[target].append(name)
            self._switch(list(graphs), staged)
        except BaseException:
            self._drop_quietly([g for names in staged.values() for g in names])
            raise

    def _put(self, graph: str, data: bytes) -> None:
        """One chunk into its own staging graph: PUT replaces, so a retry is harmless."""
        self.http.request(
            "PUT",
            self.gsp,
            params=self.server.gsp_params(graph),
            data=data,
            headers={"Content-Type": NT},
            timeout=UPDATE_TIMEOUT_S,
        )

    def _switch(self, targets: list[str], staged: dict[str, list[str]]) -> None:
        """One update: every target dropped, its staging graphs moved in. A connection lost
        on the way is retried only if the staging graphs are still there (not committed)."""
        ops = [f"DROP SILENT GRAPH <{t}>" for t in targets]
        for target, names in staged.items():
            for i, name in enumerate(names):
                verb = "MOVE" if i == 0 else "ADD"
                ops.append(f"{verb} SILENT GRAPH <{name}> TO GRAPH <{target}>")
            ops += [f"DROP SILENT GRAPH <{name}>" for name in names[1:]]
        update = " ;\n".join(ops)
        witness = next((names[0] for names in staged.values() if names), None)
        for attempt in range(1 + RETRIES):
            try:
                self.update(update)
                return
            except RemoteStoreError:
                if witness is None or attempt == RETRIES:
                    raise
                time.sleep(BACKOFF_S * 2**attempt)
                try:
                    still_there = self.query(f"ASK {{ GRAPH <{witness}> {{ ?s ?p ?o }} }}").boolean
                except RemoteStoreError:
                    continue
                if not still_there:
                    return  # the update committed; only its answer was lost

    def _drop_quietly(self, names: list[str]) -> None:
        if not names:
            return
        try:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{n}>" for n in names))
        except LodError as exc:
            log.warning("could not drop staging graphs (the next write will): %s", exc)

    def _drop_stale_staging(self) -> None:
        now = time.time_ns()
        stale = []
        for name in self._graphs():
            if name.startswith(STAGING):
                stamp = name[len(STAGING) :].split(":", 1)[0]
                if stamp.isdigit() and now - int(stamp) > STALE_STAGING_S * 1_000_000_000:
                    stale.append(name)
        self._drop_quietly(stale)


def _ntriples_pieces(source: GraphSource) -> Iterator[bytes]:
    """The source as N-Triples of about CHUNK_BYTES each, cut between lines. A stream keeps
    its chunks' boundaries (no blank node spans two); a file or bytes with blank nodes, or in
    another format, is sent whole, so its blank nodes stay one."""
    from ..rdfio import prefetched
    from .loading import coalesced

    if source.chunks is not None:
        if source.format.name != "nt":
            yield _to_ntriples(b"".join(source.chunks), source.format)
            return
        yield from coalesced(prefetched(source.chunks), CHUNK_BYTES)
        return
    if source.format.name != "nt":
        data = source.path.read_bytes() if source.path is not None else source.data or b""
        yield _to_ntriples(data, source.format)
    elif source.path is not None:
        with open(source.path, "rb") as file:
            if _has_blank_nodes(file):
                yield file.read()
            else:
                yield from coalesced(_lines_in_blocks(file), CHUNK_BYTES)
    else:
        data = source.data or b""
        if b"_:" in data:
            yield data
        else:
            yield from coalesced(_lines_in_blocks(io.BytesIO(data)), CHUNK_BYTES)


def _has_blank_nodes(file: IO[bytes]) -> bool:
    """Whether ``_:`` occurs in the file (then rewound)."""
    tail = b""
    while block := file.read(1 << 20):
        if b"_:" in tail + block:
            file.seek(0)
            return True
        tail = block[-1:]
    file.seek(0)
    return False


def _lines_in_blocks(file: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The file in blocks of whole lines."""
    rest = b""
    while block := file.read(size):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest


def _to_ntriples(data: bytes, fmt: Format) -> bytes:
    triples = (q.triple for q in ox.parse(data, format=fmt.rdf))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
