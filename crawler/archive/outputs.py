"""Files the project writes for a user (exports, query output, captured pages), written whole or not at all.

A regular file (or a new path) is written to a temporary file beside it and renamed over it at the end, so a
full disk, a failed flush or a failed close leaves the old file (or nothing) behind, never half a file. Anything
else that already exists at the path (a terminal, a FIFO, a character device such as /dev/stdout) is written in
place: renaming over it would replace it with a regular file. A symlink is followed, so the file it points to is
the one replaced and the link stays a link. Every failure is an OutputError whose message is meant for the user.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO


class OutputError(Exception):
    """An output could not be written whole; the message is meant for the user."""


def describe(e: OSError) -> str:
    """A short reason for an OSError ("No space left on device"), whatever raised it."""
    return e.strerror or (errno.errorcode.get(e.errno, "") if e.errno else "") or str(e) or type(e).__name__


def _real(path: Path) -> Path:
    """`path` with its symlinks followed (the path itself if it cannot be resolved)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path


def existing_ancestor(path: Path) -> Path:
    """`path` itself if it exists, else the nearest of its folders that does: where a path that cannot be created
    (a folder under a file) shows why."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file `path` leads to (symlinks followed) and its status, None if there is none yet."""
    target = _real(path)
    try:
        return target, target.stat()
    except FileNotFoundError:
        return target, None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {describe(e)}") from None


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name one file (through symlinks, hard links, `..` or relative spellings)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _real(a) == _real(b)


def check_distinct(paths: Iterable[Path | None], protected: Iterable[Path] = ()) -> None:
    """Raise OutputError when two of `paths` name one file, or one of them names a `protected` file (the archive
    being read): `export -o a.csv --images a.csv` would leave only the images."""
    given = [p for p in paths if p is not None]
    for i, a in enumerate(given):
        for b in given[i + 1:]:
            if same_file(a, b):
                raise OutputError(f"{a} and {b} name the same file; give each output its own")
        for keep in protected:
            if same_file(a, keep):
                raise OutputError(f"{a} is the archive itself; write the output elsewhere")


def check_writable(path: Path, force: bool) -> None:
    """Raise OutputError now, before any work, if `path` cannot be an output: an existing regular file without
    `force`, a directory, or a folder that does not exist."""
    target, st = _target(path)
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError(f"{path} is a directory")
        if stat.S_ISREG(st.st_mode) and not force:
            raise OutputError(f"{path} exists (use --force to write over it)")
        return
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {path}: no folder {target.parent}")


@contextmanager
def output_file(path: Path, encoding: str | None = "utf-8", newline: str | None = "",
                force: bool = True) -> Iterator[IO]:
    """Open `path` for writing (text in `encoding`, or bytes when `encoding` is None) as the module docstring
    says; the data is in place only once the block ends without an error."""
    check_writable(path, force)
    target, st = _target(path)
    mode = "w" if encoding else "wb"
    kwargs = {"encoding": encoding, "newline": newline} if encoding else {}
    if st is not None and not stat.S_ISREG(st.st_mode):  # a FIFO, a device, a terminal: written in place
        try:
            with open(target, mode, **kwargs) as fh:
                yield fh
        except OSError as e:
            raise OutputError(f"cannot write {path}: {describe(e)}") from None
        return
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {describe(e)}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {describe(e)}") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_file(path: Path, data: bytes | str, force: bool = True) -> None:
    """Write all of `data` to `path` (UTF-8 for text), whole or not at all."""
    with output_file(path, "utf-8" if isinstance(data, str) else None, force=force) as fh:
        fh.write(data)


@contextmanager
def standard_output(bom: bool = False) -> Iterator[TextIO]:
    """Standard output, flushed at the end: a full disk or a closed pipe is an OutputError, not a traceback or an
    "Exception ignored" at exit."""
    stream = sys.stdout
    if stream is None:  # started with stdout closed (`>&-`)
        raise OutputError("standard output is closed")
    try:
        if bom:
            stream.write("\ufeff")
        yield stream
        stream.flush()
    except OSError as e:
        discard_standard_output()
        raise OutputError(f"cannot write to standard output: {describe(e)}") from None


def discard_standard_output() -> None:
    """After a failed write to stdout, send what is still buffered nowhere, so the interpreter's flush at exit
    does not fail a second time (the recipe of Python's documentation for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
