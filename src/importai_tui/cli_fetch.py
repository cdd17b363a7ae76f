"""The ``fetch`` command: download new issues from the feed, and the back catalogue with --archive.

A progress bar on stderr while it works (on a terminal), then one summary line on stdout.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from importai_tui.cli import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_OK
from importai_tui.core.collection import Collection
from importai_tui.core.fetch import (
    DEFAULT_FEED,
    FetchContentError,
    FetchError,
    FetchSummary,
    fetch_archive,
    fetch_feed,
)
from importai_tui.core.fetch import Progress as ProgressCallback
from importai_tui.core.sanitize import clean_line

COMMANDS = ("fetch",)
EXIT_INTERRUPTED = 130


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``fetch`` to the command parser."""
    fetch = sub.add_parser(
        "fetch",
        help="download new issues from the newsletter's feed (and its archive)",
        description="Download the newsletter's feed and add every issue in it; issues already "
        "in the library are counted as unchanged, and a feed the server says has not changed "
        "since the last fetch is not downloaded again. With --archive, also walk the whole "
        "back catalogue through Substack's archive API at the feed's site, a few posts at a "
        "time; posts already in the library are skipped, so an interrupted walk resumes where "
        "it stopped. ctrl+c stops cleanly and keeps what was fetched.",
        epilog="Exit status: 0 done; 1 the network or the server failed (no connection, "
        "timeout, HTTP error); 2 the server answered with something that is not a feed of "
        "Import AI issues (cut off, not XML, no issue in it), and nothing was stored; "
        "130 interrupted (what was fetched is kept). Set IMPORTAI_FETCH_TIMEOUT to change "
        "the 30 s read timeout.",
    )
    fetch.add_argument(
        "--url", type=_http_url, default=DEFAULT_FEED, metavar="URL",
        help=f"the RSS or Atom feed to read (default: {DEFAULT_FEED})",
    )  # fmt: skip
    fetch.add_argument(
        "--archive",
        action="store_true",
        help="also fetch every older issue from the archive of the feed's site",
    )


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an http:// or https:// URL: {value!r}")
    return value


def site_root(url: str) -> str:
    """The site a feed belongs to: its scheme and host (where Substack's API lives)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def dispatch(args: argparse.Namespace, coll: Collection, out: Console, err: Console) -> int:
    """Run ``fetch``."""
    summary = FetchSummary()
    try:
        with _progress_bar(err) as progress:
            summary = fetch_feed(coll, args.url, progress=progress)
            if args.archive and not summary.stopped:
                summary.merge(fetch_archive(coll, site_root(args.url), progress=progress))
    except FetchContentError as exc:
        err.print(Text(f"importai: {exc}"))
        return EXIT_BAD_INPUT
    except FetchError as exc:
        err.print(Text(f"importai: {exc}"))
        return EXIT_ERROR
    if summary.stopped:
        kept = f"{summary.new} new"
        if summary.updated:
            kept += f" and {summary.updated} updated"
        issues = "issue" if summary.new + summary.updated == 1 else "issues"
        err.print(Text(f"importai: interrupted; kept {kept} {issues}"))
        return EXIT_INTERRUPTED
    for problem in summary.problems:
        err.print(Text(f"importai: skipped {problem}", style="dim"))
    out.print(Text(summary_line(summary, archive=args.archive)))
    return EXIT_OK


def summary_line(summary: FetchSummary, *, archive: bool = False) -> str:
    """'N new, M updated, K unchanged', or 'nothing new (not modified)'."""
    if summary.not_modified and not archive:
        return "nothing new (not modified)"
    line = f"{summary.new} new, {summary.updated} updated, {summary.unchanged} unchanged"
    if summary.skipped:
        line += f", {summary.skipped} skipped (refused by the server; tried again next time)"
    if summary.not_modified:
        line += " (the feed was not modified)"
    return line


@contextmanager
def _progress_bar(err: Console) -> Iterator[ProgressCallback]:
    """A progress callback drawing a transient bar on stderr (nothing when not a terminal)."""
    if not err.is_interactive:
        yield lambda done, total, what: None
        return
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    tasks = [bar.add_task("fetching", total=None)]

    def update(done: int, total: int | None, what: str) -> None:
        text = clean_line(what)
        if len(text) > 60:
            text = text[:59] + "…"
        task = tasks[-1]
        if total != bar.tasks[-1].total:  # a new phase (rich cannot set a total back to None)
            bar.remove_task(task)
            task = bar.add_task(text, total=total)
            tasks.append(task)
        bar.update(task, completed=done, description=text, refresh=True)

    with bar:
        yield update
