"""What a long-running command shows on stderr and how it is asked to stop: progress lines (only on a terminal, or
when asked for) and SIGTERM / Ctrl-C handling. No Scrapy here (the crawl's own progress line is crawler.crawl.progress).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from crawler.archive.runs import outcomes


def stamped(line: str) -> None:
    """`line` on stderr after the local time, as a writer that runs as a service logs."""
    click.echo(f"{datetime.now():%Y-%m-%d %H:%M:%S} {line}", err=True)


class StoreProgress:
    """What a following writer stored, one line on stderr every `every` seconds in which it stored anything."""

    def __init__(self, every: float) -> None:
        self.every, self.since, self.total = every, time.monotonic(), 0
        self.window: Counter[str] = Counter()

    def __call__(self, done: Counter[str]) -> None:
        self.window.update(done)
        self.total += sum(done.values())
        now = time.monotonic()
        if now - self.since >= self.every:
            stamped(f"stored {outcomes(self.window)} in the last {now - self.since:.0f} s; {self.total} since the "
                    "start.")
            self.since, self.window = now, Counter()


@contextmanager
def stop_on_signals(enabled: bool) -> Iterator[Callable[[], bool]]:
    """While `enabled`, SIGTERM or Ctrl-C asks a long-running command to stop at its next safe point (the callable
    turns true); a second Ctrl-C interrupts at once."""
    asked = threading.Event()
    if not enabled:
        yield asked.is_set
        return

    def ask(signum: int, _frame: Any) -> None:
        if asked.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        asked.set()
        click.echo("Stopping after the batch in hand (Ctrl-C again to stop at once).", err=True)

    previous = {s: signal.signal(s, ask) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield asked.is_set
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextmanager
def progress_bar(total: int, output: Path | None, label: str) -> Iterator[Callable[[], None] | None]:
    """A progress bar on stderr when writing to a file from a terminal; nothing in a pipe or a log."""
    if output is None or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@contextmanager
def progress_count(label: str) -> Iterator[Callable[[], None] | None]:
    """A running count on stderr when it is a terminal (a WARC's length is not known before reading it)."""
    if not sys.stderr.isatty():
        yield None
        return
    seen = [0]

    def tick() -> None:
        seen[0] += 1
        if seen[0] % 50 == 0:
            click.echo(f"\r{label}: {seen[0]} pages", err=True, nl=False)

    yield tick
    click.echo(f"\r{label}: {seen[0]} pages", err=True)
