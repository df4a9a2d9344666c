"""Every declared site has its full fixture folder, and the bundled snapshot holds it: what the README's "Adding a
site" asks for, checked for each site `all_sites()` declares (a new module fails here until its folder is whole)."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from conftest import FIXTURES, ROOT, load_golden
from crawler.sites import all_sites
from crawler.evidence.warc import WarcIndex

SAMPLE = ROOT / "data" / "samples" / "sample.warc.gz"
SITES = sorted(all_sites())


@cache
def build_script() -> ModuleType:
    """scripts/build_sample_warc.py (`make sample`), whose list of pages is what the snapshot holds."""
    spec = importlib.util.spec_from_file_location("build_sample_warc", ROOT / "scripts" / "build_sample_warc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def snapshot() -> WarcIndex:
    return WarcIndex.open(SAMPLE)


@pytest.mark.parametrize("key", SITES)
def test_the_site_has_its_fixture_folder(key: str) -> None:
    folder = FIXTURES / key
    assert (folder / "README.md").is_file(), f"{folder}/README.md: where the pages come from"
    pages = sorted((folder / "pages").glob("*.html"))
    assert pages, f"{folder}/pages/ holds no saved article page"
    missing = [p.name for p in pages if not p.with_suffix(".json").is_file()]
    assert not missing, f"pages without a golden .json beside them: {missing}"
    orphans = [p.name for p in (folder / "pages").glob("*.json") if not p.with_suffix(".html").is_file()]
    assert not orphans, f"goldens without their saved page: {orphans}"
    assert all(load_golden(p.with_suffix(".json"))["site"] == key for p in pages)
    assert [p for p in (folder / "listing").rglob("*") if p.is_file()], f"{folder}/listing/ holds no listing"


@pytest.mark.parametrize("key", SITES)
def test_the_site_is_in_the_bundled_snapshot(key: str) -> None:
    """Its start pages, every listing file and every saved article page are responses of the snapshot."""
    from crawler.evidence.warc import url_key

    site = all_sites()[key]
    _, pages = build_script().fixture_pages(key)
    listed = {path.resolve() for _, path in pages}
    unlisted = [str(p.relative_to(FIXTURES)) for p in (FIXTURES / key / "listing").rglob("*")
                if p.is_file() and p.resolve() not in listed]
    assert not unlisted, ("listing files the snapshot leaves out (name each after its URL, see "
                          f"scripts/build_sample_warc.py, or in {key}/snapshot.json): {unlisted}")
    absent = [url for url, _ in pages if url_key(url) not in snapshot().offsets]
    absent += [url for url in site.start_urls if url_key(url) not in snapshot().offsets]
    assert not absent, f"not in {SAMPLE.name}, run `make sample`: {absent}"


@pytest.mark.parametrize("key", SITES)
def test_a_folder_without_snapshot_json_gives_the_same_snapshot(key: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's listing files saved under the names of their URLs, with no manifest: `make sample` finds the same
    pages by walking the declaration's start URLs and pagination, so a new site needs no snapshot.json."""
    import shutil

    script = build_script()
    _, named = script.fixture_pages(key)
    folder = tmp_path / key
    shutil.copytree(FIXTURES / key / "pages", folder / "pages")
    (folder / "listing").mkdir()
    for url, path in named:
        if path.parent.name != "pages":
            shutil.copyfile(path, folder / "listing" / (script.listing_file_name(url) + path.suffix))
    monkeypatch.setattr(script, "FIXTURES", tmp_path)
    _, derived = script.fixture_pages(key)
    assert sorted((url, p.read_bytes()) for url, p in derived) == sorted((url, p.read_bytes()) for url, p in named)
