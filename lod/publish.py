"""Ingest: a table and its record in; a validated dataset published in one atomic step.

1. Read and normalize the record, mint IRIs, add the served distributions, and validate the
   whole dataset document (NKOD's SHACL rules and the OFN JSON schema). Refuse on any error:
   nothing is written.
2. Convert the table into a new, private version folder: ``data.csv`` (UTF-8), its CSVW schema
   ``data.csv-metadata.json``, and the RDF as ``data.nt`` and ``data.ttl``.
3. Replace the dataset's metadata graph, its data graph and the catalogue graph in one store
   write. Readers see the previous version until that write completes; the downloads follow,
   because the metadata graph names the file version (``dcat:version``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from . import rdfio, tabular, validate
from .catalog import catalog as catalog_mod
from .catalog import ofn
from .catalog.record import SERVED, dataset_document, load_record, normalize_record
from .errors import BadInput, NotFound, Problem, ValidationFailed
from .formats import BY_NAME
from .iris import Iris, check_dataset_id
from .namespaces import DCAT, DCTERMS, RDF, RDFS, XSD
from .store import GraphSource, Store

KEEP_VERSIONS = 2  # file versions kept per dataset (the current one and the one before)


@dataclass
class Published:
    dataset_id: str
    iri: str
    version: str
    rows: int
    triples: int
    warnings: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def files_root(settings) -> Path:
    return settings.home_path / "files"


def version_dir(settings, dataset_id: str, version: str) -> Path:
    return files_root(settings) / dataset_id / version


def current_version(store: Store, settings, dataset_id: str) -> str | None:
    iris = Iris.of(settings)
    result = store.query(
        f"SELECT ?v WHERE {{ GRAPH <{iris.metadata_graph(dataset_id)}> "
        f"{{ <{iris.dataset(dataset_id)}> <{DCAT.version}> ?v }} }}"
    )
    rows = list(result.rows())
    return str(rows[0]["v"]) if rows else None


def prepare_record(
    record_path: Path, dataset_id: str, settings
) -> tuple[dict, rdflib.Graph, list[Problem]]:
    """The validated dataset document and graph; raises ValidationFailed on errors."""
    record, notes = normalize_record(load_record(record_path), source=str(record_path))
    document = dataset_document(record, dataset_id=dataset_id, settings=settings)
    graph = ofn.to_graph(document)
    problems = validate.check_document(document, graph, own_base=validate.own_http_base(settings))
    if validate.errors(problems):
        raise ValidationFailed(notes + problems, what=f"record {record_path}")
    return document, graph, notes + problems


def ingest(
    store: Store,
    settings,
    table: Path,
    dataset_id: str,
    record_path: Path,
    *,
    sheet: str | int | None = None,
) -> Published:
    check_dataset_id(dataset_id)
    table = Path(table)
    if not table.is_file():
        raise BadInput("table file not found", where=str(table))
    iris = Iris.of(settings)
    document, graph, notes = prepare_record(Path(record_path), dataset_id, settings)

    version = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = version_dir(settings, dataset_id, version)
    work = final.with_name(f".{version}.tmp")
    work.mkdir(parents=True)
    try:
        prepared = tabular.prepare(
            table,
            work / "data.csv",
            table_url=iris.download(dataset_id, "csv"),
            about_url=iris.row_template(dataset_id),
            property_url=iris.column_template(dataset_id),
            sheet=sheet,
        )
        (work / "data.csv-metadata.json").write_text(
            json.dumps(prepared.metadata, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        warnings = list(prepared.warnings)
        triples = 0
        with open(work / "data.nt", "wb") as out:
            for line in tabular.to_ntriples(
                prepared.metadata, csv_path=work / "data.csv", warnings=warnings
            ):
                out.write(line.encode("utf-8"))
                triples += 1
        prefixes = {
            "row": iris.dataset(dataset_id) + "/rows/",
            "col": iris.dataset(dataset_id) + "/columns/",
            "csvw": "http://www.w3.org/ns/csvw#",
            "xsd": str(XSD),
        }
        with (
            open(work / "data.nt", encoding="utf-8") as lines,
            open(work / "data.ttl", "wb") as out,
        ):
            rdfio.write_ntriples(lines, out, BY_NAME["ttl"], prefixes)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    try:
        _add_publication_facts(store, graph, settings, dataset_id, version, final)
        _describe_columns(graph, prepared.metadata, iris, dataset_id)
        store.replace_graphs(
            {
                iris.metadata_graph(dataset_id): GraphSource(
                    BY_NAME["nt"], data=graph.serialize(format="nt", encoding="utf-8")
                ),
                iris.data_graph(dataset_id): GraphSource(BY_NAME["nt"], path=final / "data.nt"),
                iris.catalog: GraphSource(
                    BY_NAME["nt"],
                    data=catalog_mod.catalog_graph(settings).serialize(
                        format="nt", encoding="utf-8"
                    ),
                ),
            }
        )
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    _collect_old_versions(settings, dataset_id, keep=version)
    return Published(
        dataset_id, iris.dataset(dataset_id), version, prepared.rows, triples, warnings, notes
    )


def _add_publication_facts(
    store, graph: rdflib.Graph, settings, dataset_id: str, version: str, folder: Path
) -> None:
    """Facts known only at publication: version, dates, byte sizes, the catalogue link."""
    iris = Iris.of(settings)
    dataset = URIRef(iris.dataset(dataset_id))
    now = Literal(
        dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        datatype=XSD.dateTime,
    )
    issued = _previous_issued(store, settings, dataset_id) or now
    graph.add((dataset, DCAT.version, Literal(version)))
    graph.add((dataset, DCTERMS.issued, issued))
    graph.add((dataset, DCTERMS.modified, now))
    graph.add((URIRef(iris.catalog), DCAT.dataset, dataset))
    for served in SERVED:
        path = folder / f"data.{BY_NAME[served.format].suffix}"
        graph.add(
            (
                URIRef(iris.distribution(dataset_id, served.key)),
                DCAT.byteSize,
                Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger),
            )
        )


_XSD_BASES = {
    "number": "double",
    "datetime": "dateTime",
    "any": "anyAtomicType",
    "json": "string",
    "xml": "string",
    "html": "string",
}


def _describe_columns(graph: rdflib.Graph, metadata: dict, iris: Iris, dataset_id: str) -> None:
    """Each column's property IRI dereferences: its label (the header) and its datatype."""
    dataset = URIRef(iris.dataset(dataset_id))
    for column in metadata.get("tableSchema", {}).get("columns", []):
        if column.get("virtual") or column.get("suppressOutput") or "name" not in column:
            continue
        prop = URIRef(iris.column(dataset_id, column["name"]))
        titles = column.get("titles", column["name"])
        title = (
            titles
            if isinstance(titles, str)
            else (
                titles[0]
                if isinstance(titles, list)
                else next(iter(titles.values()), column["name"])
            )
        )
        if isinstance(title, list):
            title = title[0]
        graph.add((prop, RDF.type, RDF.Property))
        graph.add((prop, RDFS.label, Literal(title, lang="cs")))
        graph.add((prop, RDFS.isDefinedBy, dataset))
        datatype = column.get("datatype", "string")
        base = datatype.get("base", "string") if isinstance(datatype, dict) else datatype
        if isinstance(base, str) and base.isalpha():
            graph.add((prop, RDFS.range, XSD[_XSD_BASES.get(base, base)]))


