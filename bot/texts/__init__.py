"""The message catalogs: every user-facing string, looked up by key, one module per language.

Plurals: a key may have a `<key>_one` variant, used when the message's count (the `count`, `n` or `total`
parameter, whichever it has) is 1 (`1 more reply`, `3 more replies`). Persian nouns after a number stay
singular, so its `_one` variants read as the others do.

A parameter may be a `Text` (a catalog key with its own parameters): it is written in the language of the
message it fills. Reasons stored for later (a feed's error) are Texts, encoded, so that each reader gets them
in their own language.
"""

from __future__ import annotations

import html
import json
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.render.html import BIDI_CONTROL, LRM, RLM, Safe, escape, holds_letters, isolate, opens_with_isolate
from bot.texts import en, fa

LANGUAGES = ("fa", "en")
CATALOGS: dict[str, dict[str, str]] = {"fa": fa.MESSAGES, "en": en.MESSAGES}
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def localize_number(value: int | float, lang: str) -> str:
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"
    if lang == "fa":
        return text.replace(",", "٬").replace(".", "٫").translate(PERSIAN_DIGITS)
    return text


def digits(value: int | str, lang: str) -> str:
    """An id or a clock reading in the language's digits, without thousands separators (`#۱۲۳۴`, `۰۸:۰۰`)."""
    return str(value).translate(PERSIAN_DIGITS) if lang == "fa" else str(value)


PLURAL_BY = ("count", "n", "total")


class Id(int):
    """A number that names something (a feed, a user): written in the language's digits, never grouped."""


@dataclass(frozen=True)
class Text:
    """A catalog text not yet written in a language: rendered in the language of whoever reads it."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> Safe:
        return t(lang, self.key, **self.params)

    def encode(self) -> str:
        """For a database column: `{"key": ..., "params": {...}}`."""
        return json.dumps({"key": self.key, "params": self.params}, ensure_ascii=False)

    @classmethod
    def decode(cls, stored: str | None) -> Text | str | None:
        """A stored Text; text stored before reasons were catalog keys comes back as it is."""
        if not stored:
            return None
        try:
            data = json.loads(stored)
        except ValueError:
            return stored
        if isinstance(data, dict) and data.get("key") in CATALOGS["en"]:
            return cls(data["key"], dict(data.get("params") or {}))
        return stored


def t(lang: str, key: str, /, **params: object) -> Safe:
    """The catalog text for `key` in `lang`, as Telegram HTML; parameters are escaped unless Safe, numbers
    written in the language's digits, Texts rendered in `lang`; `<key>_one` when the count is 1.

    Directions: a text inserted into a sentence (a name, a title, a feed's name) that holds letters of the
    other direction is a bidi isolate, stripped of bidi controls of its own, so that a Latin name neither turns
    a Persian line left to right nor reorders the words after it; a line that would open with such a run opens
    with its language's mark. A text alone on its line (a comment, a summary) keeps its own direction."""
    catalog = CATALOGS.get(lang, CATALOGS["fa"])
    count = next((params[name] for name in PLURAL_BY if name in params), None)
    template = catalog.get(f"{key}_one", catalog[key]) if count == 1 and not isinstance(count, bool) else catalog[key]
    return Safe("\n".join(_fill(line, lang, params) for line in _lines(template)))


@dataclass(frozen=True)
class _Line:
    """One line of a catalog text and how each of its parameters sits in it."""

    template: str
    names: frozenset[str]
    alone: bool  # the line is one parameter (inside tags at most): the inserted text keeps its own direction
    literal: frozenset[str]  # parameters in an attribute, in <code> or glued to a word (/{command}): escaped only


LITERAL = re.compile(r"<[^>]*>|<code>.*?</code>|<pre>.*?</pre>|(?<=[/@#\w])\{\w+\}|\{\w+\}(?=\w)")


@lru_cache(maxsize=4096)
def _lines(template: str) -> tuple[_Line, ...]:
    lines = []
    for line in template.split("\n"):
        literal = frozenset(name for part in LITERAL.findall(line) for name in _names(part))
        lines.append(
            _Line(
                line,
                frozenset(_names(line)),
                bool(re.fullmatch(r"\{\w+\}", re.sub(r"<[^>]+>", "", line).strip())),
                literal,
            )
        )
    return tuple(lines)


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _fill(line: _Line, lang: str, params: dict[str, object]) -> str:
    values = {name: _value(params[name], lang, inline=not line.alone and name not in line.literal)
              for name in line.names}  # fmt: skip
    filled = line.template.format(**values)
    if line.alone:
        return filled
    mark = LRM if lang == "en" else RLM
    return "\n".join(mark + part if opens_with_isolate(part) else part for part in filled.split("\n"))


def _value(value: object, lang: str, inline: bool) -> str:
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, Id):
        return digits(int(value), lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return localize_number(value, lang)
    if not inline or isinstance(value, Safe):
        return escape(value)
    text = BIDI_CONTROL.sub("", str(value))
    return isolate(text) if holds_letters(text, rtl=lang == "en") else escape(text)


def words(key: str) -> frozenset[str]:
    """The spellings a command takes for one of its words (`/filter افزودن` or `/filter add`): the word under
    `key` in every catalog, lower-cased, so that a reader may type it in either language."""
    return frozenset(CATALOGS[lang][key].lower() for lang in LANGUAGES)


def plain(text: str) -> str:
    """A catalog message as plain text (for pages that insert it with textContent): no tags, no entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def language_for(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """A user's UI language: their explicit choice, else English for English Telegram clients, else default."""
    if chosen in LANGUAGES:
        return chosen
    if telegram_code:
        base = telegram_code.split("-")[0].lower()
        if base == "en":
            return "en"
        if base == "fa":
            return "fa"
    return default
