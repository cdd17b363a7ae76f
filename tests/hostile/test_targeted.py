"""Inputs chosen, not generated: bad encodings, random bytes, a 10 MB line, 10,000-deep HTML,
script and style. Each parses into issues that keep every invariant or is rejected with the
program's own ReadError, and memory stays bounded: for the 10 MB lines it is measured in a
subprocess, as the growth of its peak resident set (the parsers' C allocations count too);
for the small deep inputs, as the peak of the Python heap.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from importai_tui.core.readers import ReadError

from .checks import parse_checked, texts_of

ROOT = Path(__file__).resolve().parents[2]
MB = 1_000_000
MEMORY_FACTOR = 40  # peak RSS may grow by this many times the input, plus 64 MB
# Measured on 10 MB single lines: text 17x, HTML and web page 19x, feed 23x, Markdown 24x.

PROBE = r"""
import json, sys, traceback
sys.path.insert(0, sys.argv[2])

def hwm():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0

from importai_tui.core.readers import ReadError
from tests.hostile.checks import parse_checked

with open(sys.argv[1], "rb") as fh:
    data = fh.read()
before = hwm()
out = {}
try:
    result = parse_checked(data)
    ok = not isinstance(result, ReadError)
    out["status"] = f"{len(result)} issues" if ok else f"rejected: {result}"
except BaseException as exc:
    out["error"] = "".join(traceback.format_exception(exc))[-4000:]
