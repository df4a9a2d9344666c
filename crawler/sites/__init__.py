"""The declared sites: every module in this package that defines `SITE` (a `crawler.sites.base.Site`), and every
such module in the folders named by the environment variable NEWSARCHIVE_SITES_PATH (os.pathsep-separated): a
user's own sites, declared without touching the package."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from functools import cache
from pathlib import Path

from crawler.extract.text import decode_html
from crawler.sites.base import Era, Selectors, Site
from crawler.sites.families import detected_site

__all__ = ["Era", "Selectors", "Site", "SiteDeclarationError", "UnknownSite", "all_sites", "get_site", "site_for_url",
           "site_of_page"]


class SiteDeclarationError(Exception):
    """A user's site module (NEWSARCHIVE_SITES_PATH) that does not load."""


class UnknownSite(KeyError):
    def __str__(self) -> str:
        known = ", ".join(sorted(all_sites())) or "none"
        return f"unknown site {self.args[0]!r} (declared sites: {known})"


@cache
def all_sites() -> dict[str, Site]:
    sites: dict[str, Site] = {}
    modules = [importlib.import_module(f"{__name__}.{info.name}")
               for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
               if not info.name.startswith("_") and info.name not in ("base", "families")]
    for folder in filter(None, os.environ.get("NEWSARCHIVE_SITES_PATH", "").split(os.pathsep)):
        for file in sorted(Path(folder).glob("*.py")):
            if file.name.startswith("_"):
                continue
            spec = importlib.util.spec_from_file_location(f"newsarchive_user_sites.{file.stem}", file)
            if spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except Exception as e:
                raise SiteDeclarationError(f"cannot load the site declaration {file}: {type(e).__name__}: {e}") \
                    from None
            modules.append(module)
    for module in modules:
        site = getattr(module, "SITE", None)
        if isinstance(site, Site):
            if site.key in sites:
                raise ValueError(f"site key {site.key!r} declared twice")
            sites[site.key] = site
    return sites


def get_site(key: str) -> Site:
    try:
        return all_sites()[key]
    except KeyError:
        raise UnknownSite(key) from None


def site_for_url(url: str) -> Site | None:
    """The declared site of `url`: the one whose article rule it matches, else the first that owns its host (two
    declarations may share a host, as dangcongsan.vn's layouts before and after 2025 do)."""
    owners = [site for site in all_sites().values() if site.owns(url)]
    return next((site for site in owners if site.is_article(url)), owners[0] if owners else None)


def site_of_page(url: str, html: str | bytes) -> Site | None:
    """The site to read a page with: its declaration, else the CMS family its markup shows (a detected `Site`),
    else None (the generic layer alone)."""
    declared = site_for_url(url)
    if declared is not None:
        return declared
    return detected_site(url, html if isinstance(html, str) else decode_html(html))
