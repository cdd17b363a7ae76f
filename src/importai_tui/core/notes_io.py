"""Bookmarks and notes in and out: where each entry is now, the Markdown and JSON exports.

Reading an export back validates the whole file before anything is restored, so a file that
is not a usable export changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from importai_tui.core.atomic import write_atomic
from importai_tui.core.model import Issue
from importai_tui.core.sanitize import clean, clean_line
from importai_tui.core.userstore import Entry, locate

FORMAT = "importai-notes"
VERSION = 1

# field -> the types a valid export holds there (None means JSON null is allowed)
_FIELDS: dict[str, tuple[type | None, ...]] = {
    "issue_id": (str,),
    "section_key": (str,),
    "section": (int,),
    "issue_title": (str,),
    "headline": (str,),
    "excerpt": (str,),
    "url": (str, None),
    "bookmarked": (bool,),
    "note": (str, None),
    "created": (str,),
    "updated": (str,),
}


class ExportError(Exception):
    """A file that is not a usable export; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Placed:
    """An entry and where its section is now (``section`` is None when it cannot be found)."""

    entry: Entry
    number: int | None
    issue_title: str
    section: int | None

    @property
    def found(self) -> bool:
        """Whether the entry's section is still in the library."""
        return self.section is not None

    @property
    def label(self) -> str:
        """The issue as the command line names it: its number, or its id."""
        return str(self.number) if self.number is not None else self.entry.issue_id


def place(entries: Iterable[Entry], lookup: Callable[[str], Issue | None]) -> list[Placed]:
    """Find each entry's section in the library as it is now; lost ones are kept, unplaced."""
    issues: dict[str, Issue | None] = {}
    placed = []
    for entry in entries:
        if entry.issue_id not in issues:
            issue = lookup(entry.issue_id)
            # lookups also match numbers and id prefixes: only the very issue counts
            issues[entry.issue_id] = issue if issue and issue.id == entry.issue_id else None
        issue = issues[entry.issue_id]
        title = issue.title if issue else entry.issue_title
        number = issue.number if issue else None
        placed.append(Placed(entry, number, title or entry.issue_id, locate(entry, issue)))
    return placed


def listing(placed: Iterable[Placed]) -> list[dict[str, Any]]:
    """The ``--json`` form of ``importai bookmarks`` and ``importai notes``."""
    return [
        {
            "issue_id": p.entry.issue_id,
            "number": p.number,
            "section": p.section,
            "headline": p.entry.headline,
            "issue_title": p.issue_title,
            "url": p.entry.url,
            "note": p.entry.note,
            "bookmarked": p.entry.bookmarked,
            "created": p.entry.created,
            "updated": p.entry.updated,
            "found": p.found,
        }
        for p in placed
    ]


# -- Markdown ------------------------------------------------------------------------------
def to_markdown(placed: Iterable[Placed]) -> str:
    """Every entry as Markdown for a notes vault, grouped by issue, newest issue first."""
    groups: dict[str, list[Placed]] = {}
    for p in placed:
        groups.setdefault(p.entry.issue_id, []).append(p)
    order = sorted(
        groups.values(),
        key=lambda g: (g[0].number is None, -(g[0].number or 0), g[0].issue_title),
    )
    out = ["# Import AI notes", ""]
    if not order:
        out += ["No notes or bookmarks yet.", ""]
    for group in order:
        out += [f"## {clean_line(group[0].issue_title)}", ""]
        for p in sorted(group, key=_reading_order):
            out += _markdown_entry(p)
    return "\n".join(out).rstrip("\n") + "\n"


def _reading_order(p: Placed) -> tuple[bool, int, str]:
    return (not p.found, p.section or p.entry.section, p.entry.headline)


def _markdown_entry(p: Placed) -> list[str]:
    entry = p.entry
    lines = [f"### {clean_line(entry.headline) or '(no headline)'}", ""]
    where = (
        f"Section {p.section}"
        if p.found
        else f"Section not found (it was section {entry.section} when saved)"
    )
    facts = [where + (" · bookmarked" if entry.bookmarked else "")]
    if entry.url:
        facts.append(f"Link: <{_link(entry.url)}>")
    created, updated = _when(entry.created), _when(entry.updated)
    facts.append(f"Created {created}" + (f" · updated {updated}" if updated != created else ""))
    lines += [f"- {fact}" for fact in facts] + [""]
    if not p.found and entry.excerpt:
        lines += [f"> {clean_line(entry.excerpt)}", ""]
    if entry.note:
        lines += [clean(entry.note).strip("\n"), ""]
    elif entry.bookmarked:
        lines += ["_Bookmark, no note._", ""]
    return lines


