"""The channel post: how an article looks in the channel, within Telegram's length limits."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.render.dates import english_date, jalali_date
from bot.render.html import BIDI_CONTROL, FSI, PDI, Safe, escape, link, visible_text
from bot.text.sentences import split_sentences
from bot.text.summarize import cut_at_word
from bot.texts import t

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# A run of Latin script (names, URLs, model numbers) inside a Persian line: isolated so that the bidi
# algorithm does not reorder the Persian words around it.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9@#&/:._+\-]*(?:\s+[A-Za-z0-9][A-Za-z0-9@#&/:._+\-]*)*")


@dataclass
class PostContent:
    title: str
    summary: str
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    hashtags: list[str] = field(default_factory=list)
    also: list[tuple[str, str | None]] = field(default_factory=list)  # other outlets of the story: name, link


def isolate_latin(text: str) -> Safe:
    """Escape `text`, wrapping each Latin run in First Strong Isolate ... Pop Directional Isolate."""
    out: list[str] = []
    position = 0
    for match in LATIN_RUN.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"{FSI}{escape(match.group())}{PDI}")
        position = match.end()
    out.append(escape(text[position:]))
    return Safe("".join(out))


def visible_length(rendered: str) -> int:
    """Length as Telegram counts it: after entity parsing, in UTF-16 code units."""
    return len(visible_text(rendered).encode("utf-16-le")) // 2


def pack_parts(
    parts: Sequence[str], limit: int, separator: str = "\n", length: Callable[[str], int] = len, head: str = ""
) -> list[str]:
    """Parts joined by the separator into as few texts as stay within the limit, broken only between parts;
    each text after the first starts with a part, and the head (a title) keeps at least one part with it."""
    texts: list[str] = []
    current = head
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if current and current != head and length(candidate) > limit:
            texts.append(current)
            candidate = part
        current = candidate
    return [*texts, current] if current else texts


def to_plain(rendered: str) -> str:
    """What a reader sees, without formatting (for terminal previews)."""
    return BIDI_CONTROL.sub("", visible_text(rendered))


def render_post(post: PostContent, lang: str, tz: ZoneInfo | None = None, limit: int = TEXT_LIMIT) -> Safe:
    """Bold title, summary, source and date, link to the original, hashtags; shortened at a sentence
    boundary when over `limit` (and the title cut at a word when it alone is past it)."""
    summary = post.summary
    while True:
        rendered = _render(post, summary, lang, tz)
        if visible_length(rendered) <= limit:
            return rendered
        if summary:
            summary = _shorter(summary)
            continue
        # The title alone is past the limit (a feed item whose <title> holds the article): it is cut at a word.
        over = visible_length(rendered) - limit
        title = cut_at_word(post.title, max(1, len(post.title) - over))
        if len(title) >= len(post.title):
            return rendered
        post = replace(post, title=title)


def _shorter(summary: str) -> str:
    """A shorter summary, or none: when the title alone is past the limit, the cut ends at nothing (a bare
    ellipsis would be cut to itself for ever, and the event loop, every chat, with it)."""
    sentences = split_sentences(summary)
    if len(sentences) > 1:
        return " ".join(sentences[:-1])
    shorter = cut_at_word(summary, max(0, len(summary) - max(20, len(summary) // 5)))
    return shorter if len(shorter) < len(summary) and shorter.strip("… ") else ""


ALSO_SHOWN = 6  # outlets named in the «همچنین» line; the others are counted


def also_line(sources: list[tuple[str, str | None]], lang: str) -> Safe:
    """«همچنین: تسنیم، ایرنا، همشهری», each outlet a link to its own report."""
    names = [link(url, isolate_latin(name)) if url else isolate_latin(name) for name, url in sources[:ALSO_SHOWN]]
    listed = Safe(t(lang, "list_separator").join(names))
    if len(sources) > ALSO_SHOWN:
        return t(lang, "post_also_more", sources=listed, more=len(sources) - ALSO_SHOWN)
    return t(lang, "post_also", sources=listed)


def _render(post: PostContent, summary: str, lang: str, tz: ZoneInfo | None) -> Safe:
    lines = [f"<b>{isolate_latin(post.title)}</b>"]
    if summary:
        lines += ["", isolate_latin(summary)]
    meta: list[str] = []
    if post.source:
        meta.append(t(lang, "post_source", source=post.source))
    if post.published is not None:
        meta.append(jalali_date(post.published, tz) if lang == "fa" else english_date(post.published, tz))
    if meta or post.url:
        lines.append("")
    if meta:
        lines.append(" | ".join(meta))
    if post.url:
        lines.append(link(post.url, t(lang, "post_read_more")))
    if post.also:
        lines.append(also_line(post.also, lang))
    if post.hashtags:
        lines += ["", escape(" ".join(post.hashtags))]
    return Safe("\n".join(lines))
