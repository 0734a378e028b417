"""The Czech territorial codelist: built from ČSÚ's file, checked against it, loaded, published."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from lod.catalog import ofn
from lod.errors import BadInput
from lod.iris import Iris
from lod.publish import current_version, version_dir
from lod.settings import load_settings
from lod.store import open_store
from lod.territory import codelist, default_source, lookup
from lod.territory.dataset import current_source, update
from lod.territory.source import Source
from lod.validate import check_document, schema

from .conftest import BASE, reference

SOURCE = reference("czech-territory", "struktura_uzemi_cr_2025.csv")
UZEMI = rdflib.Namespace("https://w3id.org/lod-cz/uzemi#")
RUIAN = "https://linked.cuzk.cz/resource/ruian/"
EXPECTED = {"obec": 6258, "pou": 393, "orp": 206, "okres": 77, "kraj": 14, "region": 8, "stat": 1}
DATA_GRAPH = f"{BASE}/datasets/uzemni-struktura-cr/data"
PREFIXES = (
    "PREFIX uzemi: <https://w3id.org/lod-cz/uzemi#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
JSONLD = {"Accept": "application/ld+json"}


def source_rows() -> list[dict]:
    with open(SOURCE, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def row_of(code: str) -> dict:
    return next(r for r in source_rows() if r["obec_kod"] == code)


@pytest.fixture(scope="module")
def index():
    return lookup.build(SOURCE)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One store with the codelist published (by the same code as `lod territory update`)."""
    home = tmp_path_factory.mktemp("territory")
    settings = load_settings(
        env={"LOD_HOME": str(home / "home"), "LOD_BASE_URL": BASE},
        config_file=home / "none.toml",
    )
    store = open_store(settings)
    result = update(store, settings)
    yield settings, store, result
    store.close()


@pytest.fixture(scope="module")
def web(loaded):
    from lod.app import create_app

    settings, store, _ = loaded
    app = create_app(settings, store)
    app.testing = True
    return app.test_client()


def select(store, query: str) -> list[dict]:
    return list(store.query(PREFIXES + query).rows())


# ------------------------------------------------------------------ the file and its copy


def test_the_shipped_file_is_the_reference_file():
    assert default_source().read_bytes() == SOURCE.read_bytes()


def test_counts(index):
    assert index.counts() == EXPECTED
    assert index.valid == "2025-01-01"
    assert index.warnings == []


def test_sample_against_the_source_file(index):
    for code in ("579092", "569810", "554782", "576140"):
        row = row_of(code)
        obec = index.get("obec", code)
        assert obec.iri == f"{RUIAN}obec/{code}"
        assert obec.name == row["obec_text"]
        assert obec.pou.code == row["pou_ruian_kod"]
        assert obec.orp.code == row["orp_ruian_kod"]
        assert obec.orp.codes["csu"] == row["orp_csu_cis65_kod"]
        assert obec.okres.code == row["okres_ruian_kod"]
        assert obec.okres.codes["lau"] == row["okres_csu_cis101_lau_kod"]
        assert obec.kraj.code == row["kraj_ruian_vusc_kod"]
        assert obec.kraj.codes["csu"] == row["kraj_csu_cis100_kod"]
        assert obec.region.code == row["region_ruian_kod"]
        assert obec.stat.code == row["stat_ruian_kod"]


def test_known_facts(index):
    borovnice = index.get("obec", "579092")
    assert (borovnice.okres.name, borovnice.kraj.name) == ("Trutnov", "Královéhradecký kraj")
    assert borovnice.kraj.iri == f"{RUIAN}vusc/86"
    hradec = index.get("obec", "569810")
    assert hradec.orp.iri == f"{RUIAN}orp/965" and hradec.orp.codes["csu"] == "5205"
    assert hradec.okres.iri == f"{RUIAN}okres/3602"
    assert hradec.okres.codes == {"ruian": "3602", "lau": "40568", "nuts": "CZ0521"}
    assert hradec.kraj.codes == {"ruian": "86", "csu": "3085", "nuts": "CZ052", "zkratka": "HKK"}
    assert hradec.obec_type == "Statutární město"
    # Praha's okres has a real code in this file (UI_OBEC has the placeholder 9999)
    assert index.get("obec", "554782").okres.code == "3100"


# ------------------------------------------------------------------ lookup


