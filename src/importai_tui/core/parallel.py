"""Parse sources in worker processes, a few files ahead of the caller, in order.

Parsing is pure (bytes in; issue rows or ReadError out) and is most of an import's time,
while the library's writes are one connection's. So the caller stores file k while workers
parse the files after it. Workers are forked, which is quick and gives them the loaded
parser, so only where forking is safe: on Linux, from a process running no other thread.
Elsewhere, and for jobs too small to repay starting workers, parsing happens in the caller
when it asks for a file's result, exactly as without this module.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TypeVar

from importai_tui.core.parse import parse_bytes
from importai_tui.core.rows import IssueRows, to_rows
from importai_tui.core.workpool import WatchedPool

K = TypeVar("K")
Parsed = Callable[[], list[IssueRows]]

MIN_BYTES = 1 << 20  # under this in all, starting workers costs more than it saves
MAX_WORKERS = 4
WORKER_NICE = 10
AHEAD = 2  # files in flight per worker: enough to keep it busy, few enough to bound memory


def parse_rows(data: bytes) -> list[IssueRows]:
    """Every issue in ``data`` as library rows; raise ReadError as parse_bytes does."""
    return [to_rows(issue) for issue in parse_bytes(data)]


def workers_for(sizes: list[int]) -> int:
    """How many worker processes to parse files of these sizes with (0: in the caller)."""
    if len(sizes) < 2 or sum(sizes) < MIN_BYTES:
        return 0
    if sys.platform != "linux" or threading.active_count() > 1:
        return 0  # forking a threaded process can copy a lock some other thread holds
    cpus = len(os.sched_getaffinity(0))
    return min(cpus, len(sizes), MAX_WORKERS) if cpus > 1 else 0


def parse_ahead(
    jobs: Iterable[tuple[K, bytes | None]], workers: int
) -> Generator[tuple[K, Parsed | None], None, None]:
    """For each (key, data) job, in order: the key and a callable that returns the rows of
    ``data`` or raises its ReadError (None where data is None: nothing to parse).

    With workers, the jobs are drawn and parsed ahead of the caller; closing the iterator
    (or an exception, Ctrl+C included, leaving the caller's loop) stops the workers at
    once. Without, each job is drawn when reached and parsed when its callable is called.
    """
    if workers <= 0:
        for key, data in jobs:
            yield key, None if data is None else _later(data)
        return
    # Ctrl+C reaches every process of the terminal's group: the workers ignore it (from
    # before they exist, so none dies in the middle of starting) and the caller stops them.
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = WatchedPool(workers, _worker_start, (old_mask,), multiprocessing.get_context("fork"))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    try:

        def submit(data: bytes | None) -> AsyncResult[list[IssueRows]] | None:
            return None if data is None else pool.apply_async(_worker_parse, (data,))

        todo = iter(jobs)
        pending = deque((key, submit(data)) for key, data in islice(todo, workers * AHEAD))
        while pending:
            key, result = pending.popleft()
            # one more in: the workers parse it while the caller stores this one
            pending.extend((nxt, submit(data)) for nxt, data in islice(todo, 1))
            # a worker killed from outside (the OOM killer) raises WorkerLost here, no hang
            yield key, None if result is None else pool.result(result)
        pool.finish()
    finally:
        pool.stop()


def _later(data: bytes) -> Parsed:
    return lambda: parse_rows(data)


def _worker_start(mask: set[signal.Signals]) -> None:
    # The caller stores what the workers parse, one file at a time: it is the import's
    # critical path. With as many workers as CPUs, it would get two thirds of one;
    # niced, the workers take what it leaves (its waits on the disk among it).
    os.nice(WORKER_NICE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _worker_parse(data: bytes) -> list[IssueRows]:
    # Parsing makes a few hundred objects an issue (blocks, runs, lists), none in a cycle:
    # the cycle collector's passes over them free nothing and cost 5-10% of parsing. A
    # worker runs nothing else meanwhile, so it pauses the collector for each job.
    gc.disable()
    try:
        return parse_rows(data)
    finally:
        gc.enable()
