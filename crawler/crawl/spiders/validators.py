"""Conditional requests for discovery: the one rule for the sources that list articles and change only when they
do (declared listing pages and feeds, sitemaps). The home page, its sections and the feeds they announce are
asked for unconditionally (crawler.crawl.spiders.waysin: a home page changes every hour, and they are a fallback).
A sitemap index is read in full every run (an unchanged index may name a changed sitemap); the sitemaps it names
are asked for conditionally. A page that was not read as it should be (a sitemap that failed, a listing that is
not HTML or listed nothing) keeps no validators, so the next run reads it in full.

A discovery page's ETag and Last-Modified are kept in the archive (crawler.archive.validators) and sent back on the
next run as If-None-Match and If-Modified-Since, byte for byte as the server sent them. A 304 answer costs a few
hundred bytes and means "nothing new here": the page is not parsed and its section's walk stops there; it is
counted (NOT_MODIFIED_STAT, in the crawl summary), and the drift alarm reads it as "unchanged", never as "no
article". A server that ignores the headers answers 200, and the page is read as always.

Validators are neither sent nor kept with NEWSARCHIVE_CONDITIONAL off. They are not sent (but kept) with
NEWSARCHIVE_FULL, on a run resuming a killed one (NEWSARCHIVE_RESUME: its walk must see every page again) and with
NEWSARCHIVE_REFRESH_DAYS (its archived articles are asked for again because they may have been edited, which their
listing does not show). They are not kept by a run with NEWSARCHIVE_SINCE, whose walk leaves older articles out on
purpose, nor by a run that did not finish its walk (stopped, Ctrl-C): a page seen is worth remembering only once
everything it listed was asked for. A page one of whose articles could not be fetched loses its validators, so the
next run reads it again and asks for that article again.

Use: `self.ask_conditionally(request)` for a discovery request; first in its callback, `if
self.not_modified(response): return` (and count the 304 for its source, `self.source_of(response, default)`: what
the page was when its validators were kept, as `self.page_was(response, source)` says once it is read); and
`self.listed(article_request, asked_url(response))` for each article request it makes (the spider's
`article_requests` does it when given `listed_by`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import scrapy
from scrapy import signals
from scrapy.http import Response

from crawler.archive import discovery_validators
from crawler.archive.validators import Validator

#: Discovery pages that answered 304 (the crawl summary's "not modified").
NOT_MODIFIED_STAT = "newsarchive/discovery_not_modified"
#: Discovery requests sent with validators.
CONDITIONAL_STAT = "newsarchive/discovery_conditional"


def asked_url(response: Response) -> str:
    """The URL the crawl first asked for (before redirects): what a page's validators are kept under."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def conditional(request: scrapy.Request, validators: Mapping[str, Validator]) -> scrapy.Request:
    """`request` with If-None-Match / If-Modified-Since from the validators held for its URL (the bytes the server
    sent, unchanged), and 304 among the statuses its callback handles; `request` itself if none are held."""
    held = validators.get(request.url)
    etag, modified = (held[0], held[1]) if held else (None, None)
    if etag is None and modified is None:
        return request
    request = request.replace()  # a copy: its own headers and meta
    if etag is not None:
        request.headers[b"If-None-Match"] = etag.encode("latin-1")
    if modified is not None:
        request.headers[b"If-Modified-Since"] = modified.encode("latin-1")
    request.meta["handle_httpstatus_list"] = [*request.meta.get("handle_httpstatus_list", []), 304]
    return request


