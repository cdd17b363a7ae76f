"""The reading pane draws a page a line at a time exactly as a ``Static`` draws it whole.

``ReadingPane`` wraps the text once and styles only the lines drawn; every line must come
out as ``Visual.to_strips`` (what ``Static`` uses) makes it: text, colours, link actions
and the offsets text selection relies on, with and without a selection.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from tests.test_ui_hostile import screen_text
from tests.ui_support import issue_text, main, make_app, wait_until
from textual.content import Content
from textual.geometry import Offset, Region
from textual.pilot import Pilot
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from importai_tui.core.model import Block, Inline, Issue, Section
from importai_tui.core.terms import parse
from importai_tui.ui.app import ReaderApp
from importai_tui.ui.page import CleanText, build_page
from importai_tui.ui.widgets.reading import TEXT_WIDTH, ReadingPane, page_content

BODY = " ".join(
    f"Sentence {i} of a long story, with “quotes”, see Import AI 12 and café ümlauts."
    for i in range(60)
)


def whole(pane: ReadingPane) -> list[Strip]:
    """The page as a ``Static`` renders it, every line at once, padded to the pane."""
    style = pane.visual_style
    strips = Visual.to_strips(pane, pane.content, pane.text_width, None, style)
    width = pane.scrollable_content_region.width
    return [
        s.extend_cell_length(width, Style(background=style.background).rich_style) for s in strips
    ]


def segments(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(s.text, s.style) for s in strip] for strip in strips]


async def test_lines_drawn_one_at_a_time_equal_the_whole_render() -> None:
    extra = {"long.txt": issue_text(9070, ["A long story", "Short one"], body=BODY)}
    app = make_app(start="9070", extra=extra)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        screen.terms = parse("sentence café").terms
        screen.open_section("9070", 1, first_match=True)
        await pilot.pause()
        view = screen.query_one(ReadingPane)
        plain = whole(view)
        expected = plain
        assert len(expected) > 40 and view.virtual_size.height == len(expected)
        drawn = [view.render_line(y) for y in range(len(expected))]
        assert segments(drawn) == segments(expected)
        assert any("@click" in (s.style.meta if s.style else {}) for s in drawn[5])
        # a selection is drawn (and measured) the same way too
        view.screen.selections = {view: Selection(Offset(3, 4), Offset(10, 6))}
        await pilot.pause()
        expected = whole(view)
        assert segments(expected) != segments(plain)
        assert segments([view.render_line(y) for y in range(len(expected))]) == segments(expected)
        assert view.get_selection(Selection(Offset(0, 4), Offset(8, 4))) is not None


async def test_the_pane_measures_the_page_it_shows() -> None:
    extra = {
        "long.txt": issue_text(9071, ["A long story"], body=BODY),
        "short.txt": issue_text(9072, ["Short one"]),
    }
    app = make_app(start="9071", extra=extra)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        pane = screen.query_one(ReadingPane)
        long_height = pane.virtual_size.height
        assert long_height == len(whole(pane)) > pane.scrollable_content_region.height
        screen.open_section("9072", 1)
        await pilot.pause()
        assert pane.virtual_size.height == len(whole(pane)) < long_height
        assert pane.max_scroll_y == 0


async def test_a_wide_pane_keeps_lines_short_and_a_resize_wraps_again() -> None:
    app = make_app(start="9073", extra={"long.txt": issue_text(9073, ["A story"], body=BODY)})
    async with app.run_test(size=(220, 40)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        pane = screen.query_one(ReadingPane)
        assert pane.scrollable_content_region.width > TEXT_WIDTH == pane.text_width
        lines = [pane.render_line(y).text for y in range(pane.virtual_size.height)]
        assert max(len(line.rstrip()) for line in lines) <= TEXT_WIDTH
        assert all(len(line) == pane.scrollable_content_region.width for line in lines)
        wide_height = pane.virtual_size.height
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert pane.text_width < TEXT_WIDTH
        assert pane.virtual_size.height == len(whole(pane)) > wide_height


async def test_the_header_follows_the_section_opened() -> None:
    app = make_app()
    rows = app.collection.library.rows()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = main(app)
        await wait_until(pilot, lambda: screen.issue is not None)
        target = screen.cache.get(rows[3].id) if screen.cache else None
        assert target is not None and len(target.sections) >= 2
        screen.open_section(target.id, 2)
        await pilot.pause()
        header = screen_text(app).splitlines()[0]
        assert f"section 2 of {len(target.sections)}" in header
        assert target.title[:40] in header


async def _open_long_story(app: ReaderApp, pilot: Pilot[None], number: int) -> ReadingPane:
    """Open the long story of issue ``number`` (see _long_app), its search matches marked."""
    screen = main(app)
    await wait_until(pilot, lambda: screen.issue is not None)
    screen.terms = parse("sentence café").terms
    screen.open_section(str(number), 1, first_match=True)
    await pilot.pause()
    return screen.query_one(ReadingPane)


def _long_app(number: int) -> ReaderApp:
    return make_app(
        start=str(number), extra={"long.txt": issue_text(number, ["A story"], body=BODY)}
    )


async def test_the_page_s_content_is_textual_s_conversion_of_its_text() -> None:
    app = _long_app(9074)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_long_story(app, pilot, 9074)
        assert pane.page is not None and pane.page.targets and pane.page.matches
        for text in (pane.page.text, Text("plain, unstyled"), Text("a whole style", "bold")):
            ours = page_content(text, app)
            theirs = Content.from_rich_text(text, console=app.console)
            assert (ours.plain, list(ours.spans)) == (theirs.plain, list(theirs.spans))


def textual_s(pane: ReadingPane, crop: Region) -> list[list[Segment]]:
    """The pane's lines as Textual draws them: through its styles cache, afresh."""
    pane._styles_cache.clear()
    return [list(strip) for strip in Widget.render_lines(pane, crop)]