def _previous_issued(store, settings, dataset_id: str):
    iris = Iris.of(settings)
    result = store.query(
        f"SELECT ?i WHERE {{ GRAPH <{iris.metadata_graph(dataset_id)}> "
        f"{{ <{iris.dataset(dataset_id)}> <{DCTERMS.issued}> ?i }} }}"
    )
    rows = list(result.rows())
    return rows[0]["i"] if rows else None


def _collect_old_versions(settings, dataset_id: str, *, keep: str) -> None:
    folder = files_root(settings) / dataset_id
    versions = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in versions[:-KEEP_VERSIONS]:
        if old != keep:
            shutil.rmtree(folder / old, ignore_errors=True)


def delete(store: Store, settings, dataset_id: str) -> None:
    """Withdraw a dataset: its graphs go in one step; its files after."""
    check_dataset_id(dataset_id)
    iris = Iris.of(settings)
    if iris.metadata_graph(dataset_id) not in store.named_graphs():
        raise NotFound(f"no dataset {dataset_id!r}", hint="see `lod list` for the published ids")
    store.replace_graphs({iris.metadata_graph(dataset_id): None, iris.data_graph(dataset_id): None})
    shutil.rmtree(files_root(settings) / dataset_id, ignore_errors=True)


def refresh_catalog(store: Store, settings) -> bool:
    """Write the catalogue graph from settings if it changed; True if it was written."""
    iris = Iris.of(settings)
    wanted = catalog_mod.catalog_graph(settings)
    from rdflib.compare import isomorphic

    if isomorphic(store.graph(iris.catalog), wanted):
        return False
    store.replace_graphs(
        {
            iris.catalog: GraphSource(
                BY_NAME["nt"], data=wanted.serialize(format="nt", encoding="utf-8")
            )
        }
    )
    return True
