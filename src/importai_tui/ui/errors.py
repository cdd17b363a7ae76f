"""One place that turns a failed worker into a notification instead of a crash."""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState


def report_worker_error(node: DOMNode, event: Worker.StateChanged) -> None:
    """Show a failed worker's error as a notification; the app carries on."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        node.app.notify(
            f"{event.worker.name or 'background task'} failed: {event.worker.error}",
            title="Error",
            severity="error",
            markup=False,
        )
