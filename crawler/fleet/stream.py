"""One archive, one writer, any number of crawling machines: records travel through a Redis stream.

Workers append each record to the stream (`enqueue_record`); `drain` (behind `newsarchive store --redis URL`)
reads them as a member of a consumer group, stores each through the same functions as a local crawl (normalize,
validate, `archive.store_article`), and acknowledges a batch, deleting it from the stream, only after its
transaction has committed. A writer killed mid-batch leaves its messages pending; the next writer takes them first,
and `store_article` is idempotent, so nothing is lost and nothing is stored twice.

Requires the `redis` package (the `distributed` extra). No Scrapy here.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Mapping

from crawler import archive
from crawler.extract.records import prepare
from crawler.archive.lock import run_lock
from crawler.fleet.connection import unreachable_errors, wait_for_redis

STREAM = "newsarchive:records"
GROUP = "writers"
#: Seconds the writer waits after a short batch (see `drain`): records wait at most this long more to be stored.
LINGER = 0.05


def record_message(record: dict[str, Any]) -> dict[str, str]:
    """The stream entry of one record."""
    return {"record": json.dumps(record, ensure_ascii=False)}


def enqueue_record(client: Any, record: dict[str, Any]) -> str:
    """Append one record to the stream; returns its message id."""
    return client.xadd(STREAM, record_message(record)).decode()


def enqueue_failure(client: Any, site: str, url: str, kind: str, detail: str, article_id: str | None = None) -> str:
    """A request that failed for good on a worker (an article's: with its id), for the writer to record in its run."""
    return client.xadd(STREAM, {"failure": json.dumps([site, url, kind, detail, article_id],
                                                      ensure_ascii=False)}).decode()


def enqueue_report(client: Any, worker: str, pages_fetched: int, dropped: Mapping[str, int],
                   skipped_not_due: int = 0) -> str:
    """A worker's counts at its end (pages fetched, records dropped by reason, articles whose failure was not due
    again), for the writer's run."""
    return client.xadd(STREAM, {"report": json.dumps({"worker": worker, "pages_fetched": pages_fetched,
                                                      "dropped": dict(dropped), "skipped_not_due": skipped_not_due},
                                                     ensure_ascii=False)}).decode()


def backlog(client: Any) -> dict[str, int]:
    """Stream entries not yet taken by a writer ("waiting") and taken but not yet acknowledged ("pending")."""
    import redis

    try:
        groups = {g["name"].decode() if isinstance(g["name"], bytes) else g["name"]: g
                  for g in client.xinfo_groups(STREAM)}
    except redis.ResponseError:  # no stream yet: nothing was ever handed off
        return {"waiting": 0, "pending": 0}
    group = groups.get(GROUP)
    if group is None:
        return {"waiting": int(client.xlen(STREAM)), "pending": 0}
    waiting = group.get("lag")
    if waiting is None:  # Redis cannot tell after entries were deleted: count what follows the last delivered one
        waiting, after = 0, group["last-delivered-id"]
        while entries := client.xrange(STREAM, min=b"(" + after if isinstance(after, bytes) else "(" + after,
                                       count=10_000):
            waiting += len(entries)
            after = entries[-1][0]
    return {"waiting": int(waiting), "pending": int(group["pending"])}


def _ensure_group(client: Any) -> None:
    import redis

    try:
        client.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
    except redis.ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


def drain(client: Any, db_path: str | Path, consumer: str = "writer", batch: int = 100, block_ms: int = 1000,
          until_idle: bool = True, on_batch: Callable[[Counter[str]], None] | None = None,
          linger: float = LINGER, stop: Callable[[], bool] = lambda: False,
          say: Callable[[str], None] = lambda _: None) -> Counter[str]:
    """Store the stream's records into the archive, as one run (`crawl_runs`, source "redis") whose counts grow
    with each batch. With `until_idle`, return once a read finds nothing new; in any case, return between batches
    once `stop()` is true (checked at least every `block_ms`).

    Without `until_idle` (a writer that follows the stream, as a service), losing Redis is waited out: `say` is
    told, and the writer tries again, from once a second to once every 30 s, until Redis answers; then what it
    had taken and not acknowledged comes back first (stored again, it is "unchanged").

    After a batch shorter than `batch`, the writer waits `linger` seconds before it reads again, so that records
    arriving from busy workers are taken many at a time: each batch costs a transaction, an update of the run's
    row and an acknowledgement, and a writer that keeps up would otherwise pay them for every 3 or 4 records.

    Takes the archive's run lock (RunLocked if another run writes to it), after checking that `db_path` can be an
    archive."""
    archive.check_is_database(Path(db_path))
    with run_lock(db_path):
        return _drain_locked(client, db_path, consumer, batch, block_ms, until_idle, on_batch, linger, stop, say)


def _drain_locked(client: Any, db_path: str | Path, consumer: str, batch: int, block_ms: int, until_idle: bool,
                  on_batch: Callable[[Counter[str]], None] | None, linger: float, stop: Callable[[], bool],
                  say: Callable[[str], None]) -> Counter[str]:
    _ensure_group(client)
    db = archive.open_archive(db_path)
    archive.mark_interrupted_runs(db)  # the lock is held: a run still "running" was killed
    counts: Counter[str] = Counter()
    run_id: int | None = None
    sites: set[str] = set()
    pending_first = True  # what this consumer took before a crash comes back first
    candidates = archive.CopyCandidates()  # a batch that fails ends the drain: no rollback outlives it
    status = "interrupted"
    unreachable = unreachable_errors()
    try:
        while not stop():
            start = "0" if pending_first else ">"
            try:
                reply = client.xreadgroup(GROUP, consumer, {STREAM: start}, count=batch,
                                          block=None if pending_first else block_ms)
            except unreachable as e:
                if until_idle:
                    raise
                _wait_for_redis(client, e, stop, say)
                pending_first = True
                continue
            messages = reply[0][1] if reply else []
            if pending_first and not messages:
                pending_first = False
                continue
            if not messages:
                if until_idle:
                    break
                continue
            if run_id is None:
                run_id = archive.start_run(db, [], "redis")
            done: Counter[str] = Counter()
            with db.atomic():
                _store_batch(db, run_id, messages, done, sites, candidates)
            counts.update(done)
            try:
                _acknowledge(client, [message_id for message_id, _ in messages])  # only once committed
            except unreachable as e:
                if until_idle:
                    raise
                _wait_for_redis(client, e, stop, say)
                pending_first = True  # the batch comes back, and is stored again as unchanged
            if on_batch:
                on_batch(done)
            if len(messages) < batch and linger > 0:
                time.sleep(linger)
        status = "finished"
        return counts
    finally:
        if run_id is not None:
            db["crawl_runs"].update(run_id, {"sites": ",".join(sorted(sites))})
            archive.finish_run(db, run_id, status)
        db.close()


def _wait_for_redis(client: Any, error: Exception, stop: Callable[[], bool], say: Callable[[str], None]) -> None:
    """Wait until Redis answers again (or `stop()`), then make sure the group is there: a Redis that lost its data
    has lost the group too."""
    wait_for_redis(client, error, stop, say, on_answer=_ensure_group)


def _acknowledge(client: Any, message_ids: list[bytes]) -> None:
    """Acknowledge stored entries and delete them, in one transaction: the stream holds only what is not yet
    stored, so a Redis serving hourly crawls for years does not fill up with records the archive already holds."""
    pipe = client.pipeline(transaction=True)
    pipe.xack(STREAM, GROUP, *message_ids)
    pipe.xdel(STREAM, *message_ids)
    pipe.execute()


def _store_batch(db: Any, run_id: int, messages: list[tuple[bytes, dict[bytes, bytes]]], done: Counter[str],
                 sites: set[str], candidates: archive.CopyCandidates | None = None) -> None:
    """Store one batch's records and add its counts, failures and worker reports to the run (in the caller's
    transaction)."""
    failures: list[tuple[Any, ...]] = []  # (site, url, kind, detail[, article_id]): older workers send no id
    dropped: Counter[str] = Counter()
    pages = skipped_not_due = 0
    for _, fields in messages:
        if not fields:
            continue  # an entry trimmed from the stream while pending
        if b"record" in fields:
            record, reason = prepare(json.loads(fields[b"record"]))
            if reason:
                dropped[reason] += 1
                done[f"dropped: {reason}"] += 1
                continue
            sites.add(record["site"])
            done[archive.store_article(db, record, candidates=candidates)] += 1
        elif b"failure" in fields:
            failures.append(tuple(json.loads(fields[b"failure"])))
            done["failed"] += 1
        elif b"report" in fields:
            report = json.loads(fields[b"report"])
            pages += int(report.get("pages_fetched", 0))
            skipped_not_due += int(report.get("skipped_not_due", 0))
            dropped.update(report.get("dropped") or {})
    outcomes = {"new": done["new"], "updated": done["updated"], "unchanged": done["unchanged"],
                "duplicates": done["duplicate"], "pages_fetched": pages,
                "skipped_not_due": skipped_not_due}
    archive.add_run_counts(db, run_id, outcomes, dropped)
    for site in sorted({f[0] for f in failures}):
        archive.record_failures(db, run_id, site, [tuple(f[1:5]) for f in failures if f[0] == site])
