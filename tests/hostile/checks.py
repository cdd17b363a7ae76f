"""The contract every input must meet, written once for the tests and the long run.

``parse_checked(data)`` calls the public entry point. It returns the issues, or the
program's own ``ReadError`` (a rejection); any other exception propagates, and a parsed
issue that breaks an invariant raises :class:`Violation`.

The invariants are what the program promises (core/sanitize.py, the model's docstrings,
ARCHITECTURE.md's "newsletter text is hostile" rule):

- every issue has at least one section, a non-empty title, sections numbered 1..n;
- every section has a non-empty one-line headline (at most MAX_HEADLINE characters) and a
  kind of story or tech_tale;
- no text that reaches the screen (title, headline, subtitle, body runs, link texts, the
  issue's URL and link targets) holds a control character other than newline and tab, an
  escape sequence, a bidi override or isolate, or a BOM: ``sanitize.clean`` strips these;
- an issue survives the library's storage: JSON with ensure_ascii=False, UTF-8 encoded (no
  lone surrogates), and back to an equal issue;
- the parsed text is not much larger than the input (no amplification).
"""

from __future__ import annotations

import json
import re

from importai_tui.core.model import Issue
from importai_tui.core.parse import parse_bytes
from importai_tui.core.readers import ReadError
from importai_tui.core.serialize import issue_from_data, issue_to_data
from importai_tui.core.splitter import MAX_HEADLINE

from .formats import SCRIPT_MARKER, STYLE_MARKER
from .strategies import Sample

# What sanitize.clean removes: C0 (but \t \n) and C1 controls, bidi overrides and isolates, BOM.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
AMPLIFICATION = 4  # parsed text may be at most this many times the input, plus SLACK
SLACK = 4096


class Violation(AssertionError):
    """A parsed issue (or a rejection message) breaks one of the program's promises."""

    def __init__(self, rule: str, detail: str, where: str = "") -> None:
        super().__init__(f"{rule}: {detail}")
        self.rule = rule
        self.where = where  # which field, for grouping findings: "headline", "link target"

    @property
    def key(self) -> str:
        """The rule and the kind of field, without ids: one key per distinct finding."""
        return f"{self.rule} ({self.where})" if self.where else self.rule


def parse_checked(data: bytes) -> list[Issue] | ReadError:
    """Parse ``data``; return the issues or the ReadError; raise Violation on broken promises."""
    try:
        issues = parse_bytes(data)
    except ReadError as exc:
        check_reason(str(exc))
        check_own_error(exc)
        return exc
    check_issues(issues, len(data))
    return issues


HTML_BASED = ("html", "rss", "atom", "webpage-substack", "webpage-wordpress")


def check_sample(sample: Sample) -> list[Issue] | ReadError:
    """The whole property for one generated input.

    Beyond :func:`parse_checked`: in pristine HTML-based inputs, what was inside <script>,
    <style> or <noscript> never becomes issue text.
    """
    result = parse_checked(sample.data)
    if isinstance(result, ReadError) or not sample.pristine or sample.format not in HTML_BASED:
        return result
    text = texts_of(result)
    for marker in (SCRIPT_MARKER, STYLE_MARKER):
        if marker in text and not _outside_scripts(sample.data, marker):
            at = text.index(marker)
            raise Violation("script-became-text", repr(text[max(at - 60, 0) : at + 40]))
    return result


# A script or style element in the input, its tags raw or escaped (feed bodies are escaped).
_SCRIPTS = re.compile(rb"(?:<|&lt;)(script|style)\b.*?(?:<|&lt;)/\1", re.S | re.I)


def _outside_scripts(data: bytes, marker: str) -> bool:
    """Whether ``marker`` is in ``data`` outside every script and style element: then it is
    text (the long run's shrinker cuts the tags away and keeps the marker)."""
    return marker.encode() in _SCRIPTS.sub(b"", data)


def check_own_error(exc: ReadError) -> None:
    """A rejection is the program's own verdict, not a library's exception relabelled.

    Own: a ValueError, or an exception class of importai_tui, raised in importai_tui code.

    ``readers.read`` turns any ValueError into a ReadError with the same message; when that
    ValueError came from a library (a UnicodeEncodeError inside the HTML parser, say), a
    well-formed input is rejected with a message that means nothing to the user.
    """
    cause = exc.__cause__
    if cause is None or str(cause) != str(exc):
        return
    tb = cause.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    raised_in = tb.tb_frame.f_code.co_filename if tb is not None else ""
    own_type = type(cause) is ValueError or type(cause).__module__.startswith("importai_tui")
    if not own_type or "importai_tui" not in raised_in:
        where = raised_in.rpartition("site-packages/")[2] or raised_in
        raise Violation(
            "foreign-error-as-rejection", f"{type(cause).__name__} in {where}: {cause}", "reason"
        )


