"""Newsletter text is hostile: markup-like text and escape sequences reach the screen as text.

One issue full of them goes through every pane, both searches, the links list, the help
screen and the header; the screen must show the brackets literally and no control
character, and nothing may be restyled or run.
"""

from __future__ import annotations

from tests.ui_support import main, make_app, wait_until
from textual.app import App

from importai_tui.ui.screens.dialogs import LinksScreen
from importai_tui.ui.screens.help import HelpScreen
from importai_tui.ui.widgets.reading import ReadingPane

ESC = "\x1b"
HOSTILE = (
    "Import AI 9666: [bold red]x[/] titles; [0] and [b\n"
    "\n"
    "Welcome to Import AI, a newsletter about artificial intelligence.\n"
    "\n"
    "Trap [bold red]red[/] headline [0] and [b:\n"
    f"…subtitle [i]tilted[/i] {ESC}[31mansi{ESC}[0m {ESC}]8;;http://evil.example{ESC}\\osc8"
    f"{ESC}]8;;{ESC}\\ and \u202eevil…\n"
    "Body [link=https://evil.example]click[/link] and [@click=app.quit]quit[/] and "
    f"{ESC}]52;c;SGVsbG8={chr(7)} clip [b unclosed [0] trapword.\n"
    "Read more: [bold]x[/] (arXiv).\n"
    "\n"
    "***\n"
    "\n"
    "Second [/] story:\n"
    "…[reverse]sub[/reverse]…\n"
    "Body two.\n"
    "\n"
    "Thanks for reading!\n"
)
LITERALS = ["[bold red]red[/]", "[0]", "[b", "[link=https://evil.example]click[/link]"]


def screen_text(app: App[None]) -> str:
    """Every character on the screen, as the terminal would receive it (minus styles)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_clean(app: App[None], *expected: str) -> str:
    text = screen_text(app)
    assert ESC not in text and "\x07" not in text and "\u202e" not in text
    assert not any(ord(c) < 32 and c != "\n" for c in text)
    for literal in expected:
        assert literal in text, f"{literal!r} not shown literally"
    return text


async def test_hostile_text_is_shown_literally_in_every_pane_and_dialog() -> None:
    app = make_app(start="9666", extra={"hostile.txt": HOSTILE})
    async with app.run_test(size=(200, 50)) as pilot:
        screen = main(app)
        assert screen.issue is not None and screen.issue.id == "9666"
        assert "[bold red]red[/]" in screen.issue.sections[0].headline
        text = assert_clean(app, "[bold red]x[/] titles; [0] and [b", *LITERALS)
        assert "[i]tilted[/i]" in text and "ansi" in text and "osc8" in text

        await pilot.press("slash", *"trap red")
        await wait_until(pilot, lambda: app.screen.shown_query == "trap red")  # type: ignore[attr-defined]
        assert_clean(app, "[bold red]red[/]")
        await pilot.press("escape")

        await pilot.press("s", *"trapword")
        await wait_until(pilot, lambda: app.screen.shown_query == "trapword")  # type: ignore[attr-defined]
        assert_clean(app, "[bold red]red[/]", "[0]")
        await pilot.press("enter")
        assert screen.query_one(ReadingPane).current_match == 0
        assert_clean(app, *LITERALS)

        await pilot.press("o")
        assert isinstance(app.screen, LinksScreen)
        assert_clean(app)
        await pilot.press("escape")

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert_clean(app)
        await pilot.press("escape")

        await pilot.press("right_square_bracket")
        assert_clean(app, "Second [/] story", "[reverse]sub[/reverse]")
        # a markup-looking query is text too
        await pilot.press("s", *"[b")
        await wait_until(pilot, lambda: app.screen.shown_query == "[b")  # type: ignore[attr-defined]
        assert_clean(app, "[b")
        await pilot.press("escape", "slash", *"[/]")
        await wait_until(pilot, lambda: app.screen.shown_query == "[/]")  # type: ignore[attr-defined]
        assert_clean(app, "[/]")
        await pilot.press("escape")
        assert app.is_running
