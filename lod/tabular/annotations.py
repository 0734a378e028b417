"""Common properties and notes of tables and groups as triples
(https://www.w3.org/TR/csv2rdf/#json-ld-to-rdf): a small JSON-LD subset.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from .ntriples import CSVW, TYPE, XSD, BlankNodes, iri, literal, triple
from .templates import expand_curie

CSVW_TERMS = {
    "Cell",
    "Column",
    "Datatype",
    "Dialect",
    "Direction",
    "ForeignKey",
    "NumericFormat",
    "Row",
    "Schema",
    "Table",
    "TableGroup",
    "TableReference",
    "Transformation",
}


def _expand(term: str, base: str | None) -> str:
    if term in CSVW_TERMS:
        return CSVW + term
    term = expand_curie(term)
    if ":" in term.split("/")[0] or not base:
        return term
    return urljoin(base, term)


def annotation_triples(
    subject: str, props: dict, *, base: str | None, lang: str | None, bnodes: BlankNodes
) -> Iterator[str]:
    for key, value in props.items():
        if key == "notes":
            predicate = iri(CSVW + "note")
        elif key == "@type":
            for t in value if isinstance(value, list) else [value]:
                if isinstance(t, str):
                    yield triple(subject, TYPE, iri(_expand(t, base)))
            continue
        elif key.startswith("@"):
            continue
        else:
            predicate = iri(_expand(key, None))
        for item in value if isinstance(value, list) else [value]:
            yield from _object(subject, predicate, item, base, lang, bnodes)


def _object(subject, predicate, value, base, lang, bnodes) -> Iterator[str]:
    if isinstance(value, bool):
        yield triple(subject, predicate, literal("true" if value else "false", XSD + "boolean"))
    elif isinstance(value, int):
        yield triple(subject, predicate, literal(str(value), XSD + "integer"))
    elif isinstance(value, float):
        yield triple(subject, predicate, literal(repr(value), XSD + "double"))
    elif isinstance(value, str):
        yield triple(subject, predicate, literal(value, lang=lang))
    elif isinstance(value, dict):
        if "@value" in value:
            dt = value.get("@type")
            text = value["@value"]
            if not isinstance(text, str):
                yield from _object(subject, predicate, text, base, None, bnodes)
                return
            if isinstance(dt, str):
                yield triple(subject, predicate, literal(text, _expand(dt, None)))
            else:
                yield triple(subject, predicate, literal(text, lang=value.get("@language")))
            return
        node = (
            iri(_expand(value["@id"], base)) if isinstance(value.get("@id"), str) else bnodes.new()
        )
        yield triple(subject, predicate, node)
        rest = {k: v for k, v in value.items() if k != "@id"}
        yield from annotation_triples(node, rest, base=base, lang=lang, bnodes=bnodes)
