"""Naming storage faults: a full disk, a read-only folder, a store locked by another program.

SQLite says "database or disk is full", "disk I/O error" or "unable to open database file"
without saying which disk or why; the operating system knows. So when a write fails, the
folder is asked directly (a small file is created, written and removed there) and the user
is told what it answered: no space left, permission denied, read-only file system.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from importai_tui.core.sqlite import sqlite3

PROBE_BYTES = 64 * 1024
LIBRARY_WAIT = 5.0  # seconds: sqlite3.connect's default busy timeout, which the library has

# SQLite's primary result codes that say the store is fine but cannot be used right now
# (as opposed to SQLITE_CORRUPT or SQLITE_NOTADB: the file itself is bad).
_ENVIRONMENT = {
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_NOMEM,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_AUTH,
}


class StorageError(OSError):
    """Something could not be stored; the message names the place and the reason, and says
    that what was stored before is kept."""


def is_busy(exc: BaseException) -> bool:
    """Whether an SQLite error means another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def is_environment(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error comes from around the file (disk, permissions, locks), not
    from the file's contents."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return is_busy(exc)
    return code & 0xFF in _ENVIRONMENT


def os_reason(exc: OSError) -> str:
    """An operating system error as a short lower-case reason."""
    return (exc.strerror or str(exc)).lower()


def probe(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` (the system's own words), or None if it can."""
    import tempfile  # only once something failed

    try:
        fd, name = tempfile.mkstemp(prefix=".importai-probe-", dir=folder)
    except OSError as exc:
        return os_reason(exc)
    try:
        os.write(fd, b"\0" * PROBE_BYTES)
        os.fsync(fd)
    except OSError as exc:
        return os_reason(exc)
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
    return None


def sqlite_reason(exc: sqlite3.Error, path: Path, wait: float) -> str:
    """Why the SQLite file at ``path`` could not be used, as the user can act on it (the
    caller names the file)."""
    if is_busy(exc):
        return f"in use by another program (waited {wait:g} s); try again"
    if is_environment(exc):
        probed = probe(path.parent)
        if probed is not None:
            return probed
    return str(exc)
