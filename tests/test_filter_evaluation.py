"""The word-filter evaluation (`make eval`) measures what it says."""

from __future__ import annotations

from bot.moderation.evaluate import evasions, exact_matcher, filter_matcher, previous_matcher


def test_each_evasion_is_a_new_spelling_of_the_word() -> None:
    variants = evasions("احمق")
    assert variants["repeated letter"] == "احممممق" and variants["letters dotted"] == "ا.ح.م.ق"
    assert "احمق" not in variants.values() and "Arabic look-alikes" not in variants  # no ی or ک in it


def test_the_three_matchers_differ_where_the_folding_does() -> None:
    banned = ["کرم", "احمق"]
    exact, previous, filters = exact_matcher(banned), previous_matcher(banned), filter_matcher(banned)
    assert [m("به کرمان رفتیم") for m in (exact, previous, filters)] == [None, "کرم", None]
    assert [m("تو ا.ح.م.ق هستی") for m in (exact, previous, filters)] == [None, "احمق", "احمق"]
