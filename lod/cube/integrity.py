"""The W3C Data Cube integrity constraints (https://www.w3.org/TR/vocab-data-cube/#wf-rules),
run with pySHACL from their SHACL version in ``shapes/datacube/`` (SOURCES.md there lists what
lod fixed in it and why).

pySHACL runs with SHACL Advanced Features (``advanced=True``): the shapes derive
``qb:componentProperty`` with a SHACL rule, and IC-20/IC-21 call a SHACL function.

`check_published` is the check before a cube is published. pySHACL runs each SPARQL constraint
once per observation, and IC-12 compares each observation with every other one, so its cost
grows with the square of the rows (200 observations: about a minute). The check therefore runs
the constraints on the whole structure (data set, structure definition, component properties)
with the first `SAMPLE` observations: every other observation is written by the same CSVW
template, and what differs between rows — a missing dimension or measure value, a repeated key
— csv2rdf has refused for every row already (``required`` and ``primaryKey``, see
`lod.cube.csvw`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS

from .. import resources
from ..errors import Problem, ValidationFailed
from ..namespaces import SH

SHAPES = "datacube/datacube.shapes.ttl"
SAMPLE = 20  # observations checked with the structure before publishing
_IC = re.compile(r"IC-\d+")
_CSVW = "http://www.w3.org/ns/csvw#"


@dataclass(frozen=True)
class Violation:
    ic: str  # "IC-12"
    focus: str  # the node that breaks it (IRI, or blank node label)
    message: str  # the constraint's message

    def line(self) -> str:
        return f"{self.ic}: {self.focus}: {self.message}"


@cache
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(resources.shapes(SHAPES), format="turtle")


def _constraints(graph: rdflib.Graph) -> dict[str, str]:
    """Message of each constraint -> its IC number, from the comments of the shapes."""
    found = {}
    for node, message in graph.subject_objects(SH.message):
        comment = " ".join(str(c) for c in graph.objects(node, RDFS.comment))
        match = _IC.search(comment)
        if match:
            found[" ".join(str(message).split())] = match.group(0)
    return found


def violations(graph: rdflib.Graph, shapes: rdflib.Graph | None = None) -> list[Violation]:
    """Every integrity constraint the cube(s) in `graph` break, sorted; [] if well-formed.
    `shapes`: another version of the shapes (default: lod's)."""
    import pyshacl  # (slow to import; only a cube needs it here)

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    known = _constraints(shapes)
    found: dict[tuple[str, str], Violation] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = " ".join(str(report.value(result, SH.resultMessage) or "").split())
        focus = str(report.value(result, SH.focusNode))
        if message in known:
            found[(known[message], focus)] = Violation(known[message], focus, message)
        else:  # a shape's generic message (sh:node): it quotes the constraint's comment
            match = _IC.search(message)
            ic = match.group(0) if match else "IC-?"
            found.setdefault((ic, focus), Violation(ic, focus, message))
    return sorted(found.values(), key=lambda v: (_number(v.ic), v.focus))


def check_published(nt_path: Path, *, rows_prefix: str = "", sample: int = SAMPLE) -> None:
    """Raise ValidationFailed if the converted cube in `nt_path` (N-Triples) breaks an
    integrity constraint; observations named ``{rows_prefix}N`` are reported as row N."""
    graph = cube_sample(nt_path, sample, rows_prefix)
    problems = [_problem(v, rows_prefix) for v in violations(graph)]
    if problems:
        raise ValidationFailed(problems, what="Data Cube")


def guard(produced, nt_path: Path, rows_prefix: str) -> None:
    """Put `check_published` in front of publishing ``produced`` (a ``publish.Produced``):
    now if its data is written already, else after its last chunk (which aborts the store
    write)."""
    if produced.data is None:
        check_published(nt_path, rows_prefix=rows_prefix)
    else:
        produced.data = _checked_at_end(produced.data, nt_path, rows_prefix)


def _checked_at_end(chunks: Iterator[bytes], nt_path: Path, rows_prefix: str) -> Iterator[bytes]:
    yield from chunks
    check_published(nt_path, rows_prefix=rows_prefix)


def cube_sample(nt_path: Path, sample: int, rows_prefix: str) -> rdflib.Graph:
    """The cube in `nt_path` without the CSVW row frames, and with only `sample` of its
    observations (the subjects under `rows_prefix`): one pass over the lines, as a query
    (FILTER NOT EXISTS per triple) takes minutes on a big table."""
    frames = tuple(f" <{_CSVW}{p}> " for p in ("row", "rownum", "url", "describes"))
    row_type = f" <{RDF.type}> <{_CSVW}Row> ."
    kept: list[str] = []
    observations: set[str] = set()
    row_subject = f"<{rows_prefix}" if rows_prefix else None
    with open(nt_path, encoding="utf-8") as lines:
        for line in lines:
            if any(f in line for f in frames) or row_type in line:
                continue
            if row_subject and line.startswith(row_subject):
                subject = line.split(" ", 1)[0]
                if subject not in observations:
                    if len(observations) >= sample:
                        continue
                    observations.add(subject)
            kept.append(line)
    return rdflib.Graph().parse(data="".join(kept), format="nt")


def _problem(violation: Violation, rows_prefix: str) -> Problem:
    row = None
    if rows_prefix and violation.focus.startswith(rows_prefix):
        tail = violation.focus[len(rows_prefix) :]
        row = int(tail) if tail.isdigit() else None
    return Problem(
        message=f"{violation.ic}: {violation.message}",
        where=violation.focus + (f" (data row {row})" if row is not None else ""),
        hint="the cube's structure comes from the --cube options: check the dimensions and "
        "measures they name (see 'Statistics as RDF Data Cube' in the README)",
        focus=violation.focus,
        component=violation.ic,
        check="datacube",
        row=row,
    )


def _number(ic: str) -> int:
    digits = re.search(r"\d+", ic)
    return int(digits.group(0)) if digits else 0
