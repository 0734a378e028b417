"""URI template properties: aboutUrl, propertyUrl, valueUrl
(https://www.w3.org/TR/tabular-metadata/#uri-template-properties).

Templates are RFC 6570 (expanded by `uritemplate`, with a fast path for the common shape
``literal{var}literal``); the result is expanded as a prefixed name if it is one of the CSVW
context's prefixes, then resolved against the table URL.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

# The prefixes of the CSVW context (http://www.w3.org/ns/csvw, the RDFa initial context).
PREFIXES = {
    "as": "https://www.w3.org/ns/activitystreams#",
    "cc": "http://creativecommons.org/ns#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "ctag": "http://commontag.org/ns#",
    "dc": "http://purl.org/dc/terms/",
    "dc11": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "dctypes": "http://purl.org/dc/dcmitype/",
    "dqv": "http://www.w3.org/ns/dqv#",
    "duv": "https://www.w3.org/TR/vocab-duv#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "gr": "http://purl.org/goodrelations/v1#",
    "grddl": "http://www.w3.org/2003/g/data-view#",
    "ical": "http://www.w3.org/2002/12/cal/icaltzd#",
    "ldp": "http://www.w3.org/ns/ldp#",
    "ma": "http://www.w3.org/ns/ma-ont#",
    "oa": "http://www.w3.org/ns/oa#",
    "og": "http://ogp.me/ns#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfa": "http://www.w3.org/ns/rdfa#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rev": "http://purl.org/stuff/rev#",
    "rif": "http://www.w3.org/2007/rif#",
    "rr": "http://www.w3.org/ns/r2rml#",
    "schema": "http://schema.org/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sioc": "http://rdfs.org/sioc/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "v": "http://rdf.data-vocabulary.org/#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "void": "http://rdfs.org/ns/void#",
    "wdr": "http://www.w3.org/2007/05/powder#",
    "wrds": "http://www.w3.org/2007/05/powder-s#",
    "xhv": "http://www.w3.org/1999/xhtml/vocab#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_SIMPLE_VAR = re.compile(r"\{([A-Za-z0-9_%.]+)\}")
_ANY_VAR = re.compile(r"\{[^}]*\}")
_VAR_NAMES = re.compile(r"[A-Za-z0-9_%.]+")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):(.*)$", re.S)

# Names (ASCII letters, digits, "_" and ".") stay; anything else is percent-encoded as UTF-8.
_NAME_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")


def encode_name(title: str) -> str:
    """A column name from a title, percent-encoded as the spec requires (`-` too)."""
    return "".join(
        c if c in _NAME_SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in title
    )


def expand_curie(value: str) -> str:
    m = _CURIE.match(value)
    if m and m.group(1) in PREFIXES and not m.group(2).startswith("//"):
        return PREFIXES[m.group(1)] + m.group(2)
    return value


def resolve(value: str, base: str | None) -> str:
    if not base or urlsplit(value).scheme:
        return value
    return urljoin(base, value)


class Template:
    """A compiled URI template property of one column."""

    def __init__(self, text: str, base: str | None, *, curie: bool = True):
        self.text = text
        self.base = base
        self.curie = curie
        self.variables = set()
        for group in _ANY_VAR.findall(text):
            self.variables.update(
                v.split(":")[0].rstrip("*")
                for v in _VAR_NAMES.findall(group.strip("{}+#./;?&=,!@|"))
            )
        self._parts = None
        if all(_SIMPLE_VAR.fullmatch(g) for g in _ANY_VAR.findall(text)):
            pieces = _SIMPLE_VAR.split(text)  # literal, var, literal, var, ...
            self._parts = [
                (quote(p, safe="/:#?&=;,+!$'()*[]@%~") if i % 2 == 0 else p)
                for i, p in enumerate(pieces)
            ]
        else:  # here: most templates are simple, and the import takes 10 ms
            from uritemplate import URITemplate

            self._template = URITemplate(text)

    @property
    def static(self) -> bool:
        return not self.variables

    def expand(self, variables: dict) -> str:
        if self._parts is not None:
            out = []
            for i, part in enumerate(self._parts):
                if i % 2 == 0:
                    out.append(part)
                else:
                    v = variables.get(part)
                    if v is None:
                        continue
                    if isinstance(v, list):
                        out.append(",".join(quote(str(x), safe="") for x in v if x is not None))
                    else:
                        out.append(quote(v, safe=""))
            expanded = "".join(out)
        else:
            expanded = self._template.expand({k: v for k, v in variables.items() if v is not None})
        if self.curie:
            expanded = expand_curie(expanded)
        return resolve(expanded, self.base)
