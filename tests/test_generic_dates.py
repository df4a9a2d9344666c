"""Dates on pages of any country: the zone a string states is honoured, an offset-less time is read in the zone
of the page's site (declared, else its host's country, else its language) and the record says it was assumed,
and the publication time is found under every metadata spelling publishers use. Pages written for the tests."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from crawler.archive import open_archive, store_article
from crawler.archive.export import Selection, articles
from crawler.extract.dates import VN_TZ, parse_date
from crawler.extract.page import extract_article
from crawler.extract.zones import zone_named, zone_of_host, zone_of_language
from crawler.sites import get_site

FETCHED = datetime(2024, 6, 1, 12, 0, tzinfo=VN_TZ)
TEXT = "".join(f"<p>Paragraph {i} of the article, long enough to be read as the body of a news story.</p>"
               for i in range(4))


def page(dateline: str = "", head: str = "", lang: str = "en") -> str:
    return (f"<html lang='{lang}'><head><title>Council votes on the new budget</title>{head}</head><body>"
            f"<article><h1>Council votes on the new budget</h1><div class='date'>{dateline}</div>"
            f"<div class='article-body'>{TEXT}</div></article></body></html>")


def record(url: str, html: str, site: str | None = None) -> dict:
    return extract_article(url, html, get_site(site) if site else None, FETCHED)


# -- zones the page states -------------------------------------------------------------------------------------

def test_a_cest_time_is_plus_two_hours_not_vietnamese_time() -> None:
    got = record("https://example.com/news/budget", page("Fri Apr 28 19:20:36 CEST 2023"))
    assert got["published_at"] == "2023-04-28T19:20:36+02:00"
    assert got["published_zone"] is None  # stated, not assumed


def test_a_gmt_plus_7_label_is_honoured_on_a_page_of_any_host() -> None:
    got = record("https://example.com/news/budget", page("28/04/2023 19:20 (GMT+7)"))
    assert got["published_at"] == "2023-04-28T19:20:00+07:00"
    assert got["published_zone"] is None


def test_a_stated_zone_wins_over_the_hosts_country() -> None:
    got = record("https://zeitung.example.de/politik/haushalt", page("28.04.2023, 19:20 Uhr (GMT+7)", lang="de"))
    assert got["published_at"] == "2023-04-28T19:20:00+07:00"


@pytest.mark.parametrize(("text", "iso"), [
    ("Fri Apr 28 19:20:36 CEST 2023", "2023-04-28T19:20:36+02:00"),
    ("28.04.2023, 19:20 Uhr MESZ", "2023-04-28T19:20:00+02:00"),
    ("10.01.2023, 19:20 Uhr MEZ", "2023-01-10T19:20:00+01:00"),
    ("April 28, 2023 7:20 PM EDT", "2023-04-28T19:20:00-04:00"),
    ("Jan 10, 2023 7:20 p.m. EST", "2023-01-10T19:20:00-05:00"),
    ("April 28, 2023 at 7:20 pm CDT", "2023-04-28T19:20:00-05:00"),
    ("28 April 2023 19:20 BST", "2023-04-28T19:20:00+01:00"),
    ("28 April 2023 19:20 GMT", "2023-04-28T19:20:00+00:00"),
    ("Updated: Apr 28, 2023 / 07:20 PM IST", "2023-04-28T19:20:00+05:30"),  # IST read as India's
    ("28 апреля 2023, 19:20 MSK", "2023-04-28T19:20:00+03:00"),
    ("2023-04-28 19:20 WIB", "2023-04-28T19:20:00+07:00"),
    ("2023年4月28日 19:20 JST", "2023-04-28T19:20:00+09:00"),
    ("2023.04.28 19:20 KST", "2023-04-28T19:20:00+09:00"),
    ("28/04/2023 19:20 ICT", "2023-04-28T19:20:00+07:00"),
    ("28/04/2023 19:20 GMT+2", "2023-04-28T19:20:00+02:00"),
    ("28/04/2023 19:20 UTC+07:00", "2023-04-28T19:20:00+07:00"),
    ("28/04/2023 19:20 UTC-3", "2023-04-28T19:20:00-03:00"),
    ("Fri, 28 Apr 2023 19:20:36 +0200", "2023-04-28T19:20:36+02:00"),
    ("2023-04-28T19:20:36.000+0200", "2023-04-28T19:20:36+02:00"),
    ("April 28, 2023 7:20 PM ET", "2023-04-28T19:20:00-04:00"),  # ET is New York's zone: EDT in April
    ("January 10, 2023 7:20 PM ET", "2023-01-10T19:20:00-05:00"),
])
def test_zones_by_name_and_offset(text: str, iso: str) -> None:
    parsed = parse_date(text, FETCHED, zone_named("UTC"), convert=False)
    assert parsed is not None and parsed.isoformat() == iso and not parsed.zone_assumed


@pytest.mark.parametrize("text", ["Publié le 28/04/2023 à 19h20 et mis à jour", "28.04.2023 um 19:20 Uhr ist",
                                  "Termin am 28.04.2023 um 19:20 ist verschoben", "Le 28/04/2023 à 19:20 est passé"])
def test_words_that_spell_a_zone_are_not_one(text: str) -> None:
    """French "et" ("and") is not Eastern Time; German "ist" ("is") after "Uhr" is not India."""
    parsed = parse_date(text, FETCHED, zone_named("Europe/Paris"), convert=False)
    assert parsed is not None and parsed.zone_assumed
    assert parsed.isoformat() == "2023-04-28T19:20:00+02:00"


def test_a_declared_site_gives_every_date_in_its_zone() -> None:
    parsed = parse_date("Fri Apr 28 19:20:36 CEST 2023", FETCHED)  # the default: a Vietnamese site
    assert parsed is not None and parsed.isoformat() == "2023-04-29T00:20:36+07:00"


# -- zones assumed ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("dateline", "iso"), [
    ("28.04.2023, 19:20 Uhr", "2023-04-28T19:20:00+02:00"),  # summer time
    ("10.01.2023, 19:20 Uhr", "2023-01-10T19:20:00+01:00"),  # winter
])
def test_an_offset_less_time_on_a_de_host_is_berlin_time(dateline: str, iso: str) -> None:
    got = record("https://www.zeitung.example.de/politik/haushalt", page(dateline, lang="de"))
    assert got["published_at"] == iso
    assert got["published_zone"] == "Europe/Berlin"
    assert got["extracted_with"]["published_zone"] == "heuristic"


def test_an_offset_less_time_on_a_vn_host_is_vietnamese_time() -> None:
    got = record("https://baomoi.example.vn/tin/ngan-sach", page("28/04/2023 19:20", lang=""))
    assert got["published_at"] == "2023-04-28T19:20:00+07:00"
    assert got["published_zone"] == "Asia/Ho_Chi_Minh"


def test_a_day_without_time_is_midnight_in_the_assumed_zone() -> None:
    got = record("https://www.journal.example.fr/politique/budget", page("28 avril 2023", lang="fr"))
    assert (got["published_at"], got["published_precision"]) == ("2023-04-28T00:00:00+02:00", "day")
    assert got["published_zone"] == "Europe/Paris"


@pytest.mark.parametrize(("url", "lang", "head", "zone", "iso"), [
    ("https://news.example.com/a", "de-DE", "", "Europe/Berlin", "2023-04-28T19:20:00+02:00"),
    ("https://news.example.com/a", "pt-BR", "", "America/Sao_Paulo", "2023-04-28T19:20:00-03:00"),
    ("https://news.example.com/a", "en", "<meta property='og:locale' content='en_US'>", "America/New_York",
     "2023-04-28T19:20:00-04:00"),
    ("https://news.example.com/a", "en-GB", "", "Europe/London", "2023-04-28T19:20:00+01:00"),
    ("https://news.example.co.uk/a", "en", "", "Europe/London", "2023-04-28T19:20:00+01:00"),
    ("https://news.example.com.br/a", "pt", "", "America/Sao_Paulo", "2023-04-28T19:20:00-03:00"),
    ("https://news.example.jp/a", "", "", "Asia/Tokyo", "2023-04-28T19:20:00+09:00"),
    # English with no region on a generic TLD: mostly American pages (crawler.extract.zones.LANGUAGE_ZONES)
    ("https://news.example.com/a", "en", "", "America/New_York", "2023-04-28T19:20:00-04:00"),
    ("https://news.example.org/a", "", "", "UTC", "2023-04-28T19:20:00+00:00"),  # no language: no guess
])
def test_the_assumed_zone_comes_from_the_tld_then_the_language(url: str, lang: str, head: str, zone: str,
                                                                 iso: str) -> None:
    got = record(url, page("2023-04-28 19:20", head, lang))
    assert (got["published_at"], got["published_zone"]) == (iso, zone)


def test_an_untagged_page_with_a_vietnamese_title_is_vietnamese_time() -> None:
    html = page("28/04/2023 19:20", lang="").replace("Council votes on the new budget", "Hội đồng thông qua ngân sách")
    got = record("https://tintuc.example.com/a", html)
    assert (got["published_at"], got["published_zone"]) == ("2023-04-28T19:20:00+07:00", "Asia/Ho_Chi_Minh")


def test_utc_metadata_is_given_in_the_pages_zone_so_the_day_is_the_printed_one() -> None:
    head = "<meta property='article:published_time' content='2023-04-28T22:30:00Z'>"
    got = record("https://www.zeitung.example.de/politik/haushalt", page("", head, "de"))
    assert got["published_at"] == "2023-04-29T00:30:00+02:00"
    assert got["published_zone"] is None  # the page stated the instant


def test_a_stated_offset_other_than_utc_is_kept_as_the_page_wrote_it() -> None:
    head = "<meta property='article:published_time' content='2023-04-28T22:30:00+05:30'>"
    got = record("https://www.zeitung.example.de/politik/haushalt", page("", head, "de"))
    assert got["published_at"] == "2023-04-28T22:30:00+05:30"


def test_a_declared_sites_record_names_its_declared_zone() -> None:
    html = page("28/04/2023 19:20", lang="vi")
    got = record("https://www.thanhuytphcm.vn/tin-tuc/ngan-sach-1491889235", html, "thanhuytphcm")
    assert got["published_at"] == "2023-04-28T19:20:00+07:00"
    assert got["published_zone"] == "Asia/Ho_Chi_Minh"
    assert got["extracted_with"]["published_zone"] == "site"


def test_the_archive_stores_and_exports_the_assumed_zone(tmp_path) -> None:
    got = record("https://www.zeitung.example.de/politik/haushalt", page("28.04.2023, 19:20 Uhr", lang="de"))
    got.update(site="zeitung", article_id="haushalt")
    db = open_archive(tmp_path / "archive.db")
    assert store_article(db, got) == "new"
    [exported] = list(articles(db.conn, Selection()))
    assert (exported["published_at"], exported["published_zone"]) == ("2023-04-28T19:20:00+02:00", "Europe/Berlin")


# -- metadata spellings ----------------------------------------------------------------------------------------

ISO = "2023-04-28T19:20:36+02:00"
META_SPELLINGS = [
    *(f"<meta property='{name}' content='{ISO}'>" for name in (
        "article:published_time", "article:published:time", "og:article:published_time", "published_time",
        "og:published_time", "article.published")),
    *(f"<meta name='{name}' content='{ISO}'>" for name in (
        "pubdate", "publishdate", "publish-date", "publish_date", "dc.date", "dc.date.issued", "DC.date.created",
        "DCTERMS.issued", "sailthru.date", "parsely-pub-date", "cXenseParse:recs:publishtime", "date",
        "citation_publication_date", "Article_Published_Time")),
    f"<meta itemprop='datePublished' content='{ISO}'>",
    f'<script type="application/ld+json">{{"@type": "NewsArticle", "datePublished": "{ISO}"}}</script>',
    f'<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [{{"@type": "WebSite"}}, '
    f'{{"@type": ["NewsArticle"], "datePublished": "{ISO}"}}]}}</script>',
    f'<script type="application/ld+json">[{{"@type": "Organization"}}, {{"@type": "Article", '
    f'"datePublished": "{ISO}"}}]</script>',
    f'<script type="application/ld+json">{{"@type": "LiveBlogPosting", "datePublished": "{ISO}"}}</script>',
]


@pytest.mark.parametrize("head", META_SPELLINGS, ids=[s[:70] for s in META_SPELLINGS])
def test_each_metadata_spelling_of_the_publication_time(head: str) -> None:
    got = record("https://news.example.com/a", page("", head))
    assert got["published_at"] == ISO
    assert got["extracted_with"]["published_at"] == "metadata"


@pytest.mark.parametrize("element", [
    f"<time pubdate datetime='{ISO}'>28 April</time>",
    f"<time datetime='{ISO}'>28 April</time>",
    f"<span itemprop='datePublished' content='{ISO}'>28 April</span>",
    f"<time itemprop='datePublished' datetime='{ISO}'>28 April</time>",
])
def test_a_time_element_in_the_article_header(element: str) -> None:
    html = page().replace("<div class='date'></div>", f"<div class='meta'>{element}</div>")
    got = record("https://news.example.com/a", html)
    assert got["published_at"] == ISO


def test_a_page_wide_class_on_body_does_not_hide_the_time_elements() -> None:
    """A theme's <body class="ast-right-sidebar"> describes the page; the <time> inside the article is its own."""
    html = page().replace("<body>", "<body class='ast-right-sidebar relative'>").replace(
        "<div class='date'></div>", f"<div class='meta'><time datetime='{ISO}'>28 April</time></div>")
    assert record("https://news.example.com/a", html)["published_at"] == ISO


