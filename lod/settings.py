"""Declared settings: defaults, then ``lod.toml``, then ``LOD_*`` environment variables.

Every setting is declared once in ``SETTINGS`` with its default and help text; the README's
configuration table is checked against this list by a test. An unknown key in ``lod.toml`` or a
value of the wrong type fails at start with a message that says how to fix it.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadInput

PU = "https://data.gov.cz/podmínky-užití/"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "LOD_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "./var", "Data directory: the store, its checkpoints and the published files."),
    Setting(
        "base_url",
        "http://127.0.0.1:8000",
        "Public base of every IRI, e.g. https://data.kraj.example.cz (NKOD requires https).",
    ),
    Setting(
        "store",
        "",
        "Empty: embedded Oxigraph under LOD_HOME; an http(s) SPARQL query endpoint: remote store.",
    ),
    Setting("store_update", "", "SPARQL Update endpoint of a remote store (default: LOD_STORE)."),
    Setting(
        "store_gsp",
        "",
        "Graph Store Protocol endpoint of a remote store (default: LOD_STORE; Virtuoso: "
        "its /sparql-graph-crud-auth).",
    ),
    Setting("store_user", "", "User name for the remote store."),
    Setting("store_password", "", "Password for the remote store."),
    Setting("store_auth", "basic", "HTTP authentication of LOD_STORE_USER: basic or digest."),
    Setting("store_token", "", "Bearer token for the remote store (instead of user/password)."),
    Setting(
        "store_kind",
        "",
        "Remote server adapter: generic or virtuoso; empty: from the Server header.",
    ),
    Setting(
        "sparql_timeout",
        30,
        "Seconds a public SPARQL query may run; its worker is killed at the limit (0: none).",
    ),
    Setting(
        "sparql_workers",
        0,
        "Query worker processes for /sparql; 0: the number of CPUs, at least 2 per web process.",
    ),
    Setting(
        "sparql_memory_quads",
        2000000,
        "Each query worker copies a store of at most this many quads into memory (about 400 "
        "bytes a quad) and answers from the copy, several times faster on big joins (0: never).",
    ),
    Setting(
        "sparql_worker_max_bytes",
        0,
        "Memory a query worker may use; a query needing more fails with 500 and the worker is "
        "replaced. 0: the machine's memory divided by (workers + 1); -1: no limit.",
    ),
    Setting(
        "sparql_max_rows", 100000, "Most rows (or triples) a /sparql result holds; 0: no limit."
    ),
    Setting(
        "sparql_inline_rows",
        1000,
        "A lookup of one triple pattern with at most this many rows is answered in the web "
        "process from its in-memory copy, not by a worker (bounded work: no time limit needed); "
        "0, LOD_SPARQL_MAX_ROWS=0 or LOD_SPARQL_MEMORY_QUADS=0: every query goes to a worker.",
    ),
    Setting("sparql_max_per_client", 4, "Queries one client address may run at once (429 above)."),
    Setting(
        "sparql_max_concurrent",
        6,
        "Queries /sparql runs or queues at once (503 above); keep it below `lod serve --threads`.",
    ),
    Setting("sparql_max_request_bytes", 1048576, "Largest /sparql request body (413 above)."),
    Setting(
        "trusted_proxies",
        0,
        "Reverse proxies in front of lod whose X-Forwarded-For and X-Forwarded-Proto it "
        "believes (the client address of per-client limits and the access log); 0: none.",
    ),
    Setting(
        "sparql_cache_bytes",
        67108864,
        "Bytes of /sparql answers kept in memory until the next publish (0: no cache).",
    ),
    Setting("catalog_title", "Katalog otevřených dat", "Title of the catalogue (Czech)."),
    Setting("catalog_title_en", "Open data catalogue", "Title of the catalogue (English)."),
    Setting(
        "catalog_description",
        "Lokální katalog otevřených dat publikovaný platformou lod.",
        "Description of the catalogue (Czech).",
    ),
    Setting(
        "catalog_description_en",
        "Local open data catalogue published with lod.",
        "Description of the catalogue (English).",
    ),
    Setting(
        "publisher",
        "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/70889546",
        "Publisher: RPP OVM IRI (…/orgán-veřejné-moci/<IČO>) or just the IČO.",
    ),
    Setting("publisher_name", "Královéhradecký kraj", "Publisher's name, shown on the pages."),
    Setting("contact_name", "Oddělení otevřených dat", "Catalogue contact point name."),
    Setting("contact_email", "opendata@example.cz", "Catalogue contact point e-mail."),
    Setting("homepage", "", "Catalogue home page (https). Empty: LOD_BASE_URL itself."),
    Setting(
        "terms_author_work",
        PU + "neobsahuje-autorská-díla/",
        "Default pu:autorské-dílo of every distribution.",
    ),
    Setting(
        "terms_database_work",
        PU + "není-autorskoprávně-chráněnou-databází/",
        "Default pu:databáze-jako-autorské-dílo.",
    ),
    Setting(
        "terms_database_sui_generis",
        PU + "není-chráněna-zvláštním-právem-pořizovatele-databáze/",
        "Default pu:databáze-chráněná-zvláštními-právy.",
    ),
    Setting(
        "terms_personal_data",
        PU + "neobsahuje-osobní-údaje/",
        "Default pu:osobní-údaje.",
    ),
    Setting("checkpoint_grace", 600, "Seconds an old store checkpoint is kept for readers."),
    Setting(
        "publisher_type",
        "RegionalAuthority",
        "ADMS publisher type of LOD_PUBLISHER (RegionalAuthority, LocalAuthority, …); "
        "empty: not stated.",
    ),
    Setting(
        "publishers",
        {},
        "Other publishers hosted here, by IČO: a table in lod.toml "
        '([publishers."00275808"] name = "…"), JSON in LOD_PUBLISHERS.',
    ),
    Setting("catalog_page_size", 100, "Datasets per page of the RDF forms of a catalogue (Hydra)."),
    Setting(
        "validate_max_bytes",
        10_000_000,
        "Largest document or table (bytes) POST /validate takes or fetches; larger: 413.",
    ),
    Setting(
        "validate_timeout",
        60,
        "Seconds POST /validate waits for a URL (then 504) and lets a validation run (then "
        "503); 0: no limit on the validation.",
    ),
    Setting(
        "draft_2026",
        False,
        "Also apply the DCAT-AP-CZ 2026 drafts: catalogue contact point mandatory, the open-data "
        "ELI on every dataset, distribution and data service.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "values":  # e.g. while pickle builds a copy
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def home_path(self) -> Path:
        return Path(self.values["home"]).expanduser().resolve()

    @property
    def base(self) -> str:
        """The base URL without a trailing slash."""
        return str(self.values["base_url"]).rstrip("/")

    @property
    def publisher_iri(self) -> str:
        value = str(self.values["publisher"]).strip()
        if value.isdigit():
            return "https://rpp-opendata.egon.gov.cz/odrpp/zdroj/orgán-veřejné-moci/" + value
        return value


def _known_hint() -> str:
    return "known settings: " + ", ".join(s.name for s in SETTINGS)


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    default = setting.default
    if isinstance(default, dict):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except json.JSONDecodeError as exc:
                raise BadInput(
                    f"{where}: expected a JSON object: {exc.msg}",
                    hint='e.g. {"00275808": {"name": "Obec Example"}}',
                ) from None
        if not isinstance(value, dict):
            raise BadInput(f"{where}: expected a table of tables, got {value!r}")
        return value
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise BadInput(f"{where}: expected true or false, got {value!r}")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise BadInput(
                f"{where}: expected a whole number, got {value!r}",
                hint="remove quotes around numbers in lod.toml",
            ) from None
    if not isinstance(value, str):
        raise BadInput(f"{where}: expected text, got {value!r}", hint="quote the value in lod.toml")
    return value


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults, then ``lod.toml`` (``LOD_CONFIG`` or ./lod.toml), then ``LOD_*`` variables."""
    env = dict(os.environ if env is None else env)
    values = {s.name: s.default for s in SETTINGS}
    path = Path(config_file or env.get("LOD_CONFIG") or "lod.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise BadInput(f"{path}: {exc}", hint="fix the TOML syntax") from None
        for key, value in data.items():
            if key not in _BY_NAME:
                raise BadInput(f"{path}: unknown setting {key!r}", hint=_known_hint())
            values[key] = _coerce(_BY_NAME[key], value, f"{path}: {key}")
    for setting in SETTINGS:
        if setting.env in env:
            values[setting.name] = _coerce(setting, env[setting.env], setting.env)
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(_BY_NAME[key], value, key)
    settings = Settings(values)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    base = settings.base
    if not base.startswith(("http://", "https://")):
        raise BadInput(
            f"LOD_BASE_URL must be an http(s) URL, got {base!r}",
            hint="set LOD_BASE_URL=https://data.example.cz",
        )
    if "?" in base or "#" in base:
        raise BadInput(f"LOD_BASE_URL must not contain '?' or '#': {base!r}")
    if settings.catalog_page_size < 1:
        raise BadInput("LOD_CATALOG_PAGE_SIZE must be at least 1")
    from .catalog.publishers import check_settings

    check_settings(settings)
