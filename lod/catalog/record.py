"""A steward's dataset record in, the full DCAT-AP-CZ dataset document out.

The record uses the keys of the OFN 2024-05-28 JSON-LD (``název``, ``popis``, ``klíčové_slovo``,
``téma``, ``periodicita_aktualizace``, ``prvek_rúian``, ``kontaktní_bod``, ``dokumentace``, …) as
the NKOD form exports it, in JSON or YAML, without IRIs and without distributions. lod mints the
IRIs and adds the distributions it serves. One extra key, ``podmínky_užití``, overrides the
configured terms of use for all of the record's distributions.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import labels
from ..errors import BadInput, Problem
from ..formats import BY_NAME
from ..iris import Iris
from ..namespaces import DATA_THEME, FREQUENCY, RPP_OVM
from . import ofn

DATASET_KEYS = {k.key: k for k in ofn.CLASSES["Datová sada"].keys}
TERMS_KEYS = [k.key for k in ofn.CLASSES["Specifikace podmínek užití"].keys]
# Keys a record may carry besides the dataset's own.
EXTRA_KEYS = {"@context", "typ", "iri", "podmínky_užití"}
# Keys lod fills itself.
OWN_KEYS = {"distribuce"}


@dataclass(frozen=True)
class Served:
    """A distribution lod serves for every dataset."""

    key: str  # last segment of the distribution IRI
    format: str  # name in lod.formats
    title: dict[str, str]
    schema: bool = False  # conformsTo the CSVW table schema


SERVED: tuple[Served, ...] = (
    Served("csv", "csv", {"cs": "Tabulka ve formátu CSV", "en": "Table as CSV"}, schema=True),
    Served("ttl", "ttl", {"cs": "Data v RDF (Turtle)", "en": "Data as RDF (Turtle)"}),
    Served("nt", "nt", {"cs": "Data v RDF (N-Triples)", "en": "Data as RDF (N-Triples)"}),
)
SPARQL_TITLE = {"cs": "SPARQL endpoint", "en": "SPARQL endpoint"}
SPARQL_SPEC = "https://www.w3.org/TR/sparql11-protocol/"


def load_record(path: Path) -> dict:
    """Read a record from JSON or YAML (chosen by suffix; YAML is a superset of JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput("record file not found", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"not UTF-8 (byte {exc.start})", where=str(path), hint="save the record as UTF-8"
        ) from None
    data = parse_record(text, str(path), as_json=path.suffix.lower() in {".json", ".jsonld"})
    if not isinstance(data, dict):
        raise BadInput("a record must be a JSON object / YAML mapping of OFN keys", where=str(path))
    return data


def parse_record(text: str, where: str, *, as_json: bool = False):
    """The JSON or YAML ``text`` of a record (YAML dates as ISO strings, as JSON has them);
    a syntax error is BadInput naming ``where`` with its line and column."""
    try:
        data = json.loads(text) if as_json else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise BadInput(
            f"invalid JSON: {exc.msg}",
            where=f"{where}:{exc.lineno}:{exc.colno}",
            hint="fix the JSON syntax at that line and column",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadInput(
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            where=f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where,
            hint="fix the YAML syntax at that line",
        ) from None
    return _plain(data)


def _plain(value):
    """YAML dates become ISO strings, like the JSON form has them."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _refuse_unknown(unknown: list, allowed: set[str], source: str) -> None:
    """Refuse a record's unknown keys, all of them at once, each with its likely meaning."""
    if not unknown:
        return
    known = sorted(allowed - {"@context"})
    guesses = {key: difflib.get_close_matches(str(key), known, n=1, cutoff=0.6) for key in unknown}
    if len(unknown) == 1:
        (key,) = unknown
        message = f"unknown key {key!r}"
        hint = f"did you mean {guesses[key][0]!r}? " if guesses[key] else ""
    else:
        message = "unknown keys " + ", ".join(map(repr, unknown))
        hint = "".join(f"{k!r}: did you mean {g[0]!r}? " for k, g in guesses.items() if g)
    raise BadInput(
        message,
        where=source,
        hint=hint + "use the keys of the OFN 2024-05-28 dataset record (see README)",
    )


def normalize_record(
    record: dict, *, source: str = "record", metadata_only: bool = False
) -> tuple[dict, list[Problem]]:
    """Check the record's keys and bring friendly shorthands into the OFN shape.

    Unknown keys are refused (JSON-LD would drop them silently); ``"název": "…"`` becomes
    ``{"cs": "…"}``, a single theme becomes a list, an e-mail gets ``mailto:``, an IČO as
    ``poskytovatel`` its RPP IRI. A ``metadata_only`` record (a dataset series, or a dataset
    whose data lives elsewhere) keeps its own ``distribuce`` and may be ``typ: Datová série``
    (then ``typ`` is in the result).
    """
    notes: list[Problem] = []
    out: dict = {}
    allowed = set(DATASET_KEYS) | EXTRA_KEYS | OWN_KEYS
    _refuse_unknown([key for key in record if key not in allowed], allowed, source)
    for key, value in record.items():
        if key == "@context":
            if value not in (ofn.CONTEXT_2024, ofn.CONTEXT_2021):
                raise BadInput(
                    f"unsupported @context {value!r}",
                    where=source,
                    hint=f"use {ofn.CONTEXT_2024} or leave @context out",
                )
            continue
        if key == "typ":
            if metadata_only and value in ("Datová série", ["Datová série"]):
                out["typ"] = "Datová série"
                continue
            if value not in ("Datová sada", ["Datová sada"]):
                allowed_types = (
                    "'Datová sada' or 'Datová série'" if metadata_only else "'Datová sada'"
                )
                raise BadInput(f"typ must be {allowed_types}, got {value!r}", where=source)
            continue
        if key == "distribuce" and metadata_only:
            items = value if isinstance(value, list) else [value]
            out[key] = [
                _distribution(item, f"{source}: distribuce[{n}]") for n, item in enumerate(items)
            ]
            continue
        if key in ("iri", "distribuce"):
            notes.append(
                Problem(
                    f"{key} is ignored: lod mints the dataset IRI and serves its own distributions",
                    where=f"{source}: {key}",
                    severity="warning",
                    hint=f"remove {key!r} from the record",
                )
            )
            continue
        if key == "podmínky_užití":
            out[key] = _terms(value, source)
            continue
        out[key] = _shape(DATASET_KEYS[key], value, source)
    return out, notes


def _shape(key: ofn.Key, value, source: str):
    where = f"{source}: {key.key}"
    if key.kind == ofn.LANG:
        if isinstance(value, str):
            return {"cs": value}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return value
        raise BadInput(
            "expected a text or a map of language to text, e.g. {cs: …, en: …}", where=where
        )
    if key.kind == ofn.LANGS:
        if isinstance(value, str):
            return {"cs": [value]}
        if isinstance(value, list):
            return {"cs": [str(v) for v in value]}
        if isinstance(value, dict):
            return {
                lang: [v] if isinstance(v, str) else [str(x) for x in v]
                for lang, v in value.items()
            }
        raise BadInput("expected a list of keywords or a map of language to keywords", where=where)
    if key.kind == ofn.IRIS:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise BadInput("expected an IRI or a list of IRIs", where=where)
        return [_iri(key, v, where) for v in values]
    if key.kind in (ofn.IRI, ofn.TEXT):
        if isinstance(value, (int, float)) and key.kind == ofn.TEXT:
            return str(value)
        if not isinstance(value, str):
            raise BadInput(
                f"expected a single {'IRI' if key.kind == ofn.IRI else 'value'}", where=where
            )
        if key.key == "poskytovatel" and value.strip().isdigit():
            return RPP_OVM + value.strip()
        return _iri(key, value, where) if key.kind == ofn.IRI else value
    if key.kind == ofn.NODE:
        if not isinstance(value, dict):
            raise BadInput("expected an object", where=where)
        return _node(key.node, value, where)
    return value


_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# Where a bare code is likely meant as a codelist IRI, suggest the IRI.
_CODELISTS = {"téma": DATA_THEME, "periodicita_aktualizace": FREQUENCY}


def _iri(key: ofn.Key, value: str, where: str) -> str:
    value = value.strip()
    if _ABSOLUTE.match(value):
        return value
    hint = "write the full IRI, starting with https:// or http://"
    prefix = _CODELISTS.get(key.key)
    if prefix and labels.known(prefix + value.upper()):
        hint = f"write the full IRI: {prefix + value.upper()}"
    raise BadInput(f"{value!r} is not an IRI", where=where, hint=hint)


def _node(typ: str, value: dict, where: str) -> dict:
    cls = ofn.CLASSES[typ]
    out: dict = {"typ": typ}
    for name, item in value.items():
        if name == "typ":
            continue
        key = cls.key(name)
        if key is None:
            close = difflib.get_close_matches(name, [k.key for k in cls.keys], n=1)
            raise BadInput(
                f"unknown key {name!r}",
                where=where,
                hint=f"did you mean {close[0]!r}?"
                if close
                else "allowed: " + ", ".join(k.key for k in cls.keys),
            )
        if key.key == "e-mail" and isinstance(item, str) and not item.startswith("mailto:"):
            item = "mailto:" + item
        out[name] = _shape(key, item, where)
    return out


def _distribution(value, where: str) -> dict:
    """A distribution of a metadata-only record (its ``iri`` kept, if any)."""
    if not isinstance(value, dict):
        raise BadInput("expected a distribution object", where=where)
    value = dict(value)
    iri = value.pop("iri", None)
    service = value.get("přístupová_služba")
    service_iri = service.get("iri") if isinstance(service, dict) else None
    if service_iri:
        value["přístupová_služba"] = {k: v for k, v in service.items() if k != "iri"}
    out = _node("Distribuce", value, where)
    if service_iri:
        out["přístupová_služba"] = {"iri": service_iri, **out["přístupová_služba"]}
    return {"iri": iri, **out} if iri else out


def _terms(value, source: str) -> dict:
    if not isinstance(value, dict):
        raise BadInput(
            "expected an object with the four terms-of-use keys", where=f"{source}: podmínky_užití"
        )
    return _node("Specifikace podmínek užití", value, f"{source}: podmínky_užití")


def default_terms(settings) -> dict:
    return {
        "typ": "Specifikace podmínek užití",
        "autorské_dílo": settings.terms_author_work,
        "databáze_jako_autorské_dílo": settings.terms_database_work,
        "databáze_chráněná_zvláštními_právy": settings.terms_database_sui_generis,
        "osobní_údaje": settings.terms_personal_data,
    }


def dataset_document(record: dict, *, dataset_id: str, settings) -> dict:
    """The full OFN dataset document: the record plus IRIs, publisher and distributions."""
    iris = Iris.of(settings)
    terms = {**default_terms(settings), **record.get("podmínky_užití", {})}
    doc: dict = {
        "@context": ofn.CONTEXT_2024,
        "iri": iris.dataset(dataset_id),
        "typ": "Datová sada",
        "poskytovatel": settings.publisher_iri,
    }
    doc.update({k: v for k, v in record.items() if k != "podmínky_užití"})
    distributions = []
    for served in SERVED:
        fmt = BY_NAME[served.format]
        url = iris.download(dataset_id, fmt.suffix)
        dist = {
            "iri": iris.distribution(dataset_id, served.key),
            "typ": "Distribuce",
            "název": served.title,
            "podmínky_užití": dict(terms),
            "přístupové_url": url,
            "soubor_ke_stažení": url,
            "formát": fmt.file_type_iri,
            "typ_média": fmt.media_type_iri,
        }
        if served.schema:
            dist["schéma"] = iris.table_schema(dataset_id)
        distributions.append(dist)
    distributions.append(
        {
            "iri": iris.distribution(dataset_id, "sparql"),
            "typ": "Distribuce",
            "název": SPARQL_TITLE,
            "podmínky_užití": dict(terms),
            "přístupové_url": iris.sparql_endpoint,
            "přístupová_služba": {
                "iri": iris.sparql_service,
                "typ": "Datová služba",
                "název": SPARQL_TITLE,
                "přístupový_bod": iris.sparql_endpoint,
                "popis_přístupového_bodu": iris.sparql_description,
                "specifikace": [SPARQL_SPEC],
            },
        }
    )
    doc["distribuce"] = distributions
    return with_legislation(doc, settings, served=True)


HVD_ELI = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
OPEN_DATA_ELI_2026 = "https://www.e-sbirka.cz/eli/cz/sb/1999/106/2025-08-19"


def metadata_document(record: dict, *, dataset_id: str, settings) -> dict:
    """The OFN document of a metadata-only record (a dataset series, or a dataset whose
    distributions are elsewhere): the record, its IRI, publisher, and IRIs minted for its
    distributions and data services that have none; default terms of use where missing."""
    iris = Iris.of(settings)
    terms = {**default_terms(settings), **record.get("podmínky_užití", {})}
    doc: dict = {
        "@context": ofn.CONTEXT_2024,
        "iri": iris.dataset(dataset_id),
        "typ": record.get("typ", "Datová sada"),
        "poskytovatel": settings.publisher_iri,
    }
    doc.update(
        {k: v for k, v in record.items() if k not in ("podmínky_užití", "distribuce", "typ")}
    )
    distributions = []
    for n, given in enumerate(record.get("distribuce", []), start=1):
        dist = {"iri": iris.distribution(dataset_id, str(n)), **given}
        dist.setdefault("podmínky_užití", dict(terms))
        service = dist.get("přístupová_služba")
        if isinstance(service, dict) and "iri" not in service:
            dist["přístupová_služba"] = {"iri": iris.record_service(dataset_id, str(n)), **service}
        distributions.append(dist)
    if distributions:
        doc["distribuce"] = distributions
    return with_legislation(doc, settings, served=False)


def with_legislation(doc: dict, settings, *, served: bool) -> dict:
    """The laws a record falls under, on the parts lod generates.

    A high-value dataset (``kategorie_hvd``) names the HVD regulation, and so do the
    distributions and the data service lod serves for it; that service also gets the
    categories, a contact point and its documentation (as the HVD schema requires). With
    ``LOD_DRAFT_2026`` every dataset, distribution and data service names the open-data law."""

    def add(node: dict, eli: str) -> None:
        laws = node.setdefault("právní_předpis", [])
        if eli not in laws:
            laws.append(eli)

    nodes = [doc]
    for dist in doc.get("distribuce", []):
        nodes.append(dist)
        if isinstance(dist.get("přístupová_služba"), dict):
            nodes.append(dist["přístupová_služba"])
    if doc.get("kategorie_hvd") and served:
        add(doc, HVD_ELI)
        for dist in doc.get("distribuce", []):
            add(dist, HVD_ELI)
            service = dist.get("přístupová_služba")
            if isinstance(service, dict):
                service["kategorie_hvd"] = list(doc["kategorie_hvd"])
                contact = doc.get("kontaktní_bod") or _catalog_contact(settings)
                if contact:
                    service.setdefault("kontaktní_bod", contact)
                service.setdefault("dokumentace", [Iris.of(settings).sparql_endpoint])
                add(service, HVD_ELI)
    if settings.draft_2026:
        for node in nodes:
            add(node, OPEN_DATA_ELI_2026)
    return doc


def _catalog_contact(settings) -> dict | None:
    from .publishers import all_publishers, contact_point

    return contact_point(all_publishers(settings)[0])