def test_lookup_by_any_code_system(index):
    vusc86 = f"{RUIAN}vusc/86"
    for code in ("86", "3085", "CZ052", "HKK", " 3085 "):
        assert index.iri("kraj", code) == vusc86, code
    assert index.iri("vusc", "3085") == vusc86  # the RÚIAN segment names the kind too
    assert index.iri("kraj", "3085", system="csu") == vusc86
    assert index.iri("kraj", "3085", system="ruian") is None
    for code in ("3602", "40568", "CZ0521"):
        assert index.iri("okres", code) == f"{RUIAN}okres/3602"
    assert index.iri("orp", "5205") == index.iri("orp", "965") == f"{RUIAN}orp/965"
    assert index.iri("region", "CZ05") == f"{RUIAN}region-soudrznosti/51"
    assert index.iri("stat", "CZ") == f"{RUIAN}stat/1"
    assert index.iri("obec", "999999") is None
    assert index.unit(f"{RUIAN}okres/3602").name == "Hradec Králové"
    assert ("okres", "nuts") in index.systems_of("CZ0524")
    assert {kind for kind, _ in index.systems_of("19")} == {"stat", "region", "kraj", "orp", "pou"}
    with pytest.raises(KeyError, match="use one of"):
        index.get("county", "1")
    with pytest.raises(KeyError, match="no code system"):
        index.get("obec", "569810", system="nuts")


def test_lookup_by_name(index):
    borovnice = index.by_name("Borovnice")
    assert len(borovnice) == 5
    assert {u.code for u in borovnice} == {
        r["obec_kod"] for r in source_rows() if r["obec_text"] == "Borovnice"
    }
    assert "Trutnov" in {u.okres.name for u in borovnice}
    assert all(u.orp and u.kraj for u in borovnice)
    for name in ("Hradec Králové", "Hradec Kralove", "  hradec   králové ", "HRADEC KRÁLOVÉ"):
        assert [u.code for u in index.by_name(name)] == ["569810"], name
    assert [u.code for u in index.by_name("frydek - mistek")] == ["598003"]
    assert [u.code for u in index.by_name("Hradec Králové", kind="okres")] == ["3602"]
    assert index.by_name("Atlantis") == []
    assert lookup.normalize_name(" Ústí  nad\tLabem ") == "usti nad labem"


def test_index_builds_fast():
    best = min(_timed(lambda: lookup.build(SOURCE)) for _ in range(3))
    assert best < 0.5, f"index build took {best:.2f} s"
    assert lookup.load() is lookup.load()  # cached per unchanged file


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


# ------------------------------------------------------------------ the RDF and the ontology


def test_codelist_rdf_of_one_obec():
    lines = [line for line in codelist.ntriples(SOURCE) if line.startswith(f"<{RUIAN}obec/569810>")]
    graph = rdflib.Graph().parse(data="".join(lines), format="nt")
    obec = URIRef(f"{RUIAN}obec/569810")
    assert (obec, RDF.type, UZEMI.Obec) in graph
    assert (obec, SKOS.prefLabel, Literal("Hradec Králové", lang="cs")) in graph
    assert set(graph.objects(obec, SKOS.notation)) == {
        Literal("569810", datatype=UZEMI.kodRuianObec),
        Literal("569810", datatype=UZEMI.kodCsuObec),
    }
    assert set(graph.objects(obec, SKOS.broader)) == {
        URIRef(f"{RUIAN}pou/2046"),
        URIRef(f"{RUIAN}okres/3602"),
    }
    assert graph.value(obec, UZEMI.orp) == URIRef(f"{RUIAN}orp/965")
    assert graph.value(obec, UZEMI.kraj) == URIRef(f"{RUIAN}vusc/86")
    assert graph.value(obec, UZEMI.regionSoudrznosti) == URIRef(f"{RUIAN}region-soudrznosti/51")
    assert graph.value(obec, UZEMI.stat) == URIRef(f"{RUIAN}stat/1")
    assert graph.value(obec, UZEMI.typObce) == UZEMI["typ-obce-statutarni-mesto"]


