"""XML entities in feeds: never expanded into a flood, never fetched, never read from disk.

Every document goes through the public entry point (``parse_bytes``) and, for feeds, also
straight into the feed reader (``read_feed``): the reader must be safe on its own, not only
because content detection happens to send a document elsewhere.
"""

from __future__ import annotations

import contextlib
import threading
import tracemalloc
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError
from importai_tui.core.readers.feed import read_feed

from .checks import parse_checked, texts_of

SECRET = "SECRETq7XXE-5d1f"
ITEM_BODY = (
    "&lt;p&gt;&lt;b&gt;Headline&lt;/b&gt;&lt;/p&gt;&lt;p&gt;…sub…&lt;/p&gt;&lt;p&gt;{}&lt;/p&gt;"
)


def rss(
    prolog: str, body: str, title: str = "Import AI 400: entities", *, raw: bool = False
) -> bytes:
    """A one-item RSS feed with ``prolog`` (DOCTYPE) and ``body`` in the item's HTML.

    ``raw`` puts ``body`` in the description as it is, outside any markup.
    """
    html = body if raw else ITEM_BODY.format(body)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}\n<rss version="2.0"><channel>'
        f"<title>Import AI</title><item><title>{title}</title>"
        f"<description>{html}</description></item></channel></rss>\n"
    ).encode()


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        type(self).requests.append(self.path)
        payload = f'<!ENTITY xxe "{SECRET}">'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that answers every GET with the secret, and records it."""
    handler = type("Recorder", (_Recorder,), {"requests": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _everything(data: bytes) -> str:
    """What the program makes of ``data`` through both doors: issue text, or the reasons."""
    seen = []
    for reader in (parse_bytes, read_feed):
        try:
            result = reader(data)
        except ReadError as exc:  # FeedError is a ValueError; parse_bytes raises ReadError
            seen.append(str(exc))
            continue
        except ValueError as exc:
            seen.append(str(exc))
            continue
        if reader is parse_bytes:
            seen.append(texts_of(result))  # type: ignore[arg-type]
        else:
            seen += [b.text for doc in result for b in doc.blocks]  # type: ignore[union-attr]
            seen += [str(doc.meta) for doc in result]  # type: ignore[union-attr]
    return "\n".join(seen)


def _peak(reader: object, data: bytes) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(ValueError):  # ReadError and FeedError
            reader(data)  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def external_entity_feeds(secret_file: Path, base: str) -> dict[str, bytes]:
    """Every way we know for a feed to point outside itself."""
    file_url = secret_file.as_uri()
    return {
        "file-entity": rss(f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{file_url}">]>', "&xxe;"),
        "file-entity-multiline": rss(
            f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{file_url}">\n]>', "&xxe;"
        ),
        "http-entity": rss(f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{base}/entity">\n]>', "&xxe;"),
        "http-entity-in-title": rss(
            f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{base}/title">\n]>', "x", "Import AI 1: &xxe;"
        ),
        "parameter-entity": rss(
            f'<!DOCTYPE rss [\n<!ENTITY % remote SYSTEM "{base}/dtd">\n%remote;\n]>', "&xxe;"
        ),
        "external-dtd": rss(f'<!DOCTYPE rss SYSTEM "{base}/external.dtd">', "&xxe;"),
        "public-dtd": rss(f'<!DOCTYPE rss PUBLIC "-//X//DTD X//EN" "{base}/public.dtd">', "&xxe;"),
        "stylesheet-pi": rss(f'<?xml-stylesheet type="text/xsl" href="{base}/style.xsl"?>', "x"),
        "xinclude": rss(
            "",
            f'&lt;xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{file_url}"'
            ' parse="text"/&gt;',
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "file-entity",
        "file-entity-multiline",
        "http-entity",
        "http-entity-in-title",
        "parameter-entity",
        "external-dtd",
        "public-dtd",
        "stylesheet-pi",
        "xinclude",
    ],
)
def test_nothing_is_read_or_fetched_from_inside_a_feed(
    case: str, tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    data = external_entity_feeds(secret_file, base)[case]
    parse_checked(data)  # issues that keep every invariant, or the program's own rejection
    assert SECRET not in _everything(data)
    assert requests == [], f"the document made the program fetch {requests}"


def test_html_and_pages_fetch_nothing(server: tuple[str, list[str]]) -> None:
    base, requests = server
    refs = (
        f'<img src="{base}/img.png"><script src="{base}/s.js"></script>'
        f'<link rel="stylesheet" href="{base}/c.css"><iframe src="{base}/frame"></iframe>'
        f'<object data="{base}/obj"></object><video src="{base}/v.mp4"></video>'
    )
    body = f"<p><strong>Headline</strong></p><p>…sub…</p>{refs}<p>Body text.</p>"
    page = f"<!DOCTYPE html><html><head><title>Import AI 3: x</title>{refs}</head>"
    for data in (
        f"<p>Import AI 2: x</p><p>by</p>{body}",
        f"{page}<body><article>{body}</article></body></html>",
        "---\ntitle: Import AI 4: x\n---\n**Headline**\n\n_…sub…_\n\n"
        f"![i]({base}/i.png) [x]({base})\n",
    ):
        parse_checked(data.encode())
    assert requests == []


def billion_laughs(levels: int = 10) -> str:
    decls = ['<!ENTITY lol0 "lol">']
    decls += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return "<!DOCTYPE rss [\n" + "\n".join(decls) + "\n]>"


def quadratic_blowup(value_size: int) -> str:
    """One big entity without '&' in it (feedparser keeps those as "safe"), used many times."""
    return f'<!DOCTYPE rss [\n<!ENTITY big "{"A" * value_size}">\n]>'


# Bodies outside markup: inside HTML the expanded text also goes through feedparser's
# pure-Python sanitizer, which takes minutes on the same input (a CPU flood as well).
ENTITY_BOMBS = {
    "billion-laughs": rss(billion_laughs(), "&lol9;", raw=True),
    "billion-laughs-one-line": rss(billion_laughs().replace("\n", ""), "&lol9;", raw=True),
    "quadratic-blowup": rss(quadratic_blowup(10_000), "&big;" * 2_000, raw=True),
    "quadratic-blowup-after-an-error": rss(
        quadratic_blowup(10_000), "&nope;" + "&big;" * 2_000, raw=True
    ),
}
BOUND = 64  # peak heap may be this many times the input, plus 16 MB


@pytest.mark.parametrize("case", list(ENTITY_BOMBS))
def test_entities_are_not_expanded_through_parse_bytes(case: str) -> None:
    data = ENTITY_BOMBS[case]
    result = parse_checked(data)
    if not isinstance(result, ReadError):
        assert "lollollollol" not in texts_of(result) and "AAAAAAAAAAAAAAAA" not in texts_of(result)
    assert _peak(parse_bytes, data) < BOUND * len(data) + 16_000_000


@pytest.mark.parametrize("case", list(ENTITY_BOMBS))
def test_the_feed_reader_itself_does_not_expand_entities(case: str) -> None:
    """Today parse_bytes is only safe because detect() misses DOCTYPEs with an internal subset.

    feedparser keeps entities whose value has no '&' ("safe" ones) and, when the strict XML
    parse fails, expands them in pure Python in its loose parser: 25 kB of feed becomes
    tens of MB; 1 MB becomes gigabytes.
    """
    data = ENTITY_BOMBS[case]
    assert _peak(read_feed, data) < BOUND * len(data) + 16_000_000


def test_feed_bytes_are_never_opened_as_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """feedparser.parse(bytes) first tries open(bytes): a short document names a local file."""
    monkeypatch.chdir(tmp_path)
    for name in ("<rss", "  <feed"):
        (tmp_path / name).write_bytes(rss("", SECRET, title="Import AI 999: local file"))
    assert SECRET not in _everything(b"<rss")
    assert SECRET not in _everything(b"  <feed")
