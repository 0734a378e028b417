"""W3C csv2rdf (https://www.w3.org/TR/csv2rdf/) as a stream of N-Triples lines.

One pass over each table's rows; per row only the row's cells are held. Column-level work
(predicates, datatypes, static templates) is done once per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from lod.errors import Problem

from .annotations import annotation_triples
from .cells import ColumnPlan, RowWarnings
from .fast import FastRows
from .metadata import Column, Group, Table
from .ntriples import CSVW, RDF, ROW_END, TYPE, XSD, BlankNodes, iri, literal, triple
from .problems import Report, display
from .read import RowNotes, open_records, repair_row

ROW, TABLE, GROUP = iri(CSVW + "Row"), iri(CSVW + "Table"), iri(CSVW + "TableGroup")
P_TABLE, P_ROW, P_URL = iri(CSVW + "table"), iri(CSVW + "row"), iri(CSVW + "url")
P_ROWNUM, P_DESCRIBES = iri(CSVW + "rownum"), iri(CSVW + "describes")
P_TITLE, P_COMMENT = iri(CSVW + "title"), iri("http://www.w3.org/2000/01/rdf-schema#comment")
XSD_INTEGER = "^^" + iri(XSD + "integer")
FIRST, REST, NIL = iri(RDF + "first"), iri(RDF + "rest"), iri(RDF + "nil")

Opener = Callable[[str], Path]


def group_triples(
    group: Group,
    *,
    minimal: bool,
    open_table: Opener,
    warnings: list[str],
    report: Report | None = None,
) -> Iterator[str]:
    bnodes = BlankNodes()
    g = iri(group.id) if group.id else bnodes.new()
    if not minimal:
        yield triple(g, TYPE, GROUP)
        yield from annotation_triples(
            g, group.annotations, base=group.base, lang=group.lang, bnodes=bnodes
        )
    for table in group.tables:
        if table.suppress:
            continue
        t = iri(table.id) if table.id else bnodes.new()
        if not minimal:
            yield triple(g, P_TABLE, t)
            yield triple(t, TYPE, TABLE)
            yield triple(t, P_URL, iri(table.url))
            yield from annotation_triples(
                t, table.annotations, base=table.base, lang=table.lang, bnodes=bnodes
            )
        yield from table_triples(
            table,
            t,
            open_table(table.url),
            minimal=minimal,
            bnodes=bnodes,
            warnings=warnings,
            report=report,
        )


def table_triples(
    table: Table,
    t: str,
    path: Path,
    *,
    minimal: bool,
    bnodes: BlankNodes,
    warnings: list[str],
    report: Report | None = None,
) -> Iterator[str]:
    d = table.dialect
    url_prefix = table.url.split("#")[0]
    row_warnings = RowWarnings(warnings, table.url, report=report)
    key_check = table.key_check
    repairs = RowNotes(table.url)
    titles: list[list[str]] = []
    comments: list[str] = []
    plans: list[ColumnPlan] = []
    real: list[ColumnPlan] = []
    virtual: list[ColumnPlan] = []
    row_num = 0
    row_titles = _row_titles(table)
    templates = False
    lang_of: dict[str, str | None] = {}
    strip = {True: str.strip, "start": str.lstrip, "end": str.rstrip}.get(d.trim)

    records = open_records(path, d, where=table.url, on_comment=comments.append)
    for source_row, raw in records:
        if comments:
            if not minimal:
                for c in comments:
                    yield triple(t, P_COMMENT, literal(c))
            comments.clear()
        cells = raw[d.skip_columns :] if d.skip_columns else raw
        if strip is not None:
            cells = [strip(c) for c in cells]
        if len(titles) < d.header_row_count:
            titles.append(cells)
            continue
        if d.skip_blank_rows and not any(cells):
            continue
        if not plans:
            header = _join_titles(titles) if titles else None
            columns = table.columns or table.bind(header, len(cells), warnings)
            for problem in table.header_problems:
                row_warnings.error(problem)
            predicates = _predicates(table, columns)
            plans = [
                ColumnPlan(c, p, table.url, row_warnings)
                for c, p in zip(columns, predicates, strict=True)
            ]
            real = [p for p in plans if not p.column.virtual]
            virtual = [p for p in plans if p.column.virtual]
            templates = bool(row_titles) or any(
                c.about or c.value or predicates[i] is None for i, c in enumerate(columns)
            )
            lang_of = {c.name: c.lang for c in columns}
            fast = FastRows.compile(table, real + virtual, minimal=minimal, row_titles=row_titles)
            if fast is not None:  # the same lines, many rows at a time (see fast.py)
                yield from fast.run(
                    (source_row, cells),
                    records,
                    t=t,
                    bnodes=bnodes,
                    row_warnings=row_warnings,
                    fit=partial(_fit, table, len(real), repairs),
                )
                break
        row_num += 1
        if len(cells) != len(real):
            cells = _fit(table, len(real), repairs, source_row, cells, row_warnings)

        parsed = [plan.parse(value, source_row) for plan, value in zip(real, cells, strict=True)]
        if key_check is not None:
            key_check(source_row, parsed)
        variables: dict = {}
        if templates:
            variables = {"_row": str(row_num), "_sourceRow": str(source_row)}
            for plan, (value, _) in zip(real, parsed, strict=True):
                variables[plan.name] = [v for v, _ in value] if isinstance(value, list) else value
        yield ROW_END  # chunks of the output may end here (ntriples.as_chunks)
        r = None
        if not minimal:
            r = bnodes.new()
            yield triple(t, P_ROW, r)
            yield triple(r, TYPE, ROW)
            yield triple(r, P_ROWNUM, '"' + str(row_num) + '"' + XSD_INTEGER)
            yield triple(r, P_URL, iri(f"{url_prefix}#row={source_row}"))
            for name in row_titles:
                v = variables.get(name)
                if v is not None and not isinstance(v, list):
                    yield triple(r, P_TITLE, literal(v, lang=lang_of.get(name)))
        default_subject = None
        about_cache: dict[str, str] = {}
        described: set[str] = set()
        for plan, (value, ok) in _cells(real, parsed, virtual):
            col = plan.column
            if col.suppress:
                continue
            col_vars = None
            if col.about is not None:
                s = about_cache.get(col.about.text)
                if s is None:
                    col_vars = _column_variables(variables, col, d.skip_columns)
                    s = iri(col.about.expand(col_vars))
                    if not _column_dependent(col.about):
                        about_cache[col.about.text] = s
            else:
                if default_subject is None:
                    default_subject = bnodes.new()
                s = default_subject
            if r is not None and s not in described:
                described.add(s)
                yield triple(r, P_DESCRIBES, s)
            p = plan.predicate
            if p is None:
                col_vars = col_vars or _column_variables(variables, col, d.skip_columns)
                p = iri(col.property.expand(col_vars))
            if col.value is not None:
                if value is None and not col.virtual:
                    continue
                col_vars = col_vars or _column_variables(variables, col, d.skip_columns)
                yield s + " " + p + " " + iri(col.value.expand(col_vars)) + " .\n"
            elif value is None:
                continue
            elif isinstance(value, list):
                objects = [plan.literal(v, good) for v, good in value]
                if col.ordered:
                    yield from _list(s, p, objects, bnodes)
                else:
                    for o in objects:
                        yield s + " " + p + " " + o + " .\n"
            else:
                yield s + " " + p + " " + plan.literal(value, ok) + " .\n"
    row_warnings.close()
    warnings.extend(repairs.lines())
    if comments and not minimal:
        for c in comments:
            yield triple(t, P_COMMENT, literal(c))


def _surplus(row_warnings: RowWarnings, table: Table, row: int, cells: list, width: int) -> bool:
    """A row with values beyond the table's columns: those values would be lost (an error)."""
    extra = [c for c in cells[width:] if c.strip()]
    if extra:
        row_warnings.error(
            Problem(
                f"the row has {len(cells)} cells but the table has {width} columns;"
                " the values beyond them have no column",
                f"{display(table.url)}, row {row}",
                hint=f"expected {width} cells per row: remove the extra cells, or describe"
                " their columns in the metadata",
                value=", ".join(extra[:3]) + (", ..." if len(extra) > 3 else ""),
            )
        )
    return bool(extra)


