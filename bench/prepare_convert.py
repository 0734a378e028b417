"""The conversion `lod ingest` does, without the store: a table to canonical CSV, inferred
CSVW metadata and N-Triples (`tabular.prepare` + `tabular.to_ntriples`), linking territorial
columns to RÚIAN IRIs with the shipped codelist, or not (--no-link).

Usage: python bench/prepare_convert.py TABLE OUT.nt [--no-link]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from lod import tabular
from lod.territory import lookup

BASE = "https://data.example.cz/datasets/bench"


def main(table: Path, out: Path, link: bool) -> None:
    index = lookup.load() if link else None
    with tempfile.TemporaryDirectory(prefix="lod-bench-") as tmp:
        csv_path = Path(tmp) / "data.csv"
        prepared = tabular.prepare(
            table,
            csv_path,
            table_url=f"{BASE}/data.csv",
            about_url=f"{BASE}/rows/{{_row}}",
            property_url=f"{BASE}/columns/{{_name}}",
            index=index,
        )
        metadata = {"@context": prepared.metadata["@context"], "@id": f"{BASE}/table"}
        metadata.update(prepared.metadata)
        with open(out, "wb") as f:
            for chunk in tabular.to_ntriples(metadata, csv_path=csv_path, chunks=True):
                f.write(chunk)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), "--no-link" not in sys.argv[3:])
