"""The spiders of one machine: `SiteSpider` (every declared site; `crawler.crawl.spiderloader` names one per site)
and `GenericSpider` (start URLs on no declared site)."""
