"""Crash soak: SIGKILL the archive's writing commands at random moments, and check that nothing is lost or stored
twice, the archive is sound and the lock is free.

    .venv/bin/python bench/soak.py [--kills 20] [--seed 1] [--articles 1000] [--records 3000] [--pages 1500]

Four commands, each against local stand-ins on 127.0.0.1, in temporary folders only:

- `crawl`: a generated site of `--articles` articles (the local test site, no faults, no delays);
- `reparse`: a WARC of `--pages` article pages of that site, into a fresh archive;
- `backfill --source all`: the local stand-ins of the Wayback Machine and Common Crawl (tests/fake_archives.py);
- `store --follow`: two `crawl --redis` workers first fill a real Redis's stream with the records of another site
  of `--records` articles (a snapshot of Redis is restored before each archive); the writer is killed while
  draining, and the last run is `store` without `--follow`, which drains the rest. Skipped with a note when no
  Redis server can be started (tests/redis_server.py).

For each command, one uninterrupted run builds the reference archive and measures the run: from its start until
the first article is in the archive, and until its work ended (half a second after the last article came in: the
run being closed, but not a writer's idle wait for more records). Then, in fresh archives, the command is started
and killed with SIGKILL at a moment drawn (seeded RNG) uniformly from late in that start-up (0.8 of the time to
the first article: the archive being opened and migrated) to the end of its work; once or twice in a row on one
archive, then a run to completion. After each kill: `PRAGMA integrity_check` (on a read-only connection, so the
next run finds the archive as the kill left it), a non-blocking flock on `<db>.lock`, and every key archived at the
previous check still there. At the end of each archive: its article keys (site, article_id) and counts against
the reference's, rows beyond one per key in `articles` and in `copies`, and runs left "running". The `--kills` are
spread evenly over the commands; a kill whose moment comes after the process has already exited is no kill, and
another is drawn. Exits 1 if anything was lost or duplicated, an archive was damaged or a lock was left held.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import write_warc  # noqa: E402
from fake_archives import FakeArchives  # noqa: E402
from faultsite import FaultSite, article_html, generate, write_site_module  # noqa: E402

from crawler.archive.lock import lock_path  # noqa: E402

SITE_KEY = "soaksite"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", "CONCURRENT_REQUESTS=8", "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=WARNING"]
PAD = 20_000  # bytes of page furniture around each article


@dataclass
class Command:
    """How to run one command of the soak on an archive `db`: `args(db)` for a run that may be killed,
    `final(db)` for the run that must finish; `prepare()` before each run (the store restores Redis's stream)."""

    name: str
    args: Callable[[Path], list[str]]
    final: Callable[[Path], list[str]]
    env: dict[str, str]
    prepare: Callable[[], None] = lambda: None
    before_archive: Callable[[], None] = lambda: None
    #: Exit statuses of a completed run (4: a drift alarm, which is not a failure of the writing).
    ok: tuple[int, ...] = (0,)


@dataclass
class Tally:
    kills: int = 0
    runs: int = 0
    archives: int = 0
    articles: int = 0
    seconds: float = 0.0
    first: float = 0.0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    checks: int = 0
    #: Kills after which the archive held some of the reference's articles but not all: killed mid-work.
    mid_work: int = 0
    #: Rows of crawl_runs still "running" in the finished archives (killed runs that no later run marked).
    left_running: int = 0
    integrity_ok: int = 0
    lock_free: int = 0
    notes: list[str] = field(default_factory=list)


def newsarchive(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The command in its own process group (so that whatever it may have left is cleaned up after the check)."""
    return subprocess.Popen([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def finish(proc: subprocess.Popen[bytes], command: Command, timeout: float = 600) -> None:
    _, err = proc.communicate(timeout=timeout)
    if proc.returncode not in command.ok:
        raise SystemExit(f"{command.name} failed ({proc.returncode}): {err.decode()[-2000:]}")


def run_to_end(command: Command, db: Path) -> tuple[float, float]:
    """Run the command to its end; (seconds until its first article was in the archive, until its work ended)."""
    command.prepare()
    start = time.perf_counter()
    proc = newsarchive(command.final(db), command.env)
    first = last = None
    count = 0
    while proc.poll() is None:
        now, seen = time.perf_counter() - start, articles_in(db)
        if seen and first is None:
            first = now
        if seen != count:
            count, last = seen, now
        time.sleep(0.02)
    finish(proc, command)
    total = time.perf_counter() - start
    # The work's end: half a second after the last article came in (the run closing), not the writer's idle wait.
    end = total if last is None else min(total, last + 0.5)
    return (first if first is not None else total), end


def articles_in(db: Path) -> int:
    """Articles in an archive that a run may still be creating (0 while it has no tables)."""
    if not db.exists():
        return 0
    try:
        conn = read_only(db)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def read_only(db: Path) -> sqlite3.Connection:
    """A connection that never checkpoints nor deletes the WAL a killed run left behind."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def keys_and_rows(db: Path) -> tuple[set[tuple[str, str]], int, set[tuple[str, str]], int]:
    """(article keys, article rows, copy keys, copy rows) of the archive `db`; empty if it has no tables yet."""
    if not db.exists():
        return set(), 0, set(), 0
    conn = read_only(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        articles = conn.execute("SELECT site, article_id FROM articles").fetchall() if "articles" in tables else []
        copies = conn.execute("SELECT site, article_id FROM copies").fetchall() if "copies" in tables else []
    finally:
        conn.close()
    return set(articles), len(articles), set(copies), len(copies)


def integrity_ok(db: Path) -> bool:
    if not db.exists():
        return True  # killed before the archive was created: nothing to damage
    conn = read_only(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def lock_free(db: Path) -> bool:
    """Whether a new run could take the archive's lock now (a non-blocking flock, released at once)."""
    path = lock_path(db)
    if not path.exists():
        return True
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def runs_left_running(db: Path) -> int:
    conn = read_only(db)
    try:
        return conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0]
    finally:
        conn.close()


def kill_at(command: Command, db: Path, moment: float) -> int | None:
    """Start the command and SIGKILL it (the one process) `moment` seconds later; its process group's id, or None
    if it had already exited by then."""
    command.prepare()
    proc = newsarchive(command.args(db), command.env)
    try:
        _, err = proc.communicate(timeout=moment)
        if proc.returncode not in command.ok:
            raise SystemExit(f"{command.name} failed ({proc.returncode}): {err.decode()[-2000:]}")
        return None
    except subprocess.TimeoutExpired:
        pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    return proc.pid


def leftovers(pgid: int) -> bool:
    """Whether a process of the killed command's group outlived it (then killed too, after the checks)."""
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def soak(command: Command, kills: int, rng: random.Random, folder: Path) -> Tally:
    tally = Tally()
    command.before_archive()
    reference = folder / "reference" / "archive.db"
    reference.parent.mkdir(parents=True)
    first, duration = run_to_end(command, reference)
    tally.runs += 1
    tally.seconds = duration
    tally.first = first
    window = (0.8 * first, duration)  # from late in its start-up (the archive opened, migrated) to its end
    ref_keys, ref_rows, ref_copies, _ = keys_and_rows(reference)
    tally.articles = ref_rows
    if ref_rows != len(ref_keys):
        tally.notes.append(f"the reference itself holds {ref_rows - len(ref_keys)} duplicated rows")
    attempts = 0
    while tally.kills < kills and attempts < 10 * kills:
        tally.archives += 1
        db = folder / f"archive-{tally.archives}" / "archive.db"
        db.parent.mkdir(parents=True)
        command.before_archive()
        seen: set[tuple[str, str]] = set()
        in_a_row = min(rng.choice((1, 2)), kills - tally.kills)
        killed_last = False
        for _ in range(in_a_row):
            attempts += 1
            moment = rng.uniform(*window)
            pgid = kill_at(command, db, moment)
            killed_last = pgid is not None
            tally.runs += 1
            if pgid is None:
                continue
            tally.kills += 1
            tally.checks += 1
            tally.integrity_ok += integrity_ok(db)
            tally.lock_free += lock_free(db)
            if leftovers(pgid):
                tally.notes.append(f"archive {tally.archives}: a process of the killed run outlived it")
                os.killpg(pgid, signal.SIGKILL)
            keys, _, _, _ = keys_and_rows(db)
            tally.mid_work += 0 < len(keys & ref_keys) < len(ref_keys)
            print(f"    {command.name}: archive {tally.archives} killed at {moment:.2f} s of {duration:.2f}, "
                  f"{len(keys & ref_keys)} of {len(ref_keys)} articles in", file=sys.stderr, flush=True)
            if seen - keys:
                tally.lost += len(seen - keys)
                tally.notes.append(f"archive {tally.archives}: {len(seen - keys)} keys gone after a kill")
            seen = keys
        if killed_last:
            run_to_end(command, db)
            tally.runs += 1
        keys, rows, copies, copy_rows = keys_and_rows(db)
        tally.lost += len((ref_keys | seen) - keys)
        tally.duplicated += (rows - len(keys)) + (copy_rows - len(copies))
        tally.unexpected += len(keys - ref_keys)
        if copies != ref_copies:
            tally.notes.append(f"archive {tally.archives}: copies differ from the reference's "
                               f"({len(copies)} against {len(ref_copies)})")
        if rows != ref_rows:
            tally.notes.append(f"archive {tally.archives}: {rows} articles against the reference's {ref_rows}")
        if integrity_ok(db) is False:
            tally.notes.append(f"archive {tally.archives}: integrity_check failed after the last run")
        tally.left_running += runs_left_running(db)
    return tally


def serve_site(folder: Path, articles: int, stack: ExitStack, seed: int = 11) -> tuple[dict[str, str], str]:
    """Serve a generated site of `articles` articles; its declaration in `folder`; the environment the commands
    run in (the site's base URL too)."""
    site = FaultSite(generate(articles, seed=seed), faults=False, pad=PAD).start()
    stack.callback(site.stop)
    sites = folder
    sites.mkdir()
    write_site_module(sites, site.base, SITE_KEY, max_listing_pages=100_000)
    return dict(os.environ, NEWSARCHIVE_SITES_PATH=str(sites), PYTHONPATH=str(ROOT)), site.base


def crawl_command(env: dict[str, str]) -> Command:
    def args(db: Path) -> list[str]:
        return ["crawl", "--site", SITE_KEY, "--db", str(db), *FAST]

    return Command("crawl", args, args, env, ok=(0, 4))


def reparse_command(folder: Path, base: str, pages: int, env: dict[str, str]) -> Command:
    warc = folder / "pages.warc.gz"
    write_warc(warc, {f"{base}/bai/bai-viet-{a.id}": article_html(a, PAD).encode() for a in generate(pages)},
               date="Mon, 01 Mar 2021 03:00:00 GMT")

    def args(db: Path) -> list[str]:
        return ["reparse", "--warc", str(warc), "--db", str(db)]

    return Command("reparse", args, args, env)


def backfill_command(stack: ExitStack, env: dict[str, str]) -> Command:
    """Each archive gets its own stand-in servers (their one-off 503s then come back for each)."""
    current: list[FakeArchives] = []
    environment = dict(env, NEWSARCHIVE_ARCHIVE_DELAY="0.02")

    def new_archives() -> None:
        if current:
            current.pop().stop()
        fake = FakeArchives()
        current.append(fake)
        environment.update(NEWSARCHIVE_WAYBACK=fake.base, NEWSARCHIVE_CC_INDEX=fake.base,
                           NEWSARCHIVE_CC_DATA=fake.base + "/data")

    stack.callback(lambda: current and current.pop().stop())

    def args(db: Path) -> list[str]:
        return ["backfill", "--site", "thanhuytphcm", "--source", "all", "--db", str(db)]

    return Command("backfill", args, args, environment, before_archive=new_archives)


def store_command(folder: Path, stack: ExitStack, env: dict[str, str]) -> Command | str:
    """The writer over a stream the workers filled once; or why it cannot run here."""
    import pytest
    import redis

    from redis_server import redis_server

    try:
        (folder / "redis").mkdir()
        url = stack.enter_context(redis_server(folder / "redis"))
    except (pytest.skip.Exception, pytest.fail.Exception) as e:
        return f"no Redis server could be started ({e}); the store --follow part is skipped"
    client = redis.Redis.from_url(url)
    client.flushdb()
    subprocess.run([sys.executable, "-m", "crawler", "enqueue", "--redis", url, "--site", SITE_KEY], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    workers = [newsarchive(["crawl", "--redis", url, "--site", SITE_KEY, "--no-warc", *FAST], env) for _ in range(2)]
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        if worker.returncode not in (0, 4):
            raise SystemExit(f"a crawl --redis worker failed ({worker.returncode}): {err.decode()[-2000:]}")
    snapshot = {key: client.dump(key) for key in client.keys("*")}

    def restore() -> None:
        client.flushdb()
        for key, value in snapshot.items():
            client.restore(key, 0, value, replace=True)

    def follow(db: Path) -> list[str]:
        return ["store", "--redis", url, "--follow", "--progress-every", "0", "--db", str(db)]

    def drain(db: Path) -> list[str]:
        return ["store", "--redis", url, "--db", str(db)]

    # The stream is restored for each archive only: a run killed mid-drain leaves its pending batch for the next.
    return Command("store --follow", follow, drain, env, before_archive=restore)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs in all, spread over the four commands")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--articles", type=int, default=1000, help="articles of the local site (crawl, store)")
    parser.add_argument("--records", type=int, default=3000,
                        help="articles of the site the Redis workers crawl (the records the store drains)")
    parser.add_argument("--pages", type=int, default=1500, help="article pages in the WARC (reparse)")
    parser.add_argument("--only", action="append", choices=["crawl", "reparse", "backfill", "store"],
                        help="soak only this command (repeatable)")
    opts = parser.parse_args(argv)
    rng = random.Random(opts.seed)
    started = time.perf_counter()
    results: dict[str, Tally] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        env, base = serve_site(folder / "sites", opts.articles, stack)
        wanted = opts.only or ["crawl", "reparse", "backfill", "store"]
        commands: list[Command] = []
        for name in wanted:
            if name == "crawl":
                commands.append(crawl_command(env))
            elif name == "reparse":
                commands.append(reparse_command(folder, base, opts.pages, env))
            elif name == "backfill":
                commands.append(backfill_command(stack, env))
            else:
                fleet_env, _ = serve_site(folder / "fleet-sites", opts.records, stack, seed=29)
                store = store_command(folder, stack, fleet_env)
                if isinstance(store, str):
                    notes.append(store)
                else:
                    commands.append(store)
        share, extra = divmod(opts.kills, max(1, len(commands)))
        for i, command in enumerate(commands):
            work = folder / command.name.split()[0]
            work.mkdir()
            print(f"  soaking {command.name} ...", file=sys.stderr, flush=True)
            results[command.name] = soak(command, share + (i < extra), rng, work)
    print(f"Crash soak, seed {opts.seed}: {opts.articles} articles on the local site, {opts.pages} WARC pages, the "
          f"local Wayback/Common Crawl stand-ins, {opts.records} records in Redis; {os.cpu_count()} cores, "
          f"{platform.machine()}, Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s in all")
    print(f"{'command':<15} {'kills':>5} {'runs':>5} {'archives':>8} {'articles':>8} {'kill window s':>13} "
          f"{'lost':>5} {'duplicated':>10} {'integrity ok':>12} {'lock free':>9} {'mid-work':>8}")
    total = Tally()
    for name, t in results.items():
        window = f"{0.8 * t.first:.1f}-{t.seconds:.1f}"
        print(f"{name:<15} {t.kills:>5} {t.runs:>5} {t.archives:>8} {t.articles:>8} {window:>13} {t.lost:>5} "
              f"{t.duplicated:>10} {f'{t.integrity_ok}/{t.checks}':>12} {f'{t.lock_free}/{t.checks}':>9} "
              f"{t.mid_work:>8}")
        for attr in ("kills", "runs", "archives", "articles", "lost", "duplicated", "unexpected", "checks",
                     "integrity_ok", "lock_free", "mid_work"):
            setattr(total, attr, getattr(total, attr) + getattr(t, attr))
        notes += [f"{name}: {n}" for n in t.notes]
        if t.left_running:
            notes.append(f"{name}: {t.left_running} runs of killed processes are still 'running' in crawl_runs "
                         f"after the final run (it does not mark them interrupted)")
        if t.unexpected:
            notes.append(f"{name}: {t.unexpected} keys that the reference does not have")
    print(f"{'all':<15} {total.kills:>5} {total.runs:>5} {total.archives:>8} {total.articles:>8} {'':>13} "
          f"{total.lost:>5} {total.duplicated:>10} {f'{total.integrity_ok}/{total.checks}':>12} "
          f"{f'{total.lock_free}/{total.checks}':>9} {total.mid_work:>8}")
    for note in notes:
        print(f"note: {note}")
    if total.lost or total.duplicated or total.integrity_ok < total.checks or total.lock_free < total.checks:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
