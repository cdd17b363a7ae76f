"""The ``bookmarks`` and ``notes`` commands: list, add, export and import what the user keeps.

The user store is opened only by the commands that need it; when it cannot be opened the
:class:`UserStoreError` goes up to ``cli.main``, which names the file and never writes to it.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from importai_tui.cli import EXIT_ERROR, EXIT_OK, UserError, print_json, store_path
from importai_tui.core import notes_io
from importai_tui.core.collection import Collection
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.userstore import (
    UserStore,
    UserStoreError,
    UserStoreUnavailable,
    anchor_of,
)
from importai_tui.terminal import escape_json

COMMANDS = ("bookmarks", "notes")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``bookmarks`` and ``notes`` (with add, export, import) to the command parser."""
    marks = sub.add_parser(
        "bookmarks",
        help="list your bookmarks",
        description="List every bookmarked section, newest first, with its section number "
        "as it is now (or 'section not found' when the issue no longer has it).",
    )
    marks.add_argument("--json", action="store_true", help="print JSON for scripts")

    notes = sub.add_parser(
        "notes",
        help="list, add, export or import your notes",
        description="Without an action: list every note, newest first.",
    )
    notes.add_argument("--json", action="store_true", help="print JSON for scripts")
    actions = notes.add_subparsers(dest="notes_action", metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add text to the note on a section",
        description="Add TEXT to the note on section SECTION of ISSUE (after what is there).",
    )
    add.add_argument("issue", metavar="ISSUE", help="issue number (395) or id")
    add.add_argument("section", type=int, metavar="SECTION", help="1-based, as in 'show'")
    add.add_argument("text", nargs="+", metavar="TEXT", help="the words are joined by spaces")
    export = actions.add_parser(
        "export",
        help="export notes and bookmarks as Markdown or JSON",
        description="Export every note and bookmark: Markdown grouped by issue (for a notes "
        "vault), or JSON that 'importai notes import' restores.",
    )
    export.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="default: markdown"
    )
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write FILE (whole or not at all)"
    )
    imp = actions.add_parser(
        "import",
        help="merge a JSON export into your notes",
        description="Merge a JSON export made by 'importai notes export --format json'. "
        "Importing the same file twice adds nothing; a file that is not a valid export "
        "changes nothing.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")


