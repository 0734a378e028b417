"""Settings: defaults, then lod.toml, then LOD_* variables; mistakes fail at start with a hint."""

from __future__ import annotations

import pytest

from lod.errors import BadInput
from lod.settings import SETTINGS, load_settings


def test_layers(tmp_path):
    toml = tmp_path / "lod.toml"
    toml.write_text(
        'base_url = "https://from-file.cz"\ncatalog_title = "Katalog kraje"\n', encoding="utf-8"
    )
    s = load_settings(config_file=toml, env={"LOD_BASE_URL": "https://from-env.cz/"})
    assert s.base == "https://from-env.cz"
    assert s.catalog_title == "Katalog kraje"
    assert s.sparql_timeout == 30


def test_unknown_key_in_file_fails_with_the_list(tmp_path):
    toml = tmp_path / "lod.toml"
    toml.write_text('base_uri = "https://x.cz"\n', encoding="utf-8")
    with pytest.raises(BadInput) as info:
        load_settings(config_file=toml, env={})
    assert "base_uri" in info.value.message
    assert "base_url" in info.value.hint


def test_quoted_number_hint(tmp_path):
    with pytest.raises(BadInput) as info:
        load_settings(config_file=tmp_path / "none.toml", env={"LOD_SPARQL_TIMEOUT": "thirty"})
    assert "LOD_SPARQL_TIMEOUT" in str(info.value)


def test_bad_base_url(tmp_path):
    with pytest.raises(BadInput):
        load_settings(config_file=tmp_path / "none.toml", env={"LOD_BASE_URL": "data.kraj.cz"})


def test_publisher_may_be_an_ico(tmp_path):
    s = load_settings(config_file=tmp_path / "none.toml", env={"LOD_PUBLISHER": "70889546"})
    assert (
        s.publisher_iri
        == "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70889546"
    )


def test_every_setting_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [s.env for s in SETTINGS if s.env not in readme]
    assert missing == []
