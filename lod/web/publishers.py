"""One catalogue per publisher: ``/publishers/<ičo>/catalog`` lists only that publisher's
datasets (NKOD takes a catalogue's publisher from the data box that registers it), in the same
forms as ``/catalog``; ``/publishers/<ičo>/nkod-registration`` is the JSON-LD to send to NKOD."""

from __future__ import annotations

import json

from flask import Blueprint

from ..catalog import pages, publishers
from ..errors import NotFound
from ..formats import BY_NAME
from .catalog import catalog_response
from .http import respond, services

bp = Blueprint("publishers", __name__)


def _publisher(ico: str) -> publishers.Publisher:
    found = publishers.by_ico(services().settings, ico)
    if found is None:
        known = ", ".join(p.ico for p in publishers.all_publishers(services().settings) if p.ico)
        raise NotFound(f"no publisher {ico!r} here", hint=f"publishers: {known}")
    return found


@bp.get("/publishers/<ico>/catalog")
@bp.get("/publishers/<ico>/catalog.<suffix>")
def catalog(ico: str, suffix: str | None = None):
    svc = services()
    publisher = _publisher(ico)
    iri = publishers.catalog_iri(svc.settings, publisher)
    description = publishers.catalog_description(svc.settings, publisher, iri)
    datasets = pages.publisher_datasets(svc.store, svc.settings, publisher.iri)
    return catalog_response(description, datasets, suffix)


@bp.get("/publishers/<ico>/nkod-registration")
def registration(ico: str):
    doc = publishers.registration(services().settings, _publisher(ico))
    return respond(BY_NAME["jsonld"], json.dumps(doc, ensure_ascii=False, indent=2), vary=False)
