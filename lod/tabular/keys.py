"""Primary keys and foreign keys of a table group
(https://www.w3.org/TR/tabular-metadata/#schema-primaryKey, #schema-foreignKeys).

`Keys(group, ...)` resolves the column references of every table's ``primaryKey`` and
``foreignKeys`` by column name (a referenced column must have a ``name``): a foreign key that
names no column, or no table of the group, is an error in the metadata; a primary key that does
is ignored with a warning. While the tables are read, each row's key values are collected (only
for tables that have keys); `finish` then checks every foreign key against the table it
references. A duplicate primary key and a foreign key value that matches no row (or several)
are data errors, each located by file, row, columns and value.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urljoin

from lod.errors import ConversionFailed, Problem

from .checks import NAME
from .metadata import Group, Table
from .problems import Report, display


def _refs(value) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value
    return None


def _columns(table: Table) -> dict[str, tuple[int, str]]:
    """name -> (index among the cells of a row, label) of the described columns."""
    out = {}
    specs = [c for c in table.schema.get("columns", []) if isinstance(c, dict)]
    for i, spec in enumerate(s for s in specs if s.get("virtual") is not True):
        name = spec.get("name")
        if isinstance(name, str) and NAME.fullmatch(name):
            titles = spec.get("titles")
            label = titles if isinstance(titles, str) else name
            out[name] = (i, label)
    return out


def _value(cell) -> str | tuple | None:
    value = cell[0]
    if isinstance(value, list):
        return tuple(v for v, _ in value)
    return value


class _Side:
    """The columns of one table a key consists of, and the values collected for them."""

    def __init__(self, table: Table, indices: list[int], labels: list[str]):
        self.table, self.indices, self.labels = table, indices, labels

    def key(self, parsed) -> tuple:
        return tuple(_value(parsed[i]) for i in self.indices)

    def where(self, row: int) -> str:
        return f"{display(self.table.url)}, row {row}, column {', '.join(self.labels)}"


class Keys:
    def __init__(self, group: Group, report: Report, warnings: list[str]):
        self.report = report
        self.primary: dict[int, tuple[_Side, dict]] = {}
        self.foreign: list[tuple[_Side, _Side, list, Counter, str]] = []
        problems: list[Problem] = []
        by_url = {t.url: t for t in group.tables}
        by_schema = {t.schema_url: t for t in group.tables if t.schema_url}
        for table in group.tables:
            names = _columns(table)
            where = f"{display(table.url)}: tableSchema"
            pk = table.schema.get("primaryKey")
            if pk is not None:
                refs = _refs(pk)
                if refs is None or any(r not in names for r in refs):
                    warnings.append(
                        f"{where}: primaryKey {pk!r} does not name columns (a key column "
                        "needs a name property); ignored"
                    )
                else:
                    side = _Side(table, [names[r][0] for r in refs], [names[r][1] for r in refs])
                    self.primary[id(table)] = (side, {})
            for n, fk in enumerate(table.schema.get("foreignKeys", [])):
                at = f"{where}.foreignKeys[{n}]"
                ref = fk["reference"]
                here = table.schema_url or table.base or ""  # links resolve where they are
                if "resource" in ref:
                    target = by_url.get(urljoin(here, ref["resource"]))
                else:
                    target = by_schema.get(urljoin(here, ref["schemaReference"]))
                mine, theirs = _refs(fk.get("columnReference")), _refs(ref.get("columnReference"))
                if target is None:
                    what = ref.get("resource", ref.get("schemaReference"))
                    problems.append(Problem(f"{what!r} is not a table of this group", at))
                    continue
                target_names = _columns(target)
                bad = [r for r in mine or [None] if r not in names]
                bad_target = [r for r in theirs or [None] if r not in target_names]
                if bad or bad_target or len(mine) != len(theirs):
                    problems.append(
                        Problem(
                            "the columns of a foreign key must be named columns of both tables"
                            f" (unknown: {', '.join(map(repr, bad + bad_target)) or 'none'})",
                            at,
                            hint="refer to columns by their name property",
                        )
                    )
                    continue
                src = _Side(table, [names[r][0] for r in mine], [names[r][1] for r in mine])
                dst = _Side(
                    target,
                    [target_names[r][0] for r in theirs],
                    [target_names[r][1] for r in theirs],
                )
                self.foreign.append((src, dst, [], Counter(), at))
        if problems:
            raise ConversionFailed(problems, what="the metadata")
        for table in group.tables:
            if self._collectors(table):
                table.key_check = self._collect(table)

    def _collectors(self, table: Table) -> list:
        out = []
        if id(table) in self.primary:
            out.append(("pk", *self.primary[id(table)]))
        for src, dst, rows, counts, _ in self.foreign:
            if src.table is table:
                out.append(("from", src, rows))
            if dst.table is table:
                out.append(("to", dst, counts))
        return out

    def _collect(self, table: Table):
        collectors = self._collectors(table)

        def check(row: int, parsed) -> None:
            for kind, side, store in collectors:
                key = side.key(parsed)
                if kind == "from":  # a null value references no row, as CSVW validators say
                    store.append((row, key))
                elif None in key:  # null values identify no row
                    continue
                elif kind == "to":
                    store[key] += 1
                elif key in store:
                    self.report.error(
                        Problem(
                            f"duplicate primary key: row {store[key]} has the same value",
                            side.where(row),
                            hint="expected a value no other row has (primaryKey)",
                            value=_show(key),
                        )
                    )
                else:
                    store[key] = row

        return check

    @property
    def referenced(self) -> list[Table]:
        return [dst.table for _, dst, _, _, _ in self.foreign]

    def finish(self) -> None:
        """Check every foreign key value against the rows of the table it references."""
        for src, dst, rows, counts, _ in self.foreign:
            target = f"{display(dst.table.url)} (column {', '.join(dst.labels)})"
            for row, key in rows:
                found = counts.get(key, 0)
                if found == 1:
                    continue
                self.report.error(
                    Problem(
                        f"foreign key matches {'no row' if not found else f'{found} rows'}"
                        f" of {target}",
                        src.where(row),
                        hint=f"expected a value that exactly one row of {target} has",
                        value=_show(key),
                    )
                )


def _show(key: tuple) -> str:
    parts = ["(null)" if v is None else " ".join(v) if isinstance(v, tuple) else v for v in key]
    return parts[0] if len(parts) == 1 else ", ".join(parts)
