"""A real HTTP server on 127.0.0.1 for the fetch tests: the feed and Substack's archive API.

Everything it serves is built from the corpus: the two Substack post bodies (as Import AI
412 and 405, their titles, dates and links as in the real feed) and the ten issues of the
plain-text archive (386 to 395) turned into simple HTML, plus one post that is not an issue.
A test can replace the answer for any path with a handler of its own, and reads back every
request the server saw (path, query and headers).
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.conftest import CORPUS

from importai_tui.core.patterns import TITLE

SITE = "https://importai.substack.com"
LAST_MODIFIED = format_datetime(dt.datetime(2025, 5, 19, 13, 2, 55, tzinfo=dt.UTC), usegmt=True)
ETAG = '"feed-v1"'


@dataclass(frozen=True)
class Post:
    """One post of the test site."""

    slug: str
    title: str
    date: dt.datetime
    body_html: str

    @property
    def number(self) -> int | None:
        m = TITLE.match(self.title)
        return int(m.group("number")) if m else None

    @property
    def url(self) -> str:
        return f"{SITE}/p/{self.slug}"

    def listing(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "title": self.title,
            "post_date": self.date.isoformat().replace("+00:00", ".000Z"),
            "canonical_url": self.url,
            "type": "newsletter",
        }

    def full(self) -> dict[str, object]:
        return {**self.listing(), "body_html": self.body_html, "subtitle": ""}


def _text_to_html(lines: list[str]) -> str:
    out: list[str] = []
    items: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if text.startswith("•"):
            items.append(f"<li><p>{html.escape(text.lstrip('• '))}</p></li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        out.append(f"<p>{html.escape(text)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


def corpus_posts() -> list[Post]:
    """The test site's posts, newest first."""
    utc = dt.UTC
    posts = [
        Post(
            "import-ai-is-taking-a-short-break",
            "Import AI is taking a short break",
            dt.datetime(2025, 5, 19, 13, 2, 55, tzinfo=utc),
            "<p>Hello all,</p><p>Import AI is going to take a short break for a couple of "
            "weeks. I&#8217;ll be back in June.</p>",
        ),
        Post(
            "import-ai-412-amazons-stow-robot-huaweis",
            "Import AI 412: Amazon's stow robot; Huawei's MoE model; and the limits of "
            "third-party compliance",
            dt.datetime(2025, 5, 12, 12, 31, 40, tzinfo=utc),
            (CORPUS / "substack-body-stow-robots.html").read_text(encoding="utf-8"),
        ),
        Post(
            "import-ai-405-what-if-the-timelines",
            "Import AI 405: What if the timelines are correct?",
            dt.datetime(2025, 3, 17, 12, 3, 47, tzinfo=utc),
            (CORPUS / "substack-body-misalignment-predictions.html").read_text(encoding="utf-8"),
        ),
    ]
    lines = (CORPUS / "text-archive-386-395.txt").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if TITLE.match(line)]
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        title = lines[start].strip()
        number = int(TITLE.match(title).group("number"))  # type: ignore[union-attr]
        # weekly, around the two dates the corpus records (394: 9 Dec, 391: 18 Nov 2024)
        date = dt.datetime(2024, 12, 9, 13, 0, tzinfo=utc) + dt.timedelta(weeks=number - 394)
        posts.append(
            Post(f"import-ai-{number}", title, date, _text_to_html(lines[start + 1 : end]))
        )
    return posts


def rss(posts: list[Post]) -> bytes:
    """An RSS 2.0 feed of ``posts`` shaped like Substack's (bodies in content:encoded)."""
    items = []
    for p in posts:
        body = p.body_html.replace("]]>", "]]]]><![CDATA[>")
        items.append(
            f"<item><title><![CDATA[{p.title}]]></title><link>{p.url}</link>"
            f'<guid isPermaLink="false">{p.url}</guid>'
            f"<dc:creator><![CDATA[Jack Clark]]></dc:creator>"
            f"<pubDate>{format_datetime(p.date, usegmt=True)}</pubDate>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>'
        f"<title><![CDATA[Import AI]]></title><link>{SITE}</link>"
        f"<lastBuildDate>{LAST_MODIFIED}</lastBuildDate>" + "".join(items) + "</channel></rss>"
    ).encode("utf-8")


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names


