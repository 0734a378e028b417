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
from urllib.parse import unquote, urljoin

from lod.errors import BadInput

from .checks import titles_ok, valid
from .datatypes import Datatype
from .dialect import Dialect
from .templates import Template, encode_name

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

    def bind(self, titles: list[str] | None, width: int, warnings: list[str]) -> list[Column]:
        """Create the columns from the schema, else from the header titles (or `_col.N`)."""
        described = self.schema.get("columns")
        if isinstance(described, list) and described:
            real = [c for c in described if isinstance(c, dict) and not c.get("virtual")]
            if titles is not None and len(real) != len(titles):
                warnings.append(
                    f"{self.url}: the metadata describes {len(real)} columns but the "
                    f"header has {len(titles)}"
                )
            specs = [c if isinstance(c, dict) else {} for c in described]
        else:
            specs = [{"titles": t} for t in (titles or [])] or [{} for _ in range(width)]
        self.columns = [self._column(i + 1, spec, warnings) for i, spec in enumerate(specs)]
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
) -> Group:
    """Normalise a table or table group description; `base` is the document's own URL."""
    warnings = warnings if warnings is not None else []
    loader = loader or file_loader
    if not isinstance(doc, dict):
        raise BadInput(
            "CSVW metadata must be a JSON object",
            where="metadata",
            hint='describe the table as {"url": ..., "tableSchema": ...}',
        )
    base, lang = read_context(doc, base)
    if "tables" in doc:
        tables_json = doc["tables"] if isinstance(doc["tables"], list) else []
        group_json = doc
    elif "url" in doc:
        tables_json, group_json = [doc], {}
    else:
        raise BadInput(
            'CSVW metadata has neither "url" nor "tables"',
            where="metadata",
            hint='add "url": the address or path of the CSV file',
        )
    group_inherited = valid(group_json, INHERITED, "table group", warnings)
    group_dialect = _linked(group_json.get("dialect"), base, loader) or {}
    tables = []
    for t in tables_json:
        if not isinstance(t, dict) or not isinstance(t.get("url"), str):
            warnings.append('metadata: a table without a "url" was ignored')
            continue
        url = urljoin(base, t["url"]) if base else t["url"]
        schema = _linked(t.get("tableSchema"), base, loader) or {}
        dialect_json = dict(group_dialect)
        dialect_json.update(_linked(t.get("dialect"), base, loader) or {})
        inherited = dict(group_inherited)
        inherited.update(valid(t, INHERITED, url, warnings))
        inherited.update(valid(schema, INHERITED, f"{url}: tableSchema", warnings))
        table_lang = lang
        tables.append(
            Table(
                url=url,
                id=_id(t.get("@id"), base),
                dialect=Dialect.from_json(dialect_json, where=f"{url}: dialect", warnings=warnings),
                schema=schema,
                inherited=inherited,
                suppress=t.get("suppressOutput") is True,
                annotations={k: v for k, v in t.items() if is_annotation(k)},
                lang=table_lang,
                base=base,
            )
        )
    return Group(
        id=_id(group_json.get("@id"), base),
        tables=tables,
        annotations={k: v for k, v in group_json.items() if is_annotation(k)},
        lang=lang,
        base=base,
    )


def _id(value, base):
    if not isinstance(value, str):
        return None
    return urljoin(base, value) if base else value


def _linked(value, base: str | None, loader: Loader) -> dict | None:
    """An embedded object, or the object at a URL (its relative URLs resolve against it)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        url = urljoin(base, value) if base else value
        doc = loader(url)
        if isinstance(doc, dict):
            return doc
    return None
