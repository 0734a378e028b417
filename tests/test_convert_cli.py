"""`lod convert` on W3C CSVW suite cases: --url, --map, --link-header, --metadata, --lenient,
and its exit codes (0 converted, 1 errors in the table or metadata, 2 unreadable or usage)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rdflib.compare import isomorphic

from lod.cli import main

from .test_tabular_csvw_suite import BASE, SUITE, WELL_KNOWN, expected_graph, parse

# a missing suite fails these tests, never skips them
SUITE_MAP = f"{BASE}={SUITE}"


def lod(*args):
    result = CliRunner().invoke(main, ["convert", *map(str, args)], catch_exceptions=False)
    return result


def graph_of(result):
    assert result.exit_code == 0, result.stderr
    return parse(result.stdout)


def expected(result_path: str):
    return expected_graph({"result": result_path})


def test_csv_with_url_and_link_header():
    """test014: the Link header names the metadata; --url places the file on w3.org, and the
    files beside it stand for the URLs beside that."""
    result = lod(
        SUITE / "test014" / "tree-ops.csv",
        "--url",
        BASE + "test014/tree-ops.csv",
        "--link-header",
        '<linked-metadata.json>; rel="describedby"; type="application/csvm+json"',
        "-f",
        "nt",
    )
    assert isomorphic(graph_of(result), expected("test014/result.ttl"))


def test_metadata_document_as_table_with_map():
    """test011: TABLE is the metadata; the mapped folder gives it its w3.org URL."""
    result = lod(SUITE / "test011" / "tree-ops.csv-metadata.json", "--map", SUITE_MAP, "-f", "nt")
    assert isomorphic(graph_of(result), expected("test011/result.ttl"))


def test_well_known_csvm_and_user_metadata():
    """test259 finds csvm.json through the mapped /.well-known/csvm; test013 uses --metadata."""
    result = lod(
        SUITE / "test259" / "tree-ops.csv",
        "--map",
        SUITE_MAP,
        "--map",
        f"http://www.w3.org/.well-known/={WELL_KNOWN}",
        "-f",
        "nt",
    )
    assert isomorphic(graph_of(result), expected("test259/result.ttl"))
    result = lod(
        SUITE / "tree-ops.csv",
        "--metadata",
        SUITE / "test013-user-metadata.json",
        "--map",
        SUITE_MAP,
        "-f",
        "nt",
    )
    assert isomorphic(graph_of(result), expected("test013.ttl"))


def test_negative_case_exits_1_and_writes_nothing(tmp_path):
    """test077: a table group @id that is a blank node."""
    out = tmp_path / "out.ttl"
    result = lod(SUITE / "test077-metadata.json", "--map", SUITE_MAP, "-o", out)
    assert result.exit_code == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert f"error: {BASE}test077-metadata.json: @id: must not be a blank node" in result.stderr


def test_data_error_exits_1_unless_lenient():
    """test125: an empty cell in a required column."""
    args = (SUITE / "test125-metadata.json", "--map", SUITE_MAP, "-f", "nt")
    strict = lod(*args)
    assert strict.exit_code == 1 and strict.stdout == ""
    assert (
        f"error: {BASE}test125.csv, row 4, column 2 (latitude): a value is required, "
        "but the cell is empty" in strict.stderr
    )
    lenient = lod(*args, "--lenient")
    assert isomorphic(graph_of(lenient), expected("test125.ttl"))
    assert "warning: " in lenient.stderr and "row 4, column 2" in lenient.stderr


def test_unreadable_input_exits_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"url": "t.csv",', encoding="utf-8")
    result = lod(broken)
    assert result.exit_code == 2 and "invalid JSON" in result.stderr
    cp1250 = tmp_path / "t.csv"
    cp1250.write_bytes("obec\nJičín\n".encode("cp1250"))
    result = lod(cp1250, "--no-infer")
    assert result.exit_code == 2 and "not valid utf-8" in result.stderr
    assert lod(tmp_path / "missing.csv").exit_code == 2
    assert lod(cp1250, "--map", "no-equals-sign").exit_code == 2


def test_metadata_beside_the_csv_is_found(tmp_path):
    """A plain local CSV with its {name}-metadata.json beside it (no options)."""
    csv = tmp_path / "obce.csv"
    csv.write_text("kod,nazev\n569810,Hradec Králové\n", encoding="utf-8")
    (tmp_path / "obce.csv-metadata.json").write_text(
        '{"@context": "http://www.w3.org/ns/csvw", "url": "obce.csv", "tableSchema": '
        '{"columns": [{"name": "kod", "titles": "kod", "datatype": "integer"},'
        ' {"name": "nazev", "titles": "nazev"}], "aboutUrl": "obec/{kod}"}}',
        encoding="utf-8",
    )
    g = graph_of(lod(csv, "--minimal", "-f", "nt"))
    subject = Path(tmp_path / "obec" / "569810").as_uri()
    assert {str(s) for s in g.subjects()} == {subject}


def test_output_file_gets_the_usual_permissions(tmp_path):
    """-o writes through a temporary file (0600) but leaves what open() would: the umask's
    default for a new file, the old file's mode for one it replaces."""
    csv = tmp_path / "t.csv"
    csv.write_text("kod,nazev\n569810,Hradec Králové\n", encoding="utf-8")
    out = tmp_path / "t.nt"
    old = os.umask(0o022)
    try:
        assert lod(csv, "-f", "nt", "-o", out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o640)
        assert lod(csv, "-f", "nt", "-o", out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_a_utf16_file_under_utf8_metadata_is_named_utf16(tmp_path):
    """The CSVW default encoding is UTF-8; a UTF-16 file (Excel's "Unicode text") read so
    fails, and the hint names UTF-16, not the 8-bit reading of its bytes."""
    table = tmp_path / "obce.csv"
    table.write_bytes("kod\tnazev\r\n569810\tHradec Králové\r\n".encode("utf-16"))
    metadata = tmp_path / "obce.csv-metadata.json"
    metadata.write_text(
        '{"@context": "http://www.w3.org/ns/csvw", "url": "obce.csv", "dialect": '
        '{"delimiter": "\\t"}, "tableSchema": {"columns": [{"name": "kod", "titles": "kod"}, '
        '{"name": "nazev", "titles": "nazev"}]}}',
        encoding="utf-8",
    )
    result = lod(table, "-f", "nt")
    assert result.exit_code == 2
    assert "the file is not valid utf-8" in result.stderr
    assert "the bytes read as utf-16 ('kod'); " in result.stderr
    assert 'set "dialect": {"encoding": "utf-16"}' in result.stderr


def test_converts_where_the_c_library_has_no_mallopt(tmp_path, monkeypatch):
    """`lod convert` tunes glibc's malloc (lod.allocator.keep_freed_memory); without mallopt (not
    glibc) it converts the same."""
    import ctypes

    table = tmp_path / "t.csv"
    table.write_text("kod,nazev\n569810,Hradec Králové\n", encoding="utf-8")
    with_mallopt = lod(table, "-f", "nt")

    class NoMallopt:
        def __init__(self, name):
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoMallopt)
    without = lod(table, "-f", "nt")
    assert with_mallopt.exit_code == without.exit_code == 0, without.stderr
    converted = parse(without.stdout)
    assert len(converted) > 2 and isomorphic(converted, parse(with_mallopt.stdout))


def test_the_last_collection_skips_what_convert_left(tmp_path):
    """`lod convert` freezes the objects left at exit (lod.cli.skip_last_collection): the
    interpreter's last collection does not walk them; the output is complete before."""
    table = tmp_path / "t.csv"
    table.write_text("kod,nazev\n569810,Hradec Králové\n", encoding="utf-8")
    out = tmp_path / "t.nt"
    script = (
        "import atexit, gc, sys\n"
        # registered first, so it runs last: after lod's handler
        "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"
        "from lod.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["convert", str(table), "-f", "nt", "-o", str(out)]
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.split()[-1]) > 1000
    assert isomorphic(parse(out.read_text("utf-8")), graph_of(lod(table, "-f", "nt")))
