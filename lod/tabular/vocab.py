"""CSVW metadata documents checked against the metadata vocabulary
(https://www.w3.org/TR/tabular-metadata/), before any table is read.

`Checker.document` walks a table group or table description and returns a cleaned copy:

- what the spec says processors MUST raise an error for is collected as a located `Problem`
  (``@id`` that is a blank node, a wrong ``@type``, a table group without tables, a table
  without ``url``, foreign keys with unknown properties, JSON-LD features that CSVW excludes
  from common properties, inconsistent datatype constraints, ...);
- undefined or misplaced properties, values of the wrong kind (an array property that is not
  an array, an object property that is neither an object nor a URL) are reported as warnings
  and dropped (or replaced by their default), as the spec says.

The values of atomic properties (dialect flags, inherited properties, titles, datatypes) are
checked where they are used (`checks`, `dialect`, `datatypes`).
"""

from __future__ import annotations

from lod.errors import Problem

from .checks import language_tag
from .common import check_common
from .facets import datatype_errors

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
_INHERITED = "aboutUrl datatype default lang null ordered propertyUrl required separator "
INHERITED = set((_INHERITED + "textDirection valueUrl").split())
_GROUP = "dialect notes tableDirection tableSchema transformations"
# Properties of each kind of description (besides @id, @type and common properties).
PROPERTIES = {
    "TableGroup": set(f"tables {_GROUP}".split()) | INHERITED,
    "Table": set(f"url suppressOutput {_GROUP}".split()) | INHERITED,
    "Schema": set("columns foreignKeys primaryKey rowTitles".split()) | INHERITED,
    "Column": set("name suppressOutput titles virtual".split()) | INHERITED,
    "Dialect": set(
        "commentPrefix delimiter doubleQuote encoding header headerRowCount lineTerminators "
        "quoteChar skipBlankRows skipColumns skipInitialSpace skipRows trim".split()
    ),
    "Template": set("url scriptFormat targetFormat source titles".split()),
    "Datatype": set(
        "base format length minLength maxLength minimum maximum minInclusive maxInclusive "
        "minExclusive maxExclusive".split()
    ),
}
ARRAYS = {"tables": "Table", "columns": "Column", "transformations": "Template"}
OBJECTS = {"dialect": "Dialect", "tableSchema": "Schema"}
_DROP = object()  # a property value to leave out


def is_common(key: str) -> bool:
    """A common property: a prefixed name or an absolute URL."""
    return ":" in key and not key.startswith("@")


