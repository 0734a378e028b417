"""Two processes for one big table on the fast path (`lod convert`): the same bytes, sooner.

The table's bytes after its first data row are cut at line ends into ranges of about
RANGE_BYTES (`Split.of`, one pass over the file counting its lines). A forked worker converts
most of the ranges (1 - SHARE) and sends their N-Triples through a pipe; this process converts
the others and passes the worker's on, in order, so the output is the serial output.

Exactness:
- a range is parsed on its own (`parse_range`) and used only if each of its lines is exactly
  one record (no quoted line break, no bare CR: what the row numbers counted from lines need);
- the worker sends only ranges that gave no warning and had no row of the wrong length; this
  process converts any other range itself, so warnings and row repairs come in row order;
- if a range this process converts is not one record per line, the worker is stopped and the
  rest of the file is read as the serial code reads it (`read.plain_records`).

Not used (None from `Split.of`) for small files, one CPU, encodings whose line ends are not
the byte 0x0A, or dialects that skip rows (``skipRows``, ``skipBlankRows``: their row numbers
are not line counts).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import os
import queue
import signal
import struct
import threading
import warnings as py_warnings
from collections.abc import Iterator
from itertools import count
from pathlib import Path

from .read import plain_records, reader_options
from .turtle import TurtleChunk

ENABLED = True  # tests turn it off, or make every table "big" (MIN_BYTES) in small ranges
RANGE_BYTES = 1 << 19  # of CSV per range (about 11 times as many bytes of N-Triples)
MIN_BYTES = 4 << 20  # smaller tables are converted by one process
SHARE = 0.45  # of the ranges converted by this process, which also passes all of them on
PIPE_BYTES = 1 << 20  # asked for the pipe's buffer (Linux: /proc/sys/fs/pipe-max-size)
AHEAD = 3  # ranges the worker may convert before this process takes them
_END = object()
# codecs in which every byte 0x0A is a line feed and decoding can start at any line
_CODECS = {"utf-8", "ascii", "cp1250", "cp1252", "iso8859-1", "iso8859-2", "iso8859-15"}
_HEAD = struct.Struct("<BQ")  # kind, length
_CHUNK, _DONE, _REFUSED, _TURTLE = 0, 1, 2, 3  # (_TURTLE: the Turtle of the chunk before)
_SENTINEL = "\x00"  # a last line that is one record unless a quote is left open before it


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parse_range(data: bytes, codec: str, options: dict) -> list[list[str]] | None:
    """The records of a range of whole lines, one per line, as `csv.reader` reads the file;
    None if some line is not exactly one record, or the bytes do not decode."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    if lines[-1] == "":  # the range ends with a line end (the last one may not)
        lines.pop()
    lines.append(_SENTINEL)
    reader = csv.reader(lines, **options)
    line = count(1)
    try:  # a record that took two lines (or none) changes line_num: it and all after it go
        rows = [r for r in reader if reader.line_num == next(line)]
    except csv.Error:
        return None
    if len(rows) != len(lines) or rows[-1] != [_SENTINEL]:
        return None
    rows.pop()
    return rows


class Split:
    """The ranges (start byte, end byte, lines) after the first data row of a table file."""

    def __init__(self, path: Path, codec: str, options: dict, ranges: list, first_row: int):
        self.path, self.codec, self.options, self.ranges = path, codec, options, ranges
        self.first_row = first_row  # source row number of the first data row

    @classmethod
    def of(cls, path: Path, dialect, first_row: int) -> Split | None:
        """For the file at `path` whose `first_row` first records were read (the header and
        the first data row), if worth it and possible."""
        codec = codecs.lookup(dialect.encoding).name
        if (
            not ENABLED
            or not hasattr(os, "fork")
            or cpus() < 2
            or codec not in _CODECS
            or dialect.skip_rows
            or dialect.skip_blank_rows
            or dialect.comment_prefix
            or path.stat().st_size < max(MIN_BYTES, 2 * RANGE_BYTES)
        ):
            return None
        options = reader_options(dialect)
        with open(path, "rb") as f:
            head = f.read(1 << 20)
            if head.count(b"\n") < first_row:
                return None
            start = sum(map(len, head.split(b"\n", first_row)[:first_row])) + first_row
            prefix = head[:start]
            if codec == "utf-8" and prefix.startswith(codecs.BOM_UTF8):
                prefix = prefix[len(codecs.BOM_UTF8) :]
            read = parse_range(prefix, codec, options)
            if read is None or len(read) != first_row:
                return None
            ranges = []
            begin = start
            while True:
                f.seek(begin)
                data = f.read(RANGE_BYTES)
                if not data:
                    break
                cut = len(data)
                if len(data) == RANGE_BYTES:  # not the end: cut after the last line end
                    cut = data.rfind(b"\n") + 1
                    while cut == 0:  # a line longer than a range
                        more = f.read(RANGE_BYTES)
                        found = more.find(b"\n")
                        data += more
                        if not more:
                            cut = len(data)
                        elif found >= 0:
                            cut = len(data) - len(more) + found + 1
                lines = data.count(b"\n", 0, cut) + (data[cut - 1 : cut] != b"\n")
                ranges.append((begin, begin + cut, lines))
                begin += cut
        if len(ranges) < 2:
            return None
        return cls(path, codec, options, ranges, first_row)

    def read(self, f, k: int) -> bytes:
        begin, end, _ = self.ranges[k]
        f.seek(begin)
        return f.read(end - begin)

    def run(self, fast, first, *, frame, prefix, bnodes, row_warnings, fit) -> Iterator[bytes]:
        """The output of `fast` (FastRows) for the first data row `first` and the ranges."""
        yield from fast.convert_rows(
            [first[1]], [self.first_row], frame, prefix, bnodes, row_warnings, fit, cut=False
        )
        base, per_row = bnodes.count - fast.per_row, fast.per_row
        before = [1]  # rows converted before each range (the first data row before range 0)
        for _, _, n in self.ranges:
            before.append(before[-1] + n)
        mine = [int((k + 1) * SHARE) > int(k * SHARE) for k in range(len(self.ranges))]
        worker = _Worker.start(self, fast, mine, before, frame, prefix, bnodes, base, per_row)
        try:
            with open(self.path, "rb") as f:
                for k, (begin, _, _) in enumerate(self.ranges):
                    if not mine[k] and worker is not None:
                        sent = worker.receive()
                        if sent is not None:
                            yield from sent
                            continue
                    rows = parse_range(self.read(f, k), self.codec, self.options)
                    fast.row_num, bnodes.count = before[k], base + per_row * before[k]
                    if rows is None:  # not one record per line: read on as the serial code
                        if worker is not None:
                            worker.stop()
                            worker = None
                        records = plain_records(
                            self.path,
                            fast.table.dialect,
                            fast.table.url,
                            begin,
                            self.first_row + before[k],
                        )
                        yield from fast.convert_records(
                            records, frame, prefix, bnodes, row_warnings, fit
                        )
                        return
                    sources = range(self.first_row + before[k], self.first_row + before[k + 1])
                    yield from fast.convert_rows(
                        rows, sources, frame, prefix, bnodes, row_warnings, fit
                    )
            fast.row_num = before[-1]
            bnodes.count = base + per_row * fast.row_num
        finally:
            if worker is not None:
                worker.stop()


