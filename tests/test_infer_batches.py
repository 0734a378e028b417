"""Column guesses made a batch at a time, each distinct value classified once
(`ColumnGuess.add_many`), equal those made value by value, whatever the batch size and however
many distinct values the guess remembers (`infer.KNOWN`)."""

from __future__ import annotations

import random

import pytest

from lod.tabular import infer
from lod.tabular.infer import ColumnGuess

ALWAYS = ["seen", "dash", "number", "date", "boolean", "text"]
ALWAYS += ["scientific", "scientific_example"]
WHILE = {  # parts of a guess that matter only while it is still possible (order may differ)
    "number": ["decimal_char", "group_char", "leading_zero", "too_long"],
    "date": ["date_shape", "short_day", "short_month", "short_hour"],
    "boolean": ["bool_values"],
}


def state(guess: ColumnGuess) -> dict:
    names = ALWAYS + [n for flag, more in WHILE.items() if getattr(guess, flag) for n in more]
    return {name: getattr(guess, name) for name in names}


def column(seed: int, size: int = 3000) -> list[str]:
    rng = random.Random(seed)
    pools = [
        ["", "-", " ", "1", "02", "1 234,5", "7,25", "1. 2. 2024", "4.21E+11", "4,21e+11"],
        [str(rng.randrange(100)) for _ in range(20)],
        ["ano", "ne", "Ano", "true", "x y", "Hradec Králové", "2024-01-31", "12:30"],
        [f"{rng.randrange(10**6)},{rng.randrange(100):02d}" for _ in range(50)],
        [
            f"{rng.randint(1, 28)}. {rng.randint(1, 12)}. {rng.randint(1990, 2030)}"
            for _ in range(50)
        ],
    ]
    kinds = rng.sample(pools, rng.randint(1, 2))
    values = [rng.choice(rng.choice(kinds)) for _ in range(size)]
    return [f" {v}" if rng.random() < 0.05 else v for v in values]


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("known", [1 << 14, 3])
def test_batches_guess_as_values_one_by_one(seed, known, monkeypatch):
    monkeypatch.setattr(infer, "KNOWN", known)
    values = column(seed)
    rows = list(range(2, len(values) + 2))
    one = ColumnGuess()
    for value, row in zip(values, rows, strict=True):
        one.add(value, row)
    for size in (7, 1000, len(values)):
        many = batched(ColumnGuess(), values, size)
        assert state(many) == state(one), size
        assert many.describe("x") == one.describe("x")


def settled(base: str, change: str | None, seed: int, size: int = 30_000) -> list[str]:
    """A column of many distinct values (more than a guess remembers) of kind `base`, whose
    guess settles early, with the value `change` near the end (None: no change)."""
    rng = random.Random(seed)
    if base == "text":
        values = [f"položka č. {rng.randrange(10**9)}" for _ in range(size)]
    elif base == "decimal":
        values = [f"{rng.randrange(1, 10**6)},{rng.randrange(100):02d}" for _ in range(size)]
        values[3] = "0,5"
    else:
        values = [str(rng.randrange(1, 10**9)) for _ in range(size)]
        values[3] = "0"
    if change is not None:
        values[size - 10] = change
    return values


def batched(guess: ColumnGuess, values: list[str], size: int = 4096) -> ColumnGuess:
    rows = list(range(2, len(values) + 2))
    for start in range(0, len(values), size):
        guess.add_many(values[start : start + size], rows[start : start + size])
    return guess


LATE = [
    ("integer", "0042"),  # a leading zero: a code
    ("integer", "1234567890123456"),  # too long for a number
    ("integer", "12,5"),
    ("integer", "dvanáct"),
    ("integer", "4.21E+11"),
    ("integer", None),
    ("decimal", "12.5"),  # the other decimal character
    ("decimal", "01,5"),
    ("decimal", "1 234,5"),
    ("decimal", "-7"),
    ("decimal", None),
    ("text", "4,21e+11"),  # Excel's scientific notation, counted for the warning
    ("text", "a\n4,21e+11"),
    ("text", None),
]


@pytest.mark.parametrize(("base", "change"), LATE)
def test_settled_columns_guess_as_if_every_value_was_classified(base, change, monkeypatch):
    """A settled guess (integers, decimals, text) checks a whole batch with one regular
    expression instead of classifying each value: the guess is the same, whatever comes late."""
    values = settled(base, change, seed=len(LATE))
    fast = batched(ColumnGuess(), values)
    monkeypatch.setattr(ColumnGuess, "_none_changes", lambda self, values: False)
    each = batched(ColumnGuess(), values)
    assert state(fast) == state(each)
    assert fast.describe("x") == each.describe("x")


@pytest.mark.parametrize(
    ("base", "datatype"),
    [
        ("integer", "integer"),
        ("decimal", {"base": "decimal", "format": {"decimalChar": ","}}),
        ("text", "string"),
    ],
)
def test_a_settled_column_classifies_few_of_its_values(base, datatype, monkeypatch):
    classified = []
    classify = ColumnGuess._classify
    monkeypatch.setattr(
        ColumnGuess, "_classify", lambda self, v: classified.append(v) or classify(self, v)
    )
    guess = batched(ColumnGuess(), settled(base, None, seed=3))
    assert guess.describe("x")["datatype"] == datatype
    assert len(classified) <= 4096  # the first batch, until the guess settles
