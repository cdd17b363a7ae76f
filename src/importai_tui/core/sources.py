"""The sources store: raw bytes of everything imported, content-addressed, never rewritten."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from importai_tui.core.atomic import write_atomic


@dataclass(frozen=True)
class SourceEntry:
    """One imported source, in import order."""

    sha256: str
    name: str
    added: str


def digest(data: bytes) -> str:
    """The content address of ``data``."""
    import hashlib  # OpenSSL takes 5-8 ms to load: only for adding

    return hashlib.sha256(data).hexdigest()


class SourceStore:
    """Files under ``root/objects`` named by SHA-256, and ``root/log.jsonl`` in import order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log = root / "log.jsonl"
        self._logged: dict[str, tuple[int, int]] = {}  # put here: log size before, after

    def path(self, sha: str) -> Path:
        """Where the source with this digest lives."""
        return self.root / "objects" / sha[:2] / sha

    def has(self, sha: str) -> bool:
        """Whether the source is stored."""
        return self.path(sha).is_file()

    def get(self, sha: str) -> bytes:
        """The bytes of a stored source."""
        return self.path(sha).read_bytes()

    def put(self, data: bytes, name: str, sha: str | None = None) -> str:
        """Store ``data`` (once) and log it; return its digest (``sha``, if the caller
        already has it)."""
        sha = sha or digest(data)
        if self.has(sha):
            return sha
        self.path(sha).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path(sha), data)
        entry = {"sha256": sha, "name": name, "added": dt.datetime.now(dt.UTC).isoformat()}
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self._logged[sha] = self._append(line)
        except BaseException:
            self.discard(sha)  # all of it or nothing: no object the log does not name
            raise
        return sha

    def _append(self, line: bytes) -> tuple[int, int]:
        """Add a line to the log whole, or leave the log as it was (a full disk can take
        part of a write: the part is cut off again, so the next line starts on its own);
        return the log's size before and after."""
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            size = os.lseek(fd, 0, os.SEEK_END)
            try:
                done = 0
                while done < len(line):  # unbuffered: a failed write leaves nothing pending
                    done += os.write(fd, line[done:])
                os.fsync(fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
            return size, size + len(line)
        finally:
            os.close(fd)

    def discard(self, sha: str) -> None:
        """Take back a source just stored whose import failed: its object, and its log line
        unless another line was logged since (entries() skips a line without its object)."""
        with contextlib.suppress(OSError):
            self.path(sha).unlink()
        before, after = self._logged.pop(sha, (-1, -1))
        with contextlib.suppress(OSError), open(self.log, "r+b") as fh:
            if fh.seek(0, os.SEEK_END) == after:
                fh.truncate(before)

    def entries(self) -> list[SourceEntry]:
        """Every stored source, oldest first; objects missing from the log come last."""
        seen: set[str] = set()
        out: list[SourceEntry] = []
        if self.log.is_file():
            for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    raw = json.loads(line)
                    entry = SourceEntry(str(raw["sha256"]), str(raw["name"]), str(raw["added"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a crash
                if entry.sha256 not in seen and self.has(entry.sha256):
                    seen.add(entry.sha256)
                    out.append(entry)
        objects = self.root / "objects"
        if objects.is_dir():
            for path in sorted(objects.glob("*/*")):
                if path.name not in seen and len(path.name) == 64:
                    seen.add(path.name)
                    out.append(SourceEntry(path.name, path.name, ""))
        return out
