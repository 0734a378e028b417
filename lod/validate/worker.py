"""Run a validation in a process of its own, and stop it when it runs too long.

A running pySHACL (or SPARQL) evaluation cannot be interrupted from Python: only ending the
process stops it. The service therefore validates in a child of a "forkserver" process that has
lod's validation modules, shapes and codelists already loaded (``warm``), so a child starts in
milliseconds, and kills the child after ``timeout`` seconds (``ValidationTimeout``, HTTP 503).
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable

from ..errors import LodError

_lock = threading.Lock()
_context = None


class ValidationTimeout(LodError):
    """A validation ran longer than ``LOD_VALIDATE_TIMEOUT`` and was stopped (HTTP 503)."""

    status = 503
    exit_code = 2


def warm() -> None:
    """Load what every validation needs once, in the forkserver (inherited by each child)."""
    from ..catalog import codelists
    from . import dcatap, profiles, schema, shacl

    shacl.shapes_graph()
    dcatap.shapes_graph(recommended=True)
    profiles.hvd_shapes()
    codelists.graph()
    codelists.describe(codelists.graph())
    for kind in schema.SCHEMAS:
        schema.validator(kind)


def _context_():
    global _context
    with _lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["lod.validate._warm"])
            _context = ctx
    return _context


def _child(conn, func, args, kwargs) -> None:
    try:
        conn.send(("ok", func(*args, **kwargs)))
    except LodError as exc:
        conn.send(("lod", exc))
    except BaseException:  # anything else: report it to the parent as an error
        conn.send(("crash", traceback.format_exc(limit=5)))
    finally:
        conn.close()


def run(func: Callable, *args, timeout: float, **kwargs):
    """``func(*args, **kwargs)`` in a child process; its result, or its LodError raised here.

    ``func`` and its arguments must be picklable (a module-level function, bytes, strings)."""
    ctx = _context_()
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, func, args, kwargs), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            raise ValidationTimeout(
                f"the validation did not finish within {timeout:g} s and was stopped",
                hint="validate a smaller document (one record rather than a whole dump), or "
                "raise LOD_VALIDATE_TIMEOUT",
            )
        try:
            status, value = parent.recv()
        except EOFError:
            raise LodError("the validation process ended without an answer") from None
    finally:
        parent.close()
        process.join(1)
        if process.is_alive():
            process.kill()
    if status == "ok":
        return value
    if status == "lod":
        raise value
    raise LodError(f"the validation failed: {value.strip().splitlines()[-1]}")
