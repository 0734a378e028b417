"""The catalogue (LKOD) and dataset documents, and the downloads of each dataset."""

from __future__ import annotations

import json
import tempfile
import unicodedata

import rdflib
from flask import Blueprint, redirect, render_template, request, send_file, url_for
from rdflib import URIRef

from .. import publish
from ..catalog import catalog as catalog_mod
from ..catalog import pages
from ..catalog.record import SERVED
from ..errors import NotFound
from ..formats import BY_NAME, RDF_FORMATS
from ..generations import PerGeneration
from ..iris import DATASET_ID
from ..labels import label
from ..namespaces import DCAT, DCTERMS, prefixed
from ..rdfio import serialize_graph
from ..sparql_examples import PREFIXES
from ..validate.datashapes import SHAPES_FILE
from .http import alternates, choose, respond, services, split_suffix, suffix_format
from .resources import store_labels

bp = Blueprint("catalog", __name__)

DOCUMENT_FORMATS = (BY_NAME["html"], *RDF_FORMATS[:4])  # html, jsonld, ttl, rdf, nt
JSONLD = BY_NAME["jsonld"]
DOWNLOADS = {
    "data.csv": BY_NAME["csv"],
    "data.csv-metadata.json": BY_NAME["csvw"],
    "data.ttl": BY_NAME["ttl"],
    "data.nt": BY_NAME["nt"],
}


@bp.get("/")
def home():
    return redirect(url_for("catalog.catalog"), code=303)


@bp.get("/catalog")
@bp.get("/catalog.<suffix>")
def catalog(suffix: str | None = None):
    svc = services()
    description = catalog_mod.catalog_document(svc.store, svc.settings)
    return catalog_response(description, description.get("datová_sada", []), suffix)


def catalog_response(description: dict, datasets: list[str], suffix: str | None):
    """A catalogue in the format asked for: JSON-LD listing every dataset (for NKOD), HTML, or
    one Hydra page of the RDF forms (``?page=``, default 1) with the datasets' full records."""
    svc = services()
    fmt = choose(DOCUMENT_FORMATS, JSONLD, suffix_format(suffix))
    link = alternates(description["iri"], DOCUMENT_FORMATS)
    doc = dict(description, **{"datová_sada": list(datasets)})
    if fmt.name == "jsonld":
        return respond(fmt, json.dumps(doc, ensure_ascii=False, indent=2), link=link)
    if fmt.name == "html":
        summaries = sorted(
            catalog_mod.dataset_summaries(svc.store, svc.settings, list(datasets)),
            key=lambda d: _collation_key(text_filter(d.get("název")) or d["iri"]),
        )
        return respond(
            fmt, render_template("catalog.html", catalog=doc, datasets=summaries), link=link
        )
    page = _page(len(datasets), svc.settings.catalog_page_size)
    description = {k: v for k, v in description.items() if k != "datová_sada"}

    def serialized() -> bytes:
        graph = pages.catalog_page(
            svc.store, svc.settings, description, datasets, suffix=fmt.suffix, page=page
        )
        return serialize_graph(graph, fmt)

    key = (description["iri"], tuple(datasets), fmt.name, page)
    return respond(fmt, _PAGES.get(svc.store, key, serialized), link=link)


# A page of a catalogue's RDF forms holds the full records of up to 100 datasets: 0.7–1.5 s to
# build and serialize for KHK's catalogue; it is made once per store generation (only with the
# embedded store, which names its generations: another process may change a remote store)
_PAGES: PerGeneration[bytes] = PerGeneration(ttl=None, entries=16)


def _page(total: int, size: int) -> int:
    raw = request.args.get("page", "1")
    last = pages.page_count(total, size)
    if not raw.isdigit() or not 1 <= int(raw) <= last:
        raise NotFound(f"no page {raw!r} of this catalogue", hint=f"pages are 1 to {last}")
    return int(raw)


def _collation_key(text: str) -> str:
    """Good-enough Czech ordering: by the letters without diacritics, then as written."""
    plain = unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode()
    return plain.casefold() + "\0" + text


def _distribution_rank(dist: dict) -> tuple:
    """Downloads first, in the order lod serves them, then data services."""
    order = [served.key for served in SERVED]
    key = dist.get("iri", "").rsplit("/", 1)[-1]
    return ("přístupová_služba" in dist, order.index(key) if key in order else len(order), key)


def _dataset_graph(dataset_id: str):
    svc = services()
    if not DATASET_ID.match(dataset_id):
        raise NotFound(f"no dataset {dataset_id!r}")
    graph = catalog_mod.dataset_graph(svc.store, svc.settings, dataset_id)
    if not len(graph):
        raise NotFound(f"no dataset {dataset_id!r}", hint="see /catalog for the published datasets")
    return graph


@bp.get("/datasets/<name>")
def dataset(name: str):
    svc = services()
    dataset_id, suffix = split_suffix(name)
    graph = _dataset_graph(dataset_id)
    iri = svc.iris.dataset(dataset_id)
    fmt = choose(DOCUMENT_FORMATS, JSONLD, suffix)
    link = alternates(iri, DOCUMENT_FORMATS)
    if fmt.name == "jsonld":
        doc = catalog_mod.dataset_json(graph, iri)
        return respond(fmt, json.dumps(doc, ensure_ascii=False, indent=2), link=link)
    if fmt.name == "html":
        doc = catalog_mod.dataset_json(graph, iri)
        doc["distribuce"] = sorted(doc.get("distribuce", []), key=_distribution_rank)
        facts = _facts(graph, iri)
        facts["names"] = store_labels({str(o) for o in graph.objects(URIRef(iri), DCTERMS.spatial)})
        schema = _table_schema(dataset_id)
        return respond(
            fmt,
            render_template("dataset.html", dataset=doc, id=dataset_id, facts=facts, schema=schema),
            link=link,
        )
    return respond(fmt, serialize_graph(graph, fmt), link=link)


