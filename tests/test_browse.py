"""newsarchive browse: Datasette's pages render with our metadata, facets, search and canned queries
(through Datasette's own test client: no server, no network)."""

from __future__ import annotations

import asyncio
import json

import pytest

from conftest import golden_pages, load_golden
from crawler import archive
from crawler.archive.browse import PLUGINS_DIR, metadata

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("browse") / "archive.db"
    conn = archive.open_archive(path)
    for golden in golden_pages():
        archive.store_article(conn, load_golden(golden))
    conn.close()
    return datasette_app.Datasette([str(path)], metadata=metadata("archive"), plugins_dir=str(PLUGINS_DIR))


def get(ds, path: str):
    async def fetch():
        return await ds.client.get(path)
    return asyncio.run(fetch())


def test_index_and_table_pages_render_with_descriptions_and_facets(ds) -> None:
    home = get(ds, "/")
    assert home.status_code == 200 and "party-committee press" in home.text
    table = get(ds, "/archive/articles")
    assert table.status_code == 200
    assert "One row per article" in table.text
    facets = get(ds, "/archive/articles.json?_facet=site&_facet=published_month&_size=0").json()
    sites = {f["value"] for f in facets["facet_results"]["site"]["results"]}
    assert {"thanhuytphcm", "bacgiang", "dangcongsan"} <= sites
    assert any(f["value"] == "2022-01" for f in facets["facet_results"]["published_month"]["results"])


def test_search_box_and_canned_search_query(ds) -> None:
    box = get(ds, "/archive/articles.json?_search=dang+uy&_shape=array")
    assert box.status_code == 200 and box.json()
    canned = get(ds, "/archive/search.json?q=Đảng+ủy&_shape=array")
    assert canned.status_code == 200
    titles = [row["title"] for row in canned.json()]
    assert "Đảng ủy phường 12, Quận Tân Bình trao túi an sinh cho hộ khó khăn" in titles
    assert get(ds, "/archive/search.json?q=TP.HCM+%22&_shape=array").status_code == 200


@pytest.mark.parametrize("query", ["per_site_per_month", "latest"])
def test_canned_queries_render(ds, query: str) -> None:
    response = get(ds, f"/archive/{query}")
    assert response.status_code == 200


def test_byline_query(ds) -> None:
    rows = get(ds, "/archive/by_byline.json?byline=Bích+Quyên&_shape=array").json()
    assert [r["title"] for r in rows] == ["Tiếp tục nâng cao chất lượng công tác giáo dục lý luận chính trị"]


def test_metadata_is_plain_json() -> None:
    json.dumps(metadata("archive"))
