"""Example SPARQL queries for the published data: a small registry, Czech first.

Each example has a name (its fragment in ``{base}/sparql/examples#name``), titles and
descriptions in Czech and English, and the query text. Most are written once for every
installation (``{base}`` and ``{catalog}`` are filled in); one is built from the data itself:
the sum of a numeric column over the territorial hierarchy, for a published table that links its
rows to obce. The examples are shown on the query page and published as RDF
(``sh:SPARQLExecutable``, SHACL Advanced Features §4, the form the SIB ``sparql-examples``
collections use) from the service description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .generations import PerGeneration
from .iris import Iris
from .namespaces import RUIAN, UZEMI

# Prefixes offered by the query page's "insert prefix" menu (and used by the examples).
PREFIXES: dict[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "uzemi": str(UZEMI),
    "ruian": RUIAN,
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "pu": "https://data.gov.cz/slovník/podmínky-užití/",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
}


@dataclass(frozen=True)
class Example:
    name: str
    title_cs: str
    title_en: str
    description_cs: str
    description_en: str
    query: str
    kind: str = "select"  # select, ask, construct or describe


def _prefixes(*names: str) -> str:
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in names)


STATIC: tuple[Example, ...] = (
    Example(
        "datove-sady",
        "Datové sady v katalogu",
        "Datasets in the catalogue",
        "Všechny datové sady tohoto katalogu s názvem, poskytovatelem a datem poslední změny.",
        "Every dataset of this catalogue with its title, publisher and last modification.",
        _prefixes("dcat", "dct", "foaf")
        + """
SELECT DISTINCT ?datova_sada ?nazev ?poskytovatel ?zmeneno WHERE {
  <{catalog}> dcat:dataset ?datova_sada .
  ?datova_sada dct:title ?nazev .
  FILTER(lang(?nazev) = "cs")
  OPTIONAL {
    ?datova_sada dct:publisher/foaf:name ?poskytovatel .
    FILTER(lang(?poskytovatel) = "cs")
  }
  OPTIONAL { ?datova_sada dct:modified ?zmeneno }
}
ORDER BY ?nazev""",
    ),
    Example(
        "hledani-nazvu",
        "Hledání podle názvu",
        "Search by label",
        "Cokoli, co má v názvu (skos:prefLabel, rdfs:label, dct:title) text „hradec“, "
        "bez ohledu na velikost písmen. Změňte hledaný text.",
        "Anything whose label (skos:prefLabel, rdfs:label, dct:title) contains “hradec”, "
        "ignoring case. Change the text to search for.",
        _prefixes("skos", "rdfs", "dct")
        + """
SELECT DISTINCT ?vec ?nazev WHERE {
  VALUES ?vlastnost { skos:prefLabel rdfs:label dct:title }
  ?vec ?vlastnost ?nazev .
  FILTER(CONTAINS(LCASE(STR(?nazev)), "hradec"))
}
ORDER BY STRLEN(STR(?nazev)) ?nazev
LIMIT 50""",
    ),
    Example(
        "radky-po-uzemi",
        "Řádky všech tabulek po ORP, okresech a krajích",
        "Rows of every table by ORP, district and region",
        "Mezikrajská agregace přes územní číselník: každý řádek publikované tabulky, který "
        "odkazuje na obec (IRI z RÚIAN), se započte do jejího ORP, okresu a kraje.",
        "A cross-region aggregation over the territorial codelist: every row of a published "
        "table that links to an obec (a RÚIAN IRI) counts for its ORP, district and region.",
        _prefixes("csvw", "uzemi", "skos")
        + """
