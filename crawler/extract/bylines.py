"""Bylines in any language: the names a page gives as its author, each kept apart, without the words around them.

A page names its author in its metadata (JSON-LD `author`, <meta name="author">), in marked elements (rel=author
links, itemprop=author, "author"/"byline" classes) or in a line of text ("By Gopal Sharma", "Von Seb Dumitru,
Lille", "Bài và ảnh: Minh Quân"). From any of these, `person_names` keeps the people: prefixes ("By", "Von",
"Par", "Theo", "Bài và ảnh:") and role notes ("AP Auto Writer", "(dpa)", a place after a comma) are stripped,
several names stay several ("A, B, C"), and what is not a person is refused: the outlet itself (its og:site_name,
its host), an organisation ("Associated Press", "CBS News", "Redaktion"), page furniture ("Share", "Sayfa
Yükleniyor", "News & Schlagzeilen") and dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract import heuristics
from crawler.extract.content import Block
from crawler.extract.text import clean_line, letters_key

#: Words that open a byline, in the languages of the world's news pages, Vietnamese included. The short ones are
#: also name particles ("Di Maria", "De Guzman", "Von Trier"): those are stripped only when a name of two words or
#: more follows (see _strip_prefix).
_PREFIX = re.compile(
    r"^(?:(?:[^\W\d_]+\s+){0,3}by|von|vom"
    r"|par|por|di|da|de|door|av|af|theo|fra|från|van|z|od|от|від|przez|tarafından|oleh|dari|text|texto|testo|tekst"
    r"|текст|автор|авторы|autor|autorin|autore|auteur|author|authors|reporter|redaktion|bài(?:\s*(?:và|,|&)\s*ảnh)?"
    r"|tin(?:\s*(?:và|,|&)\s*ảnh)?|ảnh|bài viết|người viết|tác giả|nhóm pv|pv|ptv|phóng viên|ctv|cộng tác viên)"
    r"(?:\s*[:：]\s*|\s+)", re.I)
_SHORT_PREFIXES = frozenset({"von", "vom", "par", "por", "di", "da", "de", "door", "av", "af", "van", "z", "od",
                             "fra", "dari", "ảnh", "tin"})
#: Where one name ends and the next begins.
_NAME_SPLIT = re.compile(
    r"\s*(?:[,;/|·•&+]|\s[-–—]\s|\s(?:and|und|et|y|e|en|og|och|ed|i|и|та|ve|và|dan)\s|(?<=[^\W\d_]{2})\.\s)\s*", re.I)
_ROLE_NOTE = re.compile(r"\s*[(\[][^()\[\]]{1,40}[)\]]\s*$")
#: Words of a role note or job title ("AP Auto Writer", "Staff writer", "Senior Correspondent"): a part of a byline
#: holding one is not a name.
ROLE_WORDS = frozenset({
    "writer", "reporter", "correspondent", "editor", "editors", "contributor", "columnist", "journalist",
    "analyst", "producer", "photographer", "photos", "photo", "staff", "desk", "bureau", "team", "redaktion",
    "redakteur", "redakteurin", "korrespondent", "korrespondentin", "rédaction", "rédacteur", "correspondant",
    "redacción", "redação", "redazione", "corrispondente", "redactie", "редакция", "корреспондент", "editorial",
    "newsroom", "contributors", "services", "service", "agencies", "admin", "administrator", "guest", "anonymous",
    "unknown", "webmaster", "гость", "gast", "invité", "invitado", "ospite", "convidado", "misafir", "khách",
    "coordenadoria", "assessoria", "secretaria", "secretaría", "abteilung", "redação", "tổng hợp", "biên tập",
    "lược dịch",
})
#: Words that make a name an organisation's, not a person's, wherever they stand ("Associated Press", "CBS News")...
ORGANISATION_WORDS = frozenset({
    "news", "press", "presse", "prensa", "agency", "agence", "agencia", "agenzia", "agentur", "media", "associated",
    "reuters", "afp", "dpa", "apa", "ansa", "efe", "pti", "ians", "ap", "upi", "bbc", "cnn", "cbs", "nbc", "abc",
    "inc", "ltd", "llc", "gmbh", "corp", "company", "network", "zeitung", "nachrichten", "noticias", "notícias",
    "notizie", "nouvelles", "новости", "haber", "haberler", "tin tức", "portal", "university", "universität",
    "institute", "ministry", "department", "council", "government", "prefeitura", "municipal", "foundation",
    "association", "federation", "society", "magazine", "magazin", "revista", "gazette", "tribune", "online",
})
#: ... and words that do so as the last word ("Hindustan Times", "Washington Post", "Telegraph Sport"), where a
#: person's surname hardly ever is one.
ORGANISATION_LAST_WORDS = frozenset({
    "times", "post", "herald", "journal", "daily", "mail", "sport", "sports", "tv", "radio", "digital", "weekly",
    "international", "world", "group", "club", "channel", "today", "blog", "site", "office", "official", "express",
    "review", "insider", "wire", "wires", "report", "reports", "staff", "desk", "team", "bureau", "editors",
})
#: Page furniture that sits in author boxes and bars: interface words in the languages of the world's news pages.
UI_WORDS = frozenset({
    "share", "teilen", "partager", "compartir", "condividi", "partilhar", "paylaş", "поделиться", "chia sẻ",
    "follow", "folgen", "suivre", "seguir", "segui", "takip", "подписаться", "theo dõi", "subscribe", "abonnieren",
    "loading", "laden", "lädt", "chargement", "cargando", "carregando", "caricamento", "yükleniyor", "загрузка",
    "page", "seite", "sayfa", "página", "pagina", "страница", "trang", "more", "mehr", "plus", "más", "mais",
    "altro", "daha", "ещё", "read", "lesen", "lire", "leer", "ler", "leggi", "oku", "читать", "comments", "comment",
    "kommentare", "commentaires", "comentarios", "comentários", "commenti", "yorum", "yorumlar", "комментарии",
    "menu", "menü", "search", "suche", "recherche", "buscar", "cerca", "ara", "поиск", "login", "anmelden", "home",
    "startseite", "accueil", "inicio", "início", "anasayfa", "email", "e-mail", "mail", "print", "drucken",
    "imprimer", "imprimir", "stampa", "twitter", "facebook", "linkedin", "whatsapp", "telegram", "instagram",
    "schlagzeilen", "headlines", "updated", "aktualisiert", "published", "veröffentlicht", "publié", "publicado",
    "pubblicato", "yayınlanma", "опубликовано", "cập nhật", "profile", "profil", "perfil", "bio", "contact",
    "kontakt", "all", "alle", "tous", "todos", "tutti", "tümü", "все", "articles", "artikel", "articoli",
    "artículos", "artigos", "makaleler", "статьи", "posts", "view", "ver", "voir", "anzeigen", "close", "schließen",
    "fermer", "cerrar", "kapat", "закрыть", "advertisement", "anzeige", "werbung", "publicité", "publicidad",
    "reklam", "реклама", "sponsored", "listen", "anhören", "écouter", "escuchar", "dinle", "us", "uns", "nous",
    "on", "auf", "sur", "en", "the", "by", "von", "more", "und", "and", "&",
})
#: Words of a date line ("Updated Friday", "2 hours ago"): month names are left out, since they are also names
#: ("Jan", "June", "August"), and a date that names a month holds a digit anyway.
_DAYS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|ago|montag|dienstag|mittwoch"
    r"|donnerstag|freitag|samstag|sonntag|heute|gestern|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|aujourd'hui|hier|hoy|ayer|oggi|ieri|bugün|dün|сегодня|вчера|hôm nay|hôm qua)\b", re.I)
#: Where the date part of a byline line begins: "By A and B Monday, November 18, 2019", "By A Updated Nov 13".
_DATE_TAIL = re.compile(
    r"[\s,|•·–—-]+(?:on\s+)?(?=(?:updated|published|posted|aktualisiert|veröffentlicht|publié|publicado|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d+)"
    r"\b)", re.I)
#: An outlet's name: a host ("VnExpress.net": its top-level domain in lower case, so an initial and a name,
#: "T.Linh", "Q.Anh", is not one), or a word ending in news, media or press.
_DOMAIN = re.compile(r"\w\.[a-z]{2,4}$|(?i:\b(?:news|media|press))$")
#: Lower-case words a person's name may hold: "Ludwig van Beethoven", "Pedro de la Cruz", "Omar bin Laden".
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la",
                        "le", "zu", "ter", "ten", "bin", "binti", "ibn", "al", "el", "y", "e", "st.", "mc"})


def person_names(texts: Iterable[str], outlet: Iterable[str] = (),
                 refuse: Callable[[str], bool] | None = None) -> str | None:
    """The people among `texts` (each a name, a byline line or a list of names), once each, joined by ", "; None
    when none is a person. `outlet`: the site's own names (og:site_name, its host), never a byline; `refuse`: a
    further test of what is not a person (the Vietnamese organisations of crawler.extract.heuristics)."""
    outlet_keys = {k for k in (letters_key(o) for o in outlet) if len(k) >= 3}
    found: list[str] = []
    found_keys: set[str] = set()
    for text in texts:
        for name in split_names(text):
            if _is_person(name, outlet_keys, refuse) and (key := letters_key(name)) not in found_keys:
                found.append(name)
                found_keys.add(key)
    return ", ".join(found) if found else None


def split_names(text: str) -> list[str]:
    """The names in one byline line: the prefix stripped, split on commas, "and" words and the like, each without
    its role note; a one-word part after another part is a place, an outlet or a credential ("Seb Dumitru, Lille"),
    not another person."""
    text = _strip_prefix(clean_line(text).strip(" .:·|-–—"))
    text = _DATE_TAIL.split(text, maxsplit=1)[0]
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = _ROLE_NOTE.sub("", _strip_prefix(part.strip(" .:·"))).strip(" .:·")
        if not part:
            continue
        if names and len(part.split()) == 1:
            continue  # "Seb Dumitru, Lille", "Reuters, Washington", "Jane Doe, MS": a place, an outlet, a credential
        names.append(part)
    return names


def outlet_names(site_name: str | None, url: str) -> list[str]:
    """The outlet's own names: the site name its metadata gives, its host and the host's own labels ("cbsnews" for
    www.cbsnews.com; "detroit" and "cbslocal" for detroit.cbslocal.com)."""
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    while len(labels) > 2 and labels[0] in ("www", "m", "amp", "mobile"):
        labels = labels[1:]
    own = labels[:-1]  # less the top-level domain
    if len(own) > 1 and own[-1] in ("co", "com", "org", "net", "gov", "ac", "edu", "or", "ne"):
        own = own[:-1]
    return [n for n in (site_name, ".".join(labels), *own) if n]


def _strip_prefix(text: str) -> str:
    for _ in range(2):  # "Text und Fotos: Von ..." at most
        m = _PREFIX.match(text)
        if not m:
            return text
        rest = text[m.end():].strip()
        word = m.group(0).strip(" :：").lower()
        if word in _SHORT_PREFIXES and not m.group(0).rstrip().endswith((":", "：")) and len(rest.split()) < 2:
            return text  # "De Guzman", "Di Maria": a name, not a prefix
        text = rest
    return text


def _is_person(name: str, outlet_keys: set[str], refuse: Callable[[str], bool] | None = None) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6 or len(name) > 60:
        return False
    if any(c.isdigit() for c in name) or "@" in name or "http" in name.lower() or _DAYS.search(name):
        return False
    if _DOMAIN.search(name):
        return False  # "Cleveland.com", "Spacetoday.net", "SpaceNews": an outlet
    lowered = [w.lower().strip(".,'’") for w in words]
    pairs = {f"{a} {b}" for a, b in zip(lowered, lowered[1:])}
    if lowered[0] == "the" or lowered[-1] in ORGANISATION_LAST_WORDS:
        return False
    if any(w in ORGANISATION_WORDS or w in ROLE_WORDS for w in lowered) or pairs & (ORGANISATION_WORDS | ROLE_WORDS):
        return False
    ui = sum(1 for w in lowered if w in UI_WORDS) + 2 * len(pairs & UI_WORDS)
    if len(words) == 1 and ui or ui > len(words) / 2:
        return False  # "Share", "Sayfa Yükleniyor", "Read more"; but "Larry Page"
    key = letters_key(name)
    if any(key == o or (len(o) >= 5 and o in key) or (len(key) >= 5 and key in o) for o in outlet_keys):
        return False
    if len(words) == 1 and (name.isupper() or (len(name) < 3 and name[0].isupper())):
        return False  # "AFP", "TTXVN": an agency's initials
    if refuse is not None and refuse(name):
        return False
    return all(_name_word(w) for w in words)


def _name_word(word: str) -> bool:
    """A word of a person's name: a capital first (any cased script), a particle, or a letter of a script without
    case (Chinese, Korean, Arabic, Thai...)."""
    first = word[0]
    if word.lower() in _PARTICLES:
        return True
    if not (first.isalpha() or first in "'’"):
        return False
    if first.isupper():
        return all(c.isalpha() or c in ".'’-" for c in word)
    return not first.islower() and all(c.isalpha() or c in ".'’-" for c in word)


def marked_author(scope: etree._Element | None, root: etree._Element, outlet: Iterable[str] = (),
                  refuse: Callable[[str], bool] | None = None) -> str | None:
    """The people named in the elements the page marks as its author: rel=author links, then the first element
    whose class or id says author or byline (and its marked siblings: one author each), in the article's own area
    (`scope`) first, then anywhere outside page furniture. Each name is read apart (see _element_people)."""
    outlet = list(outlet)
    areas = [scope, root] if scope is not None and scope is not root else [root]
    for area in areas:
        linked = [a for a in area.iter("a") if "author" in (a.get("rel") or "").lower().split()
                  and not heuristics.is_furniture(a) and not heuristics.in_other_articles(a, page_wide=False)]
        found = person_names([heuristics.element_text(a) for a in linked], outlet, refuse)
        if found:
            return found
        marked = [el for el in heuristics.author_elements(area) if heuristics.has_text(el)]
        inside = set(marked)
        # Not filtered as furniture: a bar that holds the author, the time and share buttons ("author-share-top")
        # is named like a share bar.
        outermost = [el for el in marked if not any(a in inside for a in el.iterancestors())]
        if outermost:
            first = outermost[0]
            group = [el for el in outermost if el is first or el.getparent() is first.getparent()]
            return person_names([n for el in group for n in [_element_people(el, inside, outlet, refuse)] if n],
                                outlet, refuse)
    return None


def _element_people(el: etree._Element, marked: set[etree._Element], outlet: list[str],
                    refuse: Callable[[str], bool] | None) -> str | None:
    """The people one author element names: two linked names or more, one by one (links are how a page keeps
    names apart when nothing else does); else those of the marked elements inside it; else its text as a byline
    line ("Von A, B und C"); else its links, or its children of two words or more, one by one."""
    links = [heuristics.element_text(a) for a in el.iter("a")]
    linked = [n for n in (person_names([t], outlet, refuse) for t in links) if n]
    if len(linked) >= 2:
        return ", ".join(linked)
    inner = [d for d in el.iterdescendants() if d in marked]
    inner = [d for d in inner if not any(a in inner for a in d.iterancestors())]
    if inner:  # read as one line: "Reuters," + "Washington," is an agency and a place, not a person called Washington
        found = person_names([", ".join(heuristics.heading_text(d) for d in inner)], outlet, refuse)
        if found:
            return found
    found = person_names([heuristics.heading_text(el)], outlet, refuse)
    if found or linked:
        return found or ", ".join(linked)
    children = [t for t in (heuristics.element_text(c) for c in el if isinstance(c.tag, str)) if len(t.split()) >= 2]
    return person_names(children, outlet, refuse) if children else None  # not "Washington" beside "Reuters"


def person_line(block: Block | None, outlet: Iterable[str] = (),
                refuse: Callable[[str], bool] | None = None) -> str | None:
    """The name in a byline paragraph (crawler.extract.heuristics.find_byline's block), as byline_name reads it,
    when it names a person: not the outlet ("Team Snopes"), an organisation or a furniture line."""
    name = heuristics.byline_name(block.text) if block is not None else None
    return name if name and person_names([name], outlet, refuse) else None


def signature_after(container: etree._Element | None) -> str | None:
    """The name in a signature block printed just after the article's text container, outside it (a state-press
    page's right-aligned or bold "Nguyễn Văn An" in a div of its own): the first element after the container that
    holds text, when it is a right-aligned or bold line that is a person's name."""
    if container is None:
        return None
    for el in container.itersiblings():
        if not isinstance(el.tag, str) or not heuristics.has_text(el):
            continue
        text = heuristics.element_text(el)
        name = heuristics.byline_name(text)
        block = Block(text, el.tag, el)
        return name if name and (block.right_aligned or block.emphasis) else None
    return None
