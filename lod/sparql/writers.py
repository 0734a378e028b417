"""Query results written in a requested format, cut at a maximum number of rows.

Oxigraph serializes a whole result by itself (fast, used when rows are not limited); to stop at
``max_rows`` the solutions are written here instead, one batch of rows at a time. Graphs
(CONSTRUCT, DESCRIBE) always go through Oxigraph's serializer, fed a counted iterator.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from json.encoder import encode_basestring as _json_string
from operator import itemgetter
from typing import IO
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr as _xml_attr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SRX = "http://www.w3.org/2005/sparql-results#"
BATCH = 1000


@dataclass
class Written:
    """What was written: the kind of result, how many rows (solutions or triples), and whether
    the result was cut at the row limit."""

    kind: str  # "boolean", "solutions" or "graph"
    rows: int = 0
    truncated: bool = False


class NoFormat(LookupError):
    """No format was asked for this kind of result (e.g. a graph when only tables are accepted)."""


def kind_of(raw) -> str:
    if isinstance(raw, ox.QueryBoolean):
        return "boolean"
    if isinstance(raw, ox.QuerySolutions):
        return "solutions"
    return "graph"


def write(raw, out: IO[bytes], *, results, rdf, max_rows: int, order=None) -> Written:
    """Write a pyoxigraph query result to ``out``: booleans and solutions in the
    ``ox.QueryResultsFormat`` ``results``, graphs in the ``ox.RdfFormat`` ``rdf``.
    ``max_rows`` = 0 writes everything; ``order``: variable names to list first, in that
    order (`text.star_order`). Raises ``NoFormat`` when the needed format is None."""
    kind = kind_of(raw)
    if kind == "graph":
        if rdf is None:
            raise NoFormat(kind)
        return write_graph(raw, out, rdf, max_rows)
    if results is None:
        raise NoFormat(kind)
    picked = _picked(raw, order) if kind == "solutions" else None
    if kind == "boolean" or (not max_rows and picked is None):
        raw.serialize(out, format=results)
        return Written(kind)
    return _write_solutions(raw, out, results, max_rows or sys.maxsize, picked)


def _picked(raw, order: list[str] | None) -> list[int] | None:
    """The positions of the result's variables in the `order` asked for (the others after
    them, as they are), or None when that is their order already."""
    names = [v.value for v in raw.variables]
    if not order or len(names) < 2:
        return None
    rank = {name: i for i, name in enumerate(order)}
    picked = sorted(range(len(names)), key=lambda i: (rank.get(names[i], len(rank)), i))
    return None if picked == list(range(len(names))) else picked


# ------------------------------------------------------------------------------ graphs
class _Counter:
    def __init__(self, items: Iterable, limit: int, as_quads: bool):
        self.items, self.limit, self.as_quads = items, limit, as_quads
        self.rows, self.truncated = 0, False

    def __iter__(self) -> Iterator:
        default = ox.DefaultGraph()
        for item in self.items:
            if self.limit and self.rows == self.limit:
                self.truncated = True
                return
            self.rows += 1
            yield (
                ox.Quad(item.subject, item.predicate, item.object, default)
                if (self.as_quads)
                else item
            )


def write_graph(raw: Iterable, out: IO[bytes], rdf, max_rows: int) -> Written:
    """Triples (a CONSTRUCT's or DESCRIBE's, or any) in the ``ox.RdfFormat`` ``rdf``, cut after
    ``max_rows`` (0: all); in a dataset format, in the default graph."""
    counter = _Counter(raw, max_rows, rdf.supports_datasets)
    ox.serialize(counter, out, format=rdf)
    return Written("graph", counter.rows, counter.truncated)


# --------------------------------------------------------------------------- solutions
def _write_solutions(raw, out: IO[bytes], results, max_rows: int, picked=None) -> Written:
    names = [v.value for v in raw.variables]
    solutions: Iterable = raw
    if picked is not None:  # the variables in another order: each solution's values too
        names = [names[i] for i in picked]
        pick = itemgetter(*picked)
        solutions = (pick(tuple(solution)) for solution in raw)
    return write_rows(names, solutions, out, results.media_type, max_rows)


def write_rows(
    names: list[str], solutions: Iterable, out: IO[bytes], media_type: str, max_rows: int
) -> Written:
    """Solutions (sequences of terms, None where unbound) of the variables ``names`` in the
    results format ``media_type``, cut after ``max_rows``: the bytes ``write`` gives."""
    writer = _WRITERS[media_type]
    out.write(writer.head(names).encode())
    rows = 0
    truncated = False
    solutions = iter(solutions)
    while True:
        batch = list(islice(solutions, min(BATCH, max_rows - rows + 1)))
        if rows + len(batch) > max_rows:
            batch = batch[: max_rows - rows]
            truncated = True
        if batch:
            out.write(writer.rows(names, batch, first=rows == 0).encode())
            rows += len(batch)
        if truncated or len(batch) < BATCH:
            break
    out.write(writer.tail().encode())
    return Written("solutions", rows, truncated)


def _json_term(term) -> str:
    cls = type(term)
    if cls is ox.NamedNode:
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if cls is ox.BlankNode:
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    if cls is ox.Literal:
        text = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            return text + ',"xml:lang":' + _json_string(term.language) + "}"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return text + "}"
        return text + ',"datatype":' + _json_string(datatype) + "}"
    return (  # an RDF-star triple term
        '{"type":"triple","value":{"subject":'
        + _json_term(term.subject)
        + ',"predicate":'
        + _json_term(term.predicate)
        + ',"object":'
        + _json_term(term.object)
        + "}}"
    )


def _xml_term(term) -> str:
    cls = type(term)
    if cls is ox.NamedNode:
        return "<uri>" + _xml_escape(term.value) + "</uri>"
    if cls is ox.BlankNode:
        return "<bnode>" + _xml_escape(term.value) + "</bnode>"
    if cls is ox.Literal:
        if term.language:
            attr = " xml:lang=" + _xml_attr(term.language)
        elif term.datatype.value != XSD_STRING:
            attr = " datatype=" + _xml_attr(term.datatype.value)
        else:
            attr = ""
        return f"<literal{attr}>" + _xml_escape(term.value) + "</literal>"
    return (
        "<triple><subject>"
        + _xml_term(term.subject)
        + "</subject><predicate>"
        + _xml_term(term.predicate)
        + "</predicate><object>"
        + _xml_term(term.object)
        + "</object></triple>"
    )


def _csv_field(term) -> str:
    cls = type(term)
    if cls is ox.BlankNode:
        text = "_:" + term.value
    elif cls is ox.NamedNode or cls is ox.Literal:
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


class _Json:
    @staticmethod
    def head(names: list[str]) -> str:
        return (
            '{"head":{"vars":[' + ",".join(map(_json_string, names)) + ']},"results":{"bindings":['
        )

    @staticmethod
    def rows(names: list[str], batch: list, first: bool) -> str:
        keys = [_json_string(n) + ":" for n in names]
        parts = []
        for solution in batch:
            values = tuple(solution)
            parts.append(
                "{"
                + ",".join(
                    [
                        key + _json_term(v)
                        for key, v in zip(keys, values, strict=True)
                        if v is not None
                    ]
                )
                + "}"
            )
        return ("" if first else ",") + ",".join(parts)

    @staticmethod
    def tail() -> str:
        return "]}}"


class _Xml:
    @staticmethod
    def head(names: list[str]) -> str:
        variables = "".join(f"<variable name={_xml_attr(n)}/>" for n in names)
        return f'<?xml version="1.0"?>\n<sparql xmlns="{SRX}"><head>{variables}</head><results>'

    @staticmethod
    def rows(names: list[str], batch: list, first: bool) -> str:
        opens = [f"<binding name={_xml_attr(n)}>" for n in names]
        parts = []
        for solution in batch:
            values = tuple(solution)
            parts.append(
                "<result>"
                + "".join(
                    [
                        o + _xml_term(v) + "</binding>"
                        for o, v in zip(opens, values, strict=True)
                        if v is not None
                    ]
                )
                + "</result>\n"
            )
        return "".join(parts)

    @staticmethod
    def tail() -> str:
        return "</results></sparql>\n"


class _Csv:
    @staticmethod
    def head(names: list[str]) -> str:
        return ",".join(names) + "\r\n"

    @staticmethod
    def rows(names: list[str], batch: list, first: bool) -> str:
        return "".join(
            ",".join("" if v is None else _csv_field(v) for v in tuple(s)) + "\r\n" for s in batch
        )

    @staticmethod
    def tail() -> str:
        return ""


class _Tsv:
    @staticmethod
    def head(names: list[str]) -> str:
        return "\t".join("?" + n for n in names) + "\n"

    @staticmethod
    def rows(names: list[str], batch: list, first: bool) -> str:
        return "".join(
            "\t".join("" if v is None else str(v).replace("\t", "\\t") for v in tuple(s)) + "\n"
            for s in batch
        )

    @staticmethod
    def tail() -> str:
        return ""


_WRITERS = {
    ox.QueryResultsFormat.JSON.media_type: _Json,
    ox.QueryResultsFormat.XML.media_type: _Xml,
    ox.QueryResultsFormat.CSV.media_type: _Csv,
    ox.QueryResultsFormat.TSV.media_type: _Tsv,
}
ROW_FORMATS = frozenset(_WRITERS)  # the media types ``write_rows`` writes
