"""Real faults for the tests: a user held to file permissions, a full disk, a held lock.

Nothing here is simulated inside the program: the kernel refuses the read or the write, the
file system runs out of space, another process holds the SQLite lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
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


# -- a full disk ------------------------------------------------------------------------------
@dataclass
class Disk:
    """A folder on a file system of its own that :meth:`fill` fills up: a small tmpfs when
    the tests may mount one (as root). Otherwise the disk is "full" for what runs under
    :meth:`full` through RLIMIT_FSIZE: the kernel then refuses to make any file longer
    (EFBIG, "file too large") just as a full disk refuses (ENOSPC)."""

    path: Path
    mounted: bool
    filled: bool = False

    @property
    def reason(self) -> str:
        """The system's words for the failure, as the program reports them."""
        return "no space left on device" if self.mounted else "file too large"

    def fill(self) -> None:
        """Take every free byte (mounted), or arm the size limit (otherwise)."""
        self.filled = True
        if not self.mounted:
            return
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            for size in (65536, 4096, 1):  # big blocks, then the last bytes of the last page
                with contextlib.suppress(OSError):
                    while True:
                        os.write(fd, b"\xff" * size)
        finally:
            os.close(fd)

    def free(self) -> None:
        """Give the space back."""
        self.filled = False
        (self.path / "filler").unlink(missing_ok=True)

    @contextlib.contextmanager
    def full(self) -> Iterator[None]:
        """Run the block (in this process) with the disk full."""
        if self.mounted or not self.filled:
            yield
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run ``importai ARGS`` (with the disk full if it was filled)."""
        limited = self.filled and not self.mounted
        return subprocess.run(
            [sys.executable, "-m", "importai_tui", *args],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=timeout,
            preexec_fn=_no_growth if limited else None,  # noqa: PLW1509
        )


def _no_growth() -> None:  # pragma: no cover - runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


@contextlib.contextmanager
def small_disk(path: Path, kib: int = 4096) -> Iterator[Disk]:
    """A :class:`Disk` at ``path`` (created), unmounted again afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={kib}k,mode=0755", "tmpfs", str(path)]
    mounted = (
        not os.environ.get("IMPORTAI_TEST_NO_MOUNT")  # to try the other way where mounting works
        and shutil.which("mount") is not None
        and subprocess.run(mount, capture_output=True, check=False).returncode == 0
    )
    try:
        yield Disk(path, mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], check=False)