def check_reason(reason: str) -> None:
    """A rejection is one short, clean line a user can read."""
    if not reason.strip():
        raise Violation("reason-empty", repr(reason))
    if "\n" in reason or UNSAFE.search(reason):
        raise Violation("reason-unsafe", repr(reason[:200]))


def _unsafe(rule: str, where: str, field: str, text: str | None) -> None:
    if text is None:
        return
    m = UNSAFE.search(text)
    if m:
        start = max(m.start() - 20, 0)
        detail = f"{where} {field} holds {m.group()!r}: {text[start : m.end() + 20]!r}"
        raise Violation(rule, detail, field)


def check_issues(issues: list[Issue], input_size: int) -> None:
    """Every invariant of a successful parse."""
    if not issues:
        raise Violation("no-issues", "parse_bytes returned an empty list instead of raising")
    ids = [i.id for i in issues]
    if len(set(ids)) != len(ids):
        raise Violation("duplicate-ids", repr(ids))
    total = 0
    for issue in issues:
        total += check_issue(issue)
    if total > AMPLIFICATION * input_size + SLACK:
        raise Violation("amplification", f"{input_size} input bytes gave {total} characters")


def check_issue(issue: Issue) -> int:
    """The invariants of one issue; return the size of its text."""
    label = f"issue {issue.id!r}"
    if not issue.id or (issue.number is not None and issue.id != str(issue.number)):
        raise Violation("bad-id", f"{label} number {issue.number!r}")
    if issue.number is not None and not 0 <= issue.number <= 9999:
        raise Violation("bad-number", f"{label} number {issue.number}")
    if not issue.title.strip():
        raise Violation("empty-title", label)
    _unsafe("unsafe-text", label, "title", issue.title)
    _unsafe("unsafe-url", label, "url", issue.url)
    if not issue.sections:
        raise Violation("no-sections", label)
    size = len(issue.title)
    for n, section in enumerate(issue.sections, start=1):
        where = f"{label} section {n}"
        if section.index != n:
            raise Violation("section-index", f"{where} has index {section.index}")
        if section.kind not in ("story", "tech_tale"):
            raise Violation("section-kind", f"{where} kind {section.kind!r}")
        if not section.headline.strip():
            raise Violation(
                "empty-headline", f"{where} ({section.kind}) has no headline", section.kind
            )
        if "\n" in section.headline or len(section.headline) > MAX_HEADLINE:
            raise Violation("long-headline", f"{where}: {len(section.headline)} characters")
        _unsafe("unsafe-text", where, "headline", section.headline)
        _unsafe("unsafe-text", where, "subtitle", section.subtitle)
        if section.subtitle is not None and not section.subtitle.strip():
            raise Violation("empty-subtitle", where)
        for block in section.blocks:
            if block.kind not in ("paragraph", "list_item", "rule"):
                raise Violation("block-kind", f"{where}: {block.kind!r}")
            if (block.kind == "list_item") != (block.depth >= 1):
                raise Violation("block-depth", f"{where}: {block.kind} at depth {block.depth}")
            for run in block.inlines:
                _unsafe("unsafe-text", where, "body", run.text)
                _unsafe("unsafe-url", where, "link target", run.href)
        for link in section.links:
            _unsafe("unsafe-text", where, "link text", link.text)
        size += len(section.headline) + len(section.subtitle or "") + len(section.text)
    for ref in issue.references:
        if not 0 <= ref.number <= 9999 or not 1 <= ref.section <= len(issue.sections):
            raise Violation("bad-reference", f"{label}: {ref}")
    _check_storage(issue)
    return size


def _check_storage(issue: Issue) -> None:
    """The library stores issues as UTF-8 JSON in SQLite; that must work and round-trip."""
    try:
        text = json.dumps(issue_to_data(issue), ensure_ascii=False, separators=(",", ":"))
        text.encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        raise Violation("not-storable", f"issue {issue.id!r}: {exc}") from exc
    if issue_from_data(json.loads(text)) != issue:
        raise Violation("storage-round-trip", f"issue {issue.id!r} changes when stored")


def texts_of(issues: list[Issue]) -> str:
    """All the text a user could see of ``issues``, for searching it in one go."""
    parts = []
    for issue in issues:
        parts += [issue.title, issue.url or ""]
        for s in issue.sections:
            parts += [s.headline, s.subtitle or "", s.text]
            parts += [f"{link.text} {link.url}" for link in s.links]
    return "\n".join(parts)
