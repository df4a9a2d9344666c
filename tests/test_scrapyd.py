"""Scrapyd as the launcher: the project deployed with `scrapyd-deploy` to a real Scrapyd (started here on loopback),
a worker job scheduled with schedule.json and run to completion, its records handed to a real Redis.

Outside CI, without scrapyd and scrapyd-client (or a Redis server: see tests/redis_server.py), these tests are
skipped with the reason; under CI=true they fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, golden_pages, load_golden
from redis_server import free_port, redis_server, require, wait_until_answering

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
PROJECT = "newsarchive"  # scrapy.cfg [deploy] project

# The job the test schedules, in one place: the fleet's worker spider on the shared frontier, seeding one site
# (spider argument `sites`), answered from the bundled sample. Its settings travel as schedule.json
# `setting=NAME=VALUE` pairs (scrapy crawl -s); the test adds NEWSARCHIVE_REDIS, the URL of its own Redis.
SPIDER = "worker"
SITE = "thanhuytphcm"
JOB_SETTINGS = {"REPLAY_WARC": str(SAMPLE), "WARC_CAPTURE": "False"}


def expected_records() -> list[tuple[str, str]]:
    """(site, article_id) of every record the job must hand off: the site's golden pages, which are exactly the
    site's articles in the sample (a single-process crawl of it stores these and no other)."""
    return sorted((r["site"], r["article_id"]) for r in map(load_golden, golden_pages()) if r["site"] == SITE)


@dataclass
class Scrapyd:
    url: str
    folder: Path  # its working directory: scrapyd.conf, logs/, eggs/, dbs/, and its own output in scrapyd.out

    def output(self) -> str:
        return (self.folder / "scrapyd.out").read_text(errors="replace")[-4000:]

    def api(self, endpoint: str, data: list[tuple[str, str]] | None = None, **query: str) -> dict[str, Any]:
        """GET (or POST `data` to) one of Scrapyd's JSON endpoints; its answer must have status ok."""
        url = self.url + endpoint + ("?" + urllib.parse.urlencode(query) if query else "")
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        with urllib.request.urlopen(url, data=body, timeout=30) as response:
            answer = json.loads(response.read())
        assert answer.get("status") == "ok", answer
        return answer


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scrapyd]:
    """Scrapyd from this interpreter's environment, where the project's dependencies are installed: Scrapyd does not
    install them, an egg carries only the project's code."""
    for module in ("scrapyd", "scrapyd_client"):
        require(importlib.util.find_spec(module) is not None, f"{module} is not installed",
                "the test extra must install scrapyd and scrapyd-client",
                "pip install scrapyd scrapyd-client")
    folder = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    # poll_interval: how often Scrapyd looks for a scheduled job (5 s by default).
    (folder / "scrapyd.conf").write_text(f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {folder / "eggs"}
logs_dir = {folder / "logs"}
items_dir =
dbs_dir = {folder / "dbs"}
poll_interval = 0.2
""")
    # Scrapyd reads ./scrapyd.conf, then ~/.scrapyd.conf (HOME is the folder: nothing of this machine's overrides
    # the file above); its jobs inherit this environment and its working directory.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "SCRAPYD_"))}
    env["HOME"] = str(folder)
    env.pop("NEWSARCHIVE_SITES_PATH", None)
    with open(folder / "scrapyd.out", "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=folder, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    server = Scrapyd(f"http://127.0.0.1:{port}/", folder)
    try:
        wait_until_answering(proc, lambda: server.api("daemonstatus.json"), OSError, f"scrapyd on port {port}",
                             attempts=600, detail=lambda: f":\n{server.output()}")
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def deploy(scrapyd: Scrapyd, tmp_path: Path) -> dict[str, Any]:
    """`scrapyd-deploy test` from the project root, as a developer runs it, to this test's Scrapyd.

    scrapy.cfg is not touched: scrapyd-deploy also reads $XDG_CONFIG_HOME/scrapy.cfg, and a target [deploy:test]
    declared there gets its url from it and its project from the project's [deploy]."""
    config = tmp_path / "xdg"
    config.mkdir()
    (config / "scrapy.cfg").write_text(f"[deploy:test]\nurl = {scrapyd.url}\n")
    env = dict(os.environ, XDG_CONFIG_HOME=str(config))
    done = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", "test"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    # scrapyd-deploy exits 0 also when Scrapyd refuses the egg (HTTP 200, status "error"): its answer tells.
    answer = json.loads(done.stdout)
    assert answer.get("status") == "ok", answer.get("message", answer)
    return answer


def run_job(scrapyd: Scrapyd, redis_url: str) -> str:
    """Schedule SPIDER with JOB_SETTINGS and wait until Scrapyd lists it as finished; returns the job's id."""
    settings = {**JOB_SETTINGS, "NEWSARCHIVE_REDIS": redis_url}
    job = scrapyd.api("schedule.json", [("project", PROJECT), ("spider", SPIDER), ("sites", SITE)]
                      + [("setting", f"{name}={value}") for name, value in settings.items()])["jobid"]
    for _ in range(3000):  # a bound on the wait, for a job that never ends, not a timing assertion
        jobs = scrapyd.api("listjobs.json", project=PROJECT)
        if any(j["id"] == job for j in jobs["finished"]):
            return job
        time.sleep(0.1)
    pytest.fail(f"job {job} did not finish: {jobs}\n{scrapyd.output()}")


def stream_records(redis_url: str) -> list[dict[str, Any]]:
    import redis

    from crawler.fleet.stream import STREAM

    client = redis.Redis.from_url(redis_url)
    return [json.loads(fields[b"record"]) for _, fields in client.xrange(STREAM) if b"record" in fields]


def test_deployed_with_scrapyd_deploy_a_scheduled_worker_job_hands_its_records_to_redis(
        scrapyd: Scrapyd, redis_url: str, tmp_path: Path) -> None:
    import redis

    from crawler.sites import all_sites

    redis.Redis.from_url(redis_url).flushdb()
    deployed = deploy(scrapyd, tmp_path)
    assert deployed["project"] == PROJECT
    assert PROJECT in scrapyd.api("listprojects.json")["projects"]
    # Scrapyd lists the spiders by running `scrapy list` from the egg: the spider loader found every declared site
    # inside the zipped egg.
    assert scrapyd.api("listspiders.json", project=PROJECT)["spiders"] == sorted([*all_sites(), SPIDER])

    job = run_job(scrapyd, redis_url)

    log_file = scrapyd.folder / "logs" / PROJECT / SPIDER / f"{job}.log"
    assert log_file.exists(), scrapyd.output()
    log = log_file.read_text()
    assert "Spider closed (finished)" in log, log[-4000:]
    assert " ERROR: " not in log, log[-4000:]
    # A worker: the handoff pipeline runs, the store pipeline stands aside, and no archive appears where Scrapyd
    # runs its jobs.
    assert "crawler.fleet.handoff.HandoffPipeline" in log and "pipelines.store.StorePipeline" not in log
    assert not (scrapyd.folder / "data").exists()
    expected = expected_records()
    assert f"'newsarchive/handed_off': {len(expected)}," in log

    records = stream_records(redis_url)
    assert sorted((r["site"], r["article_id"]) for r in records) == expected
    assert all(r["title"] and r["body"] for r in records)
