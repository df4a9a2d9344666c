"""Scrapy settings of the project. Polite by default: these are small public-service sites."""

BOT_NAME = "newsarchive"

SPIDER_LOADER_CLASS = "crawler.crawl.spiderloader.SiteSpiderLoader"
#: Besides one spider per declared site (the loader makes them), the spiders of these modules: the fleet's worker
#: (crawl --redis URL), which Scrapyd schedules as "worker".
SPIDER_MODULES = ["crawler.fleet.worker"]
ADDONS = {"crawler.evidence.replay.ReplayAddon": 0}

USER_AGENT = "newsarchive/0.1 (research archive of Vietnamese party-committee news; +https://pypi.org/project/scrapy/)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
#: Items are processed one after the other: storage is one SQLite writer anyway, and Scrapy's default (100) spawns
#: a task per output of every callback.
CONCURRENT_ITEMS = 1
#: Scrapy would check, for every response, whether its callback is a generator that returns a value, by reading and
#: parsing the callback's source (its cache keys on bound methods, which die with their requests): about 0.3 ms a
#: page. tests/test_spider.py makes the same check once, over every callback of our spiders.
WARN_ON_GENERATOR_RETURN_VALUE = False
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.deduplicate.DeduplicatePipeline": 300,
    "pipelines.drift.DriftPipeline": 400,
    # Exactly one of the two is active: with NEWSARCHIVE_REDIS set (a worker), records go to the Redis stream and
    # the store pipeline stands aside; without it, they go into ARCHIVE_DB. A setting, not code, decides, so a crawl
    # started by `scrapy crawl` or by Scrapyd (schedule.json ... -d setting=NEWSARCHIVE_REDIS=...) is a worker too.
    "pipelines.store.StorePipeline": 900,
    "crawler.fleet.handoff.HandoffPipeline": 900,
}
#: Scrapy 2.19 starts, in every crawl, an HTTP server on localhost that runs any Python code sent with the token it
#: writes to the user's profile directory (RemoteControl; a killed crawl leaves its token file behind). A scheduled
#: archiver needs no such door.
REMOTE_CONTROL_ENABLED = False
EXTENSIONS = {"crawler.crawl.progress.ProgressLine": 500}
#: Before RedirectMiddleware (600) sees a 3xx: refuse, and record, redirects off the site.
#: Nearest the downloader (950): WARC capture sees each response as served, before decompression.
#: Scrapy's meta-refresh redirects (580), minus those to a URL that cannot be requested (the page is kept instead).
DOWNLOADER_MIDDLEWARES = {"crawler.crawl.middlewares.OffsiteRedirectMiddleware": 650,
                          "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
                          "crawler.crawl.middlewares.RequestableMetaRefreshMiddleware": 580,
                          # robots.txt (100), whose download errors are logged in one line, not a traceback
                          "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                          "crawler.crawl.middlewares.QuietRobotsTxtMiddleware": 100,
                          "crawler.evidence.capture.WarcCaptureMiddleware": 950,
                          # workers only (crawl --redis): one request slot per host for the whole fleet
                          "crawler.fleet.slots.FleetSlotMiddleware": 50}
#: Keep every response of a live crawl in gzip WARC files (not in replay); a new file past WARC_MAX_SIZE bytes.
WARC_CAPTURE = True
WARC_DIR = "data/warc"
WARC_MAX_SIZE = 1024 * 1024 * 1024

#: Where the archive is written.
ARCHIVE_DB = "data/archive.db"
#: A WARC file to answer every request from instead of the network (see crawler.evidence.replay); empty for live crawls.
REPLAY_WARC = ""
#: Below this share of articles whose title, date and body came from a site's own selectors, a run raises the drift
#: alarm for that site. A redesign makes nearly every page miss; a few pages in a special layout (an e-magazine
#: story, a video page) should not raise it.
NEWSARCHIVE_DRIFT_THRESHOLD = 0.5
#: Ask for listing pages, feeds and sitemaps conditionally, with the ETag / Last-Modified the last run kept
#: (crawler.crawl.spiders.validators): an unchanged page answers 304 and costs a few hundred bytes.
NEWSARCHIVE_CONDITIONAL = True
#: Print a live progress line on stderr when it is a terminal.
NEWSARCHIVE_PROGRESS = True

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