SELECT ?uroven ?jednotka ?nazev (COUNT(DISTINCT ?radek) AS ?radku)
       (COUNT(DISTINCT ?obec) AS ?obci) WHERE {
  {
    SELECT DISTINCT ?radek ?obec WHERE {
      ?zaznam csvw:describes ?radek .
      ?radek ?sloupec ?obec .
      FILTER(STRSTARTS(STR(?obec), "https://linked.cuzk.cz/resource/ruian/obec/"))
    }
  }
  VALUES ?uroven { uzemi:orp uzemi:okres uzemi:kraj }
  ?obec ?uroven ?jednotka .
  ?jednotka skos:prefLabel ?nazev .
}
GROUP BY ?uroven ?jednotka ?nazev
ORDER BY ?uroven DESC(?radku)""",
    ),
    Example(
        "obce-kraje",
        "Obce Královéhradeckého kraje s ORP a okresem",
        "Municipalities of the Hradec Králové Region with their ORP and district",
        "Procházení územní hierarchie: obce kraje (RÚIAN VÚSC 86; změňte kód kraje) s obcí "
        "s rozšířenou působností a okresem.",
        "Walking the territorial hierarchy: the municipalities of a region (RÚIAN VÚSC 86; "
        "change the code) with their ORP and district.",
        _prefixes("uzemi", "skos")
        + """
