"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (manifest-direct.ttl and
manifest-indirect.ttl: 13 tests), run against `lod serve` on loopback with a bearer token.

The manifests' ``/gsp`` is our ``/graph-store``; each test starts from an empty store (``DROP
ALL`` through the update endpoint). Responses are checked as the manifests say: the status (one
of the expected codes or classes), the expected response headers, and bodies by isomorphism.

Named exceptions: none.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib import Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from .conftest import BASE, reference
from .live import lod_serve

pytestmark = pytest.mark.slow

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = Namespace("http://www.w3.org/2011/content#")
STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
GSP = ("sparql11-tests", "sparql11", "graph-store-protocol")
EXCEPTIONS: dict[str, str] = {}  # test name -> why it cannot pass here (none)


# ---------------------------------------------------------------------------- the manifests
@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: list[str]  # expected: status names or classes (StatusCode2xx)
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str | None = None
    location_var: str | None = None
    boolean: bool | None = None


@dataclass
class ManifestTest:
    name: str
    title: str
    requests: list[Request]


def _headers(graph: rdflib.Graph, node) -> dict[str, str]:
    lst = graph.value(node, HT.headers)
    if lst is None:
        return {}
    return {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in Collection(graph, lst)
    }


def load(path: Path, names: set[str] | None = None) -> list[ManifestTest]:
    """The tests of a W3C HTTP manifest (``mf:entries`` order), optionally only ``names``."""
    graph = rdflib.Graph().parse(path, format="turtle")
    manifest = next(graph.subjects(MF.entries, None))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        if names is not None and name not in names:
            continue
        action = graph.value(entry, MF.action)
        requests_ = []
        for req in Collection(graph, graph.value(action, HT.requests)):
            resp = graph.value(req, HT.resp)
            body = graph.value(req, HT.body)
            rbody = graph.value(resp, HT.body)
            location = graph.value(resp, MF.expectedLocation)
            boolean = graph.value(resp, MF.expectedBoolean)
            requests_.append(
                Request(
                    method=str(graph.value(req, HT.methodName)),
                    path=str(graph.value(req, HT.absolutePath)),
                    headers=_headers(graph, req),
                    body=str(graph.value(body, CNT.chars)) if body is not None else None,
                    statuses=[
                        str(s).removeprefix(HTS) for s in graph.objects(resp, MF.expectedStatus)
                    ],
                    response_headers=_headers(graph, resp),
                    response_body=str(graph.value(rbody, CNT.chars)) if rbody is not None else None,
                    location_var=str(location) if location is not None else None,
                    boolean=bool(boolean.toPython()) if boolean is not None else None,
                )
            )
        tests.append(ManifestTest(name, str(graph.value(entry, MF.name)), requests_))
    return tests


