"""The smallest territorial unit that covers a set of units: a dataset's ``dct:spatial``.

Every unit lies in itself and in the units its ``within`` names; the cover is the common one
with the fewest obce (ties go to the finer kind), among obec, POU, ORP, okres, kraj and stát:
obce of one okres give that okres, of one kraj ``vusc/86``, of several kraje ``stat/1``.
Regions of cohesion are skipped: a dataset of two kraje is national in the OFN sense.
"""

from __future__ import annotations

from collections.abc import Iterable

from .lookup import Index, Unit

KINDS = ("obec", "pou", "orp", "okres", "kraj", "stat")


def covering(index: Index, units: Iterable[Unit]) -> Unit | None:
    """The smallest unit of ``KINDS`` that every one of ``units`` lies in (None: no units)."""
    common: dict[str, Unit] | None = None
    for unit in set(units):
        around = {u.iri: u for u in (unit, *unit.within.values()) if u.kind in KINDS}
        common = around if common is None else {i: u for i, u in common.items() if i in around}
    if not common:
        return None
    return min(common.values(), key=lambda u: (index.size(u), KINDS.index(u.kind)))
