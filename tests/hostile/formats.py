"""Write generated issues in every format the program reads, the way real captures look.

Each renderer takes hypothesis's ``draw`` (the same model comes out in many spellings:
blank lines or not, `<br>` or `<p>`, CDATA or escaped HTML, tags wrapped around any run of
pieces) and returns text; :mod:`.strategies` encodes and mutates it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

from .pieces import IssueModel, Item, Piece, Run

Draw = st.DrawFn
SCRIPT_MARKER = "SCRIPTMARKERq7"
STYLE_MARKER = "STYLEMARKERq7"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(text: str) -> str:
    """HTML-escape text and attribute values."""
    return html.escape(text, quote=True)


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 forbids, so that most generated feeds are well-formed."""
    return _XML_BAD.sub("", text)


def plain(runs: Sequence[Run]) -> str:
    """Runs as plain text."""
    return "".join(r.text for r in runs)


# -- plain text (captures of the web pages) ------------------------------------------------


def _text_runs(draw: Draw, runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        out.append(r.text)
        if r.style == "link" and r.href and draw(st.integers(0, 3)) == 0:
            out.append(f" ({r.href})")  # some captures keep the address beside the text
    return "".join(out)


def _text_items(draw: Draw, items: Sequence[Item], depth: int, bullet: str) -> list[str]:
    lines = []
    for item in items:
        lines.append("  " * depth + f"{bullet} " + _text_runs(draw, item.runs))
        lines.extend(_text_items(draw, item.children, depth + 1, bullet))
    return lines


def render_text(draw: Draw, issues: Sequence[IssueModel]) -> str:
    """A plain-text capture: one line per piece, blank lines between most of them."""
    out: list[str] = []
    for issue in issues:
        if issue.title is not None:
            out += [issue.title, ""]
        pieces = issue.pieces
        for i, piece in enumerate(pieces):
            nxt = pieces[i + 1] if i + 1 < len(pieces) else None
            if piece.kind == "script" or (i and pieces[i - 1].glued and piece.kind == "para"):
                continue
            if piece.kind == "list":
                bullet = draw(st.sampled_from(["•", "-", "*", "·"]))
                sep = draw(st.sampled_from(["\n", "\n\n"]))
                out.append(sep.join(_text_items(draw, piece.items, 1, bullet)))
            elif piece.kind == "comment":
                out.append(f"<!-- {plain(piece.runs)} -->")
            elif (
                piece.kind == "subtitle" and piece.glued and nxt is not None and nxt.kind == "para"
            ):
                out.append(plain(piece.runs) + _text_runs(draw, nxt.runs))
            else:
                out.append(_text_runs(draw, piece.runs))
            if piece.kind not in ("headline", "tale_title") or draw(st.booleans()):
                out.append("")
    newline = draw(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]))
    return newline.join(out)


# -- HTML bodies (Substack's content:encoded) ----------------------------------------------


def html_runs(runs: Sequence[Run]) -> str:
    """Runs as inline HTML; raw runs go in unescaped."""
    out = []
    for r in runs:
        text = r.text if r.style == "raw" else esc(r.text)
        if r.style == "bold":
            text = f"<strong>{text}</strong>"
        elif r.style == "italic":
            text = f"<em>{text}</em>"
        elif r.style == "link":
            text = f'<a href="{esc(r.href or "")}" rel="">{text}</a>'
        out.append(text)
    return "".join(out)


def _html_items(draw: Draw, items: Sequence[Item]) -> str:
    tag = draw(st.sampled_from(["ul", "ul", "ol"]))
    parts = []
    for item in items:
        body = html_runs(item.runs)
        if draw(st.booleans()):
            body = f"<p>{body}</p>"
        if item.children:
            body += _html_items(draw, item.children)
        parts.append(f"<li>{body}</li>")
    return f"<{tag}>{''.join(parts)}</{tag}>"


