"""Replay and reparse over hostile and damaged WARCs: the live crawl's size limit (DOWNLOAD_MAXSIZE) on every body,
decoded piece by piece so a gzip bomb stops at the limit, records cut short said to be, the rest of the file read,
and a file that is no WARC at all refused in one line. Every WARC is built here, in tmp_path, with warcio."""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import re
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import brotli
import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, ResponseDataLossError
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import ROOT, db_rows as rows
from crawler import settings
from crawler.cli import main
from crawler.evidence.replay import WarcReplayHandler
from crawler.evidence.warcrecords import BODY_LIMIT, RecordTooLarge, RecordTruncated, WarcRecords, read_body

LISTING = "https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416"


def article_url(n: int) -> str:
    return f"https://thanhuytphcm.vn/tin-tuc/bai-thu-{n}-{1000000000 + n}"


WORDS = ("Đảng", "ủy", "thành", "phố", "cán", "bộ", "đảng", "viên", "nhân", "dân", "phường", "quận", "học", "tập",
         "lý", "luận", "chính", "trị", "kinh", "tế", "xã", "hội", "văn", "hóa", "giáo", "dục", "y", "tế", "an", "ninh")


def article(n: int) -> bytes:
    """A thanhuytphcm article page, its own text for each `n` (no copy of another: the copy check would keep one)."""
    rng = random.Random(n)
    paragraphs = "".join(f"<p>{' '.join(rng.choice(WORDS) for _ in range(60))}.</p>" for _ in range(4))
    return (f'<html><head><meta charset="utf-8"><title>Bài thử số {n}</title></head><body>'
            f'<div class="news-detail"><h1 class="news-title">Bài thử số {n}</h1>'
            f'<div class="news-content">{paragraphs}</div></div></body></html>').encode()


def http(*headers: tuple[str, str]) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), *headers], protocol="HTTP/1.1")


def write_response(writer: WARCWriter, url: str, body: bytes, *headers: tuple[str, str]) -> None:
    writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http(*headers)))


def gzip_bomb(size: int) -> bytes:
    """A small gzip body that inflates to `size` bytes (compressed as a stream: never `size` bytes in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    piece = b"\0" * (1024 * 1024)
    out = [compressor.compress(piece) for _ in range(size // len(piece) + 1)]
    return b"".join(out) + compressor.flush()


def claiming_member(url: str, body: bytes, claimed: int = 99_999_999_999) -> bytes:
    """One gzip member holding a response record whose WARC Content-Length claims `claimed` bytes."""
    raw = BytesIO()
    WARCWriter(raw, gzip=False).write_record(
        WARCWriter(BytesIO(), gzip=False).create_warc_record(url, "response", payload=BytesIO(body),
                                                             http_headers=http()))
    record, count = re.subn(rb"Content-Length: \d+", b"Content-Length: %d" % claimed, raw.getvalue(), count=1)
    assert count == 1
    return gzip.compress(record)


def listing_page(*urls: str) -> bytes:
    links = "".join(f'<a href="{u.split("thanhuytphcm.vn", 1)[1]}">{u}</a>' for u in urls)
    return f'<html><body><div class="news-list">{links}</div></body></html>'.encode()


#: article number -> what its record is
HEALTHY_BEFORE, BOMB, BIG, CLAIMS, HEALTHY_AFTER = 1, 2, 3, 4, 5


def hostile_warc(path: Path) -> Path:
    """A gzip WARC: a healthy article, a gzip bomb, a page past the limit, a record claiming 99,999,999,999 bytes,
    and a healthy article after them; and a listing that links all five."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        write_response(writer, LISTING, listing_page(*map(article_url, range(1, 6))))
        write_response(writer, article_url(HEALTHY_BEFORE), article(HEALTHY_BEFORE))
        write_response(writer, article_url(BOMB), gzip_bomb(5 * BODY_LIMIT), ("Content-Encoding", "gzip"))
        write_response(writer, article_url(BIG), article(BIG).replace(b"</body>", b"x" * BODY_LIMIT + b"</body>"))
        fh.write(claiming_member(article_url(CLAIMS), article(CLAIMS)))
        write_response(writer, article_url(HEALTHY_AFTER), article(HEALTHY_AFTER))
    return path


