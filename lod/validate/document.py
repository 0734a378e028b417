"""``lod validate FILE|URL``: check a DCAT-AP-CZ record or catalogue as NKOD would."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
import requests

from ..catalog import ofn
from ..errors import BadInput, Problem
from . import rules, schema, shacl

ACCEPT = "application/ld+json, application/json;q=0.9, text/turtle;q=0.8"


def fetch(source: str) -> tuple[str, str]:
    """The text and a format hint ("json" or "turtle") of a file or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        try:
            response = requests.get(source, headers={"Accept": ACCEPT}, timeout=60)
        except requests.RequestException as exc:
            raise BadInput(f"cannot fetch: {exc}", where=source) from None
        if response.status_code != 200:
            raise BadInput(
                f"HTTP {response.status_code}",
                where=source,
                hint="the URL must answer 200 (NKOD skips other answers)",
            )
        ctype = response.headers.get("Content-Type", "")
        response.encoding = "utf-8"
        hint = "turtle" if "turtle" in ctype else "json" if "json" in ctype else _guess(source)
        return response.text, hint
    path = Path(source)
    if not path.is_file():
        raise BadInput("file not found", where=source)
    return path.read_text(encoding="utf-8-sig"), _guess(source)


def _guess(name: str) -> str:
    return "turtle" if name.lower().endswith((".ttl", ".turtle")) else "json"


def validate_source(source: str) -> list[Problem]:
    text, hint = fetch(source)
    if hint == "json" or text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInput(
                f"invalid JSON: {exc.msg}", where=f"{source}:{exc.lineno}:{exc.colno}"
            ) from None
        if not isinstance(document, dict):
            raise BadInput("expected a JSON object (one catalogue or dataset record)", where=source)
        return validate_document(document, source)
    graph = rdflib.Graph()
    try:
        graph.parse(data=text, format="turtle", publicID=source)
    except Exception as exc:  # rdflib raises several types for syntax errors
        raise BadInput(f"invalid Turtle: {exc}", where=source) from None
    return shacl.validate(graph) + rules.check(graph)


def validate_document(document: dict, source: str) -> list[Problem]:
    problems: list[Problem] = []
    context = document.get("@context")
    if context == ofn.CONTEXT_2021:
        problems.append(
            Problem(
                "uses the 2021-01-11 context; NKOD expects DCAT-AP-CZ 2024-05-28",
                where=f"{source}: @context",
                hint=f"use {ofn.CONTEXT_2024}",
                severity="warning",
            )
        )
    problems += schema.validate(document)
    try:
        graph = ofn.to_graph(document, base=source if source.startswith("http") else None)
    except Exception as exc:  # malformed JSON-LD
        raise BadInput(f"not valid JSON-LD: {exc}", where=source) from None
    problems += shacl.validate(graph)
    problems += rules.check(graph)
    return problems
