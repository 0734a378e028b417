"""`lod ingest` refuses a table whose conversion has errors, and publishes nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lod import tabular
from lod.cli import main
from lod.errors import ConversionFailed
from lod.publish import current_version, files_root, ingest

from .conftest import BASE
from .test_validation import VALID


def _with_required_code(prepare):
    """prepare() whose inferred schema says the code column is required."""

    def wrapped(*args, **kwargs):
        prepared = prepare(*args, **kwargs)
        prepared.metadata["tableSchema"]["columns"][0]["required"] = True
        return prepared

    return wrapped


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "obce.csv"
    path.write_text("kod;nazev\n569810;Hradec Králové\n;Jičín\n", encoding="utf-8")
    return path


def test_ingest_refuses_data_errors_and_changes_nothing(store, settings, table, monkeypatch):
    monkeypatch.setattr(tabular, "prepare", _with_required_code(tabular.prepare))
    with pytest.raises(ConversionFailed) as e:
        ingest(store, settings, table, "obce", VALID)
    (problem,) = e.value.problems
    assert problem.where.endswith("/datasets/obce/data.csv, row 3, column 1 (kod)")
    assert "required" in problem.message
    assert current_version(store, settings, "obce") is None
    assert not any((files_root(settings) / "obce").glob("*"))
    assert f"{settings.base}/datasets/obce" not in str(store.named_graphs())


def test_cli_ingest_exits_1_with_the_located_error(tmp_path, table, monkeypatch):
    monkeypatch.setattr(tabular, "prepare", _with_required_code(tabular.prepare))
    env = {
        "LOD_HOME": str(tmp_path / "home"),
        "LOD_BASE_URL": BASE,
        "LOD_CONFIG": str(tmp_path / "x.toml"),
    }
    result = CliRunner().invoke(
        main, ["ingest", str(table), "--id", "obce", "--meta", str(VALID)], env=env
    )
    assert result.exit_code == 1, result.output
    assert "row 3, column 1 (kod): a value is required, but the cell is empty" in result.stderr
    assert "published" not in result.stdout