def _html_piece(draw: Draw, piece: Piece) -> str:
    text = html_runs(piece.runs)
    kind = piece.kind
    if kind in ("headline", "tale_header", "tale_title"):
        form = draw(
            st.sampled_from(["<p><strong>{}</strong></p>", "<h3>{}</h3>", "<p><b>{}</b></p>"])
        )
        return form.format(text)
    if kind in ("subtitle", "setting"):
        return f"<p><em>{text}</em></p>" if draw(st.booleans()) else f"<p>{text}</p>"
    if kind == "list":
        return _html_items(draw, piece.items)
    if kind == "break":
        return draw(st.sampled_from([f"<p>{text}</p>", "<hr>", "<hr />", f"<div>{text}</div>"]))
    if kind == "inspired":
        head, _, rest = plain(piece.runs).partition(":")
        return f"<p><strong>{esc(head)}:</strong>{esc(rest)}</p>"
    if kind == "boiler" and plain(piece.runs) == "Subscribe now":
        return (
            '<p class="button-wrapper"><a class="button primary" '
            'href="https://importai.substack.com/subscribe"><span>Subscribe now</span></a></p>'
        )
    if kind == "comment":
        return f"<!-- {esc(plain(piece.runs))} -->"
    if kind == "script":
        return draw(
            st.sampled_from(
                [
                    f'<script>document.write("{SCRIPT_MARKER} <p>Import AI 7</p>")</script>',
                    f'<style>p::after {{ content: "{STYLE_MARKER}" }}</style>',
                    f"<script type='text/javascript'>/* <![CDATA[ */ {SCRIPT_MARKER} /* ]]> */"
                    "</script>",
                ]
            )
        )
    if kind == "noise":
        return plain(piece.runs)
    return f"<p>{text}</p>"


def _substack_combined(draw: Draw, pieces: Sequence[Piece], i: int) -> tuple[str, int] | None:
    """Headline, subtitle and first paragraph in one <p> joined by <br>, as Substack does."""
    if i + 2 >= len(pieces) or [p.kind for p in pieces[i : i + 3]] != [
        "headline",
        "subtitle",
        "para",
    ]:
        return None
    if not draw(st.booleans()):
        return None
    head, sub, body = (html_runs(p.runs) for p in pieces[i : i + 3])
    return f"<p><strong>{head}:<br /></strong><em>{sub}<br /></em>{body}</p>", i + 3


WRAPPERS = [
    ("<div>", "</div>"),
    ("<blockquote>", "</blockquote>"),
    ('<div class="captioned-image-container"><figure>', "</figure></div>"),
    ("<section>", "</section>"),
    ("<b>", "</b>"),
    ("<table><tr><td>", "</td></tr></table>"),
    ("<ul><li>", "</li></ul>"),
    ("<div>", ""),  # left open
    ("", "</div>"),  # closed but never opened
    ("<span>", "</p>"),  # mis-nested
]


def render_html_body(draw: Draw, issues: Sequence[IssueModel], *, titles: bool) -> str:
    """An HTML post body; with ``titles``, each issue's title is in the body too."""
    parts: list[str] = []
    for issue in issues:
        if titles and issue.title is not None:
            form = draw(st.sampled_from(["<h1>{}</h1>", "<p><strong>{}</strong></p>", "<p>{}</p>"]))
            parts.append(form.format(esc(issue.title)))
        pieces, i = issue.pieces, 0
        while i < len(pieces):
            combined = _substack_combined(draw, pieces, i)
            if combined is not None:
                parts.append(combined[0])
                i = combined[1]
                continue
            parts.append(_html_piece(draw, pieces[i]))
            i += 1
    for _ in range(draw(st.integers(0, 3))):  # random nesting around any run of pieces
        a = draw(st.integers(0, len(parts)))
        b = draw(st.integers(a, len(parts)))
        start, end = draw(st.sampled_from(WRAPPERS))
        parts[a:b] = [start, *parts[a:b], end]
    return draw(st.sampled_from(["", "\n"])).join(parts)


# -- Markdown exports ----------------------------------------------------------------------


def _md_runs(runs: Sequence[Run]) -> str:
    out = []
    for r in runs:
        if r.style == "bold":
            out.append(f"**{r.text}**")
        elif r.style == "italic":
            out.append(f"_{r.text}_")
        elif r.style == "link":
            out.append(f"[{r.text}]({r.href})")
        else:
            out.append(r.text)
    return "".join(out)


