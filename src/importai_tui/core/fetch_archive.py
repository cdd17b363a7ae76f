"""Walk the back catalogue through Substack's public archive API.

The listing (``/api/v1/archive?sort=new&offset=N&limit=M``) is paged until an empty page;
every post whose issue the library lacks (or holds only as plain text or Markdown) is then
fetched (``/api/v1/posts/SLUG``) by a few workers, each waiting a polite delay before a
request. Each post's ``body_html`` is stored as a small web page with its title, date and
canonical URL, so the web page reader knows them. Posts already seen are skipped without a
request, so a walk that stopped (ctrl+c, the stop event, a network failure) resumes where it
was; what was stored is kept. Parsing runs in the workers; every write happens in the
calling thread.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from importai_tui.core import patterns as P
from importai_tui.core.collection import Collection
from importai_tui.core.fetch import (
    FetchContentError,
    FetchError,
    FetchSummary,
    Progress,
    State,
    Stopped,
)
from importai_tui.core.fetch_http import IN_FLIGHT, Http, Workers
from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import FORMAT_RANK, ReadError
from importai_tui.core.sanitize import clean_line

PAGE = 50  # posts asked for per listing page (the server may send fewer)
MAX_PAGES = 500  # a listing that never ends is a server bug, not a newsletter
_RICH = max(FORMAT_RANK.values())


@dataclass(frozen=True)
class Post:
    """One entry of the archive listing."""

    slug: str
    title: str
    date: str
    url: str


@dataclass(frozen=True)
class _Fetched:
    """A post downloaded and parsed by a worker: the page to store, or why there is none."""

    page: bytes | None
    issue_id: str = ""


def walk_archive(
    coll: Collection,
    base: str,
    *,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
) -> FetchSummary:
    """Add every issue of the archive at ``base`` that the library lacks."""
    base = base.rstrip("/")
    summary = FetchSummary()
    report = progress or (lambda done, total, what: None)
    state = State(coll)
    seen = state.posts(base)
    before = dict(seen)
    try:
        with Http() as http, Workers(http, IN_FLIGHT, stop) as workers:
            walk = _Walk(coll, base, http, workers)
            posts = walk.listing(report)
            todo = [p for p in posts if not walk.known(p, seen)]
            walk.download(todo, seen, summary, report)
    except (Stopped, KeyboardInterrupt):
        summary.stopped = True
    finally:
        if seen != before:
            state.set_posts(base, seen)
    return summary


class _Walk:
    """One walk of one archive: the listing, then the posts."""

    def __init__(self, coll: Collection, base: str, http: Http, workers: Workers) -> None:
        self.coll, self.base, self.http, self.workers = coll, base, http, workers
        rows = coll.library.rows()
        self.ids = {r.id for r in rows}
        self.by_number = {r.number: r.id for r in rows if r.number is not None}
        self.by_url = {r.url.rstrip("/"): r.id for r in rows if r.url}

    def get_json(self, url: str, pause: bool) -> Any:
        """GET ``url`` as JSON (in a worker), after the polite delay if ``pause``."""
        if pause and self.http.halt.wait(self.http.settings.delay):
            raise Stopped()
        body = self.http.get(url).body
        try:
            return json.loads(body)
        except ValueError:
            raise FetchContentError(url, "not JSON (is this a Substack site?)") from None

    # -- the listing ----------------------------------------------------------------------
    def listing(self, report: Progress) -> list[Post]:
        """Every post of the archive, newest first."""
        posts: list[Post] = []
        slugs: set[str] = set()
        offset = 0
        for page in range(MAX_PAGES):
            url = f"{self.base}/api/v1/archive?sort=new&offset={offset}&limit={PAGE}"
            data = self.workers.result(self.workers.submit(self.get_json, url, page > 0))
            if isinstance(data, dict) and isinstance(data.get("posts"), list):
                data = data["posts"]
            if not isinstance(data, list):
                raise FetchContentError(url, "not an archive listing (no list of posts)")
            fresh = [p for p in map(_post, data) if p is not None and p.slug not in slugs]
            if not fresh:
                break  # an empty page ends the listing, as does one that repeats itself
            posts.extend(fresh)
            slugs.update(p.slug for p in fresh)
            offset += len(data)
            report(len(posts), None, f"listing the archive: {len(posts)} posts")
        return posts

    def known(self, post: Post, seen: dict[str, str]) -> bool:
        """Whether the library already has this post's issue in its richest form."""
        remembered = seen.get(post.slug)
        if remembered == "" or (remembered and remembered in self.ids):
            return True  # '': fetched before and it held no issue
        m = P.TITLE.match(post.title)
        issue_id = self.by_number.get(int(m.group("number"))) if m else None
        if issue_id is None and post.url:
            issue_id = self.by_url.get(post.url.rstrip("/"))
        if issue_id is None:
            return False
        # an issue read from plain text or Markdown is worth fetching again as HTML
        issue = self.coll.library.get(issue_id)
        return issue is not None and FORMAT_RANK.get(issue.format, 0) >= _RICH

    # -- the posts ------------------------------------------------------------------------
    def fetch_post(self, post: Post) -> _Fetched:
        """Download and parse one post (in a worker)."""
        url = f"{self.base}/api/v1/posts/{quote(post.slug, safe='')}"
        data = self.get_json(url, True)
        if not isinstance(data, dict):
            raise FetchContentError(url, "not a post (expected a JSON object)")
        body = data.get("body_html")
        if not isinstance(body, str) or not body.strip():
            return _Fetched(None)  # paid-only or empty: nothing to read
        page = _page(
            _text(data.get("title")) or post.title,
            _text(data.get("post_date")) or post.date,
            _text(data.get("canonical_url")) or post.url or f"{self.base}/p/{post.slug}",
            body,
        )
        try:
            issues = parse_bytes(page)
        except ReadError:
            return _Fetched(None)
        return _Fetched(page, issues[0].id)

    def download(
        self,
        todo: list[Post],
        seen: dict[str, str],
        summary: FetchSummary,
        report: Progress,
    ) -> None:
        """Fetch the posts (a few at a time) and store them in listing order."""
        jobs = [self.workers.submit(self.fetch_post, post) for post in todo]
        for done, (post, job) in enumerate(zip(todo, jobs, strict=True), start=1):
            try:
                got = self.workers.result(job)
            except FetchError as exc:
                if isinstance(exc, FetchContentError) or (exc.status or 500) < 500:
                    summary.skipped += 1  # this post only: the others may be fine
                    summary.problems.append(str(exc))
                    report(done, len(todo), f"skipped {post.slug}: {exc.reason}")
                    continue
                raise
            if got.page is None:
                seen[post.slug] = ""
                report(done, len(todo), f"not an issue: {post.title or post.slug}")
                continue
            name = post.url or f"{self.base}/p/{post.slug}"
            outcome = self.coll.add_bytes(got.page, name)
            if not outcome.ok:
                raise FetchError(name, f"could not store it: {outcome.detail}")
            summary.count(outcome)
            seen[post.slug] = got.issue_id
            report(done, len(todo), ", ".join(outcome.issues))


def _post(raw: Any) -> Post | None:
    if not isinstance(raw, dict):
        return None
    slug = _text(raw.get("slug"))
    if not slug:
        return None
    return Post(
        slug,
        _text(raw.get("title")),
        _text(raw.get("post_date")),
        _text(raw.get("canonical_url")),
    )


def _text(value: Any) -> str:
    return clean_line(value) if isinstance(value, str) else ""


def _page(title: str, date: str, url: str, body: str) -> bytes:
    """A post body as a minimal web page whose title, date and link the web page reader reads."""
    e = html.escape
    head = [
        '<meta charset="utf-8">',
        f"<title>{e(title)}</title>" if title else "",
        f'<link rel="canonical" href="{e(url)}">' if url else "",
        f'<meta property="article:published_time" content="{e(date)}">' if date else "",
    ]
    heading = f'<h1 class="post-title">{e(title)}</h1>\n' if title else ""
    return (
        "<!DOCTYPE html>\n<html><head>"
        + "".join(head)
        + f'</head>\n<body><article>\n{heading}<div class="body markup">\n{body}\n</div>\n'
        + "</article></body></html>\n"
    ).encode("utf-8")
