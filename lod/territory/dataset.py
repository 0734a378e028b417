"""The territorial codelist as the catalogue dataset ``uzemni-struktura-cr``.

``update()`` checks the whole ČSÚ file first (a bad file changes nothing), then publishes it
through ``publish.publish_dataset`` like any dataset, with its own data producer instead of the
table converter. The downloads are the served distributions every dataset has: ``data.csv``
(the ČSÚ file as it was loaded) with ČSÚ's own CSVW metadata, and the codelist plus the
``uzemi:`` ontology as ``data.nt`` and ``data.ttl``. The data graph is
``{base}/datasets/uzemni-struktura-cr/data``.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from .. import rdfio, resources
from ..catalog.catalog import catalog_description
from ..catalog.record import load_record
from ..formats import BY_NAME
from ..iris import RUIAN, TERRITORY_ID, Iris
from ..namespaces import DCTERMS, RDF, RDFS, SKOS, UZEMI, XSD
from ..publish import Produced, Published, current_version, publish_dataset, version_dir
from . import CSVW_FILE, RECORD_FILE, codelist, default_source, lookup
from .kinds import KINDS
from .source import Source

TURTLE_PREFIXES = {
    "uzemi": str(UZEMI),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": str(DCTERMS),
    "xsd": str(XSD),
    **{kind.segment: f"{RUIAN}{kind.segment}/" for kind in KINDS},
}


@dataclass
class Updated:
    published: Published
    counts: dict[str, int]  # kind -> number of units


def update(store, settings, path: Path | str | None = None) -> Updated:
    """Rebuild the codelist from ``path`` (default: the shipped ČSÚ file) and publish it."""
    path = Path(path) if path else default_source()
    index = lookup.build(path)  # the full check, before anything is written
    record_file = resources.vocab(RECORD_FILE)
    published = publish_dataset(
        store,
        settings,
        TERRITORY_ID,
        record(settings, index.valid),
        lambda work: produce(work, path, Iris.of(settings)),
        source=str(record_file),
    )
    return Updated(published, index.counts())


def record(settings, valid: str | None) -> dict:
    """The shipped record, with the catalogue's contact point and the file's validity date."""
    data = load_record(resources.vocab(RECORD_FILE))
    contact = catalog_description(settings).get("kontaktní_bod")
    if contact and "kontaktní_bod" not in data:
        data["kontaktní_bod"] = contact
    if valid:
        data["časové_pokrytí"] = {"typ": "Časový interval", "začátek": valid}
    return data


def produce(work: Path, path: Path, iris: Iris) -> Produced:
    """Write the served files of the codelist into the version folder ``work``."""
    shutil.copyfile(path, work / "data.csv")
    metadata = csvw_metadata(work / "data.csv", iris.download(TERRITORY_ID, "csv"))
    (work / "data.csv-metadata.json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    source = Source(work / "data.csv")  # what is served is exactly what is loaded
    triples = 0
    with open(work / "data.nt", "wb") as out:
        for line in chain(codelist.ntriples(source), codelist.ontology_ntriples()):
            out.write(line.encode("utf-8"))
            triples += 1
    with open(work / "data.nt", encoding="utf-8") as lines, open(work / "data.ttl", "wb") as out:
        rdfio.write_ntriples(lines, out, BY_NAME["ttl"], TURTLE_PREFIXES)
    return Produced(source.rows, triples, source.warnings)


def csvw_metadata(csv_path: Path, url: str) -> dict:
    """ČSÚ's CSVW metadata for the file at ``url``; columns ČSÚ does not describe are added."""
    shipped = json.loads(resources.vocab(CSVW_FILE).read_text(encoding="utf-8-sig"))
    described = {column["name"]: column for column in shipped["tableSchema"]["columns"]}
    with open(csv_path, encoding="utf-8-sig", newline="") as stream:
        header = [name.strip() for name in next(csv.reader(stream), [])]
    shipped["url"] = url
    shipped["tableSchema"]["columns"] = [described.get(name, {"titles": name}) for name in header]
    return shipped


def current_source(store, settings) -> Path:
    """The ČSÚ file of the published codelist (else the shipped one): link tables against it."""
    version = current_version(store, settings, TERRITORY_ID)
    if version:
        path = version_dir(settings, TERRITORY_ID, version) / "data.csv"
        if path.is_file():
            return path
    return default_source()


def index_for(store, settings) -> lookup.Index:
    """The lookup index of the codelist this installation publishes."""
    return lookup.load(current_source(store, settings))
