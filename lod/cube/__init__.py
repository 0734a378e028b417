"""Statistics as RDF Data Cube (W3C ``qb:``): a table of indicators by territory and time.

A cube is a choice made while a table is published (``lod ingest … --cube``), written down in
the table's CSVW metadata, so that the published CSV and its metadata reproduce every
observation and the structure in any CSVW processor:

- `plan`: which columns are dimensions (the territory column linked to RÚIAN becomes
  ``sdmx-dimension:refArea``, a year/period column ``sdmx-dimension:refPeriod``, others a
  dimension of the dataset's own), which are measures (numeric columns) and their units.
- `csvw`: the plan as CSVW metadata: each row is one ``qb:Observation`` (virtual columns typing
  it and naming its ``qb:dataSet``), the dimension and measure columns are ``required`` and the
  dimensions the table's ``primaryKey``, and the data structure definition is a common property
  of the table.
- `integrity`: the W3C integrity constraints IC-1 … IC-21 (``shapes/datacube/``) run with
  pySHACL, before anything is published.
"""

from __future__ import annotations

from .csvw import describe_cube
from .integrity import Violation, check_published, guard, violations
from .plan import CubeOptions, CubePlan, plan_cube

__all__ = [
    "CubeOptions",
    "CubePlan",
    "Violation",
    "check_published",
    "describe_cube",
    "guard",
    "plan_cube",
    "violations",
]
