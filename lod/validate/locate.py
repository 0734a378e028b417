"""Every problem located and in both languages, and one line per mistake.

The checks report differently: SHACL results come located (``lod.validate.shacl``), the
codelist rules name ``[<part> <IRI>: ]<key> (<property>)``, and the OFN JSON schema a JSON path
(``distribuce[0].formát (JSON schema datová-sada)``). ``locate`` gives each problem its focus
(the record, distribution or service IRI), OFN key and RDF property, and Czech text where it has
none. ``merge`` makes one line of the problems several checks report about the same field and
value (a missing ``název`` is a SHACL result and a JSON schema error: one mistake).
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..catalog import ofn
from ..errors import Problem
from .shacl import curie

_SCHEMA = re.compile(r"^(?P<path>.*) \(JSON schema (?P<kind>[^)]+)\)$")
_FIELD = re.compile(
    r"^(?:(?:distribuce|datová služba|katalog) (?P<focus>\S+): )?(?P<key>[^ (]+) \((?P<prop>[^)]+)\)$"
)
# which check's text is the best, when several report one mistake
_PRIORITY = {"nkod": 0, "hvd-shapes": 1, "dcat-ap-3": 1, "data": 0, "rules": 2, "ofn-schema": 3}


def locate(problem: Problem, document: dict | None = None, record: str = "") -> Problem:
    """``problem`` with its focus, key and property filled in, and Czech text."""
    match = _SCHEMA.match(problem.where)
    if match:
        return _schema(problem, match["path"], match["kind"], document, record)
    if not problem.key:
        field = _FIELD.match(problem.where)
        if field:
            problem = replace(
                problem,
                focus=problem.focus or field["focus"] or record,
                key=field["key"],
                property=field["prop"],
            )
    if not problem.focus and record:
        problem = replace(problem, focus=record)
    if not problem.message_cs:
        problem = replace(problem, message_cs=_czech(problem.message))
    if problem.hint and not problem.hint_cs:
        problem = replace(problem, hint_cs=_czech_hint(problem.hint))
    return problem


def _schema(problem: Problem, path: str, kind: str, document, record: str) -> Problem:
    parts = _parts(path)
    focus, rest, node = record, parts, document
    walked = []
    for part in parts:
        walked.append(part)
        node = _step(node, part)
        if isinstance(node, dict) and isinstance(node.get("iri"), str):
            focus, rest = node["iri"], parts[len(walked) :]
    keys = [p for p in rest if isinstance(p, str)]
    key = ".".join(keys)
    owner = _owner_typ(document, parts[: len(parts) - len(rest)])
    prop = _property(owner, keys)
    message = problem.message
    if message == "is required":
        en, cs = f"{key or 'a key'} is required but missing", f"chybí povinný klíč {key}"
        hint, hint_cs = (
            f'add "{keys[-1] if keys else key}" to the record',
            (f'doplňte do záznamu "{keys[-1] if keys else key}"'),
        )
    else:
        en, cs = f"{key or 'the document'} {message}", _czech_schema(key, message)
        hint = problem.hint or "correct the value as the OFN JSON schema says"
        hint_cs = (
            _czech_hint(problem.hint) if problem.hint else "opravte hodnotu podle schématu OFN"
        )
    return replace(
        problem,
        message=en,
        message_cs=cs,
        hint=hint,
        hint_cs=hint_cs,
        focus=focus,
        key=key,
        property=prop,
        component=problem.component or "lod:JsonSchema",
        check=problem.check or "ofn-schema",
        value_kind=problem.value_kind or ("literal" if problem.value else ""),
    )


def _parts(path: str) -> list:
    if path == "(document)":
        return []
    out: list = []
    for piece in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        out.append(int(piece[1:-1]) if piece.startswith("[") else piece)
    return out


def _step(node, part):
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and part < len(node) else None
    if isinstance(node, dict):
        value = node.get(part)
        return value
    return None


def _owner_typ(document, parts) -> str | None:
    node = document
    for part in parts:
        node = _step(node, part)
    typ = node.get("typ") if isinstance(node, dict) else None
    if isinstance(typ, list):
        typ = next((t for t in typ if t in ofn.CLASSES), None)
    return typ if typ in ofn.CLASSES else None


def _property(typ: str | None, keys: list[str]) -> str:
    steps = []
    for name in keys:
        cls = ofn.CLASSES.get(typ) if typ else None
        key = cls.key(name) if cls else None
        if key is None:
            break
        steps.append(curie(key.predicate))
        typ = key.node
    return "/".join(steps)


_CZECH = {
    "URL not checked (offline)": "URL nebylo ověřeno (offline)",
    "NKOD requires https IRIs": "NKOD vyžaduje IRI https",
    "no CORS header (Access-Control-Allow-Origin: *)": "chybí hlavička CORS "
    "(Access-Control-Allow-Origin: *)",
    "URL without CORS (Access-Control-Allow-Origin: *)": "URL bez CORS "
    "(Access-Control-Allow-Origin: *)",
}


def _czech(message: str) -> str:
    if message in _CZECH:
        return _CZECH[message]
    if message.startswith("cannot be fetched: "):
        return "nelze stáhnout: " + message.removeprefix("cannot be fetched: ")
    if message.startswith("URL does not answer HEAD with 2xx: "):
        return "URL neodpovídá na HEAD kódem 2xx: " + message.rsplit(": ", 1)[-1]
    if message.startswith("uses the 2021-01-11 context"):
        return "používá kontext 2021-01-11; NKOD očekává DCAT-AP-CZ 2024-05-28"
    if message.startswith("LOD_BASE_URL is not https"):
        return "LOD_BASE_URL není https: NKOD zahazuje záznamy, jejichž IRI nejsou https"
    return message  # no Czech known: the English text


def _czech_hint(hint: str) -> str:
    known = {
        "use https:// IRIs (set LOD_BASE_URL=https://…)": "použijte IRI https:// (nastavte "
        "LOD_BASE_URL=https://…)",
        "add the missing key to the record": "doplňte chybějící klíč do záznamu",
        "publish under https://… for NKOD; http is fine for trying lod out": "pro NKOD "
        "publikujte pod https://…; http stačí na vyzkoušení lod",
    }
    if hint in known:
        return known[hint]
    if hint.startswith("the IRI must answer 200"):
        return "IRI musí do 60 s odpovědět kódem 200 se záznamem; NKOD ho jinak přeskočí"
    if hint.startswith("NKOD and data.europa.eu check every URL"):
        return "NKOD i data.europa.eu ověřují každé URL metodou HEAD; musí odpovědět 2xx"
    if "CORS" in hint:
        return "odpovídejte na každý požadavek hlavičkou Access-Control-Allow-Origin: *"
    return hint


def _czech_schema(key: str, message: str) -> str:
    if message.startswith("does not match "):
        return f"{key} nemá správný tvar (vzor {message.removeprefix('does not match ')})"
    if message.startswith("must be exactly "):
        return f"{key} musí být přesně {message.removeprefix('must be exactly ')}"
    return f"{key or 'dokument'} neodpovídá schématu OFN: {message}"


def merge(problems: list[Problem]) -> list[Problem]:
    """One line per mistake: problems about the same focus, field and value are merged (the
    most severe, with the best text); the value-less ones of a field join its one valued line."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        field = problem.key or problem.property or problem.where
        groups.setdefault(
            (problem.focus, field, problem.row, problem.column, problem.value), []
        ).append(problem)
    by_field: dict[tuple, list[tuple]] = {}
    for group in groups:
        by_field.setdefault(group[:4], []).append(group)
    for field, members in by_field.items():
        valued = [g for g in members if g[4]]
        bare = field + ("",)
        if len(valued) == 1 and bare in groups:
            groups[valued[0]] = groups.pop(bare) + groups[valued[0]]
    out = [_one(group) for group in groups.values()]
    out.sort(key=lambda p: (p.severity != "error", p.row or 0, p.focus, p.where, p.message))
    return out


def _one(group: list[Problem]) -> Problem:
    severity = "error" if any(p.severity == "error" for p in group) else "warning"
    ranked = sorted(
        (p for p in group if p.severity == severity),
        key=lambda p: (_PRIORITY.get(p.check, 2), not p.message_cs),
    )
    best = ranked[0]
    valued = next((p for p in group if p.value), None)
    checks = ", ".join(dict.fromkeys(c for p in group for c in p.check.split(", ") if c))
    where = min(
        (p.where for p in group if "JSON schema" not in p.where), key=len, default=best.where
    )
    return replace(
        best,
        severity=severity,
        where=where,
        value=valued.value if valued else "",
        value_kind=valued.value_kind if valued else "",
        check=checks,
        property=best.property or next((p.property for p in group if p.property), ""),
    )
