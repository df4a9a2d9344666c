"""Crawling from several machines through Redis: the only room that imports redis (or scrapy-redis). The connection,
the record stream that `newsarchive store` drains into the one archive, the shared frontier of requests, the
per-host slots that keep a fleet polite, the worker spider and the pipeline that hands records off."""
