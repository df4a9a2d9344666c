"""Run site crawls in one process into one archive, as one run (the library behind `newsarchive crawl`)."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.misc import load_object

from crawler import archive
from crawler.archive.outputs import existing_ancestor
from crawler.archive.lock import run_lock
from crawler.sites import get_site
from crawler.sites.base import Site
from crawler.crawl.stopping import STOPPED_STAT
from crawler.crawl.spiders.generic_spider import GenericSpider
from crawler.extract.urls import host_of, requestable_url
from crawler.evidence.warc import WarcIndex


def listings_notes(run: dict[str, Any]) -> list[str]:
    """"site: declared listings gave nothing; sitemap gave 12 (3 new)" for every site of a run whose declared
    listings gave nothing while another source gave articles (crawler.extract.drift.listings_note)."""
    return [f"{d['site']}: {d['note']}" for d in json.loads(run.get("drift") or "[]") if d.get("note")]


def drift_alarms(run: dict[str, Any]) -> list[str]:
    """"site: reason" for every site of a run whose selectors drifted or that yielded no article."""
    return [f"{d['site']}: {d['alarm']}" for d in json.loads(run.get("drift") or "[]") if d.get("alarm")]


def crawl_settings(full: bool = False, stop_after: int = 10, refresh_days: int = 0, since: date | None = None,
                   log_file: Path | None = None, no_warc: bool = False, overrides: Iterable[str] = ()) -> dict[str, Any]:
    """The Scrapy settings of one `newsarchive crawl`: its NEWSARCHIVE_* options, the log file, WARC capture, and
    the user's `-s NAME=VALUE` overrides (last). ValueError, with a message for the user, on an override that is
    not NAME=VALUE."""
    settings: dict[str, Any] = {"NEWSARCHIVE_FULL": full, "NEWSARCHIVE_STOP_AFTER_KNOWN": stop_after,
                                "NEWSARCHIVE_REFRESH_DAYS": refresh_days,
                                "NEWSARCHIVE_SINCE": since.isoformat() if since else ""}
    if log_file:
        settings.update(LOG_FILE=str(log_file), LOG_FILE_APPEND=True, LOG_LEVEL="INFO")
    if no_warc:
        settings["WARC_CAPTURE"] = False
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--set takes NAME=VALUE, not {item!r}")
        settings[name.strip()] = value
    return settings


@dataclass(frozen=True)
class CrawlOptions:
    """What `newsarchive crawl` is asked for besides its sites and its archive, the same for a crawl on this
    machine and for a fleet's worker: the library makes of them the run's Scrapy settings and its log level."""

    full: bool = False
    stop_after: int = 10
    refresh_days: int = 0
    since: date | None = None
    log_file: Path | None = None
    no_warc: bool = False
    overrides: tuple[str, ...] = ()
    verbose: bool = False

    @property
    def log_level(self) -> str:
        """INFO when Scrapy's log is shown or written to a file, WARNING otherwise."""
        return "INFO" if self.verbose or self.log_file else "WARNING"

    def settings(self) -> dict[str, Any]:
        """The run's settings (crawl_settings); ValueError on an override that is not NAME=VALUE."""
        return crawl_settings(full=self.full, stop_after=self.stop_after, refresh_days=self.refresh_days,
                              since=self.since, log_file=self.log_file, no_warc=self.no_warc,
                              overrides=self.overrides)


def project_settings(**overrides: Any) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    return settings


#: Settings that name components to load: a name that does not import fails the crawl before it starts.
COMPONENT_SETTINGS = ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS",
                      "DOWNLOAD_HANDLERS")
#: Endings of numeric settings that Scrapy reads as seconds (floats) although their default is an int.
_SECONDS = ("_DELAY", "_TIMEOUT", "_INTERVAL", "_SECONDS")


def check_settings(values: Mapping[str, Any]) -> None:
    """Raise ValueError, with a message for the user, when a setting given for a run (`crawl -s NAME=VALUE`, or a
    caller's) cannot work: a value of the wrong type for the setting's default, a component that does not import,
    a log file or WARC folder that cannot be written. Called before the run takes the lock or writes its row, so
    a refused run leaves nothing behind."""
    defaults = project_settings()
    for name, value in values.items():
        default = defaults.get(name)
        try:
            settings = project_settings(**{name: value})  # a dict setting parses its JSON here
            if isinstance(default, bool):
                settings.getbool(name)
            elif isinstance(default, int) and not name.endswith(_SECONDS):
                settings.getint(name)
            elif isinstance(default, (int, float)):
                settings.getfloat(name)
            elif isinstance(default, (dict, BaseSettings)) or name in COMPONENT_SETTINGS:
                settings.getdict(name)
        except (TypeError, ValueError) as e:
            raise ValueError(f"setting {name}={value!r}: not a {_kind(default)} ({e})") from None
    settings = project_settings(**values)
    for name in COMPONENT_SETTINGS:
        if name not in values:
            continue
        for component, order in settings.getdict(name).items():
            if order is not None and not isinstance(order, (int, float)):
                raise ValueError(f"setting {name}: the order of {component} must be a number, not {order!r}")
            if isinstance(component, str):
                try:
                    load_object(component)
                except (ImportError, NameError, ValueError, AttributeError) as e:
                    raise ValueError(f"setting {name}: cannot load {component!r} ({e})") from None
    if values.get("LOG_FILE"):
        check_file_path(Path(str(values["LOG_FILE"])), "log file")
    if values.get("WARC_DIR") and settings.getbool("WARC_CAPTURE"):
        check_folder_path(Path(str(values["WARC_DIR"])), "WARC folder")


