"""Figures measured inside the running reader, driven by Textual's pilot.

Fuzzy jump (keystroke to updated results, and on to the frame that draws them) and opening
the longest section.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from textual import events

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.ui_support holds the pilot helpers
    sys.path.insert(0, str(ROOT))

from tests.ui_support import main, wait_until  # noqa: E402

from importai_tui.core.collection import Collection  # noqa: E402
from importai_tui.core.userstore import FILENAME, UserStore  # noqa: E402
from importai_tui.ui.app import ReaderApp  # noqa: E402
from importai_tui.ui.screens.jump import JumpScreen  # noqa: E402
from importai_tui.ui.widgets.reading import ReadingPane  # noqa: E402

SIZE = (160, 45)
POLL = 0.0005
KEY_INTERVAL = 0.05  # 20 keys a second: faster than any typist
SETTLE = 0.2  # seconds between opening the short section and timing the long one


def longest_section(coll: Collection) -> tuple[str, int]:
    """The issue id and index of the section with the longest body."""
    row = coll.library.conn.execute(
        "SELECT issue_id, idx FROM sections ORDER BY length(body) DESC LIMIT 1"
    ).fetchone()
    return str(row[0]), int(row[1])


def press(app: ReaderApp, char: str) -> None:
    """Send one key as the terminal driver would (the pilot's press also waits for the app
    to go idle, which would be timed too)."""
    event = events.Key("space" if char == " " else char, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


@dataclass
class Typed:
    """Per query, the seconds from each key to its results, and to the frame that drew
    them."""

    results: list[list[float]] = field(default_factory=list)
    frames: list[list[float]] = field(default_factory=list)


class _Watch:
    """When the dialog showed the results of each query, and when it ended each frame."""

    def __init__(self, jump: JumpScreen) -> None:
        self.shown: dict[str, float] = {}
        self.frames: list[float] = []
        show, draw = jump.show, jump._compositor_refresh  # the end of the dialog's frames

        def showing(query: str, items: list[object]) -> None:
            show(query, items)  # type: ignore[arg-type]
            if jump.shown_query == query:
                self.shown.setdefault(query, time.perf_counter())

        def drawing() -> None:
            draw()
            self.frames.append(time.perf_counter())

        jump.show = showing  # type: ignore[method-assign,assignment]
        jump._compositor_refresh = drawing  # type: ignore[method-assign]

    def drawn(self, query: str) -> float | None:
        """When the first frame after the results of ``query`` ended, if one has."""
        shown = self.shown.get(query)
        return next((t for t in self.frames if shown is not None and t >= shown), None)


async def _measure(app: ReaderApp, queries: list[str], opens: int) -> tuple[Typed, list[float]]:
    typed = Typed()
    opened: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None, timeout=60)
        # the headline index is built in a thread at start-up (seconds at N = 10,000); opens
        # timed while it runs would time its hold on the GIL, so wait for it, as the jump does
        await wait_until(pilot, lambda: app.ready_index() is not None, timeout=120)
        await pilot.pause()
        # -- opening the longest section, alternating with a short one so each open is real
        target = longest_section(app.collection)
        other = (app.collection.library.rows()[0].id, 1)
        drawn: list[asyncio.Event] = []

        def frame_drawn(_: object) -> None:
            # published at the end of a frame's layout and compositing; the rest of the
            # frame (a screen-wide repaint, say) runs before call_soon's callback
            if drawn:
                asyncio.get_running_loop().call_soon(drawn.pop().set)

        # a new section always needs a layout; call_after_refresh is no proof of a frame:
        # the screen may run its callbacks before the widgets have even asked for a redraw
        screen.screen_layout_refresh_signal.subscribe(
            screen.query_one(ReadingPane), frame_drawn, immediate=True
        )
        for _ in range(opens):
            screen.open_section(*other)
            # let that open finish drawing (its scroll bars redraw in frames after the
            # first): work left over would be timed as the next open's
            await pilot.pause()
            await asyncio.sleep(SETTLE)
            await pilot.pause()
            done = asyncio.Event()
            start = time.perf_counter()
            screen.open_section(*target)
            drawn.append(done)
            await done.wait()
            opened.append(time.perf_counter() - start)
        screen.screen_layout_refresh_signal.unsubscribe(screen.query_one(ReadingPane))
        # -- fuzzy jump: one key at a time, each timed until its results are shown
        for query in queries:
            await pilot.press("slash")
            jump = app.screen
            assert isinstance(jump, JumpScreen)
            await pilot.pause(0.5)  # the dialog is open and drawn, as when a reader types
            watch = _Watch(jump)
            times = [await _type(app, watch, query[: i + 1]) for i in range(len(query))]
            typed.results.append([shown for shown, _ in times])
            typed.frames.append([drawn for _, drawn in times])
            await pilot.press("escape")
            await pilot.pause()
    return typed, opened


async def _type(app: ReaderApp, watch: _Watch, prefix: str) -> tuple[float, float]:
    """Type the last key of ``prefix``: seconds until the results list holds its results,
    and until the end of the frame that draws them.

    Textual draws with its next frame (at most 60 a second), headless here: the frame is
    laid out and composed, but not written to a terminal. Keys come no faster than one per
    ``KEY_INTERVAL``, a fast typist's pace: sending the next key the instant the results
    arrive would time the frame still being drawn for the last one, which no reader's
    typing does."""
    start = time.perf_counter()
    press(app, prefix[-1])
    while (drawn := watch.drawn(prefix)) is None:
        await asyncio.sleep(POLL)
        if time.perf_counter() - start > 30:
            raise RuntimeError(f"no results drawn for {prefix!r}")
    await asyncio.sleep(max(KEY_INTERVAL - (time.perf_counter() - start), 0))
    return watch.shown[prefix] - start, drawn - start


def measure_in_app(
    data_dir: Path, cache_dir: Path, queries: list[str], opens: int
) -> tuple[Typed, list[float]]:
    """Per query, the seconds from each key to its results and to their frame; and the
    times to open the longest section."""
    coll = Collection.open(data_dir, cache_dir, seed=False)
    store = UserStore.open(data_dir / FILENAME)
    try:
        return asyncio.run(_measure(ReaderApp(coll, store), queries, opens))
    finally:
        store.close()
        coll.close()
