"""Tables to CSVW metadata and RDF.

- `prepare`: read a CSV/XLSX/ODS table (sniffing encoding and delimiter), write canonical CSV
  and infer its CSVW table schema in one streaming pass.
- `infer_metadata`: the same inference, describing the original file.
- `to_ntriples`: W3C csv2rdf over a CSVW description, streamed as N-Triples lines.
- `convert`: what `lod convert` does: a CSV, spreadsheet or CSVW metadata document to RDF,
  its metadata found as the CSVW spec says (`process`).

Modules: `sniff` (encoding, delimiter), `dialect`, `read` (streaming records, row repairs),
`sheets` (XLSX/ODS), `infer` (datatype guesses), `prepare` (the one-pass scan), `metadata` and
`checks` (normalised CSVW descriptions), `datatypes`/`numbers`/`dates` (value parsing),
`cells` (cell values and literals), `templates` (URI templates), `annotations` (common
properties), `csv2rdf` (the triples), `ntriples` (term syntax), `locate` (finding a CSV file's
metadata as the CSVW spec says), `sources` (URLs read from local files), `vocab` and `facets`
(checking metadata), `compat` (header against metadata), `keys` (primary and foreign keys),
`problems` (errors and warnings), `process` (the processor behind `lod convert`), `fast`
(the same triples as `csv2rdf`, many rows at a time, for the tables it can take), `linking`
(which columns hold territorial codes or municipality names), `reconcile` (names to obec
codes), `derive` (the derived columns of RÚIAN codes, written while the table is read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lod.errors import BadInput

from .metadata import Loader, file_loader, load_group
from .prepare import build_metadata, canonical_dialect, scan, write_canonical
from .problems import Report, display
from .process import Output, convert, group_lines, is_metadata_file, set_output, url_for
from .sheets import is_spreadsheet

__all__ = [
    "Prepared",
    "prepare",
    "infer_metadata",
    "to_ntriples",
    "convert",
    "is_metadata_file",
    "url_for",
]


@dataclass
class Prepared:
    metadata: dict  # CSVW metadata document (JSON-serialisable) describing the written CSV
    rows: int  # number of data rows
    warnings: list[str] = field(default_factory=list)  # each says where (row/column) and what
    links: list[str] = field(default_factory=list)  # what linking did, one line per column
    coverage: object | None = None  # the smallest territorial unit (lookup.Unit) covering
    # every linked row, or None


def prepare(
    source: Path,
    out_csv: Path,
    *,
    table_url: str,
    about_url: str | None = None,
    property_url: str | None = None,
    sheet: str | int | None = None,
    lang: str = "cs",
    index=None,
    keep_blank: bool = False,
) -> Prepared:
    """Read a CSV/XLSX/ODS table, write it as canonical UTF-8 CSV (comma, CRLF, no BOM, one
    header row, cells verbatim, headers trimmed) and infer its CSVW table schema in the same
    streaming pass. Rows with a wrong number of fields are repaired with a warning.

    With a territorial `index` (``lod.territory.lookup.Index``), columns of territorial codes
    and municipality names are linked to RÚIAN IRIs (`linking`): ``valueUrl``s and derived
    columns in the CSV and its metadata. `keep_blank` keeps blank rows (skipped by the
    metadata's dialect), so that rows keep the numbers they have in `source`."""
    result = write_canonical(
        Path(source), Path(out_csv), sheet=sheet, index=index, keep_blank=keep_blank
    )
    metadata = build_metadata(
        result,
        table_url=table_url,
        about_url=about_url,
        property_url=property_url,
        lang=lang,
        dialect=canonical_dialect(result) if keep_blank else None,
    )
    prepared = Prepared(metadata, result.rows, result.warnings)
    if result.linked is not None:
        from .linking import describe_metadata  # not imported by `lod convert` with metadata

        describe_metadata(metadata, result.linked.plan, property_url)
        prepared.warnings = result.warnings + result.linked.warnings
        prepared.links = [link.describe() for link in result.linked.plan.links]
        prepared.coverage = result.linked.coverage(index)
    return prepared


def infer_metadata(
    source: Path,
    *,
    table_url: str,
    sheet=None,
    lang: str = "cs",
    about_url: str | None = None,
    property_url: str | None = None,
    warnings: list[str] | None = None,
    index=None,
    link_notes: list[str] | None = None,
) -> dict:
    """Like prepare() without writing; the dialect describes the ORIGINAL file, so this
    metadata with the original file gives the same RDF through to_ntriples(). With a
    territorial `index`, columns of RÚIAN codes get their ``valueUrl``; links that need a
    derived column (which only prepare() writes) are left out, said in `link_notes`."""
    source = Path(source)
    from .derive import LinkingSink  # (not imported by `lod convert` with metadata)
    from .linking import describe_metadata

    sink = None
    if index is not None:
        sink = LinkingSink(lambda *_: None, index, source.name, settle=False)
    result = scan(source, sheet=sheet, sink=sink)
    if warnings is not None:
        warnings.extend(result.warnings)
    metadata = build_metadata(
        result,
        table_url=table_url,
        about_url=about_url,
        property_url=property_url,
        lang=lang,
        dialect=result.dialect,
    )
    if sink is not None and sink.titles is not None:
        sink.close()
        plan = sink.final_plan()
        if link_notes is not None:
            link_notes.extend(
                f"{source.name}: column {link.title!r} not linked: its {link.holds()} need a"
                " derived column of RÚIAN codes, which metadata of the original file cannot"
                " describe — convert without --schema, or publish with lod ingest"
                for link in plan.derived
            )
        plan.links = [link for link in plan.links if not link.derived]
        describe_metadata(metadata, plan, property_url)
    return metadata


def to_ntriples(
    metadata: dict,
    *,
    csv_path: Path | None = None,
    minimal: bool = False,
    warnings: list[str] | None = None,
    base: str | None = None,
    loader: Loader | None = None,
    open_table: Callable[[str], Path] | None = None,
    strict: bool = True,
    chunks: bool = False,
    turtle: dict[str, str] | None = None,
) -> Iterator:
    """W3C csv2rdf over the table (or table group) described by `metadata`, as N-Triples lines
    ("<s> <p> <o> .\\n"); standard mode frames them with the TableGroup/Table/Row structure,
    minimal mode gives the cell triples only.

    `csv_path` is the file to read for a single table (default: the table's URL as a local
    path or file:// URL). Relative URLs resolve against `base` (the metadata document's URL),
    else against `csv_path`, else the current directory. `loader` fetches linked JSON
    (schemas, dialects) by URL; `open_table` maps any table URL to a local file.

    Errors in the metadata raise ConversionFailed at once. Errors in the data (cells that do
    not fit their datatype, missing required values, key violations) raise ConversionFailed
    when the lines run out (strict), or are reported in `warnings` with the cells written as
    plain strings (`strict=False`, as W3C csv2rdf does). Streaming: memory does not grow with
    the number of rows (except for the values of declared keys). With `chunks` the result is
    UTF-8 bytes of many whole lines instead, the fastest way to write them to a file; with
    `turtle` too (prefix name -> namespace), the chunks of the fast path are TurtleChunks that
    carry the same triples as Turtle (see turtle.py; `lod.rdfio` writes them).
    """
    warnings = warnings if warnings is not None else []
    where = None if base else "metadata"
    if base is None:
        base = Path(csv_path).resolve().as_uri() if csv_path else Path.cwd().as_uri() + "/"
    group = load_group(
        metadata, base=base, loader=loader or file_loader, warnings=warnings, where=where
    )
    if csv_path is not None and is_spreadsheet(Path(csv_path)):
        raise BadInput(
            "to_ntriples reads CSV, not spreadsheets",
            where=str(csv_path),
            hint="use convert(), or prepare() to write the sheet as CSV first",
        )
    if open_table is None:
        single = csv_path is not None and len(group.tables) == 1

        def open_table(url: str) -> Path:
            return Path(csv_path) if single else local_path(url)

    set_output(group, open_table, Output(chunks, parallel=False, turtle=turtle))
    report = Report(warnings, strict=strict)
    what = display(group.tables[0].url) if len(group.tables) == 1 else "the table group"
    return group_lines(
        group, open_table=open_table, minimal=minimal, report=report, what=what, chunks=chunks
    )


def local_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if parts.scheme in ("", None) or len(parts.scheme) == 1:  # relative or a Windows drive
        return Path(url)
    raise BadInput(
        f"cannot read the table at {url}: only local files are read",
        where=url,
        hint="download the CSV and pass its path (csv_path)",
    )
