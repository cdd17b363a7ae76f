"""Web page reader: a saved post page (Substack or WordPress); keeps the article, drops the site."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from importai_tui.core.model import Document, Meta
from importai_tui.core.readers.html import node_to_blocks
from importai_tui.core.readers.meta import parse_date
from importai_tui.core.readers.nesting import cap_nesting
from importai_tui.core.sanitize import clean_line, clean_url

# Where the post body lives, most specific first.
CONTENT = (
    "div.body.markup",
    "div.available-content",
    "div.entry-content",
    "div.post-content",
    "article",
    "main",
    "[role=main]",
    "body",
)
# Parts of a page inside or around the body that are not the post.
NOISE = ", ".join(
    (
        "script",
        "style",
        "noscript",
        "nav",
        "aside",
        "form",
        "footer",
        "iframe",
        "svg",
        "#comments",
        ".comments",
        "[class*=comment]",
        "[id*=comment]",
        "[class*=share]",
        ".sharedaddy",
        "[id*=relatedposts]",
        "[class*=relatedposts]",
        "[class*=related]",
        "[class*=subscribe]",
        "[class*=subscription]",
        "[class*=sidebar]",
        ".widget",
        "[class*=footer]",
        "[class*=post-footer]",
    )
)
TITLE = ("h1.post-title", "h1.entry-title", "meta[property='og:title']", "h1", "title")
DATE = (
    "meta[property='article:published_time']",
    "time[datetime]",
    "meta[itemprop=datePublished]",
    "meta[name=date]",
)
URL = ("link[rel=canonical]", "meta[property='og:url']")


def _first(tree: LexborHTMLParser, selectors: tuple[str, ...], attr: str | None = None) -> str:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is None:
            continue
        if node.tag == "meta":
            value = node.attributes.get("content")
        elif node.tag == "link":
            value = node.attributes.get("href")
        elif node.tag == "time":
            value = node.attributes.get("datetime")
        else:
            value = node.text(deep=True)
        if value and value.strip():
            return clean_line(value)
    return ""


def _content(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in CONTENT:
        node = tree.css_first(selector)
        if node is not None and node.text(deep=True).strip():
            return node
    return None


def read_webpage(html: str) -> list[Document]:
    """Read a saved full page of one post."""
    tree = LexborHTMLParser(cap_nesting(html))
    meta = Meta(
        title=_first(tree, TITLE) or None,
        date=parse_date(_first(tree, DATE)),
        url=clean_url(_first(tree, URL)),
    )
    root = _content(tree)
    if root is None:
        raise ValueError("the page has no article text")
    for node in root.css(NOISE):
        node.decompose()
    blocks = node_to_blocks(root)
    return [Document(blocks, meta, format="webpage", formatted=True)]
