"""Fetching catalogue documents and checking URLs the way NKOD's harvester does.

``User-Agent: nkod/0.0.1``, a 60 s timeout, redirects followed (../shared/notes/
nkod-and-dcat-ap-cz.md §2.2). A public IRI prefix may be served from somewhere else
(``mapping``): another URL (a staging server), a local folder (a catalogue on disk), or lod's own
Flask application, answered in-process through its test client, so lod checks its own catalogue
without a network. ``offline`` leaves every other URL unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

from .errors import BadInput

USER_AGENT = "nkod/0.0.1"
ACCEPT = "application/ld+json, text/turtle;q=0.9, */*;q=0.1"
TIMEOUT = 60


@dataclass
class Answer:
    url: str
    status: int  # 0: not checked (offline); -1: no answer (connection error, timeout)
    headers: dict
    content: bytes = b""
    error: str = ""
    local: bool = False  # read from a folder: no HTTP headers to check

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def cors(self) -> bool:
        return self.headers.get("access-control-allow-origin") == "*"


class Fetcher:
    """GET and HEAD like NKOD; ``mapping``: public prefix -> URL, folder or Flask app."""

    def __init__(self, mapping: dict | None = None, *, offline: bool = False):
        self.mapping = dict(mapping or {})
        self.offline = offline
        self.session = requests.Session()
        self.session.headers.update({"Accept": ACCEPT, "User-Agent": USER_AGENT})

    def _target(self, url: str):
        for prefix, target in sorted(self.mapping.items(), key=lambda kv: -len(kv[0])):
            if url.startswith(prefix):
                return target, url[len(prefix) :]
        return None, url

    def get(self, url: str) -> Answer:
        return self._request("GET", url)

    def head(self, url: str) -> Answer:
        return self._request("HEAD", url)

    def _request(self, method: str, url: str) -> Answer:
        target, rest = self._target(url)
        if target is None:
            if self.offline:
                return Answer(url, 0, {}, error="not checked (offline)")
            return self._http(method, url, url)
        if hasattr(target, "test_client"):
            return self._app(method, url, target)
        if isinstance(target, Path) or not str(target).startswith(("http://", "https://")):
            return self._file(url, Path(target), rest)
        return self._http(method, url, str(target) + rest)

    def _http(self, method: str, url: str, address: str) -> Answer:
        try:
            response = self.session.request(method, address, timeout=TIMEOUT, allow_redirects=True)
        except requests.RequestException as exc:
            return Answer(url, -1, {}, error=f"no answer: {type(exc).__name__}: {exc}")
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Answer(url, response.status_code, headers, response.content)

    def _app(self, method: str, url: str, app) -> Answer:
        parts = urlsplit(url)
        path = parts.path or "/"
        with app.test_client() as client:
            response = client.open(
                path,
                method=method,
                query_string=parts.query,
                headers={"Accept": ACCEPT, "User-Agent": USER_AGENT},
                follow_redirects=True,
            )
            headers = {k.lower(): v for k, v in response.headers.items()}
            content = response.get_data() if method == "GET" else b""
            status = response.status_code
            response.close()
        return Answer(url, status, headers, content)

    def _file(self, url: str, folder: Path, rest: str) -> Answer:
        path = folder / unquote(rest.split("?", 1)[0].split("#", 1)[0])
        if not path.is_file():
            return Answer(url, 404, {}, error=f"no file {path}", local=True)
        return Answer(url, 200, {}, path.read_bytes(), local=True)


def parse_mapping(items, *, option: str = "--map") -> dict[str, str | Path]:
    """``PREFIX=URL`` or ``PREFIX=FOLDER`` items of a command line."""
    mapping: dict[str, str | Path] = {}
    for item in items:
        prefix, sep, target = item.partition("=")
        if not sep or not prefix or not target:
            raise BadInput(
                f"{option} {item!r}: expected PREFIX=URL or PREFIX=FOLDER",
                hint=f"e.g. {option} https://data.example.cz=http://127.0.0.1:8000",
            )
        if target.startswith(("http://", "https://")):
            mapping[prefix] = target
        else:
            if not Path(target).is_dir():
                raise BadInput(f"{option} {item!r}: {target} is neither a URL nor a folder")
            mapping[prefix] = Path(target)
    return mapping
