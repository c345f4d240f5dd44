"""The message catalogs: one per language, the same keys and placeholders, valid Telegram HTML."""

from __future__ import annotations

import string

import pytest

from bot.texts import CATALOGS, t
from tests.fake_telegram.html import parse_html


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    fa, en = CATALOGS["fa"], CATALOGS["en"]
    assert fa.keys() == en.keys()
    for key in fa:
        assert placeholders(fa[key]) == placeholders(en[key]), key


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_message_is_html_telegram_accepts(lang: str) -> None:
    for key, template in CATALOGS[lang].items():
        params = {name: "https://t.me/x/1" if name == "link" else "x" for name in placeholders(template)}
        parse_html(t(lang, key, **params))


def test_parameters_are_escaped_and_numbers_localized() -> None:
    assert t("fa", "start_welcome", name="<i>&").count("&lt;i&gt;&amp;") == 1
    assert "۱۲٬۳۴۵" in t("fa", "post_comments_button", count=12345)
    assert "12,345" in t("en", "post_comments_button", count=12345)
