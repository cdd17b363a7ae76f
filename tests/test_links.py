"""The one link-scheme check, the console that strips escapes, and hyperlinks in rendered text."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text
from tests.hostile_terminal import ESC, HREFS, LITERAL, OSC52, TRAP, hostile_issue, terminal_text

from importai_tui.core.links import openable, refusal, scheme
from importai_tui.render import block_text, highlighted, issue_renderable
from importai_tui.terminal import SafeConsole, json_text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        f"java{ESC}[0mscript:alert(1)",  # what the escape hides is what would open
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "ftp://example.org/x",
        "//evil.example/x",
        "evil.example/x",
        "",
        None,
    ],
)
def test_only_web_and_mail_links_open(url: str | None) -> None:
    assert openable(url) is None


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("https://example.org/a?b=c#d", "https://example.org/a?b=c#d"),
        ("HTTP://example.org/", "HTTP://example.org/"),
        ("mailto:jack@example.org", "mailto:jack@example.org"),
        (f"https://ok.example/a{OSC52}b", "https://ok.example/ab"),
        ("https://ok.example/\u202ex y", "https://ok.example/x%20y"),
        ("https://例え.jp/ü", "https://%E4%BE%8B%E3%81%88.jp/%C3%BC"),
        (f"  https://ok.example/{ESC}]8;;x{ESC}\\\n", "https://ok.example/"),
    ],
)
def test_an_opened_address_is_printable_ascii(url: str, opened: str) -> None:
    assert openable(url) == opened


def test_the_refusal_names_the_scheme_and_shows_no_control() -> None:
    message = refusal(f"javascript:{OSC52}alert(1)")
    assert "javascript:" in message and "refused" in message and ESC not in message
    assert "file:" in refusal("file:///etc/passwd") and "data:" in refusal("data:,x")
    assert "without a scheme" in refusal("evil.example")
    assert scheme("MAILTO:x") == "mailto"


def _printed(renderable: object, console_class: type[Console] = SafeConsole) -> bytes:
    buffer = io.StringIO()
    console = console_class(
        file=buffer, force_terminal=True, color_system="truecolor", width=200, highlight=False
    )
    console.print(renderable)
    return buffer.getvalue().encode()


def test_the_safe_console_strips_escapes_from_text_tables_and_links() -> None:
    text = Text(f"plain {TRAP}")
    text.append(" link", style=f"link {HREFS['hostile https']}")
    text.append(" js", style="link javascript:alert(1)")
    table = Table()
    table.add_column(f"head {OSC52}")
    table.add_row(Text(TRAP))
    for renderable in (text, table, f"a str {TRAP}"):
        shown, targets = terminal_text(_printed(renderable))
        # (rich drops the BEL ending the OSC 52 first: the rest of it runs to the next ESC)
        assert "[0] [b" in shown and "evil" in shown
        assert targets in ([], ["https://ok.example/ab"])


def test_a_plain_rich_console_would_let_them_through() -> None:
    """The check above is meaningful: rich itself passes escapes and link targets on."""
    with pytest.raises(AssertionError, match="control characters"):
        terminal_text(_printed(Text(TRAP), Console))


def test_rendered_issues_link_only_to_sanitized_web_addresses() -> None:
    issue = hostile_issue()
    links = [
        span.style.link
        for block in issue.sections[0].blocks
        for span in block_text(block).spans
        if not isinstance(span.style, str) and span.style.link
    ]
    assert links == ["https://ok.example/ab", "https://ok.example/x%20y"]
    # with a plain console too: the renderer cleaned the text itself
    shown, targets = terminal_text(_printed(issue_renderable(issue), Console))
    assert LITERAL in shown and targets.count("https://ok.example/ab") == 1


def test_search_snippets_are_cleaned_but_keep_their_highlights() -> None:
    snippet = highlighted(f"before \x02trap{OSC52}word\x03 after {ESC}[2J")
    assert snippet.plain == "before trapword after "
    assert [(s.start, s.end) for s in snippet.spans if s.style] == [(7, 15)]


def test_json_output_escapes_every_control_and_decodes_to_the_same_data() -> None:
    data = {"t": f"{TRAP}\u2028\ufeff\x7f", "n": [1, None]}
    text = json_text(data)
    terminal_text(text.encode())
    assert json.loads(text) == data
