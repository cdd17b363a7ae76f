"""Realistic pieces of an Import AI issue, and hypothesis strategies that assemble them.

An issue is modelled once, independently of any format: a title and a sequence of pieces
(boilerplate, headlines, subtitles, paragraphs of styled runs, nested lists, breaks, the Tech
Tale and its parts, comments, hostile noise). The renderers in :mod:`.formats` turn the same
model into each format the program reads, so every format sees the same variety.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

# -- the model ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A run of paragraph text: plain, bold, italic, a link, or raw (inserted unescaped)."""

    text: str
    style: str = "plain"  # plain | bold | italic | link | raw
    href: str | None = None


@dataclass(frozen=True)
class Item:
    """A list item with its nested items."""

    runs: tuple[Run, ...]
    children: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Piece:
    """One line-level piece of an issue body.

    kinds: boiler, headline, subtitle, para, list, break, tale_header, tale_title, setting,
    inspired, thanks, comment, script, noise.
    """

    kind: str
    runs: tuple[Run, ...] = ()
    items: tuple[Item, ...] = ()
    glued: bool = False  # a subtitle glued to the paragraph that follows it


@dataclass(frozen=True)
class IssueModel:
    """One generated issue, before it is written in any format."""

    number: int | None
    title: str | None
    date: tuple[int, int, int] | None
    url: str | None
    pieces: tuple[Piece, ...] = field(default=())


# -- realistic text -----------------------------------------------------------------------

TOPICS = [
    "AI and energy demand",
    "distributed training via DeMo",
    "and Phi-4",
    "Global MMLU",
    "AI safety needs AI liability",
    "Canada backs Cohere",
    "Amazon's stow robot",
    "Huawei's MoE model",
    "neural Minecraft",
    "Google’s cyberdefense AI",
    "China’s amazing open weight LLM",
    "wisdom and intelligence",
]
HEADLINES = [
    "AI is driving a massive growth in US data center electricity demand",
    "Microsoft releases the fourth generation of its excellent ‘Phi’ models",
    "Everything becomes a game – DeepMind demos Genie 2",
    "Drop-in AdamW replacement makes distributed training possible",
    "Do you test your models on MMLU? Want to know how they perform in other languages?",
    "Amazon tries to automate a task that gets done 14 billion times a year",
    "Chinese researchers build a 100B parameter model on domestic chips",
    "Reach out across space and love",
    "Consensual Wireheading",
    "Don’t Go Into The Forest Alone",
]
SUBTITLES = [
    "UC Berkeley study backs up what all of us have guessed – mo’ AI means mo’ electricity",
    "Phi-4 does exceptionally well on math and reasoning thanks to synthetic data",
    "Anything you can imagine can become a game",
    "Translated benchmark gives us a better sense of the cultural sensitivity of models",
    "Detailed paper on a robot highlights the promise and difficulty of robots",
]
SENTENCES = [
    "New research from UC Berkeley shows that US energy demands from datacenters is rising.",
    "“The results presented here indicate that consumption is growing,” they write.",
    "Microsoft has released Phi-4, a small AI model that can be run on cheap servers.",
    "A large part of why Phi is so good is through the use of synthetic data.",
    "DeepMind has demonstrated Genie 2, a world model that turns images into worlds.",
    "In the late 2000s dominance in AI was about algorithmic dominance.",
    "The ghost will open a door when no wind should open it.",
    "I noticed it recently because I was on a flight and I couldn’t get online.",
    "Amazon built a robot which is able to pick up a vast range of items.",
    "In one test of 100,000 stows the robot had an 86% success rate.",
    "Looking ahead, reports like this suggest the future is about ‘power dominance’.",
    "Specifically, the small models tend to hallucinate more around factual knowledge.",
    "We covered this earlier (Import AI 393) and again more recently (Import AI #381).",
    "This builds on prior work (#401) and a follow-up (# 377).",
    "It costs $5.5m – less than 1/10th of what others spent…",
    "Results: 84.8 on MMLU, versus 79.9 for Qwen 2.5 14b instruct.",
]
LEAD_INS = [
    "Why this matters:",
    "Read more:",
    "What they did:",
    "Why this matters - infrastructure dominance:",
    "Results:",
    "How good is it? About as good as a human:",
    "Scores:",
    "Read the research:",
    "Get the models here:",
    "What it is and how it works:",
]
LINK_TEXTS = ["arXiv", "Microsoft, AI Platform Blog", "PDF", "GitHub", "official site", "here"]
HREFS = [
    "https://arxiv.org/abs/2412.08905",
    "https://jack-clark.net/2024/12/09/import-ai-394-global-mmlu-ai-safety/",
    "https://importai.substack.com/p/import-ai-401-distributed-training",
    "https://github.com/bloc97/DeMo",
    "mailto:jack@jack-clark.net",
    "https://example.com/a?b=1&c=2#d",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "http://127.0.0.1:9/\x1b]52;c;ZXZpbA==\x07",
    "https://evil.example/\u202egpj.exe",
    "",
    "/relative/path",
]
BOILERPLATE = [
    "Import AI",
    "by",
    "by Jack Clark",
    "Jack Clark",
    "Subscribe now",
    "Share",
    "Leave a comment",
    "Dec 9, 2024",
    "Welcome to Import AI, a newsletter about AI research. Import AI runs on lattes, ramen, "
    "and feedback from readers. If you’d like to support this, please subscribe.",
    "Welcome to Import AI, a newsletter about AI research.",
    "Import AI is a reader-supported publication. To receive new posts, consider subscribing.",
    "To receive new posts and support my work, consider becoming a free or paid subscriber.",
]
BREAKS = ["***", "* * *", " ***  ", "*****", "***\t", "\\*\\*\\*", "---"]
ELLIPSES = [("…", "…"), ("….", "…"), ("...", "..."), ("…", ""), ("_…", "…_")]
TALE_HEADERS = ["Tech Tales:", "Tech tales:", "Tech Tale:", "TECH TALES", "Tech Tales."]
SETTINGS = [
    "[An explanation of what it was like to ‘attempt contact’ with humans]",
    "[Interviews gathered five years pre-uplift]",
    "[T-minus two years to the passage of the Sentience Accords]",
    "[2031, a city that no longer has a name]",
]
INSPIRED = [
    "Things that inspired this story: The proliferation of people using Claude as a therapist.",
    "Things that inspired this story: How cleaners may experience a superintelligence breakout.",
    "Things that inspired this tale: world models; the ghosts in our machines.",
]
THANKS = ["Thanks for reading!", "Thanks for reading", "Thanks for reading Import AI!"]
# Text an attacker (or a broken exporter) puts anywhere: escapes, controls, markup, entities.
HOSTILE = [
    "\x1b[31m",
    "\x1b[2J",
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1bP+q\x1b\\",
    "\x9b31m",
    "\x9d0;title\x9c",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u200b",
    "\r",
    "\x0c",
    "\x07",
    "\x7f",
    "[red]x[/]",
    "[0]",
    "[b",
    "[link=file:///etc/passwd]x[/link]",
    "&#27;",
    "&#x1b;",
    "&#0;",
    "&#xD800;",
    "&#x9b;",
    "&#1114112;",
    "&lol;",
    "&amp;",
    "<",
    ">",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "`",
    "\\",
    "**",
    "_",
    "…",
    "...",
    "Import AI 999",
    "Import AI #12345678901234567890",
    "(#12)",
    "Tech Tales:",
    "***",
    "Thanks for reading!",
    "𝕏👩‍👩‍👧",
    "e\u0301",
    "\U0010ffff",
    "\ufffe",
]