def _md_items(draw: Draw, items: Sequence[Item], depth: int, indent: int) -> list[str]:
    lines = []
    marker = draw(st.sampled_from(["-", "*", "+", "1."]))
    for item in items:
        lines.append(" " * (indent * depth) + f"{marker} {_md_runs(item.runs)}")
        lines.extend(_md_items(draw, item.children, depth + 1, indent))
    return lines


def _quote_yaml(draw: Draw, value: str) -> str:
    form = draw(st.sampled_from(["plain", "double", "single"]))
    if form == "double":
        return '"' + value.replace('"', '\\"') + '"'
    if form == "single":
        return "'" + value.replace("'", "''") + "'"
    return value


def _front_matter(draw: Draw, issue: IssueModel) -> list[str]:
    lines = ["---"]
    if issue.title is not None:
        lines.append("title: " + _quote_yaml(draw, issue.title))
    if issue.url is not None:
        lines.append(draw(st.sampled_from(["source", "url", "link"])) + ": " + issue.url)
    if issue.date is not None:
        lines.append("published: {:04d}-{:02d}-{:02d}".format(*issue.date))
    lines += ["author:", '  - "[[Jack Clark]]"', "tags:", '  - "clippings"', "---"]
    return lines


def render_markdown(draw: Draw, issues: Sequence[IssueModel]) -> str:
    """A Markdown export: front matter, **bold** headlines, _…subtitles…_, \\*\\*\\* breaks."""
    out: list[str] = []
    hard = draw(st.booleans())  # html2text style: markers closed on the next line, hard breaks
    for n, issue in enumerate(issues):
        if n == 0 and draw(st.booleans()):
            out += _front_matter(draw, issue)
        elif issue.title is not None:
            out += [draw(st.sampled_from(["# {}", "**{}**", "{}"])).format(issue.title), ""]
        pieces = issue.pieces
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            kinds = [p.kind for p in pieces[i : i + 3]]
            text = _md_runs(piece.runs)
            if hard and kinds == ["headline", "subtitle", "para"]:
                sub, body = _md_runs(pieces[i + 1].runs), _md_runs(pieces[i + 2].runs)
                out += [f"**{text}:  ", f"**_{sub}  ", f"_{body}", ""]
                i += 3
                continue
            if piece.kind in ("headline", "tale_header", "tale_title"):
                line = draw(st.sampled_from(["**{}**", "## {}", "**{}**  "])).format(text)
            elif piece.kind in ("subtitle", "setting"):
                line = draw(st.sampled_from(["_{}_", "*{}*", "{}"])).format(text)
            elif piece.kind == "list":
                indent = draw(st.sampled_from([2, 4]))
                line = "\n".join(_md_items(draw, piece.items, 0, indent))
            elif piece.kind == "break":
                line = draw(st.sampled_from(["\\*\\*\\*", "***", "* * *", "---", "___", text]))
            elif piece.kind == "comment":
                line = f"<!-- {plain(piece.runs)} -->"
            elif piece.kind == "script":
                line = ""
            else:
                line = text
            if hard and len(line) > 78 and draw(st.booleans()):
                line = "\n".join(line[k : k + 78] for k in range(0, len(line), 78))
            out += [line, ""]
            i += 1
    return "\n".join(out)


# -- feeds ---------------------------------------------------------------------------------


