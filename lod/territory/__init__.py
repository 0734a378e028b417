"""The Czech territorial codelist: stát, regiony soudržnosti, kraje, okresy, ORP, POU and obce.

Built from ČSÚ "Struktura území ČR" (``vocab/territory/``), every unit named by its RÚIAN IRI.

- ``kinds``: the kinds of units and their code systems (tables);
- ``source``: reading and checking the ČSÚ file, one record per unit;
- ``codelist``: the codelist as N-Triples (SKOS + the ``uzemi:`` ontology);
- ``lookup``: an in-memory index (code of any system or name -> unit and RÚIAN IRI);
- ``dataset``: publishing the codelist as the catalogue dataset ``uzemni-struktura-cr``.
"""

from __future__ import annotations

from pathlib import Path

from .. import resources

SOURCE_FILE = "territory/struktura_uzemi_cr_2025.csv"
CSVW_FILE = "territory/struktura_uzemi_cr_metadata.json"
RECORD_FILE = "territory/uzemni-struktura-cr.yaml"


def default_source() -> Path:
    """The ČSÚ file shipped with lod."""
    return resources.vocab(SOURCE_FILE)
