"""Schema inference in one streaming pass, constant memory per column.

Each `ColumnGuess` keeps which datatypes every non-missing value so far fits; `describe`
turns that into a CSVW column description (datatype with format, null values, language).
Rules: a leading zero ("0042", "0000") or more than 15 digits keeps a code a string; Czech
decimal commas and space/NBSP thousands groups become number formats; Czech dates
(1.2.2024, 01.02.2024, 1. 2. 2024) become date formats; ano/ne and true/false become booleans.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter

MISSING = {"", "-"}
_INT = re.compile(r"-?\d+")
_LEADING_ZERO = re.compile(r"-?0\d")
_DEC = re.compile(r"-?\d+([.,])\d+")
_GROUPED = re.compile(r"-?\d{1,3}(?:([ \u00a0])\d{3})+(?:([.,])\d+)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2})(:\d{2})?")
_CZ_DATE = re.compile(r"(\d{1,2})\.( ?)(\d{1,2})\.( ?)(\d{4})(?: (\d{1,2}):(\d{2})(:\d{2})?)?")
_PHONE = re.compile(r"(?i)\b(telefon|tel|fax|phone|mobil|mobile|gsm)\b")
# Headers of identifiers: their digits are codes, not quantities ("Kód obce", "IČO", "PSČ",
# "Číslo popisné", "Paragraf (kód)", "SUBJEKT_IC"). Matched on the title without diacritics.
_IDENTIFIER = re.compile(
    r"\b(kod|kody|code|id|ic|ico|icz|dic|psc|zip|cislo|c p|oznaceni|identifikator|paragraf"
    r"|polozka|ruian|nuts|lau|izo|redizo)\b"
)
# What Excel makes of a long number it shows in scientific notation: 4.21E+11
_SCIENTIFIC = re.compile(r"-?\d+(?:[.,]\d+)?[eE][+-]\d+")
_SCIENTIFIC_LINE = re.compile(r"^-?\d+(?:[.,]\d+)?[eE][+-]\d+$", re.MULTILINE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_URLISH = re.compile(r"://|@|^www\.", re.I)
_BOOLEANS = [
    ("true", "false"),
    ("True", "False"),
    ("TRUE", "FALSE"),
    ("ano", "ne"),
    ("Ano", "Ne"),
    ("ANO", "NE"),
]


KNOWN = 1 << 14  # distinct values of a column remembered by its guess (memory stays bounded)


class ColumnGuess:
    __slots__ = (
        "known",
        "scientific_values",
        "seen",
        "dash",
        "number",
        "leading_zero",
        "too_long",
        "decimal_char",
        "group_char",
        "date",
        "date_shape",
        "short_day",
        "short_month",
        "short_hour",
        "boolean",
        "bool_values",
        "text",
        "scientific",
        "scientific_example",
    )

    def __init__(self):
        self.known: set[str] = set()  # values already added (up to KNOWN): adding again is a no-op
        self.scientific_values: set[str] = set()  # the known ones in scientific notation
        self.seen = 0
        self.dash = False
        self.number = self.date = self.boolean = True
        self.leading_zero = self.too_long = False
        self.decimal_char = self.group_char = None
        self.date_shape = None
        self.short_day = self.short_month = self.short_hour = False
        self.bool_values: set[str] = set()
        self.text = False
        self.scientific = 0
        self.scientific_example: tuple[int, str] | None = None

    @property
    def typed(self) -> bool:
        return self.number or self.date or self.boolean

    def add(self, value: str, row: int = 0) -> None:
        self.add_many([value], [row])

    def add_many(self, values: list[str], rows: list[int]) -> None:
        """Add a column's values of a batch of rows (their source row numbers in `rows`).
        What a value does to the guess depends only on the value and the guess, adding it
        again changes nothing but the counts, and the order of the values changes only parts
        of a guess that no longer matter (the decimal character of a column that is not a
        number): so each distinct value is classified once (the first KNOWN distinct values
        of a column are remembered across batches). tests/test_infer_batches.py checks that
        batches guess as values one by one."""
        stripped = list(map(str.strip, values))
        distinct = set(stripped)
        missing = distinct & MISSING
        if missing:
            self.dash = self.dash or "-" in missing
            distinct -= missing
            self.seen += len(stripped) - sum(map(stripped.count, missing))
        else:
            self.seen += len(stripped)
        known = self.known
        new = distinct - known
        if new and self._none_changes(new):
            if len(known) < KNOWN:
                known.update(list(new)[: KNOWN - len(known)])
            new = set()
        for v in new:
            if ("E" in v or "e" in v) and _SCIENTIFIC.fullmatch(v):
                self.scientific_values.add(v)
                first = (rows[stripped.index(v)], v)
                if self.scientific_example is None or first < self.scientific_example:
                    self.scientific_example = first  # the earliest (rows only grow)
            self._classify(v)
            if len(known) < KNOWN:
                known.add(v)
            elif v in self.scientific_values:  # not remembered: counted here, once
                self.scientific += stripped.count(v)
                self.scientific_values.discard(v)
        for v in self.scientific_values & distinct:
            self.scientific += stripped.count(v)

    def _none_changes(self, values: set[str]) -> bool:
        """Whether classifying ``values`` would change nothing (and none is in scientific
        notation), told by one regular expression over all of them: a column whose guess is
        settled (text; integers; decimals with their decimal character) need not look at its
        values one by one. False when unsure: then each is classified."""
        if self.date or self.boolean:
            return False  # a value may still narrow a date's shape or a boolean's pair
        joined = "\n".join(values)
        if not self.number:  # only `text` may change, from False to True
            return self.text and _SCIENTIFIC_LINE.search(joined) is None
        return (
            _settled_number(self.leading_zero, self.too_long, self.decimal_char).fullmatch(joined)
            is not None
        )

    def _classify(self, v: str) -> None:
        if self.number:
            self._number(v)
        if self.date:
            self._date(v)
        if self.boolean:
            self.bool_values.add(v)
            if len(self.bool_values) > 2 or not any(
                self.bool_values <= set(pair) for pair in _BOOLEANS
            ):
                self.boolean = False
        if not self.text and _looks_like_text(v):
            self.text = True

    def _number(self, v: str) -> None:
        if _INT.fullmatch(v):
            if _LEADING_ZERO.match(v):
                self.leading_zero = True
            if len(v.lstrip("-")) > 15:
                self.too_long = True
            return
        m = _DEC.fullmatch(v)
        if m:
            if _LEADING_ZERO.match(v):
                self.leading_zero = True
            self._decimal(m.group(1))
            return
        m = _GROUPED.fullmatch(v)
        if m:
            if self.group_char not in (None, m.group(1)):
                self.number = False
            self.group_char = m.group(1)
            if m.group(2):
                self._decimal(m.group(2))
            return
        self.number = False

    def _decimal(self, char: str) -> None:
        if self.decimal_char not in (None, char):
            self.number = False
        self.decimal_char = char

    def _date(self, v: str) -> None:
        shape, short = date_shape(v)
        if shape is not None and shape[0] == "cz":
            self.short_day |= short[0]
            self.short_month |= short[1]
            self.short_hour |= short[2]
        if shape is None or self.date_shape not in (None, shape):
            self.date = False
        self.date_shape = shape

    def describe(self, title: str = "") -> dict:
        """The inferred CSVW column properties (datatype and null values)."""
        out: dict = {}
        if self.dash:
            out["null"] = ["", "-"]
        datatype = self._datatype()
        if _PHONE.search(title) and datatype != "string" and self.number:
            datatype = "string"  # "495 484 187" is a phone number, not a quantity
        if datatype == "integer" and is_identifier(title):
            datatype = "string"  # "Kód obce" 569810 is a code, not a quantity
        out["datatype"] = datatype
        return out

    def _datatype(self):
        if not self.seen:
            return "string"
        if self.boolean:
            pair = next(p for p in _BOOLEANS if self.bool_values <= set(p))
            return (
                "boolean"
                if pair == ("true", "false")
                else {"base": "boolean", "format": "|".join(pair)}
            )
        if self.number and not self.leading_zero and not self.too_long:
            fmt = {}
            if self.decimal_char == ",":
                fmt["decimalChar"] = ","
            if self.group_char:
                fmt["groupChar"] = self.group_char
            base = "decimal" if self.decimal_char else "integer"
            return {"base": base, "format": fmt} if fmt else base
        if self.date and self.date_shape:
            return _date_datatype(self)
        return "string"


def date_shape(v: str) -> tuple[tuple | None, tuple[bool, bool, bool]]:
    """The shape of a date or date-time value (None: not a valid one) and whether its day,
    month and hour are written with one digit."""
    short = (False, False, False)
    try:
        if m := _ISO_DATE.fullmatch(v):
            dt.date(int(m[1]), int(m[2]), int(m[3]))
            return ("iso",), short
        if m := _ISO_DATETIME.fullmatch(v):
            dt.datetime(int(m[1]), int(m[2]), int(m[3]), int(m[5]), int(m[6]))
            return ("isotime", m[4], bool(m[7])), short
        if (m := _CZ_DATE.fullmatch(v)) and m[2] == m[4]:
            dt.date(int(m[5]), int(m[3]), int(m[1]))
            if m[6] is not None and int(m[6]) > 23:
                return None, short
            short = (len(m[1]) == 1, len(m[3]) == 1, m[6] is not None and len(m[6]) == 1)
            return ("cz", m[2] + m[4], m[6] is not None, bool(m[8])), short
    except ValueError:
        pass
    return None, short


def column_warnings(title: str, guess: ColumnGuess) -> list[str]:
    """What a steward should know about the guess of a column: numbers Excel mangled, and
    dates or numbers that a few values keep from being dates or numbers."""
    checks = (scientific_warning, date_warning, number_warning)
    return [w for check in checks if (w := check(title, guess))]


NEAR_MISS = 3  # values of the type at least, and 4 of 5 distinct values, to warn
MAX_NAMED = 3  # values a warning quotes


def date_warning(title: str, guess: ColumnGuess) -> str | None:
    """A text column whose values are nearly all dates of one format: the few others (an
    impossible date, another format, a word) keep it text. Told from the distinct values the
    guess remembers (not at all when it remembers too many to tell)."""
    if guess.describe(title)["datatype"] != "string" or len(guess.known) >= KNOWN:
        return None
    by_shape: dict[tuple, list[str]] = {}
    for value in guess.known:
        shape, _ = date_shape(value)
        if shape is not None:
            by_shape.setdefault(shape, []).append(value)
    if not by_shape:
        return None
    dates = max(by_shape.values(), key=len)
    sample = ColumnGuess()
    for value in dates:
        sample._date(value)
    datatype = _date_datatype(sample)
    fmt = datatype["format"] if isinstance(datatype, dict) else "ISO 8601"
    return _spoiled(
        title,
        guess,
        dates,
        f"dates ({fmt})",
        "correct those values (or leave them empty), or give the column its datatype in the "
        "CSVW schema",
    )


def number_warning(title: str, guess: ColumnGuess) -> str | None:
    """A text column whose values are nearly all numbers: the few others ("neuvedeno", "x",
    "1.5" among decimal commas) keep it text. Not for codes (leading zeros, identifier or
    phone titles), which are text on purpose."""
    if (
        guess.leading_zero
        or guess.too_long
        or is_identifier(title)
        or _PHONE.search(title)
        or guess.describe(title)["datatype"] != "string"
        or len(guess.known) >= KNOWN
    ):
        return None
    forms = {v: _number_form(v) for v in guess.known}
    chars = Counter(f for f in forms.values() if f)  # the decimal characters used
    char = chars.most_common(1)[0][0] if chars else ""
    numbers = [v for v, f in forms.items() if f in ("", char)]
    what = "numbers with a decimal comma" if char == "," else "numbers"
    return _spoiled(
        title,
        guess,
        numbers,
        what,
        'if they stand for "no value", add them to the column\'s null values in the CSVW '
        'schema ("null": ["", "-", …]), else correct them',
    )


def _number_form(v: str) -> str | None:
    """The decimal character of a number ("" for an integer); None for anything else."""
    if _INT.fullmatch(v):
        return ""
    if m := _DEC.fullmatch(v):
        return m[1]
    if m := _GROUPED.fullmatch(v):
        return m[2] or ""
    return None


def _spoiled(title: str, guess: ColumnGuess, typed: list[str], what: str, fix: str):
    """The warning for a column whose distinct values are nearly all `typed` (None when
    they are not: too few, or too many others)."""
    others = sorted(guess.known - set(typed))
    if not others or len(typed) < NEAR_MISS or len(typed) < 4 * len(others):
        return None
    named = ", ".join(map(repr, others[:MAX_NAMED])) + (" …" if len(others) > MAX_NAMED else "")
    return (
        f"column {title!r}: {len(typed)} of {len(guess.known)} distinct values are {what}, but "
        f"{len(others)} {'is' if len(others) == 1 else 'are'} not ({named}), so the column "
        f"stays text — {fix}"
    )


def is_identifier(title: str) -> bool:
    plain = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return bool(_IDENTIFIER.search(re.sub(r"[^a-z0-9]+", " ", plain)))


def scientific_warning(title: str, guess: ColumnGuess) -> str | None:
    """Excel turns long numbers (phones, codes) into 4.21E+11 and loses their digits."""
    if not guess.scientific:
        return None
    row, value = guess.scientific_example
    return (
        f"column {title!r}: {guess.scientific} value(s) in scientific notation, e.g. row {row}: "
        f"{value!r} — Excel turned long numbers into approximations and their digits are lost; "
        "re-export the column from the source as text"
    )


@functools.cache
def _settled_number(leading_zero: bool, too_long: bool, decimal: str | None) -> re.Pattern:
    """Values, one per line, that change nothing in a number guess with these flags: integers
    (with a leading zero or more than 15 digits only if the guess already has them) and, once
    the decimal character is known, decimals with it. Not numbers with groups."""
    first = r"\d" if leading_zero else r"(?:0(?!\d)|[1-9])"
    integer = rf"-?{first}\d*" if too_long else rf"-?{first}\d{{0,14}}(?!\d)"
    value = integer
    if decimal is not None:
        value = rf"(?:-?{first}\d*{re.escape(decimal)}\d+|{integer})"
    return re.compile(rf"{value}(?:\n{value})*")


def _looks_like_text(v: str) -> bool:
    """Natural-language text (worth a language tag): words with lower-case or accented
    letters, and a space or a non-ASCII letter; not URLs, e-mails, codes or WKT."""
    if not (" " in v or not v.isascii()) or _URLISH.search(v):
        return False
    return any(not w.isupper() or not w.isascii() for w in _WORD.findall(v))


def _date_datatype(g: ColumnGuess):
    shape = g.date_shape
    if shape[0] == "iso":
        return "date"
    if shape[0] == "isotime":
        _, sep, seconds = shape
        if sep == "T" and seconds:
            return "dateTime"
        return {"base": "dateTime", "format": f"yyyy-MM-dd{sep}HH:mm{':ss' if seconds else ''}"}
    _, spaces, has_time, seconds = shape
    day = "d" if g.short_day else "dd"
    month = "M" if g.short_month else "MM"
    sep = ". " if spaces else "."
    pattern = f"{day}{sep}{month}{sep}yyyy"
    if not has_time:
        return {"base": "date", "format": pattern}
    hour = "H" if g.short_hour else "HH"
    return {"base": "dateTime", "format": f"{pattern} {hour}:mm{':ss' if seconds else ''}"}


def clean_title(title: str) -> str:
    """Header text without NBSPs, repeated or surrounding whitespace."""
    return " ".join(title.replace("\u00a0", " ").split())


def slug(title: str) -> str:
    """ASCII snake_case of a title: "Kód obce" -> "kod_obce"."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


def column_names(titles: list[str]) -> list[str]:
    """Unique slugs; empty titles become column_N."""
    names, taken = [], set()
    for i, title in enumerate(titles, 1):
        base = slug(title) or f"column_{i}"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        names.append(name)
    return names
