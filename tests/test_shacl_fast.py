"""lod.shacl beyond the W3C suite: pySHACL fallback, inputs, report graph, fidelity, routes."""

from __future__ import annotations

import random
from collections import Counter

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, XSD, Literal, Namespace

from lod.shacl import validate
from lod.shacl.fallback import parse_report
from lod.shacl.paths import canonical

SH = Namespace("http://www.w3.org/ns/shacl#")
EX = Namespace("http://example.org/")
PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""
SHAPES = (
    PREFIXES
    + """
ex:Person a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxCount 1 ;
                sh:minInclusive 0 ; sh:maxInclusive 150 ] ,
              [ sh:path ex:name ; sh:minCount 1 ; sh:uniqueLang true ;
                sh:pattern "^[A-Z]" ; sh:maxLength 12 ] ,
              [ sh:path ex:role ; sh:in ( ex:admin ex:user ) ] ,
              [ sh:path [ sh:inversePath ex:member ] ; sh:maxCount 1 ] ,
              [ sh:path ex:country ; sh:hasValue ex:cz ;
                sh:xone ( [ sh:in ( ex:cz ) ] [ sh:nodeKind sh:IRI ] ) ] ,
              [ sh:path ex:age ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ] ,
              [ sh:path ex:role ; sh:not [ sh:in ( ex:guest ) ] ] ,
              [ sh:path ex:name ; sh:node [ sh:languageIn ( "cs" ) ; sh:minLength 4 ] ] ;
  sh:or ( [ sh:property [ sh:path ex:knows ; sh:minCount 1 ] ]
          [ sh:property [ sh:path ex:age ; sh:minCount 1 ] ] ) .
ex:Roles sh:targetSubjectsOf ex:role ;
  sh:property [ sh:path ex:role ; sh:maxCount 1 ] , [ sh:path ex:name ; sh:minCount 1 ] .
ex:Teams sh:targetObjectsOf ex:member ;
  sh:property [ sh:path [ sh:inversePath ex:member ] ; sh:minCount 1 ; sh:maxCount 1 ] .
"""
)
SPARQL_SHAPE = (
    PREFIXES
    + """
ex:NoSelf a sh:NodeShape ; sh:targetClass ex:Person ;
  sh:sparql [ a sh:SPARQLConstraint ;
    sh:message "knows itself" ;
    sh:select "SELECT $this ?value WHERE { $this <http://example.org/knows> $this . BIND($this AS ?value) }" ] .
"""
)


def people(count: int, seed: int = 1) -> rdflib.Graph:
    """People with a few broken values of every kind the shapes check."""
    rng = random.Random(seed)
    g = rdflib.Graph()
    for i in range(count):
        p = EX[f"p{i}"]
        g.add((p, RDF.type, EX.Person))
        if rng.random() > 0.01:
            g.add((p, EX.age, Literal(rng.choice([rng.randint(0, 99), 200, -1, "x"]))))
        if rng.random() < 0.01:
            g.add((p, EX.age, Literal(rng.randint(0, 99))))
        if rng.random() > 0.02:
            g.add(
                (p, EX.name, Literal(rng.choice(["Anna", "bob", "Cyril Novak-Dvorak"]), lang="cs"))
            )
        if rng.random() < 0.02:
            g.add((p, EX.name, Literal("Eva", lang="cs")))
        g.add((p, EX.role, rng.choice([EX.admin, EX.user, EX.guest, Literal("admin")])))
        if i % 97 == 0:
            g.add((p, EX.role, EX.user))
        g.add((EX[f"team{rng.randrange(count)}"], EX.member, p))
        g.add((p, EX.country, rng.choice([EX.cz, EX.cz, EX.sk])))
        if i % 50 == 0:
            g.add((p, EX.knows, p))
    return g


def keyed(results, shapes: rdflib.Graph) -> Counter:
    return Counter(
        (
            r.focus_node,
            canonical(shapes, r.result_path),
            r.value,
            r.source_shape,
            r.source_constraint_component,
            r.severity,
        )
        for r in results
    )


def pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> Counter:
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return keyed(parse_report(report, shapes), shapes)


@pytest.fixture(scope="module")
def shapes():
    return rdflib.Graph().parse(data=SHAPES, format="turtle")


@pytest.fixture(scope="module")
def crowd(shapes):
    """1,500 people (more than `bulk_from`) and pySHACL's results for them."""
    data = people(1500)
    return data, pyshacl_results(data, shapes)


