"""Reading WARC files: an index of a file's HTTP responses by URL, and reading one back. No Scrapy here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.evidence.warcrecords import BODY_LIMIT, WarcError, WarcRecords, read_body

__all__ = ["BODY_LIMIT", "Capture", "WarcError", "WarcIndex", "WarcWriterFiles", "copy_without", "url_key"]

#: Headers that describe the transfer, not the page: the body we hand on is already de-chunked and decompressed.
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True)
class Capture:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: datetime | None


def url_key(url: str) -> str:
    """Lookup key: scheme and fragment do not matter for replay."""
    url = url.split("#", 1)[0]
    return url.split("://", 1)[-1]


class WarcIndex:
    """URL -> offset of its (first) response record in one WARC file. `damage`: (url or file path, kind, detail) of
    what the file lost that no URL of the index stands for (the file unreadable from some offset on, a record other
    than an indexed response cut short); an indexed response that is damaged says so when it is read (`get`)."""

    def __init__(self, path: Path, offsets: dict[str, int], damage: list[tuple[str, str, str]] | None = None):
        self.path = path
        self.offsets = offsets
        self.damage = damage or []

    @classmethod
    def open(cls, path: str | Path) -> "WarcIndex":
        path = Path(path)
        if not path.is_file():
            raise WarcError(f"no WARC file at {path}")
        offsets: dict[str, int] = {}
        by_digest: dict[str, int] = {}
        revisits: list[tuple[str, str | None, str | None]] = []
        records = WarcRecords(path)
        try:
            for record, offset in records:
                url = record.rec_headers.get_header("WARC-Target-URI")
                if not url:
                    continue
                if record.rec_type == "response" and record.http_headers is not None:
                    if record.http_headers.get_statuscode() == "304":
                        continue  # a live run's "not modified" holds no page: nothing to replay for its URL
                    offsets.setdefault(url_key(url), offset)
                    digest = record.rec_headers.get_header("WARC-Payload-Digest")
                    if digest:
                        by_digest.setdefault(digest, offset)
                elif record.rec_type == "revisit":
                    # "the same payload as an earlier capture" (wget, Browsertrix, Heritrix dedup)
                    revisits.append((url, record.rec_headers.get_header("WARC-Payload-Digest"),
                                     record.rec_headers.get_header("WARC-Refers-To-Target-URI")))
        except OSError as e:
            raise WarcError(f"cannot read {path}: {e}".splitlines()[0]) from None
        for url, digest, refers_to in revisits:
            original = by_digest.get(digest or "") or (offsets.get(url_key(refers_to)) if refers_to else None)
            if original is not None:
                offsets.setdefault(url_key(url), original)
        damage = [problem for problem in records.problems if url_key(problem[0]) not in offsets]
        return cls(path, offsets, damage)

    def __len__(self) -> int:
        return len(self.offsets)

    def __contains__(self, url: str) -> bool:
        return url_key(url) in self.offsets

    def get(self, url: str, limit: int = BODY_LIMIT) -> Capture | None:
        """The capture of `url`, None if the file holds none. Raises RecordTooLarge past `limit` bytes (stored or
        decoded) and RecordTruncated for a record the file holds only part of."""
        offset = self.offsets.get(url_key(url))
        if offset is None:
            return None
        with self.path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            body = read_body(record, limit)
            headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in TRANSFER_HEADERS]
            status = int(record.http_headers.get_statuscode() or 200)
            date_text = record.rec_headers.get_header("WARC-Date")
        date = None
        if date_text:
            try:
                date = datetime.fromisoformat(date_text.replace("Z", "+00:00"))
            except ValueError:
                date = None
        return Capture(record.rec_headers.get_header("WARC-Target-URI"), status, headers, body, date)


def copy_without(source: str | Path, target: str | Path, skip_urls: set[str]) -> int:
    """Copy a WARC's records to `target` except the responses for `skip_urls` (a snapshot as it was before those
    pages existed); returns how many records were left out."""
    from warcio.warcwriter import WARCWriter

    skip = {url_key(u) for u in skip_urls}
    left_out = 0
    with Path(source).open("rb") as src, Path(target).open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for record in ArchiveIterator(src):
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and url and url_key(url) in skip:
                left_out += 1
                continue
            writer.write_record(record)
    return left_out


class WarcWriterFiles:
    """gzip WARC files named `<prefix>-<UTC time>-<n>.warc.gz` in `folder`, each opened with a warcinfo record and
    closed for a new one past `max_bytes`."""

    def __init__(self, folder: Path, prefix: str, max_bytes: int, info: dict[str, str]):
        self.folder, self.prefix, self.max_bytes, self.info = folder, prefix, max_bytes, info
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self.number = 0
        self.fh = None
        #: the records of one write, compressed, before they go to the file in one piece
        self.buffer = BytesIO()
        self.writer: WARCWriter | None = None
        self.path: Path | None = None

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.number += 1
        self.path = self.folder / f"{self.prefix}-{self.stamp}-{self.number:05d}.warc.gz"
        self.fh = self.path.open("ab", buffering=0)
        self.writer = WARCWriter(self.buffer, gzip=True)
        self.writer.write_record(self.writer.create_warcinfo_record(self.path.name, self.info))
        self._append()

    def _append(self) -> None:
        """Write the records in the buffer to the end of the file whole: a short write is continued, and a failed
        one (a full disk) cuts the file back to where the records began, so it never ends in half a record."""
        data, start = self.buffer.getvalue(), self.fh.tell()
        self.buffer.seek(0)
        self.buffer.truncate()
        view = memoryview(data)
        try:
            while view:
                written = self.fh.write(view)
                view = view[written or 0:]
        except OSError:
            try:
                os.ftruncate(self.fh.fileno(), start)
                self.fh.seek(start)
            except OSError:
                pass
            raise

    def write(self, url: str, status: int, reason: str, headers: list[tuple[str, str]], body: bytes,
              request_headers: list[tuple[str, str]], method: str = "GET",
              warc_date: str | None = None) -> tuple[str, int, str]:
        """Write the response and its request; (file name, offset, record id) of the response record.
        `warc_date` (ISO 8601, UTC) for a page captured earlier by someone else (a backfill from a web archive)."""
        if self.fh is None or self.fh.tell() > self.max_bytes:
            self.close()
            self._open()
        writer = self.writer
        http = StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol="HTTP/1.1")
        dated = {"WARC-Date": warc_date} if warc_date else None
        response = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                             warc_headers_dict=dated)
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        request_line = StatusAndHeaders(f"{method} /{path} HTTP/1.1", request_headers, is_http_request=True)
        request = writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=request_line,
                                            warc_headers_dict=dated)
        offset = self.fh.tell()
        writer.write_request_response_pair(request, response)
        self._append()
        return self.path.name, offset, response.rec_headers.get_header("WARC-Record-ID")

    def close(self) -> None:
        if self.fh is not None:
            os.fsync(self.fh.fileno())
            self.fh.close()
            self.fh = None
