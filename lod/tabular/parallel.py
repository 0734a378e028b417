"""Two processes for one big table on the fast path (`lod convert`): the same bytes, sooner.

The table's bytes after its first data row are cut at line ends into ranges of about
RANGE_BYTES (`Split.of`, one pass over the file counting its lines). A forked worker converts
the ranges in order, writes each range's N-Triples to a temporary file and tells this process
through a pipe what it wrote; this process passes them on in order, so the output is the
serial output. Work is shared as it goes: when the range this process needs next is not
ready, it claims a later range the worker has not reached and converts it meanwhile (at most
KEEP kept in memory); the worker skips the ranges claimed. So neither process waits while
the other works, whatever the consumer of the output costs this one (a fixed share of the
ranges left this process waiting for the worker's first ranges and the worker behind when
writing was cheap).

A worker's chunk is read back from its file, or, if the caller writes chunks with their
``write_to`` (`Spliced`: the table's ``parallel_splice``, as `lod convert -f nt` does),
copied from the file to the output by the kernel (sendfile): this process never reads it.
(Through a pipe, reading and writing the worker's output took this process longer than
converting it.)

Exactness:
- a range is parsed on its own (`parse_range`) and used only if each of its lines is exactly
  one record (no quoted line break, no bare CR: what the row numbers counted from lines need);
- the worker sends only ranges that gave no warning and had no row of the wrong length, and
  this process keeps only such ranges when it converts ahead; it converts any other range
  itself when its turn comes, so warnings and row repairs come in row order;
- if a range this process converts is not one record per line, the worker is stopped and the
  rest of the file is read as the serial code reads it (`read.plain_records`).

On one CPU there is no worker: this process converts every range (reading a range at a time
is faster than the csv module reading the file). When the conversion keeps every CPU busy
(one CPU, or two with the worker), the consumer's thread makes the output itself: a thread
of `lod.rdfio.prefetched` would have no CPU to run on (`lod.rdfio.inline`).

Not used (None from `Split.of`) for small files, encodings whose line ends are not the byte
0x0A, or dialects that skip rows (``skipRows``, ``skipBlankRows``: their row numbers are not
line counts).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import os
import select
import shutil
import signal
import struct
import tempfile
import warnings as py_warnings
from collections.abc import Iterator
from pathlib import Path

from lod.rdfio import inline

from .read import plain_records, reader_options
from .turtle import TurtleChunk

ENABLED = True  # tests turn it off, or make every table "big" (MIN_BYTES) in small ranges
RANGE_BYTES = 1 << 19  # of CSV per range (about 11 times as many bytes of N-Triples)
MIN_BYTES = 4 << 20  # smaller tables are converted by one process
# codecs in which every byte 0x0A is a line feed and decoding can start at any line
_CODECS = {"utf-8", "ascii", "cp1250", "cp1252", "iso8859-1", "iso8859-2", "iso8859-15"}
AHEAD = 3  # ranges the worker may convert before this process takes them
KEEP = 2  # ranges this process may convert ahead of its output (kept in memory)
_REPORT = struct.Struct("<BII")  # from the worker: kind, range, chunks (then their _LENGTHS)
_LENGTHS = struct.Struct("<QQ")  # of a chunk's N-Triples and of its Turtle after it
_MESSAGE = struct.Struct("<I")  # to the worker: 0 (a range taken) or k + 1 (range k claimed)
_DONE, _REFUSED = 0, 1
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

        def start(k: int) -> range:
            """Set the row and blank node counters for range k; its source row numbers."""
            fast.row_num, bnodes.count = before[k], base + per_row * before[k]
            return range(self.first_row + before[k], self.first_row + before[k + 1])

        def clean(f, k: int) -> list | None:
            """Range k's chunks if each of its lines is one record and it converts without a
            warning or a repaired row, else None (converted in its turn by this process)."""
            rows = parse_range(self.read(f, k), self.codec, self.options)
            sources = start(k)
            return None if rows is None else fast.clean_chunks(rows, sources, frame, prefix, bnodes)

        worker = None
        if cpus() > 1 and hasattr(os, "fork"):
            splice = getattr(fast.table, "parallel_splice", False)
            worker = _Worker.start(self, clean, splice)
        if 1 + (worker is not None) >= cpus():  # every CPU converts: no prefetch thread
            inline()
        kept: dict[int, list | None] = {}  # ranges converted ahead here, while the worker worked
        try:
            with open(self.path, "rb") as f:
                for k, (begin, _, _) in enumerate(self.ranges):
                    chunks = kept.pop(k, None)
                    if chunks is None and worker is not None and k not in worker.claimed:
                        while not worker.ready(k) and len(kept) < KEEP:
                            j = worker.next_free(k)
                            if j is None:
                                break
                            worker.claim(j)
                            kept[j] = clean(f, j)
                        chunks = worker.receive(k)
                    if chunks is not None:
                        yield from chunks
                        continue
                    rows = parse_range(self.read(f, k), self.codec, self.options)
                    sources = start(k)
                    if rows is None:  # not one record per line: read on as the serial code
                        if worker is not None:
                            worker.stop()
                            worker = None
                        records = plain_records(
                            self.path, fast.table.dialect, fast.table.url, begin, sources[0]
                        )
                        yield from fast.convert_records(
                            records, frame, prefix, bnodes, row_warnings, fit
                        )
                        return
                    yield from fast.convert_rows(
                        rows, sources, frame, prefix, bnodes, row_warnings, fit
                    )
            fast.row_num = before[-1]
            bnodes.count = base + per_row * fast.row_num
        finally:
            if worker is not None:
                worker.stop()


class _Worker:
    """The forked process converting the ranges, in order, that this one has not claimed.

    It writes each range's chunks to a file of its own in a private folder (its spool) and
    reports the range (`_REPORT`, then the chunks' lengths); this process opens and unlinks
    the file when it takes the range, so the file is gone once its chunks are written. This
    process claims a range (`claim`) when it would otherwise wait: the worker skips a range
    claimed before it starts it, and a range it converted anyway is dropped here. Messages to
    the worker (`_MESSAGE`) are 0 for a range taken and k + 1 for range k claimed. The worker
    runs at most AHEAD ranges ahead of this process, so the spool stays small."""

    def __init__(self, pid: int, reports: int, messages: int, folder: str, splice: bool, n: int):
        self.pid, self.folder, self.splice, self.n = pid, folder, splice, n
        self.reports, self.messages = reports, messages
        self.poll = select.poll()
        self.poll.register(reports, select.POLLIN)
        self.buffer = bytearray()
        self.reported: dict[int, tuple[int, list]] = {}  # range -> (kind, chunk lengths)
        self.claimed: set[int] = set()
        self.gone = False

    @classmethod
    def start(cls, split: Split, clean, splice: bool) -> _Worker | None:
        """Fork the worker; `clean(f, k)` converts range k (see `Split.run`)."""
        try:
            folder = tempfile.mkdtemp(prefix="lod-convert-")
        except OSError:
            return None
        r, w = os.pipe()  # reports, from the worker
        mr, mw = os.pipe()  # messages, to the worker
        with py_warnings.catch_warnings():  # Python 3.12 warns of fork() beside threads; the
            py_warnings.simplefilter("ignore", DeprecationWarning)  # child runs no thread's code
            try:
                pid = os.fork()
            except OSError:
                for fd in (r, w, mr, mw):
                    os.close(fd)
                shutil.rmtree(folder, ignore_errors=True)
                return None
        if pid:
            os.close(w)
            os.close(mr)
            return cls(pid, r, mw, folder, splice, len(split.ranges))
        try:  # the worker: never returns to the caller's code
            os.close(r)
            os.close(mw)
            gc.freeze()  # nothing it inherited is collected here (no finalizer runs twice)
            _work(split, clean, folder, w, mr)
        except BaseException:  # this process converts what it was not told of
            pass
        finally:
            os._exit(0)

    def ready(self, k: int) -> bool:
        """Whether `receive(k)` would not wait."""
        while not self.gone and k not in self.reported and self.poll.poll(0):
            self._read()
        return self.gone or k in self.reported

    def next_free(self, k: int) -> int | None:
        """The first range after k neither claimed nor reported (the worker's next)."""
        j = k + 1
        while j in self.claimed or j in self.reported:
            j += 1
        return j if j < self.n else None

    def claim(self, k: int) -> None:
        self.claimed.add(k)
        self._send(k + 1)

    def receive(self, k: int) -> list | None:
        """The chunks of range k from the worker, or None if it refused it (or is gone)."""
        while not self.gone and k not in self.reported:
            self._read()
        if k not in self.reported:
            return None
        kind, lengths = self.reported.pop(k)
        self._send(0)
        if kind != _DONE:
            return None
        spool = _Spool(os.path.join(self.folder, str(k))) if lengths else None
        chunks, position = [], 0
        for length, turtle in lengths:
            chunk = Spliced(spool, position, length)
            position += length
            if turtle:
                chunk = TurtleChunk(bytes(chunk))
                chunk.turtle = bytes(Spliced(spool, position, turtle))
                position += turtle
            elif not self.splice:
                chunk = bytes(chunk)
            chunks.append(chunk)
        return chunks

    def _read(self) -> None:
        """Read what the worker reported (waiting for it)."""
        try:
            data = os.read(self.reports, 1 << 16)
        except OSError:
            data = b""
        if not data:
            self.gone = True
            return
        self.buffer += data
        while len(self.buffer) >= _REPORT.size:
            kind, k, count = _REPORT.unpack_from(self.buffer)
            end = _REPORT.size + count * _LENGTHS.size
            if len(self.buffer) < end:
                return
            lengths = [
                _LENGTHS.unpack_from(self.buffer, at)
                for at in range(_REPORT.size, end, _LENGTHS.size)
            ]
            del self.buffer[:end]
            if k in self.claimed:  # converted here too: drop the worker's
                if kind == _DONE and lengths:
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(self.folder, str(k)))
                self._send(0)
            else:
                self.reported[k] = (kind, lengths)

    def _send(self, message: int) -> None:
        with contextlib.suppress(OSError):
            os.write(self.messages, _MESSAGE.pack(message))

    def stop(self) -> None:
        os.close(self.reports)
        os.close(self.messages)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        shutil.rmtree(self.folder, ignore_errors=True)  # the files of ranges not taken


def _work(split: Split, clean, folder: str, reports: int, messages: int) -> None:
    """The worker's loop: each range not claimed, in order, at most AHEAD ahead."""
    claimed: set[int] = set()
    ahead = 0  # ranges reported and not yet taken
    poll = select.poll()
    poll.register(messages, select.POLLIN)
    with open(split.path, "rb") as f, open(reports, "wb", buffering=1 << 12) as out:
        for k in range(len(split.ranges)):
            while poll.poll(0 if ahead < AHEAD else None):
                data = os.read(messages, 4096)
                if not data:  # this process is done with the worker
                    return
                for (message,) in _MESSAGE.iter_unpack(data):
                    if message:
                        claimed.add(message - 1)
                    else:
                        ahead -= 1
                if ahead < AHEAD:
                    break
            if k in claimed:
                continue
            out.write(_spooled(folder, k, clean(f, k)))
            out.flush()
            ahead += 1


def _spooled(folder: str, k: int, chunks: list | None) -> bytes:
    """Write range k's chunks (each followed by its Turtle) to their file in `folder`; the
    report of them (of a refused range if None)."""
    if chunks is None:
        return _REPORT.pack(_REFUSED, k, 0)
    if chunks:
        with open(os.path.join(folder, str(k)), "xb") as spool:  # the folder is 0700
            for chunk in chunks:
                spool.write(chunk)
                spool.write(getattr(chunk, "turtle", b""))
    lengths = [_LENGTHS.pack(len(c), len(getattr(c, "turtle", b""))) for c in chunks]
    return _REPORT.pack(_DONE, k, len(lengths)) + b"".join(lengths)


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
