"""W3C csv2rdf (https://www.w3.org/TR/csv2rdf/) as a stream of N-Triples lines.

One pass over each table's rows; per row only the row's cells are held. Column-level work
(predicates, datatypes, static templates) is done once per column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

from .annotations import annotation_triples
from .metadata import Column, Group, Table
from .ntriples import CSVW, RDF, TYPE, XSD, BlankNodes, iri, literal, triple
from .read import open_records, repair_row, trim_cell

ROW, TABLE, GROUP = iri(CSVW + "Row"), iri(CSVW + "Table"), iri(CSVW + "TableGroup")
P_TABLE, P_ROW, P_URL = iri(CSVW + "table"), iri(CSVW + "row"), iri(CSVW + "url")
P_ROWNUM, P_DESCRIBES = iri(CSVW + "rownum"), iri(CSVW + "describes")
P_TITLE, P_COMMENT = iri(CSVW + "title"), iri("http://www.w3.org/2000/01/rdf-schema#comment")
FIRST, REST, NIL = iri(RDF + "first"), iri(RDF + "rest"), iri(RDF + "nil")

Opener = Callable[[str], Path]


def group_triples(group: Group, *, minimal: bool, open_table: Opener,
                  warnings: list[str]) -> Iterator[str]:
    bnodes = BlankNodes()
    g = iri(group.id) if group.id else bnodes.new()
    if not minimal:
        yield triple(g, TYPE, GROUP)
        yield from annotation_triples(g, group.annotations, base=group.base, lang=group.lang,
                                      bnodes=bnodes)
    for table in group.tables:
        if table.suppress:
            continue
        t = iri(table.id) if table.id else bnodes.new()
        if not minimal:
            yield triple(g, P_TABLE, t)
            yield triple(t, TYPE, TABLE)
            yield triple(t, P_URL, iri(table.url))
            yield from annotation_triples(t, table.annotations, base=table.base,
                                          lang=table.lang, bnodes=bnodes)
        yield from table_triples(table, t, open_table(table.url), minimal=minimal,
                                 bnodes=bnodes, warnings=warnings)


class _Cell:
    __slots__ = ("column", "value", "ok")

    def __init__(self, column: Column, value, ok):
        self.column, self.value, self.ok = column, value, ok


def parse_cell(column: Column, raw: str, where: Callable[[], str],
               warnings: list[str]) -> tuple[object, bool]:
    """(value, ok): value is None, a lexical form or a list of them (ok is per value)."""
    dt = column.datatype
    text = dt.normalize(raw)
    if text == "":
        text = column.default
    if text in column.null:
        if column.required:
            warnings.append(f"{where()}: required value is missing")
        return None, True
    if column.separator is None:
        return _parse_value(dt, text, where, warnings)
    if text == "":
        return [], True
    items = []
    for part in text.split(column.separator):
        if not dt.keep_space:
            part = part.strip()
        if part in column.null:
            continue
        items.append(_parse_value(dt, part, where, warnings))
    return items, True


def _parse_value(dt, text, where, warnings):
    try:
        return dt.parse(text), True
    except ValueError as e:
        warnings.append(f"{where()}: {text!r} {e}; written as a plain string")
        return text, False


def table_triples(table: Table, t: str, path: Path, *, minimal: bool, bnodes: BlankNodes,
                  warnings: list[str]) -> Iterator[str]:
    d = table.dialect
    url_prefix = table.url.split("#")[0]
    titles: list[list[str]] = []
    comments: list[str] = []
    columns: list[Column] | None = None
    real: list[Column] = []
    row_num = 0
    lang_of = {}
    row_titles = _row_titles(table)

    for source_row, raw in open_records(path, d, where=table.url, on_comment=comments.append):
        if comments and not minimal:
            for c in comments:
                yield triple(t, P_COMMENT, literal(c))
        comments.clear()
        cells = raw[d.skip_columns:] if d.skip_columns else raw
        if d.trim:
            cells = [trim_cell(c, d.trim) for c in cells]
        if len(titles) < d.header_row_count:
            titles.append(cells)
            continue
        if d.skip_blank_rows and not any(cells):
            continue
        if columns is None:
            header = _join_titles(titles) if titles else None
            columns = table.columns or table.bind(header, len(cells), warnings)
            real = [c for c in columns if not c.virtual]
            predicates = _predicates(table, columns)
            lang_of = {c.name: c.lang for c in columns}
        row_num += 1
        cells, note = repair_row(cells, len(real), d.delimiter)
        if note:
            warnings.append(f"{table.url}, row {source_row}: {note}")

        def where(col, src=source_row):
            return f"{table.url}, row {src}, column {col.number} ({col.name})"

        parsed = []
        variables = {"_row": str(row_num), "_sourceRow": str(source_row)}
        for col, raw_value in zip(real, cells, strict=True):
            value, ok = parse_cell(col, raw_value, lambda c=col: where(c), warnings)
            parsed.append(_Cell(col, value, ok))
            if isinstance(value, list):
                variables[col.name] = [v for v, _ in value]
            else:
                variables[col.name] = value
        for col in columns[len(real):]:
            parsed.append(_Cell(col, None, True))

        r = None
        if not minimal:
            r = bnodes.new()
            yield triple(t, P_ROW, r)
            yield triple(r, TYPE, ROW)
            yield triple(r, P_ROWNUM, literal(str(row_num), XSD + "integer"))
            yield triple(r, P_URL, iri(f"{url_prefix}#row={source_row}"))
            for name in row_titles:
                v = variables.get(name)
                if v is not None and not isinstance(v, list):
                    yield triple(r, P_TITLE, literal(v, lang=lang_of.get(name)))
        default_subject = None
        about_cache: dict[str, str] = {}
        described: set[str] = set()
        for cell in parsed:
            col = cell.column
            if col.suppress:
                continue
            col_vars = None
            if col.about is not None:
                key = col.about.text
                s = about_cache.get(key) if not _column_dependent(col.about) else None
                if s is None:
                    col_vars = _column_variables(variables, col, d.skip_columns)
                    s = iri(col.about.expand(col_vars))
                    about_cache[key] = s
            else:
                if default_subject is None:
                    default_subject = bnodes.new()
                s = default_subject
            if r is not None and s not in described:
                described.add(s)
                yield triple(r, P_DESCRIBES, s)
            p = predicates[col.number - 1]
            if p is None:
                col_vars = col_vars or _column_variables(variables, col, d.skip_columns)
                p = iri(col.property.expand(col_vars))
            if col.value is not None:
                if cell.value is None and not col.virtual:
                    continue
                col_vars = col_vars or _column_variables(variables, col, d.skip_columns)
                yield triple(s, p, iri(col.value.expand(col_vars)))
                continue
            value = cell.value
            if value is None:
                continue
            if isinstance(value, list):
                objects = [_literal(col, v, ok) for v, ok in value]
                if col.ordered:
                    yield from _list(s, p, objects, bnodes)
                else:
                    for o in objects:
                        yield triple(s, p, o)
            else:
                yield triple(s, p, _literal(col, value, cell.ok))
    if comments and not minimal:
        for c in comments:
            yield triple(t, P_COMMENT, literal(c))


def _literal(col: Column, value: str, ok: bool) -> str:
    dt = col.datatype
    if not ok or dt.lang_capable:
        return literal(value, lang=col.lang)
    return literal(value, dt.iri)


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
            out.append(iri(col.property.expand(_column_variables({}, col, table.dialect.skip_columns))))
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
