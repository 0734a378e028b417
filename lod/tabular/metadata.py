"""CSVW metadata documents normalised into tables and columns
(https://www.w3.org/TR/tabular-metadata/).

`load_group` reads a table or table group description (resolving `@base`, linked schemas and
dialects, and inherited properties); `Table.bind` creates its columns once the header row is
known (the header gives the columns when the schema lists none: embedded metadata).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin

from lod.errors import BadInput, ConversionFailed

from .checks import titles_ok, valid
from .compat import check_header, titles_with_languages
from .datatypes import Datatype
from .dialect import Dialect
from .problems import display
from .templates import Template, encode_name
from .vocab import Checker

if TYPE_CHECKING:
    from .turtle import TurtleForm

CSVW_CONTEXT = "http://www.w3.org/ns/csvw"
INHERITED = (
    "aboutUrl",
    "datatype",
    "default",
    "lang",
    "null",
    "ordered",
    "propertyUrl",
    "required",
    "separator",
    "textDirection",
    "valueUrl",
)

Loader = Callable[[str], dict]


@dataclass
class Column:
    number: int  # 1-based position among the table's columns
    name: str
    titles: list[str]
    virtual: bool
    suppress: bool
    datatype: Datatype
    lang: str | None
    null: list[str]
    default: str
    separator: str | None
    ordered: bool
    required: bool
    about: Template | None
    property: Template | None
    value: Template | None
    annotations: dict = field(default_factory=dict)
    title_langs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The column as people know it: its first title, else its name."""
        return self.titles[0] if self.titles else unquote(self.name)


@dataclass
class Table:
    url: str
    id: str | None
    dialect: Dialect
    schema: dict
    inherited: dict
    suppress: bool = False
    annotations: dict = field(default_factory=dict)
    lang: str | None = None  # default language of annotations (@context @language)
    base: str | None = None
    columns: list[Column] | None = None
    embedded: bool = False  # no tableSchema: the header row names the columns
    schema_url: str | None = None  # the URL of a linked schema
    key_check: Callable | None = None  # set by `keys`: called with each row's parsed cells
    repair_rows: bool = False  # metadata inferred by lod from this file: fit rows, trust titles
    header_problems: list = field(default_factory=list)  # the header against the metadata
    turtle: TurtleForm | None = (
        None  # a turtle.TurtleForm: the fast path writes Turtle too (to_ntriples)
    )

    def bind(self, titles: list[str] | None, width: int, warnings: list[str]) -> list[Column]:
        """Create the columns from the schema (cells beyond it get columns `_col.N`), or, with
        no schema, from the header titles."""
        real: list[dict] = []
        if self.embedded:
            specs = [{"titles": t} for t in (titles or [])] or [{} for _ in range(width)]
        else:
            described = [c for c in self.schema.get("columns", []) if isinstance(c, dict)]
            real = [c for c in described if c.get("virtual") is not True]
            extra = max(width, len(titles or ())) - len(real)
            specs = (
                real
                + [{} for _ in range(extra)]
                + [c for c in described if c.get("virtual") is True]
            )
        self.columns = [self._column(i + 1, spec, warnings) for i, spec in enumerate(specs)]
        if titles is not None and not self.embedded and not self.repair_rows:
            lang = self.inherited.get("lang")
            self.header_problems = check_header(
                display(self.url),
                [(s.get("name"), c.title_langs) for s, c in zip(real, self.columns, strict=False)],
                titles,
                lang if isinstance(lang, str) else None,
            )
        return self.columns

    def _column(self, number: int, spec: dict, warnings: list[str]) -> Column:
        where = f"{self.url}, column {number}"
        props = dict(self.inherited)
        props.update(valid(spec, INHERITED, where, warnings))
        own_keys = ("name", "virtual", "suppressOutput")
        checked = valid(spec, own_keys, where, warnings)
        spec = {k: v for k, v in spec.items() if k not in own_keys} | checked
        spec["titles"] = titles_ok(spec.get("titles"), where, warnings)
        titles = natural_language(spec.get("titles"))
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            own = name_titles(spec.get("titles"), self.lang)
            name = encode_name(own[0]) if own else f"_col.{number}"
        where = f"{self.url}, column {number} ({name})"
        base = self.url

        def template(key):
            text = props.get(key)
            return Template(text, base) if isinstance(text, str) else None

        null = props.get("null", [""])
        null = [null] if isinstance(null, str) else [n for n in null if isinstance(n, str)]
        lang = props.get("lang")
        return Column(
            number=number,
            name=name,
            titles=titles,
            virtual=bool(spec.get("virtual")),
            suppress=bool(spec.get("suppressOutput")),
            datatype=Datatype(props.get("datatype"), warnings, where),
            lang=lang if isinstance(lang, str) and lang != "und" else None,
            null=null,
            default=props.get("default", "") if isinstance(props.get("default", ""), str) else "",
            separator=props.get("separator") if isinstance(props.get("separator"), str) else None,
            ordered=props.get("ordered") is True,
            required=props.get("required") is True,
            about=template("aboutUrl"),
            property=template("propertyUrl"),
            value=template("valueUrl"),
            annotations={k: v for k, v in spec.items() if is_annotation(k)},
            title_langs=titles_with_languages(spec.get("titles"), self.lang),
        )


