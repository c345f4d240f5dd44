"""HTML for Telegram's parse_mode=HTML: escaping and right-to-left-safe isolation in one place."""

from __future__ import annotations

import html

# First Strong Isolate / Pop Directional Isolate: a Latin name or a URL inside a Persian line keeps
# its own direction without reordering the words around it.
FSI = "\u2068"
PDI = "\u2069"


class Safe(str):
    """Text that is already valid Telegram HTML and must not be escaped again."""


def escape(text: object) -> Safe:
    """Escape &, < and > (and quotes, for attributes) in any user or feed text."""
    if isinstance(text, Safe):
        return text
    return Safe(html.escape(str(text), quote=True))


def isolate(text: object) -> Safe:
    """Escape and wrap a run of text whose direction may differ from the line around it."""
    return Safe(f"{FSI}{escape(text)}{PDI}")


def snippet(text: str, limit: int = 200) -> str:
    """A comment cut short for a notice about it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, label: object) -> Safe:
    return Safe(f'<a href="{escape(url)}">{escape(label)}</a>')
