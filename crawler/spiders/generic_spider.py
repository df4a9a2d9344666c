"""A spider for a site nobody has declared: it follows same-host links from a start URL and keeps the pages that
look like articles, read by the generic layer alone. Bounded by `max_pages`."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.extract.page import ArticlePage
from crawler.spiders.site_spider import served_at
from crawler.text import decode_html
from crawler.urls import canonicalize, host_of

#: Links that are never pages: downloads and media.
_NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|pptx?|zip|rar|mp[34]|avi|mov|css|js)$", re.I)


class GenericSpider(scrapy.Spider):
    name = "generic"

    def __init__(self, start_url: str, max_pages: int = 200, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = start_url
        self.host = host_of(start_url)
        self.allowed_domains = [self.host]
        self.max_pages = int(max_pages)
        self.requested = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.requested = 1
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        page = ArticlePage(response.url, decode_html(response.body, response.encoding), None, served_at(response))
        if page.looks_like_article:
            record = page.to_record()
            record["site"] = self.host
            record["article_id"] = canonicalize(response.url).split("://", 1)[1]
            yield record
        for href in response.xpath("//a/@href").getall():
            if self.requested >= self.max_pages:
                return
            url = response.urljoin(href.strip())
            if not url.startswith(("http://", "https://")) or host_of(url) != self.host or _NOT_PAGES.search(
                    url.split("?", 1)[0]):
                continue
            self.requested += 1
            yield scrapy.Request(canonicalize(url), callback=self.parse)