def _kind(default: Any) -> str:
    for kind, name in ((bool, "true/false value"), (int, "whole number"), (float, "number"),
                       ((dict, BaseSettings), "JSON object")):
        if isinstance(default, kind):
            return name
    return "valid value"


def check_file_path(path: Path, what: str) -> None:
    """ValueError unless a file can be written at `path` (its folder exists; it is not a folder)."""
    if path.is_dir():
        raise ValueError(f"the {what} {path} is a directory")
    if not path.absolute().parent.is_dir():
        raise ValueError(f"the {what} {path} is in a folder that does not exist")


def check_folder_path(path: Path, what: str) -> None:
    """ValueError unless `path` is a folder or can be made one (nothing on its way is a file)."""
    ancestor = existing_ancestor(path)
    if not ancestor.is_dir():
        raise ValueError(f"the {what} {path} cannot be made: {ancestor} is not a folder")


def run_crawl(site_keys: list[str], db_path: str | Path, replay: str | Path | None = None,
              log_level: str = "WARNING", extra_settings: dict[str, Any] | None = None,
              on_start: Callable[[], None] | None = None, start_urls: list[str] | None = None,
              max_pages: int = 200) -> dict[str, Any]:
    """Crawl `site_keys` into `db_path` and return the run's row. Raises UnknownSite, WarcError, ArchiveError or
    UnrequestableUrl (a start URL: not http(s), a bad host or port, credentials) before anything is fetched or
    written when an argument is bad, and RunLocked when another run is writing to the same archive; `on_start` is
    called once all that is checked."""
    sites = [get_site(key) for key in site_keys]
    start_urls = [requestable_url(url) for url in start_urls or []]  # UnrequestableUrl is a ValueError
    if replay:
        WarcIndex.open(replay)  # fail now, with a clear message, rather than inside the downloader
    archive.check_is_database(Path(db_path))
    values = {"WARC_DIR": str(Path(db_path).parent / "warc"),  # the evidence beside its archive
              **(extra_settings or {})}  # the caller's settings (crawl -s NAME=VALUE) win over the default
    check_settings(values)
    with run_lock(db_path):
        return _run_locked(sites, db_path, replay, log_level, values, on_start, start_urls, max_pages)


def crawl(site_keys: list[str], db_path: str | Path, options: CrawlOptions, *, replay: str | Path | None = None,
          start_urls: list[str] | None = None, max_pages: int = 200,
          on_start: Callable[[], None] | None = None) -> dict[str, Any]:
    """`newsarchive crawl` on this machine: `run_crawl` with the settings and the log level of `options`. Raises
    ValueError, with a message for the user, on a bad option, before anything else run_crawl raises."""
    return run_crawl(site_keys, db_path, replay=replay, log_level=options.log_level,
                     extra_settings=options.settings(), on_start=on_start, start_urls=start_urls,
                     max_pages=max_pages)


class CrawlStopped(Exception):
    """A crawl stopped before its end because it could not keep what it fetched; the message is for the user."""


def _stop_reasons(crawlers: list[Any]) -> str:
    """Why the crawl was stopped (crawler.crawl.stopping), or "" if it ran to its end."""
    return "; ".join(sorted({str(c.stats.get_value(STOPPED_STAT)) for c in crawlers
                             if c.stats is not None and c.stats.get_value(STOPPED_STAT)}))


def _run_locked(sites: list[Site], db_path: str | Path, replay: str | Path | None, log_level: str,
                extra_settings: dict[str, Any] | None, on_start: Callable[[], None] | None, start_urls: list[str],
                max_pages: int) -> dict[str, Any]:
    db = archive.open_archive(db_path)
    # A run killed before it finished may have left listing pages unwalked: this run walks them all (still fetching
    # no archived article) instead of stopping where the archive seems caught up.
    archive.mark_interrupted_runs(db)
    resume = archive.last_crawl_interrupted(db)
    if on_start is not None:
        on_start()
    run_id = archive.start_run(db, [s.key for s in sites] + [host_of(u) for u in start_urls],
                               "replay" if replay else "live")
    values: dict[str, Any] = {"LOG_LEVEL": log_level, "LOG_INSTALL_ROOT_HANDLER": True}
    values.update(extra_settings or {})  # the caller's settings (crawl -s NAME=VALUE) win over the defaults above
    values.update(ARCHIVE_DB=str(db_path), NEWSARCHIVE_RUN_ID=run_id, REPLAY_WARC=str(replay or ""),
                  NEWSARCHIVE_RESUME=resume)
    settings = project_settings(**values)
    status, crawlers = "failed", []
    try:
        process = CrawlerProcess(settings)
        crawlers = [process.create_crawler(process.spider_loader.load(site.key)) for site in sites]
        for crawler in crawlers:
            process.crawl(crawler)
        for url in start_urls:
            generic = process.create_crawler(GenericSpider)
            crawlers.append(generic)
            process.crawl(generic, start_url=url, max_pages=max_pages)
        process.start()
        status = "drift" if drift_alarms(dict(db["crawl_runs"].get(run_id))) else "finished"
    finally:
        stopped = _stop_reasons(crawlers)
        if stopped:
            status = "failed"
        try:
            row = archive.finish_run(db, run_id, status)
        except sqlite3.Error as e:
            if not stopped:
                raise
            raise CrawlStopped(f"{stopped}; run {run_id} could not be closed ({e}): the next run marks it "
                               "interrupted") from None
        finally:
            db.close()
        logging.getLogger(__name__).debug("run %s", json.dumps(row))
    row["stopped"] = stopped
    return row
