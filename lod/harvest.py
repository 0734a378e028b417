"""``lod check-harvest URL``: walk a catalogue the way NKOD does and say, per dataset, whether
NKOD would keep it, and why not.

NKOD's "DCAT-AP Dokumenty" harvester (../shared/notes/nkod-and-dcat-ap-cz.md §2.2) GETs the
catalogue (``User-Agent: nkod/0.0.1``, 60 s, redirects), parses every document both as JSON-LD
and as Turtle (either may fail), takes the objects of ``dcat:dataset``, GETs each IRI (10 in
parallel per catalogue), looks for exactly that IRI as a subject, and keeps the dataset only if
it passes its filter (``shapes/nkod.ttl``); a distribution or data service failing the filter is
dropped on its own. lod also applies the OFN JSON schemas and the DCAT-AP-CZ rules the schemas
leave out (``lod.validate.rules``), and HEADs every access and download URL (2xx and CORS
``Access-Control-Allow-Origin: *``, as NKOD's quality checks want).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import rdflib
from rdflib import URIRef

from .catalog import ofn
from .errors import Problem
from .fetch import Answer, Fetcher
from .namespaces import DCAT, RDF
from .validate import errors, rules, schema, shacl
from .validate.shacl import curie

PARALLEL = 10
KEPT, LOSSY, DROPPED = "kept", "kept, with losses", "DROPPED"
PARTS = ("distribuce ", "datová služba ")  # problems of a part NKOD drops on its own


@dataclass
class Parsed:
    graph: rdflib.Graph
    document: dict | None  # the JSON, when it is JSON
    problems: list[Problem] = field(default_factory=list)


@dataclass
class DatasetVerdict:
    iri: str
    status: str  # KEPT, LOSSY or DROPPED
    problems: list[Problem]

    @property
    def kept(self) -> bool:
        return self.status != DROPPED

    @property
    def ok(self) -> bool:
        return self.status == KEPT and not errors(self.problems)


@dataclass
class HarvestReport:
    catalog: str
    catalog_problems: list[Problem]
    datasets: list[DatasetVerdict]

    @property
    def all_kept(self) -> bool:
        """Nothing would be lost: every dataset kept whole, no error anywhere."""
        return all(d.ok for d in self.datasets) and not errors(self.catalog_problems)

    def as_dict(self) -> dict:
        return {
            "catalog": self.catalog,
            "all_kept": self.all_kept,
            "kept": sum(d.kept for d in self.datasets),
            "total": len(self.datasets),
            "catalog_problems": [p.as_dict() for p in self.catalog_problems],
            "datasets": [
                {
                    "iri": d.iri,
                    "status": d.status,
                    "problems": [p.as_dict() for p in d.problems],
                }
                for d in self.datasets
            ],
        }


def parse(content: bytes, iri: str) -> Parsed:
    """Parse as JSON-LD and as Turtle, like NKOD; the graph holds what either parse gave."""
    text = content.decode("utf-8-sig", errors="replace")
    graph = rdflib.Graph()
    document = None
    failures = []
    try:
        candidate = json.loads(text)
        if isinstance(candidate, dict):
            document = candidate
            graph += ofn.to_graph(document, base=iri)
        else:
            failures.append("JSON-LD: not one JSON object")
    except Exception as exc:  # JSON or JSON-LD errors of any kind
        failures.append(f"JSON-LD: {exc}")
    try:
        graph.parse(data=text, format="turtle", publicID=iri)
    except Exception as exc:  # rdflib raises various syntax errors
        failures.append(f"Turtle: {str(exc).splitlines()[0][:200]}")
    problems = []
    if not len(graph):
        problems.append(
            Problem(
                "neither JSON-LD nor Turtle NKOD can read: " + "; ".join(failures),
                where=iri,
                hint="serve the OFN JSON-LD (with the 2024-05-28 context) or Turtle",
            )
        )
    return Parsed(graph, document, problems)


def _http_problems(answer: Answer, iri: str) -> list[Problem]:
    problems = []
    if not iri.startswith("https://"):
        problems.append(
            Problem(
                "NKOD requires https IRIs", where=iri, hint="publish under https:// (LOD_BASE_URL)"
            )
        )
    if not answer.local and answer.ok and not answer.cors:
        problems.append(
            Problem(
                "no CORS header (Access-Control-Allow-Origin: *)",
                where=iri,
                severity="warning",
                hint="NKOD reports missing CORS; answer every request with "
                "Access-Control-Allow-Origin: *",
            )
        )
    return problems


def _unreachable(answer: Answer, iri: str) -> Problem:
    what = answer.error or f"HTTP {answer.status}"
    return Problem(
        f"cannot be fetched: {what}",
        where=iri,
        hint="the IRI must answer 200 with the record within 60 s; NKOD skips it otherwise",
    )


def check_harvest(
    url: str, *, mapping: dict | None = None, offline: bool = False, fetcher: Fetcher | None = None
) -> HarvestReport:
    fetcher = fetcher or Fetcher(mapping, offline=offline)
    answer = fetcher.get(url)
    if not answer.ok:
        return HarvestReport(url, [_unreachable(answer, url)], [])
    problems = _http_problems(answer, url)
    parsed = parse(answer.content, url)
    problems += parsed.problems
    if parsed.document is not None:
        problems += schema.validate(parsed.document, "katalog")
    problems += shacl.validate(parsed.graph)
    catalogs = list(parsed.graph.subjects(RDF.type, DCAT.Catalog))
    if len(catalogs) != 1:
        problems.append(
            Problem(f"expected exactly one dcat:Catalog, found {len(catalogs)}", where=url)
        )
    datasets = sorted({str(d) for c in catalogs for d in parsed.graph.objects(c, DCAT.dataset)})
    with ThreadPoolExecutor(PARALLEL) as pool:
        verdicts = list(pool.map(lambda iri: check_record(fetcher, iri), datasets))
    return HarvestReport(url, problems, verdicts)


def check_any(url: str, fetcher: Fetcher) -> HarvestReport:
    """A catalogue (walked like NKOD) or a single record, whichever ``url`` serves."""
    answer = fetcher.get(url)
    if answer.ok and (None, RDF.type, DCAT.Catalog) in parse(answer.content, url).graph:
        return check_harvest(url, fetcher=fetcher)
    return HarvestReport(url, [], [check_record(fetcher, url, answer)])


def check_record(fetcher: Fetcher, iri: str, answer: Answer | None = None) -> DatasetVerdict:
    """One dataset (or series) record as NKOD would take it, plus its URL checks. ``answer``:
    the record already fetched (or posted)."""
    answer = answer or fetcher.get(iri)
    if not answer.ok:
        return DatasetVerdict(iri, DROPPED, [_unreachable(answer, iri)])
    fatal = _http_problems(answer, iri)
    parsed = parse(answer.content, iri)
    fatal += parsed.problems
    node = URIRef(iri)
    types = set(parsed.graph.objects(node, RDF.type))
    if len(parsed.graph) and not types & {DCAT.Dataset, DCAT.DatasetSeries}:
        fatal.append(
            Problem(
                "the document does not describe this IRI as a dcat:Dataset; NKOD looks for exactly "
                "the listed IRI as the subject",
                where=iri,
                hint='serve the record at its IRI and use that IRI as its subject ("iri")',
            )
        )
    nkod = shacl.validate(parsed.graph)  # NKOD's filter: what it drops
    others = schema.validate(parsed.document) if parsed.document is not None else []
    others += rules.check(parsed.graph)
    others += check_urls(fetcher, parsed.graph, node)
    if errors(fatal) or any(not _part(p) for p in errors(nkod)):
        status = DROPPED
    elif errors(nkod):
        status = LOSSY
    else:
        status = KEPT
    return DatasetVerdict(iri, status, fatal + nkod + others)


def _part(problem: Problem) -> bool:
    return problem.where.startswith(PARTS)


def check_urls(fetcher: Fetcher, graph: rdflib.Graph, record) -> list[Problem]:
    """HEAD every access and download URL of the record's distributions: 2xx, with CORS."""
    urls: dict[str, list[str]] = {}
    for dist in graph.objects(record, DCAT.distribution):
        for key, prop in (
            ("přístupové_url", DCAT.accessURL),
            ("soubor_ke_stažení", DCAT.downloadURL),
        ):
            for url in graph.objects(dist, prop):
                urls.setdefault(str(url), []).append(f"distribuce {dist}: {key} ({curie(prop)})")
    if not urls:
        return []
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = dict(zip(urls, pool.map(fetcher.head, urls), strict=True))
    problems = []
    for url, answer in sorted(answers.items()):
        where = urls[url][0]
        if answer.status == 0:
            problems.append(
                Problem("URL not checked (offline)", where=where, value=url, severity="warning")
            )
        elif not answer.ok:
            problems.append(
                Problem(
                    f"URL does not answer HEAD with 2xx: {answer.error or answer.status}",
                    where=where,
                    value=url,
                    hint="NKOD and data.europa.eu check every URL with HEAD; it must answer 2xx",
                )
            )
        elif not answer.local and not answer.cors:
            problems.append(
                Problem(
                    "URL without CORS (Access-Control-Allow-Origin: *)",
                    where=where,
                    value=url,
                    severity="warning",
                    hint="NKOD's quality checks report missing CORS on distributions",
                )
            )
    return problems
