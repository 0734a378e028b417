"""Human labels for codelist IRIs (EU tables, terms of use), Czech first."""

from __future__ import annotations

from functools import cache

import rdflib
from rdflib.namespace import SKOS

from . import resources
from .catalog import codelists


@cache
def _labels() -> dict[str, dict[str, str]]:
    graph = rdflib.Graph()
    graph += codelists.graph()
    graph.parse(resources.vocab("pu/labels.ttl"), format="turtle")
    out: dict[str, dict[str, str]] = {}
    for concept, label in graph.subject_objects(SKOS.prefLabel):
        out.setdefault(str(concept), {})[label.language or ""] = str(label)
    return out


def label(iri: str, lang: str = "cs") -> str | None:
    entry = _labels().get(str(iri))
    if not entry:
        return None
    return entry.get(lang) or entry.get("en") or next(iter(entry.values()))


def known(iri: str) -> bool:
    return str(iri) in _labels()
