"""Lookups of one triple pattern, answered in the web process from the store's index.

Handing a query to a worker process costs more than a point lookup itself: under load the
round trip (the job written to a pipe, the worker woken, the answer framed and read back)
takes about 250 µs of CPU, and Oxigraph's SPARQL machinery (parsing, planning) another 55 µs,
against 5 µs for reading the matching quads from an in-memory index. So the commonest public
queries, "what is there about this IRI" as a table (``SELECT ?p ?o WHERE { <iri> ?p ?o }``) or
as a graph (``CONSTRUCT WHERE { <iri> ?p ?o }``), and any other single triple pattern, are
answered here, by ``quads_for_pattern`` on an in-memory copy of the checkpoint the workers read
(``checkpoint.Checkpoints``), written by the writers the workers use (``writers.write_rows``,
``writers.write_graph``). Everything else goes to the workers, whose time limit stops any query.

What is answered here is decided from the text, conservatively (``parse_lookup``): after
``PREFIX`` declarations, a ``SELECT`` of variables (or ``*``) over exactly one triple pattern,
or a ``CONSTRUCT`` whose template is that pattern (``CONSTRUCT WHERE { t }``, ``CONSTRUCT { t }
WHERE { t }``, or ``CONSTRUCT { t } WHERE { BIND(<iri> AS ?v) t }``), of absolute IRIs, prefixed
names of declared prefixes, ``a`` and distinct variables, optionally with ``LIMIT``; comments
allowed; no literals, ``BASE``, filters, modifiers, ``FROM`` or protocol dataset. The default
graph is the union of all graphs, as for every query without a dataset, so a ``SELECT`` gets the
quads matched in every graph, as Oxigraph gives them (a triple in two graphs twice), and a
``CONSTRUCT`` each triple once (its triples come in their first-seen order, Oxigraph's in
another: a graph has none). The index gives the matching quads lazily and at most ``cap`` + 1
are read: an answer with more rows is left to a worker, so the work done here is bounded
whatever the data and needs no time limit.

Only the in-memory copy of the checkpoint is read here (``LOD_SPARQL_MEMORY_QUADS``; the
process makes one as each query worker does, about 400 bytes a quad): pyoxigraph holds the GIL
while it reads an index range (which is why this is fast beside the process's other threads,
where ``Store.query``, which releases and retakes the GIL several times per query, waits behind
them), and a read from disk that is not in the page cache would stall every thread of the web
process. Until the copy is complete, and for stores too big to copy, the workers answer. With
no row limit (``LOD_SPARQL_MAX_ROWS=0``) a worker writes solutions with Oxigraph's own
serializer, whose bytes differ (whitespace), so then nothing is answered here either.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from functools import cache
from itertools import islice
from operator import attrgetter
from pathlib import Path

import pyoxigraph as ox

from .checkpoint import Checkpoints
from .pool import Job
from .text import star_order
from .writers import ROW_FORMATS, write_graph, write_rows

CAP = 1000  # rows at most answered here (the setting sparql_inline_rows)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_COMMENT = re.compile(rf"({_IRI})|#[^\n\r]*")
_VAR = r"[?$][A-Za-z_][A-Za-z0-9_]*"
_PREFIX = r"(?:[A-Za-z][A-Za-z0-9_-]*)?"
_PNAME = rf"{_PREFIX}:[A-Za-z0-9_][A-Za-z0-9_-]*"
_TERM = rf"(?:{_IRI}|{_VAR}|{_PNAME})"
_DECLARATION = re.compile(rf"\s*PREFIX\s+({_PREFIX}):\s*({_IRI})", re.IGNORECASE)


def _triple(name: str) -> str:
    return rf"(?P<{name}s>{_TERM})\s+(?P<{name}p>{_TERM}|a)\s+(?P<{name}o>{_TERM})\s*\.?\s*"


_LIMIT = r"(?:LIMIT\s+(?P<limit>[0-9]{1,9})\s*)?"
_SELECT = re.compile(
    rf"\s*SELECT\s+(?P<select>\*|(?:{_VAR}\s*)+?)\s*(?:WHERE\s*)?\{{\s*{_triple('')}\}}\s*{_LIMIT}",
    re.IGNORECASE,
)
# CONSTRUCT WHERE { t }, CONSTRUCT { t } WHERE { t } and, as a resource is often asked for,
# CONSTRUCT { t } WHERE { BIND(<iri> AS ?v) t }, where t mentions ?v
_CONSTRUCT = re.compile(
    rf"\s*CONSTRUCT\s*(?:\{{\s*{_triple('t')}\}}\s*)?WHERE\s*\{{\s*"
    rf"(?:BIND\s*\(\s*(?P<bound>{_IRI}|{_PNAME})\s+AS\s+(?P<as>{_VAR})\s*\)\s*\.?\s*)?"
    rf"{_triple('')}\}}\s*{_LIMIT}",
    re.IGNORECASE,
)
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:")
_QUAD = ("subject", "predicate", "object")

Term = ox.NamedNode | str  # a term, or a variable's name


@dataclass(frozen=True)
class Lookup:
    """One triple pattern: each place a term (``ox.NamedNode``) or a variable's name."""

    form: str  # "SELECT" (solutions) or "CONSTRUCT" (the matching triples)
    names: list[str]  # SELECT: the variables of the answer, in order
    pattern: tuple[Term, Term, Term]
    limit: int | None


