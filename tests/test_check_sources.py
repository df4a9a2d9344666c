"""`newsarchive check-site --replay`: a declared site's discovery sources, each with how many article URLs it
gave, besides the fields of its newest articles; a site whose first start URL is its RSS feed (as NukeViet
portals are declared) lists the feed's articles. The site and its pages are written here (a reconstruction of no
real site)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from sitewarc import HTML, rss, site_documents, write_site_warc

HOME = "https://tinhuy.example.vn/"
FEED = HOME + "rss/tin-tuc.rss"
MODULE = f"""from crawler.sites.base import Selectors, Site
SITE = Site(key="tinhuydemo", name="Tỉnh ủy (thử)", hosts=("tinhuy.example.vn",), start_urls=({FEED!r},),
            article_path=r"^/tin-tuc/[^/?#]*-(?P<id>\\d+)\\.html$",
            selectors=Selectors(title="h1.tieu-de", date="span.ngay", body="div.noi-dung"))
"""
PAGE = """<html lang="vi"><head><title>{title}</title></head><body><h1 class="tieu-de">{title}</h1>
<span class="ngay">0{i}/03/2025 08:30</span><div class="noi-dung">{paragraphs}</div></body></html>"""


def article(i: int) -> tuple[str, bytes]:
    paragraphs = "".join(f"<p>Đoạn {n} của bài {i}: Ban Thường vụ Tỉnh ủy họp, cho ý kiến về nhiều nội dung quan "
                         "trọng của địa phương.</p>" for n in range(1, 4))
    html = PAGE.format(title=f"Ban Thường vụ Tỉnh ủy họp phiên thứ {i}", i=i, paragraphs=paragraphs)
    return f"{HOME}tin-tuc/ban-thuong-vu-hop-phien-{i}-2000{i}.html", html.encode()


def check_site(folder: Path, warc: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NEWSARCHIVE_SITES_PATH=str(folder))
    return subprocess.run([sys.executable, "-m", "crawler", "check-site", "tinhuydemo", "--replay", str(warc), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def source_line(output: str, kind: str, url: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(kind) and f" {url} " in line)


def test_check_site_reports_each_source_and_reads_a_feed_first(tmp_path: Path) -> None:
    articles = dict(article(i) for i in range(1, 4))
    urls = list(articles)
    documents = site_documents(HOME, articles, (HOME + "tin-tuc",), in_sitemap=urls, home_links=urls[:1])
    documents[FEED] = ("application/rss+xml", rss(urls[1:]))
    warc = tmp_path / "site.warc.gz"
    write_site_warc(warc, documents)
    (tmp_path / "tinhuydemo.py").write_text(MODULE, encoding="utf-8")
    result = check_site(tmp_path, warc, "-n", "2")
    assert result.returncode == 0, result.stderr
    assert source_line(result.stdout, "feed", FEED)[2] == "2"
    assert source_line(result.stdout, "sitemap", HOME + "sitemap.xml")[2] == "3"
    assert source_line(result.stdout, "home", HOME)[2] == "1"
    assert source_line(result.stdout, "section", HOME + "tin-tuc")[2] == "0"
    checked = [line.split()[0] for line in result.stdout.splitlines() if line.startswith(HOME + "tin-tuc/")]
    assert checked == urls[1:]  # the feed's items, in its order, come first
    assert "selectors hold on 2" in result.stdout


def test_check_site_says_when_no_source_gives_an_article(tmp_path: Path) -> None:
    documents = site_documents(HOME, {}, in_sitemap=[])
    documents[FEED] = ("application/rss+xml", rss([]))
    warc = tmp_path / "site.warc.gz"
    write_site_warc(warc, documents)
    (tmp_path / "tinhuydemo.py").write_text(MODULE, encoding="utf-8")
    result = check_site(tmp_path, warc)
    assert result.returncode == 4
    assert "no source gave an article" in result.stdout


def test_check_site_of_a_site_it_cannot_fetch_is_one_line_and_status_2(tmp_path: Path) -> None:
    warc = tmp_path / "site.warc.gz"
    write_site_warc(warc, {HOME + "robots.txt": (HTML, b"User-agent: *\nAllow: /\n")})
    (tmp_path / "tinhuydemo.py").write_text(MODULE, encoding="utf-8")
    result = check_site(tmp_path, warc)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "HTTP 404" in result.stderr
