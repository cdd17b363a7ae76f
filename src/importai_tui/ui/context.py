"""Typed access to the reader app from its screens, without an import cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from importai_tui.ui.app import ReaderApp


def reader(node: DOMNode) -> ReaderApp:
    """The running reader app that ``node`` belongs to."""
    return cast("ReaderApp", node.app)
