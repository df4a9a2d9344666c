"""SQL a user types, run on the archive: reading only, within a time limit, with every value printable.

Three guards, each enough on its own for what it stops, stacked because a reader's mistake must never change an
archive:
- the file is opened read-only and the connection is `query_only` (archive.open_readonly);
- an authorizer (`ArchiveReader.restrict`) lets through only what reads: SELECT, reading tables (the search index
  included), recursive CTEs, functions other than load_extension, and the PRAGMAs that only report. It refuses at
  prepare time, so a refused statement has no effect at all: ATTACH (and VACUUM, whose INTO form attaches the
  target) never creates a file, a PRAGMA that sets a value never runs;
- `SQLITE_LIMIT_ATTACHED` is 0: even an ATTACH the authorizer missed would fail before opening a file.

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
from typing import Any

#: Virtual-machine steps between two looks at the clock: a fraction of a millisecond of work; a recursive CTE of
#: 3 million rows (51 million steps, 1.2 s) calls it 5,100 times, which costs no measurable time.
PROGRESS_STEPS = 10_000

#: PRAGMAs that only report, whatever their argument (a table or index name, a row count to check).
REPORTING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "collation_list", "compile_options", "database_list",
    "function_list", "module_list", "pragma_list",
})
#: PRAGMAs allowed only without a value: asking what a setting is, never setting it.
SETTING_PRAGMAS = frozenset({
    "application_id", "auto_vacuum", "cache_size", "data_version", "encoding", "foreign_keys", "freelist_count",
    "journal_mode", "page_count", "page_size", "query_only", "schema_version", "user_version",
})
REFUSED_FUNCTIONS = frozenset({"load_extension"})

_READING = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE})
_WHAT = {
    sqlite3.SQLITE_INSERT: "INSERT into {0}", sqlite3.SQLITE_UPDATE: "UPDATE of {0}",
    sqlite3.SQLITE_DELETE: "DELETE from {0}", sqlite3.SQLITE_ATTACH: "ATTACH or VACUUM INTO of {0}",
    sqlite3.SQLITE_DETACH: "DETACH {0}", sqlite3.SQLITE_TRANSACTION: "{0} (a transaction)",
    sqlite3.SQLITE_SAVEPOINT: "SAVEPOINT", sqlite3.SQLITE_ANALYZE: "ANALYZE", sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE {1}", sqlite3.SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE {0}",
    sqlite3.SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE {0}",
}


class Refused(Exception):
    """The statement would do more than read the archive (the message says what)."""


class TimedOut(Exception):
    """The statement ran past its time limit and was stopped."""


class ArchiveReader(sqlite3.Connection):
    """A connection to the archive that, once `restrict`ed, can only read it (see the module's docstring).

    `refused` says what the authorizer last refused, for the message: SQLite itself only says "not authorized".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refused: str | None = None

    def restrict(self) -> None:
        self.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        self.set_authorizer(self._authorize)

    def _authorize(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                   _source: str | None) -> int:
        if action in _READING:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() not in REFUSED_FUNCTIONS:
                return sqlite3.SQLITE_OK
            what = f"{arg2}()"
        elif action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in REPORTING_PRAGMAS or (name in SETTING_PRAGMAS and arg2 is None):
                return sqlite3.SQLITE_OK
            what = f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
        elif action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # SQLite asks this when it connects a virtual table (the search index, pragma_table_info()) while
            # reading. IGNORE leaves the column unchanged, and SQLite refuses any user UPDATE of sqlite_master.
            return sqlite3.SQLITE_IGNORE
        elif action == sqlite3.SQLITE_ATTACH and not arg1:
            what = "VACUUM"  # it attaches a temporary database
        elif action == sqlite3.SQLITE_INSERT and arg1 in ("sqlite_master", "sqlite_temp_master"):
            what = "CREATE"  # of a table, view, index or trigger: SQLite asks this first
        else:
            template = _WHAT.get(action)
            what = template.format(arg1 or "", arg2 or "") if template else _created_or_dropped(action, arg1)
        self.refused = what
        return sqlite3.SQLITE_DENY


def _created_or_dropped(action: int, name: str | None) -> str:
    for constant in dir(sqlite3):
        if constant.startswith(("SQLITE_CREATE_", "SQLITE_DROP_")) and getattr(sqlite3, constant) == action:
            return f"{constant.removeprefix('SQLITE_').replace('_', ' ')} {name or ''}".strip()
    return f"a statement that writes (authorizer action {action})"


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
