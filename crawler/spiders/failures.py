"""What went wrong with a request, in a few words a user can count: "http 500", "timeout", "too large"...; and
the one way every spider notes a request that failed for good (its `failures` go into the run's record)."""

from __future__ import annotations

from typing import Any

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


def note_failure(spider: Any, url: str, kind: str, detail: str) -> None:
    """Count a request that failed for good by kind, log it in one line, and list it in `spider.failures`, which
    the store pipeline records in the run (table `failures`)."""
    spider.failures.append((url, kind, detail))
    spider.crawler.stats.inc_value(f"newsarchive/failed/{kind}")
    spider.logger.warning("failed (%s): %s %s", kind, url, detail)
