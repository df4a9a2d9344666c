"""Write records into the SQLite archive, one transaction per article, and keep the run's row up to date."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler import archive
from crawler.extract.drift import drift_report, listings_note
from crawler.sites.base import Site
from crawler.crawl.spiders.failures import SKIPPED_NOT_DUE
from crawler.crawl.spiders.sitemaps import source_counts
from crawler.crawl.spiders.validators import NOT_MODIFIED_STAT
from crawler.crawl.spiders.waysin import FELL_BACK_STAT
from crawler.crawl.stopping import stop_crawl

from . import STATS_PREFIX
from .drift import BYLINE_HELD, BYLINE_MISSED, HELD, MISSED


def run_counts(stats: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """(counts, dropped reasons) of one crawler, from its stats."""
    prefix = f"{STATS_PREFIX}/"
    counts = {
        "pages_fetched": int(stats.get("response_received_count", 0)),
        "new": int(stats.get(f"{prefix}new", 0)),
        "updated": int(stats.get(f"{prefix}updated", 0)),
        "unchanged": int(stats.get(f"{prefix}unchanged", 0)),
        "duplicates": int(stats.get(f"{prefix}duplicate", 0)),
        "errors": int(stats.get("log_count/ERROR", 0)),
        "skipped_not_due": int(stats.get(SKIPPED_NOT_DUE, 0)),
        "not_modified": int(stats.get(NOT_MODIFIED_STAT, 0)),
    }
    dropped = {k[len(prefix) + len("dropped/"):]: int(v) for k, v in stats.items()
               if k.startswith(f"{prefix}dropped/")}
    return counts, dropped


#: A batch is committed after this many articles or this many seconds, whichever comes first.
BATCH_ARTICLES = 50
BATCH_SECONDS = 2.0


class _Writer:
    """One connection per archive for every crawler of the process: SQLite has one writer, and all crawlers run in
    one thread, so a second connection waiting for the first one's batch would wait for ever. With it, the
    fingerprints of archived articles that the copy check holds in memory (archive.CopyCandidates)."""

    open_dbs: dict[str, tuple[Any, int, archive.CopyCandidates]] = {}

    @classmethod
    def open(cls, path: str) -> tuple[Any, archive.CopyCandidates]:
        db, users, candidates = cls.open_dbs.get(path, (None, 0, archive.CopyCandidates()))
        if db is None:
            db = archive.open_archive(path)
        cls.open_dbs[path] = (db, users + 1, candidates)
        return db, candidates

    @classmethod
    def release(cls, path: str, commit: bool = True) -> None:
        db, users, candidates = cls.open_dbs[path]
        if users <= 1:
            if db.conn.in_transaction:
                db.execute("COMMIT" if commit else "ROLLBACK")
            db.close()
            del cls.open_dbs[path]
        else:
            cls.open_dbs[path] = (db, users - 1, candidates)


def _listings_note(site: Site, stats: dict[str, Any]) -> str | None:
    """What the run says of a declared site whose declared listings gave nothing while another source gave
    articles (crawler.extract.drift.listings_note). After a fallback to the home page, the feeds counted are the
    ones it announced: the declared ones had listed nothing."""
    if not site.start_urls:
        return None
    declared = ("listing",) if stats.get(FELL_BACK_STAT.format(site=site.key)) else ("listing", "feed")
    return listings_note(source_counts(stats).get(site.key, {}), declared)


def _declared_not_modified(site: Site, stats: dict[str, Any]) -> int:
    """How many of the site's declared listing pages and feeds answered 304: what spares it the "no article"
    alarm (a 304 of its sitemap says nothing of its declared listings)."""
    counts = source_counts(stats).get(site.key, {})
    return sum(held[2] for source, held in counts.items() if source in ("listing", "feed") and len(held) > 2)


class StorePipeline:
    """Settings: ARCHIVE_DB (path), NEWSARCHIVE_RUN_ID (a run opened by the caller; otherwise this crawl opens and
    closes its own). Off on a worker (NEWSARCHIVE_REDIS set), where HandoffPipeline takes its place."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("ARCHIVE_DB", str(archive.DEFAULT_DB))
        self.run_id: int | None = crawler.settings.getint("NEWSARCHIVE_RUN_ID") or None
        self.owns_run = self.run_id is None
        self.db = None
        self.pending = 0
        self.stopped = False
        self.batch_started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "StorePipeline":
        if crawler.settings.get("NEWSARCHIVE_REDIS"):
            raise NotConfigured  # no message: Scrapy would log it as a warning on every worker crawl
        return cls(crawler)

    def open_spider(self) -> None:
        self.db, self.candidates = _Writer.open(self.path)
        if self.owns_run:
            spider = self.crawler.spider
            source = "replay" if self.crawler.settings.get("REPLAY_WARC") else "live"
            self.run_id = archive.start_run(self.db, [getattr(spider, "name", "?")], source)
        self.crawler.stats.set_value(f"{STATS_PREFIX}/run_id", self.run_id)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        # Articles are committed in batches (each article still atomic: a savepoint inside the batch). A killed
        # crawl loses at most the last batch, which the next run fetches again; no article is ever half-written.
        if self.stopped:
            raise DropItem("the archive cannot be written")
        try:
            if not self.db.conn.in_transaction:
                self.db.execute("BEGIN")
                self.batch_started = time.monotonic()
            outcome = archive.store_article(self.db, item, candidates=self.candidates)
            self.pending += 1
            if self.pending >= BATCH_ARTICLES or time.monotonic() - self.batch_started >= BATCH_SECONDS:
                self._commit()
        except sqlite3.Error as e:
            if not archive.cannot_write(e):
                raise
            self._give_up(e)
            raise DropItem("the archive cannot be written") from None
        self.crawler.stats.inc_value(f"{STATS_PREFIX}/{outcome}")
        return item

    def _give_up(self, error: sqlite3.Error) -> None:
        """The archive cannot take more: what the batch held is rolled back (those articles are not archived, so
        the next run fetches them again) and the crawl stops; what was committed stays."""
        self.stopped = True
        if self.db.conn.in_transaction:
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self.pending = 0
        stop_crawl(self.crawler, f"cannot write the archive {self.path}: {error}")

    def _commit(self) -> None:
        if self.db.conn.in_transaction:
            self.db.execute("COMMIT")
        self.pending = 0

    def close_spider(self) -> None:
        if self.db is None:
            return
        if self.stopped:  # nothing more can be written: the next run marks this one interrupted
            _Writer.release(self.path, commit=False)
            return
        try:
            self._commit()
        except sqlite3.Error as e:
            if not archive.cannot_write(e):
                raise
            self._give_up(e)
            _Writer.release(self.path, commit=False)
            return
        stats = self.crawler.stats.get_stats()
        counts, dropped = run_counts(stats)
        drift = None
        spider = self.crawler.spider
        if isinstance(getattr(spider, "site", None), Site):
            drift = drift_report(spider.site.key, int(stats.get(HELD, 0)) + int(stats.get(MISSED, 0)),
                                 int(stats.get(HELD, 0)), self.crawler.settings.getfloat("NEWSARCHIVE_DRIFT_THRESHOLD"),
                                 (int(stats.get(BYLINE_HELD, 0)), int(stats.get(BYLINE_MISSED, 0))),
                                 int(stats.get(f"{STATS_PREFIX}/listed_articles", 0)),
                                 _declared_not_modified(spider.site, stats), _listings_note(spider.site, stats))
        archive.add_run_counts(self.db, self.run_id, counts, dropped, drift, source_counts(stats))
        # The site a failure belongs to: a declared site's spider is named after it; the generic one names its host.
        site = getattr(spider, "site_key", None) or getattr(spider, "name", "?")
        archive.record_failures(self.db, self.run_id, site, getattr(spider, "failures", []))
        kept_validators = getattr(spider, "kept_validators", None)  # of its discovery pages, for the next run
        if callable(kept_validators):
            archive.record_validators(self.db, kept_validators())
        if self.owns_run:
            archive.finish_run(self.db, self.run_id)
        _Writer.release(self.path)
