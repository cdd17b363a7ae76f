"""Where a full-text search's words are in a text: the spans the index would match there.

The index holds stems, so a search for 'robot' finds 'robotic'; marking the words equal to
the query's would miss it. FTS5's highlight() over the text alone, in a small in-memory
index with the library's tokenizer, marks what the search matched (a few milliseconds for
the longest section).
"""

from __future__ import annotations

import re
import threading

from importai_tui.core.fulltext import MIN_PREFIX, STEM_SLACK
from importai_tui.core.snippets import TOKENIZE
from importai_tui.core.sqlite import sqlite3

OPEN, CLOSE = "\x02", "\x03"
_MARKED = re.compile(f"{OPEN}[^{CLOSE}]*{CLOSE}")

_lock = threading.Lock()  # pages are built in the reader's worker threads too
_conn: sqlite3.Connection | None = None


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` that a search for ``terms`` matches: any
    form of each term; the last one, from MIN_PREFIX letters, also as a word's start (cut
    short, as the search does, while it starts no word here)."""
    words = [t for t in terms if t]
    if not words or OPEN in text or CLOSE in text:
        return []
    with _lock:
        conn = _connect()
        with conn:  # one in-memory transaction, emptied at the end
            conn.execute("INSERT INTO t(x) VALUES (?)", (text,))
            try:
                marked = _highlighted(conn, words)
            finally:
                conn.execute("DELETE FROM t")
    return _spans(marked) if marked is not None else []


def _highlighted(conn: sqlite3.Connection, words: list[str]) -> str | None:
    *others, last = words
    phrases = [f'"{w}"' for w in others]
    lasts = [f'"{last}"']
    if len(last) >= MIN_PREFIX:
        starts = range(len(last), max(MIN_PREFIX, len(last) - STEM_SLACK) - 1, -1)
        found = (f'"{last[:n]}"*' for n in starts if _has(conn, f'"{last[:n]}"*'))
        lasts = [next(found, f'"{last}"*')]
    row = conn.execute(
        f"SELECT highlight(t, 0, '{OPEN}', '{CLOSE}') FROM t WHERE t MATCH ?",
        (" OR ".join(phrases + lasts),),
    ).fetchone()
    return None if row is None else str(row[0])


def _has(conn: sqlite3.Connection, match: str) -> bool:
    return conn.execute("SELECT 1 FROM t WHERE t MATCH ?", (match,)).fetchone() is not None


def _spans(marked: str) -> list[tuple[int, int]]:
    """The marked spans, in the text without its marks (two a span before each)."""
    return [
        (m.start() - 2 * k, m.end() - 2 * k - 2) for k, m in enumerate(_MARKED.finditer(marked))
    ]


def _connect() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(":memory:", check_same_thread=False)
        _conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, {TOKENIZE})")
    return _conn
