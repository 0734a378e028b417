"""Two processes for one big table on the fast path (`lod convert`): the same bytes, sooner.

The table's bytes after its first data row are cut at line ends into ranges of about
RANGE_BYTES (`Split.of`, one pass over the file counting its lines). A forked worker converts
most of the ranges (1 - SHARE), writes each range's N-Triples to a temporary file and tells
this process through a pipe what it wrote; this process converts the others and passes the
worker's on, in order, so the output is the serial output. A worker's chunk is read back
from its file, or, if the caller writes chunks with their ``write_to`` (`Spliced`: the
table's ``parallel_splice``, as `lod convert -f nt` does), copied from the file to the output
by the kernel (sendfile): this process never reads it. (Through a pipe, reading and writing
the worker's output took this process longer than converting it.)

Exactness:
- a range is parsed on its own (`parse_range`) and used only if each of its lines is exactly
  one record (no quoted line break, no bare CR: what the row numbers counted from lines need);
- the worker sends only ranges that gave no warning and had no row of the wrong length; this
  process converts any other range itself, so warnings and row repairs come in row order;
- if a range this process converts is not one record per line, the worker is stopped and the
  rest of the file is read as the serial code reads it (`read.plain_records`).

On one CPU there is no worker: this process converts every range (reading a range at a time
is faster than the csv module reading the file). Not used (None from `Split.of`) for small
files, encodings whose line ends are not the byte 0x0A, or dialects that skip rows
(``skipRows``, ``skipBlankRows``: their row numbers are not line counts).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import os
import shutil
import signal
import struct
import tempfile
import warnings as py_warnings
from collections.abc import Iterator
from pathlib import Path

from .read import plain_records, reader_options
from .turtle import TurtleChunk

ENABLED = True  # tests turn it off, or make every table "big" (MIN_BYTES) in small ranges
RANGE_BYTES = 1 << 19  # of CSV per range (about 11 times as many bytes of N-Triples)
MIN_BYTES = 4 << 20  # smaller tables are converted by one process
SHARE = 0.4  # of the ranges converted by this process, which also passes the worker's on
# codecs in which every byte 0x0A is a line feed and decoding can start at any line
_CODECS = {"utf-8", "ascii", "cp1250", "cp1252", "iso8859-1", "iso8859-2", "iso8859-15"}
AHEAD = 3  # ranges the worker may convert before this process takes them
_HEAD = struct.Struct("<BQQ")  # kind, length of the N-Triples, length of the Turtle after it
_CHUNK, _DONE, _REFUSED = 0, 1, 2
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
    try:  # each line gives at most one record: as many as lines if none took two lines
        rows = list(csv.reader(lines, **options))
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
        worker = None
        if cpus() > 1 and hasattr(os, "fork"):
            worker = _Worker.start(self, fast, mine, before, frame, prefix, bnodes, base, per_row)
        try:
            with open(self.path, "rb") as f:
                for k, (begin, _, _) in enumerate(self.ranges):
                    if not mine[k] and worker is not None:
                        sent = worker.receive(k)
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
    writes each range's chunks to a file of its own in a private folder (its spool) and
    reports them; this process opens and unlinks the file when it takes the range, so the
    file is gone once its chunks are written. The worker runs at most AHEAD ranges ahead of
    this one (one byte back per range taken), so the spool stays small."""

    def __init__(self, pid: int, reports: int, acks: int, folder: str, splice: bool):
        self.pid, self.folder, self.splice = pid, folder, splice
        self.pipe = open(reports, "rb", buffering=1 << 12)
        self.acks = acks

    @classmethod
    def start(cls, split, fast, mine, before, frame, prefix, bnodes, base, per_row):
        try:
            folder = tempfile.mkdtemp(prefix="lod-convert-")
        except OSError:
            return None
        r, w = os.pipe()  # reports, from the worker
        ar, aw = os.pipe()  # acknowledgements, to the worker
        with py_warnings.catch_warnings():  # Python 3.12 warns of fork() beside threads; the
            py_warnings.simplefilter("ignore", DeprecationWarning)  # child runs no thread's code
            try:
                pid = os.fork()
            except OSError:
                for fd in (r, w, ar, aw):
                    os.close(fd)
                shutil.rmtree(folder, ignore_errors=True)
                return None
        if pid:
            os.close(w)
            os.close(ar)
            return cls(pid, r, aw, folder, getattr(fast.table, "parallel_splice", False))
        try:  # the worker: never returns to the caller's code
            os.close(r)
            os.close(aw)
            gc.freeze()  # nothing it inherited is collected here (no finalizer runs twice)
            ahead = 0  # ranges reported and not yet taken
            with open(split.path, "rb") as f, open(w, "wb", buffering=1 << 12) as out:
                for k in range(len(split.ranges)):
                    if mine[k]:
                        continue
                    while ahead >= AHEAD:
                        taken = len(os.read(ar, 64))
                        if not taken:  # this process is done with the worker
                            return
                        ahead -= taken
                    rows = parse_range(split.read(f, k), split.codec, split.options)
                    fast.row_num, bnodes.count = before[k], base + per_row * before[k]
                    sources = range(split.first_row + before[k], split.first_row + before[k + 1])
                    if rows is not None:
                        rows = fast.clean_chunks(rows, sources, frame, prefix, bnodes)
                    if rows is None:
                        out.write(_HEAD.pack(_REFUSED, 0, 0))
                    else:
                        _write_range(os.path.join(folder, str(k)), rows, out)
                    out.flush()
                    ahead += 1
        except BaseException:  # the parent converts what it was not told of
            pass
        finally:
            os._exit(0)

    def receive(self, k: int) -> list | None:
        """The chunks of the worker's next range (`k`), or None if it refused it (or is
        gone)."""
        chunks = []
        spool, position = None, 0
        try:
            while True:
                head = self.pipe.read(_HEAD.size)
                if len(head) < _HEAD.size:
                    return None
                kind, length, turtle = _HEAD.unpack(head)
                if kind != _CHUNK:
                    return chunks if kind == _DONE else None
                if spool is None:
                    spool = _Spool(os.path.join(self.folder, str(k)))
                chunk = Spliced(spool, position, length)
                position += length
                if turtle:
                    chunk = TurtleChunk(bytes(chunk))
                    chunk.turtle = bytes(Spliced(spool, position, turtle))
                    position += turtle
                elif not self.splice:
                    chunk = bytes(chunk)
                chunks.append(chunk)
        finally:
            with contextlib.suppress(OSError):
                os.write(self.acks, b"\x01")

    def stop(self) -> None:
        self.pipe.close()
        os.close(self.acks)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        shutil.rmtree(self.folder, ignore_errors=True)  # the files of ranges not taken


