"""A table's data checked against its SHACL shapes before it is published.

`run` is the one place a SHACL engine is called: lod's own fast validator (``lod.shacl``) when
it is installed, else pySHACL. pySHACL manages about 1,500 focus nodes a second, so without the
fast validator only tables up to `PYSHACL_ROWS` rows are checked at ingest; with it, up to
`FAST_ROWS` (it needs the data in memory). A bigger table is published with a warning saying it
was not checked (its shapes are published all the same).

`check` validates the data (``data.nt``) together with the codelist facts its links need (each
RÚIAN IRI's ``uzemi:`` class, from the territorial index); `dataproblems` turns the report into
problems naming row, column and value in English and Czech. `guard` puts the check in
front of publishing: small tables are converted and checked before the store is touched; big
ones checked by the fast validator at the end of the stream, which aborts the store write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from ..errors import LodError, Problem, ValidationFailed
from ..namespaces import RDF, RUIAN, SH, UZEMI
from ..territory.kinds import BY_KEY
from .dataproblems import problems

PYSHACL_ROWS = 2_000  # rows pySHACL checks at ingest (about 3 s a thousand rows of 10 columns)
# rows lod.shacl checks at ingest: a bigger table is loaded into memory for it (100,000 rows of
# 10 columns, 1.6 M triples: about 0.6 GB more at the peak)
FAST_ROWS = 100_000


def _fast():
    """lod's fast SHACL validator, if this installation has it (``validate(data, shapes)``)."""
    try:
        from lod.shacl import validate
    except ImportError:
        return None
    return validate


def engine() -> str:
    """The engine `run` uses: "lod.shacl" when installed, else "pySHACL"."""
    return "lod.shacl" if _fast() is not None else "pySHACL"


def run(data, shapes: rdflib.Graph, *, using: str | None = None) -> rdflib.Graph:
    """The ``sh:ValidationReport`` graph of ``data`` (an rdflib Graph, or a pyoxigraph Store
    for lod.shacl) against ``shapes``, by ``using`` (default: `engine`)."""
    if (using or engine()) == "lod.shacl":
        from lod.shacl import validate as fast

        return fast(data, shapes).graph
    from pyshacl import validate

    _, report, _ = validate(
        as_graph(data), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return report


def as_graph(data) -> rdflib.Graph:
    if isinstance(data, rdflib.Graph):
        return data
    text = data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return rdflib.Graph().parse(data=text.decode("utf-8"), format="nt")


def load(nt: Path, *, index=None, using: str | None = None):
    """The data of ``nt`` with the codelist facts its links need, as the engine takes it."""
    if (using or engine()) == "lod.shacl":
        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        return with_codelist(store, index)
    data = rdflib.Graph()
    data.parse(nt, format="nt")
    linked = (str(o) for o in set(data.objects()) if isinstance(o, URIRef))
    for s, p, o in codelist_facts(linked, index):
        data.add((URIRef(s), URIRef(p), URIRef(o)))
    return data


def with_codelist(store: ox.Store, index) -> ox.Store:
    """``store`` (the data) with the codelist facts its links need."""
    linked = (
        row["o"].value
        for row in store.query(
            f"SELECT DISTINCT ?o {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), '{RUIAN}')) }}"
        )
    )
    store.extend(
        ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o))
        for s, p, o in codelist_facts(linked, index)
    )
    return store


def codelist_facts(iris, index) -> list[tuple[str, str, str]]:
    """The ``uzemi:`` class of each RÚIAN unit among ``iris`` that the codelist knows: what
    ``sh:class`` needs to see of the codelist (the rest of it is not needed)."""
    if index is None:
        return []
    facts = []
    for iri in iris:
        unit = index.unit(iri) if iri.startswith(RUIAN) else None
        if unit is not None:
            facts.append((iri, str(RDF.type), str(UZEMI[BY_KEY[unit.kind].cls])))
    return facts


def check(
    nt: Path,
    shapes: rdflib.Graph,
    metadata: dict,
    *,
    index=None,
    where: str = "data.csv",
    using: str | None = None,
) -> list[Problem]:
    """The problems of the N-Triples file ``nt`` (a table's data) against ``shapes``."""
    data = load(nt, index=index, using=using)
    return problems(run(data, shapes, using=using), shapes, metadata, data, where=where)


# ------------------------------------------------------------------------- at ingest


def guard(
    produced,
    work: Path,
    shapes: rdflib.Graph,
    metadata: dict,
    *,
    index=None,
    steward: bool = True,
) -> str:
    """Put the check of ``produced`` (a table's ``publish.Produced``, streaming its data into
    ``work``) in front of publishing; refusals raise ValidationFailed. Returns what was done,
    for the output.

    Without ``steward`` shapes, the shapes say only what the table's schema says, and the
    converter has already enforced that schema on every cell (strict mode): a big table is then
    not checked twice, which would double its ingest time and memory."""
    count, using, rows = _shape_count(shapes), engine(), produced.rows
    if not steward and rows > PYSHACL_ROWS:
        return (
            f"{rows} rows checked by the converter against their schema, which the {count} "
            "generated shapes restate (a steward's shapes file would be checked here too)"
        )
    limit = FAST_ROWS if using == "lod.shacl" else PYSHACL_ROWS
    if rows > limit:
        missing = "" if using == "lod.shacl" else " and the fast validator is not installed"
        produced.warnings.append(
            f"data not checked against its shapes: {rows} rows are more than {using} checks at "
            f"ingest ({limit}){missing}; the shapes are published with the data"
        )
        return f"data not checked against its {count} shapes ({rows} rows > {limit})"
    if rows > PYSHACL_ROWS:  # checked once loaded; a refusal aborts the store write
        produced.data = _checked_at_end(produced.data, produced.warnings, shapes, metadata, index)
        return f"data checked against {count} shapes by {using}: conforms"
    if produced.data is not None:  # small: converted (files written) before the store is touched
        for _ in produced.data:
            pass
        produced.data = None
    try:
        found = check(work / "data.nt", shapes, metadata, index=index)
    except LodError:
        raise
    except Exception as exc:  # the fast validator failed: the reference engine decides
        if using == "pySHACL":
            raise
        produced.warnings.append(f"{using} failed ({exc!r}); the data was checked by pySHACL")
        found, using = (
            check(work / "data.nt", shapes, metadata, index=index, using="pySHACL"),
            "pySHACL",
        )
    _refuse(found, produced.warnings)
    return f"data checked against {count} shapes by {using}: conforms"


def _checked_at_end(
    chunks: Iterator[bytes], warnings: list[str], shapes, metadata, index
) -> Iterator[bytes]:
    """The data's chunks, loaded for the check as they pass (in the converter's thread, while
    the store loads the ones before); after the last, the check: an error aborts the write."""
    data = ox.Store()
    for chunk in chunks:  # (no blank node is in two chunks)
        data.bulk_load(chunk, format=ox.RdfFormat.N_TRIPLES)
        yield chunk
    data = with_codelist(data, index)
    report = run(data, shapes, using="lod.shacl")
    _refuse(problems(report, shapes, metadata, data), warnings)


def _refuse(found: list[Problem], warnings: list[str]) -> None:
    """Refuse on any error; warnings of the shapes go to ``warnings``."""
    if any(p.severity == "error" for p in found):
        raise ValidationFailed(found, what="data (SHACL shapes)")
    for p in found:
        warnings.append(f"{p.where}: {p.message}" + (f" (value {p.value!r})" if p.value else ""))


def _shape_count(shapes: rdflib.Graph) -> int:
    return len(
        set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
    )
