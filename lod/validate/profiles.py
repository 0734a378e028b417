"""One entry point: validate a record or catalogue against a named profile.

* ``nkod``: what NKOD keeps. Its filter as SHACL (``shapes/nkod.ttl``), the OFN 2024-05-28
  JSON schema of the document (JSON-LD input) and the DCAT-AP-CZ rules the schemas leave out
  (EU codelists, HVD when a record says it is one; ``lod.validate.rules``). The default, and
  what ``lod validate`` always checked.
* ``dcat-ap-3``: the official DCAT-AP 3.0.1 shapes (``shapes/dcat-ap-3.0.1/``: shapes, range,
  codelists, and the recommended ones as warnings), with the EU codelist concepts the record
  uses merged into the data as the codelist shapes require (``codelists.describe``). Nothing
  else is added: a record that does not state the classes the range shapes want is told so.
* ``hvd``: a high-value dataset. The ``nkod`` checks with the OFN HVD JSON schema, the HVD
  rules applied to every record (category, the HVD regulation, a distribution and a data
  service under it) and the DCAT-AP-CZ HVD draft shapes (``shapes/dcat-ap-cz-hvd/``, without
  their ``sh:class`` constraints; see its SOURCES.md).

``validate(source, profile)`` takes a file or an http(s) URL; ``validate_bytes`` a document
in memory (the web service). Both give a ``Report`` (``lod.validate.report``).
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
import requests

from .. import resources
from ..catalog import codelists, ofn
from ..errors import BadInput, LodError, Problem
from ..namespaces import DCAT, RDF, SH
from . import dcatap, locate, rules, schema, shacl
from .report import Report

PROFILES = {
    "nkod": "what NKOD keeps: its filter (SHACL), the OFN JSON schemas, the DCAT-AP-CZ rules",
    "dcat-ap-3": "the official DCAT-AP 3.0.1 shapes, with the EU codelist concepts used",
    "hvd": "a high-value dataset: the nkod checks, the HVD schema and rules, the DCAT-AP-CZ "
    "HVD shapes",
}
DEFAULT = "nkod"
ACCEPT = "application/ld+json, application/json;q=0.9, text/turtle;q=0.8"
TIMEOUT = 60  # seconds, as NKOD's harvester waits


class TooLarge(LodError):
    """The document is bigger than the limit (HTTP 413)."""

    status = 413
    exit_code = 2


class FetchTimeout(LodError):
    """The URL did not answer in time (HTTP 504)."""

    status = 504
    exit_code = 2


@dataclass
class Input:
    name: str  # file, URL or "(body)"
    graph: rdflib.Graph
    document: dict | None = None  # the JSON, when the input is JSON-LD

    @property
    def subject(self) -> str:
        """The IRI of the record (or catalogue) the input describes."""
        if self.document is not None and isinstance(self.document.get("iri"), str):
            return self.document["iri"]
        for cls in (DCAT.Catalog, DCAT.Dataset, DCAT.DatasetSeries):
            found = sorted(str(s) for s in self.graph.subjects(RDF.type, cls))
            if found:
                return found[0]
        return ""


def check_profile(profile: str) -> str:
    if profile not in PROFILES:
        raise BadInput(
            f"unknown profile {profile!r}",
            where="profile",
            hint="use one of " + ", ".join(PROFILES),
        )
    return profile


# ------------------------------------------------------------------------------- reading
def read(source: str, *, timeout: float = TIMEOUT, max_bytes: int | None = None):
    """The bytes and a format hint of a file or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        return _fetch(source, timeout, max_bytes)
    path = Path(source)
    if not path.is_file():
        raise BadInput("file not found", where=source)
    if max_bytes is not None and path.stat().st_size > max_bytes:
        raise too_large(source, max_bytes)
    return path.read_bytes(), suffix_hint(source)


def _fetch(url: str, timeout: float, max_bytes: int | None):
    try:
        with requests.get(url, headers={"Accept": ACCEPT}, timeout=timeout, stream=True) as r:
            if r.status_code != 200:
                raise BadInput(
                    f"HTTP {r.status_code}",
                    where=url,
                    hint="the URL must answer 200 (NKOD skips other answers)",
                )
            chunks, size = [], 0
            for chunk in r.iter_content(65536):
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise too_large(url, max_bytes)
                chunks.append(chunk)
            ctype = r.headers.get("Content-Type", "")
    except requests.Timeout:
        raise FetchTimeout(
            f"the URL did not answer within {timeout:g} s",
            where=url,
            hint="NKOD waits 60 s; make the server answer faster, or validate a saved copy",
        ) from None
    except requests.RequestException as exc:
        raise BadInput(f"cannot fetch: {exc}", where=url) from None
    return b"".join(chunks), media_hint(ctype) or suffix_hint(url)


def too_large(where: str, max_bytes: int) -> TooLarge:
    return TooLarge(
        f"the document is larger than the limit of {max_bytes:,} bytes",
        where=where,
        hint="validate a smaller document (one record rather than a dump), or raise "
        "LOD_VALIDATE_MAX_BYTES",
    )