HOSTILE_TEXT = st.sampled_from(HOSTILE)


# Arbitrary text, without NUL: one NUL makes the whole file "binary" and ends the example early.
ANY_TEXT = st.text(
    st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=30
)


def sometimes_hostile(base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly ``base``; now and then hostile or arbitrary Unicode text, or a mix."""
    return st.one_of(
        *[base] * 12,
        HOSTILE_TEXT,
        st.tuples(base, HOSTILE_TEXT, base).map("".join),
        ANY_TEXT,
    )


SENTENCE = sometimes_hostile(st.sampled_from(SENTENCES))
TITLE_FORMS = [
    "Import AI {n}: {t}",
    "Import AI {n}: {t}",
    "Import AI #{n}: {t}",
    "Import AI {n} - {t}",
    "ImportAI {n}: {t}",
    "Import AI: {n}: {t}",
    "Import AI Issue {n}: {t}",
    "Import AI {n}",
]
TITLE_NUMBER = st.integers(min_value=1, max_value=420) | st.sampled_from([0, 9999, 10000])


@st.composite
def runs(draw: st.DrawFn, *, lead_in: bool = True) -> tuple[Run, ...]:
    """A paragraph's runs: an optional bold lead-in, sentences, italics, links."""
    out: list[Run] = []
    if lead_in and draw(st.integers(0, 3)) == 0:
        out.append(Run(draw(st.sampled_from(LEAD_INS)), "bold"))
        out.append(Run(" "))
    for _ in range(draw(st.integers(1, 4))):
        style = draw(st.sampled_from(["plain"] * 7 + ["italic", "italic", "link", "link", "raw"]))
        if style == "link":
            out.append(Run(draw(st.sampled_from(LINK_TEXTS)), "link", draw(st.sampled_from(HREFS))))
        elif style == "raw":
            out.append(Run(draw(HOSTILE_TEXT), "raw"))
        else:
            out.append(Run(draw(SENTENCE), style))
        out.append(Run(" "))
    return tuple(out[:-1])


@st.composite
def items(draw: st.DrawFn, depth: int = 1) -> tuple[Item, ...]:
    """A (possibly nested) bullet list."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        children: tuple[Item, ...] = ()
        if depth < 4 and draw(st.integers(0, 3)) == 0:
            children = draw(items(depth + 1))
        out.append(Item(draw(runs(lead_in=False)), children))
    return tuple(out)


def _plain(text: str) -> tuple[Run, ...]:
    return (Run(text),)


@st.composite
def story(draw: st.DrawFn) -> list[Piece]:
    """Headline, usually a subtitle, then paragraphs, lists and a closing 'Read more' line."""
    pieces = [Piece("headline", _plain(draw(sometimes_hostile(st.sampled_from(HEADLINES)))))]
    if draw(st.integers(0, 4)) > 0:
        left, right = draw(st.sampled_from(ELLIPSES))
        sub = draw(sometimes_hostile(st.sampled_from(SUBTITLES)))
        pieces.append(Piece("subtitle", _plain(f"{left}{sub}{right}"), glued=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.integers(0, 4)) == 0:
            pieces.append(Piece("list", items=draw(items())))
        else:
            pieces.append(Piece("para", draw(runs())))
    if draw(st.booleans()):
        link = Run(draw(st.sampled_from(LINK_TEXTS)), "link", draw(st.sampled_from(HREFS)))
        pieces.append(Piece("para", (Run("Read more: ", "bold"), Run(draw(SENTENCE)), link)))
    return pieces


@st.composite
def tech_tale(draw: st.DrawFn) -> list[Piece]:
    """The Tech Tale: header (sometimes missing), title, setting, story, inspirations."""
    pieces: list[Piece] = []
    title = draw(sometimes_hostile(st.sampled_from(HEADLINES)))
    header = draw(st.sampled_from([*TALE_HEADERS, None]))
    if header is not None and draw(st.integers(0, 4)) == 0:
        pieces.append(Piece("tale_header", _plain(f"{header} {title}")))  # title inline
    else:
        if header is not None:
            pieces.append(Piece("tale_header", _plain(header)))
        pieces.append(Piece("tale_title", _plain(title)))
    if draw(st.booleans()):
        pieces.append(Piece("setting", _plain(draw(st.sampled_from(SETTINGS)))))
    for _ in range(draw(st.integers(0, 3))):
        pieces.append(Piece("para", draw(runs(lead_in=False))))
    if draw(st.integers(0, 3)) > 0:
        pieces.append(Piece("inspired", _plain(draw(st.sampled_from(INSPIRED)))))
    return pieces


def _boiler(text: str) -> Piece:
    return Piece("boiler", _plain(text))


@st.composite
def issue_model(draw: st.DrawFn) -> IssueModel:
    """A whole issue, usually in the newsletter's order, sometimes shuffled or cut about."""
    number = draw(st.none() | TITLE_NUMBER)
    title = None
    if number is not None:
        topics = "; ".join(draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3)))
        title = draw(st.sampled_from(TITLE_FORMS)).format(n=number, t=topics)
    elif draw(st.booleans()):
        title = draw(sometimes_hostile(st.sampled_from(HEADLINES)))
    pieces: list[Piece] = []
    for text in draw(st.lists(st.sampled_from(BOILERPLATE), max_size=4)):
        pieces.append(_boiler(text))
    for _ in range(draw(st.integers(0, 5))):
        if pieces and pieces[-1].kind != "boiler" and draw(st.integers(0, 3)) > 0:
            pieces.append(Piece("break", _plain(draw(st.sampled_from(BREAKS)))))
        pieces.extend(draw(story()))
    if draw(st.integers(0, 3)) > 0:
        pieces.append(Piece("break", _plain(draw(st.sampled_from(BREAKS)))))
        pieces.extend(draw(tech_tale()))
    if draw(st.booleans()):
        pieces.append(Piece("thanks", _plain(draw(st.sampled_from(THANKS)))))
        for text in draw(st.lists(st.sampled_from(BOILERPLATE), max_size=2)):
            pieces.append(_boiler(text))
    for _ in range(draw(st.integers(0, 2))):  # comments, scripts and noise, anywhere
        kind = draw(st.sampled_from(["comment", "script", "noise"]))
        text = draw(st.sampled_from(HOSTILE)) if kind == "noise" else "Import AI 7: hidden"
        pieces.insert(draw(st.integers(0, len(pieces))), Piece(kind, _plain(text)))
    pieces = _disorder(draw, pieces)
    date = draw(
        st.none() | st.tuples(st.integers(1990, 2040), st.integers(0, 13), st.integers(0, 32))
    )
    url = None
    if draw(st.booleans()):
        slug = f"import-ai-{number}-topics" if number is not None else "some-post"
        url = draw(st.sampled_from([f"https://importai.substack.com/p/{slug}", *HREFS]))
    return IssueModel(number, title, date, url, tuple(pieces))


def _disorder(draw: st.DrawFn, pieces: list[Piece]) -> list[Piece]:
    """Now and then move, drop, repeat or shuffle pieces, as broken captures do."""
    how = draw(st.integers(0, 9))
    if not pieces or how < 6:
        return pieces
    if how == 6:
        return list(draw(st.permutations(pieces)))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(pieces) - 1))
        j = draw(st.integers(0, len(pieces)))
        if how == 7:
            pieces.insert(j, pieces.pop(i))
        elif how == 8 and len(pieces) > 1:
            del pieces[i]
        else:
            pieces.insert(j, pieces[i])
    return pieces
