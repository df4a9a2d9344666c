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
from collections.abc import Iterator
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


def _missing(stream: Any) -> int:
    """Bytes the record's header promised that the file does not hold (warcio's LimitReader counts them down)."""
    return max(int(getattr(stream, "limit", 0) or 0), 0)


def _too_large(limit: int) -> RecordTooLarge:
    return RecordTooLarge(f"body exceeds the size limit of {limit} bytes (DOWNLOAD_MAXSIZE)")


def _inflate(data: bytes, limit: int, wbits: int) -> bytes:
    decompressor = zlib.decompressobj(wbits)
    out = bytearray(decompressor.decompress(data, _PIECE))
    while not decompressor.eof:
        if len(out) > limit:
            raise _too_large(limit)
        piece = decompressor.decompress(decompressor.unconsumed_tail, _PIECE)
        if not piece:
            break
        out += piece
    if len(out) > limit:
        raise _too_large(limit)
    return bytes(out)


def _unbrotli(data: bytes, limit: int) -> bytes:
    import brotli

    decompressor = brotli.Decompressor()
    out = bytearray(decompressor.process(data, output_buffer_limit=_PIECE))
    while not decompressor.is_finished():
        if len(out) > limit:
            raise _too_large(limit)
        piece = decompressor.process(b"", output_buffer_limit=_PIECE)
        if not piece:
            break
        out += piece
    if len(out) > limit:
        raise _too_large(limit)
    return bytes(out)


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
    stored = _read_at_most(stream, limit + 1)
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
    """The records of one WARC file with their offsets. A file with no record at its start raises WarcError;
    damage further on ends the reading, and every record found cut short is kept in `problems` as
    (url or file path, kind, detail) unless the reader already reported it with `report`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.problems: list[tuple[str, str, str]] = []
        self._reported = False

    def report(self, record: ArcWarcRecord, error: BadRecord) -> None:
        """Keep `error` (raised by read_body on the current record) as the current record's problem."""
        self._reported = True
        url = record.rec_headers.get_header("WARC-Target-URI") or str(self.path)
        self.problems.append((url, error.kind, f"{self.path.name}: {error}"))

    def _lost_after(self, offset: int, detail: str) -> None:
        self.problems.append((str(self.path), RecordTruncated.kind, f"{self.path.name}: unreadable after offset "
                              f"{offset} ({detail}); the records after it are lost"))

    def __iter__(self) -> Iterator[tuple[ArcWarcRecord, int]]:
        size = self.path.stat().st_size
        if size == 0:
            raise WarcError(f"{self.path} is empty, not a WARC file")
        seen = 0
        offset = 0
        with self.path.open("rb") as fh:
            records = ArchiveIterator(fh)
            while True:
                try:
                    record = next(records, None)
                    if record is None:
                        # warcio ends quietly when a gzip member is cut inside the record's own header
                        if seen and records.offset < size:
                            self._lost_after(records.offset, "the rest of the file is no whole record")
                        break
                    offset = records.offset  # where this record starts (get_record_offset() would read it through)
                except Exception as e:  # warcio, zlib and brotli errors of a damaged file come in many types
                    detail = f"{type(e).__name__}: {e}".splitlines()[0]
                    if not seen:
                        raise WarcError(f"cannot read {self.path} as a WARC file: {detail}") from None
                    self._lost_after(offset, detail)
                    return
                seen += 1
                self._reported = False
                yield record, offset
                while record.raw_stream.read(_PIECE):  # what the reader left, in pieces: then is it whole?
                    pass
                missing = _missing(record.raw_stream)
                if missing and not self._reported:
                    url = record.rec_headers.get_header("WARC-Target-URI") or str(self.path)
                    self.problems.append((url, RecordTruncated.kind, f"{self.path.name}: record at offset {offset} "
                                          f"cut short: the file ends {missing} bytes before its end"))
        if not seen:
            raise WarcError(f"{self.path} holds no WARC record")
