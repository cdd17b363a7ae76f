"""Hypothesis strategies for whole hostile inputs: rendered issues, encoded and mutated.

``samples(fmt)`` yields :class:`Sample` objects: the bytes handed to the program, the format
they were written in, and what was done to them (the encoding, the byte-level mutations),
so a property can tell pristine inputs (where stronger promises hold) from damaged ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from .formats import RENDERERS
from .pieces import HOSTILE, issue_model

FORMATS = tuple(RENDERERS)
MAX_BYTES = 4 * 1024 * 1024  # duplication can grow an input; keep single examples quick
SNIPPETS = [
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xe2\x80",
    b"\xed\xa0\x80",  # an encoded surrogate: invalid UTF-8
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"\x80\x81\x9b",
    b"<!--",
    b"<![CDATA[",
    b"]]>",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"&a;",
    b"<script>",
    b"</div></div></div>",
    b"<li><ul><li>",
    b"\r\n\r\n",
    b"***\n",
    b"Import AI 1: x\n\nby\n\n",
    b"Tech Tales:\n\n",
    *[h.encode("utf-8", "surrogatepass") for h in HOSTILE],
]


@dataclass(frozen=True)
class Sample:
    """One generated input."""

    format: str
    data: bytes
    encoding: str
    mutations: tuple[str, ...]

    @property
    def pristine(self) -> bool:
        """Written as a real tool would write it: UTF-8, no byte-level damage."""
        return not self.mutations and self.encoding in ("utf-8", "utf-8-sig")

    def __repr__(self) -> str:
        return (
            f"Sample(format={self.format!r}, encoding={self.encoding!r}, "
            f"mutations={self.mutations!r}, data={self.data!r})"
        )


@st.composite
def encoded(draw: st.DrawFn, text: str) -> tuple[bytes, str]:
    """Encode as real files are: mostly UTF-8; sometimes a BOM, cp1252, or a mix."""
    how = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "cp1252", "latin-1", "mixed"]))
    if how == "mixed":  # part UTF-8, part cp1252: a file pasted together from two sources
        cut = draw(st.integers(0, len(text)))
        data = text[:cut].encode("utf-8", "surrogatepass")
        return data + text[cut:].encode("cp1252", "replace"), how
    if how in ("cp1252", "latin-1"):
        return text.encode(how, "replace"), how
    return text.encode(how, "surrogatepass"), how


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """Damage ``data`` now and then: truncate, flip, delete, duplicate, insert, splice."""
    done: list[str] = []
    if draw(st.integers(0, 9)) < 5:
        return data, ()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "delete", "duplicate", "insert", "splice"]))
        at = draw(st.integers(0, len(data)))
        if op == "truncate":
            data = data[:at]
        elif op == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif op == "delete":
            end = draw(st.integers(at, min(len(data), at + 4096)))
            data = data[:at] + data[end:]
        elif op == "duplicate":
            end = draw(st.integers(at, min(len(data), at + 4096)))
            times = draw(st.integers(1, 64))
            if len(data) + (end - at) * times <= MAX_BYTES:
                data = data[:end] + data[at:end] * times + data[end:]
        elif op == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        else:
            data = data[:at] + draw(st.sampled_from(SNIPPETS)) + data[at:]
        done.append(f"{op}@{at}")
    return data, tuple(done)


@st.composite
def samples(draw: st.DrawFn, fmt: str) -> Sample:
    """An input in format ``fmt``: one to three generated issues, encoded, maybe damaged."""
    issues = draw(st.lists(issue_model(), min_size=1, max_size=3))
    text = RENDERERS[fmt](draw, issues)
    data, encoding = draw(encoded(text))
    data, mutations = draw(mutated(data))
    return Sample(fmt, data, encoding, mutations)


def any_sample() -> st.SearchStrategy[Sample]:
    """An input in any of the formats."""
    return st.sampled_from(FORMATS).flatmap(samples)


def random_bytes() -> st.SearchStrategy[Sample]:
    """Arbitrary bytes, sometimes behind a prefix that sends them to a particular reader."""
    prefixes = [
        b"",
        b"<?xml version='1.0'?><rss>",
        b"<feed>",
        b"<!DOCTYPE html>",
        b"<p><b>x</b><a>y</a>",
        b"---\ntitle: x\n---\n**a**",
        b"Import AI 1: x\n\nby\n\n",
        b"\xef\xbb\xbf",
    ]
    return st.builds(
        lambda prefix, body: Sample("bytes", prefix + body, "raw", ("random",)),
        st.sampled_from(prefixes),
        st.binary(max_size=2048),
    )
