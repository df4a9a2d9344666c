"""Offline replay: the WARC index, the download handler, and the bundled snapshot staying in step with fixtures."""

from __future__ import annotations

import asyncio
import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from conftest import FIXTURES, ROOT
from crawler.evidence.replay import WarcReplayHandler
from crawler.evidence.warc import WarcError, WarcIndex

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
LISTING = "https://thanhuytphcm.vn/nhom-tin/tin-tuc-su-kien-1491868416"


def download(url: str, warc: Path = SAMPLE):
    handler = WarcReplayHandler(get_crawler(settings_dict={"REPLAY_WARC": str(warc)}))
    return asyncio.run(handler.download_request(Request(url)))


def test_known_url_is_answered_from_the_warc() -> None:
    response = download(LISTING)
    assert isinstance(response, HtmlResponse) and response.status == 200
    assert "Tin tức - Sự kiện" in response.text
    assert response.headers.get(b"Date") == b"Sun, 22 May 2022 03:00:00 GMT"


def test_unknown_url_is_a_404() -> None:
    assert download("https://thanhuytphcm.vn/tin-tuc/khong-co-1000000000").status == 404


def test_scheme_does_not_matter_for_lookup() -> None:
    assert download(LISTING.replace("https://", "http://")).status == 200


def test_unreadable_warc_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(WarcError, match="cannot read"):
        WarcIndex.open(bad)
    with pytest.raises(WarcError, match="no WARC file"):
        WarcIndex.open(tmp_path / "missing.warc.gz")


def test_bundled_snapshot_is_built_from_the_current_fixtures(tmp_path: Path) -> None:
    out = tmp_path / SAMPLE.name
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_sample_warc.py"), "--out", str(out)],
                   check=True, capture_output=True)
    # gzip headers carry a time stamp; the records inside are reproducible byte for byte.
    fresh, bundled = gzip.decompress(out.read_bytes()), gzip.decompress(SAMPLE.read_bytes())
    assert fresh == bundled, "the fixtures changed: run `make sample` and commit data/samples/"


def test_snapshot_holds_listings_and_the_saved_articles() -> None:
    index = WarcIndex.open(SAMPLE)
    assert LISTING in index and f"{LISTING}?page=2" in index
    articles = [u for u in index.offsets if u.startswith("thanhuytphcm.vn/tin-tuc/")]
    assert len(articles) == len(list((FIXTURES / "thanhuytphcm" / "pages").glob("*.html")))
    assert "thanhuytphcm.vn/tin-tuc/tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235" \
        in index.offsets


def test_revisit_records_and_compressed_chunked_bodies_replay(tmp_path: Path) -> None:
    """A WARC as other tools write it: a gzip-encoded, chunked response, and a revisit of the same payload."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = "<html><body><h1>Trang gốc</h1><p>Nội dung được nén.</p></body></html>".encode()
    compressed = gzip.compress(page)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(compressed), compressed)
    warc = tmp_path / "other-tool.warc.gz"
    with warc.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                                protocol="HTTP/1.1")
        original = writer.create_warc_record("https://example.vn/a", "response", payload=BytesIO(chunked),
                                             http_headers=http)
        writer.write_record(original)
        digest = original.rec_headers.get_header("WARC-Payload-Digest")
        revisit = writer.create_revisit_record("https://example.vn/b", digest, "https://example.vn/a",
                                               original.rec_headers.get_header("WARC-Date"))
        writer.write_record(revisit)
    index = WarcIndex.open(warc)
    for url in ("https://example.vn/a", "https://example.vn/b"):
        capture = index.get(url)
        assert capture is not None and capture.body == page, url
        assert all(k.lower() not in ("content-encoding", "transfer-encoding") for k, _ in capture.headers)
