"""The fleet's Redis: connecting to it, naming this worker, telling an unreachable Redis from other errors, and what
a worker does when it loses Redis. Used by every module of the room.

Importing this module needs neither redis nor scrapy-redis (the `distributed` extra): a crawl on one machine
imports the fleet's pipeline and middleware too, which stand aside without NEWSARCHIVE_REDIS.
"""

from __future__ import annotations

import functools
import os
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any

from crawler import archive

#: What a fleet command says when the `distributed` extra (redis, scrapy-redis) is not installed.
NEEDS_DISTRIBUTED_EXTRA = "crawling from several machines needs the distributed extra: pip install '.[distributed]'"

#: The crawl stat a worker sets when it loses Redis (to the error's text): it is stopping.
LOST_STAT = "newsarchive/frontier/lost"

_worker_id: str | None = None


def worker_id(settings: Mapping[str, Any]) -> str:
    """NEWSARCHIVE_WORKER_ID, else host name and process id: unique among workers, and named in WARC file names."""
    global _worker_id
    configured = settings.get("NEWSARCHIVE_WORKER_ID")
    if configured:
        return str(configured)
    if _worker_id is None:
        _worker_id = f"{socket.gethostname()}-{os.getpid()}"
    return _worker_id


def require_distributed_extra() -> None:
    """ArchiveError (NEEDS_DISTRIBUTED_EXTRA) unless redis and scrapy-redis can be imported."""
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        raise archive.ArchiveError(NEEDS_DISTRIBUTED_EXTRA) from None


def connect(url: str) -> Any:
    """A client of the Redis at `url` that answered a ping; ArchiveError, with a message for the user, if redis is
    not installed or the Redis does not answer."""
    try:
        import redis
    except ImportError:
        raise archive.ArchiveError(NEEDS_DISTRIBUTED_EXTRA) from None
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as e:
        raise archive.ArchiveError(f"cannot reach Redis at {url}: {e}") from None
    return client


@functools.lru_cache(maxsize=8)
def client_for(url: str) -> Any:
    """One client per Redis URL for the whole process."""
    return connect(url)


def unreachable_errors() -> tuple[type[Exception], ...]:
    """The errors of a Redis that does not answer (as opposed to one that refuses a command)."""
    import redis

    return (redis.ConnectionError, redis.TimeoutError)


def wait_for_redis(client: Any, error: Exception, stop: Callable[[], bool], say: Callable[[str], None],
                   on_answer: Callable[[Any], None] = lambda client: None) -> None:
    """Try Redis again, less and less often (1 s, 2 s, ... 30 s), until it answers or `stop()` turns true.
    `on_answer(client)` runs once it answers a ping (what a Redis that lost its data must be given again); an
    unreachable error there counts as no answer."""
    say(f"Redis does not answer ({error}); trying again until it does.")
    delay, waited = 1.0, 0.0
    while not stop():
        time.sleep(0.1)
        waited += 0.1
        if waited < delay:
            continue
        try:
            client.ping()
            on_answer(client)
        except unreachable_errors():
            delay, waited = min(delay * 2, 30.0), 0.0
            continue
        say("Redis answers again.")
        return


def report_lost(crawler: Any, error: Exception) -> None:
    """A part of a worker other than the frontier found Redis unreachable: the frontier stops the worker (its
    scheduler, crawler.fleet.scheduler, puts its queue on the crawler as `frontier_queue`)."""
    queue = getattr(crawler, "frontier_queue", None)
    if queue is not None:
        queue.on_unreachable(error)


def is_lost(crawler: Any) -> bool:
    """Whether this worker lost Redis (and is stopping)."""
    return bool(crawler.stats.get_value(LOST_STAT))