def _facts(graph, iri: str) -> dict:
    node = URIRef(iri)
    sizes = {str(d): int(s) for d, s in graph.subject_objects(DCAT.byteSize)}
    return {
        "issued": graph.value(node, DCTERMS.issued),
        "modified": graph.value(node, DCTERMS.modified),
        "version": graph.value(node, DCAT.version),
        "sizes": sizes,
    }


def _version_folder(dataset_id: str):
    svc = services()
    version = publish.current_version(svc.store, svc.settings, dataset_id)
    if version is None:
        raise NotFound(f"no dataset {dataset_id!r}", hint="see /catalog for the published datasets")
    return publish.version_dir(svc.settings, dataset_id, version)


def _table_schema(dataset_id: str) -> dict | None:
    try:
        path = _version_folder(dataset_id) / "data.csv-metadata.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (NotFound, FileNotFoundError):
        return None


@bp.get("/datasets/<dataset_id>/<filename>")
def download(dataset_id: str, filename: str):
    if filename == "data" or (filename.startswith("data.") and filename not in DOWNLOADS):
        return data_graph(dataset_id, filename)
    if filename == "shapes" or filename.startswith("shapes."):
        return shapes_document(dataset_id, filename)
    fmt = DOWNLOADS.get(filename)
    if fmt is None or not DATASET_ID.match(dataset_id):
        raise NotFound(f"no file {filename!r} in dataset {dataset_id!r}")
    path = _version_folder(dataset_id) / filename
    if not path.is_file():
        raise NotFound(f"no file {filename!r} in dataset {dataset_id!r}")
    download_name = dataset_id + filename[len("data") :]
    response = send_file(
        path, mimetype=fmt.media_type, conditional=True, download_name=download_name, max_age=60
    )
    response.headers["Content-Type"] = fmt.content_type
    return response


def shapes_document(dataset_id: str, filename: str):
    """``/datasets/<id>/shapes``: the SHACL shapes of the data, negotiated (the Turtle file as
    published; the other RDF forms from it)."""
    _, suffix = split_suffix(filename)
    if (filename != "shapes" and suffix is None) or not DATASET_ID.match(dataset_id):
        raise NotFound(f"no file {filename!r} in dataset {dataset_id!r}")
    path = _version_folder(dataset_id) / SHAPES_FILE
    if not path.is_file():
        raise NotFound(f"dataset {dataset_id!r} has no SHACL shapes", hint="see its record")
    fmt = choose(DOCUMENT_FORMATS, BY_NAME["ttl"], suffix)
    if fmt.name == "html":
        return redirect(url_for("catalog.dataset", name=dataset_id), code=303)
    link = alternates(services().iris.dataset_shapes(dataset_id), DOCUMENT_FORMATS)
    if fmt.name == "ttl":  # (a small file)
        return respond(fmt, path.read_bytes(), link=link)
    graph = rdflib.Graph().parse(path, format="turtle")
    return respond(fmt, serialize_graph(graph, fmt), link=link)


def data_graph(dataset_id: str, filename: str):
    """``/datasets/<id>/data``: the data graph, negotiated (files for ttl/nt, dumps otherwise)."""
    svc = services()
    _, suffix = split_suffix(filename)
    if filename != "data" and suffix is None:
        raise NotFound(f"no file {filename!r} in dataset {dataset_id!r}")
    _dataset_graph(dataset_id)
    fmt = choose(DOCUMENT_FORMATS, BY_NAME["ttl"], suffix)
    if fmt.name == "html":
        return redirect(url_for("catalog.dataset", name=dataset_id) + "#data", code=303)
    if fmt.name in ("ttl", "nt"):
        path = _version_folder(dataset_id) / f"data.{fmt.suffix}"
        response = send_file(path, mimetype=fmt.media_type, conditional=True, max_age=60)
        response.headers["Content-Type"] = fmt.content_type
        response.headers["Vary"] = "Accept"
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    svc.store.dump(spool, fmt, graph=svc.iris.data_graph(dataset_id))
    spool.seek(0)
    response = send_file(spool, mimetype=fmt.media_type, max_age=60)
    response.headers["Content-Type"] = fmt.content_type
    response.headers["Vary"] = "Accept"
    return response


@bp.app_template_filter("text")
def text_filter(value, lang: str = "cs") -> str:
    """The Czech (else English, else any) text of an OFN language map."""
    if isinstance(value, dict):
        return (
            value.get(lang) or value.get("cs") or value.get("en") or next(iter(value.values()), "")
        )
    return value or ""


@bp.app_template_filter("texts")
def texts_filter(value, lang: str = "cs") -> list:
    if isinstance(value, dict):
        items = value.get(lang) or value.get("cs") or value.get("en") or []
        return items if isinstance(items, list) else [items]
    return []


@bp.app_template_filter("label")
def label_filter(iri, lang: str = "cs") -> str:
    """A codelist label, else the prefixed name of a known vocabulary term (``csvw:describes``,
    with the query page's prefixes), else the IRI's last path segment."""
    return label(iri, lang) or prefixed(iri, PREFIXES) or str(iri).rstrip("/").rsplit("/", 1)[-1]


@bp.app_template_filter("filesize")
def filesize_filter(size) -> str:
    if size is None:
        return ""
    size = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return ""


@bp.app_context_processor
def globals_for_templates():
    svc = services()
    return {"settings": svc.settings, "iris": svc.iris, "request_path": request.path}
