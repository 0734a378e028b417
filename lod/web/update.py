"""``/sparql/update``: SPARQL 1.1 Update over the SPARQL 1.1 Protocol, for token holders only.

Never on the public read path ``/sparql``. ``POST`` with ``application/x-www-form-urlencoded``
(``update=…``) or ``application/sparql-update`` (the update as the body, UTF-8);
``using-graph-uri`` and ``using-named-graph-uri`` act as ``USING``/``USING NAMED`` on every
``DELETE``/``INSERT … WHERE`` (an update that has its own ``USING`` or ``WITH`` is refused with
them, as the protocol requires). Relative IRIs resolve against the endpoint's URL. Success
answers ``204 No Content``; the write goes through the store (one writer at a time, readers
never blocked: they read the last checkpoint until the new one is made).

Authorisation (``authorize``, shared with the Graph Store Protocol): ``Authorization: Bearer
<token>`` with a token made by ``lod token create``. No token at all on this installation: the
write API is disabled and answers 404. A missing or unknown (or revoked) token: 401 with
``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, make_response, request

from ..errors import BadInput, LodError, NotFound
from ..store import QuerySyntaxError
from ..tokens import Tokens
from .errors import render
from .http import services

bp = Blueprint("update", __name__)

WRITE_METHODS = "POST, OPTIONS"
_TOKENS: dict[str, Tokens] = {}


class UnsupportedMediaType(LodError):
    status = 415


def tokens() -> Tokens:
    home = str(services().settings.home_path)
    if home not in _TOKENS:
        _TOKENS[home] = Tokens(services().settings.home_path)
    return _TOKENS[home]


def authorize() -> Response | None:
    """None if the request carries a valid bearer token; else the response to send."""
    if request.method == "OPTIONS":  # CORS preflight: browsers send no credentials
        return None
    known = tokens()
    if not known.enabled:
        raise NotFound(
            "the write API is disabled on this installation",
            hint="an administrator enables it by creating a token: lod token create NAME",
        )
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _unauthorized(
            "this operation needs a bearer token",
            'Bearer realm="lod"',
            "send Authorization: Bearer <token>",
        )
    if known.check(value.strip()) is None:
        return _unauthorized(
            "the bearer token is not valid (unknown or revoked)",
            'Bearer realm="lod", error="invalid_token"',
            "ask the administrator for a token (lod token create NAME)",
        )
    return None


def _unauthorized(message: str, challenge: str, hint: str) -> Response:
    response = make_response(render(401, {"error": message, "hint": hint}))
    response.headers["WWW-Authenticate"] = challenge
    return response


@bp.before_request
def _check_token():
    return authorize()


@bp.after_request
def _methods(response: Response) -> Response:
    response.headers["Access-Control-Allow-Methods"] = WRITE_METHODS
    return response


@bp.route("/sparql/update", methods=["POST"])
def update():
    text, using, using_named = _update_from_request()
    svc = services()
    if using or using_named:
        text = with_protocol_dataset(text, using, using_named)
    try:
        svc.store.update(f"BASE <{svc.iris.sparql_update}>\n{text}")
    except QuerySyntaxError as exc:
        raise BadInput(
            f"update syntax error: {_shift_lines(str(exc))}",
            where="update",
            hint="fix the update at the position given",
        ) from None
    return Response(status=204)


def _shift_lines(message: str) -> str:
    """Positions in the user's text (the BASE line lod adds comes first)."""
    return re.sub(
        r"\b(\d+):(\d+)\b",
        lambda m: f"{max(1, int(m.group(1)) - 1)}:{m.group(2)}",
        message,
        count=1,
    )


def _update_from_request() -> tuple[str, list[str], list[str]]:
    ctype = (request.mimetype or "").lower()
    if ctype == "application/x-www-form-urlencoded":
        params = request.form
        updates = params.getlist("update")
        if len(updates) != 1:
            raise BadInput(
                "send exactly one update parameter", hint="update=INSERT DATA { … } (form)"
            )
        return (
            updates[0],
            params.getlist("using-graph-uri"),
            params.getlist("using-named-graph-uri"),
        )
    if ctype == "application/sparql-update":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {charset} is not supported", hint="send UTF-8")
        try:
            body = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput("the update is not valid UTF-8") from None
        return (
            body,
            request.args.getlist("using-graph-uri"),
            request.args.getlist("using-named-graph-uri"),
        )
    raise UnsupportedMediaType(
        f"unsupported Content-Type {request.mimetype or '(none)'}",
        hint="POST application/x-www-form-urlencoded (update=…) or application/sparql-update",
    )


# ---------------------------------------------------------------- the protocol's dataset
# A scanner, not a parser: it skips comments, strings and IRIs, follows braces, and finds the
# bare keywords at the top level of each operation (operations end at a top-level ';').
_TOKEN = re.compile(
    r"""
      (?P<skip>
          \#[^\n\r]*
        | '''(?:[^'\\]|\\.|'(?!''))*'''
        | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '(?:[^'\\\n\r]|\\.)*'
        | "(?:[^"\\\n\r]|\\.)*"
        | <[^<>"{}|^`\\\x00-\x20]*>
      )
    | (?P<open>\{) | (?P<close>\}) | (?P<semi>;)
    | (?<![\w:?$@\-.])(?P<word>[A-Za-z]+)(?![\w:\-])
    """,
    re.VERBOSE | re.DOTALL,
)


def _operations(text: str) -> list[dict]:
    """Per top-level operation: its bare words (word, start, end) and its top-level groups."""
    ops: list[dict] = [{"words": [], "groups": []}]
    depth, opened = 0, 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            if depth == 0:
                opened = m.start()
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
            if depth == 0:
                ops[-1]["groups"].append((opened, m.end()))
        elif depth == 0 and kind == "semi":
            ops.append({"words": [], "groups": []})
        elif depth == 0 and kind == "word":
            ops[-1]["words"].append((m.group("word").upper(), m.start(), m.end()))
    return ops


def with_protocol_dataset(text: str, using: list[str], using_named: list[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses for the protocol's dataset added to
    every operation with a WHERE clause (``DELETE WHERE { P }`` becomes
    ``DELETE { P } USING … WHERE { P }``, which means the same)."""
    for iri in (*using, *using_named):
        if not re.fullmatch(r"[^<>\"{}|^`\\\x00-\x20]+", iri) or ":" not in iri:
            raise BadInput(f"not an absolute IRI: {iri!r}", where="using-graph-uri")
    clause = " ".join(
        [f"USING <{iri}>" for iri in using] + [f"USING NAMED <{iri}>" for iri in using_named]
    )
    edits: list[tuple[int, int, str]] = []
    for op in _operations(text):
        words = [w for w in op["words"] if w[0] not in ("BASE", "PREFIX")]
        names = [w[0] for w in words]
        if "USING" in names or "WITH" in names:
            raise BadInput(
                "the update names its dataset (USING or WITH) and the request does too "
                "(using-graph-uri / using-named-graph-uri)",
                hint="give the dataset in one place only",
            )
        if not names or names[0] not in ("INSERT", "DELETE") or names[1:2] == ["DATA"]:
            continue
        where = next((w for w in words if w[0] == "WHERE"), None)
        if where is None:
            continue
        if names[:2] == ["DELETE", "WHERE"]:
            group = next((g for g in op["groups"] if g[0] >= where[2]), None)
            if group is None:
                continue
            pattern = text[group[0] : group[1]]
            edits.append((where[1], group[1], f"{pattern} {clause} WHERE {pattern}"))
        else:
            edits.append((where[1], where[1], f"{clause} "))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text
