"""A process pool that survives one of its workers being killed from outside.

``multiprocessing.Pool`` loses the task of a worker that dies (the OOM killer, a stray
``kill -9``) and replaces the worker without a word, so waiting for that task's result waits
forever. Stopping it can hang as well: an idle worker waits for its next task holding the
task queue's read lock, a worker may die half way through writing its result, and
``terminate()`` waits for threads that may be blocked on either. Here idle workers wait for
a task without the lock, results are awaited while watching that every worker is alive, and
a pool that lost a worker is stopped without waiting on anything it may have left behind.
This reaches into the pool's private attributes (stable from Python 3.8 to 3.13).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.context import BaseContext
from multiprocessing.pool import TERMINATE, Pool
from multiprocessing.process import BaseProcess
from multiprocessing.queues import SimpleQueue
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

T = TypeVar("T")

POLL = 0.2  # seconds between looks at the workers while a result is awaited
# A live worker holds the task queue's lock only while it reads a task that is already
# there, so a lock still held after this long is held by a worker that died.
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
        self._stopped = False

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

    def finish(self) -> None:
        """After the last result: let the workers exit, or stop them if one died."""
        if self.lost():
            self.stop()  # every result came: nothing is lost, but joining could hang
            return
        self.close()
        self.join()
        self._stopped = True  # (the workers have exited, as they were told to)
        self.terminate()

    def stop(self) -> None:
        """Stop every worker now, whatever state they are in, without hanging."""
        if self._stopped:
            return
        self._stopped = True
        if self.lost() or not self._drain_tasks():
            self._abandon()
        else:
            self.terminate()

    def lost(self) -> bool:
        """Whether a worker has ended (none does while the pool runs)."""
        return any(worker.exitcode is not None for worker in self.workers)

    def _drain_tasks(self) -> bool:
        """Let the task thread finish before ``terminate()``, which waits for it.

        It may be blocked writing a task (a whole file) into the pipe, full because the
        workers are gone; terminate() drains the pipe only while it finds something in it,
        and a thread that writes the next piece a moment later then waits forever. So stop
        the threads feeding it and read the pipe until it is done. False if the queue's lock
        stays taken (by a worker dying now).
        """
        lock = self._inqueue._rlock  # type: ignore[attr-defined]
        if not lock.acquire(timeout=LOCK_GRACE):
            return False
        try:
            self._halt_handlers()
            reader = self._inqueue._reader  # type: ignore[attr-defined]
            while self._task_handler.is_alive():  # type: ignore[attr-defined]
                if reader.poll(POLL):
                    reader.recv_bytes()
        finally:
            lock.release()
        return True

    def _halt_handlers(self) -> None:
        # the worker thread stops making workers and tells the task thread to end
        self._worker_handler._state = TERMINATE  # type: ignore[attr-defined]
        self._task_handler._state = TERMINATE  # type: ignore[attr-defined]
        self._change_notifier.put(None)  # type: ignore[attr-defined]

    def _abandon(self) -> None:
        """Stop a pool one of whose workers died: it may have died holding a queue's lock
        or half way through writing a result, so nothing may wait on the pool's threads.
        The workers are killed; the threads (daemons) are left to end with the process."""
        self._halt_handlers()
        self._worker_handler.join()  # type: ignore[attr-defined]  # makes no more workers
        for worker in [*self._pool, *self.workers]:  # type: ignore[attr-defined]
            if worker.exitcode is None:
                worker.kill()
            worker.join()
        self._terminate.cancel()  # type: ignore[attr-defined]  # nothing joins them at exit
        self._state = TERMINATE


def _how(code: int) -> str:
    if code < 0:
        try:
            return f"killed ({signal.Signals(-code).name})"
        except ValueError:
            return f"killed (signal {-code})"
    return f"ended (exit status {code})"
