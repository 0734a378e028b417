"""The Flask application factory."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from . import resources
from .iris import Iris
from .settings import Settings, load_settings
from .store import Store, open_store


@dataclass
class Services:
    settings: Settings
    store: Store
    iris: Iris


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask("lod", template_folder=str(resources.templates()), static_folder=None)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["lod"] = Services(settings, store or open_store(settings), Iris.of(settings))

    from .web import catalog, describe, errors, gsp, http, publishers, sparql, update, validate
    from .web import resources as resource_pages

    http.init_app(app)
    errors.init_app(app)
    app.register_blueprint(catalog.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(publishers.bp)
    app.register_blueprint(validate.bp)
    app.register_blueprint(describe.bp)  # VoID, service description, examples
    app.register_blueprint(update.bp)  # the write API: bearer tokens only
    app.register_blueprint(gsp.bp)
    from .web import accesslog, answer_cache, health, sparql_direct

    # GET /sparql answered before Flask: repeated ones from the cache, plain ones directly
    answer_cache.init_app(app, direct=sparql_direct.respond)
    accesslog.init_app(app)  # one JSON line per request on the lod.access logger (outside)
    app.register_blueprint(health.bp)  # /health: store reachable, counts
    app.register_blueprint(resource_pages.bp)  # last: it answers any other IRI under the base
    hops = int(settings.trusted_proxies)
    if hops > 0:  # the client's address as the proxies saw it, not the nearest proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
