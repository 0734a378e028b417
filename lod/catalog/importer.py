"""``lod import-catalog URL|FILE``: move an existing DCAT-AP-CZ catalogue onto lod.

Reads a catalogue ("DCAT-AP Dokumenty": JSON-LD or Turtle) and each dataset record it lists the
way NKOD does (``lod.fetch``), and publishes every record as a metadata-only record of this
installation, keeping every fact:

* the dataset gets the IRI ``{LOD_BASE_URL}/datasets/<id>`` (the id from the last segment of its
  old IRI), served where NKOD looks for it; the old IRI stays as an ``adms:identifier``;
* each distribution gets ``…/distributions/<key>`` (the key from its old IRI, so a new import
  gives the same IRIs): many catalogues use the download URL as the distribution's IRI;
  data services keep their IRIs;
* every other triple of the record is kept as it is (the OFN keys through the OFN mapping,
  anything else as extra triples).

Values data.europa.eu rejects and nothing else can express are repaired and reported: a file
type outside the EU table becomes ``file-type/OCTET`` and the non-type ``media-types/unknown``
becomes ``application/octet-stream`` (both say "a file of a type not stated"). A record with any
other error is not imported; the report says why. The valid records are published in one store
write. The preflight (``lod.harvest``) says what NKOD drops from the source catalogue today.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import rdflib
from rdflib import BNode, Literal, URIRef

from .. import harvest
from ..errors import BadInput, Problem, ValidationFailed
from ..fetch import Answer, Fetcher
from ..iris import DATASET_ID, Iris
from ..namespaces import DCAT, DCTERMS, RDF, SKOS, XSD
from ..publish_record import check_batch, finish, prepare, published_series, write
from . import codelists, ofn

ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
OCTET_FORMAT = "http://publications.europa.eu/resource/authority/file-type/OCTET"
OCTET_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/application/octet-stream"
NOT_A_MEDIA_TYPE = {
    "http://www.iana.org/assignments/media-types/unknown",
    "https://www.iana.org/assignments/media-types/unknown",
}


@dataclass
class Imported:
    source: str  # the record's IRI in the source catalogue
    dataset_id: str
    iri: str  # its IRI here
    status: str  # "imported", "refused" or "unreachable"
    problems: list[Problem] = field(default_factory=list)  # why refused, or warnings
    repairs: list[Problem] = field(default_factory=list)
    iri_map: dict[str, str] = field(default_factory=dict)  # old IRI -> new IRI
    source_graph: rdflib.Graph | None = None
    graph: rdflib.Graph | None = None  # the record as published here


@dataclass
class ImportReport:
    catalog: str
    records: list[Imported]
    preflight: harvest.HarvestReport | None = None

    @property
    def imported(self) -> list[Imported]:
        return [r for r in self.records if r.status == "imported"]

    @property
    def complete(self) -> bool:
        return all(r.status == "imported" for r in self.records)


def dataset_id_for(iri: str, taken: set[str]) -> str:
    """A dataset id from the last path segment of ``iri`` (without a suffix), unique in ``taken``."""
    last = urlsplit(iri).path.rstrip("/").rsplit("/", 1)[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:90].strip("-")
    digest = hashlib.md5(iri.encode("utf-8")).hexdigest()
    if not DATASET_ID.match(slug):
        slug = "dataset-" + digest[:12]
    if slug in taken:
        slug = f"{slug}-{digest[:6]}"
    return slug


def distribution_key(iri: str) -> str:
    return hashlib.md5(iri.encode("utf-8")).hexdigest()[:12]


def read_catalog(source: str, fetcher: Fetcher) -> tuple[str, rdflib.Graph, list[str]]:
    """The catalogue's IRI, graph and dataset IRIs, from a file or a URL."""
    path = Path(source)
    if path.is_file():
        answer = Answer(source, 200, {}, path.read_bytes(), local=True)
        base = path.resolve().as_uri()
    else:
        answer = fetcher.get(source)
        base = source
        if not answer.ok:
            raise BadInput(
                f"cannot read the catalogue: {answer.error or 'HTTP ' + str(answer.status)}",
                where=source,
            )
    parsed = harvest.parse(answer.content, base)
    if parsed.problems:
        raise BadInput(parsed.problems[0].message, where=source)
    catalogs = sorted(parsed.graph.subjects(RDF.type, DCAT.Catalog), key=str)
    if len(catalogs) != 1:
        raise BadInput(f"expected one dcat:Catalog, found {len(catalogs)}", where=source)
    datasets = sorted(str(d) for d in parsed.graph.objects(catalogs[0], DCAT.dataset))
    return str(catalogs[0]), parsed.graph, datasets