def cut_warc(path: Path) -> tuple[Path, int]:
    """A gzip WARC of two healthy articles and a third one of incompressible text, cut in the third one's body;
    returns it and the cut's offset."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in (1, 2):
            write_response(writer, article_url(n), article(n))
        start = fh.tell()
        noise = os.urandom(60_000).hex().encode()
        write_response(writer, article_url(3), article(3).replace(b"</body>", noise + b"</body>"))
    data = path.read_bytes()
    cut = start + 30_000
    path.write_bytes(data[:cut])
    return path, cut


def failures(db: Path) -> dict[str, str]:
    return {url: kind for url, kind in rows(db, "SELECT url, kind FROM failures")}


def archived_titles(db: Path) -> set[str]:
    return {title for (title,) in rows(db, "SELECT title FROM articles")}


# -- the limit is the live crawl's ---------------------------------------------------------------------------------

def test_the_limit_is_the_live_crawls_download_maxsize() -> None:
    assert BODY_LIMIT == settings.DOWNLOAD_MAXSIZE


# -- read_body -----------------------------------------------------------------------------------------------------

def one_record(body: bytes, *headers: tuple[str, str]):
    buffer = BytesIO()
    write_response(WARCWriter(buffer, gzip=True), "https://example.vn/a", body, *headers)
    buffer.seek(0)
    return next(iter(ArchiveIterator(buffer)))


@pytest.mark.parametrize("encoding, encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("br", brotli.compress),
])
def test_bodies_are_decoded_as_served(encoding: str, encode) -> None:
    page = "<html><body><p>Nội dung được nén.</p></body></html>".encode() * 50
    assert read_body(one_record(encode(page), ("Content-Encoding", encoding))) == page


def test_a_chunked_gzip_body_is_decoded() -> None:
    page = "<html><body>Trang gốc</body></html>".encode()
    compressed = gzip.compress(page)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(compressed), compressed)
    record = one_record(chunked, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"))
    assert read_body(record) == page


def test_a_body_labelled_gzip_but_plain_is_handed_on_as_it_is() -> None:
    assert read_body(one_record(b"<html>plain</html>", ("Content-Encoding", "gzip"))) == b"<html>plain</html>"


@pytest.mark.parametrize("encoding, bomb", [
    ("gzip", lambda size: gzip_bomb(size)),
    ("br", lambda size: brotli.compress(b"\0" * size)),
])
def test_a_compression_bomb_stops_at_the_limit(encoding: str, bomb) -> None:
    """8 MB that inflate from a few kilobytes, read with a 100 KB limit: the decoder gives up past the limit."""
    record = one_record(bomb(8 * 1024 * 1024), ("Content-Encoding", encoding))
    with pytest.raises(RecordTooLarge, match="size limit of 100000 bytes"):
        read_body(record, limit=100_000)


def test_a_stored_body_past_the_limit_is_too_large() -> None:
    with pytest.raises(RecordTooLarge):
        read_body(one_record(b"x" * 2000), limit=1000)
    assert read_body(one_record(b"x" * 1000), limit=1000) == b"x" * 1000


# -- reparse -------------------------------------------------------------------------------------------------------

def test_reparse_of_a_hostile_warc_keeps_the_healthy_pages_and_records_the_rest(tmp_path: Path, capsys) -> None:
    warc = hostile_warc(tmp_path / "hostile.warc.gz")
    db = tmp_path / "a.db"
    assert main(["reparse", "--warc", str(warc), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert archived_titles(db) == {f"Bài thử số {HEALTHY_BEFORE}", f"Bài thử số {HEALTHY_AFTER}"}
    assert failures(db) == {article_url(BOMB): "too large", article_url(BIG): "too large",
                            article_url(CLAIMS): "truncated"}
    run = rows(db, "SELECT status, failed FROM crawl_runs")
    assert run[0][0] == "finished" and json.loads(run[0][1]) == {"too large": 2, "truncated": 1}
    assert "Failed: 3 pages (too large: 2, truncated: 1)" in out
    # a second reparse changes nothing that is archived, and says the same about the bad records
    assert main(["reparse", "--warc", str(warc), "--db", str(db)]) == 0
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 2


def test_a_record_cut_short_is_truncated() -> None:
    buffer = BytesIO()
    write_response(WARCWriter(buffer, gzip=False), "https://example.vn/a", b"x" * 5000)
    cut = BytesIO(buffer.getvalue()[:3000])
    with pytest.raises(RecordTruncated, match="cut short"):
        read_body(next(iter(ArchiveIterator(cut))))


def test_reparse_of_a_warc_cut_short_keeps_what_is_whole_and_says_where_it_ends(tmp_path: Path, capsys) -> None:
    warc, _ = cut_warc(tmp_path / "cut.warc.gz")
    db = tmp_path / "a.db"
    assert main(["reparse", "--warc", str(warc), "--db", str(db)]) == 0
    assert archived_titles(db) == {"Bài thử số 1", "Bài thử số 2"}
    assert failures(db) == {article_url(3): "truncated"}
    assert "truncated: 1" in capsys.readouterr().out


def cut_in_header(folder: Path) -> Path:
    """A gzip WARC of two responses, cut 12 bytes into the second one's record."""
    path = folder / "cut-in-header.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        write_response(writer, article_url(1), article(1))
        start = fh.tell()
        write_response(writer, article_url(2), article(2))
    path.write_bytes(path.read_bytes()[: start + 12])
    return path


