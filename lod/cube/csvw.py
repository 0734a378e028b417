"""A cube plan written into the table's CSVW metadata, so that csv2rdf makes the cube.

Each row is one observation (a multi-measure cube: one ``qb:Observation`` per row with a value
for every measure), named by the row's ``aboutUrl``:

- the dimension columns get the dimension's ``propertyUrl`` and the measure columns their
  measure's, and all of them are ``required`` (a cube has no holes: IC-11, IC-14);
- the dimension columns are the table's ``primaryKey`` (no two observations share all
  dimension values: IC-12), so csv2rdf refuses a repeated key with its rows;
- two virtual columns add ``rdf:type qb:Observation`` and ``qb:dataSet`` to every row (IC-1);
- the qb:DataSet and its qb:DataStructureDefinition are a common property of the table
  (``foaf:primaryTopic``), written by csv2rdf as triples: the structure, its components, the
  measure and dimension properties (label = the column's header, range = its datatype), the
  units (``sdmx-attribute:unitMeasure`` on each measure property, attached at measure level),
  and the SDMX terms it uses restated as the SDMX-RDF vocabulary defines them (type and range),
  so that the published data alone is a well-formed cube.
"""

from __future__ import annotations

from .plan import (
    REF_AREA,
    REF_PERIOD,
    SDMX_CONCEPT,
    UNIT_MEASURE,
    Component,
    CubePlan,
    base_type,
)

_XSD_BASES = {"number": "double", "datetime": "dateTime"}
_SDMX_TERMS = {REF_AREA: "refArea", REF_PERIOD: "refPeriod"}
TOPIC = "foaf:primaryTopic"  # the table's common property naming its qb:DataSet


def describe_cube(metadata: dict, plan: CubePlan) -> None:
    """Write `plan` into the CSVW `metadata` (of the table `plan` was made for)."""
    schema = metadata["tableSchema"]
    for component in plan.dimensions + plan.measures:
        component.column["propertyUrl"] = component.property
        component.column["required"] = True
        if component.role == "period" and base_type(component.column) == "integer":
            component.column["datatype"] = "gYear"  # a year, not a quantity
    schema["primaryKey"] = [c.name for c in plan.dimensions]
    names = {c.get("name") for c in schema["columns"]}
    schema["columns"] = schema["columns"] + [
        _virtual(_free("qb_observation", names), "rdf:type", "qb:Observation"),
        _virtual(_free("qb_dataset", names), "qb:dataSet", plan.dataset),
    ]
    metadata[TOPIC] = {
        "@id": plan.dataset,
        "@type": "qb:DataSet",
        "qb:structure": structure(plan),
    }


def structure(plan: CubePlan) -> dict:
    """The qb:DataStructureDefinition as JSON-LD (the subset CSVW common properties use)."""
    components: list[dict] = [
        {"qb:dimension": _dimension(c, plan), "qb:order": n}
        for n, c in enumerate(plan.dimensions, 1)
    ]
    components += [{"qb:measure": _measure(c, plan)} for c in plan.measures]
    if any(c.unit for c in plan.measures):
        components.append(
            {
                "qb:attribute": {
                    "@id": UNIT_MEASURE,
                    "@type": ["qb:AttributeProperty", "rdf:Property"],
                    "rdfs:range": {"@id": "rdfs:Resource"},
                    "qb:concept": {"@id": SDMX_CONCEPT + "unitMeasure"},
                },
                "qb:componentAttachment": {"@id": "qb:MeasureProperty"},
            }
        )
    return {
        "@id": plan.structure,
        "@type": "qb:DataStructureDefinition",
        "qb:component": components,
    }


def _dimension(component: Component, plan: CubePlan) -> dict:
    if component.property in _SDMX_TERMS:  # restated from the SDMX-RDF vocabulary
        return {
            "@id": component.property,
            "@type": ["qb:DimensionProperty", "rdf:Property"],
            "rdfs:range": {"@id": "rdfs:Resource"},
            "qb:concept": {"@id": SDMX_CONCEPT + _SDMX_TERMS[component.property]},
        }
    return {
        "@id": component.property,
        "@type": ["qb:DimensionProperty", "rdf:Property"],
        "rdfs:label": {"@value": component.title, "@language": "cs"},
        "rdfs:range": {"@id": _range(component.column)},
        "rdfs:isDefinedBy": {"@id": plan.dataset},
    }


def _measure(component: Component, plan: CubePlan) -> dict:
    measure = {
        "@id": component.property,
        "@type": ["qb:MeasureProperty", "rdf:Property"],
        "rdfs:label": {"@value": component.title, "@language": "cs"},
        "rdfs:range": {"@id": _range(component.column)},
        "rdfs:isDefinedBy": {"@id": plan.dataset},
    }
    if component.unit:
        measure[UNIT_MEASURE] = {"@id": component.unit}
    return measure


def _range(column: dict) -> str:
    if "valueUrl" in column:
        return "rdfs:Resource"
    base = base_type(column)
    return "xsd:" + _XSD_BASES.get(base, base)


def _virtual(name: str, prop: str, value: str) -> dict:
    return {"name": name, "virtual": True, "propertyUrl": prop, "valueUrl": value}


def _free(name: str, taken: set) -> str:
    n, candidate = 1, name
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate)
    return candidate
