"""``lod demo``: publish the bundled real Czech datasets, so a newcomer sees a full catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from . import resources
from .publish import ingest, refresh_catalog
from .store import open_store
from .territory.dataset import update as update_territory


def manifest() -> list[dict]:
    return yaml.safe_load(resources.demo("demo.yaml").read_text(encoding="utf-8"))


def load_demo(settings) -> Iterator[str]:
    """Load the territorial codelist, then ingest every demo dataset (again, if already
    there); yields one line per dataset."""
    store = open_store(settings)
    try:
        refresh_catalog(store, settings)
        territory = update_territory(store, settings).published
        yield f"published {territory.iri} ({territory.rows} obce, {territory.triples} triples)"
        for entry in manifest():
            result = ingest(
                store,
                settings,
                resources.demo("data") / entry["table"],
                entry["id"],
                resources.demo("records") / entry["record"],
            )
            linked = ", ".join(repr(line.split("'")[1]) for line in result.links)
            yield (
                f"published {result.iri} ({result.size}"
                + (f"; linked to RÚIAN: {linked})" if linked else ")")
            )
    finally:
        store.close()
