"""Validation before anything is published: NKOD's rules (SHACL), the OFN JSON schemas, the
DCAT-AP-CZ rules the schemas leave out (codelists, HVD, series) and, for what lod publishes
itself, the DCAT-AP 3 shapes data.europa.eu applies."""

from __future__ import annotations

import rdflib
from rdflib import URIRef

from ..errors import Problem
from ..namespaces import DCAT, DCTERMS, RDF
from . import rules, schema, shacl


def check_document(
    document: dict,
    graph: rdflib.Graph,
    *,
    own_base: str | None = None,
    settings=None,
    series: set[str] | None = None,
    dcat_ap_shapes: bool = True,
    references: rdflib.Graph | None = None,
) -> list[Problem]:
    """All problems of one OFN document (dataset, series or catalogue) and its RDF graph.

    With ``settings`` (a record lod publishes): also the codelist, HVD, series and 2026 rules,
    the publisher must be one this installation hosts, and the record's DCAT-AP 3 form must
    pass the DCAT-AP 3.0.1 shapes (unless ``dcat_ap_shapes`` is False: the caller validates a
    batch of records at once). ``references``: descriptions of the records it refers to (the
    series it is part of), which its DCAT-AP form shows beside it."""
    problems = shacl.validate(graph) + schema.validate(document, own_base=own_base)
    problems += rules.check(graph, draft_2026=bool(settings and settings.draft_2026), series=series)
    if settings is not None:
        problems += _publishers(graph, settings)
        # DCAT-AP 3 restates most of NKOD's rules in raw SHACL terms: it runs once those pass
        if dcat_ap_shapes and not errors(problems):
            problems += dcat_ap(graph, settings, references)
    return one_per_mistake(problems, document)


def one_per_mistake(problems: list[Problem], document: dict | None = None) -> list[Problem]:
    """Each problem located (OFN key, RDF property, Czech text) and one line per mistake: what
    NKOD's shapes and the OFN JSON schema both find is said once."""
    from . import locate

    record = document.get("iri", "") if isinstance(document, dict) else ""
    record = record if isinstance(record, str) else ""
    return locate.merge([locate.locate(p, document, record) for p in problems])


def dcat_ap(graph: rdflib.Graph, settings, references: rdflib.Graph | None = None) -> list[Problem]:
    """The DCAT-AP 3.0.1 violations of a record's DCAT-AP 3 form (the graph plus lod's extras).

    Its warnings are left out: every Czech record has some that cannot be fixed (RÚIAN areas and
    RPP publishers are not EU codelist concepts); `lod quality` lists them."""
    from ..catalog import dcatap as extras
    from . import dcatap

    europe = rdflib.Graph()
    europe += graph
    if references is not None:
        europe += references
    for series in set(europe.objects(None, DCAT.inSeries)):
        if europe.value(series, DCTERMS.title) is None:
            # a series not at hand: it is validated itself when it is published
            europe.add((series, RDF.type, DCAT.DatasetSeries))
            europe.add((series, DCTERMS.title, rdflib.Literal("(série)", lang="cs")))
            europe.add((series, DCTERMS.description, rdflib.Literal("(série)", lang="cs")))
    extras.enrich(europe, settings)
    return errors(dcatap.validate(europe))


def _publishers(graph: rdflib.Graph, settings) -> list[Problem]:
    from ..catalog import publishers

    out = []
    for cls in (DCAT.Dataset, DCAT.DatasetSeries):
        for record in graph.subjects(RDF.type, cls):
            for publisher in graph.objects(record, DCTERMS.publisher):
                if isinstance(publisher, URIRef) and publishers.by_iri(settings, str(publisher)):
                    continue
                out.append(
                    Problem(
                        "is not a publisher this installation hosts",
                        where="poskytovatel (dct:publisher)",
                        value=str(publisher),
                        hint='declare it in lod.toml as [publishers."<IČO>"] name = "…" '
                        "(its catalogue is /publishers/<IČO>/catalog), or leave poskytovatel out",
                    )
                )
    return out


def own_http_base(settings) -> str | None:
    """lod's own base URL when it is plain http (local development), else None."""
    return settings.base if settings.base.startswith("http://") else None


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