def import_catalog(
    store,
    settings,
    source: str,
    *,
    mapping: dict | None = None,
    offline: bool = False,
    publisher: str | None = None,
    preflight: bool = True,
) -> ImportReport:
    """Import every record of the catalogue at ``source``; see the module's docstring."""
    fetcher = Fetcher(mapping, offline=offline)
    catalog_iri, _, datasets = read_catalog(source, fetcher)
    with ThreadPoolExecutor(harvest.PARALLEL) as pool:
        answers = dict(zip(datasets, pool.map(fetcher.get, datasets), strict=True))
    report = ImportReport(catalog_iri, [])
    if preflight:
        report.preflight = harvest.HarvestReport(
            catalog_iri, [], [harvest.check_record(fetcher, i, answers[i]) for i in datasets]
        )
    existing = _table_datasets(store, settings)
    iris = Iris.of(settings)
    ids: dict[str, str] = {}
    for iri in datasets:
        ids[iri] = dataset_id_for(iri, set(ids.values()))
    parsed = {iri: harvest.parse(answers[iri].content, iri) for iri in datasets if answers[iri].ok}
    series = published_series(store) | {
        iris.dataset(ids[iri])
        for iri, p in parsed.items()
        if (URIRef(iri), RDF.type, DCAT.DatasetSeries) in p.graph
    }
    records = {iri: iris.dataset(ids[iri]) for iri in datasets}  # old IRI -> new IRI
    ready: dict[str, rdflib.Graph] = {}
    for iri in datasets:
        item = _import_one(
            store, settings, iri, ids[iri], answers[iri], publisher, existing, series, records
        )
        report.records.append(item)
        if item.status == "imported":
            ready[item.dataset_id] = item.graph
    refused = check_batch(ready)
    for item in report.records:
        if item.dataset_id in refused:
            item.status, item.problems = "refused", refused[item.dataset_id]
            del ready[item.dataset_id]
    if ready:
        write(store, settings, ready)
    return report


def _table_datasets(store, settings) -> set[str]:
    """Ids of datasets published from a table (their data would be dropped by an import)."""
    result = store.query(f"SELECT DISTINCT ?d WHERE {{ GRAPH ?g {{ ?d <{DCAT.version}> ?v }} }}")
    iris = Iris.of(settings)
    return {i for row in result.rows() if (i := iris.dataset_id_of(str(row["d"])))}


def _import_one(store, settings, iri, dataset_id, answer, publisher, existing, series, records):
    iris = Iris.of(settings)
    ours = iris.dataset(dataset_id)
    if not answer.ok:
        problem = Problem(
            f"cannot be fetched: {answer.error or 'HTTP ' + str(answer.status)}", where=iri
        )
        return Imported(iri, dataset_id, ours, "unreachable", [problem])
    parsed = harvest.parse(answer.content, iri)
    node = URIRef(iri)
    types = set(parsed.graph.objects(node, RDF.type))
    if parsed.problems or not types & {DCAT.Dataset, DCAT.DatasetSeries}:
        problem = Problem(
            "the document does not describe this IRI as a dataset or series", where=iri
        )
        return Imported(iri, dataset_id, ours, "refused", parsed.problems or [problem])
    if dataset_id in existing:
        problem = Problem(
            f"dataset {dataset_id!r} is published here from a table; importing would replace it",
            where=iri,
            hint="delete it first (lod delete --id …) or import into another installation",
        )
        return Imported(iri, dataset_id, ours, "refused", [problem])
    source = parsed.graph
    typ = ofn.record_typ(source, node)
    document = ofn.to_ofn(source, node, typ)
    iri_map = {iri: ours}
    for dist in document.get("distribuce", []):
        if "iri" in dist:
            new = iris.distribution(dataset_id, distribution_key(dist["iri"]))
            iri_map[dist["iri"]] = new
            dist["iri"] = new
    parent = document.get("je_součástí")
    if parent in records:  # a series of the same catalogue: its new IRI
        iri_map[parent] = records[parent]
        document["je_součástí"] = records[parent]
    repairs = _repair(document)
    if publisher:
        document["poskytovatel"] = publisher
    record = {k: v for k, v in document.items() if k not in ("@context", "iri")}
    extra = _extra(source, node, typ, iri_map)
    identifier = BNode()
    extra.add((URIRef(ours), ADMS.identifier, identifier))
    extra.add((identifier, RDF.type, ADMS.Identifier))
    extra.add((identifier, SKOS.notation, Literal(iri, datatype=XSD.anyURI)))
    item = Imported(iri, dataset_id, ours, "imported", [], repairs, iri_map, source)
    try:
        _, graph, notes = prepare(
            store,
            settings,
            dataset_id,
            record,
            source=iri,
            extra=extra,
            dcat_ap_shapes=False,
            series=series,
        )
    except ValidationFailed as exc:
        item.status, item.problems = "refused", exc.problems
        return item
    item.problems = notes
    finish(store, settings, dataset_id, graph)
    item.graph = graph
    return item


