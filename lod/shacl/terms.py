"""Terms between rdflib and pyoxigraph, loading the data graph, and SPARQL term syntax."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def to_ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        try:
            return ox.BlankNode(str(term))
        except ValueError:
            return ox.BlankNode(_safe_id(str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def _safe_id(text: str) -> str:
    return "x" + text.encode().hex()


def to_rdflib(term) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def sparql(term) -> str:
    """A term (rdflib or pyoxigraph) in SPARQL syntax; blank nodes cannot be named."""
    if not isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        term = to_ox(term)
    if isinstance(term, ox.BlankNode):
        raise ValueError("a blank node cannot be written in a query")
    return str(term)


class Data:
    """The data graph in a pyoxigraph Store, with the way back to the caller's terms.

    Oxigraph stores numbers, booleans and dates in canonical form ("01" becomes "1"); when the
    data comes as an rdflib Graph, `back` maps each stored literal to the caller's literal.
    """

    def __init__(self, store: ox.Store, graph: str | None = None, source=None):
        self.store = store
        self.default_graph = ox.NamedNode(graph) if graph else None
        self.source = source  # the rdflib Graph the data came from, if any
        self.back: dict = {}
        self.ambiguous = False

    def query(self, text: str):
        if self.default_graph is None:
            return self.store.query(text)
        return self.store.query(text, default_graph=self.default_graph)

    def term(self, term):
        """The caller's term for a term of the store (memoised: values repeat)."""
        if term is None:
            return None
        found = self.back.get(term)
        if found is None:
            found = self.back[term] = to_rdflib(term)
        return found


def load(data, graph: str | None = None) -> Data:
    """Wrap a Store, or load an rdflib Graph or an .nt/.ttl/... file into an in-memory Store."""
    if isinstance(data, ox.Store):
        return Data(data, graph)
    store = ox.Store()
    if isinstance(data, str | Path):
        fmt = ox.RdfFormat.from_extension(Path(data).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        store.bulk_load(path=str(data), format=fmt)
        return Data(store)
    if isinstance(data, rdflib.Graph):
        return _from_rdflib(store, data)
    raise TypeError(f"data must be an rdflib Graph, a pyoxigraph Store or a path, not {data!r}")


def _from_rdflib(store: ox.Store, graph: rdflib.Graph) -> Data:
    dg = ox.DefaultGraph()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), dg) for s, p, o in graph)
    result = Data(store, source=graph)
    typed = {
        o
        for o in graph.objects()
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) != XSD_STRING
    }
    if typed:  # learn Oxigraph's canonical form of each typed literal
        probe = ox.Store()
        items = list(typed)
        probe.extend(
            ox.Quad(ox.NamedNode(f"urn:l:{i}"), ox.NamedNode("urn:p"), to_ox(lit), dg)
            for i, lit in enumerate(items)
        )
        for s, _, o, _ in probe:
            original = items[int(s.value[6:])]
            if result.back.get(o, original) != original:
                result.ambiguous = True
            result.back[o] = original
    return result
