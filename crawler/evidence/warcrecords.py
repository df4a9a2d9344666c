"""A WARC file's records read as far as they are whole, and each response's body read within the live crawl's size
limit, so that replay and reparse meet a hostile or damaged WARC as a live crawl meets a hostile site: a gzip bomb
or a huge page stops at the limit ("too large"), a record cut short is said to be ("truncated"), and the rest of the
file is still read. No Scrapy here.

The body is read in two bounded steps: at most `limit` + 1 bytes of the record's payload as stored (the bytes a live
crawl would have received), then de-chunked and decompressed piece by piece, stopping as soon as the output passes
`limit`. warcio's own content_stream() inflates a whole 16 KB block at a time, which a brotli bomb turns into
gigabytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any, ClassVar

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataReader
from warcio.recordloader import ArcWarcRecord

from crawler import settings

#: The live crawl's limit (Scrapy's DOWNLOAD_MAXSIZE in crawler/settings.py), on the stored and the decoded body.
BODY_LIMIT: int = settings.DOWNLOAD_MAXSIZE
_PIECE = 64 * 1024


class WarcError(Exception):
    """A WARC file that cannot be read (empty, not a WARC at all); the message is meant for the user."""


class BadRecord(Exception):
    """A record whose body cannot be handed on whole; `kind` is the failure's kind in the run's `failures` rows."""

    kind: ClassVar[str] = "bad record"


class RecordTooLarge(BadRecord):
    kind = "too large"


class RecordTruncated(BadRecord):
    kind = "truncated"


def _read_at_most(stream: Any, size: int) -> bytes:
    out = bytearray()
    while len(out) < size:
        piece = stream.read(min(_PIECE, size - len(out)))
        if not piece:
            break
        out += piece
    return bytes(out)


def _describe(error: Exception) -> str:
    """One short printable line (warcio quotes the unreadable line, which may be binary)."""
    text = f"{type(error).__name__}: {error}".splitlines()[0].split(", first line:")[0]
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


def _missing(stream: Any) -> int:
    """Bytes the record's header promised that the file does not hold (warcio's LimitReader counts them down)."""
    return max(int(getattr(stream, "limit", 0) or 0), 0)


def _too_large(limit: int) -> RecordTooLarge:
    return RecordTooLarge(f"body exceeds the size limit of {limit} bytes (DOWNLOAD_MAXSIZE)")


def _bounded(first: bytes, more: Callable[[], bytes], finished: Callable[[], bool], limit: int) -> bytes:
    """What a decompressor gives, piece by piece (`first`, then `more()` until `finished()` or nothing comes),
    stopped with RecordTooLarge as soon as it passes `limit`: a bomb never inflates past it."""
    out = bytearray(first)
    while not finished():
        if len(out) > limit:
            raise _too_large(limit)
        piece = more()
        if not piece:
            break
        out += piece
    if len(out) > limit:
        raise _too_large(limit)
    return bytes(out)


def _inflate(data: bytes, limit: int, wbits: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    return _bounded(decompressor.decompress(data, _PIECE),
                    lambda: decompressor.decompress(decompressor.unconsumed_tail, _PIECE),
                    lambda: decompressor.eof, limit)


def _unbrotli(data: bytes, limit: int) -> bytes:
    import brotli

    decompressor = brotli.Decompressor()
    return _bounded(decompressor.process(data, output_buffer_limit=_PIECE),
                    lambda: decompressor.process(b"", output_buffer_limit=_PIECE),
                    decompressor.is_finished, limit)


def _decode(data: bytes, encoding: str, limit: int) -> bytes:
    """`data` under one Content-Encoding. As warcio does, a body that does not decode at its first byte is taken as
    not encoded at all (servers label plain bodies gzip); one that breaks later is a body cut short."""
    attempts: list[Any]
    if encoding in ("gzip", "x-gzip"):
        attempts = [lambda: _inflate(data, limit, 16 + zlib.MAX_WBITS)]
    elif encoding == "deflate":
        attempts = [lambda: _inflate(data, limit, zlib.MAX_WBITS), lambda: _inflate(data, limit, -zlib.MAX_WBITS)]
    elif encoding == "br":
        attempts = [lambda: _unbrotli(data, limit)]
    else:
        return data  # identity, or an encoding nobody decodes: handed on as stored, as warcio does
    for attempt in attempts:
        try:
            return attempt()
        except RecordTooLarge:
            raise
        except Exception as e:  # zlib.error, brotli.error
            error = e
    if data[:2] == b"\x1f\x8b" or encoding == "br":
        raise RecordTruncated(f"{encoding} body does not decode: {type(error).__name__}: {error}".splitlines()[0])
    return data


def read_body(record: ArcWarcRecord, limit: int = BODY_LIMIT) -> bytes:
    """The HTTP body of a response record, de-chunked and decompressed. Raises RecordTooLarge past `limit` bytes
    (stored or decoded) and RecordTruncated when the file ends before the record does."""
    stream = record.raw_stream
    try:
        stored = _read_at_most(stream, limit + 1)
    except Exception as e:  # the WARC file's own gzip is corrupt inside this record
        raise RecordTruncated(f"record unreadable: {_describe(e)}") from None
    if len(stored) > limit:
        raise _too_large(limit)
    missing = _missing(stream)
    if missing:
        raise RecordTruncated(f"record cut short: the file ends {missing} bytes before the record's end")
    headers = record.http_headers
    if headers is None:
        return stored
    if (headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        stored = ChunkedDataReader(BytesIO(stored)).read()  # never longer than what it reads
    encodings = [e.strip().lower() for e in (headers.get_header("Content-Encoding") or "").split(",") if e.strip()]
    for encoding in reversed(encodings):
        stored = _decode(stored, encoding, limit)
    return stored


class WarcRecords:
    """The records of one WARC file with their offsets. A file with no record at its start raises WarcError.
    Further on, every record found cut short, and every stretch of the file that holds no readable record, is kept
    in `problems` as (url or file path, "truncated", detail), unless the reader already reported the record with
    `report`; past such a stretch reading goes on at the next record that can be read (the next gzip member, or the
    next "WARC/" line of an uncompressed file), so one damaged record costs only itself."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.problems: list[tuple[str, str, str]] = []
        self._reported = False
        self._seen = 0

    def report(self, record: ArcWarcRecord, error: BadRecord) -> None:
        """Keep `error` (raised by read_body on the current record) as the current record's problem."""
        self._reported = True
        url = record.rec_headers.get_header("WARC-Target-URI") or str(self.path)
        self.problems.append((url, error.kind, f"{self.path.name}: {error}"))

    def __iter__(self) -> Iterator[tuple[ArcWarcRecord, int]]:
        size = self.path.stat().st_size
        if size == 0:
            raise WarcError(f"{self.path} is empty, not a WARC file")
        self._seen = 0
        with self.path.open("rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
            start: int | None = 0
            damage: tuple[int, str] | None = None  # where the unreadable stretch began, and why
            while start is not None:
                before = self._seen
                damaged_at = yield from self._read_from(fh, start, size)
                if self._seen > before and damage is not None:  # reading took up again past the stretch
                    self._lost(damage, f"to offset {start}")
                    damage = None
                if damaged_at is None:
                    break
                damage = damage or damaged_at
                start = _next_start(fh, damaged_at[0] + 1, gzipped)
            if damage is not None:
                self._lost(damage, "to the end of the file")
        if not self._seen:
            raise WarcError(f"{self.path} holds no WARC record")

    def _lost(self, damage: tuple[int, str], until: str) -> None:
        offset, detail = damage
        self.problems.append((str(self.path), RecordTruncated.kind,
                              f"{self.path.name}: no readable record from offset {offset} {until} ({detail})"))

    def _read_from(self, fh: Any, start: int, size: int) -> Any:
        """Yield the records from `start` on; returns (offset, why) of the first damage met, None at a clean end."""
        fh.seek(start)
        records = ArchiveIterator(fh)
        while True:
            try:
                record = next(records, None)
                if record is None:
                    # warcio ends quietly when a gzip member is cut inside the record's own header
                    return (records.offset, "no whole record") if records.offset < size else None
                offset = records.offset  # where this record starts (get_record_offset() would read it through)
            except Exception as e:  # warcio, zlib and brotli errors of a damaged file come in many types
                if not self._seen:
                    raise WarcError(f"cannot read {self.path} as a WARC file: {_describe(e)}") from None
                return records.offset, _describe(e)
            self._seen += 1
            self._reported = False
            yield record, offset
            try:
                while record.raw_stream.read(_PIECE):  # what the reader left, in pieces: then is it whole?
                    pass
            except Exception as e:  # the file's own gzip is corrupt inside this record
                self._report_cut(record, offset, f"unreadable: {_describe(e)}")
                return offset, _describe(e)
            missing = _missing(record.raw_stream)
            if missing:
                self._report_cut(record, offset, f"cut short: the file ends {missing} bytes before its end")

    def _report_cut(self, record: ArcWarcRecord, offset: int, what: str) -> None:
        if self._reported:
            return
        self._reported = True
        url = record.rec_headers.get_header("WARC-Target-URI") or str(self.path)
        self.problems.append((url, RecordTruncated.kind, f"{self.path.name}: record at offset {offset} {what}"))


def _next_start(fh: Any, after: int, gzipped: bool) -> int | None:
    """Offset of the next place at or after `after` where a record may start (a gzip member's magic bytes, or a
    "WARC/1." line), None if there is none. A false start is only a record that does not read: the search goes on."""
    magic = b"\x1f\x8b\x08" if gzipped else b"\nWARC/1."
    skip = 0 if gzipped else 1
    fh.seek(after)
    position, tail = after, b""
    while True:
        piece = fh.read(1024 * 1024)
        if not piece:
            return None
        data = tail + piece
        found = data.find(magic)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = data[-(len(magic) - 1):]
        position += len(piece)