def test_graph_of_one_region(tmp_path):
    def only_khk(table):
        at = table[0].index("kraj_zkratka")
        table[1:] = [row for row in table[1:] if row[at] == "HKK"]

    graph = codelist.graph(rewrite(tmp_path / "khk.csv", only_khk))
    counts = Counter(o for o in graph.objects(None, RDF.type))
    assert (counts[UZEMI.Obec], counts[UZEMI.Okres], counts[UZEMI.Orp]) == (448, 5, 15)
    assert (counts[UZEMI.Kraj], counts[UZEMI.Stat], counts[SKOS.ConceptScheme]) == (1, 1, 1)
    scheme = UZEMI["struktura-uzemi-cr"]
    assert graph.value(scheme, rdflib.namespace.DCTERMS.valid) == Literal(
        "2025-01-01", datatype=rdflib.XSD.date
    )
    assert (scheme, SKOS.hasTopConcept, URIRef(f"{RUIAN}stat/1")) in graph


def test_every_term_used_is_defined_in_the_ontology(loaded):
    settings, store, _ = loaded
    ontology = rdflib.Graph().parse(
        Path(__file__).resolve().parents[1] / "vocab" / "territory" / "ontology.ttl"
    )
    used = {
        URIRef(str(row["t"]))
        for row in select(
            store,
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } UNION "
            "{ ?s ?p ?o BIND(datatype(?o) AS ?t) FILTER(isLiteral(?o)) } "
            "FILTER(STRSTARTS(STR(?t), STR(uzemi:))) }",
        )
    }
    assert {UZEMI.Obec, UZEMI.kraj, UZEMI.kodCsuKraj, UZEMI.zkratkaKraje} <= used
    for term in used:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in ontology.objects(term, prop)}
            assert {"cs", "en"} <= langs, (term, prop)
        if (term, RDF.type, OWL.ObjectProperty) in ontology:
            assert ontology.value(term, RDFS.domain) and ontology.value(term, RDFS.range), term


# ------------------------------------------------------------------ the store


def test_loaded_as_its_own_named_graph(loaded):
    settings, store, result = loaded
    iris = Iris.of(settings)
    assert iris.territory_graph == DATA_GRAPH
    assert {iris.territory_dataset, iris.territory_graph} <= set(store.named_graphs())
    assert result.counts == EXPECTED
    counts = {
        str(row["c"]).rsplit("#", 1)[1]: int(row["n"])
        for row in select(
            store,
            f"SELECT ?c (COUNT(?u) AS ?n) WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?u a ?c ; "
            "skos:inScheme uzemi:struktura-uzemi-cr }} GROUP BY ?c",
        )
    }
    assert counts == {
        "Obec": 6258,
        "Pou": 393,
        "Orp": 206,
        "Okres": 77,
        "Kraj": 14,
        "RegionSoudrznosti": 8,
        "Stat": 1,
    }


def test_sparql_walks_the_hierarchy(loaded):
    _, store, _ = loaded
    expected = Counter(r["kraj_ruian_vusc_kod"] for r in source_rows())
    by_link = {
        str(row["kraj"]).rsplit("/", 1)[1]: int(row["n"])
        for row in select(
            store,
            "SELECT ?kraj (COUNT(?obec) AS ?n) "
            "WHERE { ?obec a uzemi:Obec ; uzemi:kraj ?kraj } GROUP BY ?kraj",
        )
    }
    assert by_link == expected
    by_broader = {
        str(row["kraj"]).rsplit("/", 1)[1]: int(row["n"])
        for row in select(
            store,
            "SELECT ?kraj (COUNT(DISTINCT ?obec) AS ?n) "
            "WHERE { ?obec a uzemi:Obec ; skos:broader+ ?kraj . ?kraj a uzemi:Kraj } GROUP BY ?kraj",
        )
    }
    assert by_broader == expected
    # ORP -> kraj by the ČSÚ codes: ORP Hradec Králové (5205) lies in the kraj HKK (3085)
    rows = select(
        store,
        'SELECT ?z WHERE { ?orp skos:notation "5205"^^uzemi:kodCsuOrp ; uzemi:kraj ?k . '
        "?k skos:notation ?z FILTER(datatype(?z) = uzemi:zkratkaKraje) }",
    )
    assert [str(r["z"]) for r in rows] == ["HKK"]
    okresy_khk = select(
        store, f"SELECT ?o WHERE {{ ?o a uzemi:Okres ; skos:broader <{RUIAN}vusc/86> }}"
    )
    assert len(okresy_khk) == 5


# ------------------------------------------------------------------ the published dataset


