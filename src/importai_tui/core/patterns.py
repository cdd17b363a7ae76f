"""Regular expressions that recognise the newsletter's recurring shapes."""

from __future__ import annotations

import re

# the mentions of other issues (REFERENCE_PATTERNS, URL_NUMBER) live apart, for the reader
from importai_tui.core.mentions import REFERENCE_PATTERNS as REFERENCE_PATTERNS
from importai_tui.core.mentions import URL_NUMBER as URL_NUMBER

TITLE = re.compile(
    r"^\s*Import\s?AI\s*:?\s*(?:#|No\.?\s*|Issue\s*)?(?P<number>\d{1,4})\b"
    r"(?:\s*[:：\-–—|]\s*(?P<rest>.*\S))?\s*$",
    re.IGNORECASE,
)
BREAK = re.compile(r"^[\s\\]*(?:\*[\s\\]*){3,}$|^\s*(?:-\s*){3,}$|^\s*(?:_\s*){3,}$")
BREAK_FIRST = "\\*-_"  # what a break's first character after any whitespace is
ELLIPSIS_START = re.compile(r"^\s*(?:…|\.{2,}|_?…)")
ELLIPSIS_FIRST = "…._"  # the same for an ellipsis
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
# What a boilerplate line (stripped) can start with: a letter one of its words starts with,
# in every case re.IGNORECASE folds to it (i: İ and ı; s: ſ), or a digit (\d: isdecimal).
# Most lines start otherwise, and a look at one character is cheaper than the expression.
BOILERPLATE_FIRST = "AaBbCcDdEeFfIi\u0130\u0131JjLlMmNnOoRrSs\u017fTt"
TITLE_FIRST = "Ii\u0130\u0131"  # the same for a title line, after any whitespace
BYLINE = re.compile(r"^\s*by(?:\s+Jack\s+Clark)?\s*$", re.IGNORECASE)
# A line that closes a story: its links ("Read more: …", "Get the models here: …").
CLOSING_LINE = re.compile(
    r"^\s*(?:Read|Get|Check|Watch|Listen|Find|Find out|More|Original|Access|Download|"
    r"Try|Play|See|Track|Sign up|Apply|Explore)\b",
    re.IGNORECASE,
)

CLOSING_FIRST = "AaCcDdEeFfGgLlMmOoPpRrSs\u017fTtWw"  # as BOILERPLATE_FIRST, after whitespace

# For each reference pattern, an expression over the UTF-8 bytes of a text lowered with
# bytes.lower() that every match of the pattern leaves a match of: a quick test (literal
# prefixes, no case folding) of whether the pattern is worth running at all. Sound because
# under re.IGNORECASE nothing but ASCII folds to m, p, o, r, t, a, c, l; I's folds are
# i, İ and ı (C4 B0, C4 B1); and \s is one character, 1 to 3 bytes, none of them "a".
# tests/test_splitter_rules.py checks all of it.
REFERENCE_GATES: tuple[tuple[re.Pattern[str], re.Pattern[bytes]], ...] = (
    (REFERENCE_PATTERNS[0], re.compile(rb"mport[^a]{0,3}a(?:i|\xc4[\xb0\xb1])")),
    (REFERENCE_PATTERNS[1], re.compile(rb"#")),
    (REFERENCE_PATTERNS[2], re.compile(rb"-clar")),
    (REFERENCE_PATTERNS[3], re.compile(rb"/p/")),
)
