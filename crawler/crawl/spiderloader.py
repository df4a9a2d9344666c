"""Scrapy's spider loader for this project: one spider per declared site, all made from `SiteSpider`.

So `scrapy list` lists the sites and `scrapy crawl thanhuytphcm` crawls one, with no spider module per site.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from crawler.sites import all_sites
from crawler.sites.base import Site
from crawler.crawl.spiders.site_spider import SiteSpider
from crawler.fleet.worker import WorkerSpider


def spider_class(site: Site) -> type[SiteSpider]:
    name = "".join(part.capitalize() for part in site.key.split("_")) + "Spider"
    return type(name, (SiteSpider,), {"name": site.key, "site": site, "__module__": __name__})


class SiteSpiderLoader:
    def __init__(self, settings: BaseSettings):
        self._spiders: dict[str, type[SiteSpider]] = {key: spider_class(site) for key, site in all_sites().items()}
        self._spiders[WorkerSpider.name] = WorkerSpider  # the fleet's worker (crawl --redis URL), for every site

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> "SiteSpiderLoader":
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, cls in self._spiders.items() if name != WorkerSpider.name and cls.site.owns(request.url)]