def _repair(document: dict) -> list[Problem]:
    repairs = []
    for dist in document.get("distribuce", []):
        owner = f"distribuce {dist.get('iri', '')}: "
        fmt = dist.get("formát")
        if fmt and not codelists.in_scheme(fmt, codelists.FILE_TYPE):
            repairs.append(
                Problem(
                    "is not in the EU file-type table (data.europa.eu rejects it): published "
                    "as OCTET (a file of a type not stated)",
                    where=owner + "formát (dct:format)",
                    value=fmt,
                    severity="warning",
                    hint="state the real format in the source catalogue",
                )
            )
            dist["formát"] = OCTET_FORMAT
        if dist.get("typ_média") in NOT_A_MEDIA_TYPE:
            repairs.append(
                Problem(
                    "is not a media type: published as application/octet-stream",
                    where=owner + "typ_média (dcat:mediaType)",
                    value=dist["typ_média"],
                    severity="warning",
                    hint="state the real media type in the source catalogue",
                )
            )
            dist["typ_média"] = OCTET_MEDIA_TYPE
    return repairs


def _extra(source: rdflib.Graph, node, typ: str, iri_map: dict[str, str]) -> rdflib.Graph:
    """The source's triples the OFN keys do not carry (without blank nodes), IRIs mapped."""
    covered = ofn.to_graph(ofn.to_ofn(source, node, typ))
    out = rdflib.Graph()
    for triple in source:
        if any(isinstance(t, BNode) for t in triple) or triple in covered:
            continue
        out.add(rewrite_triple(triple, iri_map, str(node)))
    return out


def rewrite(term, iri_map: dict[str, str]):
    return URIRef(iri_map[str(term)]) if isinstance(term, URIRef) and str(term) in iri_map else term


def rewrite_triple(triple, iri_map: dict[str, str], dataset: str | None = None):
    """Map the old IRIs of a record's resources to the new ones: as subjects, and as objects
    where they name the resource (``dcat:distribution``, the dataset itself), not where the
    same string is a URL (a download URL that was also the distribution's IRI)."""
    s, p, o = triple
    if p in (DCAT.distribution, DCAT.inSeries) or (dataset is not None and str(o) == dataset):
        o = rewrite(o, iri_map)
    return rewrite(s, iri_map), p, o


def mapped_source(item: Imported) -> rdflib.Graph:
    """The source record's graph with its IRIs mapped to ours and the reported repairs applied:
    the facts the imported record must state (``lod.catalog.ofn`` view)."""
    out = rdflib.Graph()
    assert item.source_graph is not None
    for triple in item.source_graph:
        out.add(rewrite_triple(triple, item.iri_map, item.source))
    for repair in item.repairs:
        dist = URIRef(repair.where.split(" ", 1)[1].split(": ", 1)[0])
        prop = DCTERMS["format"] if "dct:format" in repair.where else DCAT.mediaType
        out.remove((dist, prop, URIRef(repair.value)))
        out.add(
            (dist, prop, URIRef(OCTET_FORMAT if prop == DCTERMS["format"] else OCTET_MEDIA_TYPE))
        )
    return out
