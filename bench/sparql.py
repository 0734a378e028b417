"""The SPARQL endpoint against Virtuoso, side by side in one run (`make bench-sparql`).

Builds the municipal benchmark: a table of 6,258 obce × 16 years (2010–2025) × 3 indicators
(population, income, expenditure; 100,128 rows, about 1 M triples) published with `lod ingest`
(so its `Kód obce` column is linked to RÚIAN by lod's own linking), after the territorial
codelist (`lod territory update`, as `lod demo` does first). The same quads (an N-Quads dump of
lod's store) are bulk-loaded into a Virtuoso (Debian's `virtuoso-t`, tests/virtuoso.py) started
here on loopback. Then `lod serve --workers 2` (granian, the /sparql worker pools) and
Virtuoso's /sparql answer the same queries over real HTTP (GET, keep-alive), measured in turns:

- latency: the first run of each query after the servers started (cold), the median of runs
  of the same query made textually new each time by a comment (warm: the data is in memory,
  but lod's result cache cannot answer), and the median of runs of the identical text
  (repeated: lod answers from its result cache);
- throughput: 8 concurrent clients (one keep-alive connection each: wrk, 2 threads × 4
  connections, or without wrk 2 Python processes × 4 threads; bench/load.py says why wrk)
  for a few seconds per query; lookups, CONSTRUCT and label search draw a random one of many
  resources (30,000 rows, 6,258 obce) or words for every request, the others repeat their
  text (the "repeated" case, answered from lod's cache), and "lookup, same IRI" shows the
  cache's ceiling; "repeats" is the share of requests whose text an earlier one had asked
  (at most those come from lod's cache: most lookups do not, most CONSTRUCTs do, as 6,258
  obce are drawn a few times each); the "all new" rows draw the same way and make every
  request's text new by a comment, so that no cache answers any; CPU use of each core and of
  the server's processes (lod: the web process and its query workers) sampled from /proc.

Targets (issue 7): lookups, CONSTRUCT and catalogue at least 2× Virtuoso's throughput; the
aggregate and top-10 within 3× of Virtuoso cold and faster when repeated.

Usage: python bench/sparql.py [--seconds S] [--repeat N] [--json OUT] [--client wrk|python]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
import load  # noqa: E402

from tests.virtuoso import INI, Virtuoso, free_port, stop_group  # noqa: E402

BASE = "https://data.example.cz"
DATASET = f"{BASE}/datasets/obce-ukazatele"
COLUMNS = f"{DATASET}/columns/"
RECORD = ROOT / "tests" / "data" / "records" / "valid.yaml"
YEARS = range(2010, 2026)
CLIENTS = (2, 4)  # processes × threads (wrk: threads × connections): 8 concurrent clients
CLIENT = ["wrk" if load.available() else "python"]  # the load generator (--client)
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
PREFIXES = (
    f"PREFIX c: <{COLUMNS}>\n"
    "PREFIX uzemi: <https://w3id.org/lod-cz/uzemi#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


# ----------------------------------------------------------------------------- the data
def obce() -> list[str]:
    with open(ROOT / "vocab/territory/struktura_uzemi_cr_2025.csv", encoding="utf-8") as f:
        return sorted({row["obec_kod"] for row in csv.DictReader(f)})


def write_table(path: Path, seed: int = 7) -> int:
    """Every obec × year with three indicators, as a statistical office exports them."""
    rng = random.Random(seed)
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\r\n")
        out.writerow(["Kód obce", "Rok", "Počet obyvatel", "Příjmy (tis. Kč)", "Výdaje (tis. Kč)"])
        for code in obce():
            base = rng.randint(30, 100_000)
            for year in YEARS:
                people = max(10, base + rng.randint(-base // 20 - 1, base // 20 + 1))
                out.writerow(
                    [code, year, people, people * rng.randint(20, 40), people * rng.randint(20, 40)]
                )
                rows += 1
    return rows


def lod(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def build(tmp: Path) -> tuple[dict, Path, dict]:
    """Publish the codelist and the table into a fresh LOD_HOME; dump all quads."""
    home = tmp / "home"
    env = {
        **os.environ,
        "LOD_HOME": str(home),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp / "none.toml"),
    }
    table = tmp / "obce-ukazatele.csv"
    rows = write_table(table)
    started = time.perf_counter()
    subprocess.run([lod("lod"), "territory", "update"], env=env, check=True, capture_output=True)
    subprocess.run(
        [lod("lod"), "ingest", str(table), "--id", "obce-ukazatele", "--meta", str(RECORD)],
        env=env,
        check=True,
        capture_output=True,
    )
    publish_s = time.perf_counter() - started
    nq = tmp / "virtuoso" / "data.nq"
    nq.parent.mkdir()
    import pyoxigraph as ox

    checkpoints = home / "store" / "checkpoints"
    store = ox.Store.read_only(str(checkpoints / (checkpoints / "CURRENT").read_text().strip()))
    with open(nq, "wb") as out:
        store.dump(out, ox.RdfFormat.N_QUADS)
    quads = len(store)
    del store
    return env, nq, {"rows": rows, "quads": quads, "lod_publish_s": round(publish_s, 1)}


# ----------------------------------------------------------------------------- the servers
class BenchVirtuoso(Virtuoso):
    """tests/virtuoso.py's instance with the buffers a 1 M-triple store wants (notes: 1.3 GB),
    restartable on its database (without creating the tests' user again). The helper reads
    the module's INI and SETUP_SQL as it starts: they are swapped for the call."""

    def start(self, timeout: float = 120, setup: bool = True) -> BenchVirtuoso:
        from tests import virtuoso

        tuned = INI.replace("NumberOfBuffers          = 30000", "NumberOfBuffers = 170000")
        tuned = tuned.replace("MaxDirtyBuffers          = 22000", "MaxDirtyBuffers = 130000")
        assert tuned.count("= 170000") == 1 and tuned.count("= 130000") == 1
        saved = virtuoso.INI
        virtuoso.INI = tuned
        try:
            if setup:
                return super().start(timeout)
            original = virtuoso.SETUP_SQL
            virtuoso.SETUP_SQL = "select 1;"
            try:
                return super().start(timeout)
            finally:
                virtuoso.SETUP_SQL = original
        finally:
            virtuoso.INI = saved

    def load(self, nq: Path) -> float:
        started = time.perf_counter()
        self.isql(
            f"ld_dir('{nq.parent}', '{nq.name}', 'urn:lod:bench');\n"
            "rdf_loader_run();\ncheckpoint;\n"
        )
        return time.perf_counter() - started


class LodServer:
    def __init__(self, env: dict, tmp: Path, threads: int = 16, workers: int = 2):
        self.port = free_port()
        self.env = {  # lod serve divides the limits among its web processes
            **env,
            "LOD_SPARQL_MAX_PER_CLIENT": str(64 * workers),
            "LOD_SPARQL_MAX_CONCURRENT": str((threads - 2) * workers),
        }
        self.log = tmp / "lod-serve.log"
        self.threads = threads
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> LodServer:
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [lod("lod"), "serve", "--port", str(self.port), "--threads", str(self.threads)]
                + ["--workers", str(self.workers)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"lod serve exited: {self.log.read_text()[-2000:]}")
            try:
                if fetch(self.port, sparql_path("ASK {}"), JSON_RESULTS)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("lod serve did not answer in 60 s")

    def wait_in_memory(self, timeout: float = 300) -> float | None:
        """Seconds until every query worker of every web process, and every web process for
        its lookups, answers from its in-memory copy of the store (LOD_SPARQL_MEMORY_QUADS;
        /health tells each process's): the server's state once it has started. Queries with
        new texts (no cache) reach every worker; /health must say so 8 times in a row (new
        connections: both processes)."""
        started = time.monotonic()
        streak, n = 0, 0
        while streak < 8:
            if time.monotonic() - started > timeout:  # e.g. the store above the limits
                print(
                    f"lod's query workers had no in-memory copy after {timeout} s: measuring "
                    "them on the store on disk",
                    file=sys.stderr,
                )
                return None
            with ThreadPoolExecutor(8) as pool:
                n += 8
                list(
                    pool.map(
                        lambda i: fetch(self.port, sparql_path(f"ASK {{}} # {i}"), JSON_RESULTS),
                        range(n - 8, n),
                    )
                )
            status, body = fetch(self.port, "/health", "application/json")
            sparql = json.loads(body).get("sparql", {}) if status == 200 else {}
            full = (
                sparql.get("size")
                and sparql.get("in_memory") == sparql.get("size")
                and sparql.get("lookups_in_memory")
            )
            streak = streak + 1 if full else 0
            if not full:
                time.sleep(0.2)
        return time.monotonic() - started

    def stop(self) -> None:
        process, self.process = self.process, None
        stop_group(process)


# ----------------------------------------------------------------------------- the queries
def queries() -> dict[str, tuple[str, list[str]]]:
    """name -> (media type, the query's variants); the first variant is the one timed for
    latency, throughput draws from all."""
    rng = random.Random(11)
    codes = obce()
    rows = rng.sample(range(1, len(codes) * len(YEARS) + 1), 30_000)
    picked = rng.sample(codes, len(codes))
    from lod.iris import Iris
    from lod.settings import load_settings
    from lod.sparql_examples import by_name

    iris = Iris.of(load_settings(env={"LOD_BASE_URL": BASE}, config_file=Path("/nonexistent")))
    catalogue = by_name(iris, "datove-sady")
    assert catalogue is not None
    words = ["hrad", "lhota", "ves", "kostel", "dub", "bor", "most", "pole", "hora", "lazy"]
    return {
        "lookup": (
            JSON_RESULTS,
            [f"SELECT ?p ?o WHERE {{ <{DATASET}/rows/{n}> ?p ?o }}" for n in rows],
        ),
        "construct": (
            NTRIPLES,
            [
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ "
                f"BIND(<https://linked.cuzk.cz/resource/ruian/obec/{code}> AS ?s) ?s ?p ?o }}"
                for code in picked
            ],
        ),
        "aggregate": (
            JSON_RESULTS,
            [
                PREFIXES + "SELECT ?kraj ?year (SUM(?people) AS ?total) WHERE {\n"
                "  ?row c:kod_obce ?obec ; c:rok ?year ; c:pocet_obyvatel ?people .\n"
                "  ?obec uzemi:kraj ?kraj .\n"
                "} GROUP BY ?kraj ?year ORDER BY ?kraj ?year"
            ],
        ),
        "aggregate-subqueries": (
            JSON_RESULTS,
            [
                PREFIXES + "SELECT ?kraj ?year (SUM(?people) AS ?total) WHERE {\n"
                "  { SELECT ?row ?obec WHERE { ?row c:kod_obce ?obec } }\n"
                "  { SELECT ?row ?year WHERE { ?row c:rok ?year } }\n"
                "  { SELECT ?row ?people WHERE { ?row c:pocet_obyvatel ?people } }\n"
                "  { SELECT ?obec ?kraj WHERE { ?obec uzemi:kraj ?kraj } }\n"
                "} GROUP BY ?kraj ?year ORDER BY ?kraj ?year"
            ],
        ),
        "top10": (
            JSON_RESULTS,
            [
                PREFIXES + "SELECT ?obec ?name ?people WHERE {\n"
                f"  ?row c:rok {year} ; c:pocet_obyvatel ?people ; c:kod_obce ?obec .\n"
                "  ?obec skos:prefLabel ?name .\n"
                "} ORDER BY DESC(?people) LIMIT 10"
                for year in (2020, *[y for y in YEARS if y != 2020])
            ],
        ),
        "top10-subqueries": (
            JSON_RESULTS,
            [
                PREFIXES + "SELECT ?obec ?name ?people WHERE {\n"
                "  { SELECT ?obec ?people WHERE {\n"
                "      { SELECT ?row WHERE { ?row c:rok 2020 } }\n"
                "      { SELECT ?row ?people WHERE { ?row c:pocet_obyvatel ?people } }\n"
                "      { SELECT ?row ?obec WHERE { ?row c:kod_obce ?obec } }\n"
                "  } ORDER BY DESC(?people) LIMIT 10 }\n"
                "  ?obec skos:prefLabel ?name .\n"
                "} ORDER BY DESC(?people)"
            ],
        ),
        "label-search": (
            JSON_RESULTS,
            [
                PREFIXES + "SELECT ?obec ?name WHERE {\n"
                "  ?obec a uzemi:Obec ; skos:prefLabel ?name .\n"
                f'  FILTER(CONTAINS(LCASE(STR(?name)), "{word}"))\n'
                "} ORDER BY ?name LIMIT 100"
                for word in words
            ],
        ),
        "catalogue": (JSON_RESULTS, [catalogue.query]),
    }


# name, the query, and whether each request draws another variant (else: the first, repeated;
# NEW: draws one and makes its text new by a comment, so that no result cache can answer)
NEW = "new"
THROUGHPUT = (
    ("lookup", "lookup", True),
    ("lookup, all new", "lookup", NEW),
    ("lookup, same IRI", "lookup", False),
    ("construct", "construct", True),
    ("construct, all new", "construct", NEW),
    ("catalogue", "catalogue", False),
    ("top10", "top10", False),
    ("aggregate", "aggregate", False),
    ("label-search", "label-search", True),
)


# ----------------------------------------------------------------------------- HTTP
def sparql_path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def fetch(port: int, path: str, accept: str, conn=None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        if own:
            conn.close()


def timed(port: int, query: str, accept: str) -> tuple[float, int]:
    """Milliseconds of one request, and the number of result rows (or triples)."""
    start = time.perf_counter()
    status, body = fetch(port, sparql_path(query), accept)
    ms = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"HTTP {status} on port {port}: {body[:500]!r}\n{query}")
    if accept == NTRIPLES:
        return ms, sum(1 for line in body.splitlines() if line.strip())
    return ms, len(json.loads(body)["results"]["bindings"])


def _client_process(
    port: int, paths: list[str], accept: str, seconds: float, threads: int, out, fresh=False
):
    counts, latencies, errors, drawn = [0], [], [0], set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, ok, bad, asked = [], 0, 0, set()
        while time.monotonic() < deadline:
            start = time.perf_counter()
            k = rng.randrange(len(paths))
            path = paths[k]
            if fresh:  # "\n# <seed> <n>" after the query: a text never asked before
                k = (k, seed, ok + bad)
                path += f"%0A%23+{seed}+{ok + bad}"
            asked.add(k)
            try:
                status, _ = fetch(port, path, accept, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            if status == 200:
                ok += 1
                mine.append(time.perf_counter() - start)
            else:
                bad += 1
        conn.close()
        with lock:
            counts[0] += ok
            errors[0] += bad
            latencies.extend(mine)
            drawn.update(asked)

    workers = [threading.Thread(target=loop, args=(os.getpid() * 100 + i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((counts[0], errors[0], latencies, drawn))


def cpu_times() -> list[tuple[int, int]]:
    """(busy, total) jiffies of each CPU."""
    cpus = []
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("cpu") and line[3].isdigit():
            values = [int(v) for v in line.split()[1:]]
            idle = values[3] + values[4]
            cpus.append((sum(values) - idle, sum(values)))
    return cpus


def process_jiffies(root: int) -> int:
    """utime + stime of a process and all its descendants (the lod workers)."""
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = int(fields[11]) + int(fields[12])
    family, total = {root}, 0
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    for pid in family:
        total += times.get(pid, 0)
    return total


def throughput(
    port: int, server_pid: int, variants: list[str], accept: str, seconds: float, fresh=False
):
    """Requests a second of 8 concurrent clients (wrk if installed, else Python clients: see
    bench/load.py), latency, errors, and the CPU use of each core and of the server."""
    paths = [sparql_path(q) for q in variants]
    before_cpu, before_proc = cpu_times(), process_jiffies(server_pid)
    started = time.perf_counter()
    if CLIENT[0] == "wrk":
        clients = CLIENTS[0] * CLIENTS[1]
        figures = load.throughput(port, paths, accept, seconds, clients, fresh)
    else:
        figures = python_clients(port, paths, accept, seconds, fresh)
    elapsed = time.perf_counter() - started
    after_cpu, after_proc = cpu_times(), process_jiffies(server_pid)
    busy = [
        round(100 * (b1 - b0) / max(1, t1 - t0))
        for (b0, t0), (b1, t1) in zip(before_cpu, after_cpu, strict=True)
    ]
    hz = os.sysconf("SC_CLK_TCK")
    figures.pop("elapsed_s", None)
    return figures | {
        "cpu_busy_percent": busy,
        "server_cpu_cores": round((after_proc - before_proc) / hz / elapsed, 2),
    }


def python_clients(port: int, paths: list[str], accept: str, seconds: float, fresh: bool):
    """The figures of bench/load.py's `throughput` from Python clients (2 processes × 4
    threads of `http.client`)."""
    out = multiprocessing.get_context("fork").Queue()
    started = time.perf_counter()
    procs = [
        multiprocessing.get_context("fork").Process(
            target=_client_process,
            args=(port, paths, accept, seconds, CLIENTS[1], out, fresh),
        )
        for _ in range(CLIENTS[0])
    ]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    done = sum(r[0] for r in results)
    asked = done + sum(r[1] for r in results)
    distinct = len(set().union(*(r[3] for r in results)))
    latencies = sorted(x for r in results for x in r[2])
    return {
        "req_per_s": round(done / elapsed, 1),
        "errors": sum(r[1] for r in results),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        # requests whose query text an earlier request of the run had asked: at most these
        # are answered from lod's cache (each web process keeps its own)
        "repeats_percent": round(100 * (1 - distinct / asked)) if asked else 0,
    }


# ----------------------------------------------------------------------------- the run
def sparql(tmp: Path, report: dict, *, seconds: float = 8.0, repeat: int = 7, workers: int = 2):
    env, nq, facts = build(tmp)
    facts["machine_load_before"] = os.getloadavg()[0]
    facts["lod_web_processes"] = workers
    virtuoso = BenchVirtuoso(tmp / "virtuoso")
    server = LodServer(env, tmp, workers=workers)
    try:
        virtuoso.start()
        facts["virtuoso_load_s"] = round(virtuoso.load(nq), 1)
        virtuoso.stop()  # both servers start afresh: "cold" is the first query after a start
        virtuoso.start(setup=False)
        server.start()
        in_memory = server.wait_in_memory()
        facts["lod_in_memory_after_s"] = None if in_memory is None else round(in_memory, 1)
        ports = {"lod": server.port, "virtuoso": virtuoso.http_port}
        pids = {"lod": server.process.pid, "virtuoso": virtuoso.process.pid}  # type: ignore[union-attr]
        report["sparql"] = run_queries(ports, pids, seconds, repeat) | {"data": facts}
    finally:
        server.stop()
        virtuoso.stop()
    report["sparql"]["web_ceiling"] = web_ceiling(server, seconds)


def web_ceiling(server: LodServer, seconds: float) -> dict:
    """Throughput of bench/ceiling_app.py (Flask answering a constant) under granian with
    lod serve's settings and the same clients: the most any Flask endpoint serves here."""
    port = free_port()
    granian = Path(sys.executable).with_name("granian")
    command = [str(granian), "--interface", "wsgi", "--no-ws", "--workers", str(server.workers)]
    command += ["--blocking-threads", str(server.threads), "--port", str(port), "ceiling_app:app"]
    process = subprocess.Popen(
        command,
        cwd=BENCH,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if fetch(port, "/sparql", JSON_RESULTS)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the ceiling app did not answer in 30 s")
            time.sleep(0.1)
        # the first answer comes from one process: the others boot meanwhile
        throughput(port, process.pid, ["ASK {}"], JSON_RESULTS, 2.0)
        return throughput(port, process.pid, ["ASK {}"], JSON_RESULTS, seconds)
    finally:
        stop_group(process)


def run_queries(ports: dict, pids: dict, seconds: float, repeat: int) -> dict:
    defined = queries()
    latency: dict = {}
    sides = ("lod", "virtuoso")
    for name, (accept, variants) in defined.items():  # cold: each query's first run
        query = variants[0]
        latency[name] = {}
        for side in sides:
            ms, rows = timed(ports[side], query, accept)
            latency[name][side] = {"cold_ms": round(ms, 1), "rows": rows}
    for name, (accept, variants) in defined.items():
        query = variants[0]
        warm: dict = {side: [] for side in sides}
        same: dict = {side: [] for side in sides}
        for i in range(repeat):
            for side in sides:  # in turns, so both see the same machine
                warm[side].append(timed(ports[side], f"{query}\n# run {i}", accept)[0])
                same[side].append(timed(ports[side], query, accept)[0])
        for side in sides:
            latency[name][side]["warm_ms"] = round(statistics.median(warm[side]), 1)
            latency[name][side]["repeated_ms"] = round(statistics.median(same[side]), 1)
    rates: dict = {}
    for name, query, varied in THROUGHPUT:
        accept, variants = defined[query]
        variants = variants if varied else variants[:1]
        rates[name] = {}
        for side in sides:
            rates[name][side] = throughput(
                ports[side], pids[side], variants, accept, seconds, fresh=varied == NEW
            )
            time.sleep(0.5)
    clients = CLIENTS[0] * CLIENTS[1]
    return {"latency": latency, "throughput": rates, "clients": clients, "client": CLIENT[0]}


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("inf")


def summary(result: dict) -> str:
    lines = [
        "",
        f"SPARQL: {result['data']['quads']:,} quads; lod serve vs Virtuoso over HTTP "
        f"(latency ms: cold / warm / repeated; ratio = Virtuoso time / lod time, >1: lod faster)",
        f"  lod's query workers answered from memory {result['data'].get('lod_in_memory_after_s')}"
        f" s after lod serve answered; Virtuoso loaded in {result['data'].get('virtuoso_load_s')} s",
    ]
    for name, sides in result["latency"].items():
        lod_, virt = sides["lod"], sides["virtuoso"]
        rows = (
            "" if lod_["rows"] == virt["rows"] else f"  ROWS DIFFER {lod_['rows']}/{virt['rows']}"
        )
        lines.append(
            f"  {name:22s} lod {lod_['cold_ms']:>8} / {lod_['warm_ms']:>8} / {lod_['repeated_ms']:>6}"
            f"   virtuoso {virt['cold_ms']:>7} / {virt['warm_ms']:>7} / {virt['repeated_ms']:>6}"
            f"   ratio {ratio(virt['cold_ms'], lod_['cold_ms'])} /"
            f" {ratio(virt['warm_ms'], lod_['warm_ms'])} /"
            f" {ratio(virt['repeated_ms'], lod_['repeated_ms'])}{rows}"
        )
    client = result.get("client", "python")
    lines.append(
        f"throughput, {result['clients']} clients ({client}; req/s; ratio = lod / Virtuoso):"
    )
    for name, sides in result["throughput"].items():
        lod_, virt = sides["lod"], sides["virtuoso"]
        lines.append(
            f"  {name:22s} lod {lod_['req_per_s']:>8} (cpu {lod_['cpu_busy_percent']} %,"
            f" server {lod_['server_cpu_cores']} cores)   virtuoso {virt['req_per_s']:>8}"
            f" (cpu {virt['cpu_busy_percent']} %, server {virt['server_cpu_cores']} cores)"
            f"   ratio {ratio(lod_['req_per_s'], virt['req_per_s'])}"
            f"   repeats {lod_['repeats_percent']} %"
            + (
                f"  errors {lod_['errors']}/{virt['errors']}"
                if lod_["errors"] or virt["errors"]
                else ""
            )
        )
    ceiling = result.get("web_ceiling")
    if ceiling:
        lookups = result["throughput"]["lookup"]["virtuoso"]["req_per_s"]
        lines.append(
            f"  web-tier ceiling: Flask answering a constant under the same granian: "
            f"{ceiling['req_per_s']} req/s (server {ceiling['server_cpu_cores']} cores), "
            f"{ratio(ceiling['req_per_s'], lookups)} x Virtuoso's lookups"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per throughput run")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--workers", type=int, default=2, help="lod serve --workers")
    parser.add_argument(
        "--client",
        choices=("wrk", "python"),
        default=CLIENT[0],
        help="load generator for throughput (default: wrk if installed; bench/load.py)",
    )
    args = parser.parse_args()
    if args.client == "wrk" and not load.available():
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    CLIENT[0] = args.client
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="lod-bench-sparql-") as tmp:
        sparql(Path(tmp), report, seconds=args.seconds, repeat=args.repeat, workers=args.workers)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(summary(report["sparql"]))


if __name__ == "__main__":
    main()
