"""The README's cross-region queries, run over one store with the territorial codelist and two
datasets of two publishers (a region's population by obec code, another's schools by obec
name and okres), their answers checked against sums computed here from the input tables and
ČSÚ's file."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from lod.publish import ingest
from lod.settings import load_settings
from lod.store import open_store
from lod.territory import default_source
from lod.territory.dataset import update

from .conftest import BASE
from .test_validation import VALID

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
KHK, PARDUBICKY = "86", "94"  # VÚSC codes


def struktura() -> dict[str, dict]:
    with open(default_source(), encoding="utf-8", newline="") as f:
        return {row["obec_kod"]: row for row in csv.DictReader(f)}


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The store, the input tables, and ČSÚ's rows."""
    tmp = tmp_path_factory.mktemp("cross")
    units = struktura()
    env = {"LOD_HOME": str(tmp / "home"), "LOD_BASE_URL": BASE}
    khk = load_settings(env=env, config_file=tmp / "none.toml")
    pardubice = load_settings(env={**env, "LOD_PUBLISHER": "70892822"}, config_file=tmp / "x")
    store = open_store(khk)
    update(store, khk)
    # Dataset 1 (KHK): population of every third obec of two kraje, by obec code.
    chosen = sorted(
        code for code, row in units.items() if row["kraj_ruian_vusc_kod"] in (KHK, PARDUBICKY)
    )[::3]
    population = {code: int(code) % 997 + 50 for code in chosen}
    rows = [["Kód obce", "Počet obyvatel"]] + [[c, str(n)] for c, n in population.items()]
    ingest(store, khk, write(tmp / "obyvatele.csv", rows), "obyvatele", VALID)
    # Dataset 2 (Pardubický kraj): schools by obec name and okres (names of obce repeat;
    # the okres tells them apart, except for a name given twice in one okres).
    named = Counter((row["obec_text"].casefold(), row["okres_text"]) for row in units.values())
    schools = {}
    for code in chosen[::2]:
        row = units[code]
        if named[(row["obec_text"].casefold(), row["okres_text"])] == 1:
            schools[code] = (row["obec_text"], row["okres_text"], int(code) % 7 + 1)
    rows = [["Obec", "Okres", "Počet škol"]] + [[n, o, str(s)] for n, o, s in schools.values()]
    ingest(store, pardubice, write(tmp / "skoly.csv", rows), "skoly", VALID)
    yield store, population, schools, units
    store.close()


def readme_query(heading: str) -> str:
    """The first ```sparql block after `heading` in the README's cross-region section."""
    section = README.split("### Cross-region queries", 1)[1]
    after = section.split(heading, 1)[1]
    query = re.search(r"```sparql\n(.*?)```", after, flags=re.S).group(1)
    return query.replace("https://data.kraj.example.cz", BASE)


def rows(store, query: str) -> list[dict]:
    return [{k: str(v) for k, v in row.items()} for row in store.query(query).rows()]


def test_sum_an_indicator_from_obce_up_to_orp_okres_and_kraj(world):
    store, population, _, units = world
    got = {(r["level"], r["unit"]): int(r["total"]) for r in rows(store, readme_query("(a)"))}
    wanted: Counter = Counter()
    for code, n in population.items():
        row = units[code]
        wanted[("orp", RUIAN + "orp/" + row["orp_ruian_kod"])] += n
        wanted[("okres", RUIAN + "okres/" + row["okres_ruian_kod"])] += n
        wanted[("kraj", RUIAN + "vusc/" + row["kraj_ruian_vusc_kod"])] += n
    got = {(level.rsplit("#", 1)[-1], unit): n for (level, unit), n in got.items()}
    assert got == dict(wanted)
    assert got[("kraj", RUIAN + "vusc/86")] + got[("kraj", RUIAN + "vusc/94")] == sum(
        population.values()
    )


def test_the_fast_form_of_the_sum_gives_the_same(world):
    store = world[0]
    natural, fast = rows(store, readme_query("(a)")), rows(store, readme_query("(a′)"))
    assert natural and sorted(map(sorted_items, fast)) == sorted(map(sorted_items, natural))


def sorted_items(row: dict) -> tuple:
    return tuple(sorted(row.items()))


def test_compare_two_datasets_of_two_publishers_joined_on_the_obec(world):
    store, population, schools, units = world
    got = {r["obec"]: r for r in rows(store, readme_query("(b)"))}
    assert set(got) == {RUIAN + "obec/" + code for code in schools}
    for code, (name, _, count) in schools.items():
        row = got[RUIAN + "obec/" + code]
        assert (row["name"], int(row["people"]), int(row["schools"])) == (
            name,
            population[code],
            count,
        )
        assert row["publisher1"] != row["publisher2"]
        assert row["publisher2"].endswith("/70892822")


def test_municipalities_of_a_kraj_missing_from_a_dataset(world):
    store, population, _, units = world
    got = {r["obec"] for r in rows(store, readme_query("(c)"))}
    wanted = {
        RUIAN + "obec/" + code
        for code, row in units.items()
        if row["kraj_ruian_vusc_kod"] == KHK and code not in population
    }
    assert got == wanted and len(wanted) > 250
    assert URIRef(RUIAN + "obec/" + min(population)) not in got
