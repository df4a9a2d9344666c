"""Page objects: (url, html) in, an article record out. Nothing here knows about Scrapy."""

from crawler.extract.page import ArticlePage, extract_article

__all__ = ["ArticlePage", "extract_article"]
