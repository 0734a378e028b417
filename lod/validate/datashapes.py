"""SHACL shapes of a table's data, generated from its CSVW table schema.

`shapes_for` reads the CSVW metadata lod publishes with a table (``data.csv-metadata.json``) and
describes the RDF csv2rdf makes of it (https://www.w3.org/TR/csv2rdf/):

- one node shape, ``#rows``, for the rows: a class target when a virtual column types them
  (``rdf:type``), else ``sh:targetSubjectsOf`` every column's property (a row with no value in
  any column has nothing to check; lod's reader skips blank rows);
- one property shape per column, ``#column-<name>``: ``sh:datatype`` (``rdf:langString`` with
  ``sh:languageIn`` for a column with ``lang``), ``sh:minCount 1`` if ``required``,
  ``sh:maxCount 1`` unless it has a ``separator``, ``sh:pattern`` from a string ``format``
  (``sh:in`` when the format only lists the allowed values, ``^(a|b|c)$``), ``sh:minLength``/
  ``sh:maxLength`` (``length`` gives both), ``sh:minInclusive``/``maxInclusive``/
  ``minExclusive``/``maxExclusive`` (``minimum``/``maximum`` are the inclusive ones);
- a ``valueUrl`` column holds IRIs: ``sh:nodeKind sh:IRI`` and ``sh:pattern`` of the template's
  fixed start; a RÚIAN template (``…/ruian/obec/{kod}``) also ``sh:class`` of the unit's kind in
  the territorial codelist (``uzemi:Obec``: "an obec IRI of the codelist");
- the ``primaryKey``: one column in SHACL Core (``#key``: every value of the column is the
  value of one row only, ``sh:inversePath`` with ``sh:maxCount 1``); several columns with a
  SHACL-SPARQL constraint (no two rows with the same values in all of them).

Shapes are named in the document ``base`` (``Iris.dataset_shapes``), blank nodes without it.
`steward_shapes` reads a steward's own shapes file, whose relative IRIs resolve against the
shapes document (``<columns/pocet>`` is the column ``pocet``, ``<#pocet>`` a shape in the
published document); `describe_distributions` points the RDF distributions' ``dct:conformsTo``
at the shapes. Checking data against them is `datacheck`.

Not expressed: foreign keys, and columns whose property or subject depends on the row (their
templates use other variables than the column's own).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection

from ..errors import BadInput
from ..iris import Iris
from ..namespaces import DCTERMS, RDF, RDFS, RUIAN, SH, UZEMI, XSD
from ..tabular import numbers
from ..tabular.datatypes import BINARY, STRING_FAMILY
from ..tabular.metadata import Column, load_group
from ..territory.kinds import KINDS

SHAPES_FILE = "shapes.ttl"  # beside data.csv, data.nt, … in the version folder
STEWARD_SUFFIX = ".shapes.ttl"  # a table's steward shapes by convention: rozpocet.shapes.ttl
RDF_DISTRIBUTIONS = ("ttl", "nt")  # the distributions that conform to the shapes
PREFIXES = {"sh": str(SH), "xsd": str(XSD), "uzemi": str(UZEMI), "rdfs": str(RDFS)}

_COLUMN_VARS = {"_column", "_sourceColumn", "_name"}
_BOUNDS = {  # CSVW facet -> SHACL
    "minimum": SH.minInclusive,
    "maximum": SH.maxInclusive,
    "minInclusive": SH.minInclusive,
    "maxInclusive": SH.maxInclusive,
    "minExclusive": SH.minExclusive,
    "maxExclusive": SH.maxExclusive,
}
_LENGTHS = {"minLength": SH.minLength, "maxLength": SH.maxLength}
# A format that only lists values: words, digits, spaces and a few signs between "|".
_LISTED = re.compile(r"\^\((?:\?:)?((?:[\w ,/-]+\|)*[\w ,/-]+)\)\$")  # ^(a|b|c)$
_INCLUSIVE = {"minimum": "minInclusive", "maximum": "maxInclusive"}
_SEGMENT_CLASS = {kind.segment: UZEMI[kind.cls] for kind in KINDS}


@dataclass(frozen=True)
class Described:
    """A column as its shapes see it: where its values are (the property) and its name."""

    column: Column
    property: str
    shape: URIRef | BNode


def shapes_for(metadata: dict, *, base: str | None = None) -> rdflib.Graph:
    """The SHACL shapes of the RDF of the table described by CSVW ``metadata``; ``base`` is
    the IRI of the shapes document (shapes are named ``base#rows`` etc.; None: blank nodes)."""
    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    group = load_group(metadata, warnings=[])
    for number, table in enumerate(group.tables, start=1):
        suffix = "" if len(group.tables) == 1 else f"-{number}"
        _table_shapes(graph, table, base, suffix)
    if base:
        doc = URIRef(base)
        graph.add((doc, RDF.type, DCTERMS.Standard))
        graph.add((doc, RDFS.label, Literal("Tvary SHACL dat tabulky", lang="cs")))
        graph.add((doc, RDFS.label, Literal("SHACL shapes of the table's data", lang="en")))
        graph.add((doc, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/shacl/")))
    return graph


def columns_of(metadata: dict) -> list[tuple[str, str]]:
    """(property IRI, column label) of each column with values of its own, as in the shapes."""
    group = load_group(metadata, warnings=[])
    out = []
    for table in group.tables:
        for column in table.bind(None, 0, []):
            prop = _property(table, column)
            if prop and not column.suppress and not column.virtual:
                out.append((prop, column.label))
    return out


def _table_shapes(graph: rdflib.Graph, table, base: str | None, suffix: str) -> None:
    columns = table.bind(None, 0, [])
    node = _name(base, "rows" + suffix)
    graph.add((node, RDF.type, SH.NodeShape))
    _labels(graph, node, "Řádky tabulky", "Rows of the table")
    described: list[Described] = []
    classes: list[str] = []
    about = table.inherited.get("aboutUrl")
    for column in columns:
        prop = _property(table, column)
        if column.suppress or prop is None:
            continue
        if column.about is not None and column.about.text != about:
            continue  # it describes another subject than the row's
        if column.virtual:
            if prop == str(RDF.type) and column.value is not None and column.value.static:
                classes.append(column.value.expand({}))
            continue
        shape = _name(base, f"column-{column.name}{suffix}")
        described.append(Described(column, prop, shape))
    if classes:
        for cls in classes:
            graph.add((node, SH.targetClass, URIRef(cls)))
    else:
        for item in described:
            graph.add((node, SH.targetSubjectsOf, URIRef(item.property)))
    for item in described:
        graph.add((node, SH.property, item.shape))
        _column_shape(graph, item)
    _key_shapes(graph, table, described, node, base, suffix)


def _property(table, column: Column) -> str | None:
    """The column's property IRI when it is the same in every row (as csv2rdf makes it)."""
    if column.property is None:
        return f"{table.url.split('#')[0]}#{column.name}"
    if not column.property.variables <= _COLUMN_VARS:
        return None
    variables = {"_column": str(column.number), "_name": unquote(column.name)}
    variables["_sourceColumn"] = str(column.number + table.dialect.skip_columns)
    return column.property.expand(variables)


def _column_shape(graph: rdflib.Graph, item: Described) -> None:
    column, shape = item.column, item.shape
    graph.add((shape, RDF.type, SH.PropertyShape))
    path: URIRef | BNode = URIRef(item.property)
    if column.separator is not None and column.ordered:  # an rdf:List of the values
        path = _list(graph, [path, _zero_or_more(graph, RDF.rest), RDF.first])
    graph.add((shape, SH.path, path))
    for title, lang in column.title_langs or [(column.label, "und")]:
        graph.add((shape, SH.name, Literal(title, lang=None if lang == "und" else lang)))
    _labels(graph, shape, f"Sloupec „{column.label}“", f"Column '{column.label}'")
    if column.required:
        graph.add((shape, SH.minCount, Literal(1)))
    if column.separator is None:
        graph.add((shape, SH.maxCount, Literal(1)))
    if column.value is not None:
        _link_facets(graph, shape, column)
    else:
        _literal_facets(graph, shape, column)


def _link_facets(graph: rdflib.Graph, shape, column: Column) -> None:
    graph.add((shape, SH.nodeKind, SH.IRI))
    start = _fixed_start(column.value.text)
    if start:
        graph.add((shape, SH.pattern, Literal("^" + re.escape(start))))
    if start.startswith(RUIAN):
        segment = start[len(RUIAN) :].rstrip("/")
        cls = _SEGMENT_CLASS.get(segment)
        if cls is not None:
            graph.add((shape, SH["class"], cls))


def _fixed_start(template: str) -> str:
    """The absolute IRI every expansion of ``template`` starts with ('' if none)."""
    start = template.split("{", 1)[0]
    return start if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/]+/", start) else ""


def _literal_facets(graph: rdflib.Graph, shape, column: Column) -> None:
    datatype = column.datatype
    graph.add((shape, SH.nodeKind, SH.Literal))
    if column.lang and datatype.lang_capable:
        graph.add((shape, SH.datatype, RDF.langString))
        graph.add((shape, SH.languageIn, _list(graph, [Literal(column.lang)])))
    elif datatype.base != "anyAtomicType":
        graph.add((shape, SH.datatype, URIRef(datatype.iri)))
    if isinstance(datatype.fmt, str) and datatype.base in STRING_FAMILY:
        listed = _LISTED.fullmatch(datatype.fmt)
        if listed:
            values = [_value_literal(v, column) for v in listed.group(1).split("|")]
            graph.add((shape, SH["in"], _list(graph, values)))
        else:
            graph.add((shape, SH.pattern, Literal(datatype.fmt)))
    bounds = datatype.desc_bounds
    if datatype.base in STRING_FAMILY or datatype.base in BINARY:
        if datatype.base not in BINARY:  # SHACL counts characters of the lexical form
            if "length" in bounds:
                graph.add((shape, SH.minLength, Literal(bounds["length"])))
                graph.add((shape, SH.maxLength, Literal(bounds["length"])))
            for key, prop in _LENGTHS.items():
                if key in bounds:
                    graph.add((shape, prop, Literal(bounds[key])))
        return
    for key, prop in _BOUNDS.items():
        if key in bounds and _INCLUSIVE.get(key, key) in datatype.bounds:  # (valid ones)
            lexical = _bound_lexical(str(bounds[key]), datatype)
            if lexical is not None:
                graph.add((shape, prop, Literal(lexical, datatype=URIRef(datatype.iri))))


def _bound_lexical(value: str, datatype) -> str | None:
    """A bound as the canonical lexical form of the column's datatype, read as lod reads
    bounds (numbers plainly, dates in the column's format)."""
    try:
        if datatype.base in numbers.NUMERIC_TYPES:
            number = numbers.parse_number(value, datatype.base, None)
            return numbers.canonical(number, datatype.base, value, False)
        return datatype._parse(value)  # noqa: SLF001 (the column's own date parser)
    except ValueError:
        return None


def _value_literal(value: str, column: Column) -> Literal:
    """An allowed value as csv2rdf writes it (``"A"``, ``"A"@cs``, ``"A"^^xsd:token``)."""
    if column.lang and column.datatype.lang_capable:
        return Literal(value, lang=column.lang)
    if column.datatype.iri == str(XSD.string):  # the same term in RDF 1.1, not in rdflib
        return Literal(value)
    return Literal(value, datatype=URIRef(column.datatype.iri))


def _key_shapes(graph, table, described: list[Described], rows, base, suffix: str) -> None:
    """The primary key: one column in SHACL Core, several with SHACL-SPARQL."""
    key = table.schema.get("primaryKey")
    names = [key] if isinstance(key, str) else key if isinstance(key, list) else []
    by_name = {item.column.name: item for item in described}
    parts = [by_name.get(name) for name in names]
    if not parts or None in parts or any(p.column.separator is not None for p in parts):
        return
    labels = ", ".join(f"'{p.column.label}'" for p in parts)
    labels_cs = ", ".join(f"„{p.column.label}“" for p in parts)
    node = _name(base, "key" + suffix)
    graph.add((node, RDF.type, SH.NodeShape))
    _labels(graph, node, f"Jedinečný klíč {labels_cs}", f"Unique key {labels}")
    if len(parts) == 1:
        prop = URIRef(parts[0].property)
        graph.add((node, SH.targetObjectsOf, prop))
        inverse = BNode()
        graph.add((inverse, SH.inversePath, prop))
        unique = _name(base, "key-rows" + suffix)
        graph.add((node, SH.property, unique))
        graph.add((unique, RDF.type, SH.PropertyShape))
        graph.add((unique, SH.path, inverse))
        graph.add((unique, SH.maxCount, Literal(1)))
        graph.add((unique, SH.name, Literal(parts[0].column.label)))
        _labels(graph, unique, f"Řádky s hodnotou {labels_cs}", f"Rows with the value of {labels}")
        return
    graph.add((node, SH.targetSubjectsOf, URIRef(parts[0].property)))
    patterns = " ; ".join(f"<{p.property}> ?k{i}" for i, p in enumerate(parts))
    constraint = BNode()
    graph.add((node, SH.sparql, constraint))
    graph.add((constraint, RDF.type, SH.SPARQLConstraint))
    graph.add(
        (
            constraint,
            SH.message,
            Literal(f"another row has the same values in the unique key {labels}", lang="en"),
        )
    )
    graph.add(
        (
            constraint,
            SH.message,
            Literal(f"jiný řádek má stejné hodnoty jedinečného klíče {labels_cs}", lang="cs"),
        )
    )
    graph.add(
        (
            constraint,
            SH.select,
            Literal(
                "SELECT $this ?value WHERE {\n"
                f"  $this {patterns} .\n"
                f"  ?value {patterns} .\n"
                "  FILTER (?value != $this)\n}"
            ),
        )
    )


def _name(base: str | None, local: str) -> URIRef | BNode:
    return URIRef(Iris.shape(base, local)) if base else BNode()


def _labels(graph: rdflib.Graph, node, cs: str, en: str) -> None:
    graph.add((node, RDFS.label, Literal(cs, lang="cs")))
    graph.add((node, RDFS.label, Literal(en, lang="en")))


def _list(graph: rdflib.Graph, items: list) -> BNode:
    head = BNode()
    Collection(graph, head, items)
    return head


def _zero_or_more(graph: rdflib.Graph, prop) -> BNode:
    node = BNode()
    graph.add((node, SH.zeroOrMorePath, prop))
    return node


# ---------------------------------------------------------------- steward shapes, publishing


def steward_file(table: Path, given: Path | None) -> Path | None:
    """The steward's shapes of ``table``: ``given`` (``--shapes``), else ``<table>.shapes.ttl``
    beside it (``rozpocet.csv`` -> ``rozpocet.shapes.ttl``), else None."""
    if given is not None:
        return Path(given)
    beside = Path(table).with_name(Path(table).stem + STEWARD_SUFFIX)
    return beside if beside.is_file() else None


def steward_shapes(path: Path, document: str) -> rdflib.Graph:
    """A steward's shapes file (Turtle); relative IRIs resolve against the shapes
    ``document`` the dataset publishes (``Iris.dataset_shapes``)."""
    path = Path(path)
    if not path.is_file():
        raise BadInput("shapes file not found", where=str(path), hint="check the --shapes path")
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle", publicID=document)
    except Exception as exc:  # rdflib raises many kinds; all mean bad Turtle
        raise BadInput(
            f"not valid Turtle: {exc}",
            where=str(path),
            hint="the shapes file must be SHACL shapes in Turtle (.ttl)",
        ) from None
    shapes = {
        *graph.subjects(RDF.type, SH.NodeShape),
        *graph.subjects(RDF.type, SH.PropertyShape),
        *graph.subjects(SH.targetClass, None),
        *graph.subjects(SH.targetNode, None),
        *graph.subjects(SH.targetSubjectsOf, None),
        *graph.subjects(SH.targetObjectsOf, None),
    }
    if not shapes:
        raise BadInput(
            "the file has no SHACL shapes",
            where=str(path),
            hint="declare sh:NodeShape or sh:PropertyShape with targets (see README)",
        )
    return graph


def steward_graph(table: Path, given: Path | None, document: str) -> rdflib.Graph | None:
    """The steward's shapes of ``table`` (`steward_file`), read and checked; None: none."""
    path = steward_file(table, given)
    return steward_shapes(path, document) if path is not None else None


def write_shapes(
    folder: Path, metadata: dict, iris: Iris, dataset_id: str, steward: rdflib.Graph | None = None
) -> rdflib.Graph:
    """Generate the dataset's shapes, merge the steward's and write ``shapes.ttl``."""
    graph = shapes_for(metadata, base=iris.dataset_shapes(dataset_id))
    if steward is not None:
        graph += steward
        for prefix, ns in steward.namespaces():
            graph.bind(prefix, ns, override=False)
    graph.bind("row", iris.dataset(dataset_id) + "/rows/")
    graph.bind("col", iris.dataset(dataset_id) + "/columns/")
    graph.serialize(folder / SHAPES_FILE, format="turtle")
    return graph


def describe_distributions(graph: rdflib.Graph, iris: Iris, dataset_id: str) -> None:
    """The RDF distributions conform to the shapes (the CSV keeps its CSVW schema: the OFN
    allows one ``schéma`` a distribution)."""
    document = URIRef(iris.dataset_shapes(dataset_id))
    for key in RDF_DISTRIBUTIONS:
        graph.add((URIRef(iris.distribution(dataset_id, key)), DCTERMS.conformsTo, document))
    graph.add((document, RDF.type, DCTERMS.Standard))
    graph.add((document, DCTERMS.title, Literal("Tvary SHACL dat datové sady", lang="cs")))
    graph.add((document, DCTERMS.title, Literal("SHACL shapes of the dataset's data", lang="en")))
