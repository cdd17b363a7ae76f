"""Fetching from a real HTTP server on 127.0.0.1: the feed, the archive API, and what goes wrong.

The server (tests/fetch_server.py) serves content built from the corpus; timeouts, backoff
and the polite delay are shortened through the environment variables the code honours.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.conftest import EXPECTED, cli_json
from tests.fetch_server import ETAG, LAST_MODIFIED, SITE, Handler, Site, rss, serve

from importai_tui.core.collection import Collection
from importai_tui.core.fetch import (
    FetchContentError,
    FetchError,
    FetchSummary,
    fetch_archive,
    fetch_feed,
    split_feed,
)
from importai_tui.core.library import FILENAME
from importai_tui.core.parse import parse_bytes
from importai_tui.core.sqlite import sqlite3

Run = Callable[..., subprocess.CompletedProcess[str]]
FEED_ISSUES = [412, 405, 395, 394, 393]  # the feed's six newest posts, less the short break
ALL_ISSUES = [412, 405, *range(395, 385, -1)]


@pytest.fixture(autouse=True)
def fast_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts and delays, a small size cap, and no proxy between us and 127.0.0.1."""
    monkeypatch.setenv("IMPORTAI_FETCH_TIMEOUT", "1")
    monkeypatch.setenv("IMPORTAI_FETCH_BACKOFF", "0.01")
    monkeypatch.setenv("IMPORTAI_FETCH_DELAY", "0.001")
    monkeypatch.setenv("IMPORTAI_FETCH_MAX_BYTES", str(1024 * 1024))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def site() -> Iterator[Site]:
    yield from serve(Site())


@pytest.fixture
def coll() -> Iterator[Collection]:
    """An empty collection (no bundled samples) in the test's own directories."""
    c = Collection.open(seed=False)
    yield c
    c.close()


def numbers(coll: Collection) -> list[int | None]:
    return [r.number for r in coll.library.rows()]


def snapshot(coll: Collection, data_dir: Path) -> tuple[object, dict[str, bytes]]:
    """The library's rows and every file of the data dir (sources, state), byte for byte."""
    files = {
        str(p.relative_to(data_dir)): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()
    }
    return coll.library.rows(), files


def sources(data_dir: Path) -> list[str]:
    return sorted(p.name for p in (data_dir / "sources" / "objects").glob("*/*"))


# -- the feed -----------------------------------------------------------------------------
def test_first_fetch_adds_the_issues(site: Site, coll: Collection, isolated_dirs: dict) -> None:
    calls: list[tuple[int, int | None, str]] = []
    summary = fetch_feed(coll, site.feed_url, progress=lambda *a: calls.append(a))
    assert summary == FetchSummary(new=5)
    assert numbers(coll) == FEED_ISSUES
    issue = coll.library.get("412")
    assert issue is not None and issue.format == "feed"
    assert str(issue.date) == "2025-05-12"
    assert issue.url == f"{SITE}/p/import-ai-412-amazons-stow-robot-huaweis"
    expected = EXPECTED["substack-body-stow-robots.html"][0]["sections"]
    assert [s.headline for s in issue.sections] == [s["headline"] for s in expected]
    assert coll.library.get("395").sections[2].headline.endswith("Genie 2")  # type: ignore[union-attr]
    # one source per item, each a feed of that one item that reads back as the same issue
    stored = sources(isolated_dirs["data"])
    assert len(stored) == 5
    for sha in stored:
        [parsed] = parse_bytes(coll.sources.get(sha))
        assert parsed.number in FEED_ISSUES
    assert calls[0] == (0, None, f"downloading {site.feed_url}")
    assert calls[-1][:2] == (5, 5)
    assert [c[2] for c in calls[1:]] == [f"Import AI {n}" for n in FEED_ISSUES]
    user_agent = site.seen("/feed")[0].headers["user-agent"]
    assert user_agent.startswith("importai-tui/")


def test_second_fetch_is_conditional_and_adds_nothing(site: Site, coll: Collection) -> None:
    fetch_feed(coll, site.feed_url)
    first = site.seen("/feed")[0].headers
    assert "if-none-match" not in first and "if-modified-since" not in first
    before = coll.library.rows()
    summary = fetch_feed(coll, site.feed_url)
    assert summary == FetchSummary(not_modified=True)
    second = site.seen("/feed")[1].headers
    assert second["if-none-match"] == ETAG
    assert second["if-modified-since"] == LAST_MODIFIED
    assert coll.library.rows() == before


