"""Where the program keeps its files; IMPORTAI_DATA_DIR and IMPORTAI_CACHE_DIR override."""

from __future__ import annotations

import os
from pathlib import Path

APP = "importai-tui"


def data_dir() -> Path:
    """The user data directory: sources and the user store (irreplaceable)."""
    override = os.environ.get("IMPORTAI_DATA_DIR")
    return Path(override).expanduser() if override else _platform_dir("data")


def cache_dir() -> Path:
    """The user cache directory: the library, derived and rebuildable."""
    override = os.environ.get("IMPORTAI_CACHE_DIR")
    return Path(override).expanduser() if override else _platform_dir("cache")


def _platform_dir(kind: str) -> Path:
    import platformdirs  # 3-9 ms to load: only where no override is set

    if kind == "data":
        return Path(platformdirs.user_data_dir(APP))
    return Path(platformdirs.user_cache_dir(APP))


def bundled_issues() -> list[Path]:
    """The sample issues shipped inside the package (or beside it, in a source checkout)."""
    from importlib import resources

    packaged = resources.files("importai_tui") / "assets" / "issues"
    candidates = [Path(str(packaged)), Path(__file__).resolve().parents[3] / "assets" / "issues"]
    for folder in candidates:
        if folder.is_dir():
            return sorted(p for p in folder.iterdir() if p.is_file())
    return []
