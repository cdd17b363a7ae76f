"""Group failures into distinct findings and shrink their examples (for the long run).

A finding is keyed by what went wrong, not by the input: a broken invariant by its rule
and field, an exception by its type and the frames where it was raised.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from importai_tui.core.readers import ReadError

from .checks import Violation, check_sample
from .strategies import Sample


@dataclass
class Finding:
    """One distinct failure, how often it was seen, and its smallest input so far."""

    key: str
    message: str
    frames: list[str]
    formats: dict[str, int] = field(default_factory=dict)
    count: int = 0
    smallest: bytes = b""
    smallest_format: str = ""

    def see(self, fmt: str, data: bytes) -> None:
        """Count one more input that fails this way."""
        self.count += 1
        self.formats[fmt] = self.formats.get(fmt, 0) + 1
        if not self.smallest or len(data) < len(self.smallest):
            self.smallest, self.smallest_format = data, fmt


def _frames(exc: BaseException) -> list[str]:
    """The traceback's frames outside this test package, innermost last."""
    out = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if "/tests/hostile/" in frame.filename:
            continue
        path = frame.filename
        for marker in ("/src/", "/site-packages/", "/lib/python"):
            if marker in path:
                path = path.split(marker, 1)[1]
                break
        out.append(f"{path}:{frame.lineno} in {frame.name}")
    return out


def classify(exc: BaseException) -> tuple[str, str, list[str]]:
    """(key, message, frames) of a failure."""
    if isinstance(exc, Violation):
        return f"invariant {exc.key}", str(exc)[:500], []
    frames = _frames(exc)
    own = [f for f in frames if f.startswith("importai_tui/")]
    where = own[-1] if own else "?"
    inner = frames[-1] if frames else "?"
    key = f"{type(exc).__name__} at {where}" + (f" (raised in {inner})" if inner != where else "")
    return key, f"{type(exc).__name__}: {exc}"[:500], frames


def outcome(sample: Sample) -> tuple[str, BaseException | None]:
    """'issues', 'rejected' or 'failed', and the failure."""
    try:
        result = check_sample(sample)
    except Exception as exc:  # the point: any exception at all is recorded, not raised
        return "failed", exc
    return ("rejected" if isinstance(result, ReadError) else "issues"), None


def same_failure(key: str, fmt: str) -> Callable[[bytes], bool]:
    """A predicate: does this input (pristine, in format ``fmt``) still fail with ``key``?"""

    def test(data: bytes) -> bool:
        status, exc = outcome(Sample(fmt, data, "utf-8", ()))
        return status == "failed" and exc is not None and classify(exc)[0] == key

    return test


def shrink(data: bytes, still_fails: Callable[[bytes], bool], budget: int = 3000) -> bytes:
    """Delta debugging: drop lines, then ever smaller chunks, while the failure persists."""
    tries = 0

    def attempt(candidate: bytes) -> bool:
        nonlocal tries
        tries += 1
        return still_fails(candidate)

    lines = data.splitlines(keepends=True)
    i = 0
    while i < len(lines) and tries < budget:  # whole lines first: readable examples
        candidate = b"".join(lines[:i] + lines[i + 1 :])
        if attempt(candidate):
            del lines[i]
        else:
            i += 1
    data = b"".join(lines)
    chunk = max(len(data) // 2, 1)
    while chunk >= 1 and tries < budget:
        i, changed = 0, False
        while i < len(data) and tries < budget:
            candidate = data[:i] + data[i + chunk :]
            if candidate != data and attempt(candidate):
                data, changed = candidate, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return data
