"""The reader's u: fetch the feed in the background from a real server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from tests.ui_support import main, make_app, wait_until

from importai_tui.ui.widgets.status import UpdateStatus

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Import AI</title><link>http://127.0.0.1/</link>
<item><title>Import AI 9100: Servers answer quickly</title>
<link>http://127.0.0.1/p/import-ai-9100</link>
<pubDate>Mon, 02 Nov 2026 12:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>Welcome to Import AI, a newsletter about AI.</p>
<p><strong>Local servers answer quickly:</strong></p><p><em>…a subtitle for the test…</em></p>
<p>The body of the only story, mentioning Import AI 395.</p>
<p>Read more: <a href="https://example.org/paper">Paper</a></p>
<p>Thanks for reading!</p>]]></content:encoded></item>
</channel></rss>
"""


@pytest.fixture
def feed_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, object]]:
    """Serve ``state["body"]`` with ``state["status"]`` at /feed; IMPORTAI_FEED_URL points there."""
    state: dict[str, object] = {"body": FEED.encode(), "status": 200, "hits": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            state["hits"] = int(state["hits"]) + 1  # type: ignore[call-overload]
            body = state["body"]
            assert isinstance(body, bytes)
            self.send_response(int(state["status"]))  # type: ignore[call-overload]
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("IMPORTAI_FEED_URL", f"http://127.0.0.1:{server.server_port}/feed")
    yield state
    server.shutdown()
    server.server_close()


async def test_u_fetches_new_issues_into_the_open_reader(feed_server: dict[str, object]) -> None:
    app = make_app(start="395")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = main(app)
        before = len(screen.rows)
        await pilot.press("u")
        await wait_until(pilot, lambda: any(r.number == 9100 for r in screen.rows))
        assert len(screen.rows) == before + 1
        assert screen.rows[0].number == 9100  # newest first
        issues = screen.query_one("#issues")
        assert "Servers answer quickly" in str(issues.get_row(screen.rows[0].id).prompt)  # type: ignore[attr-defined]
        assert screen.issue is not None and screen.issue.id == "395"  # still where you were
        await wait_until(pilot, lambda: not screen.updating)
        assert not screen.query_one(UpdateStatus).has_class("-running")
        assert any("1 new" in n.message for n in app._notifications)
        await wait_until(pilot, lambda: app.ready_index() is not None)
        await wait_until(
            pilot,
            lambda: any(
                m.entry.number == 9100
                for m in app.ready_index().match("servers answer")  # type: ignore[union-attr]
            ),
        )
        await pilot.press("u")  # nothing new the second time
        await wait_until(
            pilot, lambda: any("no new issues" in n.message for n in app._notifications)
        )
        assert len(screen.rows) == before + 1


async def test_a_failed_update_is_a_notification_not_a_crash(
    feed_server: dict[str, object],
) -> None:
    feed_server["body"] = b"<html><body>Sorry, we are down</body></html>"
    app = make_app(start="395")
    rows = app.collection.library.rows()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = main(app)
        await pilot.press("u")
        await wait_until(pilot, lambda: not screen.updating)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "127.0.0.1" in errors[0].message
        assert app.is_running and screen.rows == rows
        assert app.collection.library.rows() == rows
