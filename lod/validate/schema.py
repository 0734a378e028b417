"""The official OFN 2024-05-28 JSON schemas, run offline with ``jsonschema``."""

from __future__ import annotations

import json
from functools import cache

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from .. import resources
from ..errors import Problem

SCHEMAS = {
    "katalog": "schema-katalog.json",
    "datová-sada": "schema-datova-sada.json",
    "datová-série": "schema-datova-serie.json",
    "datová-sada-hvd": "schema-datova-sada-hvd.json",
}
_REFERENCED = (
    "schema-text.json",
    "schema-vice-textu.json",
    "schema-datova-sada.json",
)


def _load(name: str) -> dict:
    return json.loads(resources.vocab(f"ofn/{name}").read_text(encoding="utf-8"))


@cache
def validator(kind: str) -> Draft202012Validator:
    registry: Registry = Registry()
    for name in _REFERENCED:
        doc = _load(name)
        registry = registry.with_resource(doc["$id"], Resource.from_contents(doc))
    return Draft202012Validator(_load(SCHEMAS[kind]), registry=registry)


def kind_of(document: dict) -> str:
    typ = document.get("typ")
    types = typ if isinstance(typ, list) else [typ]
    if "Katalog" in types:
        return "katalog"
    if "Datová série" in types:
        return "datová-série"
    if document.get("kategorie_hvd"):
        return "datová-sada-hvd"
    return "datová-sada"


def validate(
    document: dict, kind: str | None = None, *, own_base: str | None = None
) -> list[Problem]:
    """Check a JSON document against its OFN schema.

    ``own_base``: lod's own base URL when it is plain http (local development). Its IRIs are
    then checked as if they were https, and one warning says that NKOD needs https.
    """
    kind = kind or kind_of(document)
    problems = []
    if own_base:
        document = _as_https(document, own_base)
        problems.append(
            Problem(
                "LOD_BASE_URL is not https: NKOD drops records whose IRIs are not https",
                where="LOD_BASE_URL",
                value=own_base,
                severity="warning",
                hint="publish under https://… for NKOD; http is fine for trying lod out",
            )
        )
    for error in sorted(validator(kind).iter_errors(document), key=lambda e: list(e.path)):
        error = _deepest(error)
        parts = list(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            parts += [k for k in error.validator_value if k not in error.instance][:1]
        instance = error.instance
        problems.append(
            Problem(
                message=_message(error),
                where=f"{_path(parts)} (JSON schema {kind})",
                value=instance
                if isinstance(instance, str) and error.validator != "required"
                else "",
                hint=_hint(error),
            )
        )
    return problems


def _as_https(value, base: str):
    if isinstance(value, str):
        return "https://" + value[len("http://") :] if value.startswith(base) else value
    if isinstance(value, list):
        return [_as_https(v, base) for v in value]
    if isinstance(value, dict):
        return {k: _as_https(v, base) for k, v in value.items()}
    return value


def _deepest(error):
    """For oneOf/anyOf, the error of the branch that came closest (what really needs fixing)."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        # the branch with the fewest errors is the one the document meant
        closest = min(
            branches.values(),
            key=lambda errs: (len(errs), sum(e.validator == "required" for e in errs)),
        )
        error = max(closest, key=lambda e: len(e.absolute_path))
    return error


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _message(error) -> str:
    if error.validator == "required":
        return "is required"
    if error.validator == "pattern":
        return f"does not match {error.validator_value}"
    if error.validator == "const":
        return f"must be exactly {error.validator_value!r}"
    return error.message


def _hint(error) -> str:
    if error.validator == "pattern" and str(error.validator_value).startswith("^https"):
        return "use https:// IRIs (set LOD_BASE_URL=https://…)"
    if error.validator == "required":
        return "add the missing key to the record"
    return ""
