"""The fast path of csv2rdf (lod/tabular/fast.py) writes exactly what the general path writes.

Every conversion here runs twice, with the fast path on and off, and must give the same bytes
(blank node labels included), the same warnings in the same order and the same errors: on
the W3C CSVW test suite and on many generated tables with Czech values, invalid cells, nulls,
defaults, whitespace, quotes, rows of the wrong length and the dialect options.

The same holds for two processes (lod/tabular/parallel.py) against one: every table is made
"big" and cut into ranges of a few lines.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import tempfile
import threading
import time
from itertools import islice
from pathlib import Path

import pytest

from lod.errors import LodError
from lod.formats import by_name
from lod.rdfio import prefetched, write_ntriples
from lod.tabular import convert, fast, parallel, to_ntriples
from lod.tabular.fast import _encode_escaped, _Numbers
from lod.tabular.ntriples import literal
from lod.tabular.numbers import decimal_parser, integer_parser
from tests import test_tabular_csvw_suite as suite


@pytest.fixture(autouse=True)
def fixed_blank_nodes(monkeypatch):
    monkeypatch.setattr("lod.tabular.ntriples.new_prefix", lambda: "_:b00000000x")


def both(run) -> tuple:
    """(output, warnings, error) of `run(warnings)` with the fast path off, then on."""
    results = []
    for enabled in (False, True):
        fast.ENABLED = enabled
        warnings: list[str] = []
        try:
            out, error = run(warnings), None
        except LodError as e:
            out, error = None, (type(e), str(e), [str(p) for p in getattr(e, "problems", [])])
        finally:
            fast.ENABLED = True
        results.append((out, warnings, error))
    return results[0], results[1]


def used_fast(monkeypatch, run) -> bool:
    calls = []
    original = fast.FastRows.compile.__func__

    def compile(cls, *args, **kwargs):
        result = original(cls, *args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(fast.FastRows, "compile", classmethod(compile))
    try:
        run([])
    except LodError:
        pass
    return any(calls)


@pytest.mark.parametrize(
    "entry", [p.values[0] for p in suite._params(None)], ids=lambda e: e["id"].split("#")[-1]
)
def test_csvw_suite_same_with_and_without_fast_path(entry):
    path, kwargs = suite.arguments(entry)

    def run(warnings):
        return "".join(convert(path, strict=False, warnings=warnings, **kwargs))

    general, quick = both(run)
    assert quick == general


TEXTS = ["Hradec Králové", "Žďár nad Sázavou", 'objekt "Radnice"', "a\\b", "řádek\nnový"]
TEXTS += ["x\ry", " mezery ", "\ttab", "", "-", "N/A", "0042", "příliš žluťoučký kůň", "%C3%A9"]
INTEGERS = ["0", "7", "-7", "+7", "007", "-0", "-007", "123456789012345678901234", "1 000"]
INTEGERS += ["1,5", "abc", "", "-", " 42 ", "\u0663", "99999999999", "12"]
DECIMALS = ["0", "1,5", "-0,50", "12,000", "1 234,5", "1.234,5", "1.5", "abc", "", "+3,14"]
DECIMALS += ["1e5", "50%", ",5", "5,", "-0", "-0,0", "00,10", "7", "1\u00a0234,5", "-"]
DATES = ["1. 2. 2024", "31. 12. 1999", "29. 2. 2023", "1.2.2024", "2024-02-01", "", "x", "-"]
OTHERS = ["ano", "ne", "true", "1", "x", "", "P1D", "http://a.cz/b c", "a  b", "1.5E3", "INF"]
DATATYPES = [
    ("string", TEXTS),
    ({"base": "string", "format": "^[^0-9]*$"}, TEXTS),
    ("integer", INTEGERS),
    ("long", INTEGERS),
    ("nonNegativeInteger", INTEGERS),
    ({"base": "integer", "minimum": 0, "maximum": 100}, INTEGERS),
    ("decimal", DECIMALS),
    ({"base": "decimal", "format": {"decimalChar": ","}}, DECIMALS),
    ({"base": "decimal", "format": {"decimalChar": ",", "groupChar": " "}}, DECIMALS),
    ({"base": "decimal", "format": {"decimalChar": ",", "groupChar": "."}}, DECIMALS),
    ({"base": "date", "format": "d. M. yyyy"}, DATES),
    ("date", DATES),
    ({"base": "boolean", "format": "ano|ne"}, OTHERS),
    ("boolean", OTHERS),
    ("double", DECIMALS + OTHERS),
    ("anyURI", OTHERS),
    ("token", OTHERS + TEXTS),
    ("normalizedString", TEXTS),
    ("duration", OTHERS),
]
ABOUTS = [
    None,
    "https://data.example.cz/rows/{_row}",
    "https://data.example.cz/rows/{c1}",
    "https://data.example.cz/{_sourceRow}/{c2}-{c1}",
    "https://data.example.cz/static",
    "#row{_row}",
    "rows/{c1}",
]


VALUES = [
    "https://linked.cuzk.cz/resource/ruian/obec/{%s}",  # the column's own value
    "https://data.example.cz/hodnoty/{c1}",
    "https://data.example.cz/{_row}/{%s}",
    "https://data.example.cz/static",
    "obec/{%s}",  # relative: the general path resolves it
    "dc:x{%s}",  # a prefixed name
    "https://data.example.cz/{_name}",
]


def random_table(rng: random.Random, tmp_path: Path) -> tuple[dict, Path]:
    width = rng.randint(1, 6)
    columns = []
    pools = []
    for i in range(width):
        datatype, pool = rng.choice(DATATYPES)
        column: dict = {"name": f"c{i + 1}", "titles": f"Sloupec {i + 1}", "datatype": datatype}
        if rng.random() < 0.3:
            column["lang"] = rng.choice(["cs", "en"])
        if rng.random() < 0.3:
            column["null"] = rng.choice(["-", ["", "-"], "N/A", ["", "-", "N/A", "x"]])
        if rng.random() < 0.15:
            column["default"] = rng.choice(["0", "neuvedeno", "1. 1. 2000"])
        if rng.random() < 0.15:
            column["required"] = True
        if rng.random() < 0.1:
            column["suppressOutput"] = True
        if rng.random() < 0.15:
            template = rng.choice(VALUES)
            column["valueUrl"] = template % column["name"] if "%s" in template else template
        columns.append(column)
        pools.append(pool)
    schema: dict = {"columns": columns}
    about = rng.choice(ABOUTS)
    if about:
        schema["aboutUrl"] = about
    if rng.random() < 0.5:
        schema["propertyUrl"] = "https://data.example.cz/columns/{_name}"
    dialect: dict = {
        "trim": rng.choice([True, False, "start", "end"]),
        "delimiter": rng.choice([",", ";"]),
        "skipBlankRows": rng.random() < 0.3,
    }
    skip_columns = rng.choice([0, 0, 0, 1])
    if skip_columns:
        dialect["skipColumns"] = skip_columns
    header_rows = rng.choice([1, 1, 1, 0, 2])
    dialect["headerRowCount"] = header_rows
    lines = [["hlavička"] * skip_columns + [c["titles"] for c in columns]] * header_rows
    for _ in range(rng.randint(0, 60)):
        row = ["x"] * skip_columns + [rng.choice(pool) for pool in pools]
        shape = rng.random()
        if shape < 0.05:
            row = row[: rng.randint(0, len(row))]
        elif shape < 0.1:
            row = row + [rng.choice(["", "navíc"])]
        elif shape < 0.13:
            row = [""] * len(row)
        lines.append(row)
    path = tmp_path / f"t{rng.randrange(10**9)}.csv"

    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=dialect["delimiter"], lineterminator="\r\n").writerows(lines)
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "https://data.example.cz/t.csv",
        "dialect": dialect,
        "tableSchema": schema,
    }
    return metadata, path


@pytest.mark.parametrize("seed", range(300))
def test_generated_tables_same_with_and_without_fast_path(seed, tmp_path, monkeypatch):
    rng = random.Random(seed)
    metadata, path = random_table(rng, tmp_path)
    minimal, strict = rng.random() < 0.5, rng.random() < 0.5
    monkeypatch.setattr(fast, "BATCH", rng.choice([1, 3, 16, 4096]))

    def run(warnings):
        return "".join(
            to_ntriples(metadata, csv_path=path, minimal=minimal, strict=strict, warnings=warnings)
        )

    general, quick = both(run)
    assert quick == general, json.dumps(metadata, ensure_ascii=False)


def test_generated_tables_mostly_take_the_fast_path(tmp_path, monkeypatch):
    taken = 0
    for seed in range(60):
        metadata, path = random_table(random.Random(seed), tmp_path)
        taken += used_fast(
            monkeypatch, lambda w, m=metadata, p=path: list(to_ntriples(m, csv_path=p))
        )
    assert taken > 30


def test_linked_territorial_codes_take_the_fast_path(tmp_path, monkeypatch):
    """A column with a valueUrl of RÚIAN IRIs over its own value (what linking writes), among
    literal columns, is converted by the fast path, to the same bytes."""
    path = tmp_path / "linked.csv"
    rows = [["Kód obce", "Název", "Počet", "Kód ORP (RÚIAN)"]]
    codes = ["569810", "572659", "", "-", " 579025 ", "ne/kód", "Ústí"]
    for i in range(300):
        rows.append([codes[i % len(codes)], f"Obec {i}", str(i), ["965", "", "1031"][i % 3]])
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    ruian = "https://linked.cuzk.cz/resource/ruian/"
    metadata = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "cs"}],
        "url": "https://data.example.cz/linked.csv",
        "tableSchema": {
            "aboutUrl": "https://data.example.cz/rows/{_row}",
            "columns": [
                {"name": "kod_obce", "titles": "Kód obce", "null": ["", "-"]},
                {"name": "nazev", "titles": "Název", "lang": "cs"},
                {"name": "pocet", "titles": "Počet", "datatype": "integer"},
                {"name": "kod_orp_ruian", "titles": "Kód ORP (RÚIAN)"},
            ],
        },
    }

    columns = metadata["tableSchema"]["columns"]
    columns[0]["valueUrl"] = ruian + "obec/{kod_obce}"
    columns[3]["valueUrl"] = ruian + "orp/{kod_orp_ruian}"

    def run(warnings):
        return "".join(to_ntriples(metadata, csv_path=path, warnings=warnings))

    assert used_fast(monkeypatch, run)
    general, quick = both(run)
    assert quick == general
    out = quick[0]
    assert f"<{ruian}obec/569810>" in out and f"<{ruian}obec/579025>" in out
    assert f"<{ruian}obec/ne%2Fk%C3%B3d>" in out  # escaped as the template expansion says
    assert f"<{ruian}orp/965>" in out and f"<{ruian}orp/>" not in out


def test_chunks_are_the_lines_as_bytes(tmp_path):
    metadata, path = random_table(random.Random(5), tmp_path)
    lines = "".join(to_ntriples(metadata, csv_path=path, strict=False))
    chunks = b"".join(to_ntriples(metadata, csv_path=path, strict=False, chunks=True))
    assert chunks.decode("utf-8") == lines


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_plain_numbers_are_canonical_as_their_parsers_say(decimal):
    rng = random.Random(1)
    numbers = _Numbers(decimal)
    parse = integer_parser("integer") if decimal is None else decimal_parser(decimal, None, None)
    alphabet = "0123456789" + "0" * 5 + "-+" + (decimal or "")
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(5000)]
    plain = [v for v in values if numbers.one(v)]
    assert len(plain) > 1000
    assert numbers.canonical(plain) == [parse(v) for v in plain]
    assert numbers.canonical(values) is None
    # in small batches, so that each shortcut (all canonical, all unsigned, each step's
    # needles) is taken by some and missed by others
    start = 0
    while start < len(plain):
        batch = plain[start : start + rng.randint(1, 8)]
        start += len(batch)
        assert numbers.canonical(batch) == [parse(v) for v in batch], batch
    for other in ("١٢", "１２", "²", "", "1 2", "12\n"):  # other digits, no digit, spaces
        assert numbers.canonical(["12", other]) is None, other


def test_escaped_values_are_what_literal_writes():
    values = [*TEXTS, 'a"\\"b\r\n', "\\\\", "x\x00y", "č\x00"]
    expected = [literal(v)[1:-1].encode() for v in values]
    assert _encode_escaped(values) == expected
    assert _encode_escaped(values[:-2]) == expected[:-2]  # without NUL: escaped in one go


@pytest.fixture
def two_processes(monkeypatch):
    """Every table is big enough for two processes, in ranges of a few lines; the ranges the
    parallel path takes are counted in the list returned."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    taken: list[int] = []
    original = parallel.Split.of.__func__

    def of(cls, *args, **kwargs):
        split = original(cls, *args, **kwargs)
        if split is not None:
            taken.append(len(split.ranges))
        return split

    monkeypatch.setattr(parallel.Split, "of", classmethod(of))
    return taken


