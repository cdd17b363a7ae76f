"""The files ``add`` is given: walking directories and reading files from anywhere, safely.

Paths come from the user and may be anything: a symbolic link loop, a FIFO that would block
a reader forever, a file or folder the user may not read, a folder of thousands of files, a
file another program is writing. Each is either read whole, as it was at one moment, or
refused with a reason naming it; nothing blocks and nothing stops the other files.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_SOURCE_BYTES = 64 * 1024 * 1024
CHUNK = 64 * 1024
READ_TRIES = 3  # reads of a file that changes under us before it is refused

_REASONS = {
    errno.ELOOP: "symbolic link loop",
    errno.ENOENT: "no such file",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENXIO: "not a regular file",  # a socket, or a device with nothing behind it
}


@dataclass(frozen=True)
class AddOutcome:
    """What happened to one file given to ``add``."""

    path: str
    status: str  # added | updated | already in library | rejected
    detail: str = ""
    issues: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the file was usable."""
        return self.status != "rejected"


def reason(exc: OSError) -> str:
    """A short lower-case reason for an error reading or listing a path."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return (exc.strerror or str(exc)).lower()


def refused(path: Path, why: str) -> AddOutcome:
    """The outcome of a path that cannot be imported."""
    return AddOutcome(str(path), "rejected", why)


def plan(targets: Iterable[Path]) -> Iterator[Path | AddOutcome]:
    """The files to add, in order, and an outcome for each path that cannot be: a folder
    that cannot be listed or holds nothing to import, a link loop, a FIFO, a device."""
    for target in targets:
        try:
            is_dir = stat.S_ISDIR(target.stat().st_mode)
        except OSError:
            is_dir = False  # read_source names the problem
        if not is_dir:
            yield target
            continue
        found = sorted(_walk(target), key=lambda item: item[0])
        if not found:
            yield refused(target, "no files in it")
        yield from (item for _, item in found)


def _walk(top: Path) -> Iterator[tuple[Path, Path | AddOutcome]]:
    """(path, what to do with it) under ``top``; links to folders are not followed (no loops)."""
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            yield folder, refused(folder, f"cannot list it: {reason(exc)}")
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden: .git, editors' swap files, .DS_Store
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif entry.is_symlink() and path.is_dir():
                    yield path, refused(path, "link to a folder, not followed")
                elif entry.is_file():
                    yield path, path
                else:
                    yield path, _special(path)
            except OSError as exc:
                yield path, refused(path, reason(exc))


def _special(path: Path) -> AddOutcome:
    """Why an entry that is neither a folder nor a regular file is left out."""
    try:
        path.stat()
    except OSError as exc:
        return refused(path, reason(exc))  # a link loop or a link to nothing
    return refused(path, "not a regular file")


def read_source(path: Path) -> bytes | AddOutcome:
    """The bytes of a regular file, all from one moment, or why it is refused.

    Opened without blocking (a FIFO put where a file was checked cannot hang us), checked to
    be a regular file on the open descriptor, and read at most to the size it had: a file
    that is still being written is read again, and refused if it keeps changing.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        return refused(path, reason(exc))
    try:
        return _read_fd(path, fd)
    except OSError as exc:
        return refused(path, reason(exc))
    finally:
        os.close(fd)


def _read_fd(path: Path, fd: int) -> bytes | AddOutcome:
    before = os.fstat(fd)
    if not stat.S_ISREG(before.st_mode):
        return refused(path, "a folder" if stat.S_ISDIR(before.st_mode) else "not a regular file")
    for _ in range(READ_TRIES):
        if before.st_size > MAX_SOURCE_BYTES:
            return refused(path, "file too large (over 64 MiB)")
        os.lseek(fd, 0, os.SEEK_SET)
        chunks, left = [], before.st_size + 1  # one byte more: is it longer than it was?
        while left > 0:
            chunk = os.read(fd, min(CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        after = os.fstat(fd)
        if len(data) == before.st_size and _same(before, after):
            return data
        before = after
    return refused(path, "it kept changing while being read; try again once it is written")


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (b.st_size, b.st_mtime_ns, b.st_ctime_ns)
