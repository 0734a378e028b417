"""Cross-cutting HTTP behaviour: CORS on every response, content negotiation helpers."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from ..errors import NotAcceptable, NotFound
from ..formats import DOCUMENT_SUFFIXES, Format, negotiate

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length, Content-Disposition, Link, Vary",
    "Access-Control-Max-Age": "86400",
}
_CORS = [(name.lower(), name, value) for name, value in CORS_HEADERS.items()]


def services():
    return current_app.extensions["lod"]


def init_app(app: Flask) -> None:
    @app.after_request
    def cors(response: Response) -> Response:
        # one pass over the headers (setdefault would scan them once per name); those a view
        # set itself stay
        present = {name.lower() for name in response.headers.keys()}
        response.headers.extend((n, v) for key, n, v in _CORS if key not in present)
        return response


def split_suffix(name: str) -> tuple[str, Format | None]:
    """``"x.ttl"`` -> ``("x", turtle)``; a name without a known suffix is returned as is."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in DOCUMENT_SUFFIXES:
        return stem, DOCUMENT_SUFFIXES[suffix]
    return name, None


def suffix_format(suffix: str | None) -> Format | None:
    """The format of a route's ``.<suffix>`` part (None: no suffix); 404 for an unknown one."""
    if suffix is None:
        return None
    _, fmt = split_suffix("x." + suffix)
    if fmt is None:
        raise NotFound(f"unknown suffix .{suffix}")
    return fmt


def choose(candidates: tuple[Format, ...], default: Format, suffix: Format | None = None) -> Format:
    """The response format: the URL suffix if any, else ``?format=``, else ``Accept``."""
    if suffix is not None:
        return suffix
    wanted = request.args.get("format")
    if wanted:
        for fmt in candidates:
            if wanted in (fmt.name, fmt.suffix, fmt.media_type):
                return fmt
        raise NotAcceptable(
            f"format {wanted!r} is not offered here",
            hint="use one of " + ", ".join(f.name for f in candidates),
        )
    fmt = negotiate(request.accept_mimetypes, candidates, default)
    if fmt is None:
        raise NotAcceptable(
            f"none of the accepted media types ({request.headers.get('Accept')}) is offered",
            hint="accept one of " + ", ".join(f.media_type for f in candidates),
        )
    return fmt


def alternates(url: str, candidates: tuple[Format, ...]) -> str:
    """A ``Link`` header advertising the suffix forms of a document."""
    return ", ".join(
        f'<{url}.{fmt.suffix}>; rel="alternate"; type="{fmt.media_type}"' for fmt in candidates
    )


def respond(
    fmt: Format, body: bytes | str, *, vary: bool = True, link: str | None = None, status: int = 200
) -> Response:
    response = Response(body, status=status, content_type=fmt.content_type)
    if vary:
        response.headers["Vary"] = "Accept"
    if link:
        response.headers["Link"] = link
    return response
