"""The one place where IRIs under ``LOD_BASE_URL`` are minted.

Layout (all dereferenceable; the web app serves each of them):

    {base}/catalog                              the catalogue (LKOD document)
    {base}/datasets/{id}                        a dataset record; also its metadata graph's name
    {base}/datasets/{id}/distributions/{key}    a distribution (csv, ttl, nt, sparql)
    {base}/datasets/{id}/data                   the data graph (suffix forms: data.ttl, data.nt)
    {base}/datasets/{id}/data.csv               the table as UTF-8 CSV
    {base}/datasets/{id}/data.csv-metadata.json its CSVW table schema (dct:conformsTo)
    {base}/datasets/{id}/shapes                 SHACL shapes of its data (shapes.ttl; the RDF
                                                distributions' dct:conformsTo); shapes: #rows, …
    {base}/datasets/{id}/rows/{n}               a row of the table
    {base}/datasets/{id}/columns/{name}         a column, used as the RDF property
    {base}/datasets/{id}/cube/structure         a statistical table's Data Cube structure (DSD)
    {base}/datasets/{id}/measures/{name}        a column as a Data Cube measure property
    {base}/datasets/{id}/dimensions/{name}      a column as a Data Cube dimension property
    {base}/datasets/{id}.html                   its HTML page (the record's dcat:landingPage)
    {base}/publishers/{ičo}/catalog             the catalogue of one publisher (only its datasets)
    {base}/services/sparql                      the SPARQL endpoint as a dcat:DataService
    {base}/sparql                               the SPARQL endpoint itself
    {base}/sparql/description                   its SPARQL Service Description (the data service's
                                                dcat:endpointDescription)
    {base}/sparql/examples                      example queries (#name: one example)
    {base}/sparql/update                        SPARQL 1.1 Update (bearer token only)
    {base}/graph-store                          Graph Store Protocol (bearer token only); graphs
                                                under it are identified directly
    {base}/.well-known/void                     VoID of everything published (#all: the whole)
    {base}/datasets/{id}/void                   VoID of one dataset (#ruian-N: its links to RÚIAN)

The territorial codelist is the dataset ``uzemni-struktura-cr`` (``TERRITORY_ID``): metadata graph
``{base}/datasets/uzemni-struktura-cr``, data graph ``{base}/datasets/uzemni-struktura-cr/data``.
Its units keep their RÚIAN IRIs (``ruian()``), the same in every installation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from .errors import BadInput
from .namespaces import RUIAN

DATASET_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$")
TERRITORY_ID = "uzemni-struktura-cr"  # the dataset of the Czech territorial codelist


def ruian(segment: str, code: str) -> str:
    """The RÚIAN IRI of a territorial unit, e.g. ``ruian("vusc", "86")``."""
    return f"{RUIAN}{segment}/{code}"


def check_dataset_id(dataset_id: str) -> str:
    if not DATASET_ID.match(dataset_id or ""):
        raise BadInput(
            f"invalid dataset id {dataset_id!r}",
            where="--id",
            hint="use lower-case letters a-z, digits and '-', e.g. 'lekarska-pohotovost' "
            "(it becomes part of the dataset IRI)",
        )
    return dataset_id


@dataclass(frozen=True)
class Iris:
    base: str  # no trailing slash

    @classmethod
    def of(cls, settings) -> Iris:
        return cls(settings.base)

    # catalogue-wide
    @property
    def catalog(self) -> str:
        return f"{self.base}/catalog"

    @staticmethod
    def page(catalog: str, suffix: str, page: int) -> str:
        """One page of a catalogue (``catalog``: its IRI) in one RDF format (``ttl``)."""
        return f"{catalog}.{suffix}?page={page}"

    def publisher_catalog(self, ico: str) -> str:
        return f"{self.base}/publishers/{ico}/catalog"

    @property
    def sparql_endpoint(self) -> str:
        return f"{self.base}/sparql"

    @property
    def sparql_service(self) -> str:
        return f"{self.base}/services/sparql"

    @property
    def sparql_description(self) -> str:
        return f"{self.sparql_endpoint}/description"

    @property
    def sparql_examples(self) -> str:
        return f"{self.sparql_endpoint}/examples"

    def sparql_example(self, name: str) -> str:
        return f"{self.sparql_examples}#{name}"

    @property
    def sparql_update(self) -> str:
        return f"{self.sparql_endpoint}/update"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/graph-store"

    @property
    def void(self) -> str:
        """The VoID document of the whole installation (RFC 5785 well-known location)."""
        return f"{self.base}/.well-known/void"

    @property
    def void_all(self) -> str:
        """The void:Dataset of everything published here."""
        return f"{self.void}#all"

    def dataset_void(self, dataset_id: str) -> str:
        """The VoID document of one dataset (its void:Dataset is the dataset's own IRI)."""
        return f"{self.dataset(dataset_id)}/void"

    @property
    def datasets_prefix(self) -> str:
        return f"{self.base}/datasets/"

    @property
    def territory_dataset(self) -> str:
        """The territorial codelist's dataset IRI, also its metadata graph."""
        return self.dataset(TERRITORY_ID)

    @property
    def territory_graph(self) -> str:
        """The named graph holding the territorial codelist."""
        return self.data_graph(TERRITORY_ID)

    # per dataset
    def dataset(self, dataset_id: str) -> str:
        return f"{self.base}/datasets/{dataset_id}"

    def landing_page(self, dataset_id: str) -> str:
        """The dataset's HTML page, a document in its own right (``dcat:landingPage``)."""
        return f"{self.dataset(dataset_id)}.html"

    def metadata_graph(self, dataset_id: str) -> str:
        return self.dataset(dataset_id)

    def data_graph(self, dataset_id: str) -> str:
        return f"{self.dataset(dataset_id)}/data"

    def distribution(self, dataset_id: str, key: str) -> str:
        return f"{self.dataset(dataset_id)}/distributions/{key}"

    def record_service(self, dataset_id: str, key: str) -> str:
        """The data service of a metadata-only record's distribution ``key``."""
        return f"{self.distribution(dataset_id, key)}/service"

    def download(self, dataset_id: str, suffix: str) -> str:
        return f"{self.dataset(dataset_id)}/data.{suffix}"

    def table(self, dataset_id: str) -> str:
        """The dataset's table (csvw:Table in the data graph): the table in its CSV file."""
        return f"{self.download(dataset_id, 'csv')}#table"

    def table_schema(self, dataset_id: str) -> str:
        return f"{self.dataset(dataset_id)}/data.csv-metadata.json"

    def dataset_shapes(self, dataset_id: str) -> str:
        """The SHACL shapes of a dataset's data (a document; ``.ttl`` etc. are its forms)."""
        return f"{self.dataset(dataset_id)}/shapes"

    @staticmethod
    def shape(shapes: str, local: str) -> str:
        """One shape of the shapes document ``shapes``, e.g. ``…/shapes#rows``."""
        return f"{shapes}#{quote(local, safe='')}"

    def row_template(self, dataset_id: str) -> str:
        """CSVW aboutUrl template for the rows of a dataset's table."""
        return f"{self.dataset(dataset_id)}/rows/{{_row}}"

    def column(self, dataset_id: str, name: str) -> str:
        return f"{self.dataset(dataset_id)}/columns/{quote(name, safe='')}"

    def column_template(self, dataset_id: str) -> str:
        """CSVW propertyUrl template for the columns of a dataset's table."""
        return f"{self.dataset(dataset_id)}/columns/{{_name}}"

    def structure(self, dataset_id: str) -> str:
        """The qb:DataStructureDefinition of a dataset published as a Data Cube (two path
        segments below the dataset, as the resources the generic resource page serves)."""
        return f"{self.dataset(dataset_id)}/cube/structure"

    def measure(self, dataset_id: str, name: str) -> str:
        return f"{self.dataset(dataset_id)}/measures/{quote(name, safe='')}"

    def dimension(self, dataset_id: str, name: str) -> str:
        return f"{self.dataset(dataset_id)}/dimensions/{quote(name, safe='')}"

    def dataset_id_of(self, iri: str) -> str | None:
        """The dataset id of a dataset IRI or of any IRI below it."""
        if not iri.startswith(self.datasets_prefix):
            return None
        rest = iri[len(self.datasets_prefix) :]
        candidate = rest.split("/", 1)[0]
        return candidate if DATASET_ID.match(candidate) else None
