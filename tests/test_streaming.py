"""Streamed loading and publishing: a table is converted, written and loaded in one pass; a big
graph is replaced by starting from a copy; all of it atomic, and the files and the store agree.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lod import allocator
from lod.formats import BY_NAME
from lod.publish import ingest, version_dir
from lod.rdfio import Serializer, inline, prefetched
from lod.store import GraphSource, loading
from lod.store.embedded import EmbeddedStore

from .test_validation import VALID

NT = BY_NAME["nt"]
CSVW = "http://www.w3.org/ns/csvw#"


def count(store, where: str = "GRAPH ?g { ?s ?p ?o }") -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows())
    return int(rows[0]["n"])


def rows_graph(n: int, label: str = "r") -> list[bytes]:
    """N-Triples of `n` rows, a chunk each; each row's blank node stays in its chunk."""
    return [
        f'<http://t> <{CSVW}row> _:{label}{i} .\n_:{label}{i} <{CSVW}rownum> "{i}" .\n'.encode()
        for i in range(n)
    ]


def named(graph: rdflib.Graph) -> set:
    """The triples with each blank node named after what it describes (a row) or the tables
    it holds (the table group): comparable as sets, as isomorphism of thousands is slow."""
    names = {}
    for node, target in graph.subject_objects(rdflib.URIRef(CSVW + "describes")):
        names[node] = rdflib.URIRef(f"{target}#row")
    for node, target in graph.subject_objects(rdflib.URIRef(CSVW + "table")):
        names[node] = rdflib.URIRef(f"{target}#group")
    return {tuple(names.get(term, term) for term in triple) for triple in graph}


def test_chunks_are_loaded_with_their_blank_nodes(settings, monkeypatch):
    monkeypatch.setattr(loading, "LOAD_BYTES", 100)  # many bulk_loads
    store = EmbeddedStore(settings.home_path / "store")
    store.replace_graphs({"http://g": GraphSource(NT, chunks=iter(rows_graph(50)))})
    assert count(store) == 100
    linked = f"GRAPH ?g {{ <http://t> <{CSVW}row> ?r . ?r <{CSVW}rownum> ?n }}"
    assert count(store, linked) == 50


class Recorder:
    """A store whose ``bulk_load`` keeps the pieces it is given; the first `LOADERS` pieces
    must be loaded at once (else the barrier breaks after 10 s); piece `fail_at` fails."""

    def __init__(self, fail_at: int | None = None):
        self.pieces: list[bytes] = []
        self.lock = threading.Lock()
        self.first = threading.Barrier(loading.LOADERS)
        self.fail_at = fail_at

    def bulk_load(self, data: bytes, *, format, to_graph) -> None:
        with self.lock:
            self.pieces.append(data)
            number = len(self.pieces)
        if number <= loading.LOADERS:
            self.first.wait(timeout=10)
        if number == self.fail_at:
            raise OSError("the disk is full")


def test_every_chunk_is_loaded_once_by_loaders_working_at_once(monkeypatch):
    monkeypatch.setattr(loading, "LOAD_BYTES", 100)
    chunks = rows_graph(200)
    store = Recorder()
    loading.load_chunks(store, iter(chunks), NT.rdf, ox.NamedNode("http://g"))
    assert sorted(b"".join(store.pieces).splitlines()) == sorted(b"".join(chunks).splitlines())
    assert all(len(piece) >= 100 for piece in store.pieces[:-1])
    assert len(store.pieces) > loading.LOADERS


def test_a_failing_load_stops_every_loader_and_the_producer(monkeypatch):
    monkeypatch.setattr(loading, "LOAD_BYTES", 100)
    made = []

    def chunks():
        for n in range(100_000):
            made.append(n)
            yield b"<http://s> <http://p> %d .\n" % n

    store = Recorder(fail_at=loading.LOADERS + 1)
    with pytest.raises(OSError, match="disk is full"):
        loading.load_chunks(store, chunks(), NT.rdf, ox.NamedNode("http://g"))
    assert len(store.pieces) <= 2 * loading.LOADERS + 1  # each loader stops after its piece
    assert len(made) < 1_000  # and the producer was told to stop


