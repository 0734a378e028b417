"""The embedded store: queries, atomic graph replacement, readers on checkpoints, recovery."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

from lod.formats import BY_NAME
from lod.store import GraphSource, QuerySyntaxError
from lod.store.embedded import EmbeddedStore

NT = BY_NAME["nt"]


def nt(*triples: tuple[str, str, str]) -> GraphSource:
    lines = "".join(f"<{s}> <{p}> {o} .\n" for s, p, o in triples)
    return GraphSource(NT, data=lines.encode())


def count(store, graph=None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}").rows())
    return int(rows[0]["n"])


def test_replace_graphs_and_query(store):
    store.replace_graphs(
        {
            "http://g/a": nt(
                ("http://s/1", "http://p", '"one"'), ("http://s/2", "http://p", '"two"')
            ),
            "http://g/b": nt(("http://s/3", "http://p", '"three"')),
        }
    )
    assert store.named_graphs() == ["http://g/a", "http://g/b"]
    # the default graph is the union of the named graphs
    assert count(store) == 3
    assert count(store, "http://g/a") == 2
    store.replace_graphs({"http://g/a": nt(("http://s/9", "http://p", '"nine"'))})
    assert count(store, "http://g/a") == 1
    assert count(store) == 2
    store.replace_graphs({"http://g/b": None})
    assert store.named_graphs() == ["http://g/a"]


def test_protocol_dataset_selection(store):
    store.replace_graphs(
        {
            "http://g/a": nt(("http://s/1", "http://p", '"a"')),
            "http://g/b": nt(("http://s/2", "http://p", '"b"')),
        }
    )
    result = store.query("SELECT ?o WHERE { ?s ?p ?o }", default_graphs=["http://g/b"])
    assert [str(r["o"]) for r in result.rows()] == ["b"]
    result = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=["http://g/a"])
    assert [str(r["g"]) for r in result.rows()] == ["http://g/a"]


def test_syntax_error_is_reported(store):
    with pytest.raises(QuerySyntaxError) as info:
        store.query("SELECT WHERE {")
    assert "1:" in str(info.value)  # line:column of the error


def test_result_serializations(store):
    store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"a"'))})
    result = store.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert b"http://s/1" in result.serialize(BY_NAME["csv"])
    assert store.query("ASK { ?s ?p ?o }").boolean is True
    graph = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert graph.kind == "graph"
    assert b"<http://s/1>" in graph.serialize(BY_NAME["nt"])


def test_dump_graph_and_dataset(store):
    store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"a"'))})
    out = io.BytesIO()
    store.dump(out, NT, graph="http://g/a")
    assert out.getvalue().strip() == b'<http://s/1> <http://p> "a" .'
    out = io.BytesIO()
    store.dump(out, NT)  # a dataset needs quads
    assert b"<http://g/a>" in out.getvalue()


def test_readers_see_a_write_all_at_once(settings):
    writer = EmbeddedStore(settings.home_path / "store")
    reader = EmbeddedStore(settings.home_path / "store")
    writer.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"old"'))})
    assert count(reader, "http://g/a") == 1
    with writer.writing() as rw:  # mid-write, the reader still sees the old checkpoint
        rw.update('INSERT DATA { GRAPH <http://g/a> { <http://s/2> <http://p> "new" } }')
        assert count(reader, "http://g/a") == 1
    assert count(reader, "http://g/a") == 2


def test_failed_write_leaves_previous_version(settings):
    store = EmbeddedStore(settings.home_path / "store")
    store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"old"'))})
    with pytest.raises(RuntimeError):
        with store.writing() as rw:
            rw.update("CLEAR ALL")
            raise RuntimeError("crash in the middle of a publish")
    assert count(store, "http://g/a") == 1
    # the next writer restores the primary from the last checkpoint before writing
    store.replace_graphs({"http://g/b": nt(("http://s/2", "http://p", '"b"'))})
    assert count(store, "http://g/a") == 1
    assert count(store, "http://g/b") == 1


def test_killed_writer_process_leaves_previous_version(settings):
    """A writer process that dies mid-write (no cleanup at all) changes nothing visible."""
    directory = settings.home_path / "store"
    store = EmbeddedStore(directory)
    store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"old"'))})
    script = textwrap.dedent(f"""
        import os
        from lod.store.embedded import EmbeddedStore
        store = EmbeddedStore({str(directory)!r})
        with store.writing() as rw:
            rw.update("CLEAR ALL")
            rw.flush()
            os._exit(9)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9
    assert count(store, "http://g/a") == 1
    store.replace_graphs({"http://g/b": nt(("http://s/2", "http://p", '"b"'))})
    assert count(store) == 2


def test_reader_in_another_process_follows_writes(settings):
    directory = settings.home_path / "store"
    store = EmbeddedStore(directory)
    store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", '"a"'))})
    script = textwrap.dedent(f"""
        from lod.store.embedded import EmbeddedStore
        store = EmbeddedStore({str(directory)!r})
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }}").rows()
        print(next(rows)["n"])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"
    store.replace_graphs({"http://g/b": nt(("http://s/2", "http://p", '"b"'))})
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "2"


def test_old_checkpoints_are_collected(settings):
    store = EmbeddedStore(settings.home_path / "store", grace=0)
    for i in range(4):
        store.replace_graphs({"http://g/a": nt(("http://s/1", "http://p", f'"{i}"'))})
    checkpoints = [p for p in store.checkpoints.iterdir() if p.is_dir()]
    assert len(checkpoints) == 1
    assert count(store) == 1
