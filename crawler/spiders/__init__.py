"""One generic spider (`SiteSpider`); `crawler.spiderloader` makes a named spider of it for every declared site."""
