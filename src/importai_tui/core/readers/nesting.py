"""Cap how deep HTML nests before the tree builder sees it.

The HTML tree builder looks through its stack of open elements for most tags it meets, so
its time grows with the square of the nesting depth (lexbor: 80,000 nested <div>, 880 kB,
took 13 s; 16,000 levels of <ul><li>, 2.6 s). Blink and WebKit stop nesting at 512 open
elements; so does this module, before the parser runs: start tags past that depth are
removed, with the end tags that close them, so what they held joins the deepest element
kept. No text is lost. Newsletter HTML nests a few dozen levels deep, and is left as it is.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_DEPTH = 512
# a comment, a raw-text element (its content holds no tags) or a tag, by its name
_TOKEN = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9]*)")
_RAW_TEXT = frozenset(["script", "style", "textarea", "title", "xmp", "noembed", "noframes"])
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"]
    + ["source", "track", "wbr", "keygen", "frame", "basefont", "bgsound", "image"]
)
_BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div"]
    + ["dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4"]
    + ["h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre"]
    + ["section", "summary", "table", "ul", "li", "dd", "dt", "plaintext", "listing"]
)
_SCOPE = frozenset(["table", "td", "th", "caption", "button", "object", "template", "html"])
# What a start tag closes (the parser's implied end tags, roughly), and where the search
# for it stops: without this, unclosed <p> and <li> would look nested.
_LIST_STOP = _BLOCKS - {"address", "div", "p"} | _SCOPE
_CLOSES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset(["li"]), _LIST_STOP),
    "dt": (frozenset(["dd", "dt"]), _LIST_STOP),
    "dd": (frozenset(["dd", "dt"]), _LIST_STOP),
    "tr": (frozenset(["tr"]), frozenset(["table"])),
    "td": (frozenset(["td", "th"]), frozenset(["table", "tr"])),
    "th": (frozenset(["td", "th"]), frozenset(["table", "tr"])),
    "option": (frozenset(["option"]), frozenset(["select"])),
    "a": (frozenset(["a"]), _SCOPE),
}
_P = (frozenset(["p"]), _SCOPE)
_NOTHING: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def cap_nesting(html: str) -> str:
    """``html`` with its elements nested at most MAX_DEPTH deep (itself when they are)."""
    if html.count("<") <= MAX_DEPTH:  # cannot nest that deep: the usual case, no scan
        return html
    cuts: list[tuple[int, int]] = []
    stack: list[str] = []
    open_count: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    gt = -1  # where the last tag cut ends, so no stretch of the text is searched twice
    pos = 0
    while (m := _TOKEN.search(html, pos)) is not None:
        pos = m.end()
        if m.group(2) is None:  # a comment
            end = html.find("-->", pos)
            pos = len(html) if end < 0 else end + 3
            continue
        closing, name = m.group(1), m.group(2).lower()
        if closing:
            if dropped[name]:
                gt = _tag_end(html, pos, gt)
                cuts.append((m.start(), gt))
                dropped[name] -= 1
            elif open_count[name]:
                while stack:
                    top = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        break
            continue
        if name in _VOID:
            continue
        targets, stops = _CLOSES.get(name) or (_P if name in _BLOCKS else _NOTHING)
        lowest = 0 if any(open_count[t] for t in targets) else len(stack)
        for i in range(len(stack) - 1, lowest - 1, -1):  # at most MAX_DEPTH steps
            if stack[i] in targets:
                for top in stack[i:]:
                    open_count[top] -= 1
                del stack[i:]
                break
            if stack[i] in stops:
                break
        if name in _RAW_TEXT:
            closer = re.compile(rf"</{name}", re.I).search(html, pos)
            pos = len(html) if closer is None else closer.end()
            continue
        if len(stack) >= MAX_DEPTH:
            gt = _tag_end(html, pos, gt)
            cuts.append((m.start(), gt))
            dropped[name] += 1
            continue
        stack.append(name)
        open_count[name] += 1
    if not cuts:
        return html
    parts: list[str] = []
    last = 0
    for start, end in cuts:
        if start >= last:
            parts.append(html[last:start])
            last = end
    parts.append(html[last:])
    return "".join(parts)


def _tag_end(html: str, pos: int, gt: int) -> int:
    """Where the tag whose name ends at ``pos`` ends (after its '>', or the end of
    ``html``); ``gt`` is the answer for the tag before, reused when it reaches past ``pos``."""
    if gt >= pos:
        return gt
    end = html.find(">", pos)
    return len(html) if end < 0 else end + 1
