"""Values of common properties (``dc:title``, ``rdfs:comment``, ``notes``, ...): the subset of
JSON-LD that CSVW metadata may use (https://www.w3.org/TR/tabular-metadata/#values-of-common-properties).

No contexts, lists or sets; a ``@value`` object has at most one of ``@type`` and
``@language``; ``@language`` only with ``@value``; ``@id`` and ``@type`` are not blank nodes;
no keywords of one's own. Each breach is an error the spec says processors MUST raise.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .annotations import CSVW_TERMS
from .checks import language_tag

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S*")  # an absolute URL or a prefixed name
_KEYWORDS = {"@id", "@type", "@value", "@language", "@context", "@list", "@set"}

Report = Callable[..., None]  # (path, message, value=...) -> None


def check_common(value, at: str, error: Report) -> None:
    """Report through `error` what CSVW does not allow in a common property's value."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_common(item, f"{at}[{i}]", error)
        return
    if not isinstance(value, dict):
        return
    if "@context" in value:
        error(f"{at}.@context", "a common property must not add a context")
    for key in ("@list", "@set"):
        if key in value:
            error(f"{at}.{key}", "list and set objects are not allowed")
    if "@value" in value:
        if set(value) - {"@value", "@type", "@language"} or {"@type", "@language"} <= set(value):
            error(at, "a @value object may only have @type or @language besides")
        if "@type" in value:
            _type(value["@type"], f"{at}.@type", error)
        if "@language" in value and not language_tag(value["@language"]):
            error(f"{at}.@language", "is not a language tag", value=value["@language"])
        return
    if "@language" in value:
        error(f"{at}.@language", "@language is only allowed with @value")
    if "@id" in value:
        v = value["@id"]
        if not isinstance(v, str) or v.startswith("_:"):
            error(f"{at}.@id", "must be a URL, not a blank node", value=v)
    if "@type" in value:
        for t in value["@type"] if isinstance(value["@type"], list) else [value["@type"]]:
            _type(t, f"{at}.@type", error)
    for key, item in value.items():
        if key.startswith("@"):
            if key not in _KEYWORDS:
                error(f"{at}.{key}", f"{key} is not a keyword CSVW allows")
            continue
        check_common(item, f"{at}.{key}", error)


def _type(value, at: str, error: Report) -> None:
    ok = isinstance(value, str) and (
        value in CSVW_TERMS or bool(_ABSOLUTE.fullmatch(value)) and not value.startswith("_:")
    )
    if not ok:
        error(at, "must be a CSVW term, a prefixed name or an absolute URL", value=value)
