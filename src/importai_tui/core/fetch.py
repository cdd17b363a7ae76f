"""Download new issues: the newsletter's feed here, the back catalogue in ``fetch_archive``.

Each feed item is stored as its own source (a one-item feed: the original item's bytes in
the original feed's envelope), so one issue is one source, and fetching an unchanged item
again finds it already in the library. The whole feed is checked before anything is stored:
a feed that is cut off, not a feed, or holds no issue changes nothing.

The functions may run in a worker thread while another thread reads the library through the
same :class:`Collection`; every write happens in the calling thread.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from importai_tui.core.atomic import write_atomic
from importai_tui.core.collection import AddOutcome, Collection
from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError, decode, detect
from importai_tui.core.sanitize import clean_line
from importai_tui.core.sources import digest
from importai_tui.core.storage_errors import StorageError, os_reason

DEFAULT_FEED = "https://importai.substack.com/feed"
STATE_FILE = "fetch.json"  # in the data dir: validators per feed, posts seen per archive

Progress = Callable[[int, int | None, str], None]  # (done, total or None, what)


@dataclass
class FetchSummary:
    """What a fetch did."""

    new: int = 0  # issues added
    updated: int = 0  # issues changed by a richer/newer copy
    unchanged: int = 0  # issues already in the library as they are
    not_modified: bool = False  # the server answered 304
    stopped: bool = False  # interrupted (ctrl+c / stop event); what was done is kept
    skipped: int = 0  # archive posts the server refused (4xx) or sent broken; tried again next time
    problems: list[str] = field(default_factory=list)  # one line per skipped post: URL: reason

    def count(self, outcome: AddOutcome) -> None:
        """Add one stored source's outcome to the totals."""
        n = max(1, len(outcome.issues))
        if outcome.status == "added":
            self.new += n
        elif outcome.status == "updated":
            self.updated += n
        else:
            self.unchanged += n

    def merge(self, other: FetchSummary) -> None:
        """Add another fetch's totals to these (the feed, then the archive)."""
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped
        self.problems.extend(other.problems)
        self.stopped = self.stopped or other.stopped


