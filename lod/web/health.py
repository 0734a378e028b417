"""``/health``: is the store reachable, and how much does it hold (JSON, for monitors and load
balancers). 200 when the store answers, 503 when it does not. Counting every triple can take
a while on a big store, so the counts are kept for ``COUNTS_TTL_S`` per process; reachability
is checked on every request (``ASK {}``). With the embedded store, ``sparql`` tells how many
query workers have started and how many answer from an in-memory copy of the store
(``lod.sparql.checkpoint``)."""

from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app, jsonify

from ..errors import LodError
from .http import services

bp = Blueprint("health", __name__)

COUNTS_TTL_S = 60
_counts: dict = {}
_lock = threading.Lock()


def _store_counts(store) -> dict:
    now = time.monotonic()
    with _lock:
        if _counts.get("store") is store and now - _counts["at"] < COUNTS_TTL_S:
            return _counts["values"]
    graphs = set(store.named_graphs())  # not a server's own graphs, nor staging graphs
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    triples = sum(int(row["n"]) for row in result.rows() if str(row.get("g")) in graphs)
    values = {"graphs": len(graphs), "triples": triples}
    with _lock:
        _counts.update(store=store, at=now, values=values)
    return values


@bp.get("/health")
def health():
    svc = services()
    store = svc.store
    kind = "remote" if svc.settings.store else "embedded"
    started = time.monotonic()
    body: dict = {"status": "ok", "store": {"kind": kind}}
    if svc.settings.store:
        body["store"]["endpoint"] = svc.settings.store
    try:
        store.query("ASK {}")
        body["store"]["reachable"] = True
        body["store"]["ms"] = round((time.monotonic() - started) * 1000, 1)
        body["store"].update(_store_counts(store))
        status = 200
    except (LodError, OSError) as exc:
        body["status"] = "error"
        body["store"].update(reachable=False, error=str(exc).splitlines()[0])
        status = 503
    engine = current_app.extensions.get("lod.sparql")
    if hasattr(engine, "status"):  # the worker pool's
        body["sparql"] = engine.status()
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
