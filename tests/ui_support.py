"""Helpers for the reader's pilot tests: an app over a real library, and waiting on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from importai_tui.core import paths
from importai_tui.core.collection import Collection
from importai_tui.core.userstore import FILENAME, UserStore
from importai_tui.ui.app import ReaderApp
from importai_tui.ui.screens.main import MainScreen


def issue_text(number: int, headlines: list[str], body: str = "", title: str = "") -> str:
    """A plain-text issue in the newsletter's shape, with one story per headline."""
    parts = [
        f"Import AI {number}: {title or ' ; '.join(headlines[:2])}",
        "",
        "Welcome to Import AI, a newsletter about artificial intelligence.",
        "",
    ]
    for i, headline in enumerate(headlines):
        if i:
            parts += ["***", ""]
        parts += [
            f"{headline}:",
            f"…subtitle of story {i + 1} in issue {number}…",
            body or f"The body of story {i + 1} of issue {number}.",
            "Read more: Paper (arXiv).",
            "",
        ]
    parts.append("Thanks for reading!")
    return "\n".join(parts) + "\n"


def make_app(start: str | None = None, extra: dict[str, str] | None = None) -> ReaderApp:
    """The reader over the bundled issues plus ``extra`` (file name -> issue text)."""
    coll = Collection.open()
    for name, text in (extra or {}).items():
        outcome = coll.add_bytes(text.encode("utf-8"), name)
        assert outcome.ok, outcome.detail
    store = UserStore.open(paths.data_dir() / FILENAME)
    return ReaderApp(coll, store, start)


def main(app: ReaderApp) -> MainScreen:
    """The app's main screen (under any dialog)."""
    screens = [s for s in app.screen_stack if isinstance(s, MainScreen)]
    assert screens, "the main screen is not shown"
    return screens[0]


def current_headline(app: ReaderApp) -> str:
    """The headline of the section in the reading pane."""
    screen = main(app)
    assert screen.issue is not None
    return screen.issue.sections[screen.section - 1].headline


async def wait_until(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10
) -> None:
    """Let the app run until ``condition`` holds (workers run in threads)."""
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
        waited += 0.02


async def close(app: ReaderApp) -> None:
    """Close the stores the app was given."""
    app.store.close()
    app.collection.close()


def data_file(name: str) -> Path:
    """A file of tests/data."""
    return Path(__file__).parent / "data" / name
