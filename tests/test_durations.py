"""One duration formatter: bans and mutes in the largest whole unit, /status's uptime to the second."""

from __future__ import annotations

import pytest

from bot.moderation.durations import format_duration, take_duration


@pytest.mark.parametrize(
    ("seconds", "lang", "text"),
    [(7200, "fa", "۲ ساعت"), (3 * 86400, "en", "3 days"), (86400, "en", "1 day"), (2 * 604800, "fa", "۲ هفته"),
     (90, "en", "1 minute"), (5400, "en", "90 minutes")],
)  # fmt: skip
def test_a_sanction_lasts_the_largest_whole_unit(seconds: int, lang: str, text: str) -> None:
    assert format_duration(seconds, lang) == text


@pytest.mark.parametrize(
    ("seconds", "lang", "text"),
    [(0.4, "fa", "۰۰:۰۰:۰۰"), (3723.9, "en", "01:02:03"), (3 * 86400 + 7384, "fa", "۳ روز و ۰۲:۰۳:۰۴"),
     (86400 + 5, "en", "1 day, 00:00:05")],
)  # fmt: skip
def test_the_uptime_is_exact_to_the_second_after_the_whole_days(seconds: float, lang: str, text: str) -> None:
    assert format_duration(seconds, lang, exact=True) == text


@pytest.mark.parametrize(
    ("words", "seconds", "rest"),
    [(["2h", "توهین"], 7200, ["توهین"]), (["۲", "ساعت", "توهین"], 7200, ["توهین"]), (["۳۰دقیقه"], 1800, []),
     (["30", "minutes", "spam"], 1800, ["spam"]), (["1", "week"], 604800, []), (["۷", "روز"], 7 * 86400, []),
     (["3", "بار", "توهین", "کرد"], None, ["3", "بار", "توهین", "کرد"]), (["توهین"], None, ["توهین"]), ([], None, [])],
)  # fmt: skip
def test_a_duration_is_read_in_one_word_or_two_as_the_bot_writes_it(
    words: list[str], seconds: int | None, rest: list[str]
) -> None:
    assert take_duration(words) == (seconds, rest)
