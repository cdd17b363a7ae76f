"""Entry point for ``python -m importai_tui``."""

from importai_tui.cli import main

raise SystemExit(main())
