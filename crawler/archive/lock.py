"""One run at a time on one archive: an exclusive lock on `<db>.lock`, released by the kernel if the process dies
(so a killed run never leaves a stale lock behind).

The lock is taken beside the archive's real path (symlinks resolved), so `--db link.db` and `--db a.db` of one file
share one lock. A run that ends removes its lock file; since another process may have opened the file just before
it was removed, a run that gets the lock checks that the file it locked is still the one at the path, and tries
again if it is not (the usual recipe for lock files that are removed).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from crawler.extract.dates import VN_TZ


class RunLocked(Exception):
    """Another run holds the archive's lock; the message says which."""


def lock_path(db_path: str | Path) -> Path:
    """`<db>.lock`, beside the file the archive path resolves to."""
    return Path(f"{Path(db_path).resolve()}.lock")


def _acquire(path: Path, db_path: str | Path) -> IO[str]:
    while True:
        fh = path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise RunLocked(f"another run is writing to {db_path} ({holder}); not starting a second one") from None
        try:
            same = os.fstat(fh.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fh
        fh.close()  # the run before removed the file after we opened it: lock the new one


@contextmanager
def run_lock(db_path: str | Path) -> Iterator[None]:
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = _acquire(path, db_path)
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {datetime.now(VN_TZ).replace(microsecond=0).isoformat()}")
        fh.flush()
        yield
    finally:
        path.unlink(missing_ok=True)  # while still holding the lock: nobody can be between its check and its run
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()
