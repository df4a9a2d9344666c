"""Page objects and the pure functions under them: (url, html) in, an article record out (`page.extract_article`),
with dates, text and URLs. Nothing here knows about Scrapy or the archive.

Imports nothing itself: `crawler.sites.base` uses `crawler.extract.urls`, and `page` uses `crawler.sites.base`."""