def test_a_warc_unreadable_past_its_first_records_is_one_failure_of_the_file(tmp_path: Path) -> None:
    """Cut inside the next record's own header: no URL stands for what was lost, the file does."""
    path = cut_in_header(tmp_path)
    records = WarcRecords(path)
    assert [r.rec_headers.get_header("WARC-Target-URI") for r, _ in records] == [article_url(1)]
    assert [(where, kind) for where, kind, _ in records.problems] == [(str(path), "truncated")]


#: gzip: in the second record's header, in its body; uncompressed: over its first line
@pytest.mark.parametrize("gzipped, where", [(True, 10), (True, 3000), (False, 0)])
def test_reparse_of_a_warc_corrupt_in_the_middle_loses_only_the_damaged_record(tmp_path: Path, capsys, where: int,
                                                                               gzipped: bool) -> None:
    path = tmp_path / ("corrupt.warc.gz" if gzipped else "corrupt.warc")
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzipped)
        write_response(writer, article_url(1), article(1))
        start = fh.tell()
        write_response(writer, article_url(2), article(2).replace(b"</body>", random.Random(2).randbytes(20_000).hex()
                                                                  .encode() + b"</body>"))
        write_response(writer, article_url(3), article(3))
    data = bytearray(path.read_bytes())
    data[start + where: start + where + 100] = random.Random(3).randbytes(100)
    path.write_bytes(bytes(data))
    db = tmp_path / "a.db"
    assert main(["reparse", "--warc", str(path), "--db", str(db)]) == 0
    assert archived_titles(db) == {"Bài thử số 1", "Bài thử số 3"}  # reading goes on at the next record
    assert set(failures(db).values()) == {"truncated"}
    assert "truncated: " in capsys.readouterr().out
    assert "Bài thử số 3".encode() in replay_download(path, article_url(3)).body  # and replay finds it


