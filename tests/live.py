"""A real `lod serve` on a free loopback port, for tests that talk HTTP to the product."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def lod_serve(env: dict, log: Path, *args: str, timeout: float = 60) -> Iterator[str]:
    """`lod serve` with ``env`` (and extra ``args``) until it answers /catalog; yields its base
    URL; stops it afterwards. Its output goes to ``log``, shown if it does not start."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lod", "serve", "--port", str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(url + "/catalog", timeout=2)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(Path(log).read_text(errors="replace")) from None
                time.sleep(0.1)
        try:
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
