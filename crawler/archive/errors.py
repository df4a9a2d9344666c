"""The archive's errors: the one meant for the user, and the test for a store that cannot take more writes."""

from __future__ import annotations

import sqlite3


class ArchiveError(Exception):
    """The archive cannot be opened or used as asked; the message is meant for the user."""


#: SQLite's result codes for a store that cannot take more (full disk, quota) or cannot write at all.
_CANNOT_WRITE = {getattr(sqlite3, name) for name in ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY",
                                                       "SQLITE_CANTOPEN") if hasattr(sqlite3, name)}


def cannot_write(error: sqlite3.Error) -> bool:
    """Whether `error` says the archive cannot be written any more (as opposed to a bad record)."""
    code = getattr(error, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in _CANNOT_WRITE) or "disk is full" in str(error)
