"""The benchmark table: realistic Czech columns, reproducible from a seed.

Ten columns, as a municipal or regional export has them: a record number, codes with leading
zeros (IČO, a budget item), municipality codes and names, integers, amounts with a decimal
comma, Czech dates and a free-text note (with quotes, commas and a few empty cells). Written
in Windows-1250 with ";" like Czech spreadsheet exports, or in UTF-8 with ",".
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


def write_table(path: Path, count: int, *, czech_export: bool = True, seed: int = 7) -> None:
    """Windows-1250 with ";" and CRLF (a Czech Excel export), or UTF-8 with ","."""
    encoding, delimiter = ("cp1250", ";") if czech_export else ("utf-8", ",")
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows(count, seed))
