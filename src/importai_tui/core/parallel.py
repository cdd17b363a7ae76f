"""Parse sources in worker processes, a few files ahead of the caller, in order.

Parsing is pure (bytes in; issue rows or ReadError out) and is most of an import's time,
while the library's writes are one connection's. So the caller stores file k while workers
parse the files after it. Workers are forked, which is quick and gives them the loaded
parser, so only where forking is safe: on Linux, from a process running no other thread.
Elsewhere, and for jobs too small to repay starting workers, parsing happens in the caller
as it reads a file's rows, exactly as without this module.

A worker sends a file's rows a few issues at a time, as it parses them, so that the caller
starts storing an archive of a hundred issues after its first few, not after all of them:
at the start of an import it would otherwise wait for a whole file (a tenth of importing
1,000 issues in files of 100).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import count, islice
from multiprocessing.queues import SimpleQueue
from typing import Any, TypeVar

from importai_tui.core.parse import parse_with_texts
from importai_tui.core.rows import IssueRows, to_rows
from importai_tui.core.workpool import POLL, WatchedPool

K = TypeVar("K")
Parsed = Callable[[], Iterator[IssueRows]]

MIN_BYTES = 1 << 20  # under this in all, starting workers costs more than it saves
MAX_WORKERS = 4
WORKER_NICE = 10
AHEAD = 2  # files in flight per worker: enough to keep it busy, few enough to bound memory
CHUNK = 8  # issues a worker sends at a time
DONE = "done"  # a job's last message says so, or carries the exception that ended it

_outbox: SimpleQueue[Any] | None = None  # in a worker: where it sends rows


def rows_of(data: bytes) -> Iterator[IssueRows]:
    """The rows of each issue in ``data`` as it is parsed (ReadError as parse_lazily)."""
    return (to_rows(issue, texts) for issue, texts in parse_with_texts(data))


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
    """For each (key, data) job, in order: the key and a callable that returns an iterator
    over the rows of ``data``, which raises its ReadError (None where data is None: nothing
    to parse).

    With workers, the jobs are drawn and parsed ahead of the caller; closing the iterator
    (or an exception, Ctrl+C included, leaving the caller's loop) stops the workers at
    once. Without, each job is drawn when reached and parsed as its rows are read.
    """
    if workers <= 0:
        for key, data in jobs:
            yield key, None if data is None else _later(data)
        return
    context = multiprocessing.get_context("fork")
    outbox: SimpleQueue[Any] = context.SimpleQueue()
    # Ctrl+C reaches every process of the terminal's group: the workers ignore it (from
    # before they exist, so none dies in the middle of starting) and the caller stops them.
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # (The pool's threads and the inbox's are started meanwhile too: a thread that could
    # take Ctrl+C would have it raised in the caller even where the caller holds it back.)
    try:
        pool = WatchedPool(workers, _worker_start, (old_mask, outbox), context)
        inbox = _Inbox(outbox, pool)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    finished = False
    try:
        numbers = count()

        def submit(data: bytes | None) -> int | None:
            if data is None:
                return None
            job = next(numbers)
            pool.apply_async(_worker_parse, (job, data))
            return job

        todo = iter(jobs)
        pending = deque((key, submit(data)) for key, data in islice(todo, workers * AHEAD))
        while pending:
            key, job = pending.popleft()
            # one more in: the workers parse it while the caller stores this one
            pending.extend((nxt, submit(data)) for nxt, data in islice(todo, 1))
            yield key, None if job is None else inbox.reader(job)
        pool.finish()
        finished = True
    finally:
        pool.stop()
        inbox.close(wait=finished)


def _later(data: bytes) -> Parsed:
    return lambda: rows_of(data)


class _Inbox:
    """The rows the workers send, sorted by job as a thread reads them off the queue they
    share, so that a read a dying worker leaves half done blocks that thread, not the
    caller, who waits for a job's rows while watching that every worker is alive (a worker
    killed from outside, by the OOM killer say, raises WorkerLost there: no hang)."""

    def __init__(self, outbox: SimpleQueue[Any], pool: WatchedPool) -> None:
        self._outbox = outbox
        self._pool = pool
        self._lock = threading.Lock()
        self._boxes: dict[int, queue.SimpleQueue[tuple[int, list[IssueRows], object]]] = {}
        self._failed: Exception | None = None
        self._thread = threading.Thread(target=self._sort, name="parse-inbox", daemon=True)
        self._thread.start()

    def _box(self, job: int) -> queue.SimpleQueue[tuple[int, list[IssueRows], object]]:
        with self._lock:
            return self._boxes.setdefault(job, queue.SimpleQueue())

    def _sort(self) -> None:
        try:
            while True:
                message = self._outbox.get()
                self._box(message[0]).put(message)
        except (EOFError, OSError):
            return  # every writer has closed its end: the workers are gone, see close()
        except Exception as exc:  # noqa: BLE001 - a message that cannot be unpickled
            self._failed = RuntimeError(f"a parsing process sent what cannot be read ({exc})")

    def reader(self, job: int) -> Parsed:
        """A callable giving an iterator over ``job``'s rows, as they arrive."""
        return lambda: self._rows(job)

    def _rows(self, job: int) -> Iterator[IssueRows]:
        box = self._box(job)
        while True:
            try:
                _, rows, end = box.get(timeout=POLL)
            except queue.Empty:
                self._pool.check()
                if self._failed is not None:
                    raise self._failed from None
                continue
            yield from rows
            if end is None:
                continue
            with self._lock:
                del self._boxes[job]
            if isinstance(end, BaseException):
                raise end
            return

    def close(self, wait: bool) -> None:
        """After the pool has stopped: close the caller's end of the queue, so that the
        thread, once the workers' ends are closed too, reads to the end and ends; ``wait``
        for it if every job's rows came (else a worker that died writing may have left a
        message half written, which the thread, a daemon, may wait for forever)."""
        self._outbox._writer.close()  # type: ignore[attr-defined]
        if wait:
            self._thread.join()


def _worker_start(mask: set[signal.Signals], outbox: SimpleQueue[Any]) -> None:
    # The caller stores what the workers parse, one file at a time: it is the import's
    # critical path. With as many workers as CPUs, it would get two thirds of one;
    # niced, the workers take what it leaves (its waits on the disk among it).
    global _outbox
    _outbox = outbox
    os.nice(WORKER_NICE)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _worker_parse(job: int, data: bytes) -> None:
    """Send ``job``'s rows to the caller CHUNK issues at a time, then DONE, or the exception
    that stopped the parse (a ReadError, say) as the last message."""
    # Parsing makes a few hundred objects an issue (blocks, runs, lists), none in a cycle:
    # the cycle collector's passes over them free nothing and cost 5-10% of parsing. A
    # worker runs nothing else meanwhile, so it pauses the collector for each job.
    assert _outbox is not None
    gc.disable()
    rows: list[IssueRows] = []
    end: object = DONE
    try:
        for issue in rows_of(data):
            rows.append(issue)
            if len(rows) == CHUNK:
                _outbox.put((job, rows, None))
                rows = []
    except Exception as exc:  # noqa: BLE001 - raised in the caller, as the pool would
        end = exc
    finally:
        gc.enable()
    try:
        _outbox.put((job, rows, end))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled: say what it was
        _outbox.put((job, [], RuntimeError(f"parsing failed: {end!r}")))