class Checker:
    def __init__(self, where: str, warnings: list[str]):
        self.where = where  # the document, as people know it
        self.warnings = warnings
        self.problems: list[Problem] = []

    # -- reporting -----------------------------------------------------------------------
    def error(self, path: str, message: str, hint: str = "", value="") -> None:
        self.problems.append(
            Problem(
                message,
                where=f"{self.where}: {path or '(top level)'}",
                hint=hint,
                value="" if value == "" else repr(value),
            )
        )

    def warn(self, path: str, message: str) -> None:
        self.warnings.append(f"{self.where}: {path or '(top level)'}: {message}")

    # -- documents -----------------------------------------------------------------------
    def document(self, doc: dict) -> dict:
        """A top-level table group or table description, cleaned."""
        self._context(doc.get("@context"), "@context")
        if "tables" in doc or doc.get("@type") == "TableGroup" and "url" not in doc:
            kind = "TableGroup"
        elif "url" in doc:
            kind = "Table"
        else:
            self.error(
                "",
                'the metadata has neither "tables" nor "url"',
                'describe a table with "url" (the CSV file) and "tableSchema"',
            )
            return {}
        out = self.describe(doc, kind, "", top=True)
        if kind == "TableGroup" and not out.get("tables"):
            self.error("tables", "a table group needs one or more table descriptions")
        return out

    def _context(self, ctx, path: str) -> None:
        if ctx is None:
            self.warn(path, f"missing; assuming {CSVW_CONTEXT!r}")
            return
        if ctx == CSVW_CONTEXT:
            return
        if isinstance(ctx, list) and len(ctx) == 2 and ctx[0] == CSVW_CONTEXT:
            local = ctx[1]
            if not isinstance(local, dict):
                self.error(path, "the second item must be an object with @base or @language")
                return
            for key in local:
                if key not in ("@base", "@language"):
                    self.error(
                        f"{path}.{key}",
                        "the @context object may only hold @base and @language",
                        "move other terms out of the @context",
                    )
            if "@language" in local and not language_tag(local["@language"]):
                self.warn(f"{path}.@language", f"{local['@language']!r} is not a language tag")
            if "@base" in local and not isinstance(local["@base"], str):
                self.warn(f"{path}.@base", "is not a URL; ignored")
            return
        self.error(
            path,
            f"must be {CSVW_CONTEXT!r} or [{CSVW_CONTEXT!r}, {{@base, @language}}]",
            value=ctx,
        )

    def describe(self, obj: dict, kind: str, path: str, *, top: bool = False) -> dict:
        """One description object of `kind`, cleaned (nested descriptions too)."""
        allowed = PROPERTIES[kind]
        out: dict = {}
        for key, value in obj.items():
            at = f"{path}.{key}" if path else key
            if key == "@context":
                if not top:
                    self.error(at, "only the top-level object may have an @context")
                elif isinstance(value, list) and len(value) == 2 and isinstance(value[1], dict):
                    out[key] = [value[0], {**value[1]}]
                    if "@language" in value[1] and not language_tag(value[1]["@language"]):
                        del out[key][1]["@language"]
                else:
                    out[key] = value
            elif key == "@id":
                if (v := self._id(value, at)) is not None:
                    out[key] = v
            elif key == "@type":
                if value != kind:
                    self.error(at, f"must be {kind!r}", value=value)
            elif key in allowed:
                v = self._property(key, value, kind, at)
                if v is not _DROP:
                    out[key] = v
            elif is_common(key):
                check_common(value, at, self.error)
                out[key] = value
            elif key.startswith("@"):
                self.error(at, f"{key} is not allowed here")
            else:
                where = [k for k, props in PROPERTIES.items() if key in props and k != kind]
                also = f" (it belongs on: {', '.join(where)})" if where else ""
                self.warn(at, f"{key!r} is not a property of a {kind}{also}; ignored")
        if kind == "Table" and not isinstance(out.get("url"), str):
            self.error(path + ".url" if path else "url", 'a table needs "url": its CSV file')
        if kind == "Template":
            for key in ("url", "targetFormat", "scriptFormat"):
                if key not in out:
                    self.warn(path, f"a transformation needs {key!r}")
        if kind == "Schema" and isinstance(out.get("columns"), list):
            self._columns(out["columns"], f"{path}.columns" if path else "columns")
        if kind == "Datatype":
            for message in datatype_errors(out):
                self.error(path, message, "fix the datatype description")
        return out

    def _columns(self, columns: list[dict], at: str) -> None:
        seen: dict[str, int] = {}
        virtual = None
        for i, column in enumerate(columns):
            name = column.get("name")
            if isinstance(name, str):
                if name in seen:
                    self.error(
                        f"{at}[{i}].name",
                        f"column name {name!r} is already used by column {seen[name] + 1}",
                        "give every column a unique name",
                    )
                seen.setdefault(name, i)
            if column.get("virtual") is True:
                virtual = i if virtual is None else virtual
            elif virtual is not None:
                self.error(
                    f"{at}[{i}]",
                    f"a non-virtual column follows the virtual column {virtual + 1}",
                    "list virtual columns after all others",
                )

    def _id(self, value, at: str):
        if not isinstance(value, str):
            self.warn(at, f'{value!r} is not a URL; using ""')
            return ""
        if value.startswith("_:"):
            self.error(at, "must not be a blank node (_:...)", value=value)
            return None
        return value

    def _property(self, key: str, value, kind: str, at: str):
        if key in ARRAYS:
            if not isinstance(value, list):
                self.warn(at, f"{key} must be an array; using []")
                return []
            items = []
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    items.append(self.describe(item, ARRAYS[key], f"{at}[{i}]"))
                else:
                    self.warn(f"{at}[{i}]", f"{item!r} is not an object; ignored")
            return items
        if key in OBJECTS:
            if isinstance(value, str):
                return value  # a URL, loaded (and checked) later
            if isinstance(value, dict):
                return self.describe(value, OBJECTS[key], at)
            self.warn(at, f"{value!r} is neither an object nor a URL; ignored")
            return {} if key == "tableSchema" else _DROP
        if key == "url":
            if not isinstance(value, str):
                self.warn(at, f"{value!r} is not a URL")
                return _DROP
            return value
        if key == "foreignKeys":
            return self._foreign_keys(value, at)
        if key == "datatype" and isinstance(value, dict):
            return self.describe(value, "Datatype", at)
        if key == "tableDirection" and value not in ("rtl", "ltr", "auto"):
            self.warn(at, f"{value!r} is not rtl, ltr or auto; using auto")
            return "auto"
        if key == "suppressOutput" and kind != "Column" and not isinstance(value, bool):
            self.warn(at, f"{value!r} is not a boolean; using false")
            return False
        if key == "notes":
            if not isinstance(value, list):
                self.warn(at, "notes must be an array")
                return _DROP
            check_common(value, at, self.error)
        return value

    def _foreign_keys(self, value, at: str):
        if not isinstance(value, list):
            self.warn(at, "foreignKeys must be an array; using []")
            return []
        keys = []
        for i, fk in enumerate(value):
            here = f"{at}[{i}]"
            if not isinstance(fk, dict):
                self.warn(here, f"{fk!r} is not a foreign key definition; ignored")
                continue
            for key in fk:
                if key not in ("columnReference", "reference"):
                    self.error(
                        f"{here}.{key}",
                        "a foreign key may only have columnReference and reference",
                    )
            ref = fk.get("reference")
            if not isinstance(ref, dict):
                self.error(f"{here}.reference", "must be an object", value=ref)
                continue
            for key in ref:
                if key not in ("resource", "schemaReference", "columnReference"):
                    self.error(
                        f"{here}.reference.{key}",
                        "a reference may only have resource or schemaReference, "
                        "and columnReference",
                    )
            if ("resource" in ref) == ("schemaReference" in ref):
                self.error(f"{here}.reference", "needs exactly one of resource, schemaReference")
            if "columnReference" not in fk or "columnReference" not in ref:
                self.error(here, "columnReference is required on both sides")
            keys.append(fk)
        return keys