class _Worker:
    """The forked process converting the ranges this one does not (`mine[k]` False). It
    converts ahead while a thread sends what it converted (up to AHEAD ranges wait)."""

    def __init__(self, pid: int, fd: int):
        self.pid = pid
        self.pipe = open(fd, "rb", buffering=1 << 16)

    @classmethod
    def start(cls, split, fast, mine, before, frame, prefix, bnodes, base, per_row):
        r, w = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # fewer, larger writes (Linux)
            import fcntl  # POSIX only, as fork is

            fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        with py_warnings.catch_warnings():  # Python 3.12 warns of fork() beside threads; the
            py_warnings.simplefilter("ignore", DeprecationWarning)  # child runs no thread's code
            try:
                pid = os.fork()
            except OSError:
                os.close(r)
                os.close(w)
                return None
        if pid:
            os.close(w)
            return cls(pid, r)
        try:  # the worker: never returns to the caller's code
            os.close(r)
            gc.freeze()  # nothing it inherited is collected here (no finalizer runs twice)
            ready: queue.Queue = queue.Queue(AHEAD)
            threading.Thread(target=_send, args=(ready, w), daemon=True).start()
            with open(split.path, "rb") as f:
                for k in range(len(split.ranges)):
                    if mine[k]:
                        continue
                    rows = parse_range(split.read(f, k), split.codec, split.options)
                    fast.row_num, bnodes.count = before[k], base + per_row * before[k]
                    sources = range(split.first_row + before[k], split.first_row + before[k + 1])
                    if rows is not None:
                        rows = fast.clean_chunks(rows, sources, frame, prefix, bnodes)
                    ready.put(rows)
            ready.put(_END)
            ready.join()
        except BaseException:  # the parent converts what it did not get
            pass
        finally:
            os._exit(0)

    def receive(self) -> list[bytes] | None:
        """The chunks of the worker's next range, or None if it refused it (or is gone)."""
        chunks = []
        while True:
            head = self.pipe.read(_HEAD.size)
            if len(head) < _HEAD.size:
                return None
            kind, length = _HEAD.unpack(head)
            if kind in (_CHUNK, _TURTLE):
                data = self.pipe.read(length)
                if len(data) < length:
                    return None
                if kind == _CHUNK:
                    chunks.append(data)
                elif chunks:
                    chunks[-1] = TurtleChunk(chunks[-1])
                    chunks[-1].turtle = data
            else:
                return chunks if kind == _DONE else None

    def stop(self) -> None:
        self.pipe.close()
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def _send(ready: queue.Queue, fd: int) -> None:
    """The worker's sender: each range's chunks (None: refused), until _END."""
    try:
        with open(fd, "wb", buffering=1 << 16) as out:
            while (chunks := ready.get()) is not _END:
                if chunks is None:
                    out.write(_HEAD.pack(_REFUSED, 0))
                else:
                    for chunk in chunks:
                        out.write(_HEAD.pack(_CHUNK, len(chunk)))
                        out.write(chunk)
                        turtle = getattr(chunk, "turtle", None)
                        if turtle is not None:
                            out.write(_HEAD.pack(_TURTLE, len(turtle)))
                            out.write(turtle)
                    out.write(_HEAD.pack(_DONE, 0))
                out.flush()
                ready.task_done()
        ready.task_done()
    except BaseException:  # the parent stopped reading: nothing more to do
        os._exit(0)