Route = Callable[["Handler"], None]


@dataclass
class Site:
    """The server's content and what it saw; ``routes`` overrides the answer for a path."""

    posts: list[Post] = field(default_factory=corpus_posts)
    feed_posts: int = 6  # the feed holds the newest few, as Substack's does
    page_cap: int = 5  # the archive API sends at most this many per page, whatever the limit
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    streamed: int = 0  # bytes sent by stream_forever before the client hung up
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def feed_url(self) -> str:
        return f"{self.url}/feed"

    def paths(self, prefix: str = "/") -> list[str]:
        with self.lock:
            return [r.path for r in self.requests if r.path.startswith(prefix)]

    def seen(self, path: str) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def feed(self) -> bytes:
        return rss(self.posts[: self.feed_posts])

    def post(self, slug: str) -> Post | None:
        return next((p for p in self.posts if p.slug == slug), None)


class Handler(BaseHTTPRequestHandler):
    """Serves a :class:`Site`: the feed, the archive listing, the posts."""

    site: Site  # set on the subclass made for each server

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: pytest shows failures, not access logs

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.site.lock:
            self.site.requests.append(Seen(parts.path, query, headers))
        route = self.site.routes.get(parts.path)
        try:
            if route is not None:
                route(self)
            elif parts.path == "/feed":
                self.serve_feed()
            elif parts.path == "/api/v1/archive":
                self.serve_listing(query)
            elif parts.path.startswith("/api/v1/posts/"):
                post = self.site.post(parts.path.rsplit("/", 1)[1])
                if post is None:
                    self.send(404, b'{"error":"Not found"}', "application/json")
                else:
                    self.send_json(post.full())
            else:
                self.send(404, b"not found", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up (a timeout or a size cap): fine

    # -- answers --------------------------------------------------------------------------
    def send(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, data: object) -> None:
        self.send(200, json.dumps(data).encode("utf-8"), "application/json")

    def serve_feed(self, body: bytes | None = None) -> None:
        """The feed, honouring If-None-Match / If-Modified-Since."""
        validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        if (
            self.headers.get("If-None-Match") == ETAG
            or self.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send(200, body or self.site.feed(), "application/rss+xml; charset=utf-8", validators)

    def serve_listing(self, query: dict[str, str]) -> None:
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 12))
        page = self.site.posts[offset : offset + min(limit, self.site.page_cap)]
        self.send_json([p.listing() for p in page])

    # -- misbehaviour ---------------------------------------------------------------------
    def hang(self, seconds: float = 10.0) -> None:
        """Say nothing for ``seconds`` (or until the server closes)."""
        self.site.closing.wait(seconds)

    def gzip_feed(self) -> None:
        body = gzip.compress(self.site.feed())
        self.send(200, body, "application/rss+xml", {"Content-Encoding": "gzip"})

    def stream_forever(self, chunk: int = 64 * 1024, limit: int = 200 * 1024 * 1024) -> None:
        """Send a feed that never ends (no Content-Length) until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        sent = 0
        filler = b"<!-- " + b"x" * (chunk - 10) + b" -->"
        try:
            self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>')
            while sent < limit and not self.site.closing.is_set():
                self.wfile.write(filler)
                sent += len(filler)
        finally:
            self.site.streamed = sent


def serve(site: Site) -> Iterator[Site]:
    """Run ``site`` on 127.0.0.1 (a free port) in a thread until the generator is closed."""
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="fetch-test-server", daemon=True
    )
    thread.start()
    try:
        yield site
    finally:
        site.closing.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