out["grew"] = hwm() - before
print(json.dumps(out))
"""


def probe(tmp_path: Path, data: bytes) -> dict[str, str | int]:
    """Parse ``data`` in a fresh interpreter; what happened and how much its peak RSS grew."""
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard, not a performance assertion
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result: dict[str, str | int] = json.loads(proc.stdout)
    return result


def assert_parsed_in_bounded_memory(tmp_path: Path, data: bytes) -> None:
    """The property for big inputs: the contract holds and memory stays bounded."""
    result = probe(tmp_path, data)
    assert "error" not in result, result["error"]
    grew = int(result["grew"])
    assert grew <= MEMORY_FACTOR * len(data) + 64 * MB, (
        f"peak RSS grew by {grew / MB:.0f} MB for {len(data) / MB:.2f} MB of input "
        f"({result['status']})"
    )


# -- encodings ------------------------------------------------------------------------------

ISSUE = (
    "Import AI 400: encodings\n\nby\n\nA headline about robots\n…a subtitle…\nBody “quoted” text.\n"
)
ENCODINGS = {
    "lone continuation bytes": ISSUE.encode() + b"\x80\x81\xbf more\n",
    "overlong slash": ISSUE.encode() + b"\xc0\xaf\xe0\x80\xaf\n",
    "encoded surrogate": ISSUE.encode() + b"\xed\xa0\x80\xed\xbf\xbf\n",
    "past U+10FFFF": ISSUE.encode() + b"\xf4\x90\x80\x80\xf8\x88\x80\x80\x80\n",
    "cut in a character": ISSUE.encode() + b"end \xe2\x80",
    "cut in a character, BOM": b"\xef\xbb\xbf" + ISSUE.encode() + b"\xf0\x9f",
    "utf-16 with BOM": ISSUE.encode("utf-16"),
    "utf-16-be without BOM": ISSUE.encode("utf-16-be"),
    "utf-32": ISSUE.encode("utf-32"),
    "cp1252": ISSUE.encode("cp1252"),
    "latin-1": ISSUE.encode("latin-1", "replace"),
    "mixed utf-8 and cp1252": ISSUE.encode() + "Later “paragraph” – pasted…\n".encode("cp1252"),
    "mixed cp1252 then utf-8": "Import AI 401: “mixed”\n\nby\n\n".encode("cp1252")
    + "Headline\n…sub…\nBody – text.\n".encode(),
    "shift-jis": "Import AI 402: 日本語\n\nby\n\n見出し\n…副題…\n本文。\n".encode("shift_jis"),
    "gb18030": "Import AI 403: 中文\n\nby\n\n标题\n…副标题…\n正文。\n".encode("gb18030"),
    "BOM then invalid": b"\xef\xbb\xbf\xff\xfe" + ISSUE.encode(),
    "two BOMs": b"\xef\xbb\xbf\xef\xbb\xbf" + ISSUE.encode(),
    "NUL late in the file": ISSUE.encode() + b"x" * 9000 + b"\x00\n",
    "html declared latin-1, really utf-8": (
        '<meta charset="iso-8859-1"><p>Import AI 404: x</p><p>by</p>'
        "<p><b>Headline</b></p><p>…sub…</p><p>Body – “text”.</p>"
    ).encode(),
    "feed declared utf-8, really cp1252": (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><item>'
        "<title>Import AI 405: “x”</title><description>&lt;p&gt;&lt;b&gt;Headline&lt;/b&gt;"
        "&lt;/p&gt;&lt;p&gt;…sub…&lt;/p&gt;&lt;p&gt;Body.&lt;/p&gt;</description></item>"
        "</channel></rss>"
    ).encode("cp1252"),
    "feed declared utf-16, really utf-8": (
        b'<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><item>'
        b"<title>Import AI 406: x</title><description>x</description></item></channel></rss>"
    ),
}


@pytest.mark.parametrize("case", list(ENCODINGS))
def test_bad_and_mixed_encodings(case: str) -> None:
    parse_checked(ENCODINGS[case])


def test_a_cp1252_paragraph_does_not_lose_the_issue() -> None:
    """One paragraph pasted from a cp1252 file: the issue is still read, whole."""
    issues = parse_checked(ENCODINGS["mixed utf-8 and cp1252"])
    assert not isinstance(issues, ReadError), issues
    assert [i.number for i in issues] == [400]
    assert issues[0].sections[0].headline == "A headline about robots"


# -- random bytes ---------------------------------------------------------------------------

PREFIXES = [b"", b"<?xml version='1.0'?>\n<rss>", b"<!DOCTYPE html>", b"---\ntitle: x\n---\n"]


@pytest.mark.parametrize("size", [1, 7, 100, 4096, 65536, 1_000_000])
@pytest.mark.parametrize("prefix", PREFIXES, ids=["none", "feed", "page", "front-matter"])
def test_random_bytes(size: int, prefix: bytes) -> None:
    data = prefix + random.Random(size).randbytes(size)
    parse_checked(data)


# -- a 10 MB single line --------------------------------------------------------------------

LINE = "Researchers have built a world model that turns any still image into a game; " * 126_000
BIG_LINE = {
    "text": f"Import AI 1: x\n\nby\n\nHeadline\n…sub…\n{LINE}\n",
    "markdown": f"---\ntitle: Import AI 1: x\n---\n**Headline**\n\n_…sub…_\n\n**a** {LINE}\n",
    "html": f"<p>Import AI 1: x</p><p>by</p><p><b>Headline</b></p><p>…sub…</p><p>{LINE}</p>",
    "rss": '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Import AI 1: x'
    "</title><description><![CDATA[<p><b>Headline</b></p><p>…sub…</p><p>"
    f"{LINE}</p>]]></description></item></channel></rss>",
    "webpage": "<!DOCTYPE html><html><head><title>Import AI 1: x</title></head><body><article>"
    f"<p><b>Headline</b></p><p>…sub…</p><p>{LINE}</p></article></body></html>",
}


@pytest.mark.parametrize("fmt", list(BIG_LINE))
def test_a_ten_megabyte_single_line(fmt: str, tmp_path: Path) -> None:
    data = BIG_LINE[fmt].encode()
    assert len(data) > 9.5 * MB
    assert_parsed_in_bounded_memory(tmp_path, data)


# -- 10,000 levels of nesting -----------------------------------------------------------------

DEPTH = 10_000
HTML_HEAD = "<p>Import AI 5: deep</p><p>by</p><p><b>Headline</b></p><p>…sub…</p>"


def _nested(open_: str, close: str, inner: str = "<p>deep text</p>") -> str:
    return HTML_HEAD + open_ * DEPTH + inner + close * DEPTH


DEEP = {
    "div": _nested("<div>", "</div>"),
    "div, never closed": _nested("<div>", ""),
    "blockquote": _nested("<blockquote>", "</blockquote>"),
    "b and i": _nested("<b><i>", "</i></b>"),
    "a": _nested('<a href="https://example.com/">', "</a>"),
    "table": _nested("<table><tr><td>", "</td></tr></table>"),
    "ul, one item at the bottom": _nested("<ul><li>", "</li></ul>"),
    "ul, text at every level": _nested("<ul><li>x", "</li></ul>"),
    "web page, div": "<!DOCTYPE html><html><head><title>Import AI 6: deep</title></head><body>"
    "<article>" + _nested("<div>", "</div>") + "</article></body></html>",
    "feed, escaped div in the item": '<?xml version="1.0"?><rss version="2.0"><channel><item>'
    "<title>Import AI 7: deep</title><description>"
    + _nested("<div>", "</div>").replace("<", "&lt;").replace(">", "&gt;")
    + "</description></item></channel></rss>",
    "feed, XML elements in the item": '<?xml version="1.0"?><rss version="2.0"><channel><item>'
    "<title>Import AI 8: deep</title><description>&lt;p&gt;x&lt;/p&gt;</description>"
    + "<x>" * DEPTH
    + "</x>" * DEPTH
    + "</item></channel></rss>",
    "markdown, blockquotes": "**Import AI 9: deep**\n\nby\n\n**Headline**\n\n_…sub…_\n\n"
    + ">" * DEPTH
    + " deep text\n",
    "markdown, emphasis": "**Import AI 10: deep**\n\nby\n\n**Headline**\n\n_…sub…_\n\n"
    + "*_" * DEPTH
    + "x"
    + "_*" * DEPTH
    + "\n",
    "markdown, brackets": "**Import AI 11: deep**\n\nby\n\n**Headline**\n\n_…sub…_\n\n"
    + "[" * DEPTH
    + "x"
    + "](http://e/)" * DEPTH
    + "\n",
}


@pytest.mark.parametrize("case", list(DEEP))
def test_nested_ten_thousand_deep(case: str) -> None:
    """In-process (the inputs are small): the contract, and a bounded Python heap."""
    data = DEEP[case].encode()
    tracemalloc.start()
    try:
        parse_checked(data)  # includes the amplification rule: text at most 4x the input
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # All these inputs are under 400 kB; today's peaks are 3 to 19 MB (Markdown emphasis).
    assert peak <= 64 * MB, f"peak heap {peak / MB:.0f} MB for {len(data)} bytes of input"


# -- script and style -------------------------------------------------------------------------

EVIL = "Import AI 666: injected"
SCRIPTS = {
    "script": f"<script>document.write('<p>{EVIL}</p>')</script>",
    "script template": f"<script type='text/template'><p><b>{EVIL}</b></p></script>",
    "style": f"<style>/* {EVIL} */ p {{ color: red }}</style>",
    "style in a paragraph": f"<p>Text <style>b::after {{ content: '{EVIL}' }}</style>.</p>",
    "noscript": f"<noscript><p>{EVIL}</p></noscript>",
    "svg script and style": f"<svg><script>{EVIL}</script><style>{EVIL}</style></svg>",
    "math style": f"<math><style>{EVIL}</style></math>",
    "textarea": f"<textarea>{EVIL}</textarea>",
    "script closing tag inside a string": f"<script>var s = '</scr' + 'ipt>{EVIL}';</script>",
    "script with a comment": f"<script><!-- <script>{EVIL}</script> --></script>",
    "upper case": f"<SCRIPT>{EVIL}</SCRIPT><STYLE>{EVIL}</STYLE>",
    "script never closed": f"<script>{EVIL}",
}
BODY = "<p><strong>A headline</strong></p><p>…a subtitle…</p><p>Body text.</p>{}<p>More.</p>"


def _script_documents(snippet: str) -> dict[str, bytes]:
    body = BODY.format(snippet)
    cdata = body.replace("]]>", "]]]]><![CDATA[>")
    return {
        "html": f"<p>Import AI 500: scripts</p><p>by</p>{body}".encode(),
        "webpage": (
            f"<!DOCTYPE html><html><head><title>Import AI 501: scripts</title>{snippet}</head>"
            f"<body>{snippet}<article>{body}</article>{snippet}</body></html>"
        ).encode(),
        "rss": (
            '<?xml version="1.0"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item>'
            "<title>Import AI 502: scripts</title>"
            f"<content:encoded><![CDATA[{cdata}]]></content:encoded></item></channel></rss>"
        ).encode(),
    }


def script_documents(snippet: str) -> dict[str, bytes]:
    """The same body with ``snippet`` in it, as an HTML body, a web page and a feed item."""
    return _script_documents(snippet)


@pytest.mark.parametrize("case", list(SCRIPTS))
def test_script_and_style_never_become_issue_text(case: str) -> None:
    for fmt, data in _script_documents(SCRIPTS[case]).items():
        issues = parse_checked(data)
        if isinstance(issues, ReadError):
            # a <script> never closed swallows the rest of the page: nothing left to read
            assert case == "script never closed" and fmt == "webpage", f"{fmt}: {issues}"
            continue
        text = texts_of(issues)
        assert "injected" not in text, f"{fmt}: script or style content in {text!r}"
        assert "A headline" in text, fmt
