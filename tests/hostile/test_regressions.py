"""Every failure the fuzzing found, kept as its smallest example (and a readable one).

Each test states the promise it checks; they fail until the cause is fixed in src/ (see
RESULTS.md for the causes and the proposed fixes). The raw examples are the shrunk inputs
exactly as the long run reported them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError

from .checks import check_issues, parse_checked, texts_of


def issues_of(data: bytes) -> list:  # type: ignore[type-arg]
    """Parse without the invariant checks, to assert on one promise at a time."""
    return parse_bytes(data)


# -- link targets and issue URLs keep terminal escapes ---------------------------------------
# html.py _LineBuilder.start keeps attrs["href"] raw; feed.py Meta(url=entry.get("link")) too.
# The URL reaches the terminal: render.py makes it an OSC 8 hyperlink (an ESC in it ends the
# sequence early, the rest is interpreted: OSC 52 writes the clipboard) and `importai show`
# prints issue.url as text.

UNSAFE_HREFS = {
    "fuzz: bidi override in an href": b"`<a href=\xe2\x80\xae\xef\xac\x80\xca\xa4\xca\xa8><p>"
    b"<strong>Things that inspired this tale",
    "OSC 52 (clipboard) through character references": (
        "<p>Import AI 404: links</p><p>by</p><p><b>Headline</b></p><p>…sub…</p><p>Read more: "
        '<a href="https://example.com/&#27;]52;c;ZXZpbA==&#7;">the paper</a></p>'
    ).encode(),
}


@pytest.mark.parametrize("case", list(UNSAFE_HREFS))
def test_link_targets_hold_no_control_characters(case: str) -> None:
    parse_checked(UNSAFE_HREFS[case])


def test_a_feed_items_link_holds_no_bidi_override() -> None:
    data = (
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Import AI 405: x</title>'
        "<link>https://example.com/\u202egpj.exe</link><description>&lt;p&gt;&lt;b&gt;Headline"
        "&lt;/b&gt;&lt;/p&gt;&lt;p&gt;…sub…&lt;/p&gt;&lt;p&gt;Body.&lt;/p&gt;</description>"
        "</item></channel></rss>"
    ).encode()
    parse_checked(data)


def test_issue_urls_hold_no_control_characters_in_any_reader() -> None:
    """A saved page's canonical link and a Markdown export's front matter URL, too."""
    page = (
        '<!DOCTYPE html><html><head><link rel="canonical" href="https://example.com/\u202e'
        'gpj.exe&#27;]52;c;ZXZpbA==&#7;"></head><body><article><p>Import AI 407: x</p><p>by</p>'
        "<p><b>Headline</b></p><p>…sub…</p><p>Body.</p></article></body></html>"
    ).encode()
    markdown = (
        '---\ntitle: "Import AI 408: x"\nurl: "https://example.com/\u202egpj.exe"\n---\n\n'
        "**Headline**\n\n_…sub…_\n\nBody with a [link](https://example.com/a).\n"
    ).encode()
    for data in (page, markdown):
        issues = parse_checked(data)
        assert not isinstance(issues, ReadError), issues
        assert all(i.url and i.url.startswith("https://example.com/") for i in issues)


# -- sections without a headline ----------------------------------------------------------------
# splitter.py _sections: "Tech Tales:" as the last block opens a tale whose title is the next
# non-empty block, and there is none; a headline line of just ":" becomes "" in _headline.

EMPTY_HEADLINES = {
    "fuzz: 'Tech tale' header last": b"2:<br>><p><b>Tech tale</>",
    "Tech Tales: as the last line": (
        "Import AI 400: robots\n\nby\n\nA story\n…a subtitle…\nBody.\n\nTech Tales:\n"
    ).encode(),
    "fuzz: a headline of ':' (HTML)": b"<h1>ImportAI2<h1>:<br>\xe2\x80\xa6a",
    "a headline of ':' (text)": "Import AI 401: robots\n\nby\n\n:\n…a subtitle…\nBody.\n".encode(),
    "fuzz: a headline of ':' (Markdown)": b"_\n\n[v](http:)\n\n**:\n**\x85?",
}


@pytest.mark.parametrize("case", list(EMPTY_HEADLINES))
def test_every_section_has_a_headline(case: str) -> None:
    try:
        issues = issues_of(EMPTY_HEADLINES[case])
    except ReadError:
        return  # no issue left once the headline-less section is gone: a fine answer
    assert all(s.headline.strip() for i in issues for s in i.sections), [
        (s.kind, s.headline) for i in issues for s in i.sections
    ]


def test_an_issue_always_has_a_title() -> None:
    """Untitled issues take their first headline as title; "Tech Tale" alone is no issue."""
    assert isinstance(parse_checked(b"Tech Tale"), ReadError)
    data = "by\n\nA story\n…a subtitle…\nBody.\n\nTech Tales:\n\nThe tale\n\nIt went.\n"
    issues = parse_checked(data.encode())
    assert not isinstance(issues, ReadError), issues
    assert [i.title for i in issues] == ["A story"]


def test_a_tech_tale_title_is_a_headline_not_a_paragraph() -> None:
    """A tale's title is the block after "Tech Tales:", of any length (MAX_HEADLINE is 300)."""
    data = (
        "Import AI 403: robots\n\nby\n\nA story\n…a subtitle…\nBody.\n\nTech Tales:\n"
        + "A tale whose first line is long. " * 20
        + "\n\nMore.\n"
    ).encode()
    check_issues(issues_of(data), len(data))