def test_refetching_an_unchanged_feed_counts_it_unchanged(
    site: Site, coll: Collection, isolated_dirs: dict
) -> None:
    site.routes["/feed"] = lambda h: h.send(200, h.site.feed(), "application/rss+xml")
    fetch_feed(coll, site.feed_url)
    before = snapshot(coll, isolated_dirs["data"])
    assert fetch_feed(coll, site.feed_url) == FetchSummary(unchanged=5)
    assert snapshot(coll, isolated_dirs["data"]) == before


def test_a_feed_richer_than_the_library_updates_it(site: Site) -> None:
    seeded = Collection.open()  # the bundled samples: 386-395 as plain text, two untitled bodies
    try:
        summary = fetch_feed(seeded, site.feed_url)
        assert (summary.new, summary.updated, summary.unchanged) == (0, 5, 0)
        assert seeded.library.get("393").format == "feed"  # type: ignore[union-attr]
        untitled = [r for r in seeded.library.rows() if r.number is None]
        assert len(untitled) == 0  # both bodies found their issue (412 and 405)
    finally:
        seeded.close()


def test_gzip_encoded_feed(site: Site, coll: Collection) -> None:
    site.routes["/feed"] = Handler.gzip_feed
    assert fetch_feed(coll, site.feed_url).new == 5
    assert "gzip" in site.seen("/feed")[0].headers["accept-encoding"]


# -- the network and the server failing ---------------------------------------------------
def test_two_server_errors_then_success(site: Site, coll: Collection) -> None:
    answers = iter([500, 500])

    def flaky(h: Handler) -> None:
        status = next(answers, None)
        if status is None:
            h.serve_feed()
        else:
            h.send(status, b"oops", "text/plain")

    site.routes["/feed"] = flaky
    assert fetch_feed(coll, site.feed_url).new == 5
    assert len(site.seen("/feed")) == 3


def test_a_server_that_keeps_failing_gives_up(site: Site, coll: Collection) -> None:
    site.routes["/feed"] = lambda h: h.send(503, b"down", "text/plain")
    with pytest.raises(FetchError) as err:
        fetch_feed(coll, site.feed_url)
    assert str(err.value) == f"{site.feed_url}: HTTP 503 Service Unavailable (after 3 attempts)"
    assert not isinstance(err.value, FetchContentError)
    assert coll.library.count() == 0


def test_a_client_error_is_not_retried(site: Site, coll: Collection) -> None:
    with pytest.raises(FetchError, match=r"/nowhere: HTTP 404 Not Found$") as err:
        fetch_feed(coll, f"{site.url}/nowhere")
    assert err.value.status == 404
    assert len(site.seen("/nowhere")) == 1


def test_a_server_that_hangs_times_out(site: Site, coll: Collection) -> None:
    site.routes["/feed"] = Handler.hang
    with pytest.raises(FetchError) as err:
        fetch_feed(coll, site.feed_url)
    message = str(err.value)
    assert message.startswith(f"{site.feed_url}: timed out: no answer within 1 s")
    assert "\n" not in message
    assert len(site.seen("/feed")) <= 2  # a timeout is retried once at most
    assert coll.library.count() == 0


def test_nothing_listening(coll: Collection) -> None:
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError, match="connection refused"):
        fetch_feed(coll, f"http://127.0.0.1:{port}/feed")


# -- refused content: the library exactly as it was ---------------------------------------
def _truncated(h: Handler) -> None:
    feed = h.site.feed()
    h.send(200, feed[: len(feed) // 2], "application/rss+xml")


def _html_page(h: Handler) -> None:
    page = b"<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>"
    h.send(200, page, "text/html")


def _no_issue(h: Handler) -> None:
    h.send(200, rss(h.site.posts[:1]), "application/rss+xml")  # only "taking a short break"


def _empty(h: Handler) -> None:
    h.send(200, b"", "application/rss+xml")


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (_truncated, r"the feed is cut off \(the XML ends early: unclosed CDATA section\)"),
        (_html_page, r"not a feed \(an HTML page\)"),
        (_no_issue, r"holds no Import AI issue \(1 items\)"),
        (_empty, r"not a feed: the response is empty"),
        (Handler.stream_forever, r"response too large: cut off at 1\.0 MB"),
    ],
    ids=["truncated", "html", "no-issue", "empty", "oversized"],
)
def test_refused_content_changes_nothing(
    site: Site, isolated_dirs: dict, route: Callable[[Handler], None], reason: str
) -> None:
    seeded = Collection.open()
    try:
        fetch_archive(seeded, site.url)  # a library with some of everything, and a state file
        before = snapshot(seeded, isolated_dirs["data"])
        site.routes["/feed"] = route
        with pytest.raises(FetchError) as err:
            fetch_feed(seeded, site.feed_url)
        assert re.fullmatch(re.escape(site.feed_url) + ": " + reason, str(err.value))
        assert snapshot(seeded, isolated_dirs["data"]) == before
    finally:
        seeded.close()
    if route is Handler.stream_forever:
        assert site.streamed < 20 * 1024 * 1024  # cut off, not read whole (200 MB on offer)
    else:
        assert isinstance(err.value, FetchContentError)


