"""Benchmarks for lod (run with `make bench`). Never part of the test run's pass/fail.

Every figure is measured in this run, on this machine, against a baseline measured beside it:

(a) conversion of a ROWS-row, 10-column Czech table (bench/table.py) to N-Triples, as the same
    triples three ways: `lod convert --minimal` with the CSVW metadata bench/table.csv-metadata.json,
    morph-kgc with the equivalent RML mapping bench/mapping.rml.ttl (its own virtualenv: see
    bench/requirements-morph.txt), and a plain rdflib Graph build + serialize
    (bench/baseline_rdflib.py). The three outputs are checked to be the same set of lines, and
    a sample to be isomorphic graphs. lod and morph-kgc run in turns (best of 3 each), with
    `lod convert` on one CPU too (taskset: one process) to show what the second CPU gives
    (lod/tabular/parallel.py), its output checked to be the same bytes;
(b) `lod ingest` of the table (as a Czech Windows-1250 export) into an empty on-disk store
    (inference, record validation, conversion, data.nt + data.ttl, load, checkpoint) against
    pyoxigraph's own `bulk_load` of the resulting data.nt into an empty store (the floor), in
    turns (best of 2 each); also the publication of a new version of the same dataset (its
    graphs replaced);
(c) peak memory (RSS) of `lod convert` and of `lod ingest` on a BIG_ROWS-row table;
(d) linking: a ROWS-row table with territorial code columns (bench/table.py
    `write_territorial_table`: obec codes, ORP in ČSÚ numbering, okres as NUTS, kraj as VÚSC)
    converted with its columns linked to RÚIAN IRIs and without (`--no-link`), both as
    `lod ingest` converts (bench/prepare_convert.py: canonical CSV, inferred metadata,
    N-Triples) and as `lod convert` does; target: linking adds at most 20 %.

(e) the embedded store against Virtuoso through lod's remote store: the same `lod ingest` and
    the same queries through the store protocol (bench/stores.py; skipped, saying so, when
    Virtuoso is not installed);
(v) SHACL validation of the (a) table (about 1 M triples) against its generated shapes plus
    steward facets: lod's fast validator against pySHACL, the same results required
    (bench/shacl.py; pySHACL takes 3–7 minutes);
(s) the SPARQL endpoint against Virtuoso on the 1 M-triple municipal benchmark (bench/sparql.py,
    about 6 minutes; `make bench-sparql` runs it alone).

Usage: python bench/run.py [--rows N] [--big-rows N] [--morph PYTHON] [--json OUT] [--only ds]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.compare import isomorphic

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RECORD = ROOT / "tests" / "data" / "records" / "valid.yaml"
BASE = "https://data.example.cz/datasets/bench/"  # of the IRIs in the mapping and metadata
sys.path.insert(0, str(BENCH))
from table import write_table, write_territorial_table  # noqa: E402

MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)
FLOOR = (
    "import pyoxigraph as ox, resource, sys, time; store = ox.Store(sys.argv[1]); "
    "t = time.perf_counter(); "
    "store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(sys.argv[3])); "
    "store.flush(); "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def measured(
    args: list[str],
    *,
    env: dict | None = None,
    cwd: Path | None = None,
    runs: int = 1,
    output: Path | None = None,
):
    """Best wall time (s) of `runs` runs of a command, and its peak RSS (MB). Its `output`
    file is removed before each run: each run writes a new file (replacing or truncating an
    old one of 150 MB would add the time its blocks take to free)."""
    best, peak = float("inf"), 0
    for _ in range(runs):
        if output is not None:
            output.unlink(missing_ok=True)
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *args],
            env=env,
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        best, peak = min(best, float(out[0])), max(peak, int(out[1]) // 1024)
    return best, peak


def floor(nt: Path, graph: str, tmp: Path, runs: int) -> tuple[float, int]:
    """pyoxigraph's bulk_load of `nt` into an empty on-disk store: best time, peak RSS."""
    best, peak = float("inf"), 0
    for i in range(runs):
        store = tmp / f"floor-{i}"
        out = subprocess.run(
            [sys.executable, "-c", FLOOR, str(store), str(nt), graph],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        shutil.rmtree(store, ignore_errors=True)
        best, peak = min(best, float(out[0])), max(peak, int(out[1]) // 1024)
    return best, peak


def same_lines(*paths: Path) -> bool:
    """The N-Triples files hold the same lines (the same triples: no blank nodes here)."""
    sets = [set(p.read_bytes().splitlines()) for p in paths]
    return all(s == sets[0] for s in sets[1:]) and len(sets[0]) > 0


def sample_isomorphic(paths: list[Path], rows: int = 200) -> bool:
    """The triples of the first `rows` rows parse to isomorphic rdflib graphs."""
    wanted = {b"<%srows/%d>" % (BASE.encode(), n) for n in range(1, rows + 1)}
    graphs = []
    for path in paths:
        with open(path, "rb") as f:
            lines = [line for line in f if line.split(b" ", 1)[0] in wanted]
        graphs.append(rdflib.Graph().parse(data=b"".join(lines).decode(), format="nt"))
    return len(graphs[0]) > rows and all(isomorphic(graphs[0], g) for g in graphs[1:])


def lod(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def conversion(tmp: Path, rows: int, morph: str | None, report: dict) -> None:
    work = tmp / "convert"
    work.mkdir()
    table = work / "table.csv"
    write_table(table, rows, czech_export=False)
    shutil.copy(BENCH / "table.csv-metadata.json", work)
    out = {name: work / f"{name}.nt" for name in ("lod", "lod1", "morph", "rdflib")}
    convert = [lod("lod"), "convert", "table.csv", "--metadata", "table.csv-metadata.json"]
    commands = {
        "lod": convert + ["--minimal", "-f", "nt", "-o", str(out["lod"])],
        # the same on one CPU: one process (lod/tabular/parallel.py starts no worker)
        "lod1": one_cpu(convert + ["--minimal", "-f", "nt", "-o", str(out["lod1"])]),
    }
    if morph:
        config = work / "morph.ini"
        config.write_text(
            "[CONFIGURATION]\n"
            f"output_file={out['morph']}\noutput_format=N-TRIPLES\n"
            f"udfs={BENCH / 'morph_udfs.py'}\n"
            f"[DataSource1]\nmappings={BENCH / 'mapping.rml.ttl'}\n"
        )
        commands["morph"] = [morph, "-m", "morph_kgc", str(config)]
    if commands["lod1"] is None:
        del commands["lod1"]
    # in turns, so that each sees the same machine (it is shared: the load varies)
    best = in_turns(list(commands.values()), [out[n] for n in commands], cwd=work, runs=3)
    times = dict(zip(commands, best, strict=True))
    t_lod, m_lod = times["lod"]
    shutil.copy(table, work / "other.csv")  # no metadata beside it: lod infers the schema
    t_infer, m_infer = measured(
        [lod("lod"), "convert", "other.csv", "--minimal", "-f", "nt", "-o", str(work / "i.nt")],
        cwd=work,
        runs=3,
        output=work / "i.nt",
    )
    t_rdflib, m_rdflib = measured(
        [sys.executable, str(BENCH / "baseline_rdflib.py"), "table.csv", str(out["rdflib"])],
        cwd=work,
    )
    triples = sum(1 for _ in open(out["lod"], "rb"))
    result = {
        "rows": rows,
        "triples": triples,
        "lod_convert_s": round(t_lod, 2),
        "lod_convert_peak_mb": m_lod,
        "lod_convert_triples_per_s": round(triples / t_lod),
        "lod_convert_inferring_schema_s": round(t_infer, 2),
        "rdflib_s": round(t_rdflib, 2),
        "rdflib_peak_mb": m_rdflib,
        "speedup_vs_rdflib": round(t_rdflib / t_lod, 1),
    }
    if "lod1" in times:
        result |= {
            "lod_convert_one_cpu_s": round(times["lod1"][0], 2),
            "two_cpus_vs_one": round(times["lod1"][0] / t_lod, 2),
            "same_bytes_on_one_cpu": out["lod1"].read_bytes() == out["lod"].read_bytes(),
        }
    compared = [out["lod"], out["rdflib"]]
    if morph:
        t_morph, m_morph = times["morph"]
        result |= {
            "morph_kgc_s": round(t_morph, 2),
            "morph_kgc_peak_mb": m_morph,
            "speedup_vs_morph_kgc": round(t_morph / t_lod, 1),
        }
        compared.append(out["morph"])
    result["same_triples"] = same_lines(*compared)
    result["sample_isomorphic"] = sample_isomorphic(compared)
    report["a_convert"] = result


def one_cpu(command: list[str]) -> list[str] | None:
    """The command run on one CPU (taskset), or None if that cannot be done here."""
    taskset = shutil.which("taskset")
    if taskset is None or not hasattr(os, "sched_getaffinity"):
        return None
    return [taskset, "-c", str(min(os.sched_getaffinity(0))), *command]


def in_turns(
    commands: list[list[str]], outputs: list[Path], *, cwd: Path, runs: int
) -> list[tuple[float, int]]:
    """Best time and peak RSS of each command (writing its output), the commands run in
    turns `runs` times."""
    best = [(float("inf"), 0)] * len(commands)
    for _ in range(runs):
        for i, command in enumerate(commands):
            t, m = measured(command, cwd=cwd, output=outputs[i])
            best[i] = (min(best[i][0], t), max(best[i][1], m))
    return best


def ingest(tmp: Path, rows: int, report: dict) -> None:
    table = tmp / "export.csv"
    write_table(table, rows)  # Windows-1250, ";", decimal commas: as Czech offices export
    home = tmp / "home"
    env = {
        **os.environ,
        "LOD_HOME": str(home),
        "LOD_BASE_URL": "https://data.example.cz",
        "LOD_CONFIG": str(tmp / "none.toml"),
    }
    command = [lod("lod"), "ingest", str(table), "--id", "bench", "--meta", str(RECORD)]
    times, peaks, floors = [], [], []
    nt = tmp / "data.nt"  # the first ingest's, loaded by the floor
    for _ in range(2):  # in turns with the floor, so that both see the same machine
        shutil.rmtree(home, ignore_errors=True)
        t, m = measured(command, env=env)
        times.append(t)
        peaks.append(m)
        if not nt.exists():
            shutil.copy(next((home / "files" / "bench").iterdir()) / "data.nt", nt)
        floors.append(floor(nt, "https://data.example.cz/datasets/bench/data", tmp, runs=1))
    triples = sum(1 for _ in open(nt, "rb"))
    t_floor, m_floor = min(f[0] for f in floors), max(f[1] for f in floors)
    t_again, m_again = measured(command, env=env)  # a new version: the old graphs go
    report["b_ingest"] = {
        "rows": rows,
        "triples": triples,
        "lod_ingest_s": round(min(times), 2),
        "lod_ingest_peak_mb": max(peaks),
        "bulk_load_floor_s": round(t_floor, 2),
        "bulk_load_floor_peak_mb": m_floor,
        "ingest_vs_floor": round(min(times) / t_floor, 2),
        "new_version_ingest_s": round(t_again, 2),
        "new_version_ingest_peak_mb": m_again,
    }
    shutil.rmtree(home, ignore_errors=True)


def alternating(first: list[str], second: list[str], *, cwd: Path, runs: int):
    """Best times and peaks of two commands run in turns (so both see the same machine)."""
    a, b = (float("inf"), 0), (float("inf"), 0)
    for _ in range(runs):
        t, m = measured(first, cwd=cwd)
        a = (min(a[0], t), max(a[1], m))
        t, m = measured(second, cwd=cwd)
        b = (min(b[0], t), max(b[1], m))
    return a, b


def linking(tmp: Path, rows: int, report: dict) -> None:
    work = tmp / "linking"
    work.mkdir()
    write_territorial_table(work / "uzemi.csv", rows)
    script = [sys.executable, str(BENCH / "prepare_convert.py"), "uzemi.csv"]
    (t_link, m_link), (t_plain, m_plain) = alternating(
        script + ["linked.nt"], script + ["plain.nt", "--no-link"], cwd=work, runs=3
    )
    convert = [lod("lod"), "convert", "uzemi.csv", "-f", "nt", "-o"]
    (c_link, _), (c_plain, _) = alternating(
        convert + ["cli-linked.nt"], convert + ["cli-plain.nt", "--no-link"], cwd=work, runs=3
    )
    linked, plain = work / "linked.nt", work / "plain.nt"
    report["d_linking"] = {
        "rows": rows,
        "triples_linked": sum(1 for _ in open(linked, "rb")),
        "triples_plain": sum(1 for _ in open(plain, "rb")),
        "mb_linked": round(linked.stat().st_size / 2**20),
        "mb_plain": round(plain.stat().st_size / 2**20),
        "ingest_conversion_linked_s": round(t_link, 2),
        "ingest_conversion_plain_s": round(t_plain, 2),
        "ingest_conversion_ratio": round(t_link / t_plain, 2),
        "ingest_conversion_peak_mb": max(m_link, m_plain),
        "lod_convert_linked_s": round(c_link, 2),
        "lod_convert_plain_s": round(c_plain, 2),
        "lod_convert_ratio": round(c_link / c_plain, 2),
    }


def memory(tmp: Path, rows: int, report: dict) -> None:
    table = tmp / "big.csv"
    write_table(table, rows)
    home = tmp / "home-big"
    env = {
        **os.environ,
        "LOD_HOME": str(home),
        "LOD_BASE_URL": "https://data.example.cz",
        "LOD_CONFIG": str(tmp / "none.toml"),
    }
    t_convert, m_convert = measured(
        [lod("lod"), "convert", str(table), "-f", "nt", "-o", str(tmp / "big.nt")]
    )
    (tmp / "big.nt").unlink()
    t_ingest, m_ingest = measured(
        [lod("lod"), "ingest", str(table), "--id", "big", "--meta", str(RECORD)], env=env
    )
    report["c_memory"] = {
        "rows": rows,
        "lod_convert_peak_mb": m_convert,
        "lod_convert_s": round(t_convert, 1),
        "lod_ingest_peak_mb": m_ingest,
        "lod_ingest_s": round(t_ingest, 1),
    }
    shutil.rmtree(home, ignore_errors=True)


def machine(morph: str | None) -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**30
    info = {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory,
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
    }
    if morph:
        info["morph_kgc"] = subprocess.run(
            [morph, "-c", "from importlib.metadata import version; print(version('morph-kgc'))"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000)
    parser.add_argument("--morph", help="the Python of a virtualenv with morph-kgc")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", default="abcdevs", help="the measurements to run, e.g. 'd'")
    args = parser.parse_args()
    if args.morph:  # absolute, but not resolved: a virtualenv's python is a symbolic link
        args.morph = os.path.abspath(args.morph)
    report: dict = {"machine": machine(args.morph)}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lod-bench-") as tmp:
        if "a" in args.only:
            conversion(Path(tmp), args.rows, args.morph, report)
        if "b" in args.only:
            ingest(Path(tmp), args.rows, report)
        if "d" in args.only:
            linking(Path(tmp), args.rows, report)
        if args.big_rows and "c" in args.only:
            memory(Path(tmp), args.big_rows, report)
        if "e" in args.only:  # embedded vs remote store: bench/stores.py
            from stores import stores

            stores(Path(tmp), report)
        if "v" in args.only:  # SHACL: lod.shacl against pySHACL: bench/shacl.py
            from shacl import shacl

            shacl(Path(tmp), report, args.rows)
        if "s" in args.only:  # the SPARQL endpoint against Virtuoso: bench/sparql.py
            from sparql import sparql

            sparql(Path(tmp), report)
    report["bench_s"] = round(time.perf_counter() - started)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(summary(report))


def summary(report: dict) -> str:
    lines = [""]
    if "v_shacl" in report:
        from shacl import summary as shacl_summary

        lines.append(shacl_summary(report))
    if "a_convert" in report:
        a = report["a_convert"]
        lines.append(
            f"(a) convert {a['rows']:,} rows -> {a['triples']:,} triples: lod {a['lod_convert_s']} s"
            + (
                f", morph-kgc {a['morph_kgc_s']} s ({a['speedup_vs_morph_kgc']}x)"
                if "morph_kgc_s" in a
                else ", morph-kgc not run (make bench installs it)"
            )
            + f", rdflib {a['rdflib_s']} s ({a['speedup_vs_rdflib']}x)"
            + (
                f", lod on one CPU {a['lod_convert_one_cpu_s']} s"
                f" (two CPUs: {a['two_cpus_vs_one']}x faster)"
                if "lod_convert_one_cpu_s" in a
                else ""
            )
            + ";"
            + f" same triples: {a['same_triples']}, sample isomorphic: {a['sample_isomorphic']}"
        )
    if "b_ingest" in report:
        b = report["b_ingest"]
        lines.append(
            f"(b) ingest {b['triples']:,} triples: {b['lod_ingest_s']} s vs bulk_load"
            f" {b['bulk_load_floor_s']} s ({b['ingest_vs_floor']}x the floor);"
            f" peak {b['lod_ingest_peak_mb']} MB vs {b['bulk_load_floor_peak_mb']} MB;"
            f" a new version: {b['new_version_ingest_s']} s, {b['new_version_ingest_peak_mb']} MB"
        )
    if "d_linking" in report:
        d = report["d_linking"]
        lines.append(
            f"(d) linking the territorial columns of {d['rows']:,} rows"
            f" ({d['triples_plain']:,} -> {d['triples_linked']:,} triples):"
            f" conversion as lod ingest does it {d['ingest_conversion_linked_s']} s vs"
            f" {d['ingest_conversion_plain_s']} s unlinked (x{d['ingest_conversion_ratio']},"
            f" target <= 1.2); lod convert {d['lod_convert_linked_s']} s vs"
            f" {d['lod_convert_plain_s']} s (x{d['lod_convert_ratio']})"
        )
    if "e_stores" in report:
        from stores import summary as stores_summary

        lines.append(stores_summary(report["e_stores"]))
    if "sparql" in report:
        from sparql import summary as sparql_summary

        lines.append(sparql_summary(report["sparql"]))
    if "c_memory" in report:
        c = report["c_memory"]
        lines.append(
            f"(c) {c['rows']:,} rows: lod convert peak {c['lod_convert_peak_mb']} MB"
            f" ({c['lod_convert_s']} s), lod ingest peak {c['lod_ingest_peak_mb']} MB"
            f" ({c['lod_ingest_s']} s)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
