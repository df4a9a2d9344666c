"""The shared frontier of a multi-machine crawl, as it lives in Redis: its keys, the scripts that change it in one
round trip, and what commands and workers ask of it (recover, busy, begin_crawl, status, publish_known,
published_*). The Scrapy side, scrapy-redis's scheduler, priority queue and duplicate filter on these keys, is
crawler.fleet.scheduler. Together they give a fleet that runs for years what stock scrapy-redis lacks:

- Taken, not lost. Popping a request moves it, in one Redis script, into the taking worker's set of taken requests.
  It leaves that set only when the engine is done with it: its callback's output handed on, its failure recorded,
  or its retry or redirect queued. A worker that dies (SIGKILL, power cut) stops renewing its heartbeat key; the
  first worker to notice puts what the dead one had taken back into the queue.
- Idle means idle for the fleet. A worker keeps going while the queue holds requests or any worker holds taken
  ones (they may yield more); all stop once the queue is empty and no worker holds any.
- One crawl after another. Seeding an idle frontier starts a new crawl: the duplicate filter is cleared, so hourly
  runs walk their listing pages every hour. Seeds go through the duplicate filter like any request.
- What is archived: `publish_known` puts each site's archived article ids into Redis for the workers, which have
  no archive of their own, so fleet crawls are incremental too.

Queue entries are Scrapy requests as JSON (crawler.fleet.scheduler.JsonRequests), not scrapy-redis's pickles:
reading the queue never runs code from Redis. The Redis must still be reachable only by the fleet, since whoever
writes to it steers the crawl. Needs the redis package (the `distributed` extra) to be used, not to be imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.fleet.connection import client_for

PREFIX = "newsarchive:frontier"
QUEUE_KEY = f"{PREFIX}:requests"
SEEN_KEY = f"{PREFIX}:seen"
WORKERS_KEY = f"{PREFIX}:workers"
#: The sites whose listings, feeds or sitemaps listed an article in this crawl, on any worker: the others fall back
#: to their home page (crawler.crawl.spiders.waysin). Cleared with the duplicate filter when a new crawl begins.
LISTED_KEY = f"{PREFIX}:listed"
KNOWN_PREFIX = "newsarchive:known"
#: Per site, article_id -> due_at of the articles whose last failure is not due again (the failure memory).
NOT_DUE_PREFIX = "newsarchive:not_due"
#: A worker whose heartbeat is older than this is taken for dead and its taken requests go back to the queue.
DEFAULT_TTL_SECONDS = 60.0


def taken_key(worker: str) -> str:
    return f"{PREFIX}:taken:{worker}"


def alive_key(worker: str) -> str:
    return f"{PREFIX}:alive:{worker}"


# The two scripts of crawler.fleet.scheduler's queue (and of crawler.fleet.enqueue's seeding):
# KEYS: queue, taken set; ARGV: how many. Pops the best requests and keeps them, with their scores, among the
# worker's taken ones.
POP = """
local best = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
if #best == 0 then return {} end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #best / 2 - 1)
local popped = {}
for i = 1, #best, 2 do
  redis.call('ZADD', KEYS[2], best[i + 1], best[i])
  popped[#popped + 1] = best[i]
end
return popped
"""
# KEYS: queue, seen; ARGV: fingerprint, score, request. The duplicate filter and the push in one round trip.
PUSH_UNSEEN = """
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
return 1
"""
# KEYS: queue, workers set; ARGV: prefix, a worker to recover even if alive (itself, at start and close; or '').
# Puts back what dead workers had taken; returns how many requests.
_RECOVER = """
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if w == ARGV[2] or redis.call('EXISTS', ARGV[1] .. ':alive:' .. w) == 0 then
    local taken = ARGV[1] .. ':taken:' .. w
    local items = redis.call('ZRANGE', taken, 0, -1, 'WITHSCORES')
    for i = 1, #items, 2 do
      redis.call('ZADD', KEYS[1], items[i + 1], items[i])
      moved = moved + 1
    end
    redis.call('DEL', taken)
    if w ~= ARGV[2] then redis.call('SREM', KEYS[2], w) end
  end
end
return moved
"""
# Whether any request is queued (KEYS[1]) or taken by a worker of the set KEYS[2] (ARGV[1]: the prefix).
_IS_BUSY = """
local function busy()
  if redis.call('ZCARD', KEYS[1]) > 0 then return true end
  for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('ZCARD', ARGV[1] .. ':taken:' .. w) > 0 then return true end
  end
  return false
end
"""
# KEYS: queue, workers set; ARGV: prefix. 1 while any request is queued or taken.
_BUSY = _IS_BUSY + """
if busy() then return 1 end
return 0
"""
# KEYS: queue, workers set, seen, listed; ARGV: prefix. Clears the duplicate filter and the sites listed when the
# frontier is idle (1) or not (0).
_NEW_CRAWL = _IS_BUSY + """
if busy() then return 0 end
redis.call('DEL', KEYS[3], KEYS[4])
return 1
"""


def recover(client: Any, worker: str = "") -> int:
    """Put the requests of dead workers (and of `worker`, alive or not) back into the queue."""
    return int(client.eval(_RECOVER, 2, QUEUE_KEY, WORKERS_KEY, PREFIX, worker))


def busy(client: Any) -> bool:
    """Whether the fleet has work: requests queued, or taken by a worker."""
    return bool(client.eval(_BUSY, 2, QUEUE_KEY, WORKERS_KEY, PREFIX))


def begin_crawl(client: Any) -> bool:
    """Start a new crawl when the frontier is idle: the duplicate filter forgets the last one. True if it did."""
    recover(client)
    return bool(client.eval(_NEW_CRAWL, 4, QUEUE_KEY, WORKERS_KEY, SEEN_KEY, LISTED_KEY, PREFIX))


def note_listed(client: Any, site_key: str) -> None:
    """Say, for the whole fleet, that a site's first sources listed an article in this crawl."""
    client.sadd(LISTED_KEY, site_key)


def listed_in_crawl(client: Any, site_key: str) -> bool:
    """Whether any worker's listings, feeds or sitemaps of the site listed an article in this crawl."""
    return bool(client.sismember(LISTED_KEY, site_key))


def status(client: Any) -> dict[str, int]:
    """Queued requests, live workers, requests taken (by any worker, and by dead workers not yet noticed: they go
    back to the queue when a live worker notices), and fingerprints in the duplicate filter."""
    workers = [w.decode() for w in client.smembers(WORKERS_KEY)]
    alive = {w: bool(client.exists(alive_key(w))) for w in workers}
    taken = {w: int(client.zcard(taken_key(w))) for w in workers}
    return {"queued": int(client.zcard(QUEUE_KEY)), "workers": sum(alive.values()), "taken": sum(taken.values()),
            "orphaned": sum(n for w, n in taken.items() if not alive[w]), "seen": int(client.scard(SEEN_KEY))}


# -- what is archived, for incremental fleet crawls ------------------------------------------------------------------

def publish_known(client: Any, db_path: str | Path, site_keys: Iterable[str]) -> int:
    """Publish the archived article ids of each site (with published_at and fetched_at), and its failed articles
    not due again (with due_at); returns how many archived."""
    from crawler.archive import known_articles, not_due_articles

    total = 0
    for key in site_keys:
        known = known_articles(db_path, key)
        pipe = client.pipeline()
        items = {article_id: f"{published or ''}\t{fetched or ''}" for article_id, (published, fetched) in known.items()}
        for name, mapping in ((f"{KNOWN_PREFIX}:{key}", items),
                              (f"{NOT_DUE_PREFIX}:{key}", not_due_articles(db_path, key))):
            pipe.delete(name)
            pairs = list(mapping.items())
            for start in range(0, len(pairs), 5000):
                pipe.hset(name, mapping=dict(pairs[start:start + 5000]))
        pipe.execute()
        total += len(known)
    return total


def published_known(redis_url: str, site_key: str) -> dict[str, tuple[str | None, str | None]]:
    """What `publish_known` published for one site: article_id -> (published_at, fetched_at)."""
    known = {}
    for article_id, value in client_for(redis_url).hgetall(f"{KNOWN_PREFIX}:{site_key}").items():
        published, _, fetched = value.decode().partition("\t")
        known[article_id.decode()] = (published or None, fetched or None)
    return known


def published_not_due(redis_url: str, site_key: str, now: datetime) -> dict[str, str]:
    """What `publish_known` published of one site's failure memory: article_id -> due_at, of what is still not due
    at `now`."""
    at = now.replace(microsecond=0).isoformat()
    return {article_id.decode(): due.decode()
            for article_id, due in client_for(redis_url).hgetall(f"{NOT_DUE_PREFIX}:{site_key}").items()
            if due.decode() > at}
