"""Politeness on by default, and input that tries to break things: random HTML and strings, script in pages, SQL in
options."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract.dates import parse_date
from crawler.extract.page import extract_article
from crawler.settings import (AUTOTHROTTLE_ENABLED, CONCURRENT_REQUESTS_PER_DOMAIN, DOWNLOAD_DELAY, DOWNLOAD_MAXSIZE,
                              ROBOTSTXT_OBEY, USER_AGENT)
from crawler.sites import get_site
from faultsite import FaultSite, generate
from test_fault_site import crawl, rows

SEED = Path(__file__).parent / "fixtures" / "thanhuytphcm" / "pages" / \
    "tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235.html"


def test_polite_defaults() -> None:
    assert ROBOTSTXT_OBEY and AUTOTHROTTLE_ENABLED and DOWNLOAD_DELAY >= 1 and CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert DOWNLOAD_MAXSIZE <= 10 * 2**20 and USER_AGENT.startswith("newsarchive/")


def test_a_crawl_with_the_defaults_is_polite_on_the_wire(tmp_path: Path) -> None:
    site = FaultSite(generate(6), faults=False).start()
    try:
        site.site_module(tmp_path)
        result = crawl(tmp_path, tmp_path / "a.db")
        assert result.returncode == 0, result.stderr[-2000:]
        assert rows(tmp_path / "a.db", "SELECT count(*) FROM articles")[0][0] == 6
        assert site.max_in_flight <= CONCURRENT_REQUESTS_PER_DOMAIN
        times = sorted(site.times)
        gaps = [b - a for a, b in zip(times, times[1:])]
        # Scrapy spreads DOWNLOAD_DELAY between 0.5x and 1.5x; AutoThrottle never goes below it
        assert min(gaps) >= 0.5 * DOWNLOAD_DELAY * 0.9, gaps
        assert site.requests.get("/robots.txt") == 1
        assert site.user_agents == {USER_AGENT}
    finally:
        site.stop()


html_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=2000)
tags = st.sampled_from(["<p>", "</p>", "<div class='news-content'>", "</div>", "<h1>", "</h1>", "<table><tr><td>",
                        "<img src='x'>", "<figure><figcaption>", "<script>", "<!--", "<![CDATA[", "&#xd800;",
                        "<meta charset='x'>", "Chiều 12/1, ", "(Thanhuytphcm.vn) - ", "\x00", "<br>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(tags, html_text), max_size=40))
def test_page_objects_never_raise_on_random_html(parts: list[str]) -> None:
    html = "".join(parts)
    for site in (get_site("thanhuytphcm"), None):
        record = extract_article("https://thanhuytphcm.vn/tin-tuc/bai-1491889235", html, site)
        assert isinstance(record, dict)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000), st.integers(0, 30000))
def test_page_objects_never_raise_on_mutated_real_pages(noise: bytes, at: int) -> None:
    page = SEED.read_bytes()
    at = min(at, len(page))
    extract_article("https://thanhuytphcm.vn/tin-tuc/bai-1491889235", page[:at] + noise + page[at + len(noise):],
                    get_site("thanhuytphcm"))


@settings(max_examples=400, deadline=None)
@given(st.one_of(html_text, st.from_regex(r"(Thứ [2-7], )?\d{1,3}[/.-]\d{1,3}([/.-]\d{1,5})?( \d{1,3}[:h]\d{0,3})?")))
def test_parse_date_never_raises(text: str) -> None:
    value = parse_date(text)
    assert value is None or value.value.utcoffset().total_seconds() == 7 * 3600


def test_stored_body_html_holds_nothing_that_runs() -> None:
    page = SEED.read_text(encoding="utf-8").replace(
        "<p style=\"text-align: justify;\">Dịp này",
        "<script>alert(1)</script><iframe src='https://evil.example'></iframe>"
        "<p onclick=\"steal()\" style=\"text-align: justify;\"><a href=\"javascript:alert(2)\">x</a>"
        "<img src=\"x.jpg\" onerror=\"steal()\">Dịp này")
    record = extract_article("https://thanhuytphcm.vn/tin-tuc/bai-1491889235", page, get_site("thanhuytphcm"))
    html = record["body_html"].lower()
    for bad in ("<script", "<iframe", "onclick", "onerror", "javascript:", "alert("):
        assert bad not in html
    assert "dịp này" in html
