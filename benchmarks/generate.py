"""Synthetic archives of N issues, made from the bundled corpus, for the benchmarks.

The corpus (assets/issues/) is parsed with the project's own parser into stories and Tech
Tales; issue n of a synthetic archive draws its stories from anywhere in the corpus,
swaps a few words of every paragraph (and now and then of a headline) for words taken from
the corpus's own vocabulary, and is numbered n, counting from 1. The same seed always gives
the same bytes. Archives are written as plain-text captures (``per_file`` issues a file)
and as one RSS feed whose items carry the bodies in HTML (``content:encoded``).

    python benchmarks/generate.py 1000 OUT_DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from importai_tui.core.model import Block, Section
from importai_tui.core.parse import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "assets" / "issues"
PER_FILE = 100
SEED = 7
MAX_NUMBER = 9999  # the parser reads issue numbers of up to four digits
WORD = re.compile(r"[A-Za-z]{4,14}")
# words that would change how the splitter reads a line, if swapped in
RESERVED = {"import", "tech", "tales", "thanks", "welcome", "subscribe", "read", "things"}


@dataclass(frozen=True)
class Story:
    """One section of the corpus, as neutral paragraphs."""

    kind: str
    headline: str
    subtitle: str
    paragraphs: tuple[tuple[str, int], ...]  # (text, list depth; 0 for a paragraph)


@dataclass(frozen=True)
class SynthIssue:
    """One synthetic issue: its number, title and stories (Tech Tale last, if any)."""

    number: int
    title: str
    date: dt.date
    stories: tuple[Story, ...]


def load_corpus(corpus: Path = CORPUS) -> tuple[list[Story], list[Story], list[str]]:
    """Stories, Tech Tales and the vocabulary (sorted, deduplicated) of the corpus."""
    stories: list[Story] = []
    tales: list[Story] = []
    for path in sorted(corpus.iterdir()):
        for issue in parse_bytes(path.read_bytes()):
            for section in issue.sections:
                story = _story(section)
                if story.paragraphs:
                    (tales if story.kind == "tech_tale" else stories).append(story)
    words = {
        w.lower() for s in stories + tales for text, _ in s.paragraphs for w in WORD.findall(text)
    }
    return stories, tales, sorted(words - RESERVED)


def _story(section: Section) -> Story:
    paragraphs = tuple((_plain(b), b.depth if b.kind == "list_item" else 0) for b in section.blocks)
    return Story(
        section.kind,
        section.headline,
        section.subtitle or "",
        tuple(p for p in paragraphs if p[0].strip()),
    )


def _plain(block: Block) -> str:
    return " ".join("".join(i.text for i in block.inlines).split())


def _vary(text: str, rng: random.Random, vocab: list[str], swaps: int) -> str:
    """``text`` with up to ``swaps`` of its longer words replaced by corpus words."""
    spots = [m for m in WORD.finditer(text) if m.group().lower() not in RESERVED]
    if not spots:
        return text
    chosen = sorted(rng.sample(spots, min(swaps, len(spots))), key=lambda m: m.start())
    out, pos = [], 0
    for m in chosen:
        word = rng.choice(vocab)
        if m.group()[0].isupper():
            word = word.capitalize()
        out += [text[pos : m.start()], word]
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def first_number(n: int) -> int:
    """Where numbering starts: 1, or lower for N = 10,000 (titles carry at most 4 digits)."""
    return min(1, MAX_NUMBER + 1 - n)


def issues(n: int, seed: int = SEED, corpus: Path = CORPUS) -> list[SynthIssue]:
    """``n`` synthetic issues numbered from ``first_number(n)``, the same for the same seed."""
    stories, tales, vocab = load_corpus(corpus)
    rng = random.Random(seed)
    start = dt.date(2016, 1, 1)
    made = []
    for number in range(first_number(n), first_number(n) + n):
        picked = rng.sample(stories, rng.randint(5, min(9, len(stories))))
        if tales and rng.random() < 0.8:
            picked.append(rng.choice(tales))
        varied = tuple(
            Story(
                s.kind,
                _vary(s.headline, rng, vocab, 1) if rng.random() < 0.5 else s.headline,
                _vary(s.subtitle, rng, vocab, 1),
                tuple((_vary(t, rng, vocab, 3), d) for t, d in s.paragraphs),
            )
            for s in picked
        )
        heads = [s.headline.rstrip(":").strip() for s in varied if s.kind == "story"]
        title = f"Import AI {number}: " + "; ".join(h[:50] for h in heads[:3])
        made.append(SynthIssue(number, title, start + dt.timedelta(days=7 * number), varied))
    return made


# -- plain text ---------------------------------------------------------------------------
def issue_text(issue: SynthIssue) -> str:
    """An issue as the newsletter's plain-text web capture."""
    lines = [
        issue.title,
        "",
        "by",
        "",
        "Welcome to Import AI, a newsletter about AI research.",
        "",
        "Subscribe now",
        "",
    ]
    for i, story in enumerate(issue.stories):
        if i:
            lines += ["***", ""]
        if story.kind == "tech_tale":
            lines += ["Tech Tales:", "", story.headline, ""]
        else:
            lines.append(f"{story.headline.rstrip(':')}:")
            if story.subtitle:
                lines.append(f"…{story.subtitle}…")
        for text, depth in story.paragraphs:
            lines.append(f"{'  ' * depth}• {text}" if depth else text)
            lines.append("")
    lines += ["Thanks for reading!", "", ""]
    return "\n".join(lines)