@pytest.mark.parametrize("bulk_from", [0, 1000, 10**9])
def test_same_results_as_pyshacl_on_both_routes(shapes, crowd, bulk_from):
    """Every supported kind of constraint; logical ones inlined (value checks only) and not."""
    data, expected = crowd
    report = validate(data, shapes, bulk_from=bulk_from)
    assert report.fallback == []
    assert len(expected) > 100  # every kind of mistake is there
    assert {k[4].split("#")[1] for k in expected} == {
        "DatatypeConstraintComponent",
        "MaxCountConstraintComponent",
        "MinCountConstraintComponent",
        "MinInclusiveConstraintComponent",
        "MaxInclusiveConstraintComponent",
        "UniqueLangConstraintComponent",
        "PatternConstraintComponent",
        "MaxLengthConstraintComponent",
        "InConstraintComponent",
        "HasValueConstraintComponent",
        "XoneConstraintComponent",
        "OrConstraintComponent",
        "NotConstraintComponent",
        "NodeConstraintComponent",
    }
    assert keyed(report.results, shapes) == expected


def test_sparql_constraints_fall_back_to_pyshacl(shapes):
    both = rdflib.Graph().parse(data=SHAPES + SPARQL_SHAPE, format="turtle")
    data = people(100, seed=3)
    report = validate(data, both)
    assert len(report.fallback) == 1 and "sh:sparql" in report.fallback[0]
    expected = pyshacl_results(data, both)
    assert any(k[4] == SH.SPARQLConstraintComponent for k in expected)
    assert keyed(report.results, both) == expected
    assert report.conforms is False


def test_every_kind_of_input_gives_the_same_report(tmp_path, shapes):
    data = people(200, seed=5)
    expected = keyed(validate(data, shapes).results, shapes)
    nt, ttl = tmp_path / "d.nt", tmp_path / "d.ttl"
    data.serialize(nt, format="nt", encoding="utf-8")
    data.serialize(ttl, format="turtle")
    store = ox.Store()
    store.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    named = ox.Store()
    named.load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    shapes_file = tmp_path / "shapes.ttl"
    shapes_file.write_text(SHAPES, encoding="utf-8")
    assert keyed(validate(store, shapes).results, shapes) == expected
    assert keyed(validate(named, shapes, graph="urn:g").results, shapes) == expected
    assert keyed(validate(nt, shapes).results, shapes) == expected
    assert keyed(validate(str(ttl), shapes).results, shapes) == expected
    from_file = validate(data, shapes_file)
    assert len(from_file.results) == sum(expected.values())
    assert validate(ox.Store(), shapes).conforms  # an empty store has no focus nodes


