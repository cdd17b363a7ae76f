"""Fixtures and marks shared by the hostile-input tests (the isolation fixture is in ../)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent
# feed.py asks every entry for updated_parsed; feedparser warns when an entry has none.
FEEDPARSER_NOISE = "ignore:To avoid breaking existing software:DeprecationWarning"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Silence feedparser's deprecation notice in these tests only (it is reported once)."""
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings(FEEDPARSER_NOISE))
