from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def golden_pages() -> list[Path]:
    """Every saved page that has a golden record beside it: tests/fixtures/<site>/pages/<name>.{html,json}."""
    return sorted(p for p in FIXTURES.glob("*/pages/*.json") if p.with_suffix(".html").exists())


def load_golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def seed_page() -> Path:
    return FIXTURES / "thanhuytphcm" / "pages" / "tiep-tuc-nang-cao-chat-luong-cong-tac-giao-duc-ly-luan-chinh-tri-1491889235.html"
