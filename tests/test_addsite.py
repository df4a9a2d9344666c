"""`newsarchive add-site`: a declaration learnt from a real domain's two pages, replayed from a WARC that also
holds a home page, two section pages, a robots.txt and a sitemap written here; then `crawl --site` with it.

The article pages are real (../shared/real-pages, taken from public repositories); the home, section, robots and
sitemap documents around them are written by these tests (that test is skipped where ../shared is absent); the
other tests replay pages written here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, db_rows
from crawler.extract.page import ArticlePage
from crawler.live.induce import body_overlap
from sitewarc import site_documents, write_site_warc

REAL = SHARED / "real-pages"


def build_site_warc(path: Path, home: str, articles: dict[str, bytes], sections: tuple[str, ...] = (),
                    home_page: bytes | None = None) -> None:
    write_site_warc(path, site_documents(home, articles, sections, home_page=home_page))


def newsarchive(*args: str, sites: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if sites is not None:
        env["NEWSARCHIVE_SITES_PATH"] = str(sites)
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def real_pages(prefix: str) -> dict[str, bytes]:
    expected = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
    return {expected[name]["url"]: (REAL / name).read_bytes() for name in sorted(expected) if name.startswith(prefix)}


def load_site(module: Path):
    """The SITE a written module declares, loaded as the registry loads a user's module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"written_{module.stem}", module)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded.SITE


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-pages is absent")
@pytest.mark.parametrize("prefix, home, key", [
    ("vnexpress-", "https://vnexpress.net/", "vnexpress"),
    ("cafef-", "https://cafef.vn/", "cafef"),
])
def test_add_site_learns_a_real_domain_and_crawl_archives_it(tmp_path: Path, prefix: str, home: str,
                                                             key: str) -> None:
    articles = real_pages(prefix)
    assert len(articles) == 2
    sections = (home + "thoi-su", home + "kinh-doanh/quoc-te")
    warc = tmp_path / "site.warc.gz"
    build_site_warc(warc, home, articles, sections)
    sites = tmp_path / "sites"
    result = newsarchive("add-site", home, "--replay", str(warc), "-n", "5", "--into", str(sites))
    assert result.returncode == 0, result.stderr
    assert "Sampled 2 article pages." in result.stdout
    assert f"source sitemap  {home}sitemap.xml: 2 article URLs" in result.stdout
    site = load_site(sites / f"{key}.py")
    for url in articles:
        assert site.is_article(url)
    for url in (home, *sections):
        assert not site.is_article(url), url
    for url, body in articles.items():
        generic, induced = ArticlePage(url, body).to_record(), ArticlePage(url, body, site).to_record()
        assert induced["title"] == generic["title"]
        assert induced["published_at"] == generic["published_at"]
        assert body_overlap(induced["body"], generic["body"]) >= 0.9
        assert induced["extracted_with"]["title"] == "site" and induced["extracted_with"]["body"] == "site"
    goldens = sorted((sites / "fixtures" / key / "pages").glob("*.json"))
    assert len(goldens) == 2 and all(json.loads(g.read_text())["reviewed"] is False for g in goldens)
    assert "must" in (sites / "fixtures" / key / "README.md").read_text()

    db = tmp_path / "archive.db"
    crawl = newsarchive("crawl", "--site", key, "--replay", str(warc), "--db", str(db), sites=sites)
    assert crawl.returncode == 0, crawl.stderr
    stored = db_rows(db, "SELECT canonical_url FROM articles WHERE site = ?", key)
    assert sorted(url for (url,) in stored) == sorted(articles)


ARTICLE = """<html lang="vi"><head><meta property="og:type" content="article">
<meta name="generator" content="NukeViet v4.5">
<meta property="og:title" content="{title}"><title>{title}</title></head><body>
<div class="menu"><a href="https://tinhuy.example.vn/">Trang chủ</a></div>
{headline}
<div class="noi-dung">{paragraphs}</div></body></html>"""

PARAGRAPH = ("<p>Đoạn {n} của bài {i}: Hội nghị đã thảo luận, đánh giá kết quả thực hiện nhiệm vụ chính trị của "
             "địa phương trong năm qua và đề ra phương hướng cho năm tới với nhiều giải pháp cụ thể.</p>")


