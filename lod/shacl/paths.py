"""SHACL property paths (§2.3.1) as SPARQL property paths and as canonical text."""

from __future__ import annotations

import rdflib
from rdflib import RDF, BNode, URIRef
from rdflib.collection import Collection

from .vocab import SH


class UnsupportedPath(ValueError):
    pass


def to_sparql(g: rdflib.Graph, path) -> str:
    """The SPARQL 1.1 path for the SHACL path node `path` of shapes graph `g`."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise UnsupportedPath(f"not a path: {path!r}")
    if (path, RDF.first, None) in g:
        items = list(Collection(g, path))
        if len(items) < 2:
            raise UnsupportedPath("a sequence path needs two members")
        return "(" + "/".join(to_sparql(g, p) for p in items) + ")"
    for pred, wrap in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = g.value(path, pred)
        if inner is not None:
            return "(" + wrap.format(to_sparql(g, inner)) + ")"
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        items = list(Collection(g, alt))
        if len(items) < 2:
            raise UnsupportedPath("an alternative path needs two members")
        return "(" + "|".join(to_sparql(g, p) for p in items) + ")"
    raise UnsupportedPath(f"unknown path {path!r}")


def canonical(g: rdflib.Graph, path) -> str | None:
    """Comparable text of a path (IRIs in full); None for no path."""
    if path is None:
        return None
    try:
        return to_sparql(g, path)
    except UnsupportedPath:
        return repr(path)
