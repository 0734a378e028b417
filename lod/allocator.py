"""glibc's malloc, tuned where a command's pattern of memory use asks for it. With another C
library (no such function) nothing changes."""

from __future__ import annotations

import ctypes
from functools import cache


def _glibc(name: str):
    """The C library's function `name`, or None where it has none."""
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):
        return None


def keep_freed_memory() -> None:
    """glibc's malloc in this process: blocks up to 4 MB come from the heap, and up to 64 MB
    freed at its top stay there (M_MMAP_THRESHOLD, M_TRIM_THRESHOLD), instead of memory
    returned to the system after each batch and faulted in again for the next one. For
    `lod convert` (bench/: 40,000 page faults down to 16,000, about 10-20 % less CPU, the
    same peak). Not for `lod ingest`, whose store keeps more memory that way."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return
    mallopt(-3, 4 << 20)  # M_MMAP_THRESHOLD
    mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD


@cache
def _malloc_trim():
    return _glibc("malloc_trim")


def release_freed_memory() -> None:
    """Give the memory freed so far back to the system (glibc's ``malloc_trim``). glibc keeps
    what threads free in their own arenas for later; `lod ingest`'s loader threads then grew
    the process instead of reusing it, and the peak of a long load rose with it: the bench's
    100,000 rows 205-220 MB without, 183-189 MB with a trim after each ``bulk_load``, at the
    same speed (alternating runs; lod/store/loading.py)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