def test_report_graph_messages_and_severities():
    shapes = rdflib.Graph().parse(
        data=PREFIXES
        + """
ex:S a sh:NodeShape ; sh:targetNode ex:a ;
  sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ; sh:severity sh:Warning ;
                sh:message "nikdo na ex:a neodkazuje"@cs, "nothing points to ex:a"@en ] .
""",
        format="turtle",
    )
    report = validate(rdflib.Graph(), shapes)
    assert not report.conforms
    (result,) = report.results
    assert result.severity == SH.Warning
    assert set(result.messages) == {
        Literal("nikdo na ex:a neodkazuje", lang="cs"),
        Literal("nothing points to ex:a", lang="en"),
    }
    g = report.graph
    (top,) = g.subjects(RDF.type, SH.ValidationReport)
    assert g.value(top, SH.conforms) == Literal(False)
    (node,) = g.objects(top, SH.result)
    assert g.value(node, SH.focusNode) == EX.a
    assert g.value(g.value(node, SH.resultPath), SH.inversePath) == EX.p
    assert len(list(g.objects(node, SH.resultMessage))) == 2
    assert g.value(node, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent


def test_values_keep_their_lexical_form(monkeypatch):
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    shapes = rdflib.Graph().parse(
        data=PREFIXES
        + "ex:S sh:targetSubjectsOf ex:n ; sh:property [ sh:path ex:n ; sh:datatype xsd:integer ;"
        " sh:maxInclusive 0 ] .",
        format="turtle",
    )
    data = rdflib.Graph()
    odd = [Literal("01", datatype=XSD.integer), Literal("abc", datatype=XSD.integer)]
    for i, value in enumerate(odd):
        data.add((EX[f"s{i}"], EX.n, value))
    values = Counter(
        (r.value, r.source_constraint_component) for r in validate(data, shapes).results
    )
    assert values == Counter(
        {
            (odd[0], SH.MaxInclusiveConstraintComponent): 1,
            (odd[1], SH.MaxInclusiveConstraintComponent): 1,
            (odd[1], SH.DatatypeConstraintComponent): 1,
        }
    )
    assert (
        str(next(r.value for r in validate(data, shapes).results if r.focus_node == EX.s0)) == "01"
    )


def test_literals_oxigraph_would_merge_go_to_pyshacl(monkeypatch):
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    shapes = rdflib.Graph().parse(
        data=PREFIXES + "ex:S sh:targetNode ex:s ; sh:property [ sh:path ex:n ; sh:maxCount 1 ] .",
        format="turtle",
    )
    data = rdflib.Graph()
    data.add((EX.s, EX.n, Literal("1", datatype=XSD.integer)))
    data.add((EX.s, EX.n, Literal("01", datatype=XSD.integer)))
    report = validate(data, shapes)
    assert report.fallback and len(report.results) == 1  # two values, as rdflib sees them


def test_bad_input_is_a_type_error(shapes):
    with pytest.raises(TypeError):
        validate(42, shapes)


@pytest.mark.filterwarnings("ignore::Warning")  # pySHACL warns that it backs out of the cycle
def test_recursive_shapes_fall_back_to_pyshacl():
    shapes = rdflib.Graph().parse(
        data=PREFIXES
        + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:S ] ,"
        " [ sh:path ex:name ; sh:minCount 1 ] .",
        format="turtle",
    )
    data = rdflib.Graph()
    data.add((EX.a, EX.knows, EX.b))
    data.add((EX.b, EX.knows, EX.a))
    data.add((EX.a, EX.name, Literal("A")))
    report = validate(data, shapes)
    assert report.fallback and "recursive" in report.fallback[0]
    assert keyed(report.results, shapes) == pyshacl_results(data, shapes)


def test_readme_example_runs(shapes):
    """The README's example, with `data` and `shapes` given."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Fast SHACL validation", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    names = {"data": people(20), "shapes": shapes}
    exec(code, names)
    assert names["report"].conforms is False and names["report"].results


REAL_SHAPES = [
    ("dcat-ap-cz", "ofn", "dcat-ap-cz", "draft", "shacl.ttl"),
    ("dcat-ap-cz", "ofn", "dcat-ap-cz-otevřená-data", "draft", "shacl.ttl"),
    ("dcat-ap-cz", "ofn", "dcat-ap-cz-hvd", "draft", "shacl.ttl"),
]
DCAT_AP_3 = ["mdr-vocabularies.shape.ttl", "range.ttl", "shapes_recommended.ttl"]


@pytest.fixture(scope="module")
def khk_records():
    """20 records of the Královéhradecký kraj's catalogue as RDF."""
    import json

    from lod.catalog.ofn import to_graph
    from tests.conftest import reference

    graph = rdflib.Graph()
    for path in sorted(reference("dcat-ap-cz", "krhk-lkod").glob("*.jsonld"))[:20]:
        graph += to_graph(json.loads(path.read_text(encoding="utf-8-sig")))
    return graph


@pytest.mark.parametrize(
    "shapes_file",
    [pytest.param(p, id=p[2]) for p in REAL_SHAPES]
    + [pytest.param(("dcat-ap-3.0.1", name), id=name) for name in DCAT_AP_3],
)
def test_real_shapes_give_pyshacls_results(khk_records, shapes_file):
    """The official DCAT-AP-CZ and DCAT-AP 3 shapes on real records: pySHACL's results."""
    from pathlib import Path

    from tests.conftest import reference

    if shapes_file[0] == "dcat-ap-3.0.1":
        path = Path(__file__).resolve().parents[1] / "shapes" / "dcat-ap-3.0.1" / shapes_file[1]
    else:
        path = reference(*shapes_file)
    shapes = rdflib.Graph().parse(path, format="turtle")
    report = validate(khk_records, shapes)
    assert report.fallback == []
    expected = pyshacl_results(khk_records, shapes)
    assert sum(expected.values()) > 0
    assert keyed(report.results, shapes) == expected
