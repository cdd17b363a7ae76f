"""Snapshot tests of the reader's main screens (SVG screenshots under tests/__snapshots__).

Regenerate after an intended change of the look with ``pytest --snapshot-update`` and
look at the new pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.ui_support import make_app, wait_until
from textual.pilot import Pilot

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def colours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots show the real colours (the suite sets NO_COLOR for the command line)."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def typed(key: str, query: str) -> Callable[[Pilot[None]], object]:
    """Open a dialog with ``key``, type ``query`` and wait for its results."""

    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(key, *query)
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "shown_query", None) == query)

    return run


def test_main_screen(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(start="395"), terminal_size=SIZE)


def test_main_screen_narrow(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(start="395"), terminal_size=(80, 24))


def test_fuzzy_jump_results(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(
        make_app(start="395"), terminal_size=SIZE, run_before=typed("slash", "genie")
    )


def test_search_results(snap_compare: Callable[..., bool]) -> None:
    run = typed("s", "chip embargo")
    assert snap_compare(make_app(start="395"), terminal_size=SIZE, run_before=run)


def test_help_screen(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(make_app(start="395"), terminal_size=SIZE, press=["question_mark"])
