"""A connection to the archive that can only read it: what `crawler.archive.schema.open_readonly` returns.

Two of the three guards of a reader's SQL (the third, the read-only file and `query_only`, is open_readonly's):
- an authorizer (`ArchiveReader.restrict`) lets through only what reads: SELECT, reading tables (the search index
  included), recursive CTEs, functions other than load_extension, and the PRAGMAs that only report. It refuses at
  prepare time, so a refused statement has no effect at all: ATTACH (and VACUUM, whose INTO form attaches the
  target) never creates a file, a PRAGMA that sets a value never runs;
- `SQLITE_LIMIT_ATTACHED` is 0: even an ATTACH the authorizer missed would fail before opening a file.
What a refusal says to the user is crawler.archive.readsql's (Refused).
"""

from __future__ import annotations

import sqlite3
from typing import Any

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