def test_an_untagged_page_of_the_americas_prints_its_numeric_dates_day_first() -> None:
    """No language tag on a .br page: 04/05/2023 is 4 May, as Brazil writes it, not the American 5 April."""
    html = page("04/05/2023 10:30").replace(" lang='en'", "")
    assert record("https://noticias.exemplo.com.br/a", html)["published_at"].startswith("2023-05-04T10:30")


def test_a_specific_spelling_wins_over_the_generic_date_meta() -> None:
    head = ("<meta name='date' content='2024-05-30'>"
            f"<meta property='article:published:time' content='{ISO}'>")
    assert record("https://news.example.com/a", page("", head))["published_at"] == ISO


def test_modified_time_spellings() -> None:
    head = f"<meta property='og:updated_time' content='{ISO}'>"
    assert record("https://news.example.com/a", page("", head))["updated_at"] == ISO


def test_country_and_language_tables() -> None:
    assert zone_of_host("www.example.co.uk") == "Europe/London"
    assert zone_of_host("example.com") is None
    assert zone_of_language("pt_BR") == "America/Sao_Paulo"
    assert zone_of_language("en") == "America/New_York"
    assert zone_of_language("ar") is None
    assert json.dumps(str(zone_named("No/Such_Zone"))) == '"UTC"'