def status_fits(code: int, expected: list[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and str(code).startswith(name[len("StatusCode")]):
            return True
        if STATUS.get(name) == code:
            return True
    return False


def _encoded(body: str, content_type: str) -> bytes:
    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset":
            charset = value.strip()
    return body.encode(charset)


def run(url: str, test: ManifestTest, route, token: str | None) -> list[str]:
    """Run a test's requests in order; the list of what went wrong (empty: passed).

    ``route(request) -> path`` maps a manifest path to ours."""
    problems: list[str] = []
    variables: dict[str, str] = {}
    for n, req in enumerate(test.requests, start=1):
        path = route(req)
        body = req.body
        for var, value in variables.items():
            path = path.replace(var, value)
            body = body.replace(var, value) if body is not None else None
        headers = dict(req.headers)
        if token:
            headers["authorization"] = f"Bearer {token}"
        data = _encoded(body, headers.get("content-type", "")) if body is not None else None
        response = requests.request(req.method, url + path, headers=headers, data=data, timeout=60)
        where = f"request {n} ({req.method} {path})"
        if not status_fits(response.status_code, req.statuses):
            problems.append(
                f"{where}: status {response.status_code}, expected {req.statuses}: "
                f"{response.text[:300]}"
            )
            continue
        for name, value in req.response_headers.items():
            if response.headers.get(name, "").lower().replace(" ", "") != value.lower().replace(
                " ", ""
            ):
                problems.append(
                    f"{where}: header {name}: {response.headers.get(name)!r} != {value!r}"
                )
        if req.location_var:
            if "Location" not in response.headers:
                problems.append(f"{where}: no Location header")
            else:
                variables[req.location_var] = response.headers["Location"]
        if req.response_body is not None:
            got = rdflib.Graph().parse(data=response.text, format="turtle")
            want = rdflib.Graph().parse(data=req.response_body, format="turtle")
            if not isomorphic(got, want):
                problems.append(
                    f"{where}: body differs:\n{response.text}\nexpected:\n{req.response_body}"
                )
        if req.boolean is not None:
            got_bool = response.json().get("boolean")
            if got_bool is not req.boolean:
                problems.append(f"{where}: boolean {got_bool}, expected {req.boolean}")
    return problems


# ---------------------------------------------------------------------------- a live server
def lod(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lod", *args], env=env, capture_output=True, text=True, timeout=120
    )


@dataclass
class Live:
    url: str
    env: dict
    token: str


def start_server(tmp: Path, *, token_name: str | None = "w3c"):
    """`lod serve` on a free loopback port over a fresh LOD_HOME (with a token, unless None);
    yields a ``Live``."""
    env = {
        **os.environ,
        "LOD_HOME": str(tmp / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp / "none.toml"),
    }
    env = {
        k: v
        for k, v in env.items()
        if not k.startswith("LOD_")
        or k in ("LOD_HOME", "LOD_BASE_URL", "LOD_CONFIG", "LOD_REFERENCE")
    }
    token = ""
    if token_name:
        made = lod(env, "token", "create", token_name)
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip()
    with lod_serve(env, tmp / "serve.log") as url:
        yield Live(url, env, token)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    yield from start_server(tmp_path_factory.mktemp("gsp"))


def gsp_route(req: Request) -> str:
    assert req.path.startswith("/gsp"), req.path
    return "/graph-store" + req.path[len("/gsp") :]


def empty_store(live: Live) -> None:
    response = requests.post(
        live.url + "/sparql/update",
        data={"update": "DROP ALL"},
        headers={"Authorization": f"Bearer {live.token}"},
        timeout=60,
    )
    assert response.status_code == 204, response.text


TESTS = [
    *load(reference(*GSP, "manifest-direct.ttl")),
    *load(reference(*GSP, "manifest-indirect.ttl")),
]


def test_the_suite_is_complete():
    assert len(TESTS) == 13


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_graph_store_protocol(live, test):
    if test.name in EXCEPTIONS:
        pytest.xfail(EXCEPTIONS[test.name])
    empty_store(live)
    problems = run(live.url, test, gsp_route, live.token)
    assert problems == [], f"{test.title}:\n" + "\n".join(problems)


def test_gsp_graphs_are_visible_to_sparql(live):
    """What the Graph Store Protocol writes, /sparql reads (named graphs and the union)."""
    empty_store(live)
    auth = {"Authorization": f"Bearer {live.token}"}
    graph = "http://example.org/g1"
    put = requests.put(
        live.url + "/graph-store",
        params={"graph": graph},
        data='<http://example.org/s> <http://example.org/p> "ž"@cs .'.encode(),
        headers={**auth, "Content-Type": "application/n-triples"},
        timeout=30,
    )
    assert put.status_code == 201
    answer = requests.get(
        live.url + "/sparql",
        params={"query": f'ASK {{ GRAPH <{graph}> {{ ?s ?p "ž"@cs }} }}'},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.json()["boolean"] is True
    # a body that does not parse is refused with the position, and nothing changes
    bad = requests.put(
        live.url + "/graph-store",
        params={"graph": graph},
        data=b"<http://example.org/s> <http://example.org/p> .",
        headers={**auth, "Content-Type": "text/turtle"},
        timeout=30,
    )
    assert bad.status_code == 400 and "body" in bad.json()["where"]
    unsupported = requests.put(
        live.url + "/graph-store",
        params={"graph": graph},
        data=b"x",
        headers={**auth, "Content-Type": "text/plain-nothing"},
        timeout=30,
    )
    assert unsupported.status_code == 415
    still = requests.get(
        live.url + "/graph-store", params={"graph": graph}, headers=auth, timeout=30
    )
    assert still.status_code == 200 and "ž" in still.text
    assert URIRef("http://example.org/s") in set(
        rdflib.Graph().parse(data=still.text, format="turtle").subjects()
    )
