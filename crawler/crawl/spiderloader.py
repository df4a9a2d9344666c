"""Scrapy's spider loader for this project: one spider per declared site, all made from `SiteSpider`, plus the
spiders of the modules named in SPIDER_MODULES (found as Scrapy's own loader finds them).

So `scrapy list` lists the sites and `scrapy crawl thanhuytphcm` crawls one, with no spider module per site. The
fleet's worker (crawl --redis URL), which serves every site, comes in through SPIDER_MODULES (crawler.settings): a
setting, so that this module, of one machine's crawl, does not import the fleet's.
"""

from __future__ import annotations

import warnings

from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy.utils.spider import iter_spider_classes

try:
    from scrapy.utils.misc import walk_modules_iter as walk_modules  # Scrapy 2.19 deprecates walk_modules for it
except ImportError:  # an older Scrapy (pyproject allows 2.16)
    from scrapy.utils.misc import walk_modules  # type: ignore[assignment]

from crawler.sites import all_sites
from crawler.sites.base import Site
from crawler.crawl.spiders.site_spider import SiteSpider


def spider_class(site: Site) -> type[SiteSpider]:
    name = "".join(part.capitalize() for part in site.key.split("_")) + "Spider"
    return type(name, (SiteSpider,), {"name": site.key, "site": site, "__module__": __name__})


def module_spiders(module_names: list[str]) -> dict[str, type[Spider]]:
    """name -> class of the spiders defined in the modules `module_names` (and their submodules)."""
    spiders: dict[str, type[Spider]] = {}
    for module_name in module_names:
        for module in walk_modules(module_name):
            for cls in iter_spider_classes(module):
                spiders[cls.name] = cls
    return spiders


class SiteSpiderLoader:
    def __init__(self, settings: BaseSettings | None):
        #: one per declared site: the spiders that own a URL (find_by_request)
        self._sites: dict[str, type[SiteSpider]] = {key: spider_class(site) for key, site in all_sites().items()}
        self._spiders: dict[str, type[Spider]] = dict(self._sites)
        modules = settings.getlist("SPIDER_MODULES") if settings is not None else []
        for name, cls in module_spiders(modules).items():
            if name in self._sites:
                warnings.warn(f"spider {name!r} of {cls.__module__} has a declared site's name: the site's is kept",
                              stacklevel=2)
                continue
            self._spiders[name] = cls

    @classmethod
    def from_settings(cls, settings: BaseSettings | None) -> "SiteSpiderLoader":
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        """The declared sites whose spider owns the request's URL; never a spider of SPIDER_MODULES (the fleet's
        worker serves every site, and would claim every URL)."""
        return [name for name, cls in self._sites.items() if cls.site.owns(request.url)]