def parse_lookup(query: str) -> Lookup | None:
    """The single triple pattern ``query`` asks for (see the module's docstring); None for
    any other query, which a worker answers."""
    if len(query) > 4096 or '"' in query or "'" in query:
        return None  # no literals: they are never here
    text = _COMMENT.sub(lambda m: m.group(1) or " ", query)  # with no strings, # is a comment
    prefixes: dict[str, str] = {}
    at = 0
    while declared := _DECLARATION.match(text, at):
        prefixes[declared.group(1)] = declared.group(2)[1:-1]
        at = declared.end()
    if match := _SELECT.fullmatch(text, at):
        form = "SELECT"
    elif match := _CONSTRUCT.fullmatch(text, at):
        form = "CONSTRUCT"
    else:
        return None
    pattern = _terms(match, "", prefixes)
    if pattern is None:
        return None
    names: list[str] = []
    if form == "SELECT":
        select = match.group("select")
        names = (star_order(query) or []) if select == "*" else [v[1:] for v in select.split()]
        if len(set(names)) != len(names):
            return None
    else:
        template = pattern if match.group("ts") is None else _terms(match, "t", prefixes)
        if match.group("bound"):  # ?v is that IRI wherever it stands
            bound = _iri(match.group("bound"), prefixes)
            if bound is None or match.group("ts") is None:
                return None  # BIND in the short form is not SPARQL
            name = match.group("as")[1:]
            pattern = [bound if t == name else t for t in pattern]
            template = [bound if t == name else t for t in template or ()]
        if template != pattern:
            return None  # the answer is the matched triples, nothing rearranged
    variables = [t for t in pattern if isinstance(t, str)]
    if len(set(variables)) != len(variables):
        return None  # ?x ?p ?x: a scan that keeps few rows
    limit = match.group("limit")
    return Lookup(form, names, (pattern[0], pattern[1], pattern[2]), int(limit) if limit else None)


def _terms(match: re.Match, name: str, prefixes: dict[str, str]) -> list[Term] | None:
    terms: list[Term] = []
    for place in "spo":
        token = match.group(name + place)
        if token[0] in "?$":
            terms.append(token[1:])
        elif token == "a":
            terms.append(RDF_TYPE)
        elif (iri := _iri(token, prefixes)) is not None:
            terms.append(iri)
        else:
            return None  # "A" (only a lower-case a is rdf:type), or an IRI not resolved here
    return terms


def _iri(token: str, prefixes: dict[str, str]) -> ox.NamedNode | None:
    if token[0] == "<":
        if not _ABSOLUTE.match(token):
            return None  # a relative IRI: the worker resolves it
        value = token[1:-1]
    else:
        prefix, _, local = token.partition(":")
        if prefix not in prefixes:
            return None  # undeclared: the worker says so
        value = prefixes[prefix] + local
    try:
        return ox.NamedNode(value)
    except ValueError:
        return None


