"""Which columns of a table are the dimensions, measures and units of its Data Cube.

Inferred from the table's CSVW metadata (as `lod.tabular.prepare` wrote it, territorial columns
already linked), unless the options name them:

- **territory** (``sdmx-dimension:refArea``): the column linked to RÚIAN IRIs (a ``valueUrl``
  under ``https://linked.cuzk.cz/resource/ruian/``); of several, the finest unit (obec before
  ORP before okres before kraj);
- **period** (``sdmx-dimension:refPeriod``): ``--period``, else a column titled "rok",
  "období", "year" or "period"; years become ``xsd:gYear``, dates stay ``xsd:date``;
- **other dimensions**: only those named by ``--dimension`` (which then lists every dimension);
- **measures**: ``--measure``, else every other numeric column; each may have a unit
  (``--unit COLUMN=IRI``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import BadInput
from ..iris import Iris
from ..namespaces import RUIAN

SDMX_DIMENSION = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATTRIBUTE = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_CONCEPT = "http://purl.org/linked-data/sdmx/2009/concept#"
REF_AREA = SDMX_DIMENSION + "refArea"
REF_PERIOD = SDMX_DIMENSION + "refPeriod"
UNIT_MEASURE = SDMX_ATTRIBUTE + "unitMeasure"

# RÚIAN kinds from the finest to the coarsest
_KINDS = ["obec", "pou", "orp", "okres", "vusc", "region-soudrznosti", "stat"]
_PERIOD_TITLES = {"rok", "obdobi", "year", "period", "referencni obdobi", "sledovane obdobi"}
NUMERIC = {
    "integer", "decimal", "double", "float", "number", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
}  # fmt: skip
PERIOD_TYPES = {"gYear", "gYearMonth", "date", "dateTime", "dateTimeStamp"}
_IRI = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+$", re.I)


@dataclass(frozen=True)
class CubeOptions:
    """What the publisher chose (``lod ingest --cube``); columns by name or title."""

    dimensions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    period: str | None = None
    units: tuple[tuple[str, str], ...] = ()  # (column, unit IRI)

    @staticmethod
    def parse_unit(text: str) -> tuple[str, str]:
        """``COLUMN=IRI`` as given to ``--unit``."""
        column, sep, unit = text.rpartition("=")
        if not sep or not column.strip() or not _IRI.match(unit.strip()):
            raise BadInput(
                f"--unit {text!r} is not COLUMN=IRI",
                where="--unit",
                hint="e.g. --unit pocet_obyvatel=http://qudt.org/vocab/unit/NUM "
                "(an absolute IRI of the unit, e.g. from QUDT)",
            )
        return column.strip(), unit.strip()


@dataclass
class Component:
    column: dict  # the column's CSVW description (csvw.describe_cube changes it)
    role: str  # "area", "period", "dimension" or "measure"
    property: str  # the property IRI the column's cells are written with
    unit: str | None = None

    @property
    def name(self) -> str:
        return self.column["name"]

    @property
    def title(self) -> str:
        return column_title(self.column)


@dataclass
class CubePlan:
    dataset: str  # the qb:DataSet: the dataset's IRI
    structure: str  # its qb:DataStructureDefinition
    dimensions: list[Component] = field(default_factory=list)
    measures: list[Component] = field(default_factory=list)

    def describe(self) -> str:
        """One line saying what the cube is, for the publisher to review."""
        dims = ", ".join(f"{_short(c.property)} = {c.title!r}" for c in self.dimensions)
        measures = ", ".join(
            repr(c.title) + (f" [{c.unit}]" if c.unit else "") for c in self.measures
        )
        return f"Data Cube: dimensions {dims}; measures {measures}"


def plan_cube(metadata: dict, options: CubeOptions, iris: Iris, dataset_id: str) -> CubePlan:
    """The cube of a table described by `metadata`; BadInput says which option to give when
    the table does not make one."""
    columns = [
        c
        for c in metadata["tableSchema"]["columns"]
        if not c.get("virtual") and not c.get("suppressOutput")
    ]
    plan = CubePlan(iris.dataset(dataset_id), iris.structure(dataset_id))
    period = _find(columns, options.period, "--period") if options.period else _period(columns)
    if options.dimensions:
        chosen = [_find(columns, name, "--dimension") for name in options.dimensions]
        if period is not None and options.period and not _among(period, chosen):
            chosen.append(period)
        area = _area([c for c in chosen if c is not period])
    else:
        area = _area(columns)
        if area is None:
            raise BadInput(
                "the table has no column of territorial codes linked to RÚIAN, so it has no "
                "territory dimension",
                where="--cube",
                hint="add a column of obec (or ORP, okres, kraj) codes, or name the "
                "dimensions with --dimension COLUMN",
            )
        chosen = [area] + ([period] if period is not None else [])
    for column in chosen:
        if sum(c is column for c in chosen) > 1:
            raise BadInput(f"column {column_title(column)!r} is named twice", where="--dimension")
        if column is area:
            plan.dimensions.append(Component(column, "area", REF_AREA))
        elif column is period:
            _check_period(column)
            plan.dimensions.append(Component(column, "period", REF_PERIOD))
        else:
            plan.dimensions.append(
                Component(column, "dimension", iris.dimension(dataset_id, column["name"]))
            )
    dims = [c.column for c in plan.dimensions]
    if options.measures:
        measures = [_find(columns, name, "--measure") for name in options.measures]
        for column in measures:
            if _among(column, dims):
                raise BadInput(
                    f"column {column_title(column)!r} is a dimension, not a measure",
                    where="--measure",
                )
            if base_type(column) not in NUMERIC:
                raise BadInput(
                    f"column {column_title(column)!r} is not numeric "
                    f"({base_type(column)}), so it cannot be a measure",
                    where="--measure",
                    hint="a measure holds numbers; give another column",
                )
    else:
        measures = [
            c
            for c in columns
            if not _among(c, dims) and "valueUrl" not in c and base_type(c) in NUMERIC
        ]
    if not measures:
        raise BadInput(
            "the table has no numeric column to be a measure",
            where="--cube",
            hint="name the measures with --measure COLUMN (numeric columns)",
        )
    plan.measures = [Component(c, "measure", iris.measure(dataset_id, c["name"])) for c in measures]
    _assign_units(plan, options.units, columns)
    return plan


def column_title(column: dict) -> str:
    titles = column.get("titles", column.get("name", ""))
    if isinstance(titles, dict):
        titles = next(iter(titles.values()), column.get("name", ""))
    if isinstance(titles, list):
        titles = titles[0] if titles else column.get("name", "")
    return titles


def base_type(column: dict) -> str:
    datatype = column.get("datatype", "string")
    base = datatype.get("base", "string") if isinstance(datatype, dict) else datatype
    return base if isinstance(base, str) else "string"


def _among(column: dict, columns: list[dict]) -> bool:
    return any(column is c for c in columns)


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def _find(columns: list[dict], wanted: str, option: str) -> dict:
    for key in (lambda c: c.get("name"), column_title, lambda c: _normal(column_title(c))):
        found = [c for c in columns if key(c) in (wanted, _normal(wanted))]
        if len(found) == 1:
            return found[0]
    names = ", ".join(repr(column_title(c)) for c in columns)
    raise BadInput(
        f"{option} {wanted!r}: the table has no such column",
        where=option,
        hint=f"give a column's name or title: {names}",
    )


def _period(columns: list[dict]) -> dict | None:
    found = [
        c
        for c in columns
        if _normal(column_title(c)) in _PERIOD_TITLES or _normal(c["name"]) in _PERIOD_TITLES
    ]
    return found[0] if len(found) == 1 else None


def _check_period(column: dict) -> None:
    if base_type(column) not in PERIOD_TYPES | {"integer"}:
        raise BadInput(
            f"period column {column_title(column)!r} holds {base_type(column)} values, "
            "not years or dates",
            where="--period",
            hint="the period must be a year (2024) or a date; name another column with "
            "--period, or give the dimensions with --dimension",
        )


def _area(columns: list[dict]) -> dict | None:
    linked = [(_kind(c), c) for c in columns if _kind(c) is not None]
    if not linked:
        return None
    return min(linked, key=lambda pair: _KINDS.index(pair[0]))[1]


def _kind(column: dict) -> str | None:
    value = column.get("valueUrl")
    if not isinstance(value, str) or not value.startswith(RUIAN):
        return None
    kind = value[len(RUIAN) :].split("/", 1)[0]
    return kind if kind in _KINDS else None


def _assign_units(plan: CubePlan, units, columns: list[dict]) -> None:
    by_column = {id(c.column): c for c in plan.measures}
    for name, unit in units:
        column = _find(columns, name, "--unit")
        if id(column) not in by_column:
            raise BadInput(
                f"--unit {name!r}: column {column_title(column)!r} is not a measure",
                where="--unit",
                hint="units belong to measures: " + ", ".join(repr(c.title) for c in plan.measures),
            )
        by_column[id(column)].unit = unit


def _short(iri: str) -> str:
    return iri.replace(SDMX_DIMENSION, "sdmx-dimension:").rsplit("/", 1)[-1]