def media_hint(media_type: str | None) -> str | None:
    media_type = (media_type or "").split(";")[0].strip().lower()
    if "turtle" in media_type:
        return "turtle"
    if "json" in media_type:
        return "json"
    return None


def suffix_hint(name: str) -> str | None:
    lower = name.lower().split("?")[0]
    if lower.endswith((".ttl", ".turtle")):
        return "turtle"
    if lower.endswith((".json", ".jsonld")):
        return "json"
    return None


@contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for each ill-typed literal ("leden 2020"^^xsd:date); the
    report says it better."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse(data: bytes, name: str, hint: str | None = None) -> Input:
    """JSON-LD (the OFN form) or Turtle; ``hint``: "json" or "turtle" (else sniffed)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"not UTF-8: {exc.reason} at byte {exc.start}", where=name) from None
    base = name if name.startswith(("http://", "https://")) else None
    with _quiet_rdflib():
        if hint == "json" or (hint is None and text.lstrip().startswith(("{", "["))):
            return _json(text, name, base)
        graph = rdflib.Graph()
        try:
            graph.parse(data=text, format="turtle", publicID=base)
        except Exception as exc:  # rdflib raises several types for syntax errors
            raise BadInput(
                f"invalid Turtle: {str(exc).splitlines()[0][:300]}",
                where=name,
                hint="send JSON-LD (the OFN form) or Turtle",
            ) from None
        return Input(name, graph)


def _json(text: str, name: str, base: str | None) -> Input:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"invalid JSON: {exc.msg}", where=f"{name}:{exc.lineno}:{exc.colno}"
        ) from None
    if not isinstance(document, dict):
        raise BadInput("expected a JSON object (one catalogue or dataset record)", where=name)
    try:
        graph = ofn.to_graph(document, base=base)
    except Exception as exc:  # malformed JSON-LD
        raise BadInput(f"not valid JSON-LD: {exc}", where=name) from None
    return Input(name, graph, document)


# ------------------------------------------------------------------------------ profiles
def validate(
    source: str, profile: str = DEFAULT, *, timeout: float = TIMEOUT, max_bytes: int | None = None
) -> Report:
    """Validate a file or URL against ``profile``."""
    check_profile(profile)
    data, hint = read(str(source), timeout=timeout, max_bytes=max_bytes)
    return validate_input(parse(data, str(source), hint), profile)


def validate_bytes(
    data: bytes,
    profile: str = DEFAULT,
    *,
    name: str = "(body)",
    media_type: str | None = None,
    hint: str | None = None,
) -> Report:
    """Validate a document in memory; ``hint`` ("json", "turtle") or its ``media_type`` says
    how to read it (else it is sniffed)."""
    check_profile(profile)
    return validate_input(parse(data, name, hint or media_hint(media_type)), profile)


def validate_input(source: Input, profile: str = DEFAULT) -> Report:
    check_profile(profile)
    with _quiet_rdflib():
        found = CHECKS[profile](source)
    record = source.subject
    located = [locate.locate(p, source.document, record) for p in found]
    return Report(source.name, profile, locate.merge(located))


def _context(source: Input) -> list[Problem]:
    if source.document is not None and source.document.get("@context") == ofn.CONTEXT_2021:
        return [
            Problem(
                "uses the 2021-01-11 context; NKOD expects DCAT-AP-CZ 2024-05-28",
                where="@context",
                hint=f"use {ofn.CONTEXT_2024}",
                hint_cs=f"použijte {ofn.CONTEXT_2024}",
                severity="warning",
                check="ofn-schema",
            )
        ]
    return []


def _nkod(source: Input, *, hvd: bool = False) -> list[Problem]:
    problems = _context(source)
    if source.document is not None:
        kind = schema.kind_of(source.document)
        if hvd and kind == "datová-sada":
            kind = "datová-sada-hvd"
        problems += schema.validate(source.document, kind)
    problems += shacl.validate(source.graph)
    problems += rules.check(source.graph, hvd=hvd)
    return problems


def _dcat_ap_3(source: Input) -> list[Problem]:
    data = source.graph + codelists.describe(source.graph)
    shapes = dcatap.shapes_graph(recommended=True)
    report = shacl.run(data, shapes, advanced=True)
    return shacl.problems(data, shapes, report, check="dcat-ap-3")


def _hvd(source: Input) -> list[Problem]:
    problems = _nkod(source, hvd=True)
    shapes = hvd_shapes()
    report = shacl.run(source.graph, shapes)
    return problems + shacl.problems(source.graph, shapes, report, check="hvd-shapes")


@cache
def hvd_shapes() -> rdflib.Graph:
    """The DCAT-AP-CZ HVD draft shapes without their ``sh:class`` constraints."""
    graph = rdflib.Graph().parse(resources.shapes("dcat-ap-cz-hvd/shacl.ttl"), format="turtle")
    graph.remove((None, SH["class"], None))
    return graph


CHECKS = {"nkod": _nkod, "dcat-ap-3": _dcat_ap_3, "hvd": _hvd}