def _getter(lookup: Lookup):
    """The function that makes a matched quad the row of ``lookup.names``."""
    places = {t: _QUAD[i] for i, t in enumerate(lookup.pattern) if isinstance(t, str)}
    getters = [places.get(name) for name in lookup.names]
    if None in getters:  # a variable of the SELECT not in the pattern: unbound
        return lambda quad: tuple(None if g is None else getattr(quad, g) for g in getters)
    if not getters:  # SELECT * of a pattern without variables: one empty row per match
        return lambda quad: ()
    if len(getters) == 1:
        one = getters[0]
        return lambda quad: (getattr(quad, one),)
    return attrgetter(*getters)  # a tuple of the terms


@cache
def _row_format(media_type: str | None) -> str | None:
    """The writer's name for the results format a job asks for (as the worker reads it)."""
    fmt = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    return fmt.media_type if fmt is not None and fmt.media_type in ROW_FORMATS else None


@cache
def _graph_format(media_type: str | None) -> ox.RdfFormat | None:
    return ox.RdfFormat.from_media_type(media_type) if media_type else None


class InlineLookups:
    """Answers ``parse_lookup`` jobs in this process, or None (a worker's to answer)."""

    def __init__(
        self,
        store_dir: str | Path,
        max_rows: int,
        cap: int = CAP,
        memory_quads: int = 0,
        max_bytes: int = 0,
    ):
        # the newest checkpoint, copied into memory as the workers copy it
        self.checkpoints = Checkpoints(store_dir, memory_quads, max_bytes)
        self.max_rows = max_rows
        self.cap = min(max_rows, cap)  # PoolEngine makes none with no row limit (docstring)
        self.lock = threading.Lock()  # a checkpoint is opened by one thread at a time

    @property
    def in_memory(self) -> bool:
        """Whether lookups read an in-memory copy of the newest checkpoint (asking starts
        making one)."""
        with self.lock:
            return self.checkpoints.in_memory

    def run(self, job: Job) -> tuple[dict, bytes] | None:
        """The answer's kind, rows and truncation (as a worker's header says them) and its
        bytes; None when a worker must answer."""
        if job.default_graphs is not None or job.named_graphs is not None:
            return None
        lookup = parse_lookup(job.query)
        if lookup is None:
            return None
        if lookup.form == "SELECT":
            fmt = _row_format(job.results)
        else:
            fmt = _graph_format(job.rdf)
        if fmt is None:
            return None  # the worker says what is acceptable
        try:
            with self.lock:
                store = self.checkpoints.reader()
                if store is self.checkpoints.store:
                    return None  # no in-memory copy (yet): see the module's docstring
            s, p, o = (None if isinstance(t, str) else t for t in lookup.pattern)
            quads = store.quads_for_pattern(s, p, o, None)  # None: in every graph
            wanted = self.cap + 1 if lookup.limit is None else min(lookup.limit, self.cap + 1)
            found = list(islice(quads, wanted))
        except Exception:  # e.g. a checkpoint that cannot be opened: the workers say why
            return None
        if len(found) > self.cap and (self.cap != self.max_rows or lookup.form != "SELECT"):
            # more rows than answered here; or a graph cut at the row limit, whose distinct
            # triples may be more than those read
            return None
        out = io.BytesIO()
        if lookup.form == "SELECT":
            rows = map(_getter(lookup), found)
            written = write_rows(lookup.names, rows, out, fmt, self.max_rows)
        else:  # a graph is a set: a triple in several graphs once
            triples = list(dict.fromkeys(quad.triple for quad in found))
            try:
                written = write_graph(triples, out, fmt, self.max_rows)
            except Exception:  # a format that cannot hold it: the worker says so
                return None
        header = {"kind": written.kind, "rows": written.rows, "truncated": written.truncated}
        return header, out.getvalue()
