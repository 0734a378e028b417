"""Public SPARQL query evaluation: isolated, time-limited, admission-controlled.

``engine_for(settings, store)`` gives the engine behind ``/sparql``: a pool of worker processes
for the embedded store (``pool.py``, ``worker.py``), the store's own ``query`` for any other
store. The pool engine keeps small answers in a result cache until the next publish
(``cache.py``) and answers lookups of one triple pattern itself, from an in-memory copy of the
store (``inline.py``). Catalogue pages and other in-process reads keep using the Store protocol
directly.
"""

from __future__ import annotations

import atexit

_registered = False


def engine_for(settings, store):
    """The query engine for ``store``: a ``PoolEngine`` for the embedded store, else a
    ``StoreEngine`` forwarding to ``store.query`` with the time limit."""
    global _registered
    from ..store.embedded import EmbeddedStore
    from .engine import PoolEngine, StoreEngine

    if not _registered:
        from .pool import close_all

        atexit.register(close_all)
        _registered = True
    if isinstance(store, EmbeddedStore):
        return PoolEngine(settings, store.directory)
    return StoreEngine(settings, store)
