"""``lod quality``: data.europa.eu's Metadata Quality Assessment (MQA), computed per dataset.

The metrics, their points and the rating bands are read from the published definitions shipped
in ``vocab/mqa/`` (piveau's DQV vocabulary: ``pv:trueScore``/``pv:falseScore``, 405 points;
piveau's scoring scheme: Excellent > 350). A dataset scores its dataset-level metrics plus the
metrics of its best distribution, as piveau does (../shared/notes/dcat-ap-europe-and-mqa.md
§2). Access and download URLs are checked with HEAD (2xx scores); lod's own URLs are answered
by the application itself, in-process, so the assessment works offline on lod's own catalogue.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import rdflib
from rdflib import URIRef

from . import resources
from .catalog import codelists, dcatap
from .fetch import Fetcher
from .namespaces import DCAT, DCTERMS, RDF, SKOS
from .validate import dcatap as dcatap_shapes
from .validate import errors

PV = rdflib.Namespace("https://piveau.eu/ns/voc#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
EDP = rdflib.Namespace("https://europeandataportal.eu/voc#")
DC = rdflib.Namespace("http://purl.org/dc/elements/1.1/")
DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")
DISTRIBUTION_METRICS = {
    "accessUrlStatusCode",
    "downloadUrlAvailability",
    "downloadUrlStatusCode",
    "formatAvailability",
    "mediaTypeAvailability",
    "formatMediaTypeVocabularyAlignment",
    "formatMediaTypeNonProprietary",
    "formatMediaTypeMachineInterpretable",
    "licenceAvailability",
    "knownLicence",
    "rightsAvailability",
    "byteSizeAvailability",
    "dateIssuedAvailability",
    "dateModifiedAvailability",
}


@dataclass(frozen=True)
class Metric:
    name: str
    dimension: str
    true_score: int
    false_score: int
    definition: str


@cache
def metrics() -> dict[str, Metric]:
    g = rdflib.Graph().parse(resources.vocab("mqa/piveau-dqv-vocabulary.2019.ttl"), format="turtle")
    out = {}
    for metric in g.subjects(RDF.type, DQV.Metric):
        name = str(metric)[len(str(PV)) :]
        dimension = str(g.value(metric, DQV.inDimension))[len(str(PV)) :]
        out[name] = Metric(
            name,
            "reusability" if dimension == "reusablity" else dimension,  # a typo in the file
            int(g.value(metric, PV.trueScore) or 0),
            int(g.value(metric, PV.falseScore) or 0),
            str(g.value(metric, SKOS.definition) or ""),
        )
    return out


def maximum() -> int:
    return sum(m.true_score for m in metrics().values())


@cache
def bands() -> list[tuple[int, str]]:
    """(lowest score, rating) from the scoring scheme's descriptions, best first."""
    g = rdflib.Graph().parse(resources.vocab("mqa/piveau-scoring-skos.2019.rdf"), format="xml")
    out = []
    for concept in g.subjects(RDF.type, SKOS.Concept):
        label = str(g.value(concept, SKOS.prefLabel))
        text = str(g.value(concept, DC.description))
        numbers = [int(n) for n in re.findall(r"\d+", text)]
        if "greater than" in text:
            lowest = numbers[0] + 1
        elif "less than" in text:
            lowest = 0
        else:
            lowest = min(numbers)
        out.append((lowest, label))
    return sorted(out, reverse=True)


def rating(score: int) -> str:
    return next(label for lowest, label in bands() if score >= lowest)


@cache
def _format_lists() -> tuple[frozenset[str], frozenset[str]]:
    def flagged(name: str, flag) -> frozenset[str]:
        g = rdflib.Graph().parse(resources.vocab(f"mqa/{name}"), format="xml")
        return frozenset(str(s) for s, o in g.subject_objects(flag) if o.toPython() is True)

    machine = flagged("edp-machine-readable-format.rdf", EDP.isMachineReadable)
    non_proprietary = flagged("edp-non-proprietary-format.rdf", EDP.isNonProprietary)
    return machine, non_proprietary


@cache
def _known_licences() -> frozenset[str]:
    g = rdflib.Graph().parse(resources.vocab("mqa/edp-licences-skos.rdf"), format="xml")
    known = {str(s) for s in g.subjects(SKOS.inScheme, None)}
    known |= {str(o) for o in g.objects(None, SKOS.exactMatch)}
    known |= {str(s) for s in g.subjects(SKOS.exactMatch, None)}
    known |= {
        str(c)
        for c, s in codelists.graph().subject_objects(SKOS.inScheme)
        if str(s) == codelists.LICENCE
    }
    return frozenset(known)


@dataclass
class Assessment:
    iri: str
    score: int
    results: dict[str, bool]  # metric -> passed (distribution metrics: of the best one)
    best_distribution: str | None
    notes: list[str] = field(default_factory=list)  # why metrics failed

    @property
    def rating(self) -> str:
        return rating(self.score)

    def dimensions(self) -> dict[str, tuple[int, int]]:
        out = {d: [0, 0] for d in DIMENSIONS}
        for name, metric in metrics().items():
            out[metric.dimension][1] += metric.true_score
            if name in self.results:
                out[metric.dimension][0] += (
                    metric.true_score if self.results[name] else metric.false_score
                )
        return {d: (v[0], v[1]) for d, v in out.items()}

    def as_dict(self) -> dict:
        return {
            "iri": self.iri,
            "score": self.score,
            "maximum": maximum(),
            "rating": self.rating,
            "dimensions": {
                d: {"score": s, "maximum": m} for d, (s, m) in self.dimensions().items()
            },
            "metrics": self.results,
            "best_distribution": self.best_distribution,
            "notes": self.notes,
        }


