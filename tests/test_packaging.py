"""A non-editable install works: shapes/, vocab/, templates/ and demo/ ship inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def test_wheel_ships_the_shared_folders_and_finds_them(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("lod-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "lod/_share/shapes/nkod.ttl",
        "lod/_share/templates/base.html",
        "lod/_share/vocab/ofn/context-2024-05-28.jsonld",
        "lod/_share/vocab/eu/labels.ttl",
        "lod/_share/vocab/territory/struktura_uzemi_cr_2025.csv",
        "lod/_share/vocab/territory/ontology.ttl",
        "lod/_share/vocab/territory/uzemni-struktura-cr.yaml",
        "lod/_share/demo/demo.yaml",
        "lod/cli.py",
    ):
        assert name in names, name
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import lod.resources as r; print(r.shapes('nkod.ttl')); print(r.templates()); "
        "print(r.vocab('ofn')); print(r.demo('demo.yaml'))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(line.startswith(str(site / "lod" / "_share")) for line in out), out
    assert all(Path(p).exists() for p in out)
