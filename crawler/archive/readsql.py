"""SQL a user types, run on the archive: reading only, within a time limit, with every value printable.

Three guards, each enough on its own for what it stops, stacked because a reader's mistake must never change an
archive: the file is opened read-only and the connection is `query_only` (schema.open_readonly); an authorizer
refuses, at prepare time, whatever does more than read; and no database can be attached (both: reader.py).

A time limit (`time_limit`) runs SQLite's progress handler every few thousand virtual-machine steps: past the
deadline it aborts the statement (TimedOut); Ctrl-C during the statement aborts it too and comes back as
KeyboardInterrupt (the CLI's "interrupted", exit 130). Without the progress handler a recursive CTE runs for ever
and Ctrl-C is not seen until SQLite returns.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crawler.archive.errors import ArchiveError
from crawler.archive.reader import ArchiveReader
from crawler.archive.schema import reading

#: Virtual-machine steps between two looks at the clock: a fraction of a millisecond of work; a recursive CTE of
#: 3 million rows (51 million steps, 1.2 s) calls it 5,100 times, which costs no measurable time.
PROGRESS_STEPS = 10_000


class Refused(ArchiveError):
    """The statement would do more than read the archive (the message says what)."""


class TimedOut(Exception):
    """The statement ran past its time limit and was stopped."""


def query_archive(db_path: str | Path, sql: str,
                  seconds: float | None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one statement on the archive at `db_path`, read-only, within `seconds` (None or 0:
    no limit): what `newsarchive query` prints. ArchiveError when there is no archive to read or the statement
    fails ("SQL error: ..."), Refused (an ArchiveError) when it would do more than read, TimedOut past the limit."""
    try:
        with reading(db_path, "SQL error") as conn:
            return run_query(conn, sql, seconds)
    except TimedOut as e:
        raise TimedOut(f"query {e}") from None


def run_query(conn: sqlite3.Connection, sql: str, seconds: float | None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one statement, within `seconds` (None or 0: no limit)."""
    with time_limit(conn, seconds):
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description or []]
        return columns, cursor.fetchall()


@contextmanager
def time_limit(conn: sqlite3.Connection, seconds: float | None) -> Iterator[None]:
    """Run what the block runs on `conn` within `seconds` (None or 0: no limit); Ctrl-C stops it at once.

    Raises TimedOut past the limit, KeyboardInterrupt after Ctrl-C, Refused for a statement the authorizer refused
    (an ArchiveReader's), and lets other sqlite3 errors through.
    """
    deadline = time.monotonic() + seconds if seconds else None
    state = {"timed_out": False, "cancelled": False}

    def progress() -> int:
        if state["cancelled"]:
            return 1
        if deadline is not None and time.monotonic() > deadline:
            state["timed_out"] = True
            return 1
        return 0

    def on_sigint(_signum: int, _frame: Any) -> None:
        # Python runs this handler at the next Python code, the progress handler's; interrupt() also stops a
        # statement that calls none.
        state["cancelled"] = True
        conn.interrupt()

    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, on_sigint) if main_thread else None
    conn.set_progress_handler(progress, PROGRESS_STEPS)
    if isinstance(conn, ArchiveReader):
        conn.refused = None
    try:
        yield
    except sqlite3.Error as e:
        if state["cancelled"]:
            raise KeyboardInterrupt from None
        if state["timed_out"]:
            raise TimedOut(f"stopped after {seconds:g} s, its time limit (--timeout SECONDS, 0 for none)") from None
        refused = conn.refused if isinstance(conn, ArchiveReader) else None
        if refused:
            raise Refused(f"refused {refused}: the archive is only read here (SELECT, and PRAGMAs that report "
                          "without setting a value)") from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
        if main_thread:
            signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if state["cancelled"]:
        raise KeyboardInterrupt


def printable(value: Any) -> Any:
    """A value any output format can hold: a BLOB becomes its bytes in upper-case hexadecimal (as SQLite's hex()
    prints it); everything else is left as it is."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex().upper()
    return value


def printable_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    return [tuple(printable(v) for v in row) for row in rows]
