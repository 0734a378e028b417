"""Validation as a service.

``POST /validate`` validates a record or catalogue (JSON-LD or Turtle as the body, pasted or
uploaded in a form, or a URL) against a profile (``?profile=nkod|dcat-ap-3|hvd``), or a table
with its CSVW schema (multipart ``table`` + ``schema``), and answers the report as HTML, JSON,
Turtle (the ``sh:ValidationReport``) or plain text by ``Accept`` or ``?format=``. ``GET
/validate`` is the page where a steward pastes or uploads a record and reads the report.
Requests and fetched documents are limited to ``LOD_VALIDATE_MAX_BYTES`` (413); a URL gets
``LOD_VALIDATE_TIMEOUT`` seconds to answer (504) and a validation as long, in a process of its
own that is stopped then (503).

``/validate/harvest`` is the harvest preflight (``lod check-harvest`` as a service: a catalogue
walked like NKOD, every URL HEADed) and ``/datasets/<id>/check`` runs it on a dataset published
here. lod's own URLs are fetched in-process (the Flask app answers them), so a check never
depends on how the server is reached.
"""

from __future__ import annotations

import functools
import json

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import BadInput, LodError, NotAcceptable
from ..fetch import Answer, Fetcher
from ..harvest import HarvestReport, check_any, check_record
from ..iris import DATASET_ID
from ..validate import profiles, records, worker
from ..validate.report import Report
from .catalog import _dataset_graph
from .errors import _wants_html
from .http import services

bp = Blueprint("validate", __name__)

# the report's forms: media type -> name; ?format= takes the names and these aliases
MEDIA = {
    "application/json": "json",
    "text/html": "html",
    "text/turtle": "ttl",
    "text/plain": "text",
}
ALIASES = {"turtle": "ttl", "txt": "text", "jsonld": "json"}
CONTENT_TYPES = {name: f"{media}; charset=utf-8" for media, name in MEDIA.items()}
MULTIPART_SLACK = 64 * 1024  # form fields and part headers around an uploaded document


def own_fetcher() -> Fetcher:
    """Fetches lod's own IRIs from this application, anything else over the network."""
    return Fetcher({services().settings.base + "/": current_app._get_current_object()})


# ----------------------------------------------------------------------------- the report
def _form() -> str:
    """The report's form: ``?format=``, else ``Accept`` (a browser gets HTML, */* JSON)."""
    wanted = (request.args.get("format") or "").strip().lower()
    if wanted:
        name = ALIASES.get(wanted, MEDIA.get(wanted, wanted))
        if name not in CONTENT_TYPES:
            raise NotAcceptable(
                f"format {wanted!r} is not offered here",
                hint="use one of json, html, ttl, text",
            )
        return name
    accept = request.accept_mimetypes
    if not accept or not list(accept.values()):
        return "json"
    best = accept.best_match(list(MEDIA), default=None)
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types ({request.headers.get('Accept')}) is offered",
            hint="accept one of " + ", ".join(MEDIA),
        )
    if best == "text/html" and not _wants_html():
        return "json"  # */* with a lower-rated text/html: machines get JSON
    return MEDIA[best]


def _page(report: Report | None = None, error: dict | None = None, status: int = 200, **form):
    body = render_template(
        "validate.html",
        report=report,
        error=error,
        profiles=profiles.PROFILES,
        form={"profile": profiles.DEFAULT, **form},
    )
    return Response(body, status=status, content_type=CONTENT_TYPES["html"])


def _answer(report: Report, form: str, **fields):
    if form == "html":
        response = _page(report, **fields)
    else:
        response = Response(report.render(form), content_type=CONTENT_TYPES[form])
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/validate")
def form():
    """The page: paste, upload or give a URL; ``?url=`` validates that URL at once."""
    if request.args.get("url"):
        return validate()
    return _page(profile=request.args.get("profile") or profiles.DEFAULT)


@bp.post("/validate")
def validate():
    form = _form()
    fields = {
        "profile": request.values.get("profile") or profiles.DEFAULT,
        "url": request.values.get("url", ""),
    }
    try:
        report = _validate(fields)
    except LodError as exc:
        if form != "html":
            raise
        return _page(error=exc.as_dict(), status=exc.status, **fields)
    return _answer(report, form, **fields)


def _validate(fields: dict) -> Report:
    settings = services().settings
    limit = settings.validate_max_bytes
    if request.content_length is not None and request.content_length > limit + MULTIPART_SLACK:
        raise profiles.too_large("the request", limit)
    try:  # Flask >= 3.1: a limit for this request only (also for a chunked body)
        request.max_content_length = limit + MULTIPART_SLACK
    except AttributeError:  # older Flask: the Content-Length check above
        pass
    try:
        return _dispatch(fields, settings, limit)
    except RequestEntityTooLarge:
        raise profiles.too_large("the request", limit) from None