async def test_the_framed_lines_are_what_the_styles_cache_draws() -> None:
    app = _long_app(9075)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _open_long_story(app, pilot, 9075)
        screen = main(app)
        whole_pane = pane.region.size.region  # border included
        seen = set()
        for focused, scroll_y in ((False, 0), (True, 0), (True, 7), (False, 30)):
            if focused:
                pane.focus()
            else:
                screen.query_one("#sections").focus()
            pane.scroll_to(y=scroll_y, animate=False, immediate=True)
            await pilot.pause()
            drawn = [list(strip) for strip in pane.render_lines(whole_pane)]
            assert drawn == textual_s(pane, whole_pane), (focused, scroll_y)
            assert any("Sentence" in "".join(s.text for s in line) for line in drawn)
            seen.add(str(drawn))
        assert len(seen) == 4  # focus and scrolling changed what was drawn
        # a selection, and a part of the pane as the compositor may ask for one
        pane.screen.selections = {pane: Selection(Offset(3, 4), Offset(10, 6))}
        await pilot.pause()
        part = Region(2, 3, 20, 5)
        assert [list(s) for s in pane.render_lines(part)] == textual_s(pane, part)
        assert [list(s) for s in pane.render_lines(whole_pane)] == textual_s(pane, whole_pane)


def test_clean_text_is_what_rich_s_append_makes_of_the_same_parts() -> None:
    parts: list[tuple[str, RichStyle | str | None]] = [
        ("Tech Tales\n", "bold magenta"),
        ("", "bold"),  # nothing: no span
        ("a “quoted” café, ", RichStyle(bold=True)),
        ("plain", None),
        ("link", RichStyle(underline=True) + RichStyle.from_meta({"@click": "follow(0)"})),
        ("\n\n", None),
    ]
    ours, theirs = CleanText(), Text()
    for part, style in parts:
        ours.append(part, style)
        theirs.append(part, style)
    built = ours.text()
    assert (built.plain, built.spans, len(built)) == (theirs.plain, theirs.spans, len(theirs))
    built.append("more")  # a Text like any other
    assert built.plain.endswith("\n\nmore")


def test_a_page_holds_nothing_rich_would_strip_even_from_hostile_text() -> None:
    hostile = "bell\x07 back\x08 cr\r ff\x0c vt\x0b esc\x1b[31m red \u202eflip\x9b1m"
    section = Section(
        1,
        "story",
        f"Head {hostile}",
        f"sub {hostile}",
        (
            Block("paragraph", (Inline(f"Lead in: {hostile} see Import AI 12."),)),
            Block("list_item", (Inline(hostile, href=f"https://x.example/{hostile}"),), 2),
        ),
    )
    issue = Issue("9076", 9076, "Import AI 9076", None, None, (section,))
    page = build_page(issue, section, parse("red").terms, f"note {hostile}")
    plain = page.text.plain
    assert plain == Text(plain).plain  # rich's own stripping finds nothing left
    assert not any(c in plain for c in "\x07\x08\r\x0c\x0b\x1b\u202e\x9b")
    assert "Head bell back cr ff vt esc red flip" in plain and page.matches and page.targets
