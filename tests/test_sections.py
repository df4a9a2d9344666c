"""The section walk's rule (crawler.crawl.spiders.waysin): a declared site without start URLs is walked from its home
page at once, and at most NEWSARCHIVE_MAX_SECTIONS of its sections are read. Replayed from a WARC written here
(a reconstruction: no real site's home page)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, db_rows as rows, write_warc
from faultsite import article_html, generate

HOME = "https://bao.example.vn"
SECTIONS = 25


def test_a_site_without_start_urls_walks_its_home_page_and_a_bounded_number_of_sections(tmp_path: Path) -> None:
    articles = generate(SECTIONS + 1)
    first, rest = articles[0], articles[1:]
    links = "".join(f'<a href="/muc-{i}">Mục {i}</a>' for i in range(1, SECTIONS + 1))
    pages = {f"{HOME}/": f'<html><body><a href="/tin/bai-viet-{first.id}.html">Bài</a>{links}</body></html>'.encode()}
    for i, article in enumerate(rest, 1):
        pages[f"{HOME}/muc-{i}"] = f'<html><body><a href="/tin/bai-viet-{article.id}.html">Bài</a></body></html>'.encode()
    for article in articles:
        pages[f"{HOME}/tin/bai-viet-{article.id}.html"] = article_html(article).encode()
    warc = tmp_path / "bao.warc.gz"
    write_warc(warc, pages)
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "bao.py").write_text(
        "from crawler.sites.base import Selectors, Site\n"
        "SITE = Site(key='bao', name='Báo', hosts=('bao.example.vn',), start_urls=(),\n"
        "    article_path=r'-(?P<id>\\d+)\\.html$',\n"
        "    selectors=Selectors(title='h1.title', date='span.date', body='div.body'))\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = subprocess.run([sys.executable, "-m", "crawler", "crawl", "--site", "bao", "--replay", str(warc),
                             "--db", str(db), "-s", "NEWSARCHIVE_MAX_SECTIONS=5"], cwd=ROOT, capture_output=True,
                            text=True, env=dict(os.environ, NEWSARCHIVE_SITES_PATH=str(tmp_path / "sites")),
                            timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    # the home page's article, and those of the first 5 sections in the home page's order
    expected = {str(first.id)} | {str(a.id) for a in rest[:5]}
    assert {i for (i,) in rows(db, "SELECT article_id FROM articles")} == expected
    sources = json.loads(rows(db, "SELECT sources FROM crawl_runs")[0][0])
    assert sources == {"bao": {"home": [1, 1], "section": [5, 5]}}
    assert "Listings" not in result.stdout  # no declared listing to be dead
