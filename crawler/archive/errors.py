"""The archive's errors: the one meant for the user, and the test for a store that cannot take more writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class ArchiveError(Exception):
    """The archive cannot be opened or used as asked; the message is meant for the user."""


class CannotWrite(ArchiveError):
    """The archive cannot take more writes (a full disk, a quota, a read-only file); what was committed stays."""


#: SQLite's result codes for a store that cannot take more (full disk, quota) or cannot write at all.
_CANNOT_WRITE = {getattr(sqlite3, name) for name in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY",
                                                       "SQLITE_CANTOPEN") if hasattr(sqlite3, name)}


def cannot_write(error: sqlite3.Error) -> bool:
    """Whether `error` says the archive cannot be written any more (as opposed to a bad record)."""
    code = getattr(error, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in _CANNOT_WRITE) or "disk is full" in str(error)


@contextmanager
def as_archive_errors() -> Iterator[None]:
    """SQLite's errors that escape the block as the archive's own, with a message for the user: CannotWrite when
    the archive cannot be written any more (a full disk under a crawl, a reparse, a backfill or the fleet's
    writer), ArchiveError when it cannot be read (a corrupt file). The CLI runs every command in it."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        if cannot_write(e):
            raise CannotWrite(f"cannot write the archive: {e}; what was committed stays, the rest is done by the "
                              "next run") from e
        raise ArchiveError(f"the archive cannot be read: {e}") from e
