"""The message catalogs: one per language, the same keys and placeholders, valid Telegram HTML."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from bot.texts import CATALOGS, Id, Text, t
from storage.moderation import SanctionKind
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
    assert t("fa", "start_welcome", name="<i>&", button="💬").count("&lt;i&gt;&amp;") == 1
    assert "۱۲٬۳۴۵" in t("fa", "post_comments_button", count=12345)
    assert "12,345" in t("en", "post_comments_button", count=12345)


def test_counts_of_one_take_the_singular_in_english() -> None:
    assert "… and 1 more reply " in t("en", "more_replies", count=1, number="#4")
    assert "… and 3 more replies " in t("en", "more_replies", count=3, number="#4")
    assert t("en", "duration_minutes", n=1) == "1 minute" and t("fa", "duration_minutes", n=1) == "۱ دقیقه"


def test_ids_keep_their_digits_ungrouped_and_stored_texts_render_in_the_readers_language() -> None:
    assert t("fa", "feed_removed", id=Id(1234)).startswith("خوراک ۱۲۳۴ ")
    assert t("en", "feed_removed", id=Id(1234)).startswith("Feed 1234 ")
    stored = Text("feed_error_http", {"status": 503}).encode()
    reason = Text.decode(stored)
    assert isinstance(reason, Text)
    assert t("fa", "feeds_problem", reason=reason).endswith("سرور پاسخ HTTP ۵۰۳ داد")
    assert t("en", "feeds_problem", reason=reason).endswith("the server answered HTTP 503")
    assert Text.decode("the server answered HTTP 500") == "the server answered HTTP 500"  # stored before


def test_every_moderation_action_the_code_records_has_words_in_the_log() -> None:
    """An action recorded with audit.record(...) but missing from the catalogs would reach /modlog as a code."""
    sources = [*Path("bot").rglob("*.py"), *Path("handlers").rglob("*.py")]
    actions = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for pair in re.findall(r'\brecord\(\s*[^,()]+,\s*"([a-z_]+)"(?: if \w+ else "([a-z_]+)")?', text):
            actions |= {action for action in pair if action}
    assert {"delete", "premod", "filtered", "digest_times", "lock", "unlock"} <= actions
    # Sanctions are recorded with their group action, named by the kind: ban, unban, mute, unmute.
    actions |= {name for kind in SanctionKind for name in (kind.value, kind.lift)}
    for action in actions:
        for lang in ("fa", "en"):
            assert f"modlog_do_{action}" in CATALOGS[lang], action
