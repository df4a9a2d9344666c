"""`newsarchive crawl --start-url`: an undeclared site crawled with the generic layer, through the real downloader
(answered from a WARC written here, or live from a plain-http site on 127.0.0.1)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURES, write_warc
from crawler.cli import main
from faultsite import Article, generate
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


# --- a plain-http site on 127.0.0.1, crawled live -------------------------------------------------------------------

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=2",
        "-s", "RETRY_TIMES=0"]
#: Links no crawl can request, on the home page: each is skipped and counted, and the page is still read.
UNREQUESTABLE_LINKS = ["javascript:void(0)", "mailto:toasoan@tinhuy.vn", "http://127.0.0.1:99999/tin/cong",
                       "http://bandoc:matkhau@127.0.0.1:{port}/tin/mat-khau"]


def article_html(article: Article, head: str = "") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in article.paragraphs)
    return (f'<html><head><meta property="og:type" content="article"><title>{article.title}</title>{head}</head>'
            f'<body><h1>{article.title}</h1><time datetime="{article.published_iso}">{article.published}</time>'
            f'<article>{paragraphs}</article></body></html>').encode()


class PlainHttpSite:
    """A site served over plain http only: a home page linking four articles (one through an upper-case scheme,
    one whose head holds a meta refresh to javascript:), a page that answers 404, one that redirects to
    javascript:, a host that refuses connections and links that cannot be requested."""

    def __init__(self) -> None:
        one, two, three, four = generate(4)
        pages = {"/tin/mot": article_html(one), "/tin/hai": article_html(two), "/tin/ba": article_html(three),
                 "/tin/lam-moi": article_html(four, head=(
                     '<meta http-equiv="refresh" content="0;url=javascript:location.href=\'/khac\'">')),
                 "/robots.txt": b"User-agent: *\nDisallow:\n"}
        handler_pages = pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                self.server.hits.append(self.path)  # type: ignore[attr-defined]
                if self.path == "/":
                    body = self.server.home  # type: ignore[attr-defined]
                else:
                    body = handler_pages.get(self.path)
                if self.path == "/tin/chuyen":  # a redirect nowhere a crawl can go
                    self.send_response(302)
                    self.send_header("Location", "javascript:void(0)")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else
                                 "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.server.hits = []  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.port}/"
        links = ["/tin/mot", f"{self.url}tin/hai", f"HTTP://127.0.0.1:{self.port}/tin/ba", "/tin/lam-moi",
                 "/tin/khong-con", "http://127.0.0.1:1/tin/tat-may", "/tin/chuyen",
                 *(link.format(port=self.port) for link in UNREQUESTABLE_LINKS)]
        self.server.home = ("<html><body><h1>Cổng thông tin</h1>"  # type: ignore[attr-defined]
                            + "".join(f'<a href="{link}">liên kết</a>' for link in links) + "</body></html>").encode()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def plain_http_crawl(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("plain-http")
    site = PlainHttpSite()
    db = folder / "a.db"
    log = folder / "crawl.log"
    quiet = newsarchive("crawl", "--start-url", site.url, "--db", str(db), *FAST)
    logged = newsarchive("crawl", "--start-url", site.url, "--db", str(folder / "b.db"), "--log-file", str(log),
                         *FAST)
    yield site, db, quiet, logged, log.read_text(encoding="utf-8")
    site.stop()


def test_a_plain_http_site_is_crawled_over_http(plain_http_crawl) -> None:
    site, db, result, _, _ = plain_http_crawl
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT url, canonical_url, article_id FROM articles ORDER BY url").fetchall()
    host = f"127.0.0.1:{site.port}"
    assert rows == [(f"http://{host}/tin/{slug}", f"http://{host}/tin/{slug}", f"{host}/tin/{slug}")
                    for slug in ("ba", "hai", "lam-moi", "mot")]


def test_a_start_url_crawl_records_its_failures_and_warc_pointers(plain_http_crawl) -> None:
    site, db, result, _, _ = plain_http_crawl
    conn = sqlite3.connect(db)
    failures = conn.execute("SELECT url, kind FROM failures ORDER BY url").fetchall()
    assert failures == [("http://127.0.0.1:1/tin/tat-may", "connection"),
                        (f"{site.url}tin/chuyen", "bad url"), (f"{site.url}tin/khong-con", "http 404")]
    assert "Failed: 3 pages (bad url: 1, connection: 1, http 404: 1)" in result.stdout
    pointers = conn.execute("SELECT warc_file, warc_offset, warc_record_id FROM articles").fetchall()
    assert len(pointers) == 4 and all(f and o is not None and r for f, o, r in pointers), pointers
    warcs = {p.name for p in (db.parent / "warc").glob("*.warc.gz")}
    assert {f for f, _, _ in pointers} <= warcs


def test_links_that_cannot_be_requested_are_skipped_and_counted(plain_http_crawl) -> None:
    _, _, _, logged, log = plain_http_crawl
    assert logged.returncode == 0, logged.stderr
    assert "Traceback" not in logged.stderr + log and "Missing scheme" not in log
    # the four links of the home page, the meta refresh to javascript: on /tin/lam-moi (which is stored) and the
    # redirect of /tin/chuyen
    assert f"'newsarchive/unrequestable_urls': {len(UNREQUESTABLE_LINKS) + 2}," in log


def test_a_start_url_that_refuses_connections_is_a_recorded_failure(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = newsarchive("crawl", "--start-url", "HTTP://127.0.0.1:1/", "--db", str(db), *FAST)
    # A run whose only page failed still ran to its end: exit 0, the failure counted in the summary and recorded.
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "finished" in result.stdout and "Failed: 1 pages (connection: 1)" in result.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT url, kind FROM failures").fetchall() == [("http://127.0.0.1:1/", "connection")]
    assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("finished",)]


@pytest.mark.parametrize(("url", "reason"), [
    ("https://exa mple.vn/", "not a valid host name"),
    ("http://127.0.0.1:99999/", "Port out of range"),
    ("http://user:pw@127.0.0.1:1/", "credentials"),
    ("http://[::1/", "Invalid IPv6 URL"),
    ("javascript:alert(1)", "not an http(s) URL"),
])
def test_a_malformed_start_url_is_refused_before_the_run(tmp_path: Path, url: str, reason: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--start-url", url, "--db", str(tmp_path / "a.db")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsarchive: error: ") and reason in err, err
    assert list(tmp_path.iterdir()) == []  # no archive (so no run row), no lock file


def test_a_second_start_url_crawl_does_not_ask_again_for_a_page_that_answered_404(plain_http_crawl,
                                                                                  tmp_path: Path) -> None:
    site, db, _, _, _ = plain_http_crawl
    copy = tmp_path / "a.db"
    shutil.copy(db, copy)
    site.server.hits.clear()
    again = newsarchive("crawl", "--start-url", site.url, "--db", str(copy), *FAST)
    assert again.returncode == 0, again.stderr
    assert "/tin/khong-con" not in site.server.hits  # a 404: due again in a day
    assert "/tin/chuyen" in site.server.hits  # a bad redirect is not a permanent failure: asked again
    assert "1 failed articles skipped" in again.stdout


def test_a_second_start_url_crawl_fetches_no_article_it_archived(plain_http_crawl, tmp_path: Path) -> None:
    """An hourly `--start-url` crawl reads the home page again for new links, not the articles it holds; --full
    fetches them all."""
    site, db, _, _, _ = plain_http_crawl
    copy = tmp_path / "a.db"
    shutil.copy(db, copy)
    articles = ["/tin/mot", "/tin/hai", "/tin/ba", "/tin/lam-moi"]
    site.server.hits.clear()
    again = newsarchive("crawl", "--start-url", site.url, "--db", str(copy), "--log-file", str(tmp_path / "log"),
                        *FAST)
    assert again.returncode == 0, again.stderr
    assert "/" in site.server.hits and not set(articles) & set(site.server.hits), site.server.hits
    assert " 0 new" in again.stdout, again.stdout
    assert "'newsarchive/skipped_archived': 4," in (tmp_path / "log").read_text(encoding="utf-8")
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM articles").fetchone() == (4,)
    site.server.hits.clear()
    full = newsarchive("crawl", "--start-url", site.url, "--db", str(copy), "--full", *FAST)
    assert full.returncode == 0, full.stderr
    assert set(articles) <= set(site.server.hits) and " 4 unchanged" in full.stdout, full.stdout
