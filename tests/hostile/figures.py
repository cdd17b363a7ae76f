"""Parse-time figures: how time grows with input size, for real content and hostile shapes.

Timings are printed and recorded, never asserted (ARCHITECTURE.md, rule 12). Realistic
inputs are real issues (the shared corpus and the test fixtures) repeated, with their
titles renumbered, up to the wanted size, in each format.
"""

from __future__ import annotations

import contextlib
import gc
import re
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = ROOT / "assets" / "issues"
FIXTURES = ROOT / "tests" / "fixtures"
MB = 1_000_000
SIZES_MB = (1, 2, 4, 8, 10)


def _fill(unit: Callable[[int], str], size: int) -> str:
    """Repeat ``unit(n)`` (n = 1, 2, ...) until ``size`` characters are reached."""
    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        part = unit(n)
        parts.append(part)
        total += len(part.encode())
    return "".join(parts)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _text(size: int) -> str:
    archive = _read(CORPUS / "text-archive-386-395.txt")
    return _fill(lambda n: re.sub(r"(?m)^Import AI \d+:", f"Import AI {n % 9000}:", archive), size)


def _html(size: int) -> str:
    body = _read(CORPUS / "substack-body-stow-robots.html")
    return _fill(
        lambda n: f"<p><strong>Import AI {n % 9000}: robots</strong></p><p>by</p>{body}", size
    )


def _markdown(size: int) -> str:
    clip = _read(FIXTURES / "markdown" / "import-ai-394-clipper.md")
    body = clip.split("\n---\n", 1)[1]
    return _fill(lambda n: f"**Import AI {n % 9000}: clipped**\n\nby\n\n{body}\n\n", size)


def _rss(size: int) -> str:
    feed = _read(FIXTURES / "feeds" / "substack-rss.xml")
    head, _, _ = feed.partition("<item>")
    items = re.findall(r"<item>.*?</item>", feed, re.S)
    body = _fill(
        lambda n: re.sub(r"Import AI \d+", f"Import AI {n % 9000}", items[1 + n % 2]), size
    )
    return f"{head}{body}</channel></rss>"


def _atom(size: int) -> str:
    feed = _read(FIXTURES / "feeds" / "atom.xml")
    head, _, _ = feed.partition("<entry>")
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    body = _fill(lambda n: re.sub(r"Import AI \d+", f"Import AI {n % 9000}", entries[n % 2]), size)
    return f"{head}{body}</feed>"


def _webpage(size: int) -> str:
    page = _read(FIXTURES / "webpages" / "wordpress-post-page.html")
    at = page.index('<div class="entry-content">') + len('<div class="entry-content">')
    end = page.rindex("</div>", at, page.index("<!-- .entry-content -->"))  # its own end tag
    inner = page[at:end]
    body = _fill(lambda n: f"<p>Import AI {n % 9000}: page</p><p>by</p>{inner}", size)
    return page[:at] + body + page[end:]


REALISTIC: dict[str, Callable[[int], str]] = {
    "text": _text,
    "html": _html,
    "markdown": _markdown,
    "rss": _rss,
    "atom": _atom,
    "webpage": _webpage,
}

_MD_HEAD = "**Import AI 5: x**\n\nby\n\n**Head**\n\n_…sub…_\n\n"
_HTML_HEAD = "<p>Import AI 5: x</p><p>by</p><p><b>Head</b></p><p>…sub…</p>"
# Hostile shapes, by a count n: each should cost time proportional to its size.
PATHOLOGICAL: dict[str, tuple[Callable[[int], bytes], tuple[int, ...]]] = {
    "markdown, a line of n '['": (
        lambda n: (_MD_HEAD + "[" * n + "\n").encode(),
        (5_000, 10_000, 20_000, 40_000),
    ),
    "markdown, n '[a](' in a line": (
        lambda n: (_MD_HEAD + "[a](" * n + "\n").encode(),
        (5_000, 10_000, 20_000, 40_000),
    ),
    "HTML, lists nested n deep, text at each level": (
        lambda n: (_HTML_HEAD + "<ul><li>x" * n).encode(),
        (500, 1_000, 2_000, 4_000),
    ),
    "HTML, n nested <div>": (
        lambda n: (_HTML_HEAD + "<div>" * n + "<p>x</p>" + "</div>" * n).encode(),
        (10_000, 20_000, 40_000, 80_000),
    ),
    "markdown, n '[a](/' in a line after a link sign": (
        lambda n: (_MD_HEAD + "[x](/y)\n\n" + "[a](/" * n + "\n").encode(),
        (5_000, 10_000, 20_000, 40_000),
    ),
    "text, a subtitle of n dots": (
        lambda n: ("Import AI 1: x\n\nby\n\nHead\n…" + "." * n + "x\n\nBody.\n").encode(),
        (50_000, 100_000, 200_000, 400_000),
    ),
    "text, one line of n words": (
        lambda n: ("Import AI 1: x\n\nby\n\nHead\n…sub…\n" + "word " * n + "\n").encode(),
        (250_000, 500_000, 1_000_000, 2_000_000),
    ),
}


def parse_seconds(data: bytes) -> tuple[float, str]:
    """Wall time of one ``parse_bytes`` call, and what it returned."""
    gc.collect()
    start = time.perf_counter()
    try:
        issues = parse_bytes(data)
        what = f"{len(issues)} issues"
    except ReadError as exc:
        what = f"rejected: {exc}"
    return time.perf_counter() - start, what


def peak_memory(data: bytes) -> int:
    """Peak Python heap (tracemalloc) while parsing ``data``, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        with contextlib.suppress(ReadError):
            parse_bytes(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def linearity(out: Callable[[str], None]) -> dict[str, list[dict[str, float | str]]]:
    """Time every realistic format at 1/2/4/8/10 MB and every hostile shape at four sizes."""
    table: dict[str, list[dict[str, float | str]]] = {}
    for fmt, build in REALISTIC.items():
        rows: list[dict[str, float | str]] = []
        for mb in SIZES_MB:
            data = build(mb * MB).encode()
            seconds, what = parse_seconds(data)
            base = float(rows[0]["seconds"]) / float(rows[0]["mb"]) if rows else seconds / mb
            row: dict[str, float | str] = {
                "mb": round(len(data) / MB, 2),
                "seconds": round(seconds, 3),
                "per_mb_vs_first": round((seconds / (len(data) / MB)) / base, 2),
                "result": what,
            }
            rows.append(row)
            ratio = row["per_mb_vs_first"]
            out(f"  {fmt:9} {row['mb']:6} MB {row['seconds']:8} s  x{ratio}  {what}")
        table[fmt] = rows
    for name, (build_n, counts) in PATHOLOGICAL.items():
        rows = []
        for n in counts:
            data = build_n(n)
            seconds, what = parse_seconds(data)
            base = float(rows[0]["seconds"]) / float(rows[0]["n"]) if rows else seconds / n
            row = {
                "n": n,
                "bytes": len(data),
                "seconds": round(seconds, 3),
                "per_n_vs_first": round((seconds / n) / base, 2) if base else 0.0,
                "result": what[:60],
            }
            rows.append(row)
            out(f"  {name}: n={n} {row['bytes']} B {row['seconds']} s  x{row['per_n_vs_first']}")
        table[name] = rows
    return table