def move_aside_hint(path: Path) -> str:
    """One line telling how to keep a store that cannot be opened and start a new one."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    moves = [
        f"mv {_quote(Path(f'{path}{tail}'))} {_quote(Path(f'{path}.broken-{stamp}{tail}'))}"
        for tail in ("", "-wal", "-shm")
        if tail == "" or Path(f"{path}{tail}").exists()
    ]
    return "to keep it and start a new, empty store, move it aside: " + " && ".join(moves)


def store_error_lines(exc: UserStoreError) -> list[str]:
    """What to tell the user when the store cannot be opened: the reason, and what to do."""
    if isinstance(exc, UserStoreUnavailable):
        # in use, disk full, read-only: not broken, and moving it aside would lose what the
        # other program saves
        return [str(exc)]
    return [str(exc), move_aside_hint(store_path())]


def _quote(path: Path) -> str:
    return shlex.quote(str(path))


def dispatch(args: argparse.Namespace, coll: Collection, out: Console, err: Console) -> int:
    """Run a ``bookmarks`` or ``notes`` command."""
    action = getattr(args, "notes_action", None)
    if args.command == "notes" and action == "add":
        issue = coll.library.get(args.issue)
        if issue is None:
            raise UserError(f"no issue {args.issue!r} in the library (try 'importai list')")
        if not 1 <= args.section <= len(issue.sections):
            raise UserError(
                f"issue {args.issue} has sections 1 to {len(issue.sections)}, not {args.section}"
            )
        text = clean(" ".join(args.text)).strip()
        if not text:
            raise UserError("the note is empty: nothing saved")
        with _store() as store:
            anchor = anchor_of(issue, args.section)
            had = store.entry(anchor)
            store.add_note(anchor, text)
        label = str(issue.number) if issue.number is not None else issue.id
        verb = "added to the note on" if had and had.note else "note saved on"
        line = Text(f"{verb} ")
        line.append(f"{label} §{args.section} ", style="bold cyan")
        line.append(clean_line(anchor.headline), style="bold")
        out.print(line)
        return EXIT_OK
    if action == "export":
        return _export(coll, args.format, args.output, out)
    if action == "import":
        return _import(args.file, out, err)
    return _list(coll, bookmarks=args.command == "bookmarks", as_json=args.json, out=out)


@contextmanager
def _store() -> Iterator[UserStore]:
    """The user store, opened for one command and closed after it."""
    store = UserStore.open(store_path())
    try:
        yield store
    finally:
        store.close()


def _list(coll: Collection, *, bookmarks: bool, as_json: bool, out: Console) -> int:
    with _store() as store:
        entries = [e for e in store.entries() if (e.bookmarked if bookmarks else e.note)]
    placed = notes_io.place(entries, coll.library.get)
    if as_json:
        print_json(notes_io.listing(placed))
        return EXIT_OK
    if not placed:
        out.print(
            Text(
                "no bookmarks yet (press b in the reader)"
                if bookmarks
                else "no notes yet (press a in the reader, or: importai notes add ISSUE SECTION "
                "TEXT)"
            )
        )
        return EXIT_OK
    for p in placed:
        line = Text(p.label, style="bold cyan")
        if p.found:
            line.append(f" §{p.section} ", style="dim")
        else:
            line.append(" (section not found) ", style="yellow")
        line.append(clean_line(p.entry.headline), style="bold")
        line.append(f"  {p.entry.updated[:10]}", style="dim")
        if p.entry.bookmarked and not bookmarks:
            line.append("  ★", style="yellow")
        out.print(line)
        if not bookmarks and p.entry.note:
            # line by line: a padded block would pad every line to the longest one
            for text in clean(p.entry.note).strip("\n").split("\n"):
                out.print(Padding(Text(text), (0, 0, 0, 4), expand=False) if text else Text())
            out.print()
    return EXIT_OK


def _export(coll: Collection, fmt: str, output: Path | None, out: Console) -> int:
    with _store() as store:
        entries = store.entries()
    if fmt == "json":
        # the backup keeps the notes exactly as stored, any control written as a \u escape
        text = escape_json(notes_io.to_json(entries))
    else:
        # Markdown is for reading: its text is cleaned of escapes and controls
        text = notes_io.to_markdown(notes_io.place(entries, coll.library.get))
    if output is None:
        if out.is_terminal:
            out.print(Text(text), soft_wrap=True, end="")
        else:
            out.file.write(text)
        return EXIT_OK
    own = store_path().resolve()
    if output.resolve() in {own, Path(f"{own}-wal"), Path(f"{own}-shm")}:
        raise UserError(f"{output}: that is the user store itself; choose another file")
    try:
        notes_io.write_text_atomic(output, text)
    except OSError as exc:
        raise UserError(f"{output}: cannot write it ({exc.strerror or exc})") from None
    what = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    out.print(Text(f"exported {what} to {output} ({fmt})"))
    return EXIT_OK


def _import(file: Path, out: Console, err: Console) -> int:
    try:
        entries = notes_io.read_export(file)
    except notes_io.ExportError as exc:
        raise UserError(str(exc)) from None
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    with _store() as store:
        # every entry was checked above, and all are merged in one transaction: an import
        # either completes or changes nothing. Oldest first, so new rows list in export order.
        try:
            for outcome in store.restore_all(list(reversed(entries))):
                counts[outcome] += 1
        except sqlite3.Error as exc:
            err.print(Text(f"importai: {file}: nothing imported ({exc})"))
            return EXIT_ERROR
    out.print(
        Text(
            f"{file}: {counts['added']} added, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
    )
    return EXIT_OK
