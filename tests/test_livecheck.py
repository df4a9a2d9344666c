"""newsarchive capture and check-site, against the local test server (they are for users with network access)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from faultsite import FaultSite, generate


@pytest.fixture
def server(tmp_path: Path):
    site = FaultSite(generate(8), faults=False).start()
    site.site_module(tmp_path)
    yield site, tmp_path
    site.stop()


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NEWSARCHIVE_SITES_PATH=str(folder))
    return subprocess.run([sys.executable, "-m", "crawler", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_check_site_reports_each_field_by_layer(server) -> None:
    site, folder = server
    result = cli(folder, "check-site", "faultsite", "-n", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(1 for line in lines if line.startswith(site.base + "/bai/")) == 3
    assert all(" site " in line for line in lines if line.startswith(site.base))
    assert "selectors hold on 3" in result.stdout


def test_check_site_says_when_selectors_broke(server) -> None:
    site, folder = server
    module = folder / "faultsite.py"
    module.write_text(module.read_text().replace("h1.title", "h1.headline").replace("div.body", "div.content"))
    result = cli(folder, "check-site", "faultsite", "-n", "2")
    assert result.returncode == 4
    assert "no longer give title, date and body" in result.stdout


def test_capture_saves_page_and_unreviewed_golden(server, tmp_path: Path) -> None:
    site, folder = server
    url = f"{site.base}/bai/bai-viet-{site.articles[0].id}"
    result = cli(folder, "capture", url, "--fixtures", str(tmp_path / "fixtures"))
    assert result.returncode == 0, result.stderr
    html = next((tmp_path / "fixtures" / "faultsite" / "pages").glob("*.html"))
    golden = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
    assert golden["reviewed"] is False and golden["title"] == site.articles[0].title
    assert golden["body"] == "\n\n".join(site.articles[0].paragraphs)
    assert html.read_bytes().startswith(b"<!DOCTYPE html>")


def test_capture_refuses_urls_of_no_declared_site(server) -> None:
    _, folder = server
    result = cli(folder, "capture", "https://example.org/some/page")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