def serial_and_parallel(run) -> tuple:
    """(output, warnings, error) of `run(warnings, parallel)` with one process, then two."""
    results = []
    for two in (False, True):
        warnings: list[str] = []
        try:
            out, error = run(warnings, two), None
        except LodError as e:
            out, error = None, (type(e), str(e), [str(p) for p in getattr(e, "problems", [])])
        results.append((out, warnings, error))
    return results[0], results[1]


@pytest.mark.parametrize("seed", range(120))
def test_generated_tables_same_in_two_processes(seed, tmp_path, monkeypatch, two_processes):
    rng = random.Random(seed)
    metadata, path = random_table(rng, tmp_path)
    minimal, strict = rng.random() < 0.5, rng.random() < 0.5
    monkeypatch.setattr(parallel, "RANGE_BYTES", rng.choice([1, 40, 100, 300]))
    monkeypatch.setattr(fast, "BATCH", rng.choice([1, 3, 4096]))

    placed = seed % 2 == 0  # the worker writes its ranges into the output, as `lod convert`

    def run(warnings, two):
        with open(tmp_path / "out.nt", "wb") as out:
            chunks = convert(
                path,
                metadata=metadata,
                url=metadata["url"],
                minimal=minimal,
                strict=strict,
                warnings=warnings,
                chunks=True,
                parallel=two,
                output=out if placed else None,
            )
            if not placed:
                return b"".join(chunks)
            write_ntriples(chunks, out, by_name("nt"))
        return (tmp_path / "out.nt").read_bytes()

    one, two = serial_and_parallel(run)
    assert two == one, json.dumps(metadata, ensure_ascii=False)