@pytest.mark.parametrize("content", [b"", b"just some text\n", b"\x1f\x8b\x08garbage"])
def test_reparse_of_a_file_that_is_no_warc_is_one_line_and_no_run(tmp_path: Path, capsys, content: bytes) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(content)
    db = tmp_path / "a.db"
    assert main(["reparse", "--warc", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsarchive: error: ") and err.count("\n") == 1 and str(bad) in err
    assert not db.exists() or rows(db, "SELECT count(*) FROM crawl_runs")[0][0] == 0
    assert not (tmp_path / "a.db.lock").exists()


# -- replay --------------------------------------------------------------------------------------------------------

def replay_download(warc: Path, url: str, **settings_dict):
    """As the crawl's downloader asks (with the project's DOWNLOAD_MAXSIZE unless `settings_dict` says otherwise)."""
    crawler = get_crawler(settings_dict={"REPLAY_WARC": str(warc), "DOWNLOAD_MAXSIZE": settings.DOWNLOAD_MAXSIZE,
                                         **settings_dict})
    return asyncio.run(WarcReplayHandler(crawler).download_request(Request(url)))


def test_replayed_bodies_past_the_limit_or_cut_short_fail_as_live_downloads_do(tmp_path: Path) -> None:
    warc = hostile_warc(tmp_path / "hostile.warc.gz")
    assert "Bài thử số 1".encode() in replay_download(warc, article_url(HEALTHY_BEFORE)).body
    for n in (BOMB, BIG):
        with pytest.raises(DownloadCancelledError, match="size limit"):
            replay_download(warc, article_url(n))
    with pytest.raises(ResponseDataLossError):
        replay_download(warc, article_url(CLAIMS))
    assert "Bài thử số 5".encode() in replay_download(warc, article_url(HEALTHY_AFTER)).body
    # the limit is the crawl's setting: raised, the big page comes through
    big = replay_download(warc, article_url(BIG), DOWNLOAD_MAXSIZE=3 * BODY_LIMIT)
    assert len(big.body) > BODY_LIMIT


def test_replay_records_damage_no_url_stands_for_once_in_the_runs_failures(tmp_path: Path) -> None:
    from types import SimpleNamespace

    path = cut_in_header(tmp_path)
    crawler = get_crawler(settings_dict={"REPLAY_WARC": str(path)})
    crawler.spider = SimpleNamespace(failures=[])
    handlers = [WarcReplayHandler(crawler) for _ in ("http", "https")]  # the crawl makes one per scheme
    for handler in handlers:
        assert asyncio.run(handler.download_request(Request(article_url(1)))).status == 200
    assert [(where, kind) for where, kind, _ in crawler.spider.failures] == [(str(path), "truncated")]


def test_replay_of_a_warc_cut_short(tmp_path: Path) -> None:
    warc, _ = cut_warc(tmp_path / "cut.warc.gz")
    assert "Bài thử số 2".encode() in replay_download(warc, article_url(2)).body
    with pytest.raises(ResponseDataLossError, match="cut short"):
        replay_download(warc, article_url(3))


def newsarchive(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_crawl_replay_of_a_hostile_warc_records_its_failures(tmp_path: Path) -> None:
    warc = hostile_warc(tmp_path / "hostile.warc.gz")
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(warc), "--db", str(db))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert archived_titles(db) == {f"Bài thử số {HEALTHY_BEFORE}", f"Bài thử số {HEALTHY_AFTER}"}
    recorded = failures(db)
    assert {url: kind for url, kind in recorded.items() if "bai-thu" in url} == {
        article_url(BOMB): "too large", article_url(BIG): "too large", article_url(CLAIMS): "truncated"}
    assert "too large: 2" in result.stdout and "truncated: 1" in result.stdout


@pytest.mark.parametrize("content", [b"", b"just some text\n"])
def test_crawl_replay_of_a_file_that_is_no_warc_is_one_line(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_bytes(content)
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--site", "thanhuytphcm", "--replay", str(bad), "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.startswith("newsarchive: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert not db.exists() or rows(db, "SELECT count(*) FROM crawl_runs")[0][0] == 0
    assert not (tmp_path / "a.db.lock").exists()



# -- a declared charset the bytes contradict -------------------------------------------------------------------------

def test_reparse_stores_a_windows_1258_page_declared_utf8_with_the_right_text(tmp_path: Path, capsys) -> None:
    from faultsite import to_cp1258

    page = article(7).decode().replace("Bài thử số 7", "Tiêu đề Đảng ủy số 7")
    warc = tmp_path / "legacy.warc.gz"
    with warc.open("wb") as fh:
        write_response(WARCWriter(fh, gzip=True), article_url(7), to_cp1258(page))  # served "charset=utf-8"
    db = tmp_path / "a.db"
    assert main(["reparse", "--warc", str(warc), "--db", str(db)]) == 0
    assert archived_titles(db) == {"Tiêu đề Đảng ủy số 7"}
    body = rows(db, "SELECT body FROM articles")[0][0]
    assert body and "\ufffd" not in body and body.startswith(article(7).decode().split("<p>")[1][:20])
