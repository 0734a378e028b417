"""Benchmarks for lod (run with `make bench`). Never part of the test run's pass/fail.

Every figure is a ratio against a baseline measured in the same run on the same machine:

* convert memory: peak RSS of `lod convert` on N rows vs on 10×N rows (target ≈ 1: streaming);
* convert speed: `lod convert -f nt` vs a plain Python `csv.reader` pass over the same file;
* ingest speed and memory: `lod ingest` (convert + validate + load + checkpoint) vs
  pyoxigraph's own `bulk_load` of the resulting N-Triples into an empty store.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "tests" / "data" / "records" / "valid.yaml"


def make_table(path: Path, rows: int) -> None:
    rng = random.Random(7)
    obce = ["Hradec Králové", "Jičín", "Náchod", "Trutnov", "Rychnov nad Kněžnou", "Dvůr Králové"]
    with open(path, "w", encoding="cp1250", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Kód obce", "Obec", "Rok", "Počet obyvatel", "Výdaje", "Datum", "Kód"])
        for i in range(rows):
            w.writerow(
                [
                    str(500000 + i % 9000),
                    rng.choice(obce),
                    2000 + i % 25,
                    rng.randint(50, 90000),
                    f"{rng.randint(0, 10**7)},{rng.randint(0, 99):02d}",
                    f"{1 + i % 28}. {1 + i % 12}. 2024",
                    f"{i % 1000:04d}",
                ]
            )


def run_measured(args: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (kB) of a child process."""
    wrapper = (
        "import resource, subprocess, sys, time; t=time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *args], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), int(out[1])


def baseline_csv(path: Path) -> float:
    t = time.perf_counter()
    with open(path, encoding="cp1250", newline="") as f:
        for _row in csv.reader(f, delimiter=";"):
            pass
    return time.perf_counter() - t


def main() -> None:
    lod = str(Path(sys.executable).with_name("lod"))
    report: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small, big = tmp / "small.csv", tmp / "big.csv"
        make_table(small, 20_000)
        make_table(big, 200_000)

        t_small, m_small = run_measured(
            [lod, "convert", str(small), "-f", "nt", "-o", str(tmp / "s.nt")]
        )
        t_big, m_big = run_measured([lod, "convert", str(big), "-f", "nt", "-o", str(tmp / "b.nt")])
        base = baseline_csv(big)
        report["convert_peak_rss_ratio_200k_vs_20k"] = round(m_big / m_small, 2)
        report["convert_peak_rss_kb_200k"] = m_big
        report["convert_time_ratio_vs_csv_reader"] = round(t_big / base, 1)
        report["convert_rows_per_s"] = round(200_000 / t_big)

        env = {
            **os.environ,
            "LOD_HOME": str(tmp / "home"),
            "LOD_BASE_URL": "https://data.example.cz",
            "LOD_CONFIG": str(tmp / "none.toml"),
        }
        t_ingest, m_ingest = run_measured(
            [lod, "ingest", str(big), "--id", "bench", "--meta", str(RECORD)], env=env
        )
        nt = next((tmp / "home" / "files" / "bench").iterdir()) / "data.nt"
        load = (
            "import pyoxigraph as ox, resource, sys, time; s=ox.Store(sys.argv[1]); "
            "t=time.perf_counter(); s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES); "
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run(
            [sys.executable, "-c", load, str(tmp / "ox"), str(nt)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        t_load, m_load = float(out[0]), int(out[1])
        triples = sum(1 for _ in open(nt, "rb"))
        report["ingest_time_ratio_vs_bulk_load"] = round(t_ingest / t_load, 1)
        report["ingest_triples_per_s"] = round(triples / t_ingest)
        report["ingest_peak_rss_kb"] = m_ingest
        report["ingest_peak_rss_ratio_vs_bulk_load"] = round(m_ingest / m_load, 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
