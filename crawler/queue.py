"""One archive, one writer, any number of crawling machines: records travel through a Redis stream.

Workers append each record to the stream (`enqueue_record`); `drain` (behind `newsarchive store --redis URL`)
reads them as a member of a consumer group, stores each through the same functions as a local crawl (normalize,
validate, `archive.store_article`), and acknowledges a batch only after its transaction has committed. A writer
killed mid-batch leaves its messages pending; the next writer takes them first, and `store_article` is idempotent,
so nothing is lost and nothing is stored twice.

Requires the `redis` package (the `distributed` extra). No Scrapy here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawler import archive
from crawler.records import prepare

STREAM = "newsarchive:records"
GROUP = "writers"


def connect(url: str) -> Any:
    try:
        import redis
    except ImportError:
        raise archive.ArchiveError("crawling through Redis needs the distributed extra: "
                                   "pip install '.[distributed]'") from None
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as e:
        raise archive.ArchiveError(f"cannot reach Redis at {url}: {e}") from None
    return client


def enqueue_record(client: Any, record: dict[str, Any]) -> str:
    """Append one record to the stream; returns its message id."""
    return client.xadd(STREAM, {"record": json.dumps(record, ensure_ascii=False)}).decode()


def _ensure_group(client: Any) -> None:
    import redis

    try:
        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


def drain(client: Any, db_path: str | Path, consumer: str = "writer", batch: int = 100, block_ms: int = 1000,
          until_idle: bool = True, on_batch: Callable[[Counter[str]], None] | None = None) -> Counter[str]:
    """Store the stream's records into the archive. With `until_idle`, return once a read finds nothing new."""
    _ensure_group(client)
    db = archive.open_archive(db_path)
    counts: Counter[str] = Counter()
    pending_first = True  # what this consumer took before a crash comes back first
    try:
        while True:
            start = "0" if pending_first else ">"
            reply = client.xreadgroup(GROUP, consumer, {STREAM: start}, count=batch,
                                      block=None if pending_first else block_ms)
            messages = reply[0][1] if reply else []
            if pending_first and not messages:
                pending_first = False
                continue
            if not messages:
                if until_idle:
                    return counts
                continue
            done: Counter[str] = Counter()
            ids = []
            with db.atomic():
                for message_id, fields in messages:
                    ids.append(message_id)
                    if not fields or b"record" not in fields:
                        continue  # an entry trimmed from the stream while pending
                    record, reason = prepare(json.loads(fields[b"record"]))
                    done[f"dropped: {reason}" if reason else archive.store_article(db, record)] += 1
            client.xack(STREAM, GROUP, *ids)  # only once the batch is in the archive
            counts.update(done)
            if on_batch:
                on_batch(done)
    finally:
        db.close()