class FetchError(Exception):
    """One line naming the URL and the reason."""

    def __init__(self, url: str, reason: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status  # the HTTP status, when the server answered with an error


class FetchContentError(FetchError):
    """The server answered, but with something that is not what was asked for."""


class Stopped(Exception):
    """The stop event was set (the caller sees ``FetchSummary.stopped``)."""


def fetch_feed(
    coll: Collection,
    url: str = DEFAULT_FEED,
    *,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> FetchSummary:
    """Download the feed at ``url`` and add every issue in it; raise FetchError on failure."""
    from importai_tui.core.fetch_http import Http, Workers  # httpx: only when fetching

    summary = FetchSummary()
    report = progress or _quiet
    state = State(coll)
    report(0, None, f"downloading {url}")
    try:
        with Http() as http, Workers(http, 1, stop) as worker:
            # in a worker, so that the stop event is seen even while the server is silent
            response = worker.result(worker.submit(http.get, url, state.validators(url)))
        if response.status == 304:
            summary.not_modified = True
            return summary
        plan = _checked_items(coll, url, response.body)
        for done, (name, data) in enumerate(plan, start=1):
            if stop is not None and stop.is_set():
                raise Stopped()
            outcome = coll.add_bytes(data, name)
            if not outcome.ok:
                raise FetchError(url, f"could not store {name}: {outcome.detail}")
            summary.count(outcome)
            report(done, len(plan), ", ".join(outcome.issues))
    except (Stopped, KeyboardInterrupt):
        summary.stopped = True
        return summary
    # only now: a fetch that failed or stopped half-way must not be answered 304 next time
    state.set_validators(url, response.headers.get("etag"), response.headers.get("last-modified"))
    return summary


def fetch_archive(
    coll: Collection,
    base: str,
    *,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> FetchSummary:
    """Walk Substack's archive API at ``base`` (the site root) and add every issue missing."""
    from importai_tui.core.fetch_archive import walk_archive

    return walk_archive(coll, base, progress=progress, stop=stop)


def _quiet(done: int, total: int | None, what: str) -> None:
    """A progress callback that shows nothing."""


def _checked_items(coll: Collection, url: str, body: bytes) -> list[tuple[str, bytes]]:
    """The feed's items worth storing, each checked to hold an issue; nothing is stored yet."""
    try:
        text = decode(body)
    except ReadError as exc:
        reason = str(exc).replace("the file", "the response")
        raise FetchContentError(url, f"not a feed: {reason}") from None
    fmt = detect(text)
    if fmt != "feed":
        what = "an HTML page" if fmt in ("webpage", "html") else "not RSS or Atom XML"
        raise FetchContentError(url, f"not a feed ({what})")
    items = split_feed(url, body)
    plan: list[tuple[str, bytes]] = []
    for index, item in enumerate(items, start=1):
        name = f"{url}#item-{index}"
        if coll.library.issues_of_source(digest(item)):
            plan.append((name, item))  # stored before: add_bytes counts it as unchanged
            continue
        try:
            issues = parse_bytes(item)
        except ReadError:
            continue  # a post that is not an issue ("taking a short break")
        plan.append((issues[0].url or name, item))
    if not plan:
        raise FetchContentError(url, f"holds no Import AI issue ({len(items)} items)")
    return plan


# -- one source per item ------------------------------------------------------------------
_ITEMS = {"item", "entry"}
_CONTAINERS = {"channel", "feed", "RDF"}


def split_feed(url: str, body: bytes) -> list[bytes]:
    """Each item of an RSS/Atom feed as a one-item feed of its own, byte for byte.

    The item keeps its original bytes, wrapped in what stands before it in the original
    document (XML declaration, root and channel start tags, with their namespaces) and the
    matching end tags, so every reader sees it as it appeared in the feed.
    """
    parser = expat.ParserCreate()
    stack: list[tuple[str, int]] = []  # (tag name, byte offset of its start tag)
    spans: list[tuple[int, int, list[tuple[str, int]]]] = []
    item_start: list[int] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        at = parser.CurrentByteIndex
        local = name.rpartition(":")[2]
        parent = stack[-1][0].rpartition(":")[2] if stack else ""
        if local in _ITEMS and parent in _CONTAINERS and not item_start:
            item_start.append(at)
        stack.append((name, at))

    def end(name: str) -> None:
        _, at = stack.pop()
        if item_start and item_start[0] == at:
            close = _tag_end(body, parser.CurrentByteIndex)
            spans.append((at, close, list(stack)))
            item_start.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        raise FetchContentError(url, _xml_reason(exc)) from None
    docs = []
    for at, close, ancestors in spans:
        opening = b"".join(body[a : _tag_end(body, a)] for _, a in ancestors)
        prolog = body[: ancestors[0][1]] if ancestors else b""
        closing = b"".join(f"</{name}>".encode() for name, _ in reversed(ancestors))
        docs.append(prolog + opening + body[at:close] + closing + b"\n")
    if not docs:
        raise FetchContentError(url, "the feed has no items")
    return docs


def _tag_end(body: bytes, at: int) -> int:
    """The offset just past the start tag that begins at ``at`` (quotes may hold '>')."""
    quote = 0
    for i in range(at, len(body)):
        c = body[i]
        if quote:
            quote = 0 if c == quote else quote
        elif c in b"\"'":
            quote = c
        elif c == ord(">"):
            return i + 1
    return len(body)


def _xml_reason(exc: expat.ExpatError) -> str:
    message = expat.ErrorString(exc.code) if exc.code else str(exc)
    if message in _CUT_OFF:
        return f"the feed is cut off (the XML ends early: {message})"
    return f"not well-formed XML ({message} at line {exc.lineno}, column {exc.offset})"


# what expat says only when the document ends before it is complete
_CUT_OFF = {
    expat.errors.XML_ERROR_NO_ELEMENTS,
    expat.errors.XML_ERROR_UNCLOSED_TOKEN,
    expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    expat.errors.XML_ERROR_PARTIAL_CHAR,
}


# -- what is remembered between fetches ---------------------------------------------------
@dataclass
class State:
    """ETag/Last-Modified per feed URL and the posts seen per archive, in the data dir."""

    coll: Collection
    path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.path = self.coll.sources.root.parent / STATE_FILE

    def load(self) -> dict[str, Any]:
        """The whole state; an unreadable file counts as empty (it is only a cache)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _update(self, section: str, key: str, value: dict[str, str]) -> None:
        # re-read first: the reader and the CLI may both fetch, and each keeps the other's
        data = self.load()
        part = data.get(section)
        if not isinstance(part, dict):
            part = data[section] = {}
        part[key] = value
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, text.encode("utf-8"))
        except OSError as exc:  # the issues are stored: only what to ask for next time is not
            raise StorageError(
                f"{self.path}: not saved: {os_reason(exc)}; the issues fetched are stored"
            ) from exc

    def validators(self, url: str) -> dict[str, str]:
        """The conditional-request headers for ``url`` (empty the first time)."""
        entry = self.load().get("feeds", {}).get(url, {})
        headers = {}
        if isinstance(entry, dict):
            if isinstance(entry.get("etag"), str):
                headers["If-None-Match"] = entry["etag"]
            if isinstance(entry.get("last_modified"), str):
                headers["If-Modified-Since"] = entry["last_modified"]
        return headers

    def set_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Remember the validators of the response whose issues were all stored."""
        value = {"etag": etag, "last_modified": last_modified}
        self._update("feeds", url, {k: clean_line(v) for k, v in value.items() if v})

    def posts(self, base: str) -> dict[str, str]:
        """slug → issue id ('' for a post that holds no issue) for the archive at ``base``."""
        entry = self.load().get("archives", {}).get(base, {})
        if not isinstance(entry, dict):
            return {}
        return {k: v for k, v in entry.items() if isinstance(v, str)}

    def set_posts(self, base: str, posts: dict[str, str]) -> None:
        """Remember the archive posts seen so far."""
        self._update("archives", base, posts)