def test_a_declared_oversized_response_is_not_downloaded(site: Site, coll: Collection) -> None:
    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"<rss")

    site.routes["/feed"] = huge
    with pytest.raises(FetchError, match=r"response too large \(50\.0 MB, limit 1\.0 MB\)"):
        fetch_feed(coll, site.feed_url)


# -- the archive --------------------------------------------------------------------------
def _post_paths(site: Site) -> list[str]:
    return site.paths("/api/v1/posts/")


def test_archive_pages_through_the_listing_and_fetches_each_post(
    site: Site, coll: Collection
) -> None:
    calls: list[tuple[int, int | None, str]] = []
    summary = fetch_archive(coll, site.url + "/", progress=lambda *a: calls.append(a))
    assert summary == FetchSummary(new=12)
    listing = site.seen("/api/v1/archive")
    assert [r.query["offset"] for r in listing] == ["0", "5", "10", "13"]
    assert {r.query["sort"] for r in listing} == {"new"} and {r.query["limit"] for r in listing}
    assert sorted(_post_paths(site)) == sorted(f"/api/v1/posts/{p.slug}" for p in site.posts)
    assert numbers(coll) == ALL_ISSUES
    issue = coll.library.get("390")
    assert issue is not None and issue.format == "webpage"
    assert issue.title.startswith("Import AI 390: LLMs think like people")
    assert str(issue.date) == "2024-11-11" and issue.url == f"{SITE}/p/import-ai-390"
    assert calls[-1][:2] == (13, 13)
    # a second walk asks for the listing again, and for no post
    site.requests.clear()
    assert fetch_archive(coll, site.url) == FetchSummary()
    assert _post_paths(site) == []


def test_archive_after_the_feed_fetches_only_what_is_missing(site: Site, coll: Collection) -> None:
    fetch_feed(coll, site.feed_url)
    summary = fetch_archive(coll, site.url)
    assert (summary.new, summary.updated) == (7, 0)
    in_feed = {f"/api/v1/posts/{p.slug}" for p in site.posts[1:6]}
    assert not in_feed & set(_post_paths(site))
    assert numbers(coll) == ALL_ISSUES


def test_archive_refetches_issues_held_only_as_plain_text(site: Site) -> None:
    seeded = Collection.open()
    try:
        summary = fetch_archive(seeded, site.url)
        assert (summary.new, summary.updated) == (0, 12)
        assert {seeded.library.get(str(n)).format for n in ALL_ISSUES} == {"webpage"}  # type: ignore[union-attr]
    finally:
        seeded.close()


@pytest.mark.parametrize("how", ["event", "ctrl+c"])
def test_stopping_mid_archive_keeps_what_was_done(site: Site, coll: Collection, how: str) -> None:
    stop = threading.Event()

    def progress(done: int, total: int | None, what: str) -> None:
        if total is not None and done == 4:
            if how == "ctrl+c":
                raise KeyboardInterrupt
            stop.set()

    summary = fetch_archive(coll, site.url, progress=progress, stop=stop)
    assert summary.stopped
    kept = numbers(coll)
    assert 3 <= len(kept) < 12 and summary.new == len(kept)
    first = set(_post_paths(site))
    site.requests.clear()
    rest = fetch_archive(coll, site.url)
    assert not rest.stopped and rest.new == 12 - len(kept)
    assert numbers(coll) == ALL_ISSUES
    done_before = {f"/api/v1/posts/{p.slug}" for p in site.posts if p.number in kept}
    assert done_before <= first and not done_before & set(_post_paths(site))


def test_a_post_the_server_refuses_is_skipped(site: Site, coll: Collection) -> None:
    site.routes["/api/v1/posts/import-ai-390"] = lambda h: h.send(403, b"{}", "application/json")
    summary = fetch_archive(coll, site.url)
    assert (summary.new, summary.skipped) == (11, 1)
    assert summary.problems == [f"{site.url}/api/v1/posts/import-ai-390: HTTP 403 Forbidden"]
    assert 390 not in numbers(coll)


def test_an_archive_that_fails_half_way_keeps_what_it_got(site: Site, coll: Collection) -> None:
    site.routes["/api/v1/posts/import-ai-390"] = lambda h: h.send(502, b"", "text/plain")
    with pytest.raises(FetchError, match=r"/api/v1/posts/import-ai-390: HTTP 502 Bad Gateway"):
        fetch_archive(coll, site.url)
    kept = numbers(coll)
    assert set(kept) >= {412, 405, 395, 391} and 390 not in kept
    del site.routes["/api/v1/posts/import-ai-390"]
    site.requests.clear()
    assert fetch_archive(coll, site.url).new == 12 - len(kept)
    assert len(_post_paths(site)) == 12 - len(kept)


