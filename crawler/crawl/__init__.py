"""One machine's crawl, on Scrapy: the run (settings, preflight, lock), the spiders, their loader, the middlewares
and the progress line. Below it: sites/ and extract/ (what to fetch and how to read it), archive/ (where it goes)."""