def test_a_failing_stream_changes_nothing(settings):
    store = EmbeddedStore(settings.home_path / "store")
    store.replace_graphs({"http://g": GraphSource(NT, chunks=iter(rows_graph(3)))})

    def failing():
        yield from rows_graph(10, "x")
        raise ValueError("the conversion failed")

    with pytest.raises(ValueError, match="conversion failed"):
        store.replace_graphs({"http://g": GraphSource(NT, chunks=failing())})
    assert count(store) == 6
    store.replace_graphs({"http://h": GraphSource(NT, chunks=iter(rows_graph(1)))})
    assert count(store) == 8


def endless(closed: threading.Event, *, say_inline: bool = False):
    """1, 2, 3, …; `closed` is set when the generator is closed."""
    try:
        if say_inline:
            inline()
        n = 0
        while True:
            n += 1
            yield n
    finally:
        closed.set()


@pytest.mark.parametrize("say_inline", [False, True])
def test_prefetched_stops_its_producer_when_the_consumer_stops(say_inline):
    closed = threading.Event()
    items = prefetched(endless(closed, say_inline=say_inline), may_inline=True)
    assert [next(items) for _ in range(5)] == [1, 2, 3, 4, 5]
    items.close()
    assert closed.is_set()


def test_serializer_writes_the_same_graph_as_turtle(tmp_path):
    chunks = rows_graph(20)
    with Serializer(tmp_path / "out.ttl", BY_NAME["ttl"], {"csvw": CSVW}) as ttl:
        for chunk in chunks:
            ttl.write(chunk)
    turtle = rdflib.Graph().parse(tmp_path / "out.ttl", format="turtle")
    ntriples = rdflib.Graph().parse(data=b"".join(chunks).decode(), format="nt")
    assert isomorphic(turtle, ntriples)
    assert "@prefix csvw:" in (tmp_path / "out.ttl").read_text()


def test_serializer_raises_what_went_wrong(tmp_path):
    with pytest.raises(SyntaxError):
        with Serializer(tmp_path / "out.ttl", BY_NAME["ttl"]) as ttl:
            ttl.write(b"<http://s> <http://p> broken .\n")


def test_replacing_a_big_graph_starts_from_a_copy(settings, monkeypatch):
    monkeypatch.setattr(loading, "COPY_FROM", 10)
    store = EmbeddedStore(settings.home_path / "store")
    store.replace_graphs(
        {
            "http://big": GraphSource(NT, chunks=iter(rows_graph(40))),
            "http://other": GraphSource(NT, data=b"".join(rows_graph(3, "o"))),
        }
    )
    copies = []
    monkeypatch.setattr(loading, "copy_graphs", lambda *a, **k: copies.append(1) or None)
    store.replace_graphs({"http://big": GraphSource(NT, data=b"".join(rows_graph(2, "n")))})
    assert copies == [], "40 quads to replace, 6 others: removing is cheaper"
    monkeypatch.undo()
    monkeypatch.setattr(loading, "COPY_FROM", 10)
    store.replace_graphs({"http://big": GraphSource(NT, chunks=iter(rows_graph(40)))})
    store.replace_graphs({"http://big": GraphSource(NT, chunks=iter(rows_graph(5, "n")))})
    assert not (store.directory / "primary.new").exists()
    assert count(store, "GRAPH <http://big> { ?s ?p ?o }") == 10
    # the other graph came through the copy with its blank nodes still linked
    linked = f"GRAPH <http://other> {{ <http://t> <{CSVW}row> ?r . ?r <{CSVW}rownum> ?n }}"
    assert count(store, linked) == 3


