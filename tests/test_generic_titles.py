"""Titles and invisible characters on pages of sites nobody declared: a kicker and a headline are joined as the page
shows them (a space, or the ": " the page's metadata writes), never glued; soft hyphens, zero-width spaces and other
invisible format characters are gone from every text field. Pages written here; expected values read by hand."""

from __future__ import annotations

import pytest

from crawler.extract.page import extract_article

BODY = "".join(f"<p>Absatz {i} des Artikels, lang genug, um als Text der Geschichte selbst zu gelten, hier.</p>"
               for i in range(6))


def record(h1: str, head: str = "", body: str = BODY) -> dict:
    html = (f"<html lang='de'><head><meta charset='utf-8'><title>Seite</title>{head}</head><body><article>"
            f"<h1>{h1}</h1><div class='article-body'>{body}</div></article></body></html>")
    return extract_article("https://zeitung.example.de/politik/demo-123.html", html.encode())


@pytest.mark.parametrize("h1", [
    "<span class='kicker'>Nationale Demo</span><span class='headline'>Der 9. Juli naht</span>",
    "<div class='kicker'>Nationale Demo</div><div>Der 9. Juli naht</div>",
    "Nationale Demo<br>Der 9. Juli naht",
])
def test_a_kicker_and_headline_are_never_glued(h1: str) -> None:
    assert record(h1)["title"] == "Nationale Demo Der 9. Juli naht"


def test_the_metadata_says_how_a_kicker_joins_its_headline() -> None:
    head = "<meta property='og:title' content='Nationale Demo: Der 9. Juli naht'>"
    title = record("<span class='kicker'>Nationale Demo</span><span>Der 9. Juli naht</span>", head)["title"]
    assert title == "Nationale Demo: Der 9. Juli naht"


def test_a_colon_in_the_headline_is_kept() -> None:
    head = "<meta property='og:title' content='Streik: Was Pendler jetzt wissen müssen | Zeitung'>"
    assert record("Streik: Was Pendler jetzt wissen müssen", head)["title"] == "Streik: Was Pendler jetzt wissen müssen"


def test_inline_markup_inside_a_word_is_not_split() -> None:
    assert record("Die <em>i</em>Phone-Frage und <b>Mc</b>Donald's")["title"] == "Die iPhone-Frage und McDonald's"


def test_soft_hyphens_and_zero_width_characters_leave_title_body_and_lead() -> None:
    body = ("<p class='lead'>Die Bundes&shy;regierung hat am Montag ent&shy;schieden, was lange niemand glauben wollte"
            " und was viele seit Wochen erwartet hatten.</p>"
            + BODY.replace("Artikels", "Arti&shy;kels").replace("Geschichte", "Ge\u200bschichte\u2060"))
    got = record("Bundes&shy;tag be&shy;schließt\ufeff Haus&shy;halt", body=body)
    assert got["title"] == "Bundestag beschließt Haushalt"
    text = "\n".join(filter(None, (got["title"], got["lead"], got["body"], got["body_html"])))
    assert not any(c in text for c in "\u00ad\u200b\u2060\ufeff")
    assert "Absatz 0 des Artikels, lang genug, um als Text der Geschichte selbst zu gelten" in got["body"]
    assert "Bundesregierung" in (got["lead"] or "") + got["body"]


def test_a_soft_hyphen_in_a_caption_and_a_byline_is_removed() -> None:
    body = ("<figure><img src='/a.jpg'><figcaption>Demon&shy;stranten vor dem Reichs&shy;tag</figcaption></figure>"
            + BODY)
    got = record("Der 9. Juli naht", "<meta name='author' content='Birgit Bau&shy;mann'>", body)
    assert got["byline"] == "Birgit Baumann"
    assert [i["caption"] for i in got["images"]] == ["Demonstranten vor dem Reichstag"]


def page_with_h1s(h1s: str, head: str) -> dict:
    html = (f"<html lang='en'><head><meta charset='utf-8'>{head}</head><body>{h1s}<article>"
            f"<div class='article-body'>{BODY}</div></article></body></html>")
    return extract_article("https://blog.example.org/2018/10/09/a-grant/", html.encode())


def test_the_headline_h1_is_found_after_an_h1_that_holds_the_sites_name() -> None:
    head = ("<title>A grant to Evidence Action Beta to prototype and scale programs - The Example Blog</title>"
            "<meta property='og:site_name' content='The Example Blog'>"
            "<meta property='og:title' content='A grant to Evidence Action Beta to prototype and scale programs'>")
    got = page_with_h1s("<h1>The Example Blog</h1><h1>A grant to Evidence Action Beta to prototype and scale "
                        "programs</h1>", head)
    assert got["title"] == "A grant to Evidence Action Beta to prototype and scale programs"


def test_the_visible_headline_wins_when_another_metadata_wording_matches_it() -> None:
    """JSON-LD gives a headline written for search engines; og:title and the <title> the one the reader sees."""
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": \"Disney+ glitches "
            "blamed on heavy demand says executive Kevin Mayer\"}</script>"
            "<meta property='og:title' content='We had some issues, exec says on Disney+ glitches'>")
    got = page_with_h1s("<h1></h1><h1>‘We had some issues,’ exec says on Disney+ glitches</h1>", head)
    assert got["title"] == "‘We had some issues,’ exec says on Disney+ glitches"


def test_the_kickers_colon_is_read_from_a_title_that_ends_in_the_sites_name() -> None:
    head = "<title>Nationale Demo: Der 9. Juli naht | Zeitung</title>"
    h1 = "<h1><span class='kicker'>Nationale Demo</span><span>Der 9. Juli naht</span></h1>"
    title = page_with_h1s(h1, head)["title"]
    assert title == "Nationale Demo: Der 9. Juli naht"
