"""The shared frontier of a multi-machine crawl: scrapy-redis's scheduler, priority queue and duplicate filter, with
what a fleet that runs for years needs and stock scrapy-redis lacks.

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

Queue entries are Scrapy requests as JSON (JsonRequests), not scrapy-redis's pickles: reading the queue never runs
code from Redis. The Redis must still be reachable only by the fleet, since whoever writes to it steers the crawl.
Needs the `distributed` extra (redis, scrapy-redis).
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.task import LoopingCall

from crawler.fleet.connection import LOST_STAT, client_for, connect, unreachable_errors, worker_id

logger = logging.getLogger(__name__)

PREFIX = "newsarchive:frontier"
QUEUE_KEY = f"{PREFIX}:requests"
SEEN_KEY = f"{PREFIX}:seen"
WORKERS_KEY = f"{PREFIX}:workers"
KNOWN_PREFIX = "newsarchive:known"
#: Per site, article_id -> due_at of the articles whose last failure is not due again (the failure memory).
NOT_DUE_PREFIX = "newsarchive:not_due"
#: A worker whose heartbeat is older than this is taken for dead and its taken requests go back to the queue.
DEFAULT_TTL_SECONDS = 60.0


def taken_key(worker: str) -> str:
    return f"{PREFIX}:taken:{worker}"


def alive_key(worker: str) -> str:
    return f"{PREFIX}:alive:{worker}"


# KEYS: queue, taken set; ARGV: how many. Pops the best requests and keeps them, with their scores, among the
# worker's taken ones.
_POP = """
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
_PUSH_UNSEEN = """
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
# KEYS: queue, workers set, seen; ARGV: prefix. Clears the duplicate filter when the frontier is idle (1) or not (0).
_NEW_CRAWL = _IS_BUSY + """
if busy() then return 0 end
redis.call('DEL', KEYS[3])
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
    return bool(client.eval(_NEW_CRAWL, 3, QUEUE_KEY, WORKERS_KEY, SEEN_KEY, PREFIX))


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


# -- Scrapy side ----------------------------------------------------------------------------------------------------

