"""The Scrapy side of the shared frontier (crawler.fleet.frontier): scrapy-redis's scheduler and priority queue on
the frontier's keys, the scheduler of every worker (`FrontierScheduler`, named in WorkerSpider's settings).

Requests are taken, not lost (a popped request waits among its worker's taken ones until the engine is done with
it), and encoded as JSON (`JsonRequests`), never as pickles. Needs the `distributed` extra (redis, scrapy-redis).
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.fleet.connection import LOST_STAT, connect, unreachable_errors, worker_id
from crawler.fleet.frontier import (DEFAULT_TTL_SECONDS, POP, PUSH_UNSEEN, QUEUE_KEY, SEEN_KEY, WORKERS_KEY, alive_key,
                                    busy, recover, taken_key)
from crawler.fleet.stream import STREAM

logger = logging.getLogger(__name__)


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
        self._pop = self.server.register_script(POP)
        self._push_unseen = self.server.register_script(PUSH_UNSEEN)

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