def written_pages() -> dict[str, bytes]:
    """Three pages of one invented site on NukeViet (its generator tag), each printing its headline in another
    element: no selector of the title holds on most of them."""
    headlines = ('<h1 class="tieu-de">{t}</h1>', '<h2 class="ten-bai">{t}</h2>', '<div class="title-news">{t}</div>')
    pages = {}
    for i, headline in enumerate(headlines, start=1):
        title = f"Tỉnh ủy tổng kết công tác xây dựng Đảng năm 202{i}"
        paragraphs = "".join(PARAGRAPH.format(n=n, i=i) for n in range(1, 5))
        html = ARTICLE.format(title=title, headline=headline.format(t=title), paragraphs=paragraphs)
        pages[f"https://tinhuy.example.vn/tin-tuc/tong-ket-cong-tac-nam-{i}-10{i}234.html"] = html.encode()
    return pages


def test_add_site_leaves_a_field_the_samples_disagree_on_to_the_fallbacks(tmp_path: Path) -> None:
    """The pages are written here (a reconstruction of no real site): their title sits in three different
    elements, their body in the same one."""
    home = "https://tinhuy.example.vn/"
    warc = tmp_path / "site.warc.gz"
    build_site_warc(warc, home, written_pages(), (home + "tin-tuc",))
    result = newsarchive("add-site", home, "--replay", str(warc), "--key", "tinhuy", sites=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "title   left to the fallbacks: samples disagree" in result.stdout
    assert "CMS family: nukeviet" in result.stdout
    site = load_site(tmp_path / "tinhuy.py")  # into the folder of NEWSARCHIVE_SITES_PATH, with no --into
    assert (tmp_path / "fixtures" / "tinhuy" / "listing" / "index.html").read_bytes() == warc_page(warc, home)
    assert site.selectors.title is None and site.cms == "nukeviet"
    assert site.selectors.body == ".noi-dung"
    assert site.article_id("https://tinhuy.example.vn/tin-tuc/tong-ket-cong-tac-nam-1-101234.html") == "101234"


def warc_page(warc: Path, url: str) -> bytes:
    from crawler.evidence.warc import WarcIndex

    return WarcIndex.open(warc).get(url).body


def test_the_package_sites_keep_their_fixtures_in_tests_fixtures() -> None:
    from crawler.live.sitewriter import PACKAGE_SITES, fixtures_folder

    assert fixtures_folder(PACKAGE_SITES, "hanoimoi") == ROOT / "tests" / "fixtures" / "hanoimoi"


def test_add_site_refuses_a_home_page_that_is_not_html(tmp_path: Path) -> None:
    home = "https://tinhuy.example.vn/"
    warc = tmp_path / "site.warc.gz"
    build_site_warc(warc, home, {}, home_page=b"%PDF-1.4 not a page")
    result = newsarchive("add-site", home, "--replay", str(warc), "--into", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"newsarchive: error: {home} is not an HTML page"
    assert not list(tmp_path.glob("*.py"))


def test_add_site_says_when_no_article_is_found(tmp_path: Path) -> None:
    home = "https://tinhuy.example.vn/"
    warc = tmp_path / "site.warc.gz"
    build_site_warc(warc, home, {}, (home + "gioi-thieu",))
    result = newsarchive("add-site", home, "--replay", str(warc), "--into", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no article found" in result.stderr
    assert not list(tmp_path.glob("*.py"))


@pytest.mark.parametrize("key", ["_hidden", "families", "base"])
def test_a_key_whose_module_would_never_load_is_refused(tmp_path: Path, key: str) -> None:
    """The registry skips modules named _*, and base and families are crawler.sites' own: one line, exit 2,
    nothing written."""
    home = "https://tinhuy.example.vn/"
    warc = tmp_path / "site.warc.gz"
    build_site_warc(warc, home, written_pages(), (home + "tin-tuc",))
    result = newsarchive("add-site", home, "--replay", str(warc), "--key", key, sites=tmp_path)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / f"{key}.py").exists() and not (tmp_path / "fixtures").exists()
