"""Crawling from several machines through Redis: the only room that imports redis (or scrapy-redis), and the only
one that knows the fleet (the rooms of one machine do not import it; Scrapy finds the worker through settings).
The connection, the record stream that `newsarchive store` drains into the one archive, the shared frontier of
requests and its scheduler, the per-host slots that keep a fleet polite, the worker spider, its run and the
seeding of the frontier (`newsarchive enqueue`), and the pipeline that hands records off."""
