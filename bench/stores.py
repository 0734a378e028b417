"""Embedded store or remote store? The same publishing and the same queries on both, in one run.

(e) in `make bench` (bench/run.py), or alone: `python bench/stores.py [--rows N]`. Skipped, with
a message saying so, when Debian's Virtuoso (`virtuoso-t`, `isql-vt`) is not installed.

One Virtuoso is started for the run on free loopback ports (tests/virtuoso.py: the test
suite's instance, its ini and its digest-auth user; its transaction size limit raised to 1 GB,
which the 100,000-row table needs) and stopped at the end. Beside it, an
empty embedded store (Oxigraph under a fresh LOD_HOME). Both are driven through lod's library
exactly as `lod ingest` drives them (lod.publish.ingest with settings pointing at the store), in
turns:

1. the territorial codelist published first (lod/territory, as `lod demo` does);
2. `lod ingest` of a ROWS-row table with territorial codes (bench/table.py
   `write_territorial_table`: obec codes linked to RÚIAN by lod, 17 triples a row) into each
   store, then the same table again (a new version: the dataset's graphs replaced);
3. five SPARQL queries through the store protocol (`store.query`, every row read): a point
   lookup (a random row of the table), the dataset's row count, the sum of a column per kraj
   over the territorial hierarchy (the table's obce joined to their kraj in the codelist), a
   top-10 with labels from the codelist, and the catalogue listing (the query page's
   "datove-sady" example). The first run of each is reported as "first", then the median of
   REPEAT runs, the two stores in alternating order; both stores must give the same answers.

Ratios are remote / embedded: above 1 the embedded store is faster. ROWS defaults to 30,000
(about 0.5 M triples), not the 100,000 of (a)–(d): publishing into Virtuoso through the Graph
Store Protocol and a server-side MOVE runs at 20,000-30,000 triples a second here, so the
standard size takes 4-6 minutes instead of 1-2.

Usage: python bench/stores.py [--rows N] [--repeat N] [--json OUT]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import rdflib

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for path in (str(ROOT), str(BENCH)):
    if path not in sys.path:
        sys.path.insert(0, path)
from table import write_territorial_table  # noqa: E402

RECORD = ROOT / "tests" / "data" / "records" / "valid.yaml"
BASE_URL = "https://data.example.cz"
DATASET_ID = "bench-uzemi"
ROWS = 30_000
REPEAT = 7
SIDES = ("embedded", "virtuoso")
AFTER_IMAGE_LIMIT = 1_000_000_000  # bytes; as TransactionAfterImageLimit in virtuoso.ini
SKIPPED = (
    "(e) embedded vs remote store: skipped: {reason}. Install Debian's Virtuoso to run it: "
    "apt-get install --no-install-recommends virtuoso-opensource"
)


def missing_virtuoso() -> str | None:
    """Why Virtuoso cannot be started here, or None."""
    for binary in ("virtuoso-t", "isql-vt"):
        if shutil.which(binary) is None:
            return f"{binary} not found on PATH"
    return None


def queries(rows: int, repeat: int) -> dict[str, list[str]]:
    """name -> the text of each run (the first one is the "first" run); only the lookup
    varies, over random rows (the same ones on both stores)."""
    from lod.iris import Iris
    from lod.settings import load_settings
    from lod.sparql_examples import by_name

    iris = Iris.of(load_settings(env={"LOD_BASE_URL": BASE_URL}, config_file=Path("/none")))
    dataset = iris.dataset(DATASET_ID)
    prefixes = (
        f"PREFIX c: <{dataset}/columns/>\n"
        "PREFIX uzemi: <https://w3id.org/lod-cz/uzemi#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )
    picked = random.Random(3).sample(range(1, rows + 1), repeat + 1)
    catalogue = by_name(iris, "datove-sady")
    assert catalogue is not None
    fixed = {
        "rows count": (
            prefixes + "SELECT (COUNT(?row) AS ?rows) WHERE {\n"
            f"  GRAPH <{dataset}/data> {{ ?row c:cislo_zaznamu ?n }}\n}}"
        ),
        "sum per kraj": (
            prefixes + "SELECT ?kraj ?name (SUM(?people) AS ?total) WHERE {\n"
            "  ?row c:kod_obce ?obec ; c:pocet_obyvatel ?people .\n"
            "  ?obec uzemi:kraj ?kraj .\n"
            "  ?kraj skos:prefLabel ?name .\n"
            "} GROUP BY ?kraj ?name ORDER BY ?kraj"
        ),
        "top-10 with labels": (
            prefixes + "SELECT ?row ?name ?amount WHERE {\n"
            "  ?row c:rok 2020 ; c:vydaje_kc ?amount ; c:kod_obce ?obec .\n"
            "  ?obec skos:prefLabel ?name .\n"
            "} ORDER BY DESC(?amount) LIMIT 10"
        ),
        "catalogue": catalogue.query,
    }
    return {
        "point lookup": [f"SELECT ?p ?o WHERE {{ <{dataset}/rows/{n}> ?p ?o }}" for n in picked],
        **{name: [text] * (repeat + 1) for name, text in fixed.items()},
    }


def answer(store, sparql: str) -> list[tuple]:
    """Every row of a SELECT, read through the store protocol, as comparable values (times
    left out: each store has its own times of publication)."""
    rows = store.query(sparql).rows()
    return sorted((tuple(_value(row.get(v)) for v in sorted(row)) for row in rows), key=repr)


def _value(term) -> object:
    if isinstance(term, rdflib.Literal):
        value = term.toPython()
        if isinstance(value, (dt.date, dt.datetime)):
            return "(a time)"
        if isinstance(value, (int, float, Decimal)):
            return Decimal(str(value)).normalize()
        return (str(term), term.language)
    return str(term)


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def stores(tmp: Path, report: dict, *, rows: int = ROWS, repeat: int = REPEAT) -> None:
    """Fill report["e_stores"]; print why and return if Virtuoso cannot run here."""
    reason = missing_virtuoso()
    if reason:
        print(SKIPPED.format(reason=reason), flush=True)
        report["e_stores"] = {"skipped": reason}
        return
    from lod.publish import ingest
    from lod.settings import load_settings
    from lod.store import open_store
    from lod.territory.dataset import update as update_territory
    from tests.virtuoso import Virtuoso

    work = tmp / "stores"
    work.mkdir()
    table = work / "uzemi.csv"
    write_territorial_table(table, rows)
    virtuoso = Virtuoso(work / "virtuoso")
    opened: dict = {}
    try:
        t_start, _ = timed(virtuoso.start)
        # lod replaces a dataset's graphs in one transaction: Virtuoso's default cap on its
        # size (TransactionAfterImageLimit, 50 MB) refuses it (SR325) above about 1 M triples
        virtuoso.isql(f"select __dbf_set('txn_after_image_limit', {AFTER_IMAGE_LIMIT});")
        settings = {
            side: load_settings(
                env={
                    "LOD_HOME": str(work / side),
                    "LOD_BASE_URL": BASE_URL,
                    **(virtuoso.settings_env() if side == "virtuoso" else {}),
                },
                config_file=work / "none.toml",
            )
            for side in SIDES
        }
        opened = {side: open_store(settings[side]) for side in SIDES}
        results: dict = {side: {} for side in SIDES}

        def publish(side: str) -> float:
            t, published = timed(
                lambda: ingest(opened[side], settings[side], table, DATASET_ID, RECORD)
            )
            results[side]["triples"] = published.triples
            return t

        for side in SIDES:
            t, _ = timed(lambda s=side: update_territory(opened[s], settings[s]))
            results[side]["codelist_s"] = round(t, 2)
        for side in SIDES:
            results[side]["ingest_s"] = round(publish(side), 2)
        for side in reversed(SIDES):  # the other order, for the new version
            results[side]["replace_s"] = round(publish(side), 2)
        latency, same = query_latency(opened, rows, repeat)
    finally:
        for store in opened.values():
            store.close()
        virtuoso.stop()
    shutil.rmtree(work, ignore_errors=True)
    e, v = results["embedded"], results["virtuoso"]
    report["e_stores"] = {
        "rows": rows,
        "triples": e["triples"],
        "repeat": repeat,
        "virtuoso": virtuoso_version(),
        "virtuoso_start_s": round(t_start, 1),
        "publishing_s": {
            step: {"embedded": e[step], "virtuoso": v[step], "ratio": ratio(v[step], e[step])}
            for step in ("codelist_s", "ingest_s", "replace_s")
        },
        "queries_ms": latency,
        "same_answers": same,
    }


def query_latency(opened: dict, rows: int, repeat: int) -> tuple[dict, dict]:
    """The first run and the median of `repeat` runs of each query on each store (ms), the
    stores taking turns in alternating order; whether both gave the same answers."""
    texts = queries(rows, repeat)
    times: dict = {name: {side: [] for side in SIDES} for name in texts}
    same = {}
    for name, runs in texts.items():
        answers = {}
        for i, sparql in enumerate(runs):
            for side in SIDES if i % 2 == 0 else reversed(SIDES):
                t, got = timed(lambda s=side, q=sparql: answer(opened[s], q))
                times[name][side].append(t * 1000)
                if i == 0:
                    answers[side] = got
        same[name] = answers["embedded"] == answers["virtuoso"] and bool(answers["embedded"])
    latency = {}
    for name, by_side in times.items():
        first = {side: round(by_side[side][0], 1) for side in SIDES}
        median = {side: round(statistics.median(by_side[side][1:]), 1) for side in SIDES}
        latency[name] = {
            "first": first,
            "median": median,
            "ratio": ratio(median["virtuoso"], median["embedded"]),
        }
    return latency, same


def ratio(remote: float, embedded: float) -> float:
    return round(remote / embedded, 2) if embedded else float("inf")


def virtuoso_version() -> str:
    import subprocess

    out = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("Version"):
            return line.split()[1]
    return ""


def summary(result: dict) -> str:
    if "skipped" in result:
        return SKIPPED.format(reason=result["skipped"])
    lines = [
        f"(e) embedded store vs Virtuoso {result['virtuoso']} through lod's remote store:"
        f" {result['rows']:,} rows ({result['triples']:,} triples); ratio = Virtuoso / embedded"
        f" (above 1: the embedded store is faster)",
        f"  {'':<22}{'embedded':>12}{'Virtuoso':>12}{'ratio':>8}",
    ]
    names = {
        "codelist_s": "codelist published",
        "ingest_s": "lod ingest",
        "replace_s": "new version",
    }
    for step, t in result["publishing_s"].items():
        lines.append(
            f"  {names[step] + ' (s)':<22}{t['embedded']:>12}{t['virtuoso']:>12}{t['ratio']:>8}"
        )
    for name, q in result["queries_ms"].items():
        mark = "" if result["same_answers"][name] else "  DIFFERENT ANSWERS"
        lines.append(
            f"  {name + ' (ms)':<22}{q['median']['embedded']:>12}{q['median']['virtuoso']:>12}"
            f"{q['ratio']:>8}   first run: {q['first']['embedded']} / {q['first']['virtuoso']}"
            + mark
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="lod-bench-stores-") as tmp:
        stores(Path(tmp), report, rows=args.rows, repeat=args.repeat)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(summary(report["e_stores"]))


if __name__ == "__main__":
    main()
