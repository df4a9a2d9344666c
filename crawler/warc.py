"""Reading WARC files: an index of a file's HTTP responses by URL, and reading one back. No Scrapy here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

#: Headers that describe the transfer, not the page: the body we hand on is already de-chunked and decompressed.
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class WarcError(Exception):
    """A WARC file that cannot be read; the message is meant for the user."""


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
    """URL -> offset of its (first) response record in one WARC file."""

    def __init__(self, path: Path, offsets: dict[str, int]):
        self.path = path
        self.offsets = offsets

    @classmethod
    def open(cls, path: str | Path) -> "WarcIndex":
        path = Path(path)
        if not path.is_file():
            raise WarcError(f"no WARC file at {path}")
        offsets: dict[str, int] = {}
        by_digest: dict[str, int] = {}
        revisits: list[tuple[str, str | None, str | None]] = []
        try:
            with path.open("rb") as fh:
                records = ArchiveIterator(fh)
                for record in records:
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    if not url:
                        continue
                    if record.rec_type == "response" and record.http_headers is not None:
                        offset = records.get_record_offset()
                        offsets.setdefault(url_key(url), offset)
                        digest = record.rec_headers.get_header("WARC-Payload-Digest")
                        if digest:
                            by_digest.setdefault(digest, offset)
                    elif record.rec_type == "revisit":
                        # "the same payload as an earlier capture" (wget, Browsertrix, Heritrix dedup)
                        revisits.append((url, record.rec_headers.get_header("WARC-Payload-Digest"),
                                         record.rec_headers.get_header("WARC-Refers-To-Target-URI")))
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as e:
            raise WarcError(f"cannot read {path} as a WARC file: {e}".splitlines()[0]) from None
        except Exception as e:  # zlib and brotli errors of a corrupt file come in many types
            raise WarcError(f"cannot read {path} as a WARC file: {type(e).__name__}: {e}".splitlines()[0]) from None
        for url, digest, refers_to in revisits:
            original = by_digest.get(digest or "") or (offsets.get(url_key(refers_to)) if refers_to else None)
            if original is not None:
                offsets.setdefault(url_key(url), original)
        return cls(path, offsets)

    def __len__(self) -> int:
        return len(self.offsets)

    def __contains__(self, url: str) -> bool:
        return url_key(url) in self.offsets

    def get(self, url: str) -> Capture | None:
        offset = self.offsets.get(url_key(url))
        if offset is None:
            return None
        with self.path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            body = record.content_stream().read()
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
