"""Shared fixtures: an isolated LOD_HOME with an https base URL (the OFN schemas require https)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lod.settings import load_settings


def _find_reference() -> Path:
    """../shared/reference beside the checkout (LOD_REFERENCE overrides)."""
    candidates = [
        os.environ.get("LOD_REFERENCE"),
        Path(__file__).resolve().parents[2] / "shared" / "reference",
        Path("/work/shared/reference"),
    ]
    for candidate in filter(None, candidates):
        if Path(candidate).is_dir():
            return Path(candidate)
    return Path(candidates[1])


REFERENCE = _find_reference()
DATA = Path(__file__).resolve().parent / "data"
BASE = "https://data.example.cz"


def reference(*parts: str) -> Path:
    path = REFERENCE.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"reference data missing: {path} (tests need ../shared/reference)")
    return path


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch):
    """`make` exports LOD_HOME and LOD_BASE_URL; a test's settings come from the test alone."""
    for name in list(os.environ):
        if name.startswith("LOD_") and name != "LOD_REFERENCE":
            monkeypatch.delenv(name)


@pytest.fixture
def run(tmp_path):
    """``lod ARGS…`` in-process (click's runner) with its own LOD_HOME and base URL; the
    result has the output and exit code. ``run.settings`` are the settings it runs with."""
    from click.testing import CliRunner

    from lod.cli import main

    env = {
        "LOD_HOME": str(tmp_path / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp_path / "x.toml"),
    }

    def invoke(*args):
        return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)

    invoke.settings = load_settings(  # type: ignore[attr-defined]
        env={"LOD_HOME": env["LOD_HOME"], "LOD_BASE_URL": BASE}, config_file=tmp_path / "x.toml"
    )
    return invoke


@pytest.fixture
def settings(tmp_path):
    return load_settings(
        env={"LOD_HOME": str(tmp_path / "home"), "LOD_BASE_URL": BASE},
        config_file=tmp_path / "none.toml",
    )


@pytest.fixture
def store(settings):
    from lod.store import open_store

    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def app(settings, store):
    from lod.app import create_app

    app = create_app(settings, store)
    app.testing = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


# One suite, two stores (issue 8): the store-facing tests run on the embedded store and on a
# Virtuoso started for the session; see tests/virtuoso.py (LOD_TEST_STORES, LOD_TEST_VIRTUOSO).
from .virtuoso import (  # noqa: E402, F401
    pytest_generate_tests,
    settings_of_store_kind,
    store_kind,
    virtuoso,
)