SELECT DISTINCT ?obec ?nazev ?orp ?okres WHERE {
  ?obec a uzemi:Obec ;
        uzemi:kraj <https://linked.cuzk.cz/resource/ruian/vusc/86> ;
        skos:prefLabel ?nazev ;
        uzemi:orp/skos:prefLabel ?orp ;
        uzemi:okres/skos:prefLabel ?okres .
}
ORDER BY ?okres ?orp ?nazev""",
    ),
    Example(
        "tridy",
        "Třídy a počty jejich instancí",
        "Classes and the number of their instances",
        "Jaké druhy věcí data obsahují a kolik jich je.",
        "What kinds of things the data holds, and how many of each.",
        """SELECT ?trida (COUNT(DISTINCT ?vec) AS ?pocet) WHERE {
  ?vec a ?trida .
}
GROUP BY ?trida
ORDER BY DESC(?pocet)""",
    ),
    Example(
        "popis-obce",
        "Vše o jedné obci (CONSTRUCT)",
        "Everything about one municipality (CONSTRUCT)",
        "Graf s tím, co data říkají o obci Hradec Králové (RÚIAN 569810), a s řádky tabulek, "
        "které na ni odkazují. Výsledek je RDF: stáhněte jej jako Turtle nebo JSON-LD.",
        "A graph of what the data says about Hradec Králové (RÚIAN 569810) and of the table "
        "rows that link to it. The result is RDF: download it as Turtle or JSON-LD.",
        """CONSTRUCT {
  ?obec ?vlastnost ?hodnota .
  ?radek ?odkaz ?obec .
} WHERE {
  BIND(<https://linked.cuzk.cz/resource/ruian/obec/569810> AS ?obec)
  { ?obec ?vlastnost ?hodnota }
  UNION
  { ?radek ?odkaz ?obec }
}""",
        kind="construct",
    ),
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SUMS: PerGeneration[Example | None] = PerGeneration(ttl=300.0, entries=4)


def examples(iris: Iris, store=None) -> list[Example]:
    """The examples of this installation: the static ones for its base, and (given a store)
    the sum of a numeric column over the hierarchy, if a published table allows it."""
    out = [
        Example(
            e.name,
            e.title_cs,
            e.title_en,
            e.description_cs,
            e.description_en,
            e.query.replace("{catalog}", iris.catalog).replace("{base}", iris.base),
            e.kind,
        )
        for e in STATIC
    ]
    if store is not None:
        summed = _cached_sum_example(iris, store)
        if summed is not None:
            out.insert(3, summed)
    return out


def by_name(iris: Iris, name: str, store=None) -> Example | None:
    return next((e for e in examples(iris, store) if e.name == name), None)


def _cached_sum_example(iris: Iris, store) -> Example | None:
    """`sum_example`, once per store generation (a store that cannot tell it: once per set of
    graphs, for at most 300 s)."""
    key = (iris.base, tuple(store.named_graphs()))
    return _SUMS.get(store, key, lambda: sum_example(iris, store))


def sum_example(iris: Iris, store) -> Example | None:
    """Sum a published numeric column from obce up to ORP, okres and kraj (README's
    cross-region query (a), in its fast form: one triple pattern per subquery, which Oxigraph
    joins by hashing instead of one index lookup per row; README, Performance), for the first
    table that has such a column and links its rows to obce; None when no table does."""
    numeric = store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        "SELECT ?column ?label ?dataset WHERE { GRAPH ?g { "
        "?column rdfs:range ?type ; rdfs:isDefinedBy ?dataset . "
        "FILTER(?type IN (xsd:integer, xsd:decimal, xsd:double, xsd:long, xsd:int)) "
        "OPTIONAL { ?column rdfs:label ?label } } } ORDER BY ?dataset ?column"
    )
    tried: set[str] = set()
    for row in numeric.rows():
        dataset = str(row["dataset"])
        dataset_id = iris.dataset_id_of(dataset)
        if dataset_id is None or dataset in tried or len(tried) >= 5:
            continue
        tried.add(dataset)
        link = _obec_link(store, iris.data_graph(dataset_id))
        if link is None:
            continue
        column = str(row["column"])
        label = str(row.get("label") or column.rsplit("/", 1)[-1])
        return _sum_of(iris, dataset_id, column, link, label)
    return None


def _obec_link(store, graph: str) -> str | None:
    result = store.query(
        f"SELECT ?link WHERE {{ GRAPH <{graph}> {{ ?row ?link ?obec }} "
        f"?obec a <{UZEMI.Obec}> }} LIMIT 1"
    )
    for row in result.rows():
        return str(row["link"])
    return None


def _term(iri: str, columns: str) -> str:
    local = iri[len(columns) :] if iri.startswith(columns) else ""
    return f"sloupec:{local}" if _NAME.match(local) else f"<{iri}>"


def _sum_of(iris: Iris, dataset_id: str, column: str, link: str, label: str) -> Example:
    columns = iris.column(dataset_id, "")
    query = (
        f"PREFIX sloupec: <{columns}>\n"
        + _prefixes("uzemi", "skos")
        + f"""
SELECT ?uroven ?jednotka (SAMPLE(?jmeno) AS ?nazev) ?soucet ?radku WHERE {{
  {{
    SELECT ?uroven ?jednotka (SUM(?hodnota) AS ?soucet) (COUNT(?radek) AS ?radku) WHERE {{
      # jeden vzor na poddotaz: Oxigraph je spojí hašováním, ne řádek po řádku (rychlé)
      {{ SELECT ?radek ?obec WHERE {{ ?radek {_term(link, columns)} ?obec }} }}
      {{ SELECT ?radek ?hodnota WHERE {{ ?radek {_term(column, columns)} ?hodnota }} }}
      {{
        SELECT ?obec ?uroven ?jednotka WHERE {{
          VALUES ?uroven {{ uzemi:orp uzemi:okres uzemi:kraj }}
          ?obec ?uroven ?jednotka .
        }}
      }}
    }}
    GROUP BY ?uroven ?jednotka
  }}
  OPTIONAL {{ ?jednotka skos:prefLabel ?jmeno FILTER(lang(?jmeno) = "cs") }}
}}
GROUP BY ?uroven ?jednotka ?soucet ?radku
ORDER BY ?uroven DESC(?soucet)"""
    )
    return Example(
        "soucet-po-uzemi",
        f"Součet „{label}“ za ORP, okresy a kraje",
        f"Sum of “{label}” by ORP, district and region",
        f"Mezikrajská agregace: hodnoty sloupce „{label}“ datové sady {dataset_id} sečtené "
        "z obcí do obcí s rozšířenou působností, okresů a krajů podle územního číselníku.",
        f"A cross-region aggregation: the column “{label}” of dataset {dataset_id} summed "
        "from obce up to ORP, district and region through the territorial codelist.",
        query,
    )
