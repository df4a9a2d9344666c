"""What went wrong with a request, in a few words a user can count: "http 500", "timeout", "too large"...; the
one way every spider notes a request that failed for good (its `failures` go into the run's record); and the
failure memory a crawl consults before asking for an article again (crawler.archive.retries says when it is due)."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.archive import not_due_articles
from crawler.extract.dates import VN_TZ

#: The crawl stat of articles not asked for because their last failure is not due again.
SKIPPED_NOT_DUE = "newsarchive/skipped_not_due"


def failure_kind(failure: Failure) -> tuple[str, str]:
    """(kind, detail) of a failed request."""
    exc = failure.value
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    if isinstance(exc, HttpError):
        return f"http {exc.response.status}", f"HTTP {exc.response.status}"
    if isinstance(exc, DownloadTimeoutError) or "timeout" in type(exc).__name__.lower():
        return "timeout", detail
    if isinstance(exc, DownloadCancelledError):
        return ("too large" if "size" in detail.lower() else "cancelled"), detail
    if isinstance(exc, ResponseDataLossError) or "dataloss" in type(exc).__name__.lower():
        return "truncated", detail
    if isinstance(exc, (DownloadConnectionRefusedError, DownloadFailedError, CannotResolveHostError)):
        return "connection", detail
    if isinstance(exc, IgnoreRequest):
        if "cannot be requested" in detail.lower():
            return "bad url", detail
        if "offsite" in detail.lower():
            return "off-site", detail
        if "redirect" in detail.lower():
            return "redirect loop", detail
        if "robots.txt" in detail.lower():
            return "robots.txt", detail
        return "ignored", detail
    return type(exc).__name__, detail


def failed_request(failure: Failure) -> tuple[str, str, str]:
    """(url, kind, detail) of a failed request."""
    request = getattr(failure, "request", None)
    return (request.url if request is not None else "?", *failure_kind(failure))


def note_failure(spider: Any, url: str, kind: str, detail: str, article_id: str | None = None) -> None:
    """Count a request that failed for good by kind, log it in one line, and list it in `spider.failures`, which
    the store pipeline records in the run (table `failures`). `article_id`: the site's id of the article the
    request first asked for, if it was an article's: the failure memory's key (see FailureMemory)."""
    spider.failures.append((url, kind, detail, article_id))
    spider.crawler.stats.inc_value(f"newsarchive/failed/{kind}")
    spider.logger.warning("failed (%s): %s %s", kind, url, detail)


class FailureMemory:
    """The articles of each site whose last failure is not due again, read once per crawl and site (when first
    asked) by `load(site_key, now)`. Empty with NEWSARCHIVE_FULL, and in a replay (REPLAY_WARC)."""

    def __init__(self, load: Callable[[str, datetime], Mapping[str, str]], stats: Any) -> None:
        self.load = load
        self.stats = stats
        self.now = datetime.now(VN_TZ)
        self.not_due: dict[str, Mapping[str, str]] = {}

    def of(self, site_key: str) -> Mapping[str, str]:
        """article_id -> due_at of the articles of `site_key` not to be asked for."""
        held = self.not_due.get(site_key)
        if held is None:
            held = self.not_due[site_key] = self.load(site_key, self.now)
        return held

    def skip(self, site_key: str, article_id: str | None) -> bool:
        """True, and counted, if the article is not to be asked for in this crawl."""
        if article_id is None or article_id not in self.of(site_key):
            return False
        self.stats.inc_value(SKIPPED_NOT_DUE)
        return True


class RemembersFailures(Protocol):
    """A spider with a failure memory: `not_due_of` says where the memory is read from (the crawl's archive; on a
    fleet's worker, what was published in Redis: crawler.fleet.worker)."""

    crawler: Any

    def not_due_of(self, site_key: str, now: datetime) -> Mapping[str, str]:
        """article_id -> due_at of the articles of `site_key` whose last failure is not due again at `now`."""
        ...


def archived_not_due(settings: Any, site_key: str, now: datetime) -> Mapping[str, str]:
    """`not_due_of` of a spider on one machine: from the crawl's archive (ARCHIVE_DB); nothing without one."""
    path = settings.get("ARCHIVE_DB")
    return not_due_articles(path, site_key, now) if path else {}


_memories: weakref.WeakKeyDictionary[Any, FailureMemory] = weakref.WeakKeyDictionary()


def failure_memory(spider: RemembersFailures) -> FailureMemory:
    """The failure memory of one crawl, read through `spider.not_due_of`. A spider skips an article with
    `failure_memory(self).skip(site_key, article_id)`."""
    crawler = spider.crawler
    memory = _memories.get(crawler)
    if memory is None:
        memory = _memories[crawler] = FailureMemory(_loader(spider), crawler.stats)
    return memory


def _loader(spider: RemembersFailures) -> Callable[[str, datetime], Mapping[str, str]]:
    settings = spider.crawler.settings
    if settings.getbool("NEWSARCHIVE_FULL") or settings.get("REPLAY_WARC"):
        return lambda key, now: {}  # a replay asks its WARC, not the site: nothing to spare
    return spider.not_due_of