def _write_range(path: str, chunks: list, out) -> None:
    """Write a range's chunks (and their Turtle) to a new file at `path`; report them."""
    with open(path, "xb") as f:  # in the worker's own folder (0700)
        for chunk in chunks:
            f.write(chunk)
            f.write(getattr(chunk, "turtle", b""))
    for chunk in chunks:
        out.write(_HEAD.pack(_CHUNK, len(chunk), len(getattr(chunk, "turtle", b""))))
    out.write(_HEAD.pack(_DONE, 0, 0))


class _Spool:
    """A range's file from the worker, opened and unlinked; closed with its last user."""

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDONLY)
        os.unlink(path)

    def __del__(self):
        if hasattr(self, "fd"):
            os.close(self.fd)


class Spliced:
    """N-Triples bytes the worker left in its spool: ``bytes(chunk)`` reads them,
    ``chunk.write_to(output)`` has the kernel copy them to a file's end."""

    __slots__ = ("spool", "offset", "length")

    def __init__(self, spool, offset: int, length: int):
        self.spool, self.offset, self.length = spool, offset, length

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        parts, done = [], 0
        while done < self.length:
            part = os.pread(self.spool.fd, self.length - done, self.offset + done)
            if not part:
                raise OSError(f"the spool of the second process ended early ({self.offset})")
            parts.append(part)
            done += len(part)
        return b"".join(parts)

    def write_to(self, output) -> None:
        """Append the bytes to `output` (a binary file object: flushed first)."""
        output.flush()
        try:
            fd = output.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            output.write(bytes(self))
            return
        done = 0
        try:
            while done < self.length:
                sent = os.sendfile(fd, self.spool.fd, self.offset + done, self.length - done)
                if not sent:
                    break
                done += sent
        except OSError:  # no sendfile between these files: read and write them
            if done:
                raise
        if done < self.length:
            output.write(bytes(Spliced(self.spool, self.offset + done, self.length - done)))
