"""One error shape: every error is HTML for a browser and the same JSON object for machines."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import LodError


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]
    )


def render(status: int, data: dict):
    data = {**data, "status": status}
    if _wants_html():
        body = render_template("error.html", error=data)
        return body, status, {"Content-Type": "text/html; charset=utf-8"}
    response = jsonify(data)
    response.status_code = status
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(LodError)
    def lod_error(exc: LodError):
        return render(exc.status, exc.as_dict())

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        response = render(exc.code or 500, {"error": exc.description or exc.name})
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            if isinstance(response, tuple):
                body, status, headers = response
                headers["Allow"] = ", ".join(exc.valid_methods)
                return body, status, headers
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response