def _link(url: str) -> str:
    # an autolink ends at whitespace or '>': encode those so the whole link survives
    return clean_line(url).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _when(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return clean_line(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


# -- JSON ----------------------------------------------------------------------------------
def to_json(entries: Iterable[Entry]) -> str:
    """The JSON export: every field of every entry but its row id."""
    rows = []
    for entry in entries:
        row = asdict(entry)
        del row["id"]
        rows.append(row)
    data = {"format": FORMAT, "version": VERSION, "entries": rows}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def read_export(path: Path) -> list[Entry]:
    """The entries of the JSON export at ``path``, all checked; :class:`ExportError` if not."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return parse_export(raw, str(path))


def parse_export(raw: bytes, name: str) -> list[Entry]:
    """Check an export completely and return its entries; :class:`ExportError` names ``name``."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ExportError(f"{name}: not a notes export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{name}: not a notes export (bad JSON at line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f'{name}: not a notes export (no "format": "{FORMAT}")')
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise ExportError(f'{name}: "version" should be a whole number from 1')
    if version > VERSION:
        raise ExportError(
            f"{name}: made by a newer version of importai (export version {version}); "
            "nothing imported"
        )
    rows = data.get("entries")
    if not isinstance(rows, list):
        raise ExportError(f'{name}: "entries" should be a list')
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, 1):
        try:
            entry = _entry(row)
        except ValueError as exc:
            raise ExportError(f"{name}: entry {number}: {exc}; nothing imported") from None
        where = (entry.issue_id, entry.section_key)
        if where in seen:
            raise ExportError(
                f"{name}: entries {seen[where]} and {number} are for the same section; "
                "nothing imported"
            )
        seen[where] = number
        entries.append(entry)
    return entries


def _entry(row: object) -> Entry:
    if not isinstance(row, dict):
        raise ValueError("not an object")
    for field, kinds in _FIELDS.items():
        if field not in row:
            raise ValueError(f'"{field}" is missing')
        value = row[field]
        if not any(_is(value, kind) for kind in kinds):
            names = " or ".join(_KIND_NAMES[kind] for kind in kinds)
            raise ValueError(f'"{field}" should be {names}, not {_json_kind(value)}')
    if not row["issue_id"].strip() or not row["section_key"].strip():
        raise ValueError('"issue_id" and "section_key" must not be empty')
    if row["section"] < 1:
        raise ValueError('"section" should be 1 or more')
    note = clean(row["note"]) if row["note"] is not None and row["note"].strip() else None
    if note is None and not row["bookmarked"]:
        raise ValueError("neither a note nor a bookmark")
    return Entry(
        id=None,
        issue_id=row["issue_id"],
        section_key=row["section_key"],
        section=row["section"],
        issue_title=clean_line(row["issue_title"]),
        headline=clean_line(row["headline"]),
        excerpt=clean(row["excerpt"]),
        url=clean_line(row["url"]) if row["url"] is not None else None,
        bookmarked=row["bookmarked"],
        note=note,
        created=_stamp(row["created"], "created"),
        updated=_stamp(row["updated"], "updated"),
    )


_KIND_NAMES: dict[type | None, str] = {
    str: "text",
    int: "a whole number",
    bool: "true or false",
    None: "null",
}


def _is(value: object, kind: type | None) -> bool:
    if kind is None:
        return value is None
    return type(value) is kind  # exact: JSON true is not the number 1


def _json_kind(value: object) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true or false"}
    if value is None:
        return "null"
    return names.get(type(value), "a list" if isinstance(value, list) else "an object")


def _stamp(value: str, field: str) -> str:
    """An export's timestamp in the store's own form (UTC, seconds), so they compare as text."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f'"{field}" is not a date and time') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


# -- files ---------------------------------------------------------------------------------
def write_text_atomic(path: Path, text: str) -> None:
    """Write an export whole or not at all."""
    write_atomic(path, text.encode("utf-8"))
