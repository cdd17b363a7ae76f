"""The user's collection: the sources store and the library built from it, kept in step."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from importai_tui.core import paths
from importai_tui.core.library import FILENAME, Library, LibraryError
from importai_tui.core.parse import PARSER_VERSION, parse_bytes
from importai_tui.core.readers import ReadError
from importai_tui.core.sources import SourceStore, digest

MAX_SOURCE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class AddOutcome:
    """What happened to one file given to ``add``."""

    path: str
    status: str  # added | updated | already in library | rejected
    detail: str = ""
    issues: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the file was usable."""
        return self.status != "rejected"


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
            entries = sources.entries()
            library = _rebuild(lib_path, sources)
            if entries:
                notices.append(
                    f"library {exc} at {lib_path}: rebuilt it from {len(entries)} "
                    f"source file(s), {library.count()} issue(s)"
                )
        coll = cls(sources, library, notices)
        if seed and library.count() == 0 and not sources.entries():
            outcomes = list(coll.add_paths(paths.bundled_issues()))
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
        self.library = _rebuild(self.library.path, self.sources)
        return self.library.count()

    # -- adding -------------------------------------------------------------------------
    def add_paths(self, targets: Iterable[Path]) -> Iterator[AddOutcome]:
        """Add files, and directories recursively; one outcome per file."""
        for target in targets:
            if target.is_dir():
                try:
                    files = sorted(p for p in target.rglob("*") if p.is_file())
                except OSError as exc:
                    yield AddOutcome(str(target), "rejected", _os_reason(exc))
                    continue
                for path in files:
                    if not any(part.startswith(".") for part in path.relative_to(target).parts):
                        yield self.add_file(path)
            else:
                yield self.add_file(target)

    def add_file(self, path: Path) -> AddOutcome:
        """Add one file; nothing from it is stored unless it holds an issue."""
        name = str(path)
        try:
            if not path.exists():
                return AddOutcome(name, "rejected", "no such file")
            if not path.is_file():
                return AddOutcome(name, "rejected", "not a regular file")
            if path.stat().st_size > MAX_SOURCE_BYTES:
                return AddOutcome(name, "rejected", "file too large (over 64 MiB)")
            data = path.read_bytes()
        except OSError as exc:
            return AddOutcome(name, "rejected", _os_reason(exc))
        return self.add_bytes(data, name)

    def add_bytes(self, data: bytes, name: str) -> AddOutcome:
        """Add a source given as bytes."""
        sha = digest(data)
        known = self.library.issues_of_source(sha)
        if known:
            labels = tuple(_label(number, issue_id) for issue_id, number in known)
            return AddOutcome(name, "already in library", issues=labels)
        try:
            issues = parse_bytes(data)
        except ReadError as exc:
            return AddOutcome(name, "rejected", str(exc))
        try:
            self.sources.put(data, os.path.basename(name))
            with self.library.transaction():
                statuses = [self.library.upsert(issue, sha) for issue in issues]
        except (OSError, sqlite3.Error) as exc:
            return AddOutcome(name, "rejected", f"could not store it: {_store_reason(exc)}")
        labels = tuple(_label(i.number, i.id) for i in issues)
        if "added" in statuses:
            status = "added"
        elif "updated" in statuses:
            status = "updated"
        else:
            status = "already in library"
        return AddOutcome(name, status, issues=labels)


def _label(number: int | None, issue_id: str) -> str:
    return f"Import AI {number}" if number is not None else f"untitled issue {issue_id}"


def _store_reason(exc: OSError | sqlite3.Error) -> str:
    return _os_reason(exc) if isinstance(exc, OSError) else str(exc)


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _rebuild(path: Path, sources: SourceStore) -> Library:
    """Build a new library from every source beside ``path``, then swap it in."""
    tmp = path.with_name(f"{path.name}.rebuild-{os.getpid()}")
    library = Library.create(tmp, PARSER_VERSION)
    try:
        with library.transaction():
            for entry in sources.entries():
                try:
                    issues = parse_bytes(sources.get(entry.sha256))
                except (ReadError, OSError):
                    continue
                for issue in issues:
                    library.upsert(issue, entry.sha256)
        library.close()
        for suffix in ("-journal", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        library.close()
        tmp.unlink(missing_ok=True)
        raise
    return Library.open(path, PARSER_VERSION)
