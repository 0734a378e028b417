"""Statistics as RDF Data Cube: the integrity constraints (shapes/datacube/) on well-formed and
broken cubes, the cube plan inferred from a table, and `lod ingest --cube` end to end (the
published cube, its sums up to the kraj through the codelist, and its reproduction from the
published CSV and CSVW metadata alone)."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.compare import isomorphic

from lod.cli import main
from lod.cube import CubeOptions, check_published, plan_cube, violations
from lod.cube.plan import REF_AREA, REF_PERIOD, UNIT_MEASURE
from lod.errors import BadInput, ValidationFailed
from lod.iris import Iris
from lod.settings import load_settings
from lod.store import open_store
from lod.territory import default_source
from lod.territory.dataset import update

from .conftest import BASE, DATA, reference
from .test_validation import VALID

QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
PREFIXES = (
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
)
CUBE = (DATA / "cube" / "valid.ttl").read_text(encoding="utf-8")
MEASURE_DIMENSION = (DATA / "cube" / "measure-dimension.ttl").read_text(encoding="utf-8")
DATASET = "<https://data.example.cz/datasets/pokus>"
ROW1 = "ex:rows\\/1 a qb:Observation ; qb:dataSet <https://data.example.cz/datasets/pokus> ;"
NUM = "http://qudt.org/vocab/unit/NUM"
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def cube(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def ics(text: str, shapes=None) -> set[str]:
    return {v.ic for v in violations(cube(text), shapes)}


# -- the integrity constraints ---------------------------------------------------------------

HIERARCHY = (
    "sdmx-dimension:refArea qb:codeList ex:h . ex:h a qb:HierarchicalCodeList ; "
    "qb:hierarchyRoot ex:cz ; "
)
COLLECTION = (
    "sdmx-dimension:refArea qb:codeList ex:c . ex:c a skos:Collection . "
    "obec:569810 a skos:Concept . obec:579092 a skos:Concept . "
)
# Each a well-formed cube (the fixtures, or one with a code list or hierarchy) ...
WELL_FORMED = {
    "multi-measure": CUBE,
    "measure dimension": MEASURE_DIMENSION,
    "code list (scheme)": CUBE
    + "sdmx-dimension:refArea qb:codeList ex:s . ex:s a skos:ConceptScheme . "
    "obec:569810 a skos:Concept ; skos:inScheme ex:s . "
    "obec:579092 a skos:Concept ; skos:inScheme ex:s .",
    "code list (collection)": CUBE + COLLECTION + "ex:c skos:member obec:569810, obec:579092 .",
    "hierarchy": CUBE + HIERARCHY + "qb:parentChildProperty ex:narrower . ex:cz ex:narrower ex:k . "
    "ex:k ex:narrower obec:569810, obec:579092 .",
    "hierarchy (inverse)": CUBE
    + HIERARCHY
    + "qb:parentChildProperty [ owl:inverseOf ex:broader ] . "
    "obec:569810 ex:broader ex:cz . obec:579092 ex:broader ex:k . ex:k ex:broader ex:cz .",
}

# ... and cubes broken for one constraint: (the constraint, the cube)
BROKEN = {
    "IC-1 no data set": ("IC-1", changed(CUBE, ROW1, "ex:rows\\/1 a qb:Observation ;")),
    "IC-1 two data sets": ("IC-1", CUBE + "ex:rows\\/1 qb:dataSet ex:other ."),
    "IC-2": ("IC-2", CUBE + f"{DATASET} qb:structure ex:structure2 ."),
    "IC-3": (
        "IC-3",
        CUBE + "ex:s2 a qb:DataStructureDefinition ; qb:component [ qb:dimension ex:d ] .",
    ),
    "IC-4": (
        "IC-4",
        changed(
            CUBE,
            "sdmx-dimension:refPeriod a qb:DimensionProperty, rdf:Property ; "
            "rdfs:range rdfs:Resource .",
            "sdmx-dimension:refPeriod a qb:DimensionProperty, rdf:Property .",
        ),
    ),
    "IC-5": ("IC-5", CUBE + "sdmx-dimension:refArea rdfs:range skos:Concept ."),
    "IC-6": (
        "IC-6",
        CUBE + "ex:structure qb:component [ qb:dimension ex:d ; qb:componentRequired false ] .",
    ),
    "IC-7": ("IC-7", CUBE + "ex:key a qb:SliceKey ; qb:componentProperty ex:d ."),
    "IC-8": (
        "IC-8",
        CUBE + "ex:structure qb:sliceKey ex:key . "
        "ex:key a qb:SliceKey ; qb:componentProperty ex:notInTheStructure .",
    ),
    "IC-9": ("IC-9", CUBE + 'ex:slice a qb:Slice ; sdmx-dimension:refPeriod "2023"^^xsd:gYear .'),
    "IC-10": (
        "IC-10",
        CUBE + "ex:structure qb:sliceKey ex:key . "
        "ex:key a qb:SliceKey ; qb:componentProperty sdmx-dimension:refPeriod . "
        "ex:slice a qb:Slice ; qb:sliceStructure ex:key .",
    ),
    "IC-11": (
        "IC-11",
        changed(
            CUBE,
            'sdmx-dimension:refArea obec:569810 ; sdmx-dimension:refPeriod "2023"^^xsd:gYear ;',
            "sdmx-dimension:refArea obec:569810 ;",
        ),
    ),
    "IC-12": (
        "IC-12",
        CUBE + f"ex:rows\\/5 a qb:Observation ; qb:dataSet {DATASET} ; "
        'sdmx-dimension:refArea obec:579092 ; sdmx-dimension:refPeriod "2024"^^xsd:gYear ; '
        "ex:measures\\/obyvatel 1 .",
    ),
    "IC-13": (
        "IC-13",
        changed(
            CUBE,
            "qb:componentAttachment qb:MeasureProperty ]",
            "qb:componentAttachment qb:MeasureProperty ; qb:componentRequired true ]",
        ),
    ),
    "IC-14": ("IC-14", changed(CUBE, "ex:measures\\/obyvatel 230 .", ".")),
    "IC-15": (
        "IC-15",
        changed(
            MEASURE_DIMENSION,
            "qb:measureType ex:skoly ; ex:skoly 1 .",
            "qb:measureType ex:skoly ; ex:obyvatel 1 .",
        ),
    ),
    "IC-16": (
        "IC-16",
        changed(
            MEASURE_DIMENSION,
            "qb:measureType ex:skoly ; ex:skoly 1 .",
            "qb:measureType ex:skoly ; ex:skoly 1 ; ex:obyvatel 230 .",
        ),
    ),
    "IC-17": (
        "IC-17",
        changed(
            MEASURE_DIMENSION,
            "ex:o4 a qb:Observation ; qb:dataSet ex:cube ; sdmx-dimension:refArea obec:579092 ;\n"
            "    qb:measureType ex:skoly ; ex:skoly 1 .",
            "",
        ),
    ),
    "IC-18": (
        "IC-18",
        CUBE + "ex:other a qb:DataSet ; qb:structure ex:structure ; qb:slice ex:slice . "
        "ex:slice qb:observation ex:rows\\/1 .",
    ),
    "IC-19 a (scheme)": (
        "IC-19",
        CUBE + "sdmx-dimension:refArea qb:codeList ex:s . ex:s a skos:ConceptScheme . "
        "obec:569810 a skos:Concept ; skos:inScheme ex:s .",
    ),
    "IC-19 b (collection)": ("IC-19", CUBE + COLLECTION + "ex:c skos:member obec:569810 ."),
    "IC-20": (
        "IC-20",
        CUBE + HIERARCHY + "qb:parentChildProperty ex:narrower . ex:cz ex:narrower obec:569810 .",
    ),
    "IC-21": (
        "IC-21",
        CUBE
        + HIERARCHY
        + "qb:parentChildProperty [ owl:inverseOf ex:broader ] . obec:569810 ex:broader ex:cz .",
    ),
}


@pytest.mark.parametrize("name", WELL_FORMED)
def test_a_well_formed_cube_breaks_no_constraint(name):
    assert violations(cube(WELL_FORMED[name])) == []


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_cube_breaks_its_constraint(name):
    ic, text = BROKEN[name]
    assert ic in ics(text)


def test_the_violations_name_the_observation():
    found = violations(cube(BROKEN["IC-14"][1]))
    assert [(v.ic, v.focus) for v in found] == [
        ("IC-14", "https://data.example.cz/datasets/pokus/rows/3")
    ]
    assert "measure" in found[0].message


# Each fix of shapes/datacube/ (SOURCES.md) is needed: the unchanged copy gets these wrong.
@pytest.mark.parametrize(
    "fix, text, ic, reported",
    [
        ("1: IC-12 reports distinct years as duplicates", CUBE, "IC-12", True),
        ("2: IC-17 never fires", BROKEN["IC-17"][1], "IC-17", False),
        ("3: IC-19 b reports members", WELL_FORMED["code list (collection)"], "IC-19", True),
        ("4: IC-21 walks the wrong way", WELL_FORMED["hierarchy (inverse)"], "IC-21", True),
    ],
)
def test_the_unchanged_copy_of_the_shapes_needed_the_fix(fix, text, ic, reported):
    original = rdflib.Graph().parse(reference("datacube", "datacube.shapes.ttl"))
    assert (ic in ics(text, original)) is reported
    assert (ic in ics(text)) is not reported


def test_the_check_before_publishing_reports_rows(tmp_path):
    nt = tmp_path / "data.nt"
    cube(BROKEN["IC-14"][1]).serialize(nt, format="nt", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        check_published(nt, rows_prefix="https://data.example.cz/datasets/pokus/rows/")
    [problem] = failed.value.problems
    assert (problem.row, problem.component, problem.check) == (3, "IC-14", "datacube")
    cube(CUBE).serialize(nt, format="nt", encoding="utf-8")
    check_published(nt, rows_prefix="https://data.example.cz/datasets/pokus/rows/")


# -- the plan: which columns are dimensions and measures --------------------------------------

IRIS = Iris(BASE)


def metadata(*columns: dict) -> dict:
    return {"tableSchema": {"columns": [dict(c) for c in columns]}}


OBEC = {"name": "kod_obce", "titles": "Kód obce", "valueUrl": RUIAN + "obec/{kod_obce}"}
OKRES = {
    "name": "okres_ruian",
    "titles": "Okres (RÚIAN)",
    "valueUrl": RUIAN + "okres/{okres_ruian}",
}
NAME = {"name": "nazev", "titles": "Název obce", "datatype": "string"}
YEAR = {"name": "obdobi", "titles": "Období", "datatype": "integer"}
COUNT = {"name": "pocet", "titles": "Počet", "datatype": "integer"}
SHARE = {"name": "podil", "titles": "Podíl", "datatype": {"base": "decimal"}}
SEX = {"name": "pohlavi", "titles": "Pohlaví", "datatype": "string"}


def test_the_plan_is_inferred_from_the_linked_column_the_period_and_the_numbers():
    plan = plan_cube(metadata(OKRES, OBEC, NAME, YEAR, COUNT, SHARE), CubeOptions(), IRIS, "x")
    assert [(c.name, c.property) for c in plan.dimensions] == [
        ("kod_obce", REF_AREA),  # the finest unit of the two linked columns
        ("obdobi", REF_PERIOD),
    ]
    assert [(c.name, c.property) for c in plan.measures] == [
        ("pocet", IRIS.measure("x", "pocet")),
        ("podil", IRIS.measure("x", "podil")),
    ]
    assert (plan.dataset, plan.structure) == (IRIS.dataset("x"), IRIS.structure("x"))


def test_the_options_name_dimensions_measures_period_and_units():
    options = CubeOptions(
        dimensions=("Kód obce", "pohlavi"),
        measures=("Podíl",),
        period="obdobi",
        units=(("podil", "http://qudt.org/vocab/unit/PERCENT"),),
    )
    plan = plan_cube(metadata(OBEC, SEX, YEAR, COUNT, SHARE), options, IRIS, "x")
    assert [(c.name, c.role, c.property) for c in plan.dimensions] == [
        ("kod_obce", "area", REF_AREA),
        ("pohlavi", "dimension", IRIS.dimension("x", "pohlavi")),
        ("obdobi", "period", REF_PERIOD),
    ]
    assert [(c.name, c.unit) for c in plan.measures] == [
        ("podil", "http://qudt.org/vocab/unit/PERCENT")
    ]


@pytest.mark.parametrize(
    "columns, options, where",
    [
        ((NAME, YEAR, COUNT), CubeOptions(), "--cube"),  # no territorial column
        ((OBEC, YEAR, NAME), CubeOptions(), "--cube"),  # no numeric column
        ((OBEC, YEAR, COUNT), CubeOptions(measures=("nazev",)), "--measure"),  # no such column
        ((OBEC, NAME, COUNT), CubeOptions(measures=("nazev",)), "--measure"),  # not numeric
        ((OBEC, NAME, COUNT), CubeOptions(measures=("kod_obce",)), "--measure"),  # a dimension
        ((OBEC, NAME, COUNT), CubeOptions(period="nazev"), "--period"),  # not years
        ((OBEC, YEAR, COUNT), CubeOptions(units=(("obdobi", NUM),)), "--unit"),  # not a measure
    ],
)
def test_a_table_that_makes_no_cube_is_refused_with_the_option_to_give(columns, options, where):
    with pytest.raises(BadInput) as refused:
        plan_cube(metadata(*columns), options, IRIS, "x")
    assert refused.value.where == where


@pytest.mark.parametrize("text", ["pocet", "pocet=", "=http://x.cz/u", "pocet=NUM"])
def test_a_unit_is_a_column_and_an_absolute_iri(text):
    with pytest.raises(BadInput):
        CubeOptions.parse_unit(text)
    assert CubeOptions.parse_unit(f"Počet obyvatel = {NUM}") == ("Počet obyvatel", NUM)


# -- lod ingest --cube -------------------------------------------------------------------------

YEARS = ("2023", "2024")


def write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return path


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A table of an indicator by obec and year (every 60th obec of two kraje; the numbers
    are made up), published with ``lod ingest --cube``. Small: pySHACL checks every
    observation against every other one (IC-12)."""
    tmp = tmp_path_factory.mktemp("cube")
    with open(default_source(), encoding="utf-8", newline="") as f:
        units = {r["obec_kod"]: r for r in csv.DictReader(f)}
    codes = sorted(c for c, r in units.items() if r["kraj_ruian_vusc_kod"] in ("86", "94"))[::60]
    values = {(c, y): int(c) % 991 + 40 * n for c in codes for n, y in enumerate(YEARS)}
    rows = [["Kód obce", "Název obce", "Rok", "Počet obyvatel"]]
    rows += [[c, units[c]["obec_text"], y, str(v)] for (c, y), v in values.items()]
    table = write(tmp / "obyvatele.csv", rows)
    env = {"LOD_HOME": str(tmp / "home"), "LOD_BASE_URL": BASE, "LOD_CONFIG": str(tmp / "x")}
    settings = load_settings(env=env, config_file=tmp / "x")
    store = open_store(settings)
    update(store, settings)
    store.close()
    result = CliRunner().invoke(
        main,
        ["ingest", str(table), "--id", "obyvatele", "--meta", str(VALID), "--cube"]
        + ["--unit", f"Počet obyvatel={NUM}"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    store = open_store(settings)
    yield store, settings, values, units, result, env
    store.close()


def data_graph(store) -> rdflib.Graph:
    return store.graph(Iris(BASE).data_graph("obyvatele"))


def test_the_table_is_published_as_a_data_set_with_its_structure(published):
    store, _, _, _, result, _ = published
    graph = data_graph(store)
    iris = Iris(BASE)
    dataset, dsd = URIRef(iris.dataset("obyvatele")), URIRef(iris.structure("obyvatele"))
    measure = URIRef(iris.measure("obyvatele", "pocet_obyvatel"))
    assert (dataset, RDF.type, QB.DataSet) in graph
    assert (dataset, QB.structure, dsd) in graph
    assert (dsd, RDF.type, QB.DataStructureDefinition) in graph
    components = {
        (p, o)
        for c in graph.objects(dsd, QB.component)
        for p, o in graph.predicate_objects(c)
        if p in (QB.dimension, QB.measure, QB.attribute)
    }
    assert components == {
        (QB.dimension, URIRef(REF_AREA)),
        (QB.dimension, URIRef(REF_PERIOD)),
        (QB.measure, measure),
        (QB.attribute, URIRef(UNIT_MEASURE)),
    }
    assert (measure, RDF.type, QB.MeasureProperty) in graph
    assert (measure, RDFS.label, Literal("Počet obyvatel", lang="cs")) in graph
    assert (measure, URIRef(UNIT_MEASURE), URIRef(NUM)) in graph
    assert "Data Cube: dimensions sdmx-dimension:refArea = 'Kód obce'" in result.output


def test_every_row_is_an_observation_of_an_obec_and_a_year(published):
    store, _, values, _, _, _ = published
    graph = data_graph(store)
    measure = URIRef(Iris(BASE).measure("obyvatele", "pocet_obyvatel"))
    found = {}
    for obs in graph.subjects(RDF.type, QB.Observation):
        assert graph.value(obs, QB.dataSet) == URIRef(Iris(BASE).dataset("obyvatele"))
        area = str(graph.value(obs, URIRef(REF_AREA)))
        period = graph.value(obs, URIRef(REF_PERIOD))
        assert area.startswith(RUIAN + "obec/")
        assert period.datatype == rdflib.XSD.gYear
        found[(area.rsplit("/", 1)[1], str(period))] = int(graph.value(obs, measure))
    assert found == values


def test_the_published_cube_meets_the_integrity_constraints(published):
    store, *_ = published
    assert violations(data_graph(store)) == []


def test_the_measure_sums_up_to_the_kraj_through_the_codelist(published):
    """The README's query, over the published cube and the codelist."""
    store, _, values, units, _, _ = published
    section = README.split("### Statistics as RDF Data Cube", 1)[1]
    query = re.search(r"```sparql\n(.*?)```", section, flags=re.S).group(1)
    query = query.replace("https://data.kraj.example.cz", BASE)
    got = {(str(r["kraj"]), str(r["year"])): int(r["total"]) for r in store.query(query).rows()}
    wanted: Counter = Counter()
    for (code, year), n in values.items():
        wanted[(RUIAN + "vusc/" + units[code]["kraj_ruian_vusc_kod"], year)] += n
    assert got == dict(wanted)
    assert len(got) == 4  # two kraje, two years


def test_the_published_csv_and_metadata_reproduce_the_cube(published, tmp_path):
    store, settings, *_ = published
    folder = max((settings.home_path / "files" / "obyvatele").iterdir())
    out = tmp_path / "again.nt"
    result = CliRunner().invoke(
        main,
        ["convert", str(folder / "data.csv"), "--metadata"]
        + [str(folder / "data.csv-metadata.json"), "-f", "nt", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    again = rdflib.Graph().parse(out, format="nt")
    assert isomorphic(again, data_graph(store))
    schema = json.loads((folder / "data.csv-metadata.json").read_text(encoding="utf-8"))
    assert schema["tableSchema"]["primaryKey"] == ["kod_obce", "rok"]


def test_the_structure_and_measures_dereference(published):
    from lod.app import create_app

    store, settings, *_ = published
    client = create_app(settings, store).test_client()
    iris = Iris(BASE)
    for iri, fact in (
        (iris.structure("obyvatele"), f"<{REF_AREA}>"),  # its components, blank nodes
        (iris.measure("obyvatele", "pocet_obyvatel"), '"Počet obyvatel"@cs'),
    ):
        answer = client.get(iri[len(BASE) :], headers={"Accept": "application/n-triples"})
        assert answer.status_code == 200
        assert fact in answer.get_data(as_text=True)


# -- lod ingest --cube: refusals -------------------------------------------------------------


def test_a_repeated_observation_or_a_missing_value_is_refused_with_its_row(published, tmp_path):
    *_, env = published
    rows = [["Kód obce", "Rok", "Počet"], ["569810", "2023", "1"], ["579092", "2023", "2"]]
    for broken, what in (
        (rows + [["569810", "2023", "3"]], "duplicate primary key"),  # row 2's key again
        (rows + [["573965", "2023", ""]], "column 3 (Počet)"),  # no value of the measure
    ):
        table = write(tmp_path / "broken.csv", broken)
        result = CliRunner().invoke(
            main,
            ["ingest", str(table), "--id", "rozbita", "--meta", str(VALID), "--cube"],
            env=env,
            catch_exceptions=False,
        )
        assert result.exit_code == 1, result.output
        assert "row 4" in result.output and what in result.output  # (row 1: the header)
    assert Iris(BASE).metadata_graph("rozbita") not in published[0].named_graphs()


@pytest.mark.parametrize(
    "args",
    [
        ["--dimension", "Rok"],  # without --cube
        ["--cube", "--measure", "Název obce"],  # not numeric
        ["--cube", "--unit", "Počet=NUM"],  # not an IRI
    ],
)
def test_bad_cube_options_are_usage_errors(published, tmp_path, args):
    *_, env = published
    rows = [["Kód obce", "Název obce", "Rok", "Počet"], ["569810", "Hradec Králové", "2023", "1"]]
    table = write(tmp_path / "t.csv", rows)
    result = CliRunner().invoke(
        main,
        ["ingest", str(table), "--id", "spatne", "--meta", str(VALID), *args],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 2, result.output
    assert "error:" in result.output


def test_the_options_choose_the_dimensions_measures_and_period(published, tmp_path):
    store, _, _, _, _, env = published
    rows = [["Kód obce", "Pohlaví", "Sledované období", "Počet", "Podíl"]]
    rows += [
        [obec, sex, year, str(n), f"{n / 10:.1f}".replace(".", ",")]
        for n, (obec, sex, year) in enumerate(
            (o, s, y) for o in ("569810", "579092") for s in ("muži", "ženy") for y in YEARS
        )
    ]
    table = write(tmp_path / "pohlavi.csv", rows)
    result = CliRunner().invoke(
        main,
        ["ingest", str(table), "--id", "podle-pohlavi", "--meta", str(VALID), "--cube"]
        + ["--dimension", "Kód obce", "--dimension", "pohlavi", "--period", "Sledované období"]
        + ["--measure", "Počet"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    iris = Iris(BASE)
    graph = store.graph(iris.data_graph("podle-pohlavi"))
    sex = URIRef(iris.dimension("podle-pohlavi", "pohlavi"))
    dsd = URIRef(iris.structure("podle-pohlavi"))
    dimensions = {
        d for c in graph.objects(dsd, QB.component) for d in graph.objects(c, QB.dimension)
    }
    assert dimensions == {URIRef(REF_AREA), sex, URIRef(REF_PERIOD)}
    measures = {m for c in graph.objects(dsd, QB.component) for m in graph.objects(c, QB.measure)}
    assert measures == {URIRef(iris.measure("podle-pohlavi", "pocet"))}
    assert (sex, RDFS.label, Literal("Pohlaví", lang="cs")) in graph
    assert (sex, RDFS.range, rdflib.XSD.string) in graph
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert len(observations) == len(rows) - 1
    assert {str(graph.value(o, sex)) for o in observations} == {"muži", "ženy"}
    share = URIRef(iris.column("podle-pohlavi", "podil"))  # not a measure: a column as before
    assert all(graph.value(o, share) is not None for o in observations)
    assert violations(graph) == []


def test_a_cube_that_breaks_a_constraint_is_not_published(published, tmp_path, monkeypatch):
    """The integrity constraints run before the store write: a structure without a measure
    (IC-3; lod never writes one, so it is forced here) refuses the whole dataset."""
    import lod.cube.csvw as cube_csvw

    store, settings, *_ = published
    whole = cube_csvw.structure

    def without_measures(plan):
        dsd = whole(plan)
        dsd["qb:component"] = [c for c in dsd["qb:component"] if "qb:measure" not in c]
        return dsd

    monkeypatch.setattr(cube_csvw, "structure", without_measures)
    rows = [["Kód obce", "Rok", "Počet"], ["569810", "2023", "1"], ["579092", "2023", "2"]]
    table = write(tmp_path / "t.csv", rows)
    from lod.publish import ingest

    with pytest.raises(ValidationFailed) as refused:
        ingest(store, settings, table, "bez-merit", VALID, cube=CubeOptions())
    assert {p.component for p in refused.value.problems} == {"IC-3"}
    assert Iris(BASE).metadata_graph("bez-merit") not in store.named_graphs()
    assert not list((settings.home_path / "files" / "bez-merit").glob("2*"))