def test_the_codelist_dataset_is_valid_and_downloadable(loaded, web):
    settings, store, _ = loaded
    response = web.get("/datasets/uzemni-struktura-cr", headers=JSONLD)
    assert response.status_code == 200
    doc = response.get_json()
    assert schema.validate(doc) == []
    errors = [p for p in check_document(doc, ofn.to_graph(doc)) if p.severity == "error"]
    assert errors == []
    assert doc["prvek_rúian"] == [f"{RUIAN}stat/1"]
    assert doc["časové_pokrytí"]["začátek"] == "2025-01-01"
    assert {d["iri"].rsplit("/", 1)[1] for d in doc["distribuce"]} == {"csv", "ttl", "nt", "sparql"}
    catalog = web.get("/catalog", headers=JSONLD).get_json()
    assert doc["iri"] in catalog["datová_sada"]
    with web.get("/datasets/uzemni-struktura-cr/data.csv") as response:
        assert response.data == SOURCE.read_bytes()
    with web.get("/datasets/uzemni-struktura-cr/data.csv-metadata.json") as response:
        csvw = response.get_json()
    assert csvw["url"] == f"{BASE}/datasets/uzemni-struktura-cr/data.csv"
    assert [c["name"] for c in csvw["tableSchema"]["columns"]][:3] == [
        "platnost_datum",
        "obec_text",
        "obec_kod",
    ]
    with web.get("/datasets/uzemni-struktura-cr/data.ttl") as response:
        turtle = {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in ox.parse(response.data, format=ox.RdfFormat.TURTLE)
        }
    assert (f"<{RUIAN}obec/579092>", f"<{UZEMI.okres}>", f"<{RUIAN}okres/3610>") in turtle
    assert (f"<{UZEMI.okres}>", f"<{RDFS.range}>", f"<{UZEMI.Okres}>") in turtle  # the ontology
    assert (
        web.get("/datasets/uzemni-struktura-cr", headers={"Accept": "text/html"}).status_code == 200
    )


def test_a_failing_producer_changes_nothing(loaded):
    """The publish seam: a producer that fails half-way leaves the published version alone."""
    from lod.publish import publish_dataset
    from lod.territory.dataset import record

    settings, store, _ = loaded
    version = current_version(store, settings, "uzemni-struktura-cr")

    def half_way(work: Path):
        (work / "data.nt").write_text("<urn:x> <urn:y> <urn:z> .\n", encoding="utf-8")
        raise BadInput("the producer failed")

    with pytest.raises(BadInput, match="the producer failed"):
        publish_dataset(store, settings, "uzemni-struktura-cr", record(settings, None), half_way)
    assert current_version(store, settings, "uzemni-struktura-cr") == version
    folder = version_dir(settings, "uzemni-struktura-cr", version).parent
    assert [p.name for p in folder.iterdir()] == [version]
    assert not store.query("ASK { <urn:x> ?p ?o }").boolean


# ------------------------------------------------------------------ `lod territory update`


def triples(store) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} }}"
    return int(next(store.query(query).rows())["n"])


