"""The CSVW processor behind `lod convert`: from a CSV file, a spreadsheet or a CSVW metadata
document to RDF (https://www.w3.org/TR/csv2rdf/), with the metadata found as the CSVW spec
says (https://www.w3.org/TR/tabular-data-model/#locating-metadata).

A CSV's metadata is, in this order: the user's (`metadata`), the document a ``Link`` header
names (`link_header`), the site-wide locations (``{+url}-metadata.json``, ``csv-metadata.json``,
or the lines of the host's ``/.well-known/csvm``), else inferred by lod (`infer`) or, as W3C
csv2rdf does, the header row alone. URLs are read from local files only (`sources.Files`).

Inferred metadata links territorial columns when a territorial index is given (`territory`,
see `linking`): a table that needs derived columns is converted through a temporary copy with
them (its rows keep their numbers).

Errors stop the conversion (`ConversionFailed`, exit 1): the metadata's at once, the data's
(invalid cells, required values, keys) after the whole group was read, unless `strict` is
False. The N-Triples already produced must then be thrown away.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from lod.errors import BadInput

from .csv2rdf import group_triples, table_triples
from .keys import Keys
from .locate import locate_metadata
from .metadata import Group, load_group
from .ntriples import BlankNodes, as_chunks, as_lines
from .problems import Report, display
from .sheets import is_spreadsheet
from .sources import Files
from .turtle import TurtleForm

Opener = Callable[[str], Path]


def group_lines(
    group: Group,
    *,
    open_table: Opener,
    minimal: bool,
    report: Report,
    what: str,
    chunks: bool = False,
) -> Iterator:
    """csv2rdf of a loaded table group with its key checks: N-Triples lines (str), or with
    `chunks` UTF-8 bytes of many lines (the fast way to write them). Errors in the keys'
    definitions raise at once; errors in the data raise ConversionFailed when the lines run out."""
    keys = Keys(group, report, report.warnings)
    items = _lines(group, keys, open_table, minimal, report, what)
    return as_chunks(items) if chunks else as_lines(items)


def _lines(group, keys, open_table, minimal, report, what) -> Iterator[str]:
    yield from group_triples(
        group, minimal=minimal, open_table=open_table, warnings=report.warnings, report=report
    )
    for table in {id(t): t for t in keys.referenced if t.suppress}.values():
        for _ in table_triples(  # read only for its keys
            table,
            "_:x",
            open_table(table.url),
            minimal=True,
            bnodes=BlankNodes(),
            warnings=report.warnings,
            report=report,
        ):
            pass
    keys.finish()
    report.check(what)


def url_for(table: Path, *, url: str | None = None, maps: Iterable[tuple[str, Path]] = ()) -> str:
    """The URL a local table stands for (as `convert` decides it)."""
    return url or Files(maps).url_of(Path(table))


def is_metadata_file(path: Path) -> bool:
    """A CSVW metadata document (a JSON object), not a table (a JSON array of records is)."""
    if is_spreadsheet(path):
        return False
    if path.suffix.lower() in (".json", ".jsonld"):
        return True
    with open(path, "rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def convert(
    table: Path,
    *,
    metadata: dict | Path | None = None,
    minimal: bool = False,
    sheet=None,
    warnings: list[str] | None = None,
    base: str | None = None,
    url: str | None = None,
    maps: Iterable[tuple[str, Path]] = (),
    link_header: str | None = None,
    strict: bool = True,
    infer: bool = True,
    chunks: bool = False,
    territory=None,
    parallel: bool = True,
    turtle: dict[str, str] | None = None,
    output: IO[bytes] | None = None,
) -> Iterator:
    """csv2rdf of a table file (CSV, XLSX, ODS) or of a CSVW metadata document: N-Triples
    lines, or with `chunks` UTF-8 bytes of many lines.

    `url` is the URL the local file stands for (default: its file: URL, or its URL under a
    mapped prefix); files beside it stand for the URLs beside `url`. `maps` are (URL prefix,
    folder) pairs. `metadata` is the user's metadata (a dict whose URL is `base`, or a file).
    `territory` gives the territorial index (``lod.territory.lookup.Index``) that links the
    territorial columns of a table whose metadata lod infers; it is called only then.
    `parallel`: a big table on the fast path may be converted by two processes (`parallel`),
    to the same output. `turtle` (prefix name -> namespace): chunks of the fast path carry
    their Turtle too (`turtle.TurtleChunk`; `lod.rdfio` writes it). `output`: with `chunks`,
    the file the chunks are written to, in order, each before the next is asked for (as
    `lod.rdfio.write_ntriples` does); some chunks are then objects with a
    ``write_to(output)`` method instead of bytes (`parallel.Placed`: the second process
    writes them into `output` itself).
    """
    out = Output(chunks, parallel, turtle, into=output if chunks else None)
    table = Path(table)
    warnings = warnings if warnings is not None else []
    if not table.is_file():
        raise BadInput(
            "the file does not exist", where=str(table), hint="check the path of the table"
        )
    files = Files(maps)
    table_url = url_for(table, url=url, maps=files.maps)
    files.pin(table_url, table)
    files.beside(table_url, table)
    report = Report(warnings, strict=strict)
    if is_metadata_file(table):
        if metadata is not None:
            raise BadInput(
                "TABLE is a metadata document, so --metadata cannot be used too",
                where=str(table),
                hint="give the CSV as TABLE with --metadata, or the metadata alone",
            )
        doc = files.load_json(table_url)
        return _run(
            doc,
            table_url,
            files,
            report,
            minimal,
            what=display(table_url),
            out=out,
        )
    if isinstance(metadata, Path):
        base = base or files.url_of(metadata)
        files.pin(base, metadata)
        metadata = files.load_json(base)
    if is_spreadsheet(table):
        index = territory() if metadata is None and territory is not None else None
        return _spreadsheet(
            table, table_url, metadata, base, sheet, files, report, minimal, out, index
        )
    inferred = False
    if metadata is None:
        metadata, base = locate_metadata(
            table_url,
            files.find_json,
            link_header=link_header,
            locations=files.locations(table_url),
            warnings=warnings,
        )
        if base == table_url and infer and territory is not None:
            return _linked(table, table_url, files, report, minimal, out, territory())
        if base == table_url and infer:  # nothing found: lod infers the schema
            from .prepare import build_metadata, scan

            result = scan(table)  # its row repairs are reported again when the rows are read
            warnings.extend(f"{display(table_url)}: {note}" for note in result.column_warnings)
            metadata = build_metadata(
                result,
                table_url=table_url,
                about_url=None,
                property_url=None,
                lang="cs",
                dialect=result.dialect,
            )
            inferred = True
    base = base or table_url
    return _run(
        metadata,
        base,
        files,
        report,
        minimal,
        what=display(table_url),
        table=table,
        fit=inferred,
        out=out,
    )


@dataclass(frozen=True)
class Output:
    """How the RDF comes out: `chunks` (UTF-8 bytes of many lines, else str lines), `parallel`
    (a big table on the fast path in two processes), `turtle` (prefixes: the fast path's
    chunks carry their Turtle too), `into` (the file the chunks are written to: some may be
    `parallel.Placed`)."""

    chunks: bool = False
    parallel: bool = False
    turtle: dict[str, str] | None = None
    into: IO[bytes] | None = None


def _run(doc, base, files, report, minimal, *, what, table=None, fit=False, out=Output()):
    group = load_group(doc, base=base, loader=files.load_json, warnings=report.warnings)
    for t in group.tables:
        t.repair_rows = fit
    open_table = files.table
    if table is not None and len(group.tables) == 1 and not _readable(files, group.tables[0].url):
        report.warn(f"{display(group.tables[0].url)} is not a local file: reading {table} for it")

        def open_table(url: str) -> Path:
            return table

    set_output(group, open_table, out)
    return group_lines(
        group, open_table=open_table, minimal=minimal, report=report, what=what, chunks=out.chunks
    )


def set_output(group: Group, open_table: Opener, out: Output) -> None:
    """Tell the group's tables what the fast path may do: read a big file again in ranges for
    two processes (see parallel.py), write Turtle too (see turtle.py)."""
    for t in group.tables:
        if out.parallel:
            t.parallel_source = partial(open_table, t.url)
            t.parallel_output = out.into
        if out.turtle is not None:
            t.turtle = TurtleForm(out.turtle)


def _readable(files: Files, url: str) -> bool:
    path = files.local(url)
    return path is not None and path.is_file()


def _linked(table, url, files, report, minimal, out: Output, index):
    """Inferred metadata with links: the original file when the links need no derived
    column, else a temporary canonical copy with them (blank rows kept: rows keep their
    numbers)."""
    from .linking import describe_metadata
    from .prepare import build_metadata, canonical_dialect, write_canonical

    tmp = Path(tempfile.mkdtemp(prefix="lod-convert-"))
    try:
        canonical = tmp / (table.stem + ".csv")
        result = write_canonical(table, canonical, index=index, keep_blank=True)
        plan = result.linked.plan if result.linked else None
        derived = bool(plan and plan.derived)
        dialect = canonical_dialect(result) if derived else result.dialect
        metadata = build_metadata(
            result, table_url=url, about_url=None, property_url=None, lang="cs", dialect=dialect
        )
        if plan is not None:
            describe_metadata(metadata, plan)
            report.warnings.extend(result.linked.warnings)
        if not derived:
            shutil.rmtree(tmp, ignore_errors=True)
            report.warnings.extend(f"{display(url)}: {note}" for note in result.column_warnings)
            return _run(
                metadata,
                url,
                files,
                report,
                minimal,
                what=display(url),
                table=table,
                fit=True,
                out=out,
            )
        report.warnings.extend(result.warnings)
        return _from_canonical(tmp, canonical, metadata, url, url, files, report, minimal, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _spreadsheet(table, url, metadata, base, sheet, files, report, minimal, out: Output, index):
    """A sheet is converted through a temporary canonical CSV (inferred metadata, linked by
    `index` if given, unless the user gave some)."""
    from .linking import describe_metadata
    from .prepare import build_metadata, write_canonical

    tmp = Path(tempfile.mkdtemp(prefix="lod-convert-"))
    try:
        canonical = tmp / (table.stem + ".csv")
        result = write_canonical(table, canonical, sheet=sheet, index=index)
        report.warnings.extend(result.warnings)
        if metadata is None:
            metadata = build_metadata(
                result, table_url=url, about_url=None, property_url=None, lang="cs", dialect=None
            )
            if result.linked is not None:
                describe_metadata(metadata, result.linked.plan)
                report.warnings.extend(result.linked.warnings)
        return _from_canonical(
            tmp, canonical, metadata, url, base or url, files, report, minimal, out
        )
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _from_canonical(
    tmp, canonical, metadata, url, base, files, report, minimal, out: Output
) -> Iterator[str]:
    """Convert the canonical CSV written into ``tmp`` (standing for ``url``); ``tmp`` goes when
    the lines are consumed."""
    files.pin(url, canonical)
    lines = _run(
        metadata,
        base,
        files,
        report,
        minimal,
        what=display(url),
        table=canonical,
        out=out,
    )
    return _cleaning_up(lines, tmp)


def _cleaning_up(lines: Iterator[str], tmp: Path) -> Iterator[str]:
    try:
        yield from lines
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