def test_a_writer_killed_while_copying_leaves_the_previous_version(settings):
    directory = settings.home_path / "store"
    store = EmbeddedStore(directory)
    store.replace_graphs({"http://big": GraphSource(NT, data=b"".join(rows_graph(30)))})
    script = textwrap.dedent(f"""
        import os
        import pyoxigraph as ox
        from lod.store import loading
        from lod.store.embedded import EmbeddedStore
        store = EmbeddedStore({str(directory)!r})
        with store.writing() as rw:
            fresh = ox.Store(str(store.copy))
            loading.copy_graphs(rw, fresh, skip=[ox.NamedNode("http://big")])
            rw.swap(fresh)
            fresh.flush()
            os._exit(9)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9, proc.stderr
    assert (directory / "primary.new").exists()
    assert count(store) == 60
    store.replace_graphs(
        {"http://b": GraphSource(NT, data=b"<http://s> <http://p> <http://o> .\n")}
    )
    assert count(store) == 61
    assert not (directory / "primary.new").exists()


def test_ingest_streams_the_table_into_the_store_and_the_files(store, settings):
    table = settings.home_path / "obce.csv"
    table.parent.mkdir(parents=True, exist_ok=True)
    rows = "".join(f"{569810 + i};Obec {i};{i},5\n" for i in range(3000))
    table.write_text("kod;nazev;podil\n" + rows, encoding="cp1250")
    result = ingest(store, settings, table, "obce", VALID)
    folder = version_dir(settings, "obce", result.version)
    data = store.graph(f"{settings.base}/datasets/obce/data")
    nt = rdflib.Graph().parse(folder / "data.nt", format="nt")
    ttl = rdflib.Graph().parse(folder / "data.ttl", format="turtle")
    assert len(data) == len(nt) == len(ttl) == result.triples == 3000 * 8 + 4
    assert named(data) == named(nt) == named(ttl)
    # data.ttl came from the converter's own Turtle: one statement a row, prefixed names
    text = (folder / "data.ttl").read_text(encoding="utf-8")
    assert text.count("\nrow:") == 3000
    assert '\nrow:1 col:kod "569810" ;\n\tcol:nazev "Obec 0"@cs ;\n\tcol:podil 0.5 .\n' in text
    # one table node (named, so that the chunks share no blank node) with every row
    table_node = rdflib.URIRef(f"{settings.base}/datasets/obce/data.csv#table")
    assert len(list(data.objects(table_node, rdflib.URIRef(CSVW + "row")))) == 3000


def test_prefetched_items_are_made_in_this_thread_once_the_producer_says_inline():
    made_in: list[int] = []

    def items():
        for n in range(8):
            made_in.append(threading.get_ident())
            if n == 3:
                inline()
            yield n

    assert list(prefetched(items(), may_inline=True)) == list(range(8))
    here = threading.get_ident()
    assert here not in made_in[:4] and made_in[5:] == [here] * 3  # item 4: either thread
    made_in.clear()
    assert list(prefetched(items())) == list(range(8))  # the consumer does not allow it
    assert here not in made_in


def test_prefetched_inline_raises_as_in_its_thread():
    def failing():
        inline()
        yield 1
        yield 2
        raise ValueError("bad row")

    items = prefetched(failing(), may_inline=True)
    assert next(items) == 1 and next(items) == 2
    with pytest.raises(ValueError, match="bad row"):
        next(items)
    assert inline() is None  # outside a producer: nothing to do


def test_each_load_gives_its_freed_memory_back(monkeypatch):
    loading.release_freed_memory()  # glibc's malloc_trim, called for real
    assert allocator._malloc_trim() is not None  # (glibc, as on the machines lod runs on)
    monkeypatch.setattr(loading, "LOAD_BYTES", 100)
    released = []
    monkeypatch.setattr(loading, "release_freed_memory", lambda: released.append(1))
    store = Recorder()
    loading.load_chunks(store, iter(rows_graph(50)), NT.rdf, ox.NamedNode("http://g"))
    assert len(released) == len(store.pieces) > loading.LOADERS
