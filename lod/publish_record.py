"""Metadata-only records: a dataset series, or a dataset whose data lives elsewhere.

``publish_record`` validates such a record exactly as ``lod ingest`` validates a table's record
(NKOD's rules, the OFN JSON schema, codelists, HVD, series, the DCAT-AP 3 shapes), then replaces
the record's metadata graph and the catalogue in one store write; a data graph or files left
from an earlier table version go in the same write. A refused record changes nothing.

The record is the OFN JSON of a dataset or series (``typ: Datová série``) with its own
``distribuce`` (IRIs are minted for those without one). ``extra`` adds triples the OFN keys do
not carry (``lod import-catalog`` keeps every fact of an imported record this way).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from . import validate
from .catalog import catalog as catalog_mod
from .catalog import dcatap, ofn
from .catalog.record import load_record, metadata_document, normalize_record
from .errors import Problem, ValidationFailed
from .formats import BY_NAME
from .iris import Iris, check_dataset_id
from .namespaces import DCAT, DCTERMS, RDF, XSD
from .publish import Published, files_root
from .store import GraphSource, Store


def published_series(store: Store) -> set[str]:
    result = store.query(
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{DCAT.DatasetSeries}> }} }}"
    )
    return {str(row["s"]) for row in result.rows()}


def prepare(
    store: Store,
    settings,
    dataset_id: str,
    record: Path | dict,
    *,
    source: str = "",
    extra: rdflib.Graph | None = None,
    dcat_ap_shapes: bool = True,
    series: set[str] | None = None,
) -> tuple[dict, rdflib.Graph, list[Problem]]:
    """The validated document and graph of a metadata-only record; ValidationFailed on errors.

    ``dcat_ap_shapes=False`` leaves the DCAT-AP 3 shapes to the caller (``check_batch``);
    ``series``: the series a record may be part of (default: those published here)."""
    check_dataset_id(dataset_id)
    source = source or str(record)
    raw = record if isinstance(record, dict) else load_record(record)
    normalized, notes = normalize_record(raw, source=source, metadata_only=True)
    document = metadata_document(normalized, dataset_id=dataset_id, settings=settings)
    graph = ofn.to_graph(document)
    if extra is not None:
        graph += extra
    series = set(series if series is not None else published_series(store))
    if document["typ"] == "Datová série":
        series.add(document["iri"])
    problems = validate.check_document(
        document,
        graph,
        own_base=validate.own_http_base(settings),
        settings=settings,
        series=series,
        dcat_ap_shapes=dcat_ap_shapes,
        references=catalog_mod.series_descriptions(store, graph),
    )
    if validate.errors(problems):
        raise ValidationFailed(notes + problems, what=f"record {source}")
    return document, graph, notes + problems


def publish_record(
    store: Store,
    settings,
    dataset_id: str,
    record: Path | dict,
    *,
    source: str = "",
    extra: rdflib.Graph | None = None,
) -> Published:
    """Validate and publish one metadata-only record in one store write."""
    document, graph, notes = prepare(
        store, settings, dataset_id, record, source=source, extra=extra
    )
    finish(store, settings, dataset_id, graph)
    write(store, settings, {dataset_id: graph})
    return Published(dataset_id, document["iri"], "", 0, len(graph), [], notes)


def finish(store: Store, settings, dataset_id: str, graph: rdflib.Graph) -> None:
    """Publication facts (issued, modified, the catalogue link) and the DCAT-AP 3 extras."""
    iris = Iris.of(settings)
    node = URIRef(iris.dataset(dataset_id))
    now = Literal(
        dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        datatype=XSD.dateTime,
    )
    if graph.value(node, DCTERMS.issued) is None:
        graph.add((node, DCTERMS.issued, _previous(store, iris, dataset_id, DCTERMS.issued) or now))
    if graph.value(node, DCTERMS.modified) is None:
        graph.add((node, DCTERMS.modified, now))
    graph.add((URIRef(iris.catalog), DCAT.dataset, node))
    dcatap.enrich(graph, settings, landing_pages={str(node): iris.landing_page(dataset_id)})


def check_batch(records: dict[str, rdflib.Graph]) -> dict[str, list[Problem]]:
    """The DCAT-AP 3 violations of finished records (id -> graph), validated together (one
    pySHACL run is several times faster than one per record); only records with violations
    appear in the result, each with its own."""
    from .validate import dcatap

    union = rdflib.Graph()
    for graph in records.values():
        union += graph
    if not validate.errors(dcatap.validate(union, merge=False)):
        return {}
    out = {}
    for dataset_id, graph in records.items():
        found = validate.errors(dcatap.validate(graph, merge=False))
        if found:
            out[dataset_id] = found
    return out


def write(store: Store, settings, records: dict[str, rdflib.Graph]) -> None:
    """Replace the metadata graphs of ``records`` (id -> finished graph), drop their data graphs
    and rewrite the catalogue, all in one store write; then remove their old files."""
    iris = Iris.of(settings)
    nt = BY_NAME["nt"]
    graphs: dict[str, GraphSource | None] = {}
    for dataset_id, graph in records.items():
        graphs[iris.metadata_graph(dataset_id)] = GraphSource(
            nt, data=graph.serialize(format="nt", encoding="utf-8")
        )
        graphs[iris.data_graph(dataset_id)] = None
    graphs[iris.catalog] = GraphSource(
        nt, data=catalog_mod.catalog_graph(settings).serialize(format="nt", encoding="utf-8")
    )
    store.replace_graphs(graphs)
    for dataset_id in records:
        shutil.rmtree(files_root(settings) / dataset_id, ignore_errors=True)


def _previous(store: Store, iris: Iris, dataset_id: str, predicate) -> Literal | None:
    result = store.query(
        f"SELECT ?v WHERE {{ GRAPH <{iris.metadata_graph(dataset_id)}> "
        f"{{ <{iris.dataset(dataset_id)}> <{predicate}> ?v }} }}"
    )
    rows = list(result.rows())
    return rows[0]["v"] if rows else None


def is_metadata_only(graph: rdflib.Graph, iri: str) -> bool:
    """A record without a served table (no dcat:version naming its files)."""
    node = URIRef(iri)
    return (node, RDF.type, DCAT.Dataset) in graph and graph.value(node, DCAT.version) is None
