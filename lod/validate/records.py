"""A record in the form ``lod ingest --meta`` takes, checked as ``lod ingest`` would publish it.

That form is YAML, or JSON without ``@context``, with the keys of the OFN dataset record and
none of the IRIs lod mints. ``lod validate RECORD.yaml`` and the web validator (a pasted or
uploaded record) both check it here: the same normalisation as ``lod ingest``, the dataset
document with IRIs under ``LOD_BASE_URL``, then NKOD's rules, the OFN schemas and DCAT-AP 3.
"""

from __future__ import annotations

import re

from ..catalog import ofn
from ..catalog.record import DATASET_KEYS, dataset_document, normalize_record, parse_record
from ..errors import BadInput
from . import check_document, locate, own_http_base
from .profiles import _quiet_rdflib
from .report import Report

PROFILE = "lod ingest"
# a first line "key:" (YAML) rather than Turtle or JSON-LD
_YAML_KEY = re.compile(r"^\s*[^\s#@<{\[\"'][^:#]*:(\s|$)")


def record_form(data: bytes, name: str) -> dict | None:
    """The record, if ``data`` is one in the form ``lod ingest --meta`` takes (a YAML mapping
    or a JSON object without ``@context``, with at least one key of the OFN dataset record);
    None for anything else (JSON-LD, Turtle), which the profiles read. Invalid YAML that
    starts like a record raises BadInput naming the line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if text.lstrip().startswith("{"):
        try:
            record = parse_record(text, name, as_json=True)
        except BadInput:
            return None  # the JSON-LD reader says what is wrong
    else:
        lines = (line for line in text.splitlines() if line.strip())
        first = next((line for line in lines if not line.lstrip().startswith("#")), "")
        if not _YAML_KEY.match(first) or first.lstrip().startswith(("PREFIX", "BASE")):
            return None
        record = parse_record(text, name)
    return record if _is_record(record) else None


def _is_record(value) -> bool:
    return (
        isinstance(value, dict)
        and "@context" not in value
        and any(isinstance(key, str) and key in DATASET_KEYS for key in value)
    )


def validate_record(record: dict, name: str, settings, dataset_id: str = "record") -> Report:
    """``record`` checked as ``lod ingest --id dataset_id`` would publish it."""
    normalized, notes = normalize_record(record, source=name)
    document = dataset_document(normalized, dataset_id=dataset_id, settings=settings)
    with _quiet_rdflib():
        graph = ofn.to_graph(document)
        problems = notes + check_document(
            document, graph, own_base=own_http_base(settings), settings=settings
        )
    located = [locate.locate(p, document, document.get("iri", "")) for p in problems]
    return Report(name, PROFILE, locate.merge(located))
