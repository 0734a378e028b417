"""Where a conversion reads the URLs it meets: local files only, never the network.

A `Files` maps URL prefixes to local folders (``--map http://example.org/data/=./data``) and
pins single URLs to files (``--url``); ``file:`` URLs are local paths. A local file inside a
mapped folder stands for the URL under that prefix. A URL's query counts when looking for a
metadata document (``t.csv?x-metadata.json`` is not ``t.csv``) but not when reading a table,
as a static web server would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from lod.errors import BadInput

from .locate import DEFAULT_LOCATIONS

WELL_KNOWN = "/.well-known/csvm"


class Files:
    def __init__(self, maps: Iterable[tuple[str, Path]] = ()):
        self.maps = sorted(((p, Path(d)) for p, d in maps), key=lambda m: -len(m[0]))
        self.pinned: dict[str, Path] = {}

    def beside(self, url: str, path: Path) -> None:
        """Files beside `path` stand for the URLs beside `url` (after the explicit maps)."""
        prefix = url.split("#")[0].split("?")[0].rsplit("/", 1)[0] + "/"
        if urlsplit(prefix).scheme not in ("", "file") and "://" in prefix:
            self.maps.append((prefix, Path(path).parent))

    def pin(self, url: str, path: Path) -> None:
        """`url` is read from `path` (the table a user gave with --url)."""
        self.pinned[url.split("#")[0]] = Path(path)

    def local(self, url: str, *, query: bool = False) -> Path | None:
        """The local file standing for `url` (it may not exist), or None (not local)."""
        url = url.split("#")[0]
        if url in self.pinned:
            return self.pinned[url]
        if not query:
            bare = url.split("?")[0]
            if bare in self.pinned:
                return self.pinned[bare]
        for prefix, folder in self.maps:
            if url.startswith(prefix):
                rel = url[len(prefix) :]
                if not query:
                    rel = rel.split("?")[0]
                path = folder / unquote(rel)
                root = folder.resolve()
                if path.resolve() != root and root not in path.resolve().parents:
                    return None  # "../" out of the mapped folder
                return path
        parts = urlsplit(url)
        if parts.scheme == "file":
            return Path(unquote(parts.path))
        if parts.scheme in ("", None) or len(parts.scheme) == 1:  # relative, or C:\...
            return Path(url)
        return None

    def url_of(self, path: Path) -> str:
        """The URL a local file stands for: under a mapped prefix, else its file: URL."""
        resolved = Path(path).resolve()
        for prefix, folder in self.maps:
            root = folder.resolve()
            if root in resolved.parents:
                return prefix + quote(resolved.relative_to(root).as_posix())
        return resolved.as_uri()

    def table(self, url: str) -> Path:
        """The local file of a table; BadInput when there is none."""
        path = self.local(url)
        if path is None:
            raise BadInput(
                f"cannot read the table at {url}: only local files are read",
                where=url,
                hint="download the CSV, or map the URL to a folder: --map PREFIX=DIR",
            )
        if not path.is_file():
            raise BadInput(
                f"no such file: {path}",
                where=url,
                hint="check the table's url in the metadata, or --map/--url",
            )
        return path

    def find_json(self, url: str) -> dict | None:
        """The JSON object at `url`, or None when there is none (like an HTTP 404)."""
        path = self.local(url, query=True)
        if path is None or not path.is_file():
            return None
        return self._parse(path, url)

    def load_json(self, url: str) -> dict:
        """The JSON at `url` (a linked schema or dialect); BadInput when unreadable."""
        path = self.local(url, query=True)
        if path is None or not path.is_file():
            raise BadInput(
                f"cannot load {url}: no such local file",
                where=url,
                hint="check the link in the metadata, or map its URL to a folder (--map)",
            )
        return self._parse(path, url)

    def _parse(self, path: Path, url: str):
        try:
            return json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as e:
            raise BadInput(f"cannot read {path}: {e}", where=url) from e
        except json.JSONDecodeError as e:
            raise BadInput(
                f"invalid JSON: {e.msg}",
                where=f"{path}:{e.lineno}:{e.colno}",
                hint="fix the JSON syntax of the metadata",
            ) from None

    def locations(self, csv_url: str) -> tuple[str, ...]:
        """Site-wide metadata locations: the lines of the host's /.well-known/csvm if it is
        mapped to a local file, else the spec's defaults."""
        parts = urlsplit(csv_url)
        if parts.scheme in ("http", "https") and parts.netloc:
            path = self.local(urljoin(csv_url, WELL_KNOWN), query=True)
            if path is not None and path.is_file():
                text = path.read_text(encoding="utf-8-sig")
                lines = tuple(line.strip() for line in text.splitlines() if line.strip())
                if lines:
                    return lines
        return DEFAULT_LOCATIONS