# -- a library's exception relabelled as the reason for a rejection -------------------------------
# feedparser's loose parser (run when the strict XML parse fails) calls chr() on character
# references: out of range it raises ValueError, a surrogate gives a string that cannot be
# encoded (UnicodeEncodeError). readers.read turns any ValueError into ReadError(str(exc)), so
# the user reads "chr() arg not in range(0x110000)" instead of "not a well-formed feed".

FOREIGN_ERRORS = {
    "fuzz: out-of-range character reference": b"<feed<d>&#1114112;",
    "out-of-range reference in an item": b'<?xml version="1.0"?><rss version="2.0"><channel>'
    b"<item><title>Import AI 1: x</title><description>&#1114112;</description></item>"
    b"</channel></rss>",
    "surrogate character reference": b'<rss version="2.0"><channel><item><title>Import AI 1:'
    b" x</title><description>&#55296;</description></item></channel></rss>",
}


@pytest.mark.parametrize("case", list(FOREIGN_ERRORS))
def test_broken_feeds_are_rejected_as_feeds(case: str) -> None:
    parse_checked(FOREIGN_ERRORS[case])


# -- feed bodies lose the HTML reader's skipped elements -----------------------------------------
# feed.py asks feedparser to sanitize the body: its sanitizer removes <template> and <iframe>
# tags but keeps what is inside, so that text reaches the HTML reader as ordinary paragraphs,
# while the same body read as HTML drops it (html.py SKIP_TAGS).


def test_a_feed_body_reads_like_the_same_html_body() -> None:
    body = (
        "<p><b>Headline</b></p><p>…sub…</p><p>Body.</p><template><p>Hidden template text</p>"
        "</template><iframe>Iframe fallback</iframe>"
    )
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Import AI 406: x</title>'
        f"<description>{escaped}</description></item></channel></rss>"
    ).encode()
    html = f"<p>Import AI 406: x</p><p>by</p>{body}".encode()
    from_html, from_feed = texts_of(issues_of(html)), texts_of(issues_of(feed))
    assert "Hidden template text" not in from_html and "Iframe fallback" not in from_html
    assert "Hidden template text" not in from_feed, from_feed
    assert "Iframe fallback" not in from_feed, from_feed


# -- time that grows faster than the input -------------------------------------------------------
# Each case is a few hundred kilobytes the fixed code reads in about a second, and that took
# hours before (the cost was quadratic or cubic in one line's length). Each runs in a fresh
# interpreter with a generous timeout: a hang guard, not a timing assertion.
# - splitter: the closing-ellipsis test searched "(…|\.{2,})[\s.…]*$" (cubic on a run of dots),
#   and stripping ellipses searched "[\s.…_*]+$" (quadratic); both are now loops from the end.
# - readers.detect: the Markdown link sign "\[[^\]\n]+\]\(" scanned the rest of the line from
#   every "[" of a run of them; its label and target now stop at the next "[".
# - the HTML tree builder's time grows with the square of the depth (80,000 nested <div>:
#   13 s): readers.nesting caps the depth at 512 before lexbor parses (see test_nesting.py).
LINEAR_CASES = {
    "a subtitle of dots": (
        "parse_bytes",
        "'Import AI 5: x\\n\\nby\\n\\nHead\\n…' + '.' * 50_000 + 'x\\n\\nBody.\\n'",
    ),
    "a subtitle ending in dots and spaces": (
        "parse_bytes",
        "'Import AI 5: x\\n\\nby\\n\\nHead\\n…x' + '. ' * 200_000 + 'x\\n\\nBody.\\n'",
    ),
    "format detection on a line of '['": ("detect", "'**a** see ](\\n\\n' + '[' * 400_000"),
    "format detection on '[a](/' without a space": ("detect", "'**a**\\n\\n' + '[a](/' * 100_000"),
    "HTML nested a million deep": ("parse_bytes", "'<p>Import AI 5: x</p>' + '<div>' * 1_000_000"),
}
LINEAR_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError, detect
call, text = sys.argv[2], eval(sys.argv[3])
try:
    parse_bytes(text.encode()) if call == "parse_bytes" else detect(text)
except ReadError:
    pass
print("done")
"""


@pytest.mark.parametrize("case", list(LINEAR_CASES))
def test_one_long_line_is_read_in_linear_time(case: str) -> None:
    call, text = LINEAR_CASES[case]
    root = str(Path(__file__).resolve().parents[2])
    try:
        proc = subprocess.run(
            [sys.executable, "-c", LINEAR_PROBE, root, call, text],
            capture_output=True,
            text=True,
            timeout=600,  # a hang guard: the fixed code needs seconds, the old one hours
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: still reading after 10 minutes")
    assert proc.stdout.strip() == "done", proc.stderr[-2000:]
