"""The SPARQL query page, in a real headless browser (Chromium) and without JavaScript.

A `lod serve` on loopback with the demo data. Without JavaScript the page is a GET form: the
server runs the query and renders the table with links, and the download links answer in their
formats. With JavaScript (Chromium --dump-dom, after the page's own scripts ran) an example opened
by ``?example=NAME`` runs in place: the table is rendered by the script, from the endpoint's JSON
(SELECT) or N-Triples (CONSTRUCT), and the editor highlights the query. Chromium is required:
`make test` installs it (scripts/system-deps); a missing browser fails these tests.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from .test_gsp import lod, start_server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("page")
    for server in start_server(tmp, token_name=None):
        done = lod(server.env, "demo")
        assert done.returncode == 0, done.stderr
        yield server


def chromium(live_url: str, path: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    assert shutil.which(CHROMIUM), (
        "chromium is missing: make test installs it (scripts/system-deps: apt-get install chromium)"
    )
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--virtual-time-budget=15000",
            "--window-size=1280,900",
            *args,
            live_url + path,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def dom(live, path: str, tmp_path) -> str:
    done = chromium(live.url, path, tmp_path, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def table(page: str, rendered: str) -> list[list[str]]:
    """The cells (text) of the results table rendered by ``rendered`` (server or js)."""
    found = re.search(
        rf'<table class="sq-table" data-rendered="{rendered}">(.*?)</table>', page, re.S
    )
    assert found, f"no table rendered by {rendered}"
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)
        ]
        for r in rows
    ]


def examples(live) -> list[str]:
    page = requests.get(live.url + "/sparql", headers=BROWSER, timeout=30).text
    return re.findall(r'class="sq-example" href="/sparql\?example=([a-z-]+)"', page)


def test_without_javascript_the_form_runs_the_query(live):
    page = requests.get(live.url + "/sparql", headers=BROWSER, timeout=30)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert re.search(r'<form id="sq-form" method="get" action="/sparql"', page.text)
    assert 'name="query"' in page.text and 'lang="cs"' in page.text
    query = (
        "PREFIX uzemi: <https://w3id.org/lod-cz/uzemi#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?okres ?nazev WHERE { ?okres a uzemi:Okres ; skos:prefLabel ?nazev ;"
        " uzemi:kraj <https://linked.cuzk.cz/resource/ruian/vusc/86> } ORDER BY ?nazev"
    )
    shown = requests.get(live.url + "/sparql", params={"query": query}, headers=BROWSER, timeout=30)
    rows = table(shown.text, "server")
    assert rows[0] == ["okres", "nazev"]
    assert [r[1].split(" @")[0] for r in rows[1:]] == [
        "Hradec Králové",
        "Jičín",
        "Náchod",
        "Rychnov nad Kněžnou",
        "Trutnov",
    ]
    # IRIs are links to themselves
    assert '<a class="iri" href="https://linked.cuzk.cz/resource/ruian/okres/3602"' in shown.text
    # the query is in the page's URL and in every download link, each answering its format
    links = dict(re.findall(r'data-format="([a-z]+)" href="([^"]+)"', shown.text))
    share = re.search(r'<input id="sq-share" type="text" readonly value="([^"]+)"', shown.text)
    assert parse_qs(urlsplit(html.unescape(share.group(1))).query)["query"] == [query]
    for link in links.values():
        assert parse_qs(urlsplit(html.unescape(link)).query)["query"] == [query]
    for fmt, media in (
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
    ):
        answer = requests.get(live.url + html.unescape(links[fmt]), timeout=30)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(media), fmt
        assert "Trutnov" in answer.text
    assert {"ttl", "nt", "jsonld", "rdf", "nq", "trig"} <= set(links)
    # a CONSTRUCT's links: every graph format
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://linked.cuzk.cz/resource/ruian/okres/3610> AS ?s) ?s ?p ?o }"
    shown = requests.get(
        live.url + "/sparql", params={"query": construct}, headers=BROWSER, timeout=30
    )
    assert table(shown.text, "server")[0] == ["subject", "predicate", "object"]
    links = dict(re.findall(r'data-format="([a-z]+)" href="([^"]+)"', shown.text))
    for fmt, media in (
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nq", "application/n-quads"),
        ("trig", "application/trig"),
    ):
        answer = requests.get(live.url + html.unescape(links[fmt]), timeout=30)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(media), fmt
        assert "Trutnov" in answer.text, fmt


def test_an_example_link_fills_the_editor(live):
    for name in examples(live):
        page = requests.get(
            live.url + "/sparql", params={"example": name}, headers=BROWSER, timeout=30
        )
        editor = re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', page.text, re.S).group(1)
        hidden = re.search(
            rf'<textarea hidden class="sq-example-query" data-name="{name}">(.*?)</textarea>',
            page.text,
            re.S,
        ).group(1)
        assert editor == hidden and editor.strip()
        assert 'data-autorun="1"' in page.text
        assert 'data-rendered="server"' not in page.text  # not run without a click


def test_javascript_runs_an_example_in_place(live, tmp_path):
    names = examples(live)
    assert "soucet-po-uzemi" in names and "radky-po-uzemi" in names
    page = dom(live, "/sparql?example=radky-po-uzemi", tmp_path)
    rows = table(page, "js")
    query = html.unescape(
        re.search(
            r'class="sq-example-query" data-name="radky-po-uzemi">(.*?)</textarea>', page, re.S
        ).group(1)
    )
    expected = requests.get(
        live.url + "/sparql", params={"query": query}, headers=JSON, timeout=30
    ).json()
    assert rows[0] == expected["head"]["vars"]
    assert len(rows) - 1 == len(expected["results"]["bindings"]) > 0
    first = expected["results"]["bindings"][0]
    assert rows[1][3] == first["radku"]["value"]  # the numbers are the endpoint's
    assert "Královéhradecký kraj @cs" in {r[2] for r in rows[1:]}
    # highlighted editor: keywords and variables in their own spans
    assert '<span class="tk-kw">SELECT</span>' in page
    assert '<span class="tk-var">?uroven</span>' in page


def test_javascript_renders_a_graph_as_triples(live, tmp_path):
    page = dom(live, "/sparql?example=popis-obce", tmp_path)
    rows = table(page, "js")
    assert rows[0] == ["subject", "predicate", "object"]
    assert any(r[2] == "Hradec Králové @cs" for r in rows[1:])
    assert 'href="https://linked.cuzk.cz/resource/ruian/obec/569810"' in page
    iri = '<span class="tk-iri">&lt;https://linked.cuzk.cz/resource/ruian/obec/569810&gt;</span>'
    assert iri in page  # highlighted as one IRI


def test_screenshot(live, tmp_path):
    shot = tmp_path / "sparql.png"
    done = chromium(live.url, "/sparql?example=soucet-po-uzemi", tmp_path, f"--screenshot={shot}")
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000


def test_editor_functions_in_the_browser(tmp_path):
    """The editor's own functions, run by Chromium on a page with just its script."""
    from lod.app import create_app
    from lod.settings import load_settings
    from lod.sparql_examples import PREFIXES

    settings = load_settings(
        env={"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": "https://data.example.cz"},
        config_file=tmp_path / "none.toml",
    )
    editor = create_app(settings).jinja_env.get_template("sparql_editor.html").render()
    cases = {
        "missing": "SELECT * WHERE { ?d a dcat:Dataset ; dct:title ?t . ?d foo:bar ?x }",
        "declared": "PREFIX dct: <http://purl.org/dc/terms/>\nSELECT * { ?d dct:title ?t }",
        "hidden": 'SELECT * { ?s <http://x.org/skos:a> "dcat:no" } # rdfs:comment',
    }
    harness = tmp_path / "harness.html"
    harness.write_text(
        "<!doctype html><html><head><meta charset=utf-8>"
        + editor
        + "</head><body><pre id=out></pre><script>"
        + f"var known = {json.dumps(PREFIXES)}, cases = {json.dumps(cases)}, out = {{}};"
        + "for (var k in cases) out[k] = window.lodSparql.withPrefixes(cases[k], known);"
        + "out.highlight = window.lodSparql.highlight('SELECT ?x WHERE { ?x a <http://e.org/c> ; dct:t \"s\" } # c');"
        + "out.form = window.lodSparql.queryForm('PREFIX a: <x:ASK> # SELECT\\nCONSTRUCT {} WHERE {}');"
        + "document.getElementById('out').textContent = JSON.stringify(out);</script></body></html>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--dump-dom",
            harness.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(
        html.unescape(re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S).group(1))
    )
    assert out["missing"]["added"] == ["dcat", "dct"]  # foo: is unknown: left to the parser
    assert out["missing"]["text"].startswith(
        f"PREFIX dcat: <{PREFIXES['dcat']}>\nPREFIX dct: <{PREFIXES['dct']}>\nSELECT"
    )
    assert out["declared"]["added"] == [] and out["hidden"]["added"] == []
    assert '<span class="tk-kw">SELECT</span>' in out["highlight"]
    assert '<span class="tk-iri">&lt;http://e.org/c&gt;</span>' in out["highlight"]
    assert '<span class="tk-pn">dct:t</span>' in out["highlight"]
    assert '<span class="tk-str">"s"</span>' in out["highlight"]
    assert '<span class="tk-com"># c</span>' in out["highlight"]
    assert out["form"] == "CONSTRUCT"