def _fit(table: Table, width: int, repairs, row: int, cells: list[str], row_warnings) -> list:
    """A row of the wrong length fitted to the table's `width` columns (read.repair_row)."""
    lost = len(cells) > width and not table.repair_rows
    if lost:
        lost = _surplus(row_warnings, table, row, cells, width)
    cells, note = repair_row(cells, width, table.dialect.delimiter)
    if note and not lost:
        repairs.add(row, note)
    return cells


def _cells(real, parsed, virtual):
    yield from zip(real, parsed, strict=True)
    for plan in virtual:
        yield plan, (None, True)


def _list(s, p, objects, bnodes) -> Iterator[str]:
    if not objects:
        yield triple(s, p, NIL)
        return
    head = bnodes.new()
    yield triple(s, p, head)
    for i, o in enumerate(objects):
        yield triple(head, FIRST, o)
        nxt = bnodes.new() if i + 1 < len(objects) else NIL
        yield triple(head, REST, nxt)
        head = nxt


_COLUMN_VARS = {"_column", "_sourceColumn", "_name"}


def _column_dependent(template) -> bool:
    return bool(template.variables & _COLUMN_VARS)


def _column_variables(variables: dict, col: Column, skip_columns: int) -> dict:
    out = dict(variables)
    out["_column"] = str(col.number)
    out["_sourceColumn"] = str(col.number + skip_columns)
    out["_name"] = _decoded(col.name)
    return out


def _decoded(name: str) -> str:
    return unquote(name)


def _predicates(table: Table, columns: list[Column]) -> list[str | None]:
    """The predicate of each column when it does not depend on the row (else None)."""
    url = table.url.split("#")[0]
    out: list[str | None] = []
    for col in columns:
        if col.property is None:
            out.append(iri(f"{url}#{col.name}"))
        elif col.property.variables <= _COLUMN_VARS:
            out.append(
                iri(col.property.expand(_column_variables({}, col, table.dialect.skip_columns)))
            )
        else:
            out.append(None)
    return out


def _row_titles(table: Table) -> list[str]:
    value = table.schema.get("rowTitles")
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _join_titles(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    out = []
    for i in range(width):
        parts = [r[i] for r in rows if i < len(r) and r[i]]
        out.append(" ".join(parts))
    return out
