"""Where the reader is: written once the reader stays on a section, with a new read mark,
and on quit; never once per key. Read marks are written at once, every one.

The stores are real SQLite files (the tests' own data directory); a second connection
reads what is on disk.
"""

from __future__ import annotations

from tests.ui_support import main, make_app, wait_until

from importai_tui.core import paths
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import FILENAME, Position, UserStore

SIZE = (160, 45)


def on_disk() -> tuple[str | None, set[tuple[str, int]]]:
    """The position and the read sections as another program would read them now."""
    conn = sqlite3.connect(paths.data_dir() / FILENAME)
    try:
        row = conn.execute("SELECT value FROM state WHERE key='position'").fetchone()
        reads = {(r[0], int(r[1])) for r in conn.execute("SELECT issue_id, section FROM reads")}
    finally:
        conn.close()
    return (row[0] if row else None), reads


async def test_moving_back_writes_the_position_once_settled_and_on_quit() -> None:
    app = make_app()
    first = app.collection.library.rows()[0].id
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        await pilot.press("right_square_bracket", "right_square_bracket")
        # new read marks are on disk at once, and the position with them
        position, reads = on_disk()
        assert {(first, 1), (first, 2), (first, 3)} <= reads
        assert position == f"{first}#3"
        # back to a section read already: no read mark to write, the position waits
        await pilot.press("left_square_bracket")
        assert app.store.position() == Position(first, 2)
        assert on_disk()[0] == f"{first}#3"
        await wait_until(pilot, lambda: on_disk()[0] == f"{first}#2", timeout=5)
        # moving again and quitting at once: the position is written on closing
        await pilot.press("left_square_bracket")
        assert on_disk()[0] == f"{first}#2"
        await pilot.press("q")
    app.store.close()  # as the command line does once the reader has quit
    app.collection.close()
    again = UserStore.open(paths.data_dir() / FILENAME)
    try:
        assert again.position() == Position(first, 1)
    finally:
        again.close()


async def test_holding_a_key_writes_no_position_per_section() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        count = len(screen.issue.sections) if screen.issue else 0
        await pilot.press(*["right_square_bracket"] * (count - 1))  # reads them all
        writes: list[str] = []
        app.store.conn.set_trace_callback(writes.append)
        await pilot.press(*["left_square_bracket"] * (count - 1))  # back over read ones
        assert (screen.issue.id, screen.section) == (rows[0].id, 1)  # type: ignore[union-attr]
        assert not [w for w in writes if "INTO state" in w]
        assert on_disk()[0] == f"{rows[0].id}#{count}"
        await wait_until(pilot, lambda: on_disk()[0] == f"{rows[0].id}#1", timeout=5)
        assert len([w for w in writes if "INTO state" in w]) == 1
        app.store.conn.set_trace_callback(None)
    app.store.close()
    app.collection.close()
