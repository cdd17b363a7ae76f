"""When the cyclic garbage collector makes its full passes in the reader: in a pause.

Python makes a full pass after every ten passes over its middle generation. In the reader
that is every few seconds of typing or paging, and a full pass frees what dismissed
dialogs and redrawn lists left behind: 100,000-150,000 objects of Textual's, 75-150 ms with
1,000 issues, inside whatever frame a key is waiting for (the fuzzy jump's slowest keys).
Once the start-up objects are frozen, full passes are left to a moment with no input for
a second, and happen on their own only twenty times less often (a backstop for a reader
who never pauses). The young generations are collected as always.
"""

from __future__ import annotations

import gc
import time

FULL_PASS_EVERY = 200  # middle-generation passes between two full ones (Python: 10)
IDLE = 1.0  # seconds without a key, click or scroll before a full pass may run
TICK = 0.5  # seconds between two looks


class IdleCollector:
    """The reader's collector policy: see the module's docstring."""

    def __init__(self) -> None:
        self._last_input = time.monotonic()
        self._threshold: tuple[int, int, int] | None = None
        self.held = False  # the collector is held off for the frames being drawn

    def started(self) -> None:
        """Take over the full passes (once the objects that live as long as the app are
        frozen, see ReaderApp.build_index)."""
        if self._threshold is None:
            self._threshold = gc.get_threshold()
        young, middle, _ = self._threshold
        gc.set_threshold(young, middle, FULL_PASS_EVERY)

    def saw_input(self) -> None:
        """A key, a click or a scroll just arrived."""
        self._last_input = time.monotonic()

    def tick(self) -> None:
        """Make the full pass now if the reader is idle and there may be something for it."""
        if self._threshold is None or self.held or not gc.isenabled():
            return
        # (the count of middle passes since the last full one: none, nothing new to find)
        if gc.get_count()[2] and time.monotonic() - self._last_input >= IDLE:
            gc.collect()

    def stop(self) -> None:
        """Give Python its own thresholds back (the app is leaving)."""
        if self._threshold is not None:
            gc.set_threshold(*self._threshold)
            self._threshold = None