def _rfc822(date: tuple[int, int, int] | None) -> str:
    if date is None:
        return ""
    y, m, d = date
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"Mon, {d:02d} {months[(m - 1) % 12]} {y} 13:02:55 GMT"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_feed(draw: Draw, issues: Sequence[IssueModel], *, atom: bool) -> str:
    """An RSS 2.0 or Atom feed, one item per issue, HTML bodies in content:encoded."""
    safe = xml_safe if draw(st.integers(0, 9)) > 0 else (lambda s: s)
    declared = draw(
        st.sampled_from(["UTF-8", "UTF-8", "utf-8", "ISO-8859-1", "windows-1252", None])
    )
    head = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    entries = []
    extra = draw(st.booleans())  # a post that is not an issue
    items: list[tuple[str, str, str, str]] = []
    for issue in issues:
        body = safe(render_html_body(draw, [issue], titles=False))
        items.append((safe(issue.title or ""), safe(issue.url or ""), _rfc822(issue.date), body))
    if extra:
        items.insert(0, ("Import AI is taking a short break", "", "", "<p>Back in June</p>"))
    for title, url, date, body in items:
        if atom:
            entries.append(
                f'<entry><title type="html">{esc(title)}</title><link href="{esc(url)}"/>'
                f"<updated>{esc(date)}</updated><id>{esc(url) or 'x'}</id>"
                f'<content type="html">{esc(body)}</content></entry>'
            )
        else:
            content = _cdata(body) if draw(st.integers(0, 3)) > 0 else esc(body)
            tag = draw(st.sampled_from(["content:encoded", "content:encoded", "description"]))
            entries.append(
                f"<item><title>{_cdata(title)}</title><link>{esc(url)}</link>"
                f"<pubDate>{date}</pubDate><{tag}>{content}</{tag}></item>"
            )
    sep = draw(st.sampled_from(["", "\n", "\n  "]))
    if atom:
        return (
            f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>Import AI</title>'
            f"<id>https://importai.substack.com/</id>{sep}{sep.join(entries)}{sep}</feed>\n"
        )
    return (
        f'{head}<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">'
        f"<channel><title>Import AI</title><link>https://importai.substack.com</link>{sep}"
        f"{sep.join(entries)}{sep}</channel></rss>\n"
    )


# -- saved web pages -----------------------------------------------------------------------


def render_webpage(draw: Draw, issues: Sequence[IssueModel], *, wordpress: bool) -> str:
    """A saved post page: head, scripts, navigation, the article, share bar, comments."""
    first = issues[0]
    title = esc(first.title or "")
    date = "{:04d}-{:02d}-{:02d}T13:02:55+00:00".format(*first.date) if first.date else ""
    url = esc(first.url or "")
    body = render_html_body(draw, issues, titles=len(issues) > 1)
    quoted = esc(draw(st.sampled_from(["Import AI 390: LLMs think like people", "(#401)", "hi"])))
    comments = (
        f'<div id="comments"><div class="comment"><div class="comment-body">Loved {quoted}'
        f"</div></div></div>"
    )
    scripts = (
        f"<script>var t = '{SCRIPT_MARKER}';</script>"
        f"<style>.x::before {{ content: '{STYLE_MARKER}' }}</style>"
    )
    if wordpress:
        article = (
            f'<article><header><h1 class="entry-title">{title}</h1>'
            f'<time datetime="{date}">{date}</time></header><div class="entry-content">{body}'
            f'<div class="sharedaddy"><h3>Share this:</h3><a>Twitter</a></div>'
            f'<div id="jp-relatedposts">Related: Import AI 380: something</div></div></article>'
        )
    else:
        article = (
            f'<div class="post"><h1 class="post-title">{title}</h1>'
            f'<div class="available-content"><div class="body markup">{body}</div></div>'
            f'<div class="subscribe-widget">Subscribe</div>'
            f'<div class="post-footer"><a>Share</a><a>Leave a comment</a></div></div>'
        )
    doctype = draw(st.sampled_from(["<!DOCTYPE html>\n", "<!-- saved -->\n<!DOCTYPE html>", ""]))
    return (
        f'{doctype}<html lang="en"><head><meta charset="utf-8"><title>{title} - Import AI</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{date}">'
        f'<link rel="canonical" href="{url}">{scripts}</head><body>'
        f"<nav><a>Home</a><a>Archive</a><a>Import AI 1: nav</a></nav>{article}{comments}"
        f"<footer>© Jack Clark · Subscribe</footer>{scripts}</body></html>"
    )


Renderer = Callable[[Draw, Sequence[IssueModel]], str]
RENDERERS: dict[str, Renderer] = {
    "text": render_text,
    "html": lambda d, i: render_html_body(d, i, titles=True),
    "markdown": render_markdown,
    "rss": lambda d, i: render_feed(d, i, atom=False),
    "atom": lambda d, i: render_feed(d, i, atom=True),
    "webpage-substack": lambda d, i: render_webpage(d, i, wordpress=False),
    "webpage-wordpress": lambda d, i: render_webpage(d, i, wordpress=True),
}