@dataclass
class Group:
    id: str | None
    tables: list[Table]
    annotations: dict = field(default_factory=dict)
    lang: str | None = None
    base: str | None = None


def is_annotation(key: str) -> bool:
    return key == "notes" or (":" in key and not key.startswith("@"))


def natural_language(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        out = []
        for v in value.values():
            out.extend(natural_language(v))
        return out
    return []


def name_titles(value, lang: str | None) -> list[str]:
    """The titles a name may come from: those in the default language (or und)."""
    if isinstance(value, dict):
        return natural_language(value.get(lang or "und"))
    return natural_language(value)


def read_context(doc: dict, base: str | None) -> tuple[str | None, str | None]:
    """(base URL, default language) from the document's @context."""
    ctx = doc.get("@context", CSVW_CONTEXT)
    lang = None
    if isinstance(ctx, list):
        for item in ctx:
            if isinstance(item, dict):
                if isinstance(item.get("@base"), str):
                    base = urljoin(base, item["@base"]) if base else item["@base"]
                if isinstance(item.get("@language"), str):
                    lang = item["@language"]
    return base, lang


def file_loader(url: str) -> dict:
    """Load a JSON document from a local path or file:// URL."""
    path = Path(unquote(url[7:])) if url.startswith("file://") else Path(url)
    try:
        with open(path, encoding="utf-8-sig") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise BadInput(
            f"cannot load {url}: {e}",
            where=url,
            hint="check that the linked schema or dialect exists and is JSON",
        ) from e


def load_group(
    doc: dict,
    *,
    base: str | None = None,
    loader: Loader | None = None,
    warnings: list[str] | None = None,
    where: str | None = None,
) -> Group:
    """Check and normalise a table or table group description; `base` is the document's
    own URL, `where` names it in messages (default: its URL). Errors in the metadata raise
    ConversionFailed, naming the property."""
    warnings = warnings if warnings is not None else []
    loader = loader or file_loader
    if not isinstance(doc, dict):
        raise BadInput(
            "CSVW metadata must be a JSON object",
            where="metadata",
            hint='describe the table as {"url": ..., "tableSchema": ...}',
        )
    where = where or (display(base) if base else "metadata")
    checker = Checker(where, warnings)
    doc = checker.document(doc)
    _raise(checker, where)
    base, lang = read_context(doc, base)
    if "tables" in doc:
        tables_json, group_json = doc["tables"], doc
    else:
        tables_json, group_json = [doc], {}
    group_inherited = valid(group_json, INHERITED, "table group", warnings)
    group_dialect = _linked(group_json.get("dialect"), "Dialect", base, loader, warnings)[0]
    tables = []
    for t in tables_json:
        url = urljoin(base, t["url"]) if base else t["url"]
        schema_value = t.get("tableSchema", group_json.get("tableSchema"))
        schema, schema_url = _linked(schema_value, "Schema", base, loader, warnings)
        dialect_json = dict(group_dialect)
        dialect_json.update(_linked(t.get("dialect"), "Dialect", base, loader, warnings)[0])
        inherited = dict(group_inherited)
        inherited.update(valid(t, INHERITED, url, warnings))
        inherited.update(valid(schema, INHERITED, f"{url}: tableSchema", warnings))
        tables.append(
            Table(
                url=url,
                id=_id(t.get("@id"), base),
                dialect=Dialect.from_json(dialect_json, where=f"{url}: dialect", warnings=warnings),
                schema=schema,
                inherited=inherited,
                suppress=t.get("suppressOutput") is True,
                annotations={k: v for k, v in t.items() if is_annotation(k)},
                lang=lang,
                base=base,
                embedded=schema_value is None,
                schema_url=schema_url,
            )
        )
    return Group(
        id=_id(group_json.get("@id"), base),
        tables=tables,
        annotations={k: v for k, v in group_json.items() if is_annotation(k)},
        lang=lang,
        base=base,
    )


def _raise(checker: Checker, where: str) -> None:
    if checker.problems:
        raise ConversionFailed(checker.problems, what=f"the metadata {where}")


def _id(value, base):
    if not isinstance(value, str):
        return None
    return urljoin(base, value) if base else value


def _linked(value, kind: str, base, loader: Loader, warnings) -> tuple[dict, str | None]:
    """(object, its URL): an embedded object, or the object at a URL, checked as `kind`."""
    if isinstance(value, dict):
        return value, None
    if isinstance(value, str):
        url = urljoin(base, value) if base else value
        doc = loader(url)
        if isinstance(doc, dict):
            checker = Checker(display(url), warnings)
            doc = checker.describe(doc, kind, "", top=True)
            _raise(checker, display(url))
            return doc, url
        warnings.append(f"{display(url)}: not a JSON object; ignored")
    return {}, None
