"""The Persian text engine: normalization, ZWNJ repair, cleanup, summaries, hashtags."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.text.chars import ZWNJ
from bot.text.cleanup import clean_article
from bot.text.engine import TextEngine, get_engine
from bot.text.hashtags import as_hashtag
from bot.text.normalize import matching_form, matching_key
from bot.text.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "data" / "seed" / "article_with_comments.txt"
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="session")
def engine() -> TextEngine:
    return get_engine()


def seed_text() -> str:
    path = SEED if SEED.exists() else FIXTURES / "article_with_comments.txt"
    return path.read_text(encoding="utf-8")


def test_seed_article_is_cleaned_summarized_and_repaired(engine: TextEngine) -> None:
    article = engine.process(seed_text())
    assert article.title == "لاوروف، الجولانی را به روسیه دعوت کرد / لاوروف: سوریه دوست خوب روسیه است"
    assert article.source == "فارس"
    for word in ("گفت‌وگو", "رئیس‌جمهور", "بی‌صبرانه", "عالی‌رتبه‌ترین", "تحریم‌ها", "همکاری‌های", "چالش‌ها"):
        assert word in article.body, word
    for furniture in ("منبع", "شبکه", "دیدگاهتان", "نظرات شما", "ناشناس", "قهوه", "ایدز"):
        assert furniture not in article.body and furniture not in article.summary
    assert article.body.count(article.title.split(" / ")[0]) == 0  # the repeated headline left the body
    assert article.subtitles == ["لاوروف: سوریه دوست خوب روسیه است / خواهان روابط سودمند با دولت جولانی هستیم"]
    assert 0 < len(article.summary) <= 400
    assert 2 <= len(article.hashtags) <= 5


def test_seed_comments_are_split_off_with_their_nesting() -> None:
    comments = clean_article(seed_text()).comments
    assert [c.author for c in comments] == ["یک شهروند", "محمد", "واقعیت", "سید عزیز", "شرقگدا مجرم نیست نادان است"]
    assert sum(c.count() for c in comments) == 10
    assert [r.author for r in comments[0].replies] == ["ناشناس", "بهنام"]
    assert comments[1].replies[0].text.startswith("حیف از اسمتت")
    assert "نظرات شما" not in comments[0].text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("گفتوگو", "گفت‌وگو"),
        ("رئیسجمهور", "رئیس‌جمهور"),
        ("بیصبرانه", "بی‌صبرانه"),
        ("عالیرتبهترین", "عالی‌رتبه‌ترین"),
        ("تحریمها", "تحریم‌ها"),
        ("همکاریهای", "همکاری‌های"),
        ("چالشها", "چالش‌ها"),
        ("میخواهم", "می‌خواهم"),
        ("کتاب ها", "کتاب‌ها"),
        ("مجموعهای از کتابها", "مجموعه‌ای از کتاب‌ها"),
        ("کشورهای منطقه", "کشورهای منطقه"),  # no ZWNJ after a non-joining letter
        ("بازیکنان", "بازیکنان"),
        ("آنها", "آنها"),
    ],
)
def test_zwnj_repair(engine: TextEngine, raw: str, expected: str) -> None:
    assert engine.normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("رشد 10.5 درصدی", "رشد ۱۰٫۵ درصدی"),
        ("تاریخ ۱۴۰۴/۰۶/۱۴ ساعت 13:30", "تاریخ ۱۴۰۴/۰۶/۱۴ ساعت ۱۳:۳۰"),
        ("قیمت ۱,۲۰۰ تومان", "قیمت ۱٬۲۰۰ تومان"),
        ("نشانی https://t.me/x?start=ab_1 را ببینید", "نشانی https://t.me/x?start=ab_1 را ببینید"),
        ("از @news_bot و #خبر_فوری و a.b@mail.com", "از @news_bot و #خبر_فوری و a.b@mail.com"),
        ("كتاب علي", "کتاب علی"),
        ("سلام 😀 👨‍👩‍👧 iPhone 15 Pro", "سلام 😀 👨‍👩‍👧 iPhone 15 Pro"),
        ("متن \u202eوارونه\u200b", "متن وارونه"),
    ],
)
def test_normalization_protects_what_hazm_would_break(engine: TextEngine, raw: str, expected: str) -> None:
    assert engine.normalize(raw) == expected


def test_matching_form_makes_spelling_variants_equal() -> None:
    variants = ["رئیس‌جمهور", "رئيس جمهور", "رئیسجمهور", "رئـــیس‌جمهور", "رَئیس‌جُمهور"]
    assert len({matching_key(v) for v in variants}) == 1
    # A ZWNJ, tatweel or diacritic leaves one word, as if it were written together (only a space makes two).
    assert len({matching_form(v) for v in variants if " " not in v}) == 1
    assert matching_form("رئیس‌جمهور") == "رییسجمهور" and matching_form("تحریم‌ها") == matching_form("تحریمها")
    assert matching_form("۱۲۳ ١٢٣ 123") == "123 123 123"
    assert matching_form("Hello WORLD!") == "hello world"
    assert matching_form("كتاب") == matching_form("کتاب")


def test_sentences_respect_lines_quotes_and_numbers() -> None:
    text = "تیتر بی‌نقطه\nاو گفت «ما آماده‌ایم. همه آماده‌اند» و رفت. رشد ۱۰.۵ درصد بود؟ بله!\nکرد.الشیبانی آمد."
    assert split_sentences(text) == [
        "تیتر بی‌نقطه",
        "او گفت «ما آماده‌ایم. همه آماده‌اند» و رفت.",
        "رشد ۱۰.۵ درصد بود؟",
        "بله!",
        "کرد.",
        "الشیبانی آمد.",
    ]


def test_summary_fits_the_budget_keeps_order_and_is_deterministic(engine: TextEngine) -> None:
    article = engine.process(seed_text())
    for budget in (60, 150, 400, 1000):
        summary = engine.summarizer.summarize(article.title, article.body, budget)
        assert 0 < len(summary) <= engine.summarizer.model.ceiling(budget)
        assert summary[-1] in ".!؟?…»"
        assert summary == engine.summarizer.summarize(article.title, article.body, budget)
    long = engine.summarizer.summarize(article.title, article.body, 1000)
    positions = [article.body.find(s[:30]) for s in split_sentences(long)]
    assert positions == sorted(positions) and -1 not in positions


def test_hashtags_are_telegram_hashtags(engine: TextEngine) -> None:
    tags = engine.process(seed_text()).hashtags
    assert all(tag.startswith("#") and ZWNJ not in tag and " " not in tag for tag in tags)
    assert as_hashtag("رئیس‌جمهور") == "#رئیس_جمهور"
    assert as_hashtag("تیم ملی") == "#تیم_ملی"
    assert as_hashtag("۱۴۰۴") == ""
