"""Every real Czech table in ../shared/reference/czech-datasets converts, with the types a
person would choose: codes (kód, IČO, PSČ, paragraf, položka, číslo popisné) stay text,
amounts with decimal commas are decimals, Czech dates are dates, phones stay text."""

from __future__ import annotations

import pytest
import rdflib

from lod.tabular import convert, infer_metadata

from .conftest import reference

DEC = "decimal"
INT = "integer"
STR = "string"
DATE = "date"
BOOL = "boolean"

# file -> {column title: expected base datatype}; every file of the folder is listed.
EXPECTED = {
    "cityvizor/00006947_budget_2016.csv": {
        "Paragraf (kód)": STR,
        "Položka (kód)": STR,
        "Schválený rozpočet": INT,
        "Rozpočet po změnách": DEC,
        "Výsledek od počátku roku": DEC,
    },
    "cityvizor/00241121_budget_2016.csv": {
        "Paragraf (kód)": STR,
        "Položka (kód)": STR,
        "Výsledek od počátku roku": DEC,
    },
    "cityvizor/00241121_expenditures_2016.csv": {
        "ID Akce": STR,
        "Název akce": STR,
        "Paragraf": STR,
        "Položka": STR,
        "Výdaj v CZK": INT,
    },
    "cityvizor/budget-items.csv": {"Položka": STR, "Název": STR, "Od": DATE, "Do": DATE},
    "cityvizor/budget-paragraph.csv": {"Paragraf": STR, "Název": STR, "Od": DATE, "Do": DATE},
    "cityvizor/raw_nmnm_MAP.csv": {
        "DOKLAD_ROK": INT,
        "CASTKA_CERPANI": DEC,
        "SOURADNICE_DELKA": DEC,
        "SOURADNICE_SIRKA": DEC,
    },
    "cityvizor/raw_nmnm_RU.csv": {
        "DOKLAD_DATUM": DATE,
        "DOKLAD_CISLO": STR,
        "PARAGRAF": STR,
        "POLOZKA": STR,
        "SUBJEKT_IC": STR,
        "CASTKA_MD": DEC,
        "CASTKA_DAL": DEC,
    },
    "krhk-2019-hackathon/LPS.csv": {
        "Telefon území KHK": STR,
        "Kód okresu": STR,
        "Kód obce": STR,
        "Název obce": STR,
        "Číslo popisné": STR,
    },
    "krhk-2019-hackathon/LPS_excel-mangled-phones.csv": {"Telefon území KHK": STR, "Kód obce": STR},
    "krhk-2019-hackathon/LSSP.csv": {"Datum": STR, "Kód obce": STR, "Telefon": STR},
    "krhk-2019-hackathon/Nasledna-pece.csv": {"Kód obce": STR, "PSČ": STR, "Telefon": STR},
    "krhk-2019-hackathon/Policie-CR.csv": {"Kód okresu": STR, "PSČ": STR, "WKT": STR, "Fax": STR},
    "krhk-2019-hackathon/Stanice-a-pracoviste-HZS.csv": {"Kód okresu": STR, "PSČ": STR, "GPS": STR},
    "krhk-2019-hackathon/lekarny.csv": {
        "Kód lékárny": STR,
        "IČZ": STR,
        "PSČ": STR,
        "Telefon": STR,
        "Fax": STR,
        "E-mail": STR,
    },
    "krhk-2019-hackathon/school-overview_cp1250.csv": {
        "Resortní identifikátor školy": STR,
        "Kód místa": STR,
        "Kód oboru vzdělání": STR,
        "Název oboru vzdělání": STR,
        "Počet žáků daného oboru": INT,
    },
    "krhk-2022-hackathon/IredoBusStops.csv": {
        "kod_vusc": STR,
        "kod_okresu": STR,
        "kod_orp": STR,
        "kod_obce": STR,
        "x": DEC,
        "y": DEC,
    },
    "krhk-2022-hackathon/IredoTrainStops.csv": {"oznaceni": STR, "kod_obce": STR, "x": DEC},
    "krhk-2023-hackathon/mos_ukaz.csv": {"kodukaz": STR, "nazev": STR, "verifikace_csu": BOOL},
    "krhk-2023-hackathon/skoly.json": {
        "ico": STR,
        "redizo": STR,
        "izo": STR,
        "obor_kod": STR,
        "kod_obce": STR,
        "psc": STR,
        "pocet_nabizenych_mist": INT,
        "rocni_skolne": INT,
        "x": DEC,
        "y": DEC,
    },
    "krhk-2023-hackathon/ubytovani.json": {
        "ico": STR,
        "kod_obce": STR,
        "pocet_luzkove_kapacity": INT,
        "x": DEC,
    },
}
# CSVW metadata documents whose data files are not in the reference folder (> 4 MB each).
METADATA_ONLY = {
    "csvw-metadata-only/130141-22schema2021.json",
    "csvw-metadata-only/narodni-registr-poskytovatelu-zdravotnich-sluzeb.csv-metadata.json",
}


def base(datatype) -> str:
    return datatype if isinstance(datatype, str) else datatype.get("base", "string")


def test_every_file_is_covered():
    folder = reference("czech-datasets")
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    files.discard("SOURCES.md")
    assert files == set(EXPECTED) | METADATA_ONLY


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_converts_with_the_types_a_person_would_choose(name):
    path = reference("czech-datasets", name)
    warnings: list[str] = []
    metadata = infer_metadata(path, table_url="https://data.example.cz/t.csv", warnings=warnings)
    types = {c["titles"]: base(c["datatype"]) for c in metadata["tableSchema"]["columns"]}
    wanted = EXPECTED[name]
    assert {t: types.get(t) for t in wanted} == wanted
    graph = rdflib.Graph()
    graph.parse(data="".join(convert(path, metadata=metadata)), format="nt")
    rows = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/csvw#Row")))
    assert len(rows) > 0


def test_excel_mangled_phones_are_reported():
    warnings: list[str] = []
    infer_metadata(
        reference("czech-datasets", "krhk-2019-hackathon", "LPS_excel-mangled-phones.csv"),
        table_url="https://data.example.cz/t.csv",
        warnings=warnings,
    )
    warning = next(w for w in warnings if "scientific notation" in w)
    assert "'Telefon území KHK'" in warning and "row 2" in warning and "4.21E+11" in warning


def test_real_codes_are_not_taken_for_excel_numbers():
    warnings: list[str] = []
    infer_metadata(
        reference("czech-datasets", "krhk-2019-hackathon", "school-overview_cp1250.csv"),
        table_url="https://data.example.cz/t.csv",
        warnings=warnings,
    )
    assert not any("scientific notation" in w for w in warnings)  # "4152E01" is a field code