def rewrite(path: Path, change) -> Path:
    """A copy of the source file with ``change(rows)`` applied (rows include the header)."""
    with open(SOURCE, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    change(rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return path


def test_update_refuses_bad_files_and_keeps_the_previous_codelist(run, tmp_path):
    result = run("territory", "update")
    assert result.exit_code == 0, result.output
    assert "6258 obec, 393 pou, 206 orp, 77 okres, 14 kraj, 8 region, 1 stat" in result.output
    settings = run.settings
    store = open_store(settings)
    version = current_version(store, settings, "uzemni-struktura-cr")
    size = triples(store)
    rows = source_rows()
    hradec = 2 + next(i for i, r in enumerate(rows) if r["obec_kod"] == "569810")
    borovnice = 2 + next(i for i, r in enumerate(rows) if r["obec_kod"] == "579092")
    header = list(rows[0])

    def drop_column(table):
        table[0][header.index("kraj_ruian_vusc_kod")] = "kraj_kod"

    def duplicate_borovnice(table):
        table.append(list(table[borovnice - 1]))

    def other_orp_code(table):
        table[hradec - 1][header.index("orp_csu_cis65_kod")] = "5299"

    def empty_okres(table):
        table[hradec - 1][header.index("okres_ruian_kod")] = ""

    cases = [
        (drop_column, "row 1, column kraj_ruian_vusc_kod", "missing column(s) kraj_ruian_vusc_kod"),
        (
            duplicate_borovnice,
            f"row {len(rows) + 2}, column obec_kod",
            f"duplicate obec code '579092' (also in row {borovnice})",
        ),
        (other_orp_code, f"row {hradec}, column orp_csu_cis65_kod", "'5299' here but '5205'"),
        (empty_okres, f"row {hradec}, column okres_ruian_kod", "the code is empty"),
    ]
    for change, where, what in cases:
        bad = rewrite(tmp_path / f"{change.__name__}.csv", change)
        result = run("territory", "update", bad)
        assert result.exit_code == 2, result.output
        assert where in result.output and what in result.output, result.output
        assert "how to fix" in result.output
        assert current_version(store, settings, "uzemni-struktura-cr") == version
        assert triples(store) == size
    folder = version_dir(settings, "uzemni-struktura-cr", version).parent
    assert [p.name for p in folder.iterdir()] == [version]  # no half-written version left

    # a newer file (one obec fewer) replaces the codelist, and linking follows it
    newer = rewrite(tmp_path / "newer.csv", lambda table: table.pop(borovnice - 1))
    result = run("territory", "update", newer)
    assert result.exit_code == 0, result.output
    assert "6257 obec" in result.output
    assert current_version(store, settings, "uzemni-struktura-cr") != version
    gone = f"<{RUIAN}obec/579092>"
    assert not store.query(f"ASK {{ GRAPH <{DATA_GRAPH}> {{ {gone} ?p ?o }} }}").boolean
    assert current_source(store, settings).read_bytes() == newer.read_bytes()
    store.close()


def test_source_errors_name_the_row_and_column(tmp_path):
    path = rewrite(tmp_path / "bad.csv", lambda t: t[5].__setitem__(t[0].index("obec_text"), " "))
    with pytest.raises(BadInput) as info:
        list(Source(path).records())
    assert info.value.where == f"{path}, row 6, column obec_text"
    missing = tmp_path / "missing.csv"
    with pytest.raises(BadInput, match="file not found"):
        lookup.build(missing)


def test_find_command(run):
    result = run("territory", "find", "Borovnice")
    assert result.exit_code == 0
    assert result.output.count("obec Borovnice") == 5
    assert "okres Trutnov" in result.output
    result = run("territory", "find", "CZ0521")
    assert result.output.startswith(f"{RUIAN}okres/3602\tokres Hradec Králové")
    assert run("territory", "find", "Atlantis").exit_code == 1
    assert run("territory", "find", "1", "--kind", "county").exit_code == 2


def test_find_command_lists_the_names_that_contain_a_part(run):
    result = run("territory", "find", "hradec", "--kind", "okres")  # no okres is "Hradec"
    assert result.exit_code == 0
    assert "no unit is named 'hradec'; names that contain it" in result.stderr
    assert [line.split("\t")[1].split(" (")[0] for line in result.stdout.splitlines()] == [
        "okres Hradec Králové",
        "okres Jindřichův Hradec",
    ]
    many = run("territory", "find", "ov")
    assert many.exit_code == 0 and len(many.stdout.splitlines()) == 50
    assert re.search(r"… and \d+ more: make the text longer, or choose --kind", many.stderr)


def test_by_part_ignores_case_and_diacritics_and_lists_broadest_first():
    index = lookup.load()
    kinds = [(u.kind, u.name) for u in index.by_part("KRALOVE")][:3]
    assert kinds == [
        ("kraj", "Královéhradecký kraj"),
        ("okres", "Hradec Králové"),
        ("orp", "Dvůr Králové nad Labem"),
    ]
    assert index.by_part("  ") == [] and index.by_part("Atlantis") == []
    assert {u.kind for u in index.by_part("hradec", "obec")} == {"obec"}


def test_readme_refusal_example_matches_the_real_output(run, tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(error: newer\.csv.*?)\n", readme).group(1)
    monkeypatch.chdir(tmp_path)
    header = list(source_rows()[0])

    def drop_column(table):
        table[0][header.index("kraj_ruian_vusc_kod")] = "kraj_kod"

    rewrite(tmp_path / "newer.csv", drop_column)
    result = run("territory", "update", "newer.csv")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == shown
