"""``lod check-harvest URL``: walk a live catalogue the way NKOD does, and say per dataset
whether NKOD would keep it and why not.

NKOD's "DCAT-AP Dokumenty" harvester (../shared/notes/nkod-and-dcat-ap-cz.md §2.2) GETs the
catalogue, parses it as JSON-LD and Turtle, takes the objects of ``dcat:dataset``, GETs each
IRI (10 in parallel per catalogue, 60 s timeout), looks for exactly that IRI as a subject, and
keeps the dataset only if it passes its filter, which ``shapes/nkod.ttl`` encodes.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import rdflib
import requests
from rdflib import URIRef

from .catalog import ofn
from .errors import BadInput, Problem
from .namespaces import DCAT, RDF
from .validate import errors, schema, shacl

ACCEPT = "application/ld+json, text/turtle;q=0.9, */*;q=0.1"
USER_AGENT = "lod-check-harvest (like nkod/0.0.1)"
TIMEOUT = 60
PARALLEL = 10


@dataclass
class Fetched:
    url: str
    graph: rdflib.Graph
    document: dict | None  # the JSON, when the answer was JSON-LD
    problems: list[Problem] = field(default_factory=list)


@dataclass
class DatasetVerdict:
    iri: str
    kept: bool
    problems: list[Problem]


@dataclass
class HarvestReport:
    catalog: str
    catalog_problems: list[Problem]
    datasets: list[DatasetVerdict]

    @property
    def all_kept(self) -> bool:
        return all(d.kept for d in self.datasets) and not errors(self.catalog_problems)


class Fetcher:
    """GETs IRIs, optionally rewriting a public prefix to another address (``--map``)."""

    def __init__(self, mapping: dict[str, str] | None = None):
        self.mapping = mapping or {}
        self.session = requests.Session()
        self.session.headers.update({"Accept": ACCEPT, "User-Agent": USER_AGENT})

    def address(self, iri: str) -> str:
        for prefix, target in self.mapping.items():
            if iri.startswith(prefix):
                return target + iri[len(prefix) :]
        return iri

    def fetch(self, iri: str) -> Fetched:
        problems: list[Problem] = []
        if not iri.startswith("https://"):
            problems.append(
                Problem(
                    "NKOD requires https IRIs",
                    where=iri,
                    hint="publish under https:// (LOD_BASE_URL)",
                )
            )
        try:
            response = self.session.get(self.address(iri), timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise BadInput(
                f"cannot fetch: {exc}",
                where=iri,
                hint="NKOD skips what it cannot fetch within 60 s",
            ) from None
        if response.status_code != 200:
            raise BadInput(
                f"HTTP {response.status_code}",
                where=iri,
                hint="the IRI must answer 200 with the record",
            )
        if response.headers.get("Access-Control-Allow-Origin") != "*":
            problems.append(
                Problem(
                    "no CORS header (Access-Control-Allow-Origin: *)",
                    where=iri,
                    severity="warning",
                    hint="NKOD reports missing CORS",
                )
            )
        document, graph = _parse(response.content, iri)
        return Fetched(iri, graph, document, problems)


def _parse(content: bytes, iri: str) -> tuple[dict | None, rdflib.Graph]:
    """Parse as JSON-LD, else as Turtle, like NKOD (which tries both)."""
    text = content.decode("utf-8-sig", errors="replace")
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if isinstance(document, dict):
        try:
            return document, ofn.to_graph(document, base=iri)
        except Exception as exc:  # any JSON-LD error
            raise BadInput(f"JSON-LD that does not parse: {exc}", where=iri) from None
    graph = rdflib.Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=iri)
    except Exception as exc:  # rdflib raises various syntax errors
        raise BadInput(f"neither JSON-LD nor Turtle: {exc}", where=iri) from None
    return None, graph


def check_harvest(url: str, *, mapping: dict[str, str] | None = None) -> HarvestReport:
    fetcher = Fetcher(mapping)
    catalog = fetcher.fetch(url)
    problems = list(catalog.problems)
    if catalog.document is not None:
        problems += schema.validate(catalog.document, "katalog")
    problems += shacl.validate(catalog.graph)
    catalogs = list(catalog.graph.subjects(RDF.type, DCAT.Catalog))
    if len(catalogs) != 1:
        problems.append(
            Problem(f"expected exactly one dcat:Catalog, found {len(catalogs)}", where=url)
        )
    datasets = sorted({str(d) for c in catalogs for d in catalog.graph.objects(c, DCAT.dataset)})
    with ThreadPoolExecutor(PARALLEL) as pool:
        verdicts = list(pool.map(lambda iri: _check_dataset(fetcher, iri), datasets))
    return HarvestReport(url, problems, verdicts)


def _check_dataset(fetcher: Fetcher, iri: str) -> DatasetVerdict:
    try:
        fetched = fetcher.fetch(iri)
    except BadInput as exc:
        return DatasetVerdict(iri, False, [Problem(exc.message, where=iri, hint=exc.hint or "")])
    problems = list(fetched.problems)
    node = URIRef(iri)
    types = set(fetched.graph.objects(node, RDF.type))
    if not types & {DCAT.Dataset, DCAT.DatasetSeries}:
        problems.append(
            Problem(
                "the document does not describe this IRI as a dcat:Dataset; NKOD looks for exactly "
                "the listed IRI as the subject",
                where=iri,
                hint='serve the record at its IRI and use that IRI as its subject ("iri")',
            )
        )
    if fetched.document is not None:
        problems += schema.validate(fetched.document)
    problems += shacl.validate(fetched.graph)
    return DatasetVerdict(iri, not errors(problems), problems)
