"""The one table of formats: name, media type, URL suffix and the matching pyoxigraph format.

Content negotiation (``Accept``), ``.ttl``-style URLs, ``format=`` parameters, download headers
and the catalogue's ``dct:format``/``dcat:mediaType`` IRIs are all read from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Format:
    name: str  # short name used in ?format= and -f
    media_type: str
    suffix: str  # URL / file suffix without the dot
    kind: str  # "rdf" (a graph), "results" (SPARQL results), "page", "table", "schema"
    rdf_name: str | None = None  # of its pyoxigraph.RdfFormat (`rdf`)
    results_name: str | None = None  # of its pyoxigraph.QueryResultsFormat (`results`)
    eu_file_type: str | None = None  # code in the EU file-type table
    charset: bool = False  # add "; charset=utf-8" to Content-Type
    aliases: tuple[str, ...] = field(default=())  # other media types meaning the same

    @property
    def rdf(self) -> ox.RdfFormat | None:
        """The pyoxigraph format (imported when first asked for: `lod convert -f nt` does
        without pyoxigraph)."""
        if self.rdf_name is None:
            return None
        import pyoxigraph

        return getattr(pyoxigraph.RdfFormat, self.rdf_name)

    @property
    def results(self) -> ox.QueryResultsFormat | None:
        if self.results_name is None:
            return None
        import pyoxigraph

        return getattr(pyoxigraph.QueryResultsFormat, self.results_name)

    @property
    def content_type(self) -> str:
        return self.media_type + ("; charset=utf-8" if self.charset else "")

    @property
    def file_type_iri(self) -> str | None:
        return EU_FILE_TYPE + self.eu_file_type if self.eu_file_type else None

    @property
    def media_type_iri(self) -> str:
        return IANA + self.media_type


FORMATS: tuple[Format, ...] = (
    Format(
        "jsonld",
        "application/ld+json",
        "jsonld",
        "rdf",
        "JSON_LD",
        None,
        "JSON_LD",
        aliases=("application/json",),
    ),
    Format(
        "ttl",
        "text/turtle",
        "ttl",
        "rdf",
        "TURTLE",
        None,
        "RDF_TURTLE",
        True,
        aliases=("application/x-turtle",),
    ),
    Format(
        "rdf",
        "application/rdf+xml",
        "rdf",
        "rdf",
        "RDF_XML",
        None,
        "RDF_XML",
        aliases=("application/xml", "text/xml"),
    ),
    Format(
        "nt",
        "application/n-triples",
        "nt",
        "rdf",
        "N_TRIPLES",
        None,
        "RDF_N_TRIPLES",
        aliases=("text/plain",),
    ),
    Format("nq", "application/n-quads", "nq", "rdf", "N_QUADS", None, "RDF_N_QUADS"),
    Format("trig", "application/trig", "trig", "rdf", "TRIG", None, "RDF_TRIG", True),
    Format(
        "html",
        "text/html",
        "html",
        "page",
        charset=True,
        eu_file_type="HTML",
        aliases=("application/xhtml+xml",),
    ),
    Format(
        "json",
        "application/sparql-results+json",
        "srj",
        "results",
        None,
        "JSON",
        "JSON",
        aliases=("application/json",),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "srx",
        "results",
        None,
        "XML",
        "XML",
        aliases=("application/xml", "text/xml"),
    ),
    Format("csv", "text/csv", "csv", "table", None, "CSV", "CSV", True),
    Format(
        "tsv",
        "text/tab-separated-values",
        "tsv",
        "table",
        None,
        "TSV",
        "TSV",
        True,
    ),
    Format("csvw", "application/csvm+json", "json", "schema", eu_file_type="JSON"),
)

BY_NAME = {f.name: f for f in FORMATS}
RDF_FORMATS = tuple(f for f in FORMATS if f.kind == "rdf")
# Graph documents accept these suffixes, e.g. /catalog.ttl
DOCUMENT_SUFFIXES = {f.suffix: f for f in (*RDF_FORMATS, BY_NAME["html"])}
RESULT_FORMATS = (BY_NAME["json"], BY_NAME["xml"], BY_NAME["csv"], BY_NAME["tsv"])


def by_name(name: str) -> Format:
    try:
        return BY_NAME[name]
    except KeyError:
        from .errors import BadInput

        raise BadInput(
            f"unknown format {name!r}", hint="use one of " + ", ".join(sorted(BY_NAME))
        ) from None


def negotiate(accept, candidates: tuple[Format, ...], default: Format) -> Format | None:
    """Pick a format by a werkzeug ``MIMEAccept``; ``default`` for ``*/*`` or no header.

    Returns None when the client accepts none of the candidates (answer 406).
    """
    if not accept or not list(accept.values()):
        return default
    offers: list[str] = []
    owner: dict[str, Format] = {}
    for fmt in (default, *candidates):
        for mt in (fmt.media_type, *fmt.aliases):
            if mt not in owner:
                owner[mt] = fmt
                offers.append(mt)
    best = accept.best_match(offers)
    if best is None:
        return None
    # "*/*" alone matches the first offer, which is the default's media type.
    return owner[best]
