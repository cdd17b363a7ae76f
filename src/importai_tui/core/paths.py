"""Where the program keeps its files; IMPORTAI_DATA_DIR and IMPORTAI_CACHE_DIR override."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import platformdirs

APP = "importai-tui"


def data_dir() -> Path:
    """The user data directory: sources and the user store (irreplaceable)."""
    override = os.environ.get("IMPORTAI_DATA_DIR")
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """The user cache directory: the library, derived and rebuildable."""
    override = os.environ.get("IMPORTAI_CACHE_DIR")
    return Path(override).expanduser() if override else Path(platformdirs.user_cache_dir(APP))


def bundled_issues() -> list[Path]:
    """The sample issues shipped inside the package (or beside it, in a source checkout)."""
    packaged = resources.files("importai_tui") / "assets" / "issues"
    candidates = [Path(str(packaged)), Path(__file__).resolve().parents[3] / "assets" / "issues"]
    for folder in candidates:
        if folder.is_dir():
            return sorted(p for p in folder.iterdir() if p.is_file())
    return []
