"""The opt-in long run: many generated inputs in every format, then the parse-time figures.

Run from the repository root (one process; it takes about an hour for 100,000 inputs on a
2-core machine)::

    .venv/bin/python -m tests.hostile.long_run --inputs 100000 --json long-run.json
    .venv/bin/python -m tests.hostile.long_run --figures-only

Unlike the suite, the run does not stop at the first failure: every input is tried, each
distinct failure (a broken invariant, or an exception other than ReadError) is counted per
format, and its smallest input is shrunk at the end. A sample of the inputs also goes
through ``importai add`` in a subprocess (exit 0 or 2, never a traceback). The inputs are
random (a new seed each run). The pytest way, which stops each property at its first
failure and shrinks it::

    IMPORTAI_FUZZ_EXAMPLES=12500 .venv/bin/python -m pytest tests/hostile -p no:cacheprovider
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from importlib import metadata
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from .figures import MB, REALISTIC, linearity, peak_memory
from .findings import Finding, classify, outcome, same_failure, shrink
from .strategies import FORMATS, Sample, random_bytes, samples

TIMEOUT = 60  # seconds one input may take before it is recorded as a finding (a hang)
BATCH = 2500  # a fresh hypothesis run per batch keeps its memory of past inputs small
CLI_EVERY = 400  # one input in this many also goes through `importai add`
CLI_FILES = 50  # files per `importai add` command


class InputTimeout(Exception):
    """One input took longer than TIMEOUT seconds to parse."""


def _alarm(signum: int, frame: object) -> None:
    raise InputTimeout(f"parsing took over {TIMEOUT} s")


def say(line: str) -> None:
    """Print a progress line at once (the run is watched from another terminal)."""
    print(line, flush=True)


class Run:
    """Counts and findings of one long run."""

    def __init__(self, cli_dir: Path) -> None:
        self.inputs: Counter[str] = Counter()
        self.outcomes: Counter[str] = Counter()
        self.bytes_in = 0
        self.largest = 0
        self.findings: dict[str, Finding] = {}
        self.cli_dir = cli_dir
        self.cli_pending: list[Path] = []
        self.cli = Counter[str]()
        self.cli_failures: list[str] = []
        self.slowest: dict[str, tuple[float, int]] = {}  # format -> (seconds, bytes)
        self.started = time.monotonic()

    def record(self, sample: Sample) -> None:
        """Try one input and remember what happened."""
        self.inputs[sample.format] += 1
        self.bytes_in += len(sample.data)
        self.largest = max(self.largest, len(sample.data))
        start = time.perf_counter()
        signal.alarm(TIMEOUT)
        try:
            status, exc = outcome(sample)
        finally:
            signal.alarm(0)
        took = time.perf_counter() - start
        if took > self.slowest.get(sample.format, (0.0, 0))[0]:
            self.slowest[sample.format] = (took, len(sample.data))
        self.outcomes[f"{sample.format} {status}"] += 1
        if exc is not None:
            key, message, frames = classify(exc)
            finding = self.findings.setdefault(key, Finding(key, message, frames))
            finding.see(sample.format, sample.data)
        if sum(self.inputs.values()) % CLI_EVERY == 0:
            self._queue_cli(sample)
        total = sum(self.inputs.values())
        if total % 1000 == 0:
            failed = sum(f.count for f in self.findings.values())
            say(
                f"{total:>7} inputs  {time.monotonic() - self.started:7.0f} s  "
                f"{failed} failing, {len(self.findings)} distinct  {dict(self.inputs)}"
            )

    def _queue_cli(self, sample: Sample) -> None:
        path = self.cli_dir / "inputs" / f"{sum(self.inputs.values()):07d}-{sample.format}.in"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(sample.data)
        self.cli_pending.append(path)
        if len(self.cli_pending) >= CLI_FILES:
            self.flush_cli()

    def flush_cli(self) -> None:
        """Add the queued files with the real command; exit 0 or 2, one line per file."""
        if not self.cli_pending:
            return
        env = dict(os.environ)
        env.update(
            IMPORTAI_DATA_DIR=str(self.cli_dir / "data"),
            IMPORTAI_CACHE_DIR=str(self.cli_dir / "cache"),
            NO_COLOR="1",
            COLUMNS="200",
        )
        args = [sys.executable, "-m", "importai_tui", "add", *map(str, self.cli_pending)]
        proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=1800)
        self.cli["commands"] += 1
        self.cli["files"] += len(self.cli_pending)
        self.cli[f"exit {proc.returncode}"] += 1
        if proc.returncode not in (0, 2) or "Traceback" in proc.stderr:
            self.cli_failures.append(f"exit {proc.returncode}: {proc.stderr[-2000:]}")
        self.cli_pending = []


def fuzz(run: Run, fmt: str, count: int) -> None:
    """Try ``count`` generated inputs of one format, in batches."""
    strategy = random_bytes() if fmt == "bytes" else samples(fmt)
    while count > 0:
        n = min(count, BATCH)

        @settings(
            max_examples=n,
            derandomize=False,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def batch(sample: Sample) -> None:
            run.record(sample)

        before = run.inputs[fmt]
        batch()
        count -= max(run.inputs[fmt] - before, 1)


def machine() -> dict[str, str]:
    """Where the figures come from."""
    versions = {
        name: metadata.version(name)
        for name in ("importai-tui", "hypothesis", "feedparser", "selectolax", "markdown-it-py")
    }
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        **versions,
    }


def report(run: Run, seconds: float, shrink_budget: int) -> dict[str, object]:
    """Print the figures and the findings, shrinking each finding's smallest input."""
    say(f"\n== {sum(run.inputs.values())} inputs in {seconds:.0f} s")
    for fmt in [*FORMATS, "bytes"]:
        parts = {k.split()[1]: v for k, v in run.outcomes.items() if k.split()[0] == fmt}
        took, size = run.slowest.get(fmt, (0.0, 0))
        say(f"  {fmt:18} {run.inputs[fmt]:>7}  {parts}  slowest {took:.2f} s ({size} bytes)")
    say(f"  bytes tried: {run.bytes_in / MB:.1f} MB, largest input {run.largest} bytes")
    say(f"  importai add: {dict(run.cli)}; failures: {len(run.cli_failures)}")
    findings = []
    for finding in sorted(run.findings.values(), key=lambda f: -f.count):
        test = same_failure(finding.key, finding.smallest_format)
        if finding.key.startswith(("InputTimeout", "MemoryError")):
            minimal = finding.smallest  # too slow or too big to try thousands of times
        else:
            minimal = (
                shrink(finding.smallest, test, shrink_budget) if test(finding.smallest) else b""
            )
        say(f"\n-- {finding.key}: {finding.count} inputs {finding.formats}")
        say(f"   {finding.message}")
        for frame in finding.frames[-6:]:
            say(f"     {frame}")
        say(f"   minimal ({finding.smallest_format}, {len(minimal)} bytes): {minimal[:600]!r}")
        findings.append(
            {
                "key": finding.key,
                "count": finding.count,
                "formats": finding.formats,
                "message": finding.message,
                "frames": finding.frames,
                "format": finding.smallest_format,
                "minimal": minimal.decode("latin-1"),
            }
        )
    return {
        "inputs": dict(run.inputs),
        "outcomes": dict(run.outcomes),
        "seconds": round(seconds),
        "megabytes": round(run.bytes_in / MB, 1),
        "largest": run.largest,
        "cli": dict(run.cli),
        "cli_failures": run.cli_failures,
        "slowest": {k: [round(v[0], 3), v[1]] for k, v in run.slowest.items()},
        "findings": findings,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the long run; print the figures; optionally write them as JSON."""
    parser = argparse.ArgumentParser(prog="python -m tests.hostile.long_run")
    parser.add_argument("--inputs", type=int, default=100_000, help="generated inputs in all")
    parser.add_argument("--figures-only", action="store_true", help="only the timing figures")
    parser.add_argument("--no-figures", action="store_true", help="skip the timing figures")
    parser.add_argument("--shrink-budget", type=int, default=2000, help="tries per finding")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument(
        "--memory-limit-mb", type=int, default=4096, help="address-space cap (MemoryError)"
    )
    args = parser.parse_args(argv)
    # A blow-up becomes a MemoryError finding instead of the OOM killer on a shared machine.
    limit = args.memory_limit_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="feedparser")
    results: dict[str, object] = {"machine": machine()}
    say(f"machine: {results['machine']}")
    if not args.figures_only:
        formats = [*FORMATS, "bytes"]
        per_format = -(-args.inputs // len(formats))
        with tempfile.TemporaryDirectory(prefix="importai-long-run-") as tmp:
            run = Run(Path(tmp))
            for fmt in formats:
                say(f"\n== {fmt}: {per_format} inputs")
                fuzz(run, fmt, per_format)
            run.flush_cli()
            results["fuzz"] = report(run, time.monotonic() - run.started, args.shrink_budget)
    if not args.no_figures:
        say("\n== parse time by input size (time per MB relative to the smallest size)")
        results["linearity"] = linearity(say)
        say("\n== peak Python heap (tracemalloc) parsing 10 MB")
        memory = {}
        for fmt, build in REALISTIC.items():
            data = build(10 * MB).encode()
            peak = peak_memory(data)
            memory[fmt] = {"input": len(data), "peak": peak, "ratio": round(peak / len(data), 1)}
            say(f"  {fmt:9} peak {peak / MB:7.1f} MB = {peak / len(data):5.1f} x input")
        results["memory"] = memory
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        say(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
