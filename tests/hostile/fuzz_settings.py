"""How hard the fuzz tests try: a modest, deterministic run in the suite; more on request.

``IMPORTAI_FUZZ_EXAMPLES=N`` raises every property's example count to N and makes the run
random (a new seed each time); without it each property tries ``SUITE_EXAMPLES`` inputs
chosen deterministically (``derandomize``), so CI sees the same inputs on every run, and a
failure is reported as found, without shrinking (shrinking a known bug's example on every
suite run costs minutes; the minimal examples are kept as tests in test_regressions.py).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

SUITE_EXAMPLES = 25
LONG_EXAMPLES = int(os.environ.get("IMPORTAI_FUZZ_EXAMPLES", "0") or 0)

FUZZ = settings(
    max_examples=LONG_EXAMPLES or SUITE_EXAMPLES,
    derandomize=not LONG_EXAMPLES,
    database=None,  # no .hypothesis/ directory in the checkout; failures are kept as tests
    deadline=None,  # the suite asserts no timings (ARCHITECTURE.md, rule 12)
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # each example uses its own subdirectory
    ],
    print_blob=True,
    phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if LONG_EXAMPLES else [])],
    report_multiple_bugs=False,
)
"""The settings of every generated-input test in tests/hostile."""


def scaled(n: int) -> settings:
    """``FUZZ`` with ``n`` examples in the suite (the long run's count is not scaled down)."""
    return settings(FUZZ, max_examples=LONG_EXAMPLES or n)