class JsonRequests:
    """The frontier's encoding of requests (Request.to_dict's dict): JSON, so that reading the queue never runs code
    from Redis, as unpickling scrapy-redis's default encoding would. Bytes (headers, bodies) and dicts with keys
    that are not text (headers) are tagged; any other value that JSON cannot hold is refused (TypeError)."""

    @staticmethod
    def dumps(obj: Any) -> bytes:
        return json.dumps(_plain(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()

    @staticmethod
    def loads(data: bytes) -> Any:
        return json.loads(data, object_hook=_unplain)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, bytes):
        return {"~b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and "~b" not in value and "~d" not in value:
            return {k: _plain(v) for k, v in value.items()}
        return {"~d": [[_plain(k), _plain(v)] for k, v in value.items()]}
    raise TypeError(f"a request for the shared frontier holds a {type(value).__name__}, which JSON cannot hold")


def _unplain(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "~b" in obj:
            return base64.b64decode(obj["~b"])
        if "~d" in obj:
            return {(tuple(k) if isinstance(k, list) else k): v for k, v in obj["~d"]}
    return obj


class TakenQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose pop keeps the request among its worker's taken ones until `done`.

    Round trips to Redis are the fleet's cost per page: each one waits for redis-server to get a core, which on a
    busy machine takes longer than the command. So a worker's writes (requests pushed, records handed to the
    writer, acknowledgements) wait in an outbox and go in one pipeline, in the order they were made: at least every
    50 ms, before any pop or idle check, and at close. Order is what makes this safe: a request's acknowledgement
    follows the records and requests it led to, so a worker that dies with an unsent outbox has not acknowledged
    anything in it, and what it took is done again by another (the archive stores nothing twice). Requests are
    taken a few at a time (`batch`).
    """

    def __init__(self, *args: Any, batch: int = 4, **kwargs: Any):
        kwargs.setdefault("serializer", JsonRequests)
        super().__init__(*args, **kwargs)
        self.worker = ""
        self.batch = batch
        self.taken: dict[Request, bytes] = {}
        self.ready: list[bytes] = []
        self.outbox: list[Callable[[Any], Any]] = []
        #: Called with the error when a write the caller did not wait for finds Redis unreachable.
        self.on_unreachable: Callable[[Exception], None] = lambda e: None
        self._pop = self.server.register_script(_POP)
        self._push_unseen = self.server.register_script(_PUSH_UNSEEN)

    def __len__(self) -> int:
        return super().__len__() + len(self.ready)

    def _encode_request(self, request: Request) -> bytes:
        """scrapy-redis's encoding (Request.to_dict), without its search of the spider's members for the callback's
        name (inspect.getmembers for each request): the callbacks here are the spider's own methods, named as
        they are. Anything else goes the stock way."""
        callback, errback = request.callback, request.errback
        if not (self._own_method(callback) and self._own_method(errback)) or type(request) is not Request:
            return super()._encode_request(request)
        fields = {"url": request.url, "callback": callback.__name__ if callback else None,
                  "errback": errback.__name__ if errback else None, "headers": dict(request.headers)}
        for attr in request.attributes:
            fields.setdefault(attr, getattr(request, attr))
        return self.serializer.dumps(fields)

    def _own_method(self, func: Any) -> bool:
        return func is None or (getattr(func, "__self__", None) is self.spider
                                and getattr(self.spider, func.__name__, None) == func)

    def push(self, request: Request) -> None:
        data, score = self._encode_request(request), -request.priority
        self._send(lambda pipe: pipe.execute_command("ZADD", self.key, score, data))

    def push_unseen(self, request: Request, fingerprint: str) -> None:
        """Push `request` unless the duplicate filter has seen it (and mark it seen)."""
        args = [fingerprint, -request.priority, self._encode_request(request)]
        self._send(lambda pipe: self._push_unseen(keys=[self.key, SEEN_KEY], args=args, client=pipe))

    def hand_off(self, fields: dict[str, str]) -> None:
        """A message for the writer's stream (crawler.fleet.stream), sent with this worker's other writes."""
        from crawler.fleet.stream import STREAM

        self._send(lambda pipe: pipe.xadd(STREAM, fields))

    def pop(self, timeout: int = 0) -> Request | None:
        if not self.ready:
            pipe = self._pipeline()
            self._pop(keys=[self.key, taken_key(self.worker)], args=[self.batch], client=pipe)
            self.ready = list(pipe.execute()[-1])
            self.ready.reverse()
        while self.ready:
            data = self.ready.pop()
            try:
                request = self._decode_request(data)
            except (ValueError, TypeError, KeyError, AttributeError) as e:
                # not a request of this frontier's encoding (an older version's pickle, or junk): never run, dropped
                logger.warning("dropped an entry of the shared frontier that is not a request (%s): %.80r", e, data)
                self._send(lambda pipe, data=data: pipe.zrem(taken_key(self.worker), data))
                continue
            self.taken[request] = data
            return request
        return None

    def done(self, request: Request) -> None:
        data = self.taken.pop(request, None)
        if data is not None:
            self._send(lambda pipe: pipe.zrem(taken_key(self.worker), data))

    def _send(self, operation: Callable[[Any], Any]) -> None:
        self.outbox.append(operation)
        if len(self.outbox) >= 200:
            try:
                self.flush()
            except unreachable_errors() as e:
                self.on_unreachable(e)

    def _pipeline(self) -> Any:
        """A pipeline holding the outbox (which it empties)."""
        pipe = self.server.pipeline(transaction=False)
        for operation in self.outbox:
            operation(pipe)
        self.outbox = []
        return pipe

    def flush(self) -> None:
        """Send the outbox."""
        if self.outbox:
            self._pipeline().execute()


class FrontierScheduler(Scheduler):
    """Scheduler of a worker (`crawl --redis URL`). Settings: NEWSARCHIVE_REDIS, NEWSARCHIVE_WORKER_ID,
    NEWSARCHIVE_WORKER_TTL (seconds of silence after which a worker is taken for dead)."""

    queue: TakenQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "FrontierScheduler":
        settings = crawler.settings
        server = connect(settings.get("NEWSARCHIVE_REDIS"))
        # open() makes the queue, a TakenQueue on QUEUE_KEY; persist: a worker's close never clears the fleet's queue
        scheduler = cls(server=server, persist=True, dupefilter=RFPDupeFilter(server, key=SEEN_KEY))
        scheduler.stats = crawler.stats
        scheduler.crawler = crawler
        scheduler.worker = worker_id(settings)
        scheduler.ttl = settings.getfloat("NEWSARCHIVE_WORKER_TTL", DEFAULT_TTL_SECONDS)
        scheduler._poke = None
        scheduler._last_recovery = 0.0
        scheduler.lost = None
        return scheduler

    def _lose(self, error: Exception) -> None:
        """Redis does not answer: stop this worker rather than wait for ever (a scheduled worker that hangs would
        keep the next one from starting). Nothing is lost: what it took and did not acknowledge stays in Redis,
        and a worker that finds Redis again puts it back in the queue once this one's heartbeat has expired."""
        if self.lost is not None:
            return
        self.lost = error
        self.crawler.stats.set_value(LOST_STAT, str(error))
        logger.error("lost Redis (%s): this worker stops", error)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unreachable"))

    def open(self, spider: Any) -> None:
        self.spider = spider
        self.queue = TakenQueue(self.server, spider, QUEUE_KEY)
        self.queue.worker = self.worker
        self.queue.on_unreachable = self._lose
        self._beat()
        self.server.sadd(WORKERS_KEY, self.worker)
        recovered = recover(self.server, self.worker)  # what this worker id held when it last died
        if recovered:
            self.stats.inc_value("newsarchive/frontier/recovered", recovered)
        self._heartbeat = LoopingCall(self._guarded, self._beat)
        self._heartbeat.start(max(self.ttl / 3, 0.1), now=False)
        self._acks = LoopingCall(self._guarded, self.queue.flush)
        self._acks.start(0.05, now=False)
        _when_engine_is_done(self.crawler, self.queue.done)
        self.crawler.frontier_queue = self.queue  # for HandoffPipeline: records go with the worker's other writes

    def _guarded(self, operation: Callable[[], Any], otherwise: Any = None) -> Any:
        """`operation()`, unless Redis is lost or does not answer it (then `otherwise`)."""
        if self.lost is not None:
            return otherwise
        try:
            return operation()
        except unreachable_errors() as e:
            self._lose(e)
            return otherwise

    def _beat(self) -> None:
        self.server.set(alive_key(self.worker), "1", px=max(1, int(self.ttl * 1000)))
        self.server.sadd(WORKERS_KEY, self.worker)  # back in the fleet after a stall that got it taken for dead
        if time.monotonic() - self._last_recovery >= self.ttl / 3:
            self._last_recovery = time.monotonic()
            recovered = recover(self.server)
            if recovered:
                self.stats.inc_value("newsarchive/frontier/recovered", recovered)

    def enqueue_request(self, request: Request) -> bool:
        """Queued for the frontier; the duplicate filter decides in Redis when the outbox is sent (so this returns
        True for a request already seen too)."""
        if request.dont_filter:
            self.queue.push(request)
        else:
            self.queue.push_unseen(request, self.df.request_fingerprint(request))
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        request = self._guarded(self.queue.pop)
        if request is None and self.lost is None:
            self.stats.inc_value("newsarchive/frontier/empty_polls")
            self._poke_engine_soon()
        else:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self._guarded(self._has_pending, otherwise=False))

    def _has_pending(self) -> bool:
        self.queue.flush()  # what this worker finished must not make the fleet look busy
        if len(self.queue) > 0:
            return True
        if busy(self.server):  # another worker may yield more: ask again soon rather than close
            self._poke_engine_soon()
            return True
        return False

    def _poke_engine_soon(self, delay: float = 0.1) -> None:
        """The engine asks the scheduler again only every 5 s when it has nothing in progress; a worker waiting on
        the fleet asks sooner."""
        if self._poke is not None and self._poke.active():
            return
        from twisted.internet import reactor  # the one Scrapy installed

        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None:
            self._poke = reactor.callLater(delay, slot.nextcall.schedule)

    def close(self, reason: str) -> None:
        for loop in (getattr(self, "_heartbeat", None), getattr(self, "_acks", None)):
            if loop is not None and loop.running:
                loop.stop()
        if self._poke is not None and self._poke.active():
            self._poke.cancel()
        self._guarded(self._leave)
        super().close(reason)

    def _leave(self) -> None:
        self.queue.flush()
        recover(self.server, self.worker)  # anything still taken (not started, or cut short) goes back
        self.server.srem(WORKERS_KEY, self.worker)
        self.server.delete(alive_key(self.worker), taken_key(self.worker))


def _when_engine_is_done(crawler: Crawler, callback: Callable[[Request], None]) -> None:
    """Call `callback(request)` when the engine is done with a request it took from the scheduler.

    Scrapy has no signal for this moment. Its engine forgets a request (`_slot.remove_request`) once the response
    went through the callback and its output was handed on (items through the pipelines, requests scheduled), or
    the failure through the errback, or the retry or redirect that replaces it was scheduled: exactly when a taken
    request may be acknowledged. The frontier hooks that method; a Scrapy whose engine has none is refused.
    """
    slot = getattr(crawler.engine, "_slot", None)
    remove = getattr(slot, "remove_request", None)
    if remove is None:
        raise RuntimeError("this Scrapy's engine has no request slot: the shared frontier cannot acknowledge requests")

    def remove_request(request: Request) -> None:
        callback(request)  # first: forgetting the last request may close the spider, which re-queues what is taken
        remove(request)

    slot.remove_request = remove_request


def enqueue_sites(client: Any, site_keys: Iterable[str]) -> dict[str, int]:
    """Seed the frontier with the sites' first listing pages (through the duplicate filter). Starts a new crawl if
    the frontier was idle. Returns counts: new_crawl (0/1), seeded, already (seeds the running crawl has)."""
    from crawler.fleet.worker import WorkerSpider

    spider = WorkerSpider()
    new_crawl = begin_crawl(client)
    push_unseen = client.register_script(_PUSH_UNSEEN)
    queue = TakenQueue(client, spider, QUEUE_KEY)
    seen = RFPDupeFilter(client, key=SEEN_KEY)
    seeded = already = 0
    for key in site_keys:
        for request in spider.seeds(spider.site_of(key)):
            args = [seen.request_fingerprint(request), -request.priority, queue._encode_request(request)]
            if push_unseen(keys=[QUEUE_KEY, SEEN_KEY], args=args):
                seeded += 1
            else:
                already += 1
    return {"new_crawl": int(new_crawl), "seeded": seeded, "already": already}
