"""The message catalogs: every user-facing string, looked up by key, one module per language."""

from __future__ import annotations

import html
import re

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


def t(lang: str, key: str, /, **params: object) -> Safe:
    """The catalog text for `key` in `lang`, as Telegram HTML; parameters are escaped unless Safe."""
    catalog = CATALOGS.get(lang, CATALOGS["fa"])
    template = catalog[key]
    values = {}
    for name, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            values[name] = escape(value)
        else:
            values[name] = localize_number(value, lang)
    return Safe(template.format(**values))


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