def _header(headers: Any, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def remember(response: Response) -> tuple[str, Validator] | None:
    """(URL asked for, validators to send next time) from a discovery response: a 200's own ETag and Last-Modified
    ((None, None) when it sent neither: nothing to send); a 304's own, or else those its request carried (still
    valid); None for any other status."""
    if response.status == 304:
        sent = response.request.headers if response.request is not None else {}
        etag = _header(response.headers, b"ETag") or _header(sent, b"If-None-Match")
        modified = _header(response.headers, b"Last-Modified") or _header(sent, b"If-Modified-Since")
        return asked_url(response), Validator(etag, modified)
    if response.status != 200:
        return None
    return asked_url(response), Validator(_header(response.headers, b"ETag"),
                                          _header(response.headers, b"Last-Modified"))


class ConditionalDiscovery:
    """Mixed into SiteSpider: `watch_validators()` when the crawl starts (a spider that never calls it, the
    fleet's worker, asks unconditionally and keeps nothing); `kept_validators()` is what the store pipeline writes
    at the end of the run."""

    crawler: Any

    def watch_validators(self) -> None:
        settings = self.crawler.settings
        self.keeps_validators = settings.getbool("NEWSARCHIVE_CONDITIONAL", True)
        sends = self.keeps_validators and not (settings.getbool("NEWSARCHIVE_FULL")
                                               or settings.getbool("NEWSARCHIVE_RESUME")
                                               or settings.getint("NEWSARCHIVE_REFRESH_DAYS", 0) > 0)
        path = settings.get("ARCHIVE_DB")
        self.validators_held: Mapping[str, Validator] = discovery_validators(path) if sends and path else {}
        if settings.get("NEWSARCHIVE_SINCE"):
            self.keeps_validators = False
        self.validators_seen: dict[str, Validator] = {}
        #: article URL asked for -> the discovery pages that listed it (a failure drops their validators)
        self.listed_on: dict[str, set[str]] = {}
        self.walk_finished = False
        self.crawler.signals.connect(self._went_idle, signal=signals.spider_idle)

    def _went_idle(self, spider: Any) -> None:
        if spider is self:
            self.walk_finished = True  # nothing left to ask for: the walk ran to its end

    def ask_conditionally(self, request: scrapy.Request) -> scrapy.Request:
        """A discovery request, with the validators held for its URL."""
        conditioned = conditional(request, getattr(self, "validators_held", {}))
        if conditioned is not request:
            self.crawler.stats.inc_value(CONDITIONAL_STAT)
        return conditioned

    def not_modified(self, response: Response) -> bool:
        """Note the validators of a discovery response; True (counted) when it is a 304: nothing to read."""
        seen = getattr(self, "validators_seen", None)
        remembered = remember(response)
        if seen is not None and remembered is not None:
            url, validator = remembered
            seen[url] = validator._replace(source=self.source_of(response, None))
        if response.status != 304:
            return False
        self.crawler.stats.inc_value(NOT_MODIFIED_STAT)
        return True

    def listed(self, request: scrapy.Request, page: str) -> None:
        """`page` (a discovery page's URL as asked for) made the article request `request`."""
        if getattr(self, "validators_seen", None) is not None:
            self.listed_on.setdefault(request.url, set()).add(page)

    def source_of(self, response: Response, default: str | None) -> str | None:
        """What the page of a response was when its validators were kept (listing, feed, sitemap), else `default`."""
        held = getattr(self, "validators_held", {}).get(asked_url(response))
        return (held.source if held is not None else None) or default

    def page_was(self, response: Response, source: str) -> None:
        """The discovery page of `response`, read, is a `source` (listing, feed...): kept with its validators."""
        seen = getattr(self, "validators_seen", None)
        url = asked_url(response)
        if seen is not None and url in seen:
            seen[url] = seen[url]._replace(source=source)

    def article_failed(self, request: scrapy.Request, page: str | None = None) -> None:
        """An article request failed for good, or was not made because its failure is not due again: every page
        that listed it (and `page`) is read again next run, when the article may be asked for again."""
        seen = getattr(self, "validators_seen", None)
        if seen is None:
            return
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        for listing in self.listed_on.get(first, set()) | ({page} if page else set()):
            seen[listing] = Validator(None, None)

    def read_every_run(self, response: Response) -> None:
        """Keep no validators for this page: it is read in full next run (a sitemap index, which may stay the
        same while a sitemap it names changes; a page that failed or listed nothing, whose fix must show)."""
        seen = getattr(self, "validators_seen", None)
        if seen is not None:
            seen[asked_url(response)] = Validator(None, None)

    def kept_validators(self) -> dict[str, Validator]:
        """What the archive keeps of this run's discovery responses: nothing unless the walk finished and the run
        keeps validators (see the module's docstring)."""
        if not (getattr(self, "keeps_validators", False) and getattr(self, "walk_finished", False)):
            return {}
        return dict(self.validators_seen)

