"""HTML for Telegram's parse_mode=HTML: escaping and right-to-left-safe isolation in one place."""

from __future__ import annotations

import html
import re
import unicodedata

from bot.text.chars import BIDI_CONTROLS

# First Strong / Left-to-Right / Right-to-Left Isolate and Pop Directional Isolate: a Latin name or a URL inside
# a Persian line keeps its own direction without reordering the words around it.
FSI = "\u2068"
LRI = "\u2066"
RLI = "\u2067"
PDI = "\u2069"
OPENERS = LRI + RLI + FSI
# The marks a line opens with when it must take its language's direction whatever it starts with.
LRM = "\u200e"
RLM = "\u200f"
BIDI_CONTROL = re.compile(f"[{BIDI_CONTROLS}]")
OPENER = re.compile(f"[{OPENERS}]")
TAG = re.compile(r"<[^>]+>")


class Safe(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""


def escape(text: object) -> Safe:
    """Escape &, < and > (and quotes, for attributes) in any user or feed text."""
    if isinstance(text, Safe):
        return text
    return Safe(html.escape(str(text), quote=True))


RIGHT_TO_LEFT = ("R", "AL")  # Unicode's bidi classes of Hebrew and Arabic-script letters; "L" for the others
STRONG = ("L", *RIGHT_TO_LEFT)


def holds_letters(text: str, rtl: bool) -> bool:
    """Whether the text holds a strong letter of the direction: right to left, or left to right."""
    wanted = RIGHT_TO_LEFT if rtl else ("L",)
    return any(unicodedata.bidirectional(char) in wanted for char in text)


def strong_letters(text: str) -> tuple[int, int]:
    """How many left-to-right and right-to-left letters the text holds."""
    classes = [unicodedata.bidirectional(char) for char in text]
    return classes.count("L"), classes.count("R") + classes.count("AL")


def isolate(text: object) -> Safe:
    """Escape and wrap a run of text whose direction may differ from the line around it: in the direction most
    of its letters take (a Persian title that opens with «iPhone» stays right to left), else by its first letter.
    Bidi controls of its own are dropped (an override left open in a user's name would reach past the run), and
    each line is a run of its own (an isolate ends with its line)."""
    if isinstance(text, Safe):
        lines = text.split("\n")
    else:
        lines = [escape(line) for line in BIDI_CONTROL.sub("", str(text)).split("\n")]
    return Safe("\n".join(f"{_opener(visible_text(line))}{line}{PDI}" if line else line for line in lines))


def _opener(text: str) -> str:
    left, right = strong_letters(text)
    return LRI if left > right else RLI if right > left else FSI


def visible_text(rendered: str) -> str:
    """The text Telegram shows for this HTML (what `Message.text` holds)."""
    return html.unescape(TAG.sub("", rendered))


def opens_with_isolate(rendered: str) -> bool:
    """Whether an isolated run comes before the line's first strong letter outside runs (or it has none): its
    direction then depends on the client's reading of isolates, or on nothing the line says."""
    if not OPENER.search(rendered):
        return False
    for char in visible_text(rendered):
        if char in OPENERS:
            return True
        if unicodedata.bidirectional(char) in STRONG:
            return False
    return False


def snippet(text: str, limit: int = 200) -> str:
    """A comment cut short for a notice about it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, label: object) -> Safe:
    return Safe(f'<a href="{escape(url)}">{escape(label)}</a>')
