"""A process pool that survives one of its workers being killed from outside.

``multiprocessing.Pool`` loses the task of a worker that dies (the OOM killer, a stray
``kill -9``) and replaces the worker without a word, so waiting for that task's result waits
forever. Worse, an idle worker waits for its next task holding the task queue's read lock: if
it is the one killed, the lock is never released and ``Pool.terminate()`` (which takes that
lock) hangs too. Here idle workers wait for a task without the lock, results are awaited while
watching that every worker is alive, and a pool is stopped only once its lock is free.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.context import BaseContext
from multiprocessing.pool import AsyncResult, Pool
from multiprocessing.process import BaseProcess
from multiprocessing.queues import SimpleQueue
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

T = TypeVar("T")

POLL = 0.2  # seconds between looks at the workers while a result is awaited
# A live worker holds the task queue's lock only while it reads a task that is already
# there, so a lock still held after this long is held by a dead worker.
LOCK_GRACE = 2.0


class WorkerLost(ChildProcessError):
    """A worker process ended while the pool was in use: its work is lost."""


class _TaskQueue(SimpleQueue[Any]):
    """The pool's task queue, read by a worker only once a task is waiting (see module doc)."""

    def get(self) -> Any:
        """The next task; waits without the lock, so a worker killed idle holds nothing."""
        while True:
            self._reader.poll(None)  # type: ignore[attr-defined]
            with self._rlock:  # type: ignore[attr-defined]
                if self._reader.poll(0):  # type: ignore[attr-defined]
                    data = self._reader.recv_bytes()  # type: ignore[attr-defined]
                    break
        return ForkingPickler.loads(data)


class WatchedPool(Pool):
    """``multiprocessing.Pool`` with the task queue above and its first workers known."""

    def __init__(self, processes: int, initializer: Callable[..., object], initargs: Any,
                 context: BaseContext) -> None:  # fmt: skip
        before = set(multiprocessing.active_children())
        super().__init__(processes, initializer, initargs, context=context)
        self.workers: list[BaseProcess] = [
            p for p in multiprocessing.active_children() if p not in before
        ]

    def _setup_queues(self) -> None:
        super()._setup_queues()  # type: ignore[misc]
        self._inqueue = _TaskQueue(ctx=self._ctx)  # type: ignore[attr-defined]
        self._quick_put = self._inqueue._writer.send  # type: ignore[attr-defined]

    def check(self) -> None:
        """Raise :class:`WorkerLost` if any worker has ended (none ends while the pool runs)."""
        for worker in self.workers:
            code = worker.exitcode
            if code is not None:
                raise WorkerLost(
                    f"a parsing process ({worker.pid}) was {_how(code)}, perhaps by the system "
                    "for lack of memory; import stopped, what was stored before is kept"
                )

    def result(self, pending: AsyncResult[T]) -> Callable[[], T]:
        """A callable that waits for ``pending`` while the workers live; WorkerLost if not."""

        def get() -> T:
            while True:
                self.check()
                try:
                    return pending.get(POLL)
                except multiprocessing.TimeoutError:
                    continue

        return get

    def free_lock(self) -> None:
        """Release the task queue's lock if a dead worker holds it (else stopping hangs)."""
        lock = self._inqueue._rlock  # type: ignore[attr-defined]
        held = not lock.acquire(timeout=LOCK_GRACE)
        if not held or any(worker.exitcode is not None for worker in self.workers):
            lock.release()  # ours just taken, or the dead worker's

    def stop(self) -> None:
        """Stop every worker now, whatever state they are in."""
        self.free_lock()
        self.terminate()


def _how(code: int) -> str:
    if code < 0:
        try:
            return f"killed ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed (signal {-code})"
    return f"ended (exit status {code})"
