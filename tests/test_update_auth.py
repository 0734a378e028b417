"""Writes only with authority: SPARQL 1.1 Update at /sparql/update and the bearer tokens.

The W3C protocol manifest's update tests (the 14 whose requests carry updates) run against
`lod serve` on loopback with a token; their ASK checks go to the public /sparql. Then the
authorisation rules: no token configured (404), no token sent or a wrong or revoked one (401
with WWW-Authenticate: Bearer), the public /sparql never updating, and the `lod token` commands.

Named exceptions: none.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time

import pytest
import requests

from lod.tokens import Tokens
from lod.web.update import with_protocol_dataset

from .conftest import reference
from .test_gsp import Request, load, lod, run, start_server

PROTOCOL = reference("sparql11-tests", "sparql11", "protocol", "manifest.ttl")
UPDATE_TESTS = [
    t
    for t in load(PROTOCOL)
    if t.name.startswith(("update_", "bad_update", "bad_multiple_updates"))
]
EXCEPTIONS: dict[str, str] = {}


def protocol_route(req: Request) -> str:
    """The manifest's /sparql/ is our /sparql/update for updates and /sparql for queries."""
    assert req.path.startswith("/sparql/"), req.path
    query_string = req.path[len("/sparql/") :]
    body = (req.body or "").lstrip()
    is_query = req.headers.get("content-type", "").startswith(
        "application/sparql-query"
    ) or body.startswith(("ASK", "SELECT", "query="))
    return ("/sparql" if is_query else "/sparql/update") + query_string


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    yield from start_server(tmp_path_factory.mktemp("update"))


def test_the_update_tests_are_all_here():
    assert len(UPDATE_TESTS) == 14


@pytest.mark.slow
@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.name for t in UPDATE_TESTS])
def test_w3c_protocol_updates(live, test):
    if test.name in EXCEPTIONS:
        pytest.xfail(EXCEPTIONS[test.name])
    problems = run(live.url, test, protocol_route, live.token)
    assert problems == [], f"{test.title}:\n" + "\n".join(problems)


# ---------------------------------------------------------------------------- authorisation
UPDATE = {"update": "INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"}


def test_without_any_token_the_write_api_is_disabled(client):
    for response in (
        client.post("/sparql/update", data=UPDATE),
        client.get("/graph-store?default"),
        client.put("/graph-store?graph=http://example.org/g", data=b"", content_type="text/turtle"),
    ):
        assert response.status_code == 404
        assert "lod token create" in response.get_json()["hint"]


def test_a_valid_token_is_needed(client, settings, store):
    tokens = Tokens(settings.home_path)
    good = tokens.create("steward")
    missing = client.post("/sparql/update", data=UPDATE)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    for wrong in ("Bearer " + good[:-1] + "x", "Basic " + good, "Bearer", good):
        response = client.post("/sparql/update", data=UPDATE, headers={"Authorization": wrong})
        assert response.status_code == 401, wrong
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    gsp = client.get("/graph-store?default", headers={"Authorization": "Bearer nope"})
    assert gsp.status_code == 401
    assert 'error="invalid_token"' in gsp.headers["WWW-Authenticate"]
    ok = client.post("/sparql/update", data=UPDATE, headers={"Authorization": f"Bearer {good}"})
    assert ok.status_code == 204
    assert store.query("ASK { <http://example.org/s> <http://example.org/p> 1 }").boolean
    # revoked: refused at once, by the same running app
    tokens.revoke("steward")
    tokens.create("other")
    again = client.post("/sparql/update", data=UPDATE, headers={"Authorization": f"Bearer {good}"})
    assert again.status_code == 401


def test_the_public_endpoint_never_updates(client, settings, store):
    token = Tokens(settings.home_path).create("steward")
    auth = {"Authorization": f"Bearer {token}"}
    form = client.post("/sparql", data=UPDATE, headers=auth)
    direct = client.post(
        "/sparql",
        data=UPDATE["update"],
        headers={**auth, "Content-Type": "application/sparql-update"},
    )
    assert form.status_code in (400, 403, 405, 415) and direct.status_code in (400, 403, 405, 415)
    assert not store.query("ASK { <http://example.org/s> ?p ?o }").boolean


