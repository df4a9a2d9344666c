"""What `add-site` writes: the site module (a `SITE = Site(...)` declaration, with what it was learnt from in its
docstring), and beside it a fixtures folder with the sampled pages and their UNREVIEWED goldens, and a README
saying a person must check them against the pages; the start pages (home page, feeds) go to listing/, named as
`make sample` looks for them.

Where: `--into DIR`, else the first folder of NEWSARCHIVE_SITES_PATH (the registry loads it), else the package's
crawler/sites/; the fixtures go to DIR/fixtures/<key>/, or for crawler/sites/ to the project's tests/fixtures/<key>/
(the declared sites' fixture folders, see tests/test_site_fixtures.py). Nothing is overwritten.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from crawler.archive.outputs import OutputError, describe, write_file
from crawler.extract.page import ArticlePage
from crawler.live.capture import GOLDEN_FIELDS
from crawler.sites.base import Site

PACKAGE_SITES = Path(__file__).resolve().parent.parent / "sites"

README = """# {key}: pages sampled by `newsarchive add-site` (UNREVIEWED)

These pages were fetched{origin} by `newsarchive add-site {home}` on {day}, and each `.json` beside a page is the
record the new declaration `{module}` extracted from it. Nobody has checked them yet: the goldens are marked
`"reviewed": false`. A person must open each page, check every field of its golden against it (title, date,
lead, body, byline), correct what is wrong, then set `"reviewed": true`. Until then they only show what the
declaration does today, not what is right.
"""


@dataclass(frozen=True)
class Written:
    module: Path
    fixtures: Path
    pages: list[Path]


def sites_folder(into: Path | None) -> Path:
    """Where the module goes (see the module's docstring)."""
    if into is not None:
        return into
    listed = [p for p in os.environ.get("NEWSARCHIVE_SITES_PATH", "").split(os.pathsep) if p]
    return Path(listed[0]) if listed else PACKAGE_SITES


def fixtures_folder(folder: Path, key: str) -> Path:
    if folder.resolve() == PACKAGE_SITES:
        return PACKAGE_SITES.parent.parent / "tests" / "fixtures" / key
    return folder / "fixtures" / key


def module_text(site: Site, learnt: list[str]) -> str:
    """The Python source of the module that declares `site`; `learnt` are the docstring's lines."""
    selectors = ", ".join(f"{name}={value!r}" for name, value in vars(site.selectors).items()
                          if value and name != "exclude")
    doc = "\n".join(line.replace('"""', "'''").rstrip("\\") for line in learnt)
    return (f'r"""{doc}\n"""\n\nfrom crawler.sites.base import Selectors, Site\n\n'
            f"SITE = Site(\n"
            f"    key={site.key!r},\n    name={site.name!r},\n    hosts={site.hosts!r},\n"
            f"    start_urls={site.start_urls!r},\n"
            f"    article_path=r{_raw(site.article_path)},\n"
            f"    selectors=Selectors({selectors}),\n"
            f"    cms={site.cms!r},\n    scheme={site.scheme!r},\n    notes={site.notes!r},\n)\n")


def _raw(pattern: str) -> str:
    quote = '"' if '"' not in pattern else "'"
    return f"{quote}{pattern}{quote}"


def page_name(url: str) -> str:
    path = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9-]+", "-", path.lower()).strip("-")[:80] or "page"


def listing_name(url: str, body: bytes) -> str:
    """The saved listing page's name in listing/: its URL's path and query, lower-cased, each run of other
    characters a dash, `.xml` for a feed (as scripts/build_sample_warc.py finds the page of a start URL)."""
    parts = urlsplit(url)
    stem = re.sub(r"[^a-z0-9]+", "-", f"{parts.path}?{parts.query}".lower()).strip("-") or "index"
    return stem + (".xml" if body.lstrip()[:5] in (b"<?xml", b"<rss ", b"<feed") else ".html")


def write_site(site: Site, learnt: list[str], samples: list[tuple[str, bytes]], folder: Path,
               origin: str = "", listings: dict[str, bytes] | None = None) -> Written:
    """Write the module `folder/<key>.py` and the fixtures of `samples` (url, page bytes) and of the start
    pages in `listings` (url, page bytes). Raises OutputError when a file exists or cannot be written."""
    module = folder / f"{site.key}.py"
    fixtures = fixtures_folder(folder, site.key)
    if module.exists():
        raise OutputError(f"{module} exists; move it away or choose another --key")
    if fixtures.exists():
        raise OutputError(f"{fixtures} exists; move it away or choose another --key")
    try:
        (fixtures / "pages").mkdir(parents=True)
        (fixtures / "listing").mkdir()
    except OSError as e:
        raise OutputError(f"cannot create {fixtures}: {describe(e)}") from None
    for url, body in (listings or {}).items():
        write_file(fixtures / "listing" / listing_name(url, body), body)
    pages = []
    for url, body in samples:
        record = ArticlePage(url, body, site).to_record()
        golden = {k: record[k] for k in GOLDEN_FIELDS}
        golden["extracted_with"] = {k: v for k, v in record["extracted_with"].items() if v == "site"}
        golden["reviewed"] = False
        golden["review_note"] = ("Written by `newsarchive add-site` from the new declaration's output: check every "
                                 "field against the page, correct it, then set reviewed to true.")
        html = fixtures / "pages" / f"{page_name(url)}.html"
        n = 1
        while html in pages:  # two samples of one name ("/news.php?id=1", "/news.php?id=2"): the next number
            n += 1
            html = fixtures / "pages" / f"{page_name(url)}-{n}.html"
        write_file(html, body)
        write_file(html.with_suffix(".json"), json.dumps(golden, ensure_ascii=False, indent=1) + "\n")
        pages.append(html)
    write_file(fixtures / "README.md", README.format(key=site.key, origin=origin, home=site.start_urls[-1],
                                                     day=date.today().isoformat(), module=module.name))
    write_file(module, module_text(site, learnt))
    return Written(module, fixtures, pages)
