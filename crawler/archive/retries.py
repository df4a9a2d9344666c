"""When a URL that failed may be requested again: the retry rule of the failure memory (issue 17).

A permanent failure (the page is gone, is not a page, is too large, or leads off the site) is not asked for again
before a day has passed, then two days, four, ... up to a month: asking every hour only loads the site and fills the
run's failures with the same lines. Any other failure (a 5xx, a timeout, a reset or refused connection, a truncated
body, ...) is the site's bad moment: due again at once, on the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: The failure kinds (crawler.crawl.spiders.failures.failure_kind) that a retry within hours will not heal.
PERMANENT_KINDS = frozenset({"http 404", "http 410", "not html", "too large", "off-site"})

FIRST_INTERVAL = timedelta(days=1)
LONGEST_INTERVAL = timedelta(days=30)


def is_permanent(kind: str) -> bool:
    return kind in PERMANENT_KINDS


def due_at(kind: str, attempts: int, now: datetime) -> datetime:
    """When a URL that has now failed `attempts` times in a row with `kind` may be requested again: `now` for a
    transient failure; for a permanent one, a day after the first failure, then twice the interval after each
    further one, capped at 30 days."""
    if not is_permanent(kind):
        return now
    doublings = max(0, attempts - 1)
    if doublings >= 5:  # 2**5 days is past the cap already; spares a huge power for a URL that failed for years
        return now + LONGEST_INTERVAL
    return now + min(FIRST_INTERVAL * 2 ** doublings, LONGEST_INTERVAL)
