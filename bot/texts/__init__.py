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
from dataclasses import dataclass, field
from typing import Any

from bot.render.html import Safe, escape
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
    written in the language's digits, Texts rendered in `lang`; `<key>_one` when the count is 1."""
    catalog = CATALOGS.get(lang, CATALOGS["fa"])
    count = next((params[name] for name in PLURAL_BY if name in params), None)
    template = catalog.get(f"{key}_one", catalog[key]) if count == 1 and not isinstance(count, bool) else catalog[key]
    values: dict[str, str] = {}
    for name, value in params.items():
        if isinstance(value, Text):
            values[name] = value.render(lang)
        elif isinstance(value, Id):
            values[name] = digits(int(value), lang)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            values[name] = escape(value)
        else:
            values[name] = localize_number(value, lang)
    return Safe(template.format(**values))


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
