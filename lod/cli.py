"""The ``lod`` command: a thin face over the library.

Exit codes: 0 success; 1 refused by validation (nothing changed) or does not conform;
2 bad input, usage or another error.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import re
import stat
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .errors import LodError, ValidationFailed


def _settings(**overrides):
    from .settings import load_settings

    return load_settings(**overrides)


def handle_errors(func):
    """Print LodErrors as `error: where: what` + a fix hint, and exit with their code."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationFailed as exc:
            click.echo(f"refused: {exc.message}", err=True)
            for problem in exc.problems:
                click.echo("  " + problem.line(), err=True)
            sys.exit(exc.exit_code)
        except LodError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def fewer_collections(func):
    """For a command that converts a table: the cyclic garbage collector runs after 100,000
    new containers instead of 700. A table's rows are many short-lived lists and make
    hardly any cycles; collecting every 700 took about 5 % of `lod convert` (bench/)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        thresholds = gc.get_threshold()
        gc.set_threshold(100_000, *thresholds[1:])
        try:
            return func(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)

    return wrapper


def skip_last_collection() -> None:
    """At exit, the objects left are frozen (gc.freeze) before the interpreter's last
    collection, which then neither walks nor frees them: the system takes the process's
    memory back anyway. That collection took 35-50 ms of a 1 s `lod convert` (bench/). A
    command that calls this has closed its files itself: no finalizer is needed after it."""
    atexit.unregister(gc.freeze)  # once, however often the command runs in this process
    atexit.register(gc.freeze)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lod")
def main():
    """lod: publish Czech open data tables as linked data with an NKOD-ready catalogue.

    Settings come from defaults, lod.toml, then LOD_* environment variables
    (LOD_HOME, LOD_BASE_URL, …; see README).
    """


@main.command()
@click.argument("table", type=click.Path(path_type=Path))
@click.option(
    "--id", "dataset_id", required=True, help="Dataset id: a-z, 0-9 and '-'; part of its IRI."
)
@click.option(
    "--meta",
    "record",
    required=True,
    type=click.Path(path_type=Path),
    help="The dataset record (OFN keys) as JSON or YAML.",
)
@click.option("--sheet", default=None, help="Sheet name or 0-based index for XLSX/ODS.")
@click.option(
    "--publisher",
    default=None,
    help="IČO (or IRI) of a hosted publisher (LOD_PUBLISHERS); default: the record's "
    "poskytovatel, else LOD_PUBLISHER.",
)
@click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    default=None,
    help="The steward's own SHACL shapes of the data (Turtle), merged with the generated "
    "ones; default: TABLE's name with .shapes.ttl beside it, if there is one.",
)
@click.option(
    "--cube",
    is_flag=True,
    help="Publish TABLE as an RDF Data Cube (qb:DataSet, one qb:Observation per row), checked "
    "with the W3C integrity constraints. Inferred: the territorial column linked to RÚIAN "
    "and a rok/období/year column are the dimensions, numeric columns the measures.",
)
@click.option(
    "--dimension",
    "dimensions",
    multiple=True,
    metavar="COLUMN",
    help="With --cube: a dimension (name or title; repeatable); lists all dimensions.",
)
@click.option(
    "--measure",
    "measures",
    multiple=True,
    metavar="COLUMN",
    help="With --cube: a measure, a numeric column (repeatable); default: every numeric one.",
)
@click.option("--period", metavar="COLUMN", help="With --cube: the column of years or dates.")
@click.option(
    "--unit",
    "units",
    multiple=True,
    metavar="COLUMN=IRI",
    help="With --cube: the unit of a measure (sdmx-attribute:unitMeasure), e.g. "
    "pocet=http://qudt.org/vocab/unit/NUM (repeatable).",
)
@handle_errors
@fewer_collections
def ingest(
    table: Path,
    dataset_id: str,
    record: Path,
    sheet: str | None,
    publisher: str | None,
    shapes: Path | None,
    cube: bool,
    dimensions: tuple[str, ...],
    measures: tuple[str, ...],
    period: str | None,
    units: tuple[str, ...],
):
    """Convert, validate and publish TABLE as dataset ID (atomically)."""
    from .publish import ingest as do_ingest
    from .store import open_store

    skip_last_collection()
    settings = _settings()
    cube_options = _cube_options(cube, dimensions, measures, period, units)
    if publisher:
        from .catalog.publishers import resolve
        from .catalog.record import load_record

        chosen = resolve(settings, publisher)
        data = load_record(record)
        data["poskytovatel"] = chosen.iri
        record, source = data, str(record)
    else:
        source = ""
    store = open_store(settings)
    sheet_arg: str | int | None = int(sheet) if sheet and sheet.isdigit() else sheet
    try:
        result = do_ingest(
            store,
            settings,
            table,
            dataset_id,
            record,
            sheet=sheet_arg,
            source=source,
            shapes=shapes,
            cube=cube_options,
        )
    finally:
        store.close()
    for note in result.notes:
        click.echo(note.line(), err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for line in result.links:
        click.echo(f"linked: {line}", err=True)
    for iri in result.spatial:
        click.echo(f"prvek_rúian (dct:spatial) from the linked rows: {iri}", err=True)
    if result.shapes:
        click.echo(f"shapes: {result.shapes}", err=True)
    click.echo(f"published {result.iri} ({result.size})")


def _cube_options(cube: bool, dimensions, measures, period, units):
    """The --cube options of ingest (None without --cube)."""
    from .cube import CubeOptions
    from .errors import BadInput

    if not cube:
        if dimensions or measures or period or units:
            raise BadInput(
                "--dimension, --measure, --period and --unit describe a Data Cube",
                where="--cube",
                hint="add --cube to publish the table as an RDF Data Cube",
            )
        return None
    return CubeOptions(
        tuple(dimensions), tuple(measures), period, tuple(map(CubeOptions.parse_unit, units))
    )


@main.command()
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSVW metadata to use for TABLE (overrides any metadata found for it).",
)
@click.option(
    "--url",
    metavar="URL",
    help="The URL TABLE stands for (default: its file: URL); files beside TABLE stand for the "
    "URLs beside it.",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="PREFIX=DIR",
    help="Read URLs starting with PREFIX from the folder DIR (repeatable); nothing is "
    "fetched from the network.",
)
@click.option(
    "--link-header",
    metavar="VALUE",
    help="An HTTP Link header served with TABLE, e.g. '<meta.json>; rel=\"describedby\"'.",
)
@click.option("--minimal", is_flag=True, help="Minimal mode: only the triples of the cells.")
@click.option(
    "--lenient",
    is_flag=True,
    help="Report data errors (invalid or missing required cells, key violations, a header "
    "that does not fit the metadata) as warnings and convert anyway, as W3C csv2rdf does.",
)
@click.option(
    "--no-infer",
    is_flag=True,
    help="When no metadata is found, use the header row alone (W3C: every cell a string, "
    "default dialect) instead of inferring datatypes, encoding and delimiter.",
)
@click.option(
    "--no-link",
    is_flag=True,
    help="Do not link territorial codes and municipality names to RÚIAN IRIs when the "
    "metadata is inferred.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "jsonld"]),
    default="ttl",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout."
)
@click.option("--sheet", default=None, help="Sheet name or 0-based index for XLSX/ODS.")
@click.option(
    "--schema",
    "schema_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Infer the CSVW metadata of TABLE, write it here and convert with it.",
)
@handle_errors
@fewer_collections
def convert(
    table,
    metadata,
    url,
    maps,
    link_header,
    minimal,
    lenient,
    no_infer,
    no_link,
    fmt,
    output,
    sheet,
    schema_out,
):
    """Convert TABLE to RDF following W3C csv2rdf (no store involved).

    TABLE is a CSV, XLSX, ODS or JSON table, or a CSVW metadata document (JSON) describing
    one or more tables. A CSV's metadata is --metadata, else the document named by
    --link-header, else TABLE-metadata.json or csv-metadata.json beside it (or what the
    host's /.well-known/csvm lists), else inferred; inferred metadata links columns of
    territorial codes and municipality names to RÚIAN IRIs (derived columns for other code
    systems and names; --no-link: none). Warnings go to stderr. Exit 0 converted
    (perhaps with warnings), 1 the table or its metadata has errors (nothing is written),
    2 unreadable input or bad usage.
    """
    import shutil
    import tempfile

    from . import rdfio, tabular
    from .allocator import keep_freed_memory
    from .errors import BadInput
    from .formats import by_name

    keep_freed_memory()
    skip_last_collection()

    territory = None if no_link else _territory_index

    mapping = []
    for item in maps:
        prefix, sep, folder = item.rpartition("=")
        if not sep or not prefix:
            raise BadInput(
                f"--map {item!r}: expected PREFIX=DIR",
                hint="e.g. --map https://example.org/data/=./data",
            )
        if not Path(folder).is_dir():
            raise BadInput(f"--map {item!r}: {folder} is not a folder")
        mapping.append((prefix, Path(folder)))
    sheet_arg = int(sheet) if sheet and sheet.isdigit() else sheet
    warnings: list[str] = []
    if schema_out and metadata is None:
        if tabular.is_metadata_file(table):
            raise BadInput("--schema infers the metadata of a table, and TABLE is metadata")
        table_url = tabular.url_for(table, url=url, maps=mapping)
        inferred = tabular.infer_metadata(
            table,
            table_url=table_url,
            sheet=sheet_arg,
            index=territory() if territory else None,
            link_notes=warnings,
        )
        schema_out.write_text(json.dumps(inferred, ensure_ascii=False, indent=2), encoding="utf-8")
        metadata = schema_out
    if output and not output.parent.is_dir():
        raise BadInput(f"the folder of {output} does not exist", where="--output")
    target = output or Path(tempfile.gettempdir()) / "lod-convert"
    spool = tempfile.NamedTemporaryFile(
        "wb", dir=target.parent, prefix=f".{target.name}.", delete=False
    )
    try:
        with spool:
            lines = tabular.convert(
                table,
                metadata=metadata,
                minimal=minimal,
                sheet=sheet_arg,
                warnings=warnings,
                url=url,
                maps=mapping,
                link_header=link_header,
                strict=not lenient,
                infer=not no_infer,
                chunks=True,
                territory=territory,
                turtle=CONVERT_PREFIXES if fmt == "ttl" else None,  # the fast path writes it
                output=spool if fmt == "nt" else None,  # the worker writes its ranges there
            )
            rdfio.write_ntriples(lines, spool, by_name(fmt), CONVERT_PREFIXES)
        if output:
            os.chmod(spool.name, _mode_for(output))  # the temporary file's is 0600
            Path(spool.name).replace(output)
        else:
            with open(spool.name, "rb") as done:
                shutil.copyfileobj(done, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    finally:
        Path(spool.name).unlink(missing_ok=True)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)


def _territory_index():
    """The territorial index (imported only when a table's metadata is inferred)."""
    from .territory import lookup

    return lookup.load()


CONVERT_PREFIXES = {
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "csvw": "http://www.w3.org/ns/csvw#",
}


def _mode_for(path: Path) -> int:
    """The permissions ``open(path, "w")`` would leave: the file's own if it exists, else
    the default for a new file (0666 less the umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@main.command()
@click.argument("source")
@click.option(
    "--profile",
    type=click.Choice(["nkod", "dcat-ap-3", "hvd"]),
    default="nkod",
    show_default=True,
    help="nkod: what NKOD keeps (SHACL, OFN JSON schemas, codelists); dcat-ap-3: the official "
    "DCAT-AP 3.0.1 shapes; hvd: a high-value dataset.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "ttl", "html"]),
    default="text",
    show_default=True,
    help="text (Czech and English), json, ttl (the sh:ValidationReport graph) or html.",
)
@click.option(
    "--schema",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SOURCE is a CSV table and this its CSVW schema: check the table's data (row, column).",
)
@handle_errors
def validate(source: str, profile: str, output: str, schema: Path | None):
    """Check a DCAT-AP-CZ dataset record or catalogue (file or URL, JSON-LD or Turtle) against
    a profile, or with --schema a table against its CSVW schema; each problem in Czech and
    English, with where, the value and how to fix it.

    Exit 0 conforms, 1 does not, 2 error.
    """
    if schema is not None:
        report = _validate_table(Path(source), schema)
    elif _is_ingest_record(source):
        report = _validate_ingest_record(Path(source))
    else:
        from .validate.profiles import validate as run

        report = run(source, profile)
    click.echo(report.render(output))
    sys.exit(0 if report.conforms else 1)


def _is_ingest_record(source: str) -> bool:
    """A record as `lod ingest --meta` takes it: YAML, or JSON without "@context"."""
    path = Path(source)
    if source.startswith(("http://", "https://")) or not path.is_file():
        return False
    if path.suffix.lower() in {".yaml", ".yml"}:
        return True
    if path.suffix.lower() != ".json":
        return False
    from .catalog.record import load_record

    try:
        return "@context" not in load_record(path)
    except Exception:
        return False  # the document reader says what is wrong


def _validate_ingest_record(path: Path):
    """The record checked as `lod ingest` would publish it (NKOD's rules, the OFN schemas and
    DCAT-AP 3), its IRIs minted from the file name."""
    from .catalog.record import load_record
    from .validate.records import validate_record

    return validate_record(load_record(path), str(path), _settings(), _record_id(path))


def _record_id(path: Path) -> str:
    from .publish import check_dataset_id

    name = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "record"
    try:
        check_dataset_id(name)
    except Exception:
        name = "record"
    return name


def _validate_table(table: Path, schema: Path):
    from .errors import BadInput
    from .territory import default_source
    from .validate.tables import validate_table

    for path in (table, schema):
        if not path.is_file():
            raise BadInput("file not found", where=str(path))
    return validate_table(
        table.read_bytes(), table.name, schema.read_bytes(), territory=str(default_source())
    )


@main.command(name="check-harvest")
@click.argument("url")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="PREFIX=URL|FOLDER",
    help="Fetch IRIs starting with PREFIX from URL (e.g. a staging server) or a local FOLDER.",
)
@click.option("--offline", is_flag=True, help="Fetch and HEAD nothing that --map does not cover.")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@handle_errors
def check_harvest(url: str, maps: tuple[str, ...], offline: bool, output: str):
    """Walk a catalogue like NKOD (User-Agent nkod/0.0.1, 60 s, 10 in parallel): per dataset,
    would NKOD keep it and why not; HEADs every access and download URL (2xx, CORS).

    Exit 0 nothing would be lost, 1 something would be dropped or is wrong, 2 error.
    """
    from .cli_catalog import _print_harvest
    from .fetch import parse_mapping
    from .harvest import check_harvest as run_check

    report = run_check(url, mapping=parse_mapping(maps), offline=offline)
    if output == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_harvest(report)
    sys.exit(0 if report.all_kept else 1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option(
    "--workers",
    default=0,
    type=int,
    help="Web processes (granian). Embedded store: default 1 (one multi-threaded waitress "
    "process); N > 1 shares the SPARQL workers and limits among N processes. Remote store: "
    "default 2 per core (max 8).",
)
@handle_errors
def serve(host: str, port: int, threads: int, workers: int):
    """Serve the catalogue, downloads and SPARQL endpoint."""
    import signal

    import waitress

    from .app import create_app
    from .publish import refresh_catalog
    from .serving import check_workers, refresh_in_child, run_granian, settle_heap
    from .sparql.limits import share
    from .web.accesslog import to_stderr

    settings = _settings()
    workers = check_workers(settings, workers)
    to_stderr()
    if settings.store or workers == 1:
        app = create_app(settings)
        refresh_catalog(app.extensions["lod"].store, settings)
        if settings.store:
            app.extensions["lod"].store.close()  # each web process opens its own
    else:
        refresh_in_child(settings)  # granian's main process never opens the store
    concurrent = share(settings, workers).sparql_max_concurrent  # per web process
    if not settings.store and not 0 < concurrent < threads:
        click.echo(
            f"warning: LOD_SPARQL_MAX_CONCURRENT={settings.sparql_max_concurrent} leaves no "
            f"thread of {threads} for pages while queries wait; set it below --threads"
            + (f" × {workers} workers" if workers > 1 else ""),
            err=True,
        )
    if settings.store or workers > 1:
        where = f"store {settings.store}" if settings.store else f"LOD_HOME={settings.home_path}"
        click.echo(
            f"lod serving {settings.base} ({where}) on http://{host}:{port}/ "
            f"with {workers} web processes (granian)"
        )
        run_granian(settings, host, port, workers, threads)
        return
    click.echo(
        f"lod serving {settings.base} (LOD_HOME={settings.home_path}) on http://{host}:{port}/"
    )
    # SIGTERM ends like Ctrl-C, so atexit stops the SPARQL query workers (lod.sparql)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    settle_heap()
    waitress.serve(app, host=host, port=port, threads=threads, ident="lod")


@main.command()
@handle_errors
def demo():
    """Publish the bundled sample data (real Czech data) into LOD_HOME."""
    from .demo import load_demo

    settings = _settings()
    for line in load_demo(settings):
        click.echo(line)


@main.group()
def territory():
    """The Czech territorial codelist (obce, POU, ORP, okresy, kraje) as RÚIAN IRIs."""


@territory.command(name="update")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def territory_update(file: Path | None):
    """Rebuild and reload the codelist from FILE, atomically.

    FILE is ČSÚ's "Struktura území ČR" CSV (default: the copy shipped in vocab/territory/).
    A file with missing columns, bad or duplicate codes is refused (exit 2) naming the row and
    column; the previous codelist stays in place.
    """
    from .store import open_store
    from .territory.dataset import update

    settings = _settings()
    store = open_store(settings)
    try:
        result = update(store, settings, file)
    finally:
        store.close()
    for note in result.published.notes:
        click.echo(note.line(), err=True)
    for warning in result.published.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{n} {kind}" for kind, n in reversed(result.counts.items()))
    click.echo(f"published {result.published.iri} ({counts}; {result.published.triples} triples)")


@territory.command(name="find")
@click.argument("text")
@click.option(
    "--kind",
    default=None,
    help="stat, region, kraj, okres, orp, pou or obec (default: any code, or obec by name).",
)
@handle_errors
def territory_find(text: str, kind: str | None):
    """Find territorial units by a code of any system or by a name (like the linker does)."""
    from .errors import BadInput
    from .store import open_store
    from .territory.dataset import index_for

    settings = _settings()
    store = open_store(settings)
    try:
        index = index_for(store, settings)
    finally:
        store.close()
    try:
        if kind:
            units = [u for u in [index.get(kind, text)] if u] or index.by_name(text, kind)
        else:
            units = [index.get(k, text) for k, _ in index.systems_of(text)]
            units = list(dict.fromkeys(u for u in units if u)) or index.by_name(text)
        more = 0
        if not units:  # no code, no exact name: the names that contain the text
            units = index.by_part(text, kind)
            if units:
                click.echo(f"no unit is named {text!r}; names that contain it:", err=True)
            units, more = units[:FIND_LIMIT], max(0, len(units) - FIND_LIMIT)
    except KeyError as exc:
        raise BadInput(str(exc.args[0]), where="--kind") from None
    for unit in units:
        parents = ", ".join(f"{k} {u.name}" for k, u in unit.within.items() if k != "stat")
        click.echo(f"{unit.iri}\t{unit.kind} {unit.name}" + (f" ({parents})" if parents else ""))
    if more:
        click.echo(f"… and {more} more: make the text longer, or choose --kind", err=True)
    if not units:
        click.echo(f"no territorial unit matches {text!r}", err=True)
        sys.exit(1)


FIND_LIMIT = 50  # units `lod territory find` lists for a part of a name


@main.command(name="list")
@handle_errors
def list_datasets():
    """List the published datasets."""
    from .catalog.catalog import dataset_iris
    from .store import open_store

    settings = _settings()
    store = open_store(settings)
    for iri in dataset_iris(store, settings):
        click.echo(iri)


@main.command()
@click.option("--id", "dataset_id", required=True)
@handle_errors
def delete(dataset_id: str):
    """Withdraw dataset ID (its graphs and files)."""
    from .publish import delete as do_delete
    from .store import open_store

    settings = _settings()
    do_delete(open_store(settings), settings, dataset_id)
    click.echo(f"deleted {dataset_id}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def backup(file: Path):
    """Write the whole platform (every graph of the store, the published files, the settings
    without credentials) to FILE (.tar.gz)."""
    from .backup import backup as do_backup
    from .store import open_store

    settings = _settings()
    store = open_store(settings)
    try:
        done = do_backup(store, settings, file)
    finally:
        store.close()
    click.echo(f"backed up {done['graphs']} graphs and the published files to {file}")


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def restore(file: Path):
    """Replace the store's graphs and the published files with backup FILE, atomically, into
    either kind of store (the LOD_BASE_URL must be the backup's)."""
    from .backup import restore as do_restore
    from .store import open_store

    settings = _settings()
    store = open_store(settings)
    try:
        done = do_restore(store, settings, file)
    finally:
        store.close()
    click.echo(f"restored {done['graphs']} graphs and the published files from {file}")


@main.group()
def token():
    """Bearer tokens for the write API (/sparql/update, /graph-store); none: writes disabled."""


@token.command(name="create")
@click.argument("name")
@handle_errors
def token_create(name: str):
    """Create token NAME and print it (once: only its hash is kept, in LOD_HOME/tokens.json)."""
    from .tokens import tokens_of

    secret = tokens_of(_settings()).create(name)
    click.echo(secret)
    click.echo(
        f"token {name!r} created; it is shown only now: send it as 'Authorization: Bearer …'",
        err=True,
    )


@token.command(name="list")
@handle_errors
def token_list():
    """List the tokens (name and creation time; the tokens themselves are not kept)."""
    from .tokens import tokens_of

    for known in tokens_of(_settings()).all():
        click.echo(f"{known.name}\t{known.created}")


@token.command(name="revoke")
@click.argument("name")
@handle_errors
def token_revoke(name: str):
    """Revoke token NAME at once (a running server stops accepting it)."""
    from .tokens import tokens_of

    tokens_of(_settings()).revoke(name)
    click.echo(f"revoked {name}")


def _register_catalog_commands() -> None:
    from .cli_catalog import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_catalog_commands()

if __name__ == "__main__":
    main()
