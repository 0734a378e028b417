"""Locating the metadata of a CSV file (https://www.w3.org/TR/tabular-data-model/#locating-metadata).

Order: user metadata (the caller's), a `Link: <...>; rel="describedby"` header, the site-wide
locations (``{+url}-metadata.json``, ``csv-metadata.json``), else the embedded metadata (the
header row alone). A found document is used only if it describes the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from lod.errors import BadInput

from .metadata import CSVW_CONTEXT

DEFAULT_LOCATIONS = ("{+url}-metadata.json", "csv-metadata.json")
_LINK = re.compile(r"<([^>]*)>\s*;([^,]*)")

Fetch = Callable[[str], "dict | None"]  # JSON at a URL, or None when there is none


def describes(doc: dict, url: str, base: str) -> bool:
    base = _base(doc, base)
    tables = doc.get("tables") if isinstance(doc.get("tables"), list) else [doc]
    return any(
        isinstance(t, dict) and isinstance(t.get("url"), str) and urljoin(base, t["url"]) == url
        for t in tables
    )


def _base(doc: dict, base: str) -> str:
    ctx = doc.get("@context")
    if isinstance(ctx, list) and len(ctx) > 1 and isinstance(ctx[1], dict):
        if isinstance(ctx[1].get("@base"), str):
            return urljoin(base, ctx[1]["@base"])
    return base


def locate_metadata(
    csv_url: str,
    fetch: Fetch,
    *,
    link_header: str | None = None,
    locations: tuple[str, ...] = DEFAULT_LOCATIONS,
    warnings: list[str] | None = None,
) -> tuple[dict, str]:
    """(metadata document, its URL) for the CSV at `csv_url`. A document found that does not
    describe the file is skipped with a warning."""
    from uritemplate import URITemplate  # here: `lod convert --metadata` does without it

    warnings = warnings if warnings is not None else []
    candidates = []
    if link_header:
        for target, params in _LINK.findall(link_header):
            if re.search(r'rel\s*=\s*"?describedby"?', params):
                candidates.append(("the Link header", urljoin(csv_url, target)))
    for location in locations:
        expanded = URITemplate(location).expand(url=csv_url)
        candidates.append((f"the location {location}", urljoin(csv_url, expanded)))
    for source, url in candidates:
        try:
            doc = fetch(url)
        except BadInput as e:
            warnings.append(f"{url}: metadata found through {source} is unreadable ({e.message})")
            continue
        if doc is None:
            continue
        if isinstance(doc, dict) and describes(doc, csv_url, url):
            return doc, url
        warnings.append(
            f"{url}: metadata found through {source} does not describe {csv_url}; ignored"
        )
    return embedded_metadata(csv_url), csv_url


def embedded_metadata(csv_url: str) -> dict:
    """Metadata with no schema: the columns come from the header row."""
    return {"@context": CSVW_CONTEXT, "url": csv_url}