def _points(results: dict[str, bool]) -> int:
    table = metrics()
    return sum(table[n].true_score if ok else table[n].false_score for n, ok in results.items())


def assess(graph: rdflib.Graph, iri: str, fetcher: Fetcher) -> Assessment:
    """The MQA of the record ``iri`` in ``graph`` (its DCAT-AP form, as served in Turtle)."""
    node = URIRef(iri)
    has = lambda p: graph.value(node, p) is not None  # noqa: E731
    access = graph.value(node, DCTERMS.accessRights)
    violations = errors(dcatap_shapes.validate(graph))
    dataset = {
        "keywordAvailability": has(DCAT.keyword),
        "categoryAvailability": has(DCAT.theme),
        "spatialAvailability": has(DCTERMS.spatial),
        "temporalAvailability": has(DCTERMS.temporal),
        "accessRightsAvailability": access is not None,
        "accessRightsVocabularyAlignment": access is not None
        and codelists.in_scheme(access, codelists.ACCESS_RIGHT),
        "contactPointAvailability": has(DCAT.contactPoint),
        "publisherAvailability": has(DCTERMS.publisher),
        "dcatApCompliance": not violations,
    }
    notes = [f"dcatApCompliance: {p.line()}" for p in violations[:5]]
    distributions = sorted(graph.objects(node, DCAT.distribution), key=str)
    urls = {
        str(u)
        for d in distributions
        for p in (DCAT.accessURL, DCAT.downloadURL)
        for u in graph.objects(d, p)
    }
    with ThreadPoolExecutor(10) as pool:
        statuses = dict(zip(urls, pool.map(fetcher.head, urls), strict=True))
    best, best_results = None, {}
    for dist in distributions:
        results = _distribution(graph, node, dist, statuses)
        if best is None or _points(results) > _points(best_results):
            best, best_results = dist, results
    if best is None:
        notes.append("no distribution: every distribution metric scores nothing")
    results = {**dataset, **best_results}
    for name, ok in sorted(results.items()):
        if not ok:
            notes.append(f"{name}: {metrics()[name].definition}")
    for url, answer in sorted(statuses.items()):
        if not answer.ok:
            notes.append(f"HEAD {url}: {answer.error or answer.status}")
    return Assessment(iri, _points(results), results, str(best) if best else None, notes)


def _distribution(graph, dataset, dist, statuses) -> dict[str, bool]:
    machine, non_proprietary = _format_lists()
    fmt = graph.value(dist, DCTERMS["format"])
    media = graph.value(dist, DCAT.mediaType)
    licence = graph.value(dist, DCTERMS.license)
    access = [str(u) for u in graph.objects(dist, DCAT.accessURL)]
    download = [str(u) for u in graph.objects(dist, DCAT.downloadURL)]
    formats = {str(fmt)} if fmt is not None else set()
    return {
        "accessUrlStatusCode": bool(access) and all(statuses[u].ok for u in access),
        "downloadUrlAvailability": bool(download),
        "downloadUrlStatusCode": bool(download) and all(statuses[u].ok for u in download),
        "formatAvailability": fmt is not None,
        "mediaTypeAvailability": media is not None,
        "formatMediaTypeVocabularyAlignment": fmt is not None
        and media is not None
        and codelists.in_scheme(fmt, codelists.FILE_TYPE)
        and codelists.is_registered_media_type(media),
        "formatMediaTypeNonProprietary": bool(formats & non_proprietary),
        "formatMediaTypeMachineInterpretable": bool(formats & machine),
        "licenceAvailability": licence is not None,
        "knownLicence": licence is not None
        and (str(licence) in _known_licences() or dcatap.eu_licence(str(licence)) is not None),
        "rightsAvailability": graph.value(dist, DCTERMS.rights) is not None,
        "byteSizeAvailability": graph.value(dist, DCAT.byteSize) is not None,
        "dateIssuedAvailability": graph.value(dist, DCTERMS.issued) is not None
        or graph.value(dataset, DCTERMS.issued) is not None,
        "dateModifiedAvailability": graph.value(dist, DCTERMS.modified) is not None
        or graph.value(dataset, DCTERMS.modified) is not None,
    }


def assess_catalog(store, settings, *, offline: bool = False, only: list[str] | None = None):
    """The MQA of every dataset of the installation (or of the ids in ``only``)."""
    from .app import create_app
    from .catalog.catalog import dataset_graph, dataset_iris

    app = create_app(settings, store)
    fetcher = Fetcher({settings.base + "/": app}, offline=offline)
    iris = app.extensions["lod"].iris
    out = []
    for iri in dataset_iris(store, settings):
        dataset_id = iris.dataset_id_of(iri)
        if dataset_id is None or (only and dataset_id not in only):
            continue
        graph = dataset_graph(store, settings, dataset_id)
        if (URIRef(iri), RDF.type, DCAT.Dataset) not in graph:
            continue  # a dataset series has no distributions to assess
        out.append(assess(graph, iri, fetcher))
    return out
