"""Real faults for the tests: a user held to file permissions, a full disk, a held lock.

Nothing here is simulated inside the program: the kernel refuses the read or the write, the
file system runs out of space, another process holds the SQLite lock.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from pathlib import Path

PR_CAPBSET_DROP = 24
EINVAL = 22


def _drop_capabilities() -> None:  # pragma: no cover - runs in the child, before exec
    """Empty the capability bounding set: the program exec'd next has no capabilities."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != EINVAL:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_held_to_permissions(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``importai ARGS`` so that file permissions apply to it.

    Root reads and writes files whatever their mode (CAP_DAC_OVERRIDE): when the tests run
    as root, the command runs as root without any capability, which the kernel holds to the
    permission bits like any owner. Otherwise it runs as the tests' own user.
    """
    return subprocess.run(
        [sys.executable, "-m", "importai_tui", *args],
        capture_output=True,
        text=True,
        env=env if env is not None else os.environ.copy(),
        timeout=timeout,
        preexec_fn=_drop_capabilities if os.geteuid() == 0 else None,  # noqa: PLW1509
    )


def unwritable(path: Path) -> None:
    """Make a folder read-only (for the command run by :func:`run_held_to_permissions`)."""
    path.chmod(0o555)


def restore(*paths: Path) -> None:
    """Make folders writable again, so that pytest can clean them up."""
    for path in paths:
        if path.exists():
            path.chmod(0o755)
