"""The patterns of a mention of another issue: apart from core.patterns, whose other
expressions (the splitter's) cost the reader some 5 ms to compile before its first frame."""

from __future__ import annotations

import re

REFERENCE_PATTERNS = (
    re.compile(r"\bImport\s?AI\s*(?:#|No\.?\s*|issue\s*)?\s*(\d{1,4})\b", re.IGNORECASE),
    re.compile(r"\(\s*#(\d{2,4})\s*\)"),
    re.compile(r"jack-clark\.net/\d{4}/\d{1,2}/\d{1,2}/import-ai-?(\d{1,4})\b", re.IGNORECASE),
    re.compile(r"importai\.substack\.com/p/import-ai-?(\d{1,4})\b", re.IGNORECASE),
)
URL_NUMBER = re.compile(r"import-ai-?(\d{1,4})(?:\b|-)", re.IGNORECASE)
