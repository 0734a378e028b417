"""The benchmark table: realistic Czech columns, reproducible from a seed.

Ten columns, as a municipal or regional export has them: a record number, codes with leading
zeros (IČO, a budget item), municipality codes and names, integers, amounts with a decimal
comma, Czech dates and a free-text note (with quotes, commas and a few empty cells). Written
in Windows-1250 with ";" like Czech spreadsheet exports, or in UTF-8 with ",".

The territorial table (`write_territorial_table`) has codes of obce, ORP, okresy and kraje in
the code systems statistical exports use, for the linking benchmark.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HEADER = [
    "Číslo záznamu",
    "IČO",
    "Kód obce",
    "Obec",
    "Položka",
    "Rok",
    "Počet obyvatel",
    "Výdaje (Kč)",
    "Datum úhrady",
    "Poznámka",
]
OBCE = [
    ("569810", "Hradec Králové"),
    ("572659", "Jičín"),
    ("573868", "Náchod"),
    ("579025", "Trutnov"),
    ("576069", "Rychnov nad Kněžnou"),
    ("579084", "Dvůr Králové nad Labem"),
    ("574121", "Nové Město nad Metují"),
    ("576361", "Vamberk"),
    ("570508", "Hořice"),
    ("579203", "Hostinné"),
    ("573973", "Česká Skalice"),
    ("576514", "Žamberk"),
]
NOTES = [
    "úhrada faktury za služby",
    'oprava střechy, objekt "Radnice"',
    "dotace z rozpočtu kraje; 2. splátka",
    "nákup materiálu – kancelářské potřeby",
    "příspěvek na provoz, školní jídelna",
]
DAY0 = dt.date(2015, 1, 1)


def rows(count: int, seed: int = 7):
    """The header, then `count` rows of cells."""
    rng = random.Random(seed)
    yield HEADER
    for i in range(1, count + 1):
        kod, obec = OBCE[rng.randrange(len(OBCE))]
        day = DAY0 + dt.timedelta(days=rng.randrange(3650))
        note = rng.choice(NOTES) + f" č. {rng.randrange(1, 10**6)}" if rng.random() > 0.02 else ""
        yield [
            str(i),
            f"{rng.randrange(10**8):08d}",
            kod,
            obec,
            f"{rng.choice((5, 6))}{rng.randrange(1000):03d}",
            str(2015 + (day.year - 2015)),
            str(rng.randint(50, 95000)),
            f"{rng.randint(0, 10**7)},{rng.randint(0, 99):02d}",
            f"{day.day}. {day.month}. {day.year}",
            note,
        ]


TERRITORIAL_HEADER = [
    "Číslo záznamu",
    "Kód obce",
    "Obec",
    "Kód ORP",
    "Kód okresu",
    "Kraj",
    "Rok",
    "Počet obyvatel",
    "Výdaje (Kč)",
    "Poznámka",
]


def territorial_rows(count: int, seed: int = 7):
    """The header, then `count` rows about obce all over the country: the obec code (as
    RÚIAN and ČSÚ have it), its name, its ORP in ČSÚ's numbering (5205), its okres as NUTS
    (CZ0521) and its kraj's VÚSC code (86), as a national statistical export has them; a few
    codes are missing ("-")."""
    units = _units()
    rng = random.Random(seed)
    yield TERRITORIAL_HEADER
    for i in range(1, count + 1):
        obec, name, orp, okres, kraj = units[rng.randrange(len(units))]
        if rng.random() < 0.01:
            orp = "-"
        year = 2015 + rng.randrange(10)
        note = rng.choice(NOTES) if rng.random() > 0.02 else ""
        yield [
            str(i),
            obec,
            name,
            orp,
            okres,
            kraj,
            str(year),
            str(rng.randint(50, 95000)),
            f"{rng.randint(0, 10**7)},{rng.randint(0, 99):02d}",
            note,
        ]


def _units() -> list[tuple[str, ...]]:
    source = Path(__file__).resolve().parents[1] / "vocab/territory/struktura_uzemi_cr_2025.csv"
    with open(source, encoding="utf-8", newline="") as f:
        return [
            (
                r["obec_kod"],
                r["obec_text"],
                r["orp_csu_cis65_kod"],
                r["okres_csu_cis109_nuts_kod"],
                r["kraj_ruian_vusc_kod"],
            )
            for r in csv.DictReader(f)
        ]


def write_territorial_table(path: Path, count: int, seed: int = 7) -> None:
    """UTF-8 with "," (see `territorial_rows`)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(territorial_rows(count, seed))


def write_table(path: Path, count: int, *, czech_export: bool = True, seed: int = 7) -> None:
    """Windows-1250 with ";" and CRLF (a Czech Excel export), or UTF-8 with ","."""
    encoding, delimiter = ("cp1250", ";") if czech_export else ("utf-8", ",")
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows(count, seed))
