"""The harvest preflight as a service: ``POST /validate`` with a catalogue or record URL (or a
record document) answers the report NKOD's harvester would give, in JSON or HTML;
``/datasets/<id>/check`` runs it on a dataset published here. lod's own URLs are checked
in-process (the Flask app answers them), so a check never depends on how the server is reached.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template, request

from ..errors import BadInput
from ..fetch import Answer, Fetcher
from ..harvest import HarvestReport, check_any, check_record
from ..iris import DATASET_ID
from .catalog import _dataset_graph
from .errors import _wants_html
from .http import services

bp = Blueprint("validate", __name__)


def own_fetcher() -> Fetcher:
    """Fetches lod's own IRIs from this application, anything else over the network."""
    return Fetcher({services().settings.base + "/": current_app._get_current_object()})


def _respond(report: HarvestReport):
    """HTML for a browser, else the report as JSON."""
    if _wants_html():
        body = render_template("report.html", report=report)
        return Response(body, content_type="text/html; charset=utf-8")
    body = json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
    return Response(body, content_type="application/json; charset=utf-8")


@bp.get("/validate")
def form():
    return Response(
        render_template("report.html", report=None), content_type="text/html; charset=utf-8"
    )


@bp.post("/validate")
def validate():
    """``url`` (form field, query parameter or JSON ``{"url": …}``), or a record document as
    the body (JSON-LD or Turtle; its IRI is taken from the document)."""
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
            hint="POST url=<catalogue or record URL>, or a record (JSON-LD or Turtle) as the body",
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
