"""The wire between the web process and a query worker.

To the worker: one job per line, as JSON. From the worker: frames of one type byte, a 4-byte
big-endian length and the payload::

    R  ready (JSON: pid)                 sent once, when the worker can take jobs
    H  header (JSON: ok, kind, rows, truncated, size | ok false, error, message)
    D  a chunk of the serialized result  (``size`` bytes in all)
    E  end of the result
"""

from __future__ import annotations

import json
import math
import os
import selectors
import struct
import time
from typing import IO

READY, HEADER, DATA, END = b"R", b"H", b"D", b"E"
_HEAD = struct.Struct(">cI")
CHUNK = 256 * 1024


class WorkerGone(Exception):
    """The worker closed its pipe (it died)."""


class TimedOut(Exception):
    """No frame arrived before the deadline."""


def frame(kind: bytes, payload: bytes | dict) -> bytes:
    if isinstance(payload, dict):
        payload = json.dumps(payload).encode()
    return _HEAD.pack(kind, len(payload)) + payload


def send(out: IO[bytes], kind: bytes, payload: bytes | dict) -> None:
    out.write(frame(kind, payload))
    out.flush()


class FrameReader:
    """Reads frames from a worker's stdout, never waiting past a deadline."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()
        self.selector = selectors.DefaultSelector()
        self.selector.register(fd, selectors.EVENT_READ)

    def close(self) -> None:
        self.selector.close()

    def _fill(self, size: int, deadline: float | None) -> None:
        while len(self.buffer) < size:
            timeout = None if deadline in (None, math.inf) else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                raise TimedOut
            if not self.selector.select(timeout):
                raise TimedOut
            chunk = os.read(self.fd, max(65536, size - len(self.buffer)))
            if not chunk:
                raise WorkerGone
            self.buffer += chunk

    def read(self, deadline: float | None = None) -> tuple[bytes, bytes]:
        self._fill(_HEAD.size, deadline)
        kind, length = _HEAD.unpack_from(self.buffer)
        self._fill(_HEAD.size + length, deadline)
        payload = bytes(self.buffer[_HEAD.size : _HEAD.size + length])
        del self.buffer[: _HEAD.size + length]
        return kind, payload

    def read_json(self, expected: bytes, deadline: float | None = None) -> dict:
        kind, payload = self.read(deadline)
        if kind != expected:
            raise WorkerGone(f"expected frame {expected!r}, got {kind!r}")
        return json.loads(payload)
