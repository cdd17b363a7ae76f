"""The user's collection: the sources store and the library built from it, kept in step."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from importai_tui.core import paths
from importai_tui.core.addpaths import AddOutcome as AddOutcome
from importai_tui.core.addpaths import plan, read_source
from importai_tui.core.library import FILENAME, Library, LibraryError
from importai_tui.core.parse import PARSER_VERSION
from importai_tui.core.readers import ReadError
from importai_tui.core.sources import SourceStore, digest
from importai_tui.core.sqlite import sqlite3
from importai_tui.core.storage_errors import (
    LIBRARY_WAIT,
    StorageError,
    is_busy,
    os_reason,
    sqlite_reason,
)

if TYPE_CHECKING:  # multiprocessing costs the reader ~20 ms to import; only adding needs it
    from importai_tui.core.parallel import Parsed
    from importai_tui.core.rows import IssueRows


# a file to add: the outcome it was refused with, or its (name, digest, bytes)
_Job = AddOutcome | tuple[str, str, bytes]


@dataclass
class Collection:
    """Sources (irreplaceable, in the data dir) and the library (derived, in the cache dir)."""

    sources: SourceStore
    library: Library
    notices: list[str] = field(default_factory=list)

    @classmethod
    def open(
        cls, data_dir: Path | None = None, cache_dir: Path | None = None, *, seed: bool = True
    ) -> Collection:
        """Open the collection, rebuilding the library if needed and seeding a new one."""
        data_dir = data_dir or paths.data_dir()
        cache_dir = cache_dir or paths.cache_dir()
        sources = SourceStore(data_dir / "sources")
        lib_path = cache_dir / FILENAME
        notices: list[str] = []
        try:
            library = Library.open(lib_path, PARSER_VERSION)
        except LibraryError as exc:
            if exc.__cause__ is not None and is_busy(exc.__cause__):
                # locked, not broken: rebuilding would replace the file under its holder
                raise StorageError(
                    f"{lib_path}: the library is in use by another program "
                    f"(waited {LIBRARY_WAIT:g} s); try again"
                ) from exc
            entries = sources.entries()
            library = _built(lib_path, sources)
            if entries:
                notices.append(
                    f"library {exc} at {lib_path}: rebuilt it from {len(entries)} "
                    f"source file(s), {library.count()} issue(s)"
                )
        coll = cls(sources, library, notices)
        if seed and library.count() == 0 and not sources.entries():
            outcomes: list[AddOutcome] = []
            try:
                outcomes.extend(coll.add_paths(paths.bundled_issues()))
            except StorageError as exc:  # the command asked for may still work: say, go on
                notices.append(f"first run: could not import the bundled sample issues: {exc}")
            added = sum(len(o.issues) for o in outcomes if o.ok)
            if added:
                notices.append(f"first run: imported the {added} bundled sample issues")
        return coll

    @property
    def data_dir(self) -> Path:
        """The data directory the sources live in."""
        return self.sources.root.parent

    @property
    def cache_dir(self) -> Path:
        """The cache directory the library lives in."""
        return self.library.path.parent

    def close(self) -> None:
        """Close the library."""
        self.library.close()

    def rebuild(self) -> int:
        """Rebuild the library from the sources; return the number of issues."""
        self.library.close()
        self.library = _built(self.library.path, self.sources)
        return self.library.count()

    # -- adding -------------------------------------------------------------------------
    def add_paths(
        self, targets: Iterable[Path], *, workers: int | None = None
    ) -> Iterator[AddOutcome]:
        """Add files, and directories recursively; one outcome per file, in order.

        Each file is stored as ``add_file`` would, and only once its outcome is yielded;
        ``workers`` processes (by default as many as pay off, see core.parallel) parse the
        files after the one being stored.
        """
        from importai_tui.core.parallel import parse_ahead, workers_for

        plan_ = list(plan(targets))
        if workers is None:
            workers = workers_for([_size(item) for item in plan_ if isinstance(item, Path)])
        jobs = (self._job(item) for item in plan_)
        with closing(parse_ahead(jobs, workers)) as parsing:
            for job, parsed in parsing:
                if isinstance(job, AddOutcome):
                    yield job
                else:
                    name, sha, data = job
                    yield self._add(data, name, sha, parsed)

    def _job(self, item: Path | AddOutcome) -> tuple[_Job, bytes | None]:
        """A planned file read, and the bytes to parse unless it is refused or known."""
        got = read_source(item) if isinstance(item, Path) else item
        if isinstance(got, AddOutcome):
            return got, None
        sha = digest(got)
        return (str(item), sha, got), None if self.library.issues_of_source(sha) else got

    def add_file(self, path: Path) -> AddOutcome:
        """Add one file; nothing from it is stored unless it holds an issue."""
        got = read_source(path)
        return got if isinstance(got, AddOutcome) else self.add_bytes(got, str(path))

    def add_bytes(self, data: bytes, name: str) -> AddOutcome:
        """Add a source given as bytes."""
        return self._add(data, name, digest(data), None)

    def _store_source(self, data: bytes, name: str, sha: str) -> _Background:
        """Start writing the source (three fsyncs) while its issues are stored, not after
        them. Call it with Ctrl+C held back: the thread inherits that, so it never takes
        Ctrl+C (raised in the caller even inside a block that holds it back), and one that
        arrives meanwhile is raised only once the caller holds the thread."""
        return _Background(self.sources.put, data, os.path.basename(name), sha)

    def _fault(self, exc: OSError | sqlite3.Error) -> str:
        """Why storing failed, naming where; and that what was stored before is kept."""
        if isinstance(exc, OSError):
            where = Path(exc.filename).parent if exc.filename else self.data_dir
            why = f"{os_reason(exc)} (in {where})"
        else:
            why = f"{sqlite_reason(exc, self.library.path, LIBRARY_WAIT)} ({self.library.path})"
        return f"{why}; stopped here, what was stored before is kept"

    def _add(self, data: bytes, name: str, sha: str, parsed: Parsed | None) -> AddOutcome:
        """Add a source whose digest is ``sha``; ``parsed`` gives its rows if already asked
        of a worker."""
        known = self.library.issues_of_source(sha)
        if known:
            labels = tuple(_label(number, issue_id) for issue_id, number in known)
            return AddOutcome(name, "already in library", issues=labels)
        from importai_tui.core.parallel import rows_of

        issues: list[IssueRows] = []
        statuses: list[str] = []
        new_source = not self.sources.has(sha)
        committed = False
        storing: _Background | None = None
        try:
            with self.library.transaction():
                # each issue is stored as it is parsed; the file's transaction commits only
                # once all are, and a ReadError (raised before the first) stores nothing
                for issue in parsed() if parsed is not None else rows_of(data):
                    if storing is None:
                        with _uninterrupted():  # raised after this, storing is known
                            storing = self._store_source(data, name, sha)
                    issues.append(issue)
                    statuses.append(self.library.upsert(issue, sha))
                # The source is stored before the commit, so that no library names a source
                # the store lacks; Ctrl+C is held back from here, so that it is not stored
                # without its issues either.
                with _uninterrupted():
                    if storing is not None:
                        storing.result()
                    self.library.commit()
                    committed = True
        except BaseException as exc:
            with _uninterrupted():
                if storing is not None:
                    storing.settle()
                # (a Ctrl+C held back across the commit is raised here after it: keep all)
                if storing is not None and new_source and not committed:
                    self.sources.discard(sha)  # nothing of this file is kept
            if isinstance(exc, ReadError):
                return AddOutcome(name, "rejected", str(exc))
            if isinstance(exc, ChildProcessError) or not isinstance(exc, OSError | sqlite3.Error):
                raise  # Ctrl+C; a parsing process lost (core.workpool.WorkerLost): no fault here
            # a full disk, a read-only folder, a lock held elsewhere: no later file would fare
            # better, so stop here with one line rather than one per file
            raise StorageError(f"{name}: not stored: {self._fault(exc)}") from exc
        labels = tuple(_label(i.number, i.id) for i in issues)
        if "added" in statuses:
            status = "added"
        elif "updated" in statuses:
            status = "updated"
        else:
            status = "already in library"
        return AddOutcome(name, status, issues=labels)


class _Background:
    """A call run in a thread of its own while the caller goes on."""

    def __init__(self, call: Callable[..., object], *args: object) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(call, args), daemon=True)
        self._thread.start()

    def _run(self, call: Callable[..., object], args: tuple[object, ...]) -> None:
        try:
            call(*args)
        except BaseException as exc:  # noqa: BLE001 - raised in the caller by result()
            self._error = exc

    def result(self) -> None:
        """Wait for the call to end; raise what it raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def settle(self) -> None:
        """Wait for the call to end, whatever it did."""
        self._thread.join()


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold Ctrl+C (SIGINT) back until the block is done; it is raised right after."""
    if threading.current_thread() is not threading.main_thread() or os.name != "posix":
        yield  # only the main thread is ever interrupted
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _label(number: int | None, issue_id: str) -> str:
    return f"Import AI {number}" if number is not None else f"untitled issue {issue_id}"


def _get(sources: SourceStore, sha: str) -> bytes | None:
    try:
        return sources.get(sha)
    except OSError:
        return None


def _built(path: Path, sources: SourceStore) -> Library:
    """:func:`_rebuild`, failing with one line naming the file when it cannot be written."""
    try:
        return _rebuild(path, sources)
    except BaseException as exc:
        # _rebuild removes its new file, unless creating it failed half way (a full disk)
        _rebuilding(path).unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            why = sqlite_reason(exc, path, LIBRARY_WAIT)
        elif isinstance(exc, OSError) and not isinstance(exc, StorageError | ChildProcessError):
            why = os_reason(exc)
        else:
            raise  # a worker lost, Ctrl+C, a bug: as they are
        raise StorageError(f"{path}: cannot build the library: {why}") from exc


def _rebuilding(path: Path) -> Path:
    """Where the library at ``path`` is built before it is renamed into place."""
    return path.with_name(f"{path.name}.rebuild-{os.getpid()}")


def _rebuild(path: Path, sources: SourceStore) -> Library:
    """Build a new library from every source beside ``path``, then swap it in."""
    from importai_tui.core.parallel import parse_ahead, workers_for

    tmp = _rebuilding(path)
    library = Library.create(tmp, PARSER_VERSION)
    try:
        entries = sources.entries()
        workers = workers_for([_size(sources.path(entry.sha256)) for entry in entries])
        jobs = ((entry.sha256, _get(sources, entry.sha256)) for entry in entries)
        with closing(parse_ahead(jobs, workers)) as parsing, library.transaction():
            for sha, parsed in parsing:
                try:
                    for issue in parsed() if parsed is not None else ():
                        library.upsert(issue, sha)
                except ReadError:
                    continue  # (raised before the source's first issue: none is stored)
        library.close()
        for suffix in ("-journal", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        library.close()
        tmp.unlink(missing_ok=True)
        raise
    return Library.open(path, PARSER_VERSION)