def test_a_placeholder_date_in_the_metadata_gives_way_to_the_next_spelling() -> None:
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "0001-01-01T00:00:00Z"}'
            f"</script><meta property='article:published_time' content='{ISO}'>")
    assert record("https://news.example.com/a", page("", head))["published_at"] == ISO


def test_a_time_element_outside_the_article_area_but_never_one_of_a_related_list() -> None:
    html = ("<html lang='en'><body><header><time datetime='2023-04-28T19:20:36+02:00'>Apr 28</time></header>"
            "<aside class='related-stories'><time pubdate datetime='2024-01-01T10:00:00+02:00'>Jan 1</time></aside>"
            f"<main><h1>Council votes on the new budget</h1><div class='article-body'>{TEXT}</div></main>"
            "</body></html>")
    got = record("https://news.example.com/a", html)
    assert got["published_at"] == ISO
    assert got["extracted_with"]["published_at"] == "heuristic"


def test_the_day_in_the_url_dates_a_page_nothing_else_dates() -> None:
    got = record("https://news.example.com/2023/04/28/council-votes-on-the-budget/", page(""))
    assert (got["published_at"], got["published_precision"]) == ("2023-04-28T00:00:00-04:00", "day")
    assert got["published_zone"] == "America/New_York"


@pytest.mark.parametrize(("line", "iso"), [
    ("By <a href='/staff/jane'>Jane Doe</a> on Monday, April 28th, 2023 at 7:20 p.m.", "2023-04-28T19:20:00-04:00"),
    ("<b>28/04/2023</b> - Publicado por: Maria Souza", "2023-04-28T00:00:00-04:00"),
])
def test_an_unmarked_date_line_under_the_headline(line: str, iso: str) -> None:
    html = page().replace("<div class='date'></div>", f"<p class='article__meta'>{line}</p>")
    assert record("https://news.example.com/a", html)["published_at"] == iso


@pytest.mark.parametrize(("url", "lang", "iso"), [
    ("https://news.example.com/a", "en-US", "2023-04-05T19:20:00-04:00"),  # American: month first
    ("https://news.example.co.uk/a", "en-GB", "2023-05-04T19:20:00+01:00"),
    ("https://news.example.com.br/a", "pt-BR", "2023-05-04T19:20:00-03:00"),
])
def test_an_ambiguous_numeric_date_is_read_as_the_pages_country_prints_it(url: str, lang: str, iso: str) -> None:
    assert record(url, page("04/05/2023 19:20", lang=lang))["published_at"] == iso


def test_a_numeric_date_only_month_first_reads() -> None:
    got = record("https://news.example.co.uk/a", page("04/28/2023 19:20", lang="en-GB"))
    assert got["published_at"] == "2023-04-28T19:20:00+01:00"
