"""Generated issues in every format, damaged now and then: parsed or rejected, never a crash.

The property (see checks.py): ``parse_bytes`` returns issues that keep every invariant, or
raises the program's own ``ReadError``; any other exception fails the test. On pristine
HTML-based inputs, what was inside <script>, <style> and <noscript> never becomes issue text.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .checks import check_sample
from .fuzz_settings import FUZZ
from .strategies import FORMATS, Sample, random_bytes, samples


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_generated_inputs_parse_or_are_rejected(fmt: str, data: st.DataObject) -> None:
    check_sample(data.draw(samples(fmt), label="sample"))


@FUZZ
@given(random_bytes())
def test_random_bytes_parse_or_are_rejected(sample: Sample) -> None:
    check_sample(sample)
