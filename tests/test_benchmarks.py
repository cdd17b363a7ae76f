"""Smoke test of the benchmark code at N = 100: it runs and produces every figure.

No timing is asserted here (house style: performance is measured by benchmarks/, never
asserted by timed unit tests).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from importai_tui.core.collection import Collection
from importai_tui.core.parse import parse_bytes

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generated_archive_imports_with_the_expected_numbers(tmp_path: Path) -> None:
    generate = _load("generate")
    files = generate.write_archive(120, tmp_path / "arch", per_file=50)
    assert len(files) == 3
    coll = Collection.open(tmp_path / "data", tmp_path / "cache", seed=False)
    try:
        outcomes = list(coll.add_paths(files))
        assert all(o.ok for o in outcomes), outcomes
        numbers = [r.number for r in coll.library.rows()]
        assert sorted(n for n in numbers if n is not None) == list(range(1, 121))
        titles = {r.title for r in coll.library.rows()}
        assert len(titles) == 120
    finally:
        coll.close()
    feed = parse_bytes((tmp_path / "arch" / "feed.xml").read_bytes())
    assert sorted(i.number for i in feed if i.number is not None) == list(range(1, 121))
    again = generate.write_archive(120, tmp_path / "again", per_file=50)
    assert [f.read_bytes() for f in again] == [f.read_bytes() for f in files]


def test_run_produces_every_figure(tmp_path: Path) -> None:
    run = _load("run")
    results = run.run([100], repeat=1, work=tmp_path / "work", log=lambda _: None)
    figures = {f["figure"] for f in results["figures"]}
    assert figures == set(run.ORDER)
    for f in results["figures"]:
        assert f["n"] == 100 and f["median"] > 0, f
    assert {"ours", "textual"} <= set(results["quality"]["100"]["distrib trainng"])
    assert "| first paint (ms) | 100 |" in results["table"]


def test_a_paired_ratio_is_the_median_of_its_pairs_ratios() -> None:
    run = _load("run")
    runs, base = [120.0, 120.0, 300.0], [100.0, 200.0, 250.0]
    fig = run.with_paired_baseline(run.figure("first paint", 100, "ms", runs), runs, base)
    assert (fig.ratio, fig.ratio_min, fig.ratio_max) == (1.2, 0.6, 1.2)
    assert fig.baseline == 200.0  # the sides' own medians are kept, and shown
    assert "| 200 (100–250) | 1.20 (0.60–1.20) |" in run.table([fig])


def test_a_bad_argument_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    run = _load("run")
    for argv in (["--repeat", "0"], ["--issues", "ten"]):
        with pytest.raises(SystemExit) as exited:
            run.main(argv)
        assert exited.value.code == 2
        error = capsys.readouterr().err.strip().splitlines()[-1]
        assert "error: argument --" in error and "Traceback" not in error
