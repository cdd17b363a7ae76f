"""Start a program in a pseudo-terminal and time it to its first full paint; read its memory."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

COLUMNS, ROWS = 160, 45
FOOTER = b"palette"  # Textual's footer shows the command palette key once it is drawn


@dataclass(frozen=True)
class TerminalRun:
    """One start of a program: seconds to the footer, and peak resident memory in bytes."""

    first_paint: float
    peak_rss: int


def _read_until(fd: int, wanted: bytes, seen: bytearray, timeout: float) -> bool:
    """Read the terminal into ``seen`` until ``wanted`` shows up (reading keeps the child
    from blocking on a full buffer)."""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen.extend(chunk)
    return wanted in seen


def _drain(fd: int, seconds: float) -> None:
    _read_until(fd, b"\x00never", bytearray(), seconds)


def peak_rss(pid: int) -> int:
    """The process's high-water mark of resident memory (VmHWM), in bytes."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def run_in_terminal(
    argv: list[str],
    env: dict[str, str],
    *,
    exercise: tuple[tuple[bytes, bytes], ...] = (),
    settle: float = 0.5,
    timeout: float = 60,
) -> TerminalRun:
    """Spawn ``argv`` in a 160x45 terminal, time it until the footer is drawn, then send the
    ``exercise`` keys (each waiting for its bytes to appear), read its peak memory, quit."""
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    child_env = dict(env, TERM="xterm-256color")
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        child_env.pop(name, None)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=child_env,
        start_new_session=True,
    )
    os.close(child_fd)
    seen = bytearray()
    try:
        if not _read_until(main_fd, FOOTER, seen, timeout):
            raise RuntimeError(f"{argv}: the footer never showed: {bytes(seen[-400:])!r}")
        first_paint = time.perf_counter() - start
        for keys, wanted in exercise:
            seen.clear()
            os.write(main_fd, keys)
            if wanted and not _read_until(main_fd, wanted, seen, min(timeout, 20)):
                raise RuntimeError(f"{argv}: {wanted!r} never showed after {keys!r}")
        _drain(main_fd, settle)
        rss = peak_rss(proc.pid)
        os.write(main_fd, b"\x1b")  # leave any dialog (a lone escape, after a pause) ...
        _drain(main_fd, 0.3)
        os.write(main_fd, b"q")  # ... and quit
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            _drain(main_fd, 0.1)
        if proc.poll() is None:
            raise RuntimeError(f"{argv}: did not quit on q")
        if b"Traceback" in seen:
            raise RuntimeError(f"{argv}: crashed: {bytes(seen[-800:])!r}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main_fd)
    return TerminalRun(first_paint, rss)
