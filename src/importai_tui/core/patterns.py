"""Regular expressions that recognise the newsletter's recurring shapes."""

from __future__ import annotations

import re

TITLE = re.compile(
    r"^\s*Import\s?AI\s*:?\s*(?:#|No\.?\s*|Issue\s*)?(?P<number>\d{1,4})\b"
    r"(?:\s*[:：\-–—|]\s*(?P<rest>.*\S))?\s*$",
    re.IGNORECASE,
)
BREAK = re.compile(r"^[\s\\]*(?:\*[\s\\]*){3,}$|^\s*(?:-\s*){3,}$|^\s*(?:_\s*){3,}$")
BREAK_FIRST = "\\*-_"  # what a break's first character after any whitespace is
ELLIPSIS_START = re.compile(r"^\s*(?:…|\.{2,}|_?…)")
ELLIPSIS_FIRST = "…._"  # the same for an ellipsis
ELLIPSIS_END = re.compile(r"(?:…|\.{2,})[\s.…]*$")
# A closing ellipsis glued to the first body sentence: "…subtitle…New research…".
GLUED_ELLIPSIS = re.compile(r"(?:…|\.{3})(?=[A-Z0-9“\"‘'(\[])")
TECH_TALES = re.compile(r"^\s*Tech\s+Tales?\s*(?:[:.]\s*(?P<rest>.*))?$", re.IGNORECASE)
INSPIRED = re.compile(r"^\s*Things that inspired this (?:story|tale)", re.IGNORECASE)
SETTING = re.compile(r"^\s*\[.*\]\s*$")
THANKS = re.compile(r"^\s*Thanks for reading\b", re.IGNORECASE)
WELCOME = re.compile(r"^\s*Welcome to Import\s?AI\b", re.IGNORECASE)
BOILERPLATE = re.compile(
    r"^\s*(?:"
    r"Import\s?AI"
    r"|by(?:\s+Jack\s+Clark)?"
    r"|Jack\s+Clark"
    r"|Subscribe(?:\s+now)?|Subscribe here\.?"
    r"|Share(?:\s+this\s+post)?|Leave a comment|Copy link|Facebook|Email|Notes|More|Restack"
    r"|Import AI is a reader-supported publication\b.*"
    r"|To receive new posts and support my work.*"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
    r"|\d+"
    r")\s*$",
    re.IGNORECASE,
)
BYLINE = re.compile(r"^\s*by(?:\s+Jack\s+Clark)?\s*$", re.IGNORECASE)
# A line that closes a story: its links ("Read more: …", "Get the models here: …").
CLOSING_LINE = re.compile(
    r"^\s*(?:Read|Get|Check|Watch|Listen|Find|Find out|More|Original|Access|Download|"
    r"Try|Play|See|Track|Sign up|Apply|Explore)\b",
    re.IGNORECASE,
)

REFERENCE_PATTERNS = (
    re.compile(r"\bImport\s?AI\s*(?:#|No\.?\s*|issue\s*)?\s*(\d{1,4})\b", re.IGNORECASE),
    re.compile(r"\(\s*#(\d{2,4})\s*\)"),
    re.compile(r"jack-clark\.net/\d{4}/\d{1,2}/\d{1,2}/import-ai-?(\d{1,4})\b", re.IGNORECASE),
    re.compile(r"importai\.substack\.com/p/import-ai-?(\d{1,4})\b", re.IGNORECASE),
)
# Literals each reference pattern's matches contain, as they appear in the UTF-8 bytes of
# the text lowered with bytes.lower(): a cheap test of whether the pattern can match at all.
# Sound because no character but ASCII ones folds to m, p, o, r, t, c, l or a under
# re.IGNORECASE (unlike i, k and s); tests/test_splitter_rules.py checks it.
REFERENCE_NEEDLES: tuple[tuple[re.Pattern[str], tuple[bytes, ...]], ...] = (
    (REFERENCE_PATTERNS[0], (b"mport",)),
    (REFERENCE_PATTERNS[1], (b"#",)),
    (REFERENCE_PATTERNS[2], (b"mport", b"-clar")),
    (REFERENCE_PATTERNS[3], (b"mport", b"/p/")),
)
URL_NUMBER = re.compile(r"import-ai-?(\d{1,4})(?:\b|-)", re.IGNORECASE)
