"""Ingest: a table and its record in; a validated dataset published in one atomic step.

1. Read and normalize the record, mint IRIs, add the served distributions, and validate the
   whole dataset document (NKOD's SHACL rules and the OFN JSON schema). Refuse on any error:
   nothing is written.
2. Convert the table into a new, private version folder: ``data.csv`` (UTF-8), its CSVW schema
   ``data.csv-metadata.json``, and the RDF as ``data.nt`` and ``data.ttl``. Territorial codes
   and municipality names are linked to RÚIAN IRIs on the way (``tabular.linking``).
3. Replace the dataset's metadata graph, its data graph and the catalogue graph in one store
   write. Readers see the previous version until that write completes; the downloads follow,
   because the metadata graph names the file version (``dcat:version``).

A table's RDF is not written before step 3 but during it: the store loads the converted rows
as they come, while they are written to ``data.nt`` and ``data.ttl`` (one pass; see
`Produced.data`). A conversion error still aborts the write, so nothing changes.

A record without ``prvek_rúian`` gets the smallest territorial unit covering the table's linked
rows (``Produced.spatial``): it is checked in step 1 with a stand-in unit, so any other error
refuses it before the table is read, and checked again with the real one after step 2 (before
anything is published). A table without linked rows leaves it refused as before.

Steps 1 and 3 are ``publish_dataset``; step 2 is its ``produce`` argument, a data producer that
fills the version folder. ``ingest`` passes the table converter; the territorial codelist
(``lod.territory.dataset``) passes its own producer and is published the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef

from . import cube as cube_mod
from . import rdfio, tabular, validate
from .catalog import catalog as catalog_mod
from .catalog import dcatap, ofn
from .catalog.record import SERVED, dataset_document, load_record, normalize_record
from .cube import CubeOptions
from .errors import BadInput, NotFound, Problem, ValidationFailed
from .formats import BY_NAME
from .iris import Iris, check_dataset_id, ruian
from .namespaces import DCAT, DCTERMS, RDF, RDFS, XSD
from .store import GraphSource, Store
from .tabular.turtle import TurtleChunk
from .validate import datacheck, datashapes

KEEP_VERSIONS = 2  # file versions kept per dataset (the current one and the one before)
SPATIAL_KEY = "prvek_rúian"


@dataclass
class Published:
    dataset_id: str
    iri: str
    version: str
    rows: int
    triples: int
    warnings: list[str] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # what linking did, one line per column
    spatial: list[str] = field(default_factory=list)  # prvek_rúian set from the linked rows
    shapes: str = ""  # how the data was checked against its SHACL shapes

    @property
    def size(self) -> str:
        """The rows and triples as `lod ingest` and `lod demo` say them: "1 row, 12 triples"."""
        return f"{self.rows} row{'' if self.rows == 1 else 's'}, {self.triples} triples"


@dataclass
class Produced:
    """What a data producer wrote into a new version folder.

    A producer may leave the data graph to be streamed: `data` then yields its N-Triples
    (UTF-8 chunks that end between rows, no blank node in two chunks) and writes the RDF
    files on the way; the store loads the chunks as they come, so the table is converted,
    written and loaded in one pass. `triples` and `warnings` are final when `data` ends."""

    rows: int
    triples: int
    warnings: list[str] = field(default_factory=list)
    describe: Callable[[rdflib.Graph], None] | None = None  # adds facts to the metadata graph
    data: Iterator[bytes] | None = None
    spatial: list[str] = field(default_factory=list)  # RÚIAN IRIs covering the linked rows
    links: list[str] = field(default_factory=list)  # what linking did, one line per column
    shapes: str = ""  # how the data was checked against its SHACL shapes (`datacheck.guard`)


# A data producer fills a fresh version folder with the served files (``data.csv``,
# ``data.csv-metadata.json``, ``data.nt``, ``data.ttl``); raising leaves everything unchanged.
Producer = Callable[[Path], Produced]


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
    record_path: Path | dict, dataset_id: str, settings, *, source: str = ""
) -> tuple[dict, rdflib.Graph, list[Problem]]:
    """The validated dataset document and graph; raises ValidationFailed on errors.

    ``record_path`` is a record file, or a record already read (then ``source`` names it)."""
    source = source or str(record_path)
    raw = record_path if isinstance(record_path, dict) else load_record(record_path)
    record, notes = normalize_record(raw, source=source)
    document = dataset_document(record, dataset_id=dataset_id, settings=settings)
    graph = ofn.to_graph(document)
    problems = validate.check_document(
        document, graph, own_base=validate.own_http_base(settings), settings=settings
    )
    if validate.errors(problems):
        raise ValidationFailed(notes + problems, what=f"record {source}")
    return document, graph, notes + problems


def ingest(
    store: Store,
    settings,
    table: Path,
    dataset_id: str,
    record_path: Path | dict,
    *,
    sheet: str | int | None = None,
    source: str = "",
    shapes: Path | None = None,
    cube: CubeOptions | None = None,
) -> Published:
    """``record_path``: the record file, or a record already read (``source`` names it).
    ``shapes``: the steward's SHACL shapes of the data (default: ``<table>.shapes.ttl``).
    ``cube``: publish the table as an RDF Data Cube (``lod.cube``), checked with the W3C
    integrity constraints."""
    check_dataset_id(dataset_id)
    table = Path(table)
    if not table.is_file():
        raise BadInput("table file not found", where=str(table))
    iris = Iris.of(settings)
    steward = datashapes.steward_graph(table, shapes, iris.dataset_shapes(dataset_id))
    from .territory.dataset import index_for  # (it publishes through this module)

    index = index_for(store, settings)

    def produce(work: Path) -> Produced:
        prepared = tabular.prepare(
            table,
            work / "data.csv",
            table_url=iris.download(dataset_id, "csv"),
            about_url=iris.row_template(dataset_id),
            property_url=iris.column_template(dataset_id),
            sheet=sheet,
            index=index,
        )
        # the table is a named node, not a blank node, so the chunks share no blank node
        metadata = {"@context": prepared.metadata["@context"], "@id": iris.table(dataset_id)}
        metadata.update(prepared.metadata)
        plan = cube_mod.plan_cube(metadata, cube, iris, dataset_id) if cube else None
        if plan is not None:  # the cube is written into the CSVW metadata
            cube_mod.describe_cube(metadata, plan)
            prepared.links.append(plan.describe())
        (work / "data.csv-metadata.json").write_text(
            json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        shapes_graph = datashapes.write_shapes(work, metadata, iris, dataset_id, steward)

        def describe(graph: rdflib.Graph) -> None:
            _describe_columns(graph, metadata, iris, dataset_id)
            datashapes.describe_distributions(graph, iris, dataset_id)

        produced = Produced(
            prepared.rows,
            0,
            list(prepared.warnings),
            describe=describe,
            spatial=[prepared.coverage.iri] if prepared.coverage else [],
            links=prepared.links,
        )
        if not prepared.rows:
            produced.warnings.append(
                f"{table.name}: the table has no data rows, only a header; the dataset is "
                "published without data — check that this is the right file"
                + (" and sheet (--sheet)" if tabular.is_spreadsheet(table) else "")
            )
        prefixes = {
            "row": iris.dataset(dataset_id) + "/rows/",
            "col": iris.dataset(dataset_id) + "/columns/",
            "csvw": "http://www.w3.org/ns/csvw#",
            "xsd": str(XSD),
        }
        chunks = tabular.to_ntriples(
            metadata,
            csv_path=work / "data.csv",
            warnings=produced.warnings,
            chunks=True,
            turtle=prefixes,  # the converter writes data.ttl's Turtle too (tabular/turtle.py)
        )
        produced.data = _written(produced, chunks, work, prefixes)
        produced.shapes = datacheck.guard(
            produced, work, shapes_graph, metadata, index=index, steward=steward is not None
        )
        if plan is not None:
            cube_mod.guard(produced, work / "data.nt", iris.dataset(dataset_id) + "/rows/")
        return produced

    record = record_path if isinstance(record_path, dict) else Path(record_path)
    return publish_dataset(store, settings, dataset_id, record, produce, source=source)


def publish_dataset(
    store: Store,
    settings,
    dataset_id: str,
    record: Path | dict,
    produce: Producer,
    *,
    source: str = "",
) -> Published:
    """Validate ``record``, let ``produce`` fill a new version folder, then replace the
    dataset's metadata and data graphs and the catalogue in one store write. On any error
    (refused record, failing producer, failing store) nothing changes.

    A record without ``prvek_rúian`` gets the producer's ``spatial`` (the units covering the
    linked rows); it is refused, after all, if there are none."""
    check_dataset_id(dataset_id)
    iris = Iris.of(settings)
    source = source or str(record)
    raw = record if isinstance(record, dict) else load_record(record)
    stated = SPATIAL_KEY in raw
    if stated:
        document, graph, notes = prepare_record(raw, dataset_id, settings, source=source)
    else:
        _check_but_spatial(raw, dataset_id, settings, source)

    version = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = version_dir(settings, dataset_id, version)
    work = final.with_name(f".{version}.tmp")
    work.mkdir(parents=True)
    try:
        produced = produce(work)
        if not stated:
            if produced.spatial:
                raw = {**raw, SPATIAL_KEY: produced.spatial}
            document, graph, notes = prepare_record(raw, dataset_id, settings, source=source)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    issued = _previous_issued(store, settings, dataset_id)

    def describe() -> Iterator[bytes]:
        """The metadata graph, read by the store after the data graph: the version folder
        is complete, so it gets its final name and is described (version, byte sizes)."""
        work.rename(final)
        _add_publication_facts(graph, settings, dataset_id, version, final, issued)
        dcatap.enrich(
            graph, settings, landing_pages={iris.dataset(dataset_id): iris.landing_page(dataset_id)}
        )
        if produced.describe is not None:
            produced.describe(graph)
        yield graph.serialize(format="nt", encoding="utf-8")

    nt = BY_NAME["nt"]
    try:
        store.replace_graphs(
            {
                iris.data_graph(dataset_id): (
                    GraphSource(nt, chunks=produced.data)
                    if produced.data is not None
                    else GraphSource(nt, path=work / "data.nt")
                ),
                iris.metadata_graph(dataset_id): GraphSource(nt, chunks=describe()),
                iris.catalog: GraphSource(
                    nt,
                    data=catalog_mod.catalog_graph(settings).serialize(
                        format="nt", encoding="utf-8"
                    ),
                ),
            }
        )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        raise
    _collect_old_versions(settings, dataset_id, keep=version)
    return Published(
        dataset_id,
        iris.dataset(dataset_id),
        version,
        produced.rows,
        produced.triples,
        produced.warnings,
        notes,
        produced.links,
        [] if stated else produced.spatial,
        shapes=produced.shapes,
    )


def _check_but_spatial(raw: dict, dataset_id: str, settings, source: str) -> None:
    """Refuse a record without ``prvek_rúian`` now if it has other errors too (as today,
    with every problem listed); else its coverage may come from the table."""
    try:
        placeholder = {**raw, SPATIAL_KEY: [ruian("stat", "1")]}
        prepare_record(placeholder, dataset_id, settings, source=source)
    except ValidationFailed:
        prepare_record(raw, dataset_id, settings, source=source)
        raise


def _written(
    produced: Produced, chunks: Iterable[bytes], work: Path, prefixes: dict[str, str]
) -> Iterator[bytes]:
    """The data's N-Triples on their way to the store, written to data.nt and (in a
    background thread) data.ttl, and counted."""
    with (
        open(work / "data.nt", "wb") as nt,
        rdfio.Serializer(work / "data.ttl", BY_NAME["ttl"], prefixes) as ttl,
    ):
        for chunk in chunks:
            nt.write(chunk)
            turtle = getattr(chunk, "turtle", None)
            if turtle is None:
                ttl.write(chunk)
            else:  # the writer gets the Turtle alone, the store the N-Triples alone
                del chunk.turtle
                ttl.write(TurtleChunk.of(turtle))
            produced.triples += chunk.count(b"\n")
            yield chunk


def _add_publication_facts(
    graph: rdflib.Graph, settings, dataset_id: str, version: str, folder: Path, issued=None
) -> None:
    """Facts known only at publication: version, dates, byte sizes, the catalogue link;
    `issued` is the first publication's date (None: now)."""
    iris = Iris.of(settings)
    dataset = URIRef(iris.dataset(dataset_id))
    now = Literal(
        dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        datatype=XSD.dateTime,
    )
    issued = issued or now
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
    template = iris.column_template(dataset_id)
    for column in metadata.get("tableSchema", {}).get("columns", []):
        if column.get("virtual") or column.get("suppressOutput") or "name" not in column:
            continue
        if column.get("propertyUrl", template) != template:
            continue  # its own property (a Data Cube dimension or measure) is described there
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
