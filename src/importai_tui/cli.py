"""The ``importai`` command: subcommands for adding, listing, showing and searching issues.

The ``bookmarks`` and ``notes`` commands live in :mod:`importai_tui.cli_notes`, ``fetch`` in
:mod:`importai_tui.cli_fetch`.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from importai_tui import __version__
from importai_tui.core import paths
from importai_tui.core.collection import Collection
from importai_tui.core.serialize import issue_public
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import FILENAME as STORE_FILENAME
from importai_tui.core.userstore import UserStoreError
from importai_tui.terminal import SafeConsole, json_text

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


class UserError(Exception):
    """An error the user can act on: printed as one line, exit status 2."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="importai",
        description="Read the Import AI newsletter in the terminal.",
        epilog=f"Data: {paths.data_dir()}  Cache: {paths.cache_dir()}  "
        "(override with IMPORTAI_DATA_DIR and IMPORTAI_CACHE_DIR)",
    )
    parser.add_argument("--version", action="version", version=f"importai {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    add = sub.add_parser(
        "add",
        help="import issues from files or directories",
        description="Import issues from files or directories (recursively). "
        "Formats are recognised by content: Substack HTML, plain text, "
        "Markdown, RSS/Atom feeds, saved web pages.",
    )
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    lst = sub.add_parser(
        "list",
        help="list the issues in the library",
        description="List the issues in the library, newest first.",
    )
    lst.add_argument("--json", action="store_true", help="print JSON for scripts")

    show = sub.add_parser(
        "show",
        help="show an issue or one of its sections",
        description="Show an issue (by number or id) or one of its sections.",
    )
    show.add_argument("issue", metavar="ISSUE", help="issue number (395) or id")
    show.add_argument("--section", type=int, metavar="N", help="only section N (1-based)")
    show.add_argument("--json", action="store_true", help="print JSON for scripts")

    find = sub.add_parser(
        "search",
        help="search headlines (fuzzy) and bodies (full text)",
        description="Search every issue: fuzzy match on headlines and "
        "subtitles, full-text match in bodies.",
    )
    find.add_argument(
        "query",
        metavar="QUERY",
        help="words that must all occur; the last, and any with a * after it (robot*), "
        "also as the start of a word, from three letters",
    )
    find.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N hits (default 20)"
    )
    find.add_argument("--json", action="store_true", help="print JSON for scripts")

    read = sub.add_parser(
        "read",
        help="open the reader (the default command)",
        description="Open the full-screen reader, at ISSUE if given, otherwise where you "
        "left off. Press ? in the reader for its keys.",
    )
    read.add_argument("issue", nargs="?", metavar="ISSUE", help="issue number (395) or id")

    sub.add_parser(
        "rebuild",
        help="rebuild the library cache from the stored sources",
        description="Rebuild the library (the cache) from the stored sources. "
        "Notes and sources are not touched.",
    )
    from importai_tui import cli_fetch, cli_notes  # they import this module: load them after

    cli_notes.add_parsers(sub)
    cli_fetch.add_parsers(sub)
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    """The parsed command line. With no arguments (how the reader is started) it is what
    the parser would make of none, without building the parser: its subcommands import
    the fetch and notes code, 20 ms of the reader's start."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return argparse.Namespace(command=None)
    return _parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _arguments(argv)
    # text from issues, notes and file names may hold escapes: the consoles strip them
    out = SafeConsole(soft_wrap=False, highlight=False)
    err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    try:
        coll = Collection.open(seed=args.command != "rebuild")
    except (OSError, sqlite3.Error) as exc:
        err.print(Text(f"importai: cannot open the library: {exc}"))
        return EXIT_ERROR
    try:
        reader = args.command == "read" or (args.command is None and _interactive())
        for notice in [] if reader else coll.notices:  # the reader shows them itself
            err.print(Text(f"importai: {notice}", style="dim"))
        return _dispatch(args, coll, out, err)
    except UserError as exc:
        err.print(Text(f"importai: {exc}"))
        return EXIT_BAD_INPUT
    except UserStoreError as exc:  # the message names the file; nothing was written to it
        from importai_tui.cli_notes import store_error_lines

        reason, *advice = store_error_lines(exc)
        err.print(Text(f"importai: {reason}"))
        for line in advice:
            err.print(Text(f"importai: {line}", style="dim"))
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print(Text("importai: interrupted"))
        return 130
    except (OSError, sqlite3.Error) as exc:
        err.print(Text(f"importai: {exc}"))
        return EXIT_ERROR
    finally:
        coll.close()


def _dispatch(args: argparse.Namespace, coll: Collection, out: Console, err: Console) -> int:
    if args.command == "read" or (args.command is None and _interactive()):
        # before the other commands load: the reader needs none of their modules
        return _read(coll, getattr(args, "issue", None))
    from importai_tui import cli_fetch, cli_notes

    if args.command in cli_notes.COMMANDS:
        return cli_notes.dispatch(args, coll, out, err)
    if args.command in cli_fetch.COMMANDS:
        return cli_fetch.dispatch(args, coll, out, err)
    if args.command == "add":
        return _add(coll, args.paths, out, err)
    if args.command == "show":
        return _show(coll, args.issue, args.section, args.json, out)
    if args.command == "search":
        return _search(coll, args.query, args.limit, args.json, out)
    if args.command == "rebuild":
        out.print(Text(f"rebuilt the library: {coll.rebuild()} issues"))
        return EXIT_OK
    return _list(coll, getattr(args, "json", False), out)


def _add(coll: Collection, targets: list[Path], out: Console, err: Console) -> int:
    status = EXIT_OK
    for outcome in coll.add_paths(targets):
        if not outcome.ok:
            err.print(Text(f"importai: {outcome.path}: rejected: {outcome.detail}"))
            status = EXIT_BAD_INPUT
            continue
        what = ", ".join(outcome.issues[:4]) + (" …" if len(outcome.issues) > 4 else "")
        count = f" ({len(outcome.issues)} issues)" if len(outcome.issues) > 1 else ""
        line = Text(
            f"{outcome.status}: ",
            style="green" if outcome.status != "already in library" else "dim",
        )
        line.append(f"{outcome.path}: {what}{count}")
        out.print(line, soft_wrap=True)
    return status


def store_path() -> Path:
    """Where the user store lives."""
    return paths.data_dir() / STORE_FILENAME


def _read(coll: Collection, start: str | None) -> int:
    from importai_tui.core.userstore import UserStore

    if start is not None and coll.library.get(start) is None:
        raise UserError(f"no issue {start!r} in the library (try 'importai list')")
    if not _interactive():
        raise UserError("the reader needs a terminal (for scripts use list, show or search)")
    store = UserStore.open(store_path())  # UserStoreError: main names the file, exit 1
    # Start-up makes some 400,000 objects that live as long as the reader, and the collector
    # would walk them 200-260 times before the first frame (60-110 ms): it stays off until
    # the headline index is built, which then sets them aside (ReaderApp.build_index).
    gc.disable()
    from importai_tui.ui.app import ReaderApp

    try:
        ReaderApp(coll, store, start).run()
    finally:
        gc.enable()
        store.close()
    return EXIT_OK


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _list(coll: Collection, as_json: bool, out: Console) -> int:
    rows = coll.library.rows()
    if as_json:
        print_json([r._asdict() for r in rows])
        return EXIT_OK
    table = Table(box=None, header_style="bold")
    table.add_column("No.", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Title")
    table.add_column("Sections", justify="right")
    for r in rows:
        table.add_row(
            Text(str(r.number) if r.number is not None else "–"),
            Text(r.date or ""),
            Text(r.title),
            Text(str(r.sections)),
        )
    out.print(table)
    return EXIT_OK


def _show(coll: Collection, key: str, section: int | None, as_json: bool, out: Console) -> int:
    from importai_tui.render import issue_renderable

    issue = coll.library.get(key)
    if issue is None:
        raise UserError(f"no issue {key!r} in the library (try 'importai list')")
    if section is not None and not 1 <= section <= len(issue.sections):
        raise UserError(f"issue {key} has sections 1 to {len(issue.sections)}, not {section}")
    if as_json:
        print_json(issue_public(issue, section))
    else:
        out.print(issue_renderable(issue, section))
    return EXIT_OK


def _search(coll: Collection, query: str, limit: int, as_json: bool, out: Console) -> int:
    from importai_tui.core.search import plain_snippet, search  # not paid by the reader
    from importai_tui.render import highlighted

    hits = search(coll.library, query, limit)
    if as_json:
        print_json(
            [
                {
                    "issue_id": h.issue_id,
                    "number": h.number,
                    "section": h.section,
                    "kind": h.kind,
                    "headline": h.headline,
                    "snippet": plain_snippet(h.snippet),
                    "score": h.score,
                }
                for h in hits
            ],
        )
        return EXIT_OK
    if not hits:
        out.print(Text(f"no matches for {query!r}"))
        return EXIT_OK
    for h in hits:
        line = Text(f"{h.number if h.number is not None else h.issue_id}", style="bold cyan")
        line.append(f" §{h.section} ", style="dim")
        line.append(h.headline, style="bold")
        out.print(line)
        if h.snippet:
            snippet = Text("    ")
            snippet.append_text(highlighted(h.snippet))
            out.print(snippet)
    return EXIT_OK


def print_json(data: Any) -> None:
    """Write ``data`` to stdout as indented JSON (for ``--json``); controls as escapes."""
    sys.stdout.write(json_text(data) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
