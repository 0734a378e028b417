"""Locating the metadata of a CSV file (https://www.w3.org/TR/tabular-data-model/#locating-metadata).

Order: user metadata (the caller's), a `Link: <...>; rel="describedby"` header, the site-wide
locations (``{+url}-metadata.json``, ``csv-metadata.json``), else the embedded metadata (the
header row alone). A found document is used only if it describes the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from uritemplate import URITemplate

from .metadata import CSVW_CONTEXT

DEFAULT_LOCATIONS = ("{+url}-metadata.json", "csv-metadata.json")
_LINK = re.compile(r"<([^>]*)>\s*;([^,]*)")

Fetch = Callable[[str], "dict | None"]  # JSON at a URL, or None when there is none


def describes(doc: dict, url: str, base: str) -> bool:
    tables = doc.get("tables") if isinstance(doc.get("tables"), list) else [doc]
    return any(
        isinstance(t, dict) and isinstance(t.get("url"), str) and urljoin(base, t["url"]) == url
        for t in tables
    )


def locate_metadata(
    csv_url: str,
    fetch: Fetch,
    *,
    link_header: str | None = None,
    locations: tuple[str, ...] = DEFAULT_LOCATIONS,
) -> tuple[dict, str]:
    """(metadata document, its URL) for the CSV at `csv_url`."""
    if link_header:
        for target, params in _LINK.findall(link_header):
            if re.search(r'rel\s*=\s*"?describedby"?', params):
                url = urljoin(csv_url, target)
                doc = fetch(url)
                if isinstance(doc, dict) and describes(doc, csv_url, url):
                    return doc, url
    for location in locations:
        url = urljoin(csv_url, URITemplate(location).expand(url=csv_url))
        doc = fetch(url)
        if isinstance(doc, dict) and describes(doc, csv_url, url):
            return doc, url
    return embedded_metadata(csv_url), csv_url


def embedded_metadata(csv_url: str) -> dict:
    """Metadata with no schema: the columns come from the header row."""
    return {"@context": CSVW_CONTEXT, "url": csv_url}
