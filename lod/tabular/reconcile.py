"""Name reconciliation: a municipality's name, and the rest of its row, to one obec code.

Names are compared case-, diacritics- and space-insensitively (``lookup.normalize_name``:
"Hradec Kralove" is Hradec Králové). A name of several obce (five are called Borovnice) is
told apart by the other columns of the row that `linking` found: an okres, ORP, POU or kraj
(by code or by name), which must fit, and then a PSČ (the obce a postcode serves), which only
breaks a tie: postcodes of post offices and P.O. boxes are often not an obec's own. A row is
linked only when exactly one obec fits; otherwise it is reported with its candidates (name,
okres, code) and its derived cell stays empty: never a guess.
"""

from __future__ import annotations

from functools import lru_cache

from ..territory.lookup import normalize_name
from .infer import MISSING

CANDIDATES_SHOWN = 6
_CONTEXT_NAMES = {"psc": "PSČ", "pou": "POU", "orp": "ORP", "okres": "okres", "kraj": "kraj"}
_KRAJ_WORDS = {"kraj", "hlavni", "mesto"}


def units_named(index, value: str, kind: str) -> list:
    """Units of ``kind`` named ``value``; kraje also without the word "kraj" ("Vysočina")."""
    units = index.by_name(value, kind)
    if units or kind != "kraj":
        return units
    return kraje_named(index, value)


def kraje_named(index, value: str) -> list:
    return list(_kraje(index).get(_short(normalize_name(value)), ()))


@lru_cache(maxsize=4)
def _kraje(index) -> dict[str, list]:
    out: dict[str, list] = {}
    for unit in index.units("kraj"):
        out.setdefault(_short(normalize_name(unit.name)), []).append(unit)
    return out


def _short(name: str) -> str:
    return " ".join(w for w in name.split() if w not in _KRAJ_WORDS)


def candidates_text(units: list) -> str:
    shown = ", ".join(
        f"{u.name} {u.code} (okres {u.okres.name})" if u.okres else f"{u.name} {u.code}"
        for u in units[:CANDIDATES_SHOWN]
    )
    more = len(units) - CANDIDATES_SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


class Reconciler:
    """``reconciler((name, *context values))`` -> (obec code or "", problem or None)."""

    def __init__(self, index, link):
        self.index, self.link = index, link
        self.allowed: dict[tuple[int, str], set[str] | None] = {}

    def __call__(self, key: tuple[str, ...]) -> tuple[str, str | None]:
        name = key[0].strip()
        if name in MISSING:
            return "", None
        column = f"column {self.link.title!r}"
        candidates = self.index.by_name(name)
        if not candidates:
            return "", (
                f"{column}: no obec is named {name!r}; not linked"
                " — check the spelling, or give the obec code in a column"
            )
        kept, told, postcodes = candidates, [], []
        for position, (context, raw) in enumerate(zip(self.link.context, key[1:], strict=True)):
            value = raw.strip()
            if value in MISSING:
                continue
            allowed = self._allowed(position, context, value)
            if allowed is None:
                continue  # an unknown okres, kraj or PSČ tells nothing
            if context.kind == "psc":
                postcodes.append((value, allowed))
                continue
            told.append(f"{_CONTEXT_NAMES[context.kind]} {value!r}")
            kept = [u for u in kept if u.within[context.kind].code in allowed]
        for value, allowed in postcodes if len(kept) > 1 else ():
            narrowed = [u for u in kept if u.code in allowed]
            if narrowed:
                told.append(f"PSČ {value!r}")
                kept = narrowed
        if len(kept) == 1:
            return kept[0].code, None
        if not kept:
            return "", (
                f"{column}: no obec {name!r} with {' and '.join(told)}; not linked"
                f" — the obce of that name: {candidates_text(candidates)}"
            )
        hint = (
            "check the other columns of the row"
            if told
            else "add a column with the okres, ORP or PSČ, or with the obec code"
        )
        return "", (
            f"{column}: {name!r} is the name of {len(kept)} obce: {candidates_text(kept)};"
            f" not linked — {hint}"
        )

    def _allowed(self, position: int, context, value: str) -> set[str] | None:
        key = (position, value)
        if key not in self.allowed:
            if context.kind == "psc":
                units = self.index.by_postcode(value)
            elif context.system is None:
                units = units_named(self.index, value, context.kind)
            else:
                unit = self.index.get(context.kind, value, context.system)
                units = [unit] if unit else []
            self.allowed[key] = {u.code for u in units} or None
        return self.allowed[key]
