"""Validation before anything is published: NKOD's rules (SHACL) and the OFN JSON schemas."""

from __future__ import annotations

import rdflib

from ..errors import Problem
from . import schema, shacl


def check_document(
    document: dict, graph: rdflib.Graph, *, own_base: str | None = None
) -> list[Problem]:
    """All problems of one OFN document (dataset or catalogue) and its RDF graph."""
    return shacl.validate(graph) + schema.validate(document, own_base=own_base)


def own_http_base(settings) -> str | None:
    """lod's own base URL when it is plain http (local development), else None."""
    return settings.base if settings.base.startswith("http://") else None


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