def test_split_feed_keeps_each_item_byte_for_byte() -> None:
    from tests.conftest import FIXTURES

    for name in ("substack-rss.xml", "atom.xml"):
        data = (FIXTURES / "feeds" / name).read_bytes()
        items = split_feed(name, data)
        assert len(items) == (3 if name == "substack-rss.xml" else 2)
        for item in items:
            inner = item[item.index(b"<item>" if b"<item>" in item else b"<entry>") :]
            inner = inner[: inner.rindex(b"</item>" if b"<item>" in item else b"</entry>") + 7]
            assert inner in data
        assert [i.number for d in items[-2:] for i in parse_bytes(d)] == [412, 405]


# -- the command line ---------------------------------------------------------------------
def test_cli_fetch_shows_progress_and_a_summary(
    site: Site, run_cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TTY_INTERACTIVE", "1")  # rich draws the bar as on a terminal
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    proc = run_cli("fetch", "--url", site.feed_url)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "0 new, 5 updated, 0 unchanged"
    assert "Import AI 412" in proc.stderr and "5/5" in proc.stderr  # the bar, as it was drawn
    listing = {row["number"]: row for row in cli_json(run_cli, "list")}
    assert listing[412]["date"] == "2025-05-12"
    assert listing[412]["title"].startswith("Import AI 412: Amazon's stow robot")
    again = run_cli("fetch", "--url", site.feed_url)
    assert (again.returncode, again.stdout.strip()) == (0, "nothing new (not modified)")


def test_cli_fetch_failures_are_one_line(site: Site, run_cli: Run) -> None:
    run_cli("list", check=True)  # seed first, so that only the failure is on stderr
    proc = run_cli("fetch", "--url", f"{site.url}/gone")
    assert proc.returncode == 1
    assert proc.stderr == f"importai: {site.url}/gone: HTTP 404 Not Found\n"
    site.routes["/feed"] = _html_page
    proc = run_cli("fetch", "--url", site.feed_url)
    assert proc.returncode == 2
    assert proc.stderr == f"importai: {site.feed_url}: not a feed (an HTML page)\n"
    proc = run_cli("fetch", "--url", "ftp://example.com/feed")
    assert proc.returncode == 2 and "not an http:// or https:// URL" in proc.stderr
    assert "Traceback" not in proc.stderr
    help_text = run_cli("fetch", "--help", check=True).stdout
    assert "--archive" in help_text and "Exit status" in help_text


def _format(dirs: dict[str, Path], issue_id: str) -> str | None:
    """The format an issue is stored in, read from the library file another process writes."""
    path = dirs["cache"] / FILENAME
    if not path.exists():
        return None
    conn = sqlite3.connect(path, timeout=5)
    try:
        row = conn.execute("SELECT format FROM issues WHERE id=?", (issue_id,)).fetchone()
    except sqlite3.OperationalError:  # not created yet
        return None
    finally:
        conn.close()
    return row[0] if row else None


def test_cli_archive_and_ctrl_c(site: Site, isolated_dirs: dict) -> None:
    site.routes["/api/v1/posts/import-ai-390"] = Handler.hang
    env = {**os.environ, "IMPORTAI_FETCH_TIMEOUT": "20"}  # it must be ctrl+c that stops it
    proc = subprocess.Popen(
        [sys.executable, "-m", "importai_tui", "fetch", "--url", site.feed_url, "--archive"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    # ctrl+c once 390 hangs and 391, fetched beside it, is stored (as a web page, over the
    # bundled plain text)
    while (
        "/api/v1/posts/import-ai-390" not in _post_paths(site)
        or _format(isolated_dirs, "391") != "webpage"
    ):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    last = err.splitlines(True)[-1]
    assert re.fullmatch(r"importai: interrupted; kept 0 new and [1-9]\d* updated issues\n", last)
    assert "Traceback" not in err
    state = json.loads((isolated_dirs["data"] / "fetch.json").read_text())
    done = state["archives"][site.url]
    assert "import-ai-391" in done and "import-ai-390" not in done
    site.routes.clear()
    site.requests.clear()
    proc2 = subprocess.run(
        [sys.executable, "-m", "importai_tui", "fetch", "--url", site.feed_url, "--archive"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    assert proc2.returncode == 0, proc2.stderr
    assert proc2.stdout.strip().endswith("(the feed was not modified)")
    assert "/api/v1/posts/import-ai-391" not in _post_paths(site)
    assert "/api/v1/posts/import-ai-390" in _post_paths(site)