def clean_table(tmp_path: Path) -> tuple[dict, Path, bytes]:
    """A table of 300 clean rows, its metadata, and its N-Triples from one process."""
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "http://example.org/t.csv",
        "tableSchema": {
            "aboutUrl": "http://example.org/row/{n}",
            "columns": [
                {"name": "n", "titles": "n", "datatype": "integer"},
                {"name": "name", "titles": "name", "lang": "cs"},
            ],
        },
    }
    path = tmp_path / "t.csv"
    path.write_text("n,name\n" + "".join(f"{i},Obec č. {i}\n" for i in range(300)), "utf-8")
    serial = b"".join(
        convert(path, metadata=metadata, url=metadata["url"], chunks=True, parallel=False)
    )
    return metadata, path, serial


def written(chunks, out) -> list[int]:
    """Write the chunks to `out` in order, as `lod.rdfio.write_ntriples` does; the ranges the
    worker wrote itself."""
    placed = []
    for chunk in chunks:
        if isinstance(chunk, parallel.Placed):
            placed.append(chunk.k)
            chunk.write_to(out)
        else:
            out.write(chunk)
    return placed


@pytest.mark.parametrize("output", ["file", "appending", "no file descriptor"])
def test_the_worker_writes_its_ranges_into_the_output(output, tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    metadata, path, serial = clean_table(tmp_path)
    target = tmp_path / "out.nt"
    if output == "no file descriptor":
        out = io.BytesIO()
    else:
        out = open(target, "ab" if output == "appending" else "wb")  # noqa: SIM115
    with out:
        out.write(b"# before\n")
        chunks = convert(path, metadata=metadata, url=metadata["url"], chunks=True, output=out)
        placed = written(chunks, out)
        out.write(b"# after\n")
        result = out.getvalue() if output == "no file descriptor" else None
    result = result if result is not None else target.read_bytes()
    assert result == b"# before\n" + serial + b"# after\n"
    ranges = two_processes[0]
    if output == "file":  # the worker's ranges: a third of them at least
        assert len(placed) > ranges / 3 and placed == sorted(placed), (placed, ranges)
    else:  # the worker cannot write into it (anywhere, or at all): its chunks are bytes
        assert not placed


def test_a_range_without_triples_is_not_left_to_the_worker(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    metadata, path, _ = clean_table(tmp_path)
    rows = [f"{i},Obec č. {i}" if not 100 <= i < 200 else "," + " " * 30 for i in range(300)]
    path.write_text("n,name\n" + "\n".join(rows) + "\n", "utf-8")  # 100 rows of nulls
    serial = b"".join(
        convert(
            path, metadata=metadata, url=metadata["url"], minimal=True, chunks=True, parallel=False
        )
    )
    with open(tmp_path / "out.nt", "wb") as out:
        chunks = convert(
            path, metadata=metadata, url=metadata["url"], minimal=True, chunks=True, output=out
        )
        write_ntriples(chunks, out, by_name("nt"))  # (which drops empty chunks)
    assert (tmp_path / "out.nt").read_bytes() == serial and two_processes[0] > 10


def failing_writes(monkeypatch, *, die: bool = False) -> list[int]:
    """The worker (another process than this one) cannot write into the output (`die`: it
    dies at its first try); the ranges this process writes itself instead."""
    parent, write_at, refilled = os.getpid(), parallel._write_at, []

    def failing(fd, chunks, offset):
        if os.getpid() != parent:
            if die:
                os._exit(1)
            return False
        refilled.append(offset)
        return write_at(fd, chunks, offset)

    monkeypatch.setattr(parallel, "_write_at", failing)
    return refilled


@pytest.mark.parametrize("die", [False, True])
def test_what_the_worker_cannot_write_is_written_here(die, tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    refilled = failing_writes(monkeypatch, die=die)
    metadata, path, serial = clean_table(tmp_path)
    with open(tmp_path / "out.nt", "wb") as out:
        chunks = convert(path, metadata=metadata, url=metadata["url"], chunks=True, output=out)
        placed = written(chunks, out)
    assert (tmp_path / "out.nt").read_bytes() == serial
    assert placed and len(refilled) == len(placed)  # each one that went to the worker
    if die:  # the rest were converted here
        assert len(placed) <= parallel.AHEAD + 1


def test_chunks_of_the_worker_are_written_in_order_or_the_conversion_fails(
    tmp_path, monkeypatch, two_processes
):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    workers = started_workers(monkeypatch)
    metadata, path, serial = clean_table(tmp_path)
    with open(tmp_path / "out.nt", "wb") as out:
        chunks = convert(path, metadata=metadata, url=metadata["url"], chunks=True, output=out)
        with pytest.raises(RuntimeError, match="not written in order"):
            list(chunks)  # nothing written: the worker's ranges would be lost
    assert workers and all(gone(w.pid) for w in workers)


def started_workers(monkeypatch) -> list:
    """The workers of the coming conversions."""
    workers = []
    start = parallel._Worker.start.__func__

    def recorded(cls, *args):
        workers.append(start(cls, *args))
        return workers[-1]

    monkeypatch.setattr(parallel._Worker, "start", classmethod(recorded))
    return workers


def gone(pid: int) -> bool:
    """Whether the process has ended and was waited for."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def worker_folders(monkeypatch) -> list[str]:
    """The folders the workers of the coming conversions write their ranges to."""
    folders = []
    mkdtemp = tempfile.mkdtemp

    def recorded(*args, **kwargs):
        folders.append(mkdtemp(*args, **kwargs))
        return folders[-1]

    monkeypatch.setattr(parallel.tempfile, "mkdtemp", recorded)
    return folders


def test_the_worker_keeps_few_files(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 100)
    monkeypatch.setattr(parallel, "AHEAD", 2)
    folders = worker_folders(monkeypatch)
    metadata, path, serial = clean_table(tmp_path)
    files, out = [], []
    for chunk in convert(path, metadata=metadata, url=metadata["url"], chunks=True):
        time.sleep(0.005)  # a slow reader: the worker waits for it
        files.append(len(os.listdir(folders[0])) if folders else 0)  # (after the first row)
        out.append(bytes(chunk))
    assert b"".join(out) == serial
    assert len(folders) == 1 and not os.path.exists(folders[0])
    assert len(files) > 30 and 1 <= max(files) <= 2, files


def test_a_reader_that_stops_early_leaves_no_files(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 100)
    folders = worker_folders(monkeypatch)
    workers = started_workers(monkeypatch)
    metadata, path, serial = clean_table(tmp_path)
    chunks = convert(path, metadata=metadata, url=metadata["url"], chunks=True)
    for _ in range(5):
        next(chunks)
    time.sleep(0.1)
    assert os.listdir(folders[0])  # the worker has written ranges not taken yet
    chunks.close()
    assert not os.path.exists(folders[0])
    with open(tmp_path / "out.nt", "wb") as out:  # one that writes into the output
        chunks = convert(path, metadata=metadata, url=metadata["url"], chunks=True, output=out)
        written(islice(chunks, 5), out)
        chunks.close()
    assert len(workers) == 2 and all(gone(w.pid) for w in workers)


def test_one_cpu_reads_the_ranges_itself(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    monkeypatch.setattr(parallel, "cpus", lambda: 1)
    metadata, path, serial = clean_table(tmp_path)

    def no_fork():
        raise AssertionError("forked on one CPU")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    with open(tmp_path / "out.nt", "wb") as out:
        chunks = list(
            convert(path, metadata=metadata, url=metadata["url"], chunks=True, output=out)
        )
    assert two_processes and all(type(c) is bytes for c in chunks)
    assert b"".join(chunks) == serial


@pytest.mark.parametrize(
    "cpus, placed, inline", [(1, False, True), (2, False, True), (3, False, False), (3, True, True)]
)
def test_the_output_is_made_inline_when_the_conversion_takes_every_cpu(
    cpus, placed, inline, tmp_path, monkeypatch, two_processes
):
    """No thread of this process makes the output while the conversion keeps every CPU busy
    (this process alone on one CPU, with its worker on two: lod.rdfio.inline); with a CPU to
    spare, a thread of its own does, unless the worker writes into the output (`placed`:
    each of its ranges is then written before the conversion goes on)."""
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    monkeypatch.setattr(parallel, "cpus", lambda: cpus)
    metadata, path, serial = clean_table(tmp_path)
    main, makers = threading.get_ident(), []

    def recorded(chunks):  # the thread that makes each chunk of the output
        for chunk in chunks:
            makers.append(threading.get_ident())
            yield chunk

    # (which thread converts rows depends on timing: on two CPUs the worker may convert
    # every range after the first; which thread makes the output does not)
    with open(tmp_path / "out.nt", "wb") as out:
        chunks = convert(
            path,
            metadata=metadata,
            url=metadata["url"],
            chunks=True,
            output=out if placed else None,
        )
        assert bool(written(prefetched(recorded(chunks), may_inline=True), out)) is placed
    assert (tmp_path / "out.nt").read_bytes() == serial
    assert len(makers) > 2
    assert (makers[-1] == main) is inline
    assert (main in makers) is inline
    assert two_processes


def slow_worker(monkeypatch, seconds: float) -> None:
    """The worker (another process than this one) parses each range slowly."""
    parent, parse = os.getpid(), parallel.parse_range

    def slow(*args):
        if os.getpid() != parent:
            time.sleep(seconds)
        return parse(*args)

    monkeypatch.setattr(parallel, "parse_range", slow)


def claims(monkeypatch, *, tell_worker: bool = True) -> list[int]:
    """The ranges this process claims in the coming conversions (`tell_worker` False: the
    worker is not told, and converts them too)."""
    claimed: list[int] = []
    claim = parallel._Worker.claim

    def recorded(worker, k):
        claimed.append(k)
        if tell_worker:
            claim(worker, k)
        else:
            worker.claimed.add(k)

    monkeypatch.setattr(parallel._Worker, "claim", recorded)
    return claimed


def test_a_slow_worker_leaves_ranges_to_this_process(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    slow_worker(monkeypatch, 0.02)
    claimed = claims(monkeypatch)
    removed = []  # the files of ranges the worker converted and this process took or dropped
    unlink = os.unlink
    monkeypatch.setattr(parallel.os, "unlink", lambda p: removed.append(p) or unlink(p))
    metadata, path, serial = clean_table(tmp_path)
    chunks = list(convert(path, metadata=metadata, url=metadata["url"], chunks=True))
    assert b"".join(chunks) == serial
    ranges = two_processes[0]
    taken = [p for p in removed if not any(p.endswith(os.sep + str(k)) for k in claimed)]
    assert len(claimed) > ranges / 3 and taken, (claimed, ranges)
    assert claimed == sorted(set(claimed))  # each range claimed once, in order
    dropped = [k for k in claimed if any(p.endswith(os.sep + str(k)) for p in removed)]
    assert len(dropped) <= len(claimed) / 4, dropped  # the worker skipped the others


def test_ranges_claimed_too_late_are_dropped(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    slow_worker(monkeypatch, 0.01)
    claimed = claims(monkeypatch, tell_worker=False)  # the worker converts every range
    folders = worker_folders(monkeypatch)
    metadata, path, serial = clean_table(tmp_path)
    out, files = [], []
    for chunk in convert(path, metadata=metadata, url=metadata["url"], chunks=True):
        out.append(bytes(chunk))
        files.append(len(os.listdir(folders[0])) if folders and os.path.exists(folders[0]) else 0)
    assert b"".join(out) == serial
    assert claimed and max(files) <= parallel.AHEAD, files  # the worker's copies were removed


def test_worker_chunks_are_bytes_without_an_output(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 200)
    metadata, path, serial = clean_table(tmp_path)
    chunks = list(convert(path, metadata=metadata, url=metadata["url"], chunks=True))
    assert two_processes and all(type(c) is bytes for c in chunks)
    assert b"".join(chunks) == serial


def test_generated_tables_mostly_take_two_processes(tmp_path, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 100)
    for seed in range(60):
        metadata, path = random_table(random.Random(seed), tmp_path)
        try:
            b"".join(convert(path, metadata=metadata, url=metadata["url"], chunks=True))
        except LodError:
            pass
    assert len(two_processes) > 12 and max(two_processes) > 5


def test_quoted_line_breaks_and_bare_cr_in_two_processes(tmp_path, monkeypatch, two_processes):
    """Ranges that are not one record per line (a quoted line break, a bare CR, an open
    quote at a range's end) are read as the serial code reads them, wherever they are."""
    monkeypatch.setattr(parallel, "RANGE_BYTES", 64)
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "https://data.example.cz/t.csv",
        "tableSchema": {
            "aboutUrl": "https://data.example.cz/rows/{_row}",
            "columns": [{"name": "a", "titles": "a"}, {"name": "b", "titles": "b"}],
        },
    }
    odd = ['"řádek\nnový"', '"x\ry"', "x\ry", '"a""\n""b"', '"otevřeno\n', '""']
    for where in range(0, 200, 17):
        path = tmp_path / f"t{where}.csv"
        lines = ["a,b"] + [f"{i},hodnota {i}" for i in range(200)]
        lines[where + 1] = f"{where},{odd[where % len(odd)]}"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode())

        def run(warnings, two, path=path):
            chunks = convert(
                path,
                metadata=metadata,
                url=metadata["url"],
                warnings=warnings,
                strict=False,
                chunks=True,
                parallel=two,
            )
            return b"".join(chunks)

        one, two = serial_and_parallel(run)
        assert two == one, where
    assert len(two_processes) == 11  # not when the first data row (where 0) takes two lines


def test_undecodable_bytes_in_two_processes(tmp_path, monkeypatch, two_processes):
    """Bytes that are not UTF-8 in a range stop the conversion with the serial code's error."""
    monkeypatch.setattr(parallel, "RANGE_BYTES", 1000)
    metadata = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "https://data.example.cz/t.csv",
        "tableSchema": {"columns": [{"name": "a", "titles": "a"}, {"name": "b", "titles": "b"}]},
    }
    path = tmp_path / "t.csv"
    lines = [b"a,b"] + [b"%d,Kr\xc3\xa1lov\xc3\xa9 %d" % (i, i) for i in range(2000)]
    lines[1500] = b"1499,Kr\xe1lov\xe9"  # Windows-1250, after what is read at first
    path.write_bytes(b"\n".join(lines) + b"\n")

    def run(warnings, two):
        return b"".join(
            convert(path, metadata=metadata, url=metadata["url"], chunks=True, parallel=two)
        )

    one, two = serial_and_parallel(run)
    assert one[2] is not None and "row 1501" in one[2][1]
    assert two[1:] == one[1:]
    assert two_processes


@pytest.mark.parametrize(
    "entry", [p.values[0] for p in suite._params(None)], ids=lambda e: e["id"].split("#")[-1]
)
def test_csvw_suite_same_in_two_processes(entry, monkeypatch, two_processes):
    monkeypatch.setattr(parallel, "RANGE_BYTES", 16)
    path, kwargs = suite.arguments(entry)

    def run(warnings, two):
        lines = convert(path, strict=False, warnings=warnings, parallel=two, **kwargs)
        return "".join(lines)

    one, two = serial_and_parallel(run)
    assert two == one