# -- RSS ----------------------------------------------------------------------------------
def issue_html(issue: SynthIssue) -> str:
    """An issue's body as Substack's HTML."""
    e = html.escape
    parts = ["<p>Welcome to Import AI, a newsletter about AI research.</p>"]
    for i, story in enumerate(issue.stories):
        if i:
            parts.append("<p>***</p>")
        if story.kind == "tech_tale":
            parts.append(
                f"<p><strong>Tech Tales:</strong></p><p><strong>{e(story.headline)}</strong></p>"
            )
        else:
            sub = f"<em>…{e(story.subtitle)}…</em>" if story.subtitle else ""
            parts.append(f"<p><strong>{e(story.headline.rstrip(':'))}:<br></strong>{sub}</p>")
        items: list[str] = []
        for text, depth in story.paragraphs:
            if depth:
                items.append(f"<li><p>{e(text)}</p></li>")
                continue
            if items:
                parts.append("<ul>" + "".join(items) + "</ul>")
                items = []
            parts.append(f"<p>{e(text)}</p>")
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
    parts.append("<p>Thanks for reading!</p>")
    return "".join(parts)


def feed_xml(made: list[SynthIssue]) -> str:
    """An RSS 2.0 feed with one item per issue, bodies in ``content:encoded``."""
    items = []
    for issue in reversed(made):
        url = f"https://importai.substack.com/p/import-ai-{issue.number}"
        when = dt.datetime.combine(issue.date, dt.time(12), dt.UTC)
        items.append(
            "<item>"
            f"<title>{html.escape(issue.title)}</title>"
            f"<link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
            f"<content:encoded><![CDATA[{issue_html(issue)}]]></content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Import AI</title><link>https://importai.substack.com</link>"
        "<description>synthetic</description>" + "".join(items) + "</channel></rss>\n"
    )


def write_archive(
    n: int, out: Path, *, seed: int = SEED, per_file: int = PER_FILE, feed: bool = True
) -> list[Path]:
    """Write ``n`` issues as text archives under ``out/text`` (and ``out/feed.xml``);
    return the text files."""
    made = issues(n, seed)
    text_dir = out / "text"
    text_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for first in range(0, n, per_file):
        chunk = made[first : first + per_file]
        path = text_dir / f"archive-{first + 1:05d}-{first + len(chunk):05d}.txt"
        path.write_text("\n".join(issue_text(i) for i in chunk), encoding="utf-8")
        files.append(path)
    if feed:
        (out / "feed.xml").write_text(feed_xml(made), encoding="utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issues", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-file", type=int, default=PER_FILE)
    args = parser.parse_args(argv)
    files = write_archive(args.issues, args.out, seed=args.seed, per_file=args.per_file)
    print(f"{args.issues} issues in {len(files)} text files and {args.out / 'feed.xml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
