"""The reader leaves the collector's full passes to a pause in its input (ui.collector)."""

from __future__ import annotations

import gc
import weakref

from tests.ui_support import main, make_app, wait_until

from importai_tui.ui.collector import FULL_PASS_EVERY, IDLE, TICK


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def _old_garbage() -> weakref.ref[_Node]:
    """A cycle that has survived into the oldest generation, then become garbage."""
    node = _Node()
    gc.collect(1)  # the middle generation's survivors go to the oldest
    return weakref.ref(node)


async def test_full_passes_wait_for_a_pause_and_thresholds_come_back() -> None:
    before = gc.get_threshold()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: app.ready_index() is not None)
        await pilot.pause()
        assert gc.get_threshold()[2] == FULL_PASS_EVERY
        garbage = _old_garbage()
        # keys keep coming: no full pass in between
        for _ in range(int(2 * IDLE / 0.1)):
            await pilot.press("j" if screen.section < 2 else "k")
            await pilot.pause(0.1)
        assert garbage() is not None
        # a pause: the next look frees it
        await pilot.pause(IDLE + 2 * TICK + 0.2)
        assert garbage() is None
    assert gc.get_threshold() == before
