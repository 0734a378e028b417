"""Two processes for one big table on the fast path (`lod convert`): the same bytes, sooner.

The table's bytes after its first data row are cut at line ends into ranges of about
RANGE_BYTES (`Split.of`, one pass over the file counting its lines). A forked worker converts
the ranges in order and tells this process through a pipe which it converted; this process
passes their N-Triples on in order, so the output is the serial output. Work is shared as it
goes: when the range this process needs next is not ready, it claims a later range the
worker has not reached and converts it meanwhile (at most KEEP kept in memory); the worker
skips the ranges claimed. So neither process waits while the other works, whatever the
consumer of the output costs this one (a fixed share of the ranges left this process waiting
for the worker's first ranges and the worker behind when writing was cheap).

When the chunks are written to a file (the table's ``parallel_output``: `lod convert -f nt`),
the worker writes its ranges there itself: it keeps a range's N-Triples until this process
reaches it in the output (`Placed.write_to`), says where it goes and moves on past it; the
worker writes it there (pwrite), and this process never touches those bytes. Before it is
done with the worker, this process waits until every range is written, and converts and
writes itself any range the worker could not write. (Through a temporary file that this
process had the kernel copy to the output (sendfile), the worker's output cost 0.06 s more
CPU time for bench/'s table; through a pipe, this process took longer to read and write it
than to convert it.) Otherwise (`lod ingest`'s conversion, Turtle) the worker writes each
range to a temporary file and this process reads it back.

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
import fcntl
import gc
import io
import os
import select
import shutil
import signal
import stat
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
_DONE, _REFUSED, _PLACED, _UNPLACED = 0, 1, 2, 3  # reports: range converted, or not; written
_MESSAGE = struct.Struct("<BIQ")  # to the worker: kind, range, offset in the output
_TAKEN, _CLAIMED, _PLACE = 0, 1, 2  # messages: range taken (dropped), claimed, write it here
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

        output = getattr(fast.table, "parallel_output", None)
        fd = _placeable(output) if fast.turtle is None else None
        worker = None
        if cpus() > 1 and hasattr(os, "fork"):
            worker = _Worker.start(self, clean, fd)
        if 1 + (worker is not None) >= cpus() or (worker is not None and worker.fd is not None):
            # every CPU converts: no prefetch thread; the worker writes into the output: each
            # chunk is written before this generator goes on (see `_Worker.settle`)
            inline()
        kept: dict[int, list | None] = {}  # ranges converted ahead here, while the worker worked
        try:
            with open(self.path, "rb") as f:

                def refill(k: int, offset: int, length: int) -> None:
                    """Write range k at `offset` of the output: what the worker could not."""
                    chunks = clean(f, k) or []
                    if sum(map(len, chunks)) != length or not _write_at(fd, chunks, offset):
                        raise RuntimeError(f"range {k} of {self.path} could not be written")

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
                    if rows is None and worker is not None:  # read on as the serial code
                        worker.settle(refill)
                        worker.stop()
                        worker = None
                    sources = start(k)
                    if rows is None:
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
                if worker is not None:
                    worker.settle(refill)
            fast.row_num = before[-1]
            bnodes.count = base + per_row * fast.row_num
        finally:
            if worker is not None:
                worker.stop()


def _placeable(output) -> int | None:
    """The file descriptor of `output` if the worker can write into it at any offset: a
    regular file open for writing, not for appending."""
    try:
        fd = output.fileno()
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    if not regular or flags & os.O_APPEND or flags & os.O_ACCMODE == os.O_RDONLY:
        return None
    return fd


def _write_at(fd: int, chunks: list, offset: int) -> bool:
    """Write the chunks one after another from `offset` of the file `fd`; False if it fails."""
    try:
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                written = os.pwrite(fd, view, offset)
                view, offset = view[written:], offset + written
    except OSError:
        return False
    return True


class _Worker:
    """The forked process converting the ranges, in order, that this one has not claimed.

    With `fd` (the output's file descriptor, which the worker shares) it keeps each range's
    N-Triples and reports their length; this process sends their offset in the output when
    it reaches them (`place`), and the worker writes them there. Otherwise it writes each
    range's chunks to a file of its own in a private folder (its spool) and reports the
    range (`_REPORT`, then the chunks' lengths); this process reads and unlinks the file when
    it takes the range. This process claims a range (`claim`) when it would otherwise wait:
    the worker skips a range claimed before it starts it, and a range it converted anyway is
    dropped. Messages to the worker are `_MESSAGE`s. The worker runs at most AHEAD ranges
    ahead of this process, so what it keeps stays small."""

    def __init__(self, pid: int, reports: int, messages: int, folder, fd, n: int):
        self.pid, self.folder, self.fd, self.n = pid, folder, fd, n
        self.reports, self.messages = reports, messages
        self.poll = select.poll()
        self.poll.register(reports, select.POLLIN)
        self.buffer = bytearray()
        self.reported: dict[int, tuple[int, list]] = {}  # range -> (kind, chunk lengths)
        self.claimed: set[int] = set()
        self.unwritten: set[int] = set()  # ranges handed on as `Placed` and not yet placed
        self.requested: dict[int, tuple[int, int]] = {}  # range -> (offset, length) to write
        self.placed: dict[int, bool] = {}  # range -> written by the worker
        self.gone = False

    @classmethod
    def start(cls, split: Split, clean, fd: int | None) -> _Worker | None:
        """Fork the worker; `clean(f, k)` converts range k (see `Split.run`); `fd`: the
        output's file descriptor, where the worker writes its ranges itself."""
        try:
            folder = tempfile.mkdtemp(prefix="lod-convert-") if fd is None else None
        except OSError:
            return None
        r, w = os.pipe()  # reports, from the worker
        mr, mw = os.pipe()  # messages, to the worker
        with py_warnings.catch_warnings():  # Python 3.12 warns of fork() beside threads; the
            py_warnings.simplefilter("ignore", DeprecationWarning)  # child runs no thread's code
            try:
                pid = os.fork()
            except OSError:
                for descriptor in (r, w, mr, mw):
                    os.close(descriptor)
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                return None
        if pid:
            os.close(w)
            os.close(mr)
            return cls(pid, r, mw, folder, fd, len(split.ranges))
        try:  # the worker: never returns to the caller's code
            os.close(r)
            os.close(mw)
            gc.freeze()  # nothing it inherited is collected here (no finalizer runs twice)
            _work(split, clean, folder, fd, w, mr)
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
        self._send(_CLAIMED, k)

    def receive(self, k: int) -> list | None:
        """The chunks of range k from the worker (one `Placed` if it writes them itself), or
        None if it refused it (or is gone)."""
        self._written()
        while not self.gone and k not in self.reported:
            self._read()
        if k not in self.reported:
            return None
        kind, lengths = self.reported.pop(k)
        total = sum(length + turtle for length, turtle in lengths)
        if kind == _DONE and self.fd is not None and total:
            self.unwritten.add(k)
            return [Placed(self, k, total)]
        self._send(_TAKEN, k)
        if kind != _DONE:
            return None
        chunks = []
        if lengths and self.fd is None:
            path = os.path.join(self.folder, str(k))
            with open(path, "rb") as spool:
                os.unlink(path)
                for length, turtle in lengths:
                    chunk = spool.read(length)
                    if turtle:
                        chunk = TurtleChunk(chunk)
                        chunk.turtle = spool.read(turtle)
                    chunks.append(chunk)
        if sum(len(c) + len(getattr(c, "turtle", b"")) for c in chunks) != total:
            raise OSError(f"the spool of the second process ended early (range {k})")
        return chunks

    def place(self, k: int, length: int, output) -> None:
        """Range k goes where `output` stands: tell the worker, and move `output` past it."""
        if output.fileno() != self.fd:
            raise ValueError("the second process writes its ranges into another file")
        output.flush()
        offset = output.tell()
        self.unwritten.discard(k)
        self.requested[k] = (offset, length)
        self._send(_PLACE, k, offset)
        output.seek(offset + length)

    def settle(self, refill) -> None:
        """Wait until the worker has written each range it was told where to; have
        `refill(k, offset, length)` write those it could not (or did not, being gone)."""
        self._written()
        while not self.gone and not self.requested.keys() <= self.placed.keys():
            self._read()
        for k, (offset, length) in sorted(self.requested.items()):
            if not self.placed.get(k):
                refill(k, offset, length)
        self.requested.clear()

    def _written(self) -> None:
        """Raise if a range the worker keeps was handed on and not written since: its consumer
        went ahead of the output (and the worker would wait for it for ever)."""
        if self.unwritten:
            raise RuntimeError(f"ranges {sorted(self.unwritten)} were not written in order")

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
            if kind in (_PLACED, _UNPLACED):
                self.placed[k] = kind == _PLACED
            elif k in self.claimed:  # converted here too: drop the worker's
                if kind == _DONE and lengths and self.folder is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(os.path.join(self.folder, str(k)))
                self._send(_TAKEN, k)
            else:
                self.reported[k] = (kind, lengths)

    def _send(self, kind: int, k: int, offset: int = 0) -> None:
        with contextlib.suppress(OSError):
            os.write(self.messages, _MESSAGE.pack(kind, k, offset))

    def stop(self) -> None:
        os.close(self.reports)
        os.close(self.messages)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)  # the files of ranges not taken


def _work(split: Split, clean, folder, fd, reports: int, messages: int) -> None:
    """The worker's loop: each range not claimed, in order, at most AHEAD ahead; with `fd`,
    it then writes the ranges it kept where it is told, until none is left."""
    claimed: set[int] = set()
    kept: dict[int, list] = {}  # with fd: ranges converted, not yet written
    ahead = 0  # ranges reported and not yet taken
    pending = b""  # the start of a message
    poll = select.poll()
    poll.register(messages, select.POLLIN)
    with open(split.path, "rb") as f, open(reports, "wb", buffering=1 << 12) as out:

        def serve(wait: bool) -> bool:
            """Act on the messages come (waiting for one if `wait`); False once this process
            is done with the worker."""
            nonlocal ahead, pending
            while poll.poll(None if wait else 0):
                data = os.read(messages, 1 << 12)
                if not data:
                    return False
                pending += data
                whole = len(pending) - len(pending) % _MESSAGE.size
                for kind, k, offset in _MESSAGE.iter_unpack(pending[:whole]):
                    if kind == _CLAIMED:
                        claimed.add(k)
                        continue
                    ahead -= 1
                    chunks = kept.pop(k, None)
                    if kind == _PLACE:
                        written = chunks is not None and _write_at(fd, chunks, offset)
                        out.write(_REPORT.pack(_PLACED if written else _UNPLACED, k, 0))
                        out.flush()
                pending = pending[whole:]
                wait = False
            return True

        for k in range(len(split.ranges)):
            if not serve(False):
                return
            while ahead >= AHEAD:
                if not serve(True):
                    return
            if k in claimed:
                continue
            chunks = clean(f, k)
            if fd is not None and chunks is not None:
                kept[k] = chunks
                length = sum(map(len, chunks))
                out.write(_REPORT.pack(_DONE, k, 1) + _LENGTHS.pack(length, 0))
            else:
                out.write(_spooled(folder, k, chunks))
            out.flush()
            ahead += 1
        while kept:
            if not serve(True):
                return


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


class Placed:
    """A range's N-Triples that the worker keeps until `write_to(output)` says where in the
    output they go (the output's current position); the worker then writes them there."""

    __slots__ = ("worker", "k", "length")

    def __init__(self, worker: _Worker, k: int, length: int):
        self.worker, self.k, self.length = worker, k, length

    def __len__(self) -> int:
        return self.length

    def write_to(self, output) -> None:
        """Leave the range's place in `output` (a binary file: flushed first) to the worker."""
        self.worker.place(self.k, self.length, output)
