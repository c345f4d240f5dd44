"""The message catalogs: one per language, the same keys and placeholders, valid Telegram HTML."""

from __future__ import annotations

import html
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


OTHER_SCRIPT = {"fa": "John Smith", "en": "مریم رضایی"}


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_name_in_the_other_script_leaves_every_line_of_every_message_in_its_direction(lang: str) -> None:
    """Each line reads in the direction its own words give it (its language's when it has none of its own),
    for clients that skip isolated runs and for those that do not: a line opening with a name or a title
    holds the name in an isolate and opens with its language's mark."""
    from tests.test_directions import first_letter_direction
    from tests.test_discussion import first_strong_direction

    own_direction = {"fa": "rtl", "en": "ltr"}[lang]
    for key, template in CATALOGS[lang].items():
        params = {name: "https://t.me/x/1" if name == "link" else OTHER_SCRIPT[lang] for name in placeholders(template)}
        shown = html.unescape(re.sub(r"<[^>]+>", "", t(lang, key, **params)))
        for template_line, line in zip(template.split("\n"), shown.split("\n"), strict=True):
            words = re.sub(r"<[^>]+>", "", template_line)
            if not placeholders(template_line) or re.fullmatch(r"\{\w+\}", words.strip()):
                continue  # no inserted text, or one alone on its line that keeps its own direction
            expected = first_letter_direction(re.sub(r"\{\w+\}", "", words))
            expected = own_direction if expected == "neutral" else expected
            assert first_strong_direction(line) == first_letter_direction(line) == expected, (key, line)


def test_inserted_names_are_isolated_by_their_own_letters_without_bidi_controls_of_their_own() -> None:
    # A Persian title that opens with a Latin word is a right-to-left run (first-strong would make it LTR).
    assert (
        t("en", "lock_done", title="iPhone ۱۷ معرفی شد")
        == "🔒 The discussion of “\u2067iPhone ۱۷ معرفی شد\u2069” is closed."
    )
    assert t("fa", "lock_done", title="iPhone ۱۷ معرفی شد") == "🔒 گفت‌وگوی «\u2067iPhone ۱۷ معرفی شد\u2069» بسته شد."
    # Same script: nothing to isolate; an override of the name's own is dropped all the same.
    assert t("fa", "warn_limit_ban", name="مریم\u202e") == CATALOGS["fa"]["warn_limit_ban"].format(name="مریم")
    assert t("en", "warn_limit_ban", name="\u202eJohn\u202c") == "John reached the warning limit and is banned."
    assert t("fa", "warn_limit_ban", name="Jo\u202ehn") == "\u200f\u2066John\u2069 به سقف اخطارها رسید و مسدود شد."
    # A link target and an id to copy take no marks; a text alone on its line keeps its own direction.
    story = t("fa", "queue_story", link="https://t.me/c/1?a=John", title="John")
    assert story == '\u200f<a href="https://t.me/c/1?a=John">«\u2066John\u2069»</a>'
    assert "<code>abc</code>" in t("fa", "status_setting", value="abc")
    assert t("fa", "reply_notice", name="مریم", title="خبر", text="I agree").endswith("\nI agree")
