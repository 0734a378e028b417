"""The catalogue commands of ``lod``: metadata-only records, import, quality, NKOD registration.

Thin faces over ``lod.publish_record``, ``lod.catalog.importer``, ``lod.quality`` and
``lod.catalog.publishers``; registered on the ``lod`` group by ``lod.cli``. Exit codes as
everywhere: 0 success, 1 refused or below the bar, 2 bad input or another error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .cli import _settings, handle_errors


def _publisher_iri(settings, publisher: str | None) -> str | None:
    if not publisher:
        return None
    from .catalog.publishers import resolve

    return resolve(settings, publisher).iri


@click.command(name="publish-record")
@click.option("--id", "dataset_id", required=True, help="Dataset id: a-z, 0-9 and '-'.")
@click.option(
    "--meta",
    "record",
    required=True,
    type=click.Path(path_type=Path),
    help="The record (OFN keys) as JSON or YAML, with its own distribuce.",
)
@click.option("--publisher", help="IČO (or IRI) of a hosted publisher; default: the record's.")
@handle_errors
def publish_record(dataset_id: str, record: Path, publisher: str | None):
    """Publish a metadata-only record: a dataset series (typ: Datová série) or a dataset whose
    data lives elsewhere (its distribuce in the record). Validated like `lod ingest`."""
    from .catalog.record import load_record
    from .publish_record import publish_record as do_publish
    from .store import open_store

    settings = _settings()
    data = load_record(record)
    iri = _publisher_iri(settings, publisher)
    if iri:
        data["poskytovatel"] = iri
    store = open_store(settings)
    try:
        result = do_publish(store, settings, dataset_id, data, source=str(record))
    finally:
        store.close()
    for note in result.notes:
        click.echo(note.line(), err=True)
    click.echo(f"published {result.iri} (metadata only)")


@click.command(name="import-catalog")
@click.argument("source")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="PREFIX=URL|FOLDER",
    help="Read IRIs starting with PREFIX from URL or from a local FOLDER instead (repeatable).",
)
@click.option("--offline", is_flag=True, help="Fetch nothing that --map does not cover.")
@click.option("--publisher", help="Publish every record under this hosted publisher (IČO).")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@handle_errors
def import_catalog(source: str, maps, offline: bool, publisher: str | None, output: str):
    """Import the catalogue SOURCE (URL or FILE; JSON-LD or Turtle) and all its records as
    metadata-only records, keeping every fact; reports what NKOD drops from it today.

    Exit 0 all imported, 1 some records refused (the rest are published), 2 error."""
    from .catalog.importer import import_catalog as do_import
    from .fetch import parse_mapping
    from .store import open_store

    settings = _settings()
    mapping = parse_mapping(maps)
    iri = _publisher_iri(settings, publisher)
    store = open_store(settings)
    try:
        report = do_import(store, settings, source, mapping=mapping, offline=offline, publisher=iri)
    finally:
        store.close()
    if output == "json":
        click.echo(json.dumps(_import_dict(report), ensure_ascii=False, indent=2))
    else:
        _print_import(report)
    sys.exit(0 if report.complete else 1)


def _import_dict(report) -> dict:
    return {
        "catalog": report.catalog,
        "imported": len(report.imported),
        "total": len(report.records),
        "records": [
            {
                "source": r.source,
                "iri": r.iri,
                "status": r.status,
                "problems": [p.as_dict() for p in r.problems],
                "repairs": [p.as_dict() for p in r.repairs],
            }
            for r in report.records
        ],
        "nkod_today": report.preflight.as_dict() if report.preflight else None,
    }


def _print_import(report) -> None:
    if report.preflight:
        click.echo(f"NKOD today, from {report.catalog}:")
        _print_harvest(report.preflight, indent="  ")
    click.echo("import:")
    for record in report.records:
        click.echo(f"  {record.status:<11} {record.source} -> {record.iri}")
        for problem in record.problems:
            if problem.severity == "error":
                click.echo("      " + problem.line())
        if record.repairs:
            click.echo(
                f"      {len(record.repairs)} value(s) repaired, e.g. {record.repairs[0].line()}"
            )
    repaired = sum(len(r.repairs) for r in report.imported)
    click.echo(
        f"{len(report.imported)} of {len(report.records)} records imported"
        + (f"; {repaired} value(s) repaired (listed above)" if repaired else "")
    )


def _print_harvest(report, indent: str = "") -> None:
    for line in _grouped(report.catalog_problems):
        click.echo(f"{indent}catalogue: {line}")
    for verdict in report.datasets:
        label = {"kept": "kept     ", "DROPPED": "DROPPED  "}.get(verdict.status, "LOSSY    ")
        click.echo(f"{indent}{label}{verdict.iri}")
        for line in _grouped(verdict.problems):
            click.echo(f"{indent}    {line}")
    kept = sum(d.kept for d in report.datasets)
    click.echo(f"{indent}{kept} of {len(report.datasets)} datasets would be kept by NKOD")


GROUP_FROM = 3  # problems with the same message and fix, said once with their places
PLACES_SHOWN = 5


def _grouped(problems: list) -> list[str]:
    """The problems' lines; those that differ only in their place (and value: every IRI of a
    record on an http base "does not match ^https://") in one line, where the first was."""
    groups: dict[tuple, list] = {}
    for problem in problems:
        groups.setdefault((problem.severity, problem.message, problem.hint), []).append(problem)
    lines = []
    for (severity, message, hint), same in groups.items():
        if len(same) < GROUP_FROM:
            lines.extend(problem.line() for problem in same)
            continue
        places = [p.where for p in same]
        source = ""  # what found them all ("… (JSON schema datová-sada)"), said once
        common = {place.rpartition(" (")[2] for place in places}
        if len(common) == 1 and all(" (" in place for place in places):
            source = " (" + common.pop()
            places = [place.rpartition(" (")[0] for place in places]
        more = f" and {len(same) - PLACES_SHOWN} more" if len(same) > PLACES_SHOWN else ""
        shown = ", ".join(places[:PLACES_SHOWN])
        line = f"{severity}: {message}{source}, in {len(same)} places: {shown}{more}"
        lines.append(line + (f" — how to fix: {hint}" if hint else ""))
    return lines


@click.command()
@click.option("--id", "ids", multiple=True, help="Assess only these datasets (repeatable).")
@click.option("--offline", is_flag=True, help="Check no URL outside this installation.")
@click.option("--min", "minimum", type=int, default=0, help="Exit 1 if a dataset scores less.")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@handle_errors
def quality(ids, offline: bool, minimum: int, output: str):
    """The data.europa.eu quality score (MQA, of 405 points) of every published dataset, from
    the published metric definitions; URLs are checked with HEAD (lod's own in-process)."""
    from .quality import assess_catalog, maximum
    from .store import open_store

    settings = _settings()
    store = open_store(settings)
    try:
        results = assess_catalog(store, settings, offline=offline, only=list(ids) or None)
    finally:
        store.close()
    if output == "json":
        click.echo(json.dumps([a.as_dict() for a in results], ensure_ascii=False, indent=2))
    else:
        for a in results:
            dims = ", ".join(f"{d[0].upper()} {s}/{m}" for d, (s, m) in a.dimensions().items())
            click.echo(f"{a.score:>3}/{maximum()} {a.rating:<9} {a.iri} ({dims})")
            for note in a.notes:
                click.echo(f"      {note}")
    sys.exit(1 if any(a.score < minimum for a in results) else 0)


@click.command(name="nkod-registration")
@click.option("--publisher", help="IČO of a hosted publisher (default: LOD_PUBLISHER).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def nkod_registration(publisher: str | None, output: Path | None):
    """Print the registration JSON-LD of a publisher's catalogue, as NKOD's registration form
    makes it: send it from the publisher's data box to m3hp53v (subject NKOD, one attachment
    named *.jsonld.txt)."""
    from .catalog.publishers import all_publishers, registration, resolve

    settings = _settings()
    chosen = resolve(settings, publisher) if publisher else all_publishers(settings)[0]
    text = json.dumps(registration(settings, chosen), ensure_ascii=False, indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"written {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = (publish_record, import_catalog, quality, nkod_registration)
