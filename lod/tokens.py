"""Bearer tokens for the write API (SPARQL Update and the Graph Store Protocol).

A token is 32 random bytes (URL-safe base64, prefixed ``lod_``), shown once when it is created;
only its SHA-256 is stored, in ``LOD_HOME/tokens.json`` (mode 0600), with its name and creation
time. A plain hash is enough for a random 256-bit secret (nothing to guess), and it makes a check
one dictionary lookup. Without any token the write API is disabled.

``lod token create NAME | list | revoke NAME`` manage them; the web app re-reads the file when
it changes, so a revoked token stops working at once, without a restart.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .errors import BadInput, NotFound

PREFIX = "lod_"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Token:
    name: str
    digest: str  # hex SHA-256 of the token
    created: str  # ISO 8601, UTC


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Tokens:
    """The token file of one ``LOD_HOME``."""

    def __init__(self, home: Path):
        self.path = Path(home) / "tokens.json"
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._cached: list[Token] = []

    def all(self) -> list[Token]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        with self._lock:
            if stamp != self._stamp:
                data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
                self._cached = [Token(**t) for t in data.get("tokens", [])]
                self._stamp = stamp
            return list(self._cached)

    @property
    def enabled(self) -> bool:
        """Whether writes are possible at all (at least one token exists)."""
        return bool(self.all())

    def check(self, token: str | None) -> Token | None:
        """The token's record if ``token`` is valid, else None."""
        if not token:
            return None
        digest = _digest(token)
        for known in self.all():
            if hmac.compare_digest(known.digest, digest):
                return known
        return None

    def create(self, name: str) -> str:
        """Create a token named ``name``; returns the token itself (the only time it is seen)."""
        if not NAME.match(name or ""):
            raise BadInput(
                f"invalid token name {name!r}",
                hint="use letters, digits, '.', '_' or '-' (up to 64), e.g. 'harvest-bot'",
            )
        with self._exclusive():
            tokens = self.all()
            if any(t.name == name for t in tokens):
                raise BadInput(
                    f"a token named {name!r} exists already",
                    hint=f"revoke it first (lod token revoke {name}) or choose another name",
                )
            secret = PREFIX + secrets.token_urlsafe(32)
            created = datetime.now(UTC).replace(microsecond=0).isoformat()
            self._write([*tokens, Token(name, _digest(secret), created)])
        return secret

    def revoke(self, name: str) -> None:
        with self._exclusive():
            tokens = self.all()
            kept = [t for t in tokens if t.name != name]
            if len(kept) == len(tokens):
                raise NotFound(f"no token named {name!r}", hint="see `lod token list`")
            self._write(kept)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One changer of the token file at a time (two `lod token create` at once)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name("tokens.lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self._lock:
                    self._stamp = None  # re-read under the lock
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, tokens: list[Token]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"tokens": [t.__dict__ for t in tokens]}
        tmp = self.path.with_name(f".tokens.{os.getpid()}.json")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
        os.replace(tmp, self.path)
        with self._lock:
            self._stamp = None


def tokens_of(settings) -> Tokens:
    return Tokens(settings.home_path)
