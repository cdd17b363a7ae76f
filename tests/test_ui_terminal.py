"""The reader in a real pseudo-terminal: it draws, quits on q and leaves the terminal clean."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

ALT_SCREEN_ON, ALT_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"


def read_until(
    fd: int,
    wanted: bytes,
    seen: bytearray,
    timeout: float = 30,
    proc: subprocess.Popen[bytes] | None = None,
) -> bool:
    """Read the terminal's output into ``seen`` until ``wanted`` shows up (or ``proc`` ends).

    Reading all along matters: a child whose terminal buffer is full blocks on writing.
    """
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen.extend(chunk)
    return wanted in seen


def test_reader_starts_in_a_terminal_and_q_restores_it() -> None:
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "importai_tui"],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        start_new_session=True,
    )
    os.close(child_fd)
    seen = bytearray()
    try:
        assert read_until(main_fd, ALT_SCREEN_ON, seen), bytes(seen[-500:])
        assert read_until(main_fd, b"palette", seen), "the footer never showed"
        os.write(main_fd, b"q")
        read_until(main_fd, b"\x00never", seen, timeout=30, proc=proc)
        assert proc.wait(timeout=5) == 0
        read_until(main_fd, b"\x00never", seen, timeout=0.5)  # drain what is left
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main_fd)
    after = bytes(seen[seen.rfind(ALT_SCREEN_OFF) :])
    assert after.startswith(ALT_SCREEN_OFF), "the alternate screen was not left"
    assert b"Traceback" not in seen