def test_cors_preflight_needs_no_token(client, settings):
    Tokens(settings.home_path).create("steward")
    response = client.options("/graph-store?default")
    assert response.status_code == 200
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_syntax_errors_name_the_position_in_the_users_text(client, settings):
    token = Tokens(settings.home_path).create("steward")
    response = client.post(
        "/sparql/update",
        data={"update": "INSERT DATA {\n  <http://example.org/s> <http://example.org/p> }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "2:" in response.get_json()["error"]  # line 2 of what was sent


def test_protocol_dataset_becomes_using_clauses():
    text = (
        "PREFIX ex: <http://example.org/> # where { comment\n"
        'INSERT { ?s ex:p "WHERE;{" } WHERE { ?s ?p ?o } ;\n'
        "DELETE WHERE { GRAPH ?g { ?s ex:old ?o } } ;\n"
        "INSERT DATA { ex:a ex:b ex:c }"
    )
    out = with_protocol_dataset(text, ["http://example.org/d"], ["http://example.org/n"])
    using = "USING <http://example.org/d> USING NAMED <http://example.org/n>"
    assert f'INSERT {{ ?s ex:p "WHERE;{{" }} {using} WHERE {{ ?s ?p ?o }}' in out
    assert (
        f"DELETE {{ GRAPH ?g {{ ?s ex:old ?o }} }} {using} WHERE {{ GRAPH ?g {{ ?s ex:old ?o }} }}"
        in out
    )
    assert "INSERT DATA { ex:a ex:b ex:c }" in out and out.count("USING <") == 2


# ---------------------------------------------------------------------------- live behaviour
@pytest.mark.slow
def test_revoked_token_stops_working_on_a_running_server(live):
    made = lod(live.env, "token", "create", "short-lived")
    token = made.stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    ok = requests.post(
        live.url + "/sparql/update", data={"update": "CLEAR SILENT DEFAULT"}, headers=auth
    )
    assert ok.status_code == 204
    assert lod(live.env, "token", "revoke", "short-lived").returncode == 0
    refused = requests.post(
        live.url + "/sparql/update", data={"update": "CLEAR SILENT DEFAULT"}, headers=auth
    )
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.slow
def test_a_waiting_writer_does_not_block_readers(live):
    """While another writer holds the store's lock, an update waits and queries answer."""
    auth = {"Authorization": f"Bearer {live.token}"}
    lock_path = f"{live.env['LOD_HOME']}/store/lock"
    result: dict = {}

    def write():
        result["response"] = requests.post(
            live.url + "/sparql/update",
            data={"update": "INSERT DATA { <http://example.org/w> <http://example.org/p> 1 }"},
            headers=auth,
            timeout=60,
        )

    with open(lock_path, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another writer (e.g. `lod ingest`) is busy
        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(0.5)
        started = time.monotonic()
        read = requests.get(
            live.url + "/sparql",
            params={"query": "ASK { <http://example.org/w> ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        )
        assert time.monotonic() - started < 5
        assert read.json()["boolean"] is False  # the write has not happened yet
        assert "response" not in result
        fcntl.flock(lock, fcntl.LOCK_UN)
    writer.join(timeout=60)
    assert result["response"].status_code == 204
    after = requests.get(
        live.url + "/sparql",
        params={"query": "ASK { <http://example.org/w> ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    assert after.json()["boolean"] is True


# ---------------------------------------------------------------------------- lod token
def test_token_commands(tmp_path):
    env = {"LOD_HOME": str(tmp_path / "home"), "LOD_CONFIG": str(tmp_path / "none.toml")}
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("LOD_")}, **env}
    made = lod(env, "token", "create", "harvest-bot")
    assert made.returncode == 0
    token = made.stdout.strip()
    assert token.startswith("lod_") and len(token) > 40
    assert "shown only now" in made.stderr
    stored = (tmp_path / "home" / "tokens.json").read_text()
    assert token not in stored  # only a hash is kept
    assert json.loads(stored)["tokens"][0]["name"] == "harvest-bot"
    assert (tmp_path / "home" / "tokens.json").stat().st_mode & 0o077 == 0
    listed = lod(env, "token", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("harvest-bot\t")
    assert token not in listed.stdout
    twice = lod(env, "token", "create", "harvest-bot")
    assert twice.returncode == 2 and "exists already" in twice.stderr
    bad = lod(env, "token", "create", "no spaces")
    assert bad.returncode == 2
    assert Tokens(tmp_path / "home").check(token) is not None
    assert lod(env, "token", "revoke", "harvest-bot").returncode == 0
    assert Tokens(tmp_path / "home").check(token) is None
    gone = lod(env, "token", "revoke", "harvest-bot")
    assert gone.returncode == 2 and "lod token list" in gone.stderr
