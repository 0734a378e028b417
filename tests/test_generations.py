"""Values derived from the store are computed once per store generation (lod/generations.py),
and the catalogue's RDF pages with them."""

from __future__ import annotations

import threading
import time

from lod.generations import PerGeneration
from lod.publish import ingest
from tests.test_ingest import TABLE, VALID


class FakeStore:
    def __init__(self, gen="1"):
        self.gen = gen

    def generation(self):
        return self.gen


class Remote:  # a store that cannot tell its generation
    pass


def test_computed_once_per_generation():
    cache, store, calls = PerGeneration(), FakeStore(), []

    def compute():
        calls.append(store.gen)
        return f"value of {store.gen}"

    assert cache.get(store, "k", compute) == "value of 1"
    assert cache.get(store, "k", compute) == "value of 1"
    assert calls == ["1"]
    store.gen = "2"  # something was published
    assert cache.get(store, "k", compute) == "value of 2"
    assert cache.get(store, "k", compute) == "value of 2"
    assert calls == ["1", "2"]
    assert cache.get(store, "other key", compute) == "value of 2"
    assert calls == ["1", "2", "2"]


def test_a_new_generation_drops_the_old_values():
    cache, store = PerGeneration(), FakeStore()
    for key in range(5):
        cache.get(store, key, lambda: "old")
    store.gen = "2"
    cache.get(store, "new", lambda: "new")
    assert len(cache._values) == 1


def test_at_most_entries_values_least_recently_used_out():
    cache, store, calls = PerGeneration(entries=2), FakeStore(), []
    for key in ["a", "b", "a", "c", "a", "b"]:
        cache.get(store, key, lambda k=key: calls.append(k) or k)
    assert calls == ["a", "b", "c", "b"]  # "b" went when "c" came; "a" was used since


def test_concurrent_requests_wait_for_one_computation():
    cache, store, calls = PerGeneration(), FakeStore(), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "done"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get(store, "k", slow)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["done"] * 4 and calls == [1]


def test_without_a_generation_kept_for_ttl_seconds_or_not_at_all(monkeypatch):
    store, calls = Remote(), []
    kept = PerGeneration(ttl=600.0)
    kept.get(store, "k", lambda: calls.append(1))
    kept.get(store, "k", lambda: calls.append(1))
    assert calls == [1]
    now = time.monotonic()
    monkeypatch.setattr("lod.generations.time.monotonic", lambda: now + 601)
    kept.get(store, "k", lambda: calls.append(1))
    assert calls == [1, 1]
    never = PerGeneration(ttl=None)
    never.get(store, "k", lambda: calls.append(2))
    never.get(store, "k", lambda: calls.append(2))
    assert calls == [1, 1, 2, 2]


def test_catalogue_rdf_pages_follow_what_is_published(store, settings, client):
    ingest(store, settings, TABLE, "rozpocet", VALID)
    first = client.get("/catalog.ttl")
    assert first.status_code == 200 and b"/datasets/rozpocet>" in first.data
    assert client.get("/catalog.ttl").data == first.data  # (from the cache)
    ingest(store, settings, TABLE, "rozpocet-2", VALID)
    again = client.get("/catalog.ttl")
    assert b"/datasets/rozpocet-2>" in again.data and b"/datasets/rozpocet>" in again.data
    nt = client.get("/catalog.nt")
    assert b"/datasets/rozpocet-2>" in nt.data
