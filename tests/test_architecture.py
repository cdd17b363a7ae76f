"""House rules that keep the structure easy to see."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from importai_tui.core import paths


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, importai_tui.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'importai_tui.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_bundled_issues_are_packaged() -> None:
    names = {p.name for p in paths.bundled_issues()}
    assert {"text-archive-386-395.txt", "substack-body-stow-robots.html"} <= names


def test_modules_stay_small() -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "importai_tui"
    too_long = {
        str(p.relative_to(src)): n
        for p in src.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > 400
    }
    assert not too_long


def test_the_reader_starts_without_the_other_commands_modules(run_cli) -> None:  # type: ignore[no-untyped-def]
    # The reader's first frame waits for every module loaded before it: the parser, the
    # fetch and notes commands and the splitter's patterns are not among them.
    run_cli("list", check=True)  # seeds the library, which loads the splitter
    code = (
        "import sys\n"
        "from importai_tui import cli\n"
        "from importai_tui.ui.app import ReaderApp\n"
        "loaded = []\n"
        "real_parser = cli._parser\n"
        "def parser():\n"
        "    loaded.append('the parser')\n"
        "    return real_parser()\n"
        "cli._parser = parser\n"
        "cli._interactive = lambda: True\n"
        "unwanted = ('cli_fetch', 'cli_notes', 'core.fetch', 'core.patterns')\n"
        "ReaderApp.run = lambda self: print(loaded + [\n"
        "    m for m in unwanted if 'importai_tui.' + m in sys.modules])\n"
        "sys.exit(cli.main([]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
