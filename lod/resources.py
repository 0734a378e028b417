"""Where the shipped folders live: ``shapes/``, ``vocab/``, ``templates/``, ``demo/``.

In a checkout (or an editable install) they are at the top of the repository; in a wheel they
are installed inside the package as ``lod/_share/<name>`` (see pyproject.toml).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def folder(name: str) -> Path:
    for candidate in (_PACKAGE / "_share" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"lod is installed without its {name}/ folder")


def shapes(name: str = "") -> Path:
    return folder("shapes") / name


def vocab(name: str = "") -> Path:
    return folder("vocab") / name


def templates() -> Path:
    return folder("templates")


def demo(name: str = "") -> Path:
    return folder("demo") / name
