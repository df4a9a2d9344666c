"""`newsarchive crawl --start-url`: an undeclared site crawled with the generic layer, through the real downloader
(answered from a WARC written here)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import FIXTURES, write_warc
from test_crawl_end_to_end import newsarchive

HOST = "https://tinhuy.example.vn"
SEED = FIXTURES / "thanhuytphcm" / "pages" / "tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235.html"
OTHER = sorted((FIXTURES / "bacgiang" / "pages").glob("*.html"))[0]


def test_start_url_crawls_same_host_articles_only(tmp_path: Path) -> None:
    home = (f'<html><body><h1>Cổng thông tin</h1><ul><li><a href="/tin/bai-mot">Bài một</a></li>'
            f'<li><a href="{HOST}/tin/bai-hai?utm_source=x">Bài hai</a></li><li><a href="/gioi-thieu">Giới thiệu</a>'
            f'</li><li><a href="https://other.example.org/tin/ngoai">Ngoài</a></li>'
            f'<li><a href="/files/van-ban.pdf">Văn bản</a></li></ul></body></html>').encode()
    about = "<html><body><h1>Giới thiệu</h1><p>Trang giới thiệu cơ quan.</p></body></html>".encode()
    warc = tmp_path / "site.warc.gz"
    write_warc(warc, {f"{HOST}/": home, f"{HOST}/tin/bai-mot": SEED.read_bytes(),
                      f"{HOST}/tin/bai-hai": OTHER.read_bytes(), f"{HOST}/gioi-thieu": about})
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--start-url", f"{HOST}/", "--replay", str(warc), "--db", str(db),
                         "--max-pages", "20")
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT site, article_id, title, published_at FROM articles ORDER BY article_id").fetchall()
    assert [r[:2] for r in rows] == [("tinhuy.example.vn", "tinhuy.example.vn/tin/bai-hai"),
                                     ("tinhuy.example.vn", "tinhuy.example.vn/tin/bai-mot")]
    assert rows[1][2] == "Tiếp tục nâng cao chất lượng công tác giáo dục lý luận chính trị"
    assert rows[1][3] == "2022-01-12T00:00:00+07:00"
    assert conn.execute("SELECT sites FROM crawl_runs").fetchone()[0] == "tinhuy.example.vn"


def test_max_pages_bounds_the_crawl(tmp_path: Path) -> None:
    links = "".join(f'<a href="/tin/bai-{i}">Bài {i}</a>' for i in range(50))
    warc = tmp_path / "site.warc.gz"
    write_warc(warc, {f"{HOST}/": f"<html><body>{links}</body></html>".encode()})
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--start-url", f"{HOST}/", "--replay", str(warc), "--db", str(db),
                         "--max-pages", "5")
    assert result.returncode == 0, result.stderr
    assert "6 pages fetched" in result.stdout  # the start page, 4 of its links, and robots.txt


def test_start_url_must_be_http(tmp_path: Path) -> None:
    result = newsarchive("crawl", "--start-url", "ftp://x.vn/", "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "not an http(s) URL" in result.stderr
    assert not (tmp_path / "a.db").exists()
