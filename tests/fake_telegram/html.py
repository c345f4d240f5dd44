"""Telegram's parse_mode=HTML, as strict as the real server: its tag subset, its four entities, proper nesting."""

from __future__ import annotations

import re

ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "span": {"class"},
    "tg-spoiler": set(),
    "a": {"href"},
    "tg-emoji": {"emoji-id"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>")
ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")


class HtmlError(ValueError):
    """What Telegram answers: 'Bad Request: can't parse entities: ...'."""


def _decode_entities(chunk: str, offset: int) -> str:
    out, pos = [], 0
    while True:
        amp = chunk.find("&", pos)
        if amp < 0:
            out.append(chunk[pos:])
            return "".join(out)
        out.append(chunk[pos:amp])
        match = ENTITY.match(chunk, amp)
        if not match:
            raise HtmlError(f"Unsupported start tag or entity at byte offset {offset + amp}: bare '&'")
        name = match[1]
        if name.startswith("#"):
            code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
            out.append(chr(code))
        elif name in NAMED_ENTITIES:
            out.append(NAMED_ENTITIES[name])
        else:
            raise HtmlError(f"Unsupported entity '&{name};' at byte offset {offset + amp}")
        pos = match.end()


def parse_html(text: str) -> str:
    """Return the plain text Telegram would show, or raise HtmlError where Telegram refuses the message."""
    plain: list[str] = []
    stack: list[str] = []
    pos = 0
    for match in re.finditer(r"<", text):
        start = match.start()
        if start < pos:
            continue
        plain.append(_decode_entities(text[pos:start], pos))
        tag = TAG.match(text, start)
        if not tag:
            raise HtmlError(f"Unsupported start tag at byte offset {start}: bare '<'")
        closing, name, attrs = tag[1] == "/", tag[2].lower(), tag[3]
        if name not in ALLOWED:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {start}')
        if closing:
            if not stack or stack[-1] != name:
                raise HtmlError(f'Unmatched end tag at byte offset {start}, expected "</{stack[-1] if stack else ""}>"')
            stack.pop()
        else:
            for attr_name, value in ATTR.findall(attrs):
                if attr_name.lower() not in ALLOWED[name]:
                    raise HtmlError(f'Unsupported attribute "{attr_name}" of tag "{name}"')
                if name == "a" and attr_name.lower() == "href":
                    href = _decode_entities(value.strip("\"'"), start)
                    if not re.match(r"^(https?://|tg://|mailto:)", href):
                        raise HtmlError(f"Wrong HTTP URL: {href!r}")
            if name == "span" and 'class="tg-spoiler"' not in attrs.replace("'", '"'):
                raise HtmlError('Tag "span" must have class "tg-spoiler"')
            stack.append(name)
        pos = tag.end()
    plain.append(_decode_entities(text[pos:], pos))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(plain)


# What Telegram's servers change in every text they take (tdlib's clean_input_string): control characters become
# spaces (\r goes), the embeddings and overrides U+2028–U+202E go (isolates U+2066–U+2069 stay), and in a run of
# direction marks (U+200E, U+200F) all but the last become zero-width non-joiners.
CONTROLS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f]")
DROPPED = re.compile("[\r\u2028-\u202e\u0333\u033f\u030a]")
MARK_RUN = re.compile("[\u200e\u200f]{2,}")


def clean_input(text: str) -> str:
    """The text as Telegram stores it."""
    text = DROPPED.sub("", CONTROLS.sub(" ", text))
    return MARK_RUN.sub(lambda run: "\u200c" * (len(run[0]) - 1) + run[0][-1], text)


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2