def _dispatch(fields: dict, settings, limit: int) -> Report:
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        table = request.files.get("table")
        if table is not None and table.filename:
            return _table(table, request.files.get("schema"), settings, limit)
        upload = request.files.get("file")
        if upload is not None and upload.filename:
            data = _read(upload.stream, limit, upload.filename)
            return _run(
                data, fields["profile"], upload.filename, profiles.suffix_hint(upload.filename)
            )
        text = request.form.get("text", "")
        if text.strip():
            return _run(text.encode("utf-8"), fields["profile"], "(vložený text)", None)
    elif request.is_json and not fields["url"]:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and "url" in body and set(body) <= {"url", "profile"}:
            fields["url"] = str(body["url"])
            fields["profile"] = str(body.get("profile") or fields["profile"])
    profile = profiles.check_profile(fields["profile"])
    url = fields["url"].strip()
    if url:
        if not url.startswith(("http://", "https://")):
            raise BadInput(f"not an http(s) URL: {url!r}", where="url")
        data, hint = _fetch(url, settings, limit)
        return _run(data, profile, url, hint)
    body = request.get_data(cache=True)
    if len(body) > limit:
        raise profiles.too_large("the request", limit)
    if not body.strip() or request.mimetype in ("multipart/form-data",):
        raise BadInput(
            "nothing to validate",
            hint="POST a record or catalogue (JSON-LD or Turtle) as the body, url=<its URL>, "
            "or a table with its CSVW schema (multipart fields table and schema)",
        )
    return _run(body, profile, "(body)", profiles.media_hint(request.mimetype))


def _read(stream, limit: int, where: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise profiles.too_large(where, limit)
    return data


def _fetch(url: str, settings, limit: int) -> tuple[bytes, str | None]:
    """lod's own URLs from the app itself, others over the network (timeout, size limit)."""
    if url.startswith(settings.base + "/"):
        answer = own_fetcher().get(url)
        if not answer.ok:
            raise BadInput(f"HTTP {answer.status}", where=url, hint="the URL must answer 200")
        if len(answer.content) > limit:
            raise profiles.too_large(url, limit)
        ctype = answer.headers.get("content-type")
        return answer.content, profiles.media_hint(ctype) or profiles.suffix_hint(url)
    return profiles.read(
        url, timeout=settings.validate_timeout or profiles.TIMEOUT, max_bytes=limit
    )


def _run(data: bytes, profile: str, name: str, hint: str | None) -> Report:
    settings = services().settings
    record = records.record_form(data, name) if hint != "turtle" else None
    if record is not None:  # as `lod ingest --meta` takes it: checked as it would publish it
        call = functools.partial(records.validate_record, record, name, settings)
    else:
        call = functools.partial(profiles.validate_bytes, data, profile, name=name, hint=hint)
    timeout = settings.validate_timeout
    return worker.run(call, timeout=timeout) if timeout else call()


def _table(table, schema, settings, limit: int) -> Report:
    from ..validate import tables

    if schema is None or not schema.filename:
        raise BadInput(
            "a table needs its CSVW schema",
            where="schema",
            hint="send the schema (csv-metadata.json) as the multipart field schema",
        )
    data = _read(table.stream, limit, table.filename)
    meta = _read(schema.stream, limit, schema.filename)
    territory = _territory_source(settings)
    if not settings.validate_timeout:
        return tables.validate_table(data, table.filename, meta, territory=territory)
    return worker.run(
        tables.validate_table,
        data,
        table.filename,
        meta,
        territory=territory,
        timeout=settings.validate_timeout,
    )


def _territory_source(settings) -> str | None:
    """The file of the territorial codelist this installation publishes (for RÚIAN links)."""
    from ..territory.dataset import current_source, default_source

    try:
        return str(current_source(services().store, settings))
    except LodError:  # the store cannot say: the shipped codelist
        return str(default_source())


# ----------------------------------------------------------------------------- preflight
def _respond(report: HarvestReport):
    """HTML for a browser, else the report as JSON."""
    if _wants_html():
        body = render_template("report.html", report=report)
        return Response(body, content_type="text/html; charset=utf-8")
    body = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    return Response(body, content_type="application/json; charset=utf-8")


@bp.get("/validate/harvest")
def harvest_form():
    return Response(
        render_template("report.html", report=None), content_type="text/html; charset=utf-8"
    )


@bp.post("/validate/harvest")
def harvest():
    """``url`` (form field, query parameter or JSON ``{"url": …}``), or a record document as
    the body (JSON-LD; its IRI is taken from the document)."""
    url = request.values.get("url", "").strip()
    body = request.get_data()
    if not url and request.is_json and isinstance(request.get_json(silent=True), dict):
        data = request.get_json()
        url = str(data.get("url", "")).strip() if set(data) == {"url"} else ""
    if url:
        if not url.startswith(("http://", "https://")):
            raise BadInput(f"not an http(s) URL: {url!r}", where="url")
        return _respond(check_any(url, own_fetcher()))
    if not body.strip():
        raise BadInput(
            "nothing to check",
            hint="POST url=<catalogue or record URL>, or a record (JSON-LD) as the body",
        )
    iri = _document_iri(body)
    answer = Answer(iri, 200, {"access-control-allow-origin": "*"}, body, local=True)
    return _respond(HarvestReport(iri, [], [check_record(own_fetcher(), iri, answer)]))


def _document_iri(body: bytes) -> str:
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadInput(
            "a posted record must be OFN JSON-LD with its iri",
            hint="or POST url=<the record's URL>",
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("iri"), str):
        raise BadInput("the posted record has no iri", hint='add "iri": "https://…"')
    return doc["iri"]


@bp.get("/datasets/<dataset_id>/check")
def check(dataset_id: str):
    """The preflight of a dataset published here: would NKOD keep it, do its URLs answer."""
    if not DATASET_ID.match(dataset_id):
        raise BadInput(f"invalid dataset id {dataset_id!r}")
    _dataset_graph(dataset_id)
    iri = services().iris.dataset(dataset_id)
    report = HarvestReport(iri, [], [check_record(own_fetcher(), iri)])
    return _respond(report)
