"""Word filters see through spelling tricks, and do not catch ordinary words that contain a filtered one."""

from __future__ import annotations

import pytest

from bot.app import BotRunner
from bot.moderation.wordfilter import Filter, WordFilter, fold
from bot.text.phrases import filter_key
from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_moderation import ask

FILTERS = WordFilter(
    [
        Filter("banned", "احمق", fold("احمق")),
        Filter("banned", "کثافت", fold("کثافت")),
        Filter("banned", "بی شعور", fold("بی شعور")),
        Filter("banned", "جاکش", fold("جاکش")),
        Filter("suspect", "خر", fold("خر")),
    ]
)

EVASIONS = [
    ("احمق", "plain"),
    ("تو بیشعوری", "suffix ی"),
    ("بیشعوره", "spoken ending ه"),
    ("جاکشا", "spoken plural ا"),
    ("احمق‌ها", "plural with ZWNJ"),
    ("اح‌مق", "ZWNJ inside"),
    ("ا‍حمق", "ZWJ inside"),
    ("اح\u200bمق", "zero-width space inside"),
    ("احــــمق", "tatweel"),
    ("اَحمَق", "diacritics"),
    ("احممممممق", "repeated letters"),
    ("ا ح م ق", "letters spaced out"),
    ("ا.ح.م.ق", "letters with dots"),
    ("ا-ح-م-ق", "letters with dashes"),
    ("ا*ح*م*ق", "letters with stars"),
    ("«احمق!»", "punctuation around"),
    ("تو و ا ح م ق", "spelled after a one-letter word"),
    ("jakesh", "Finglish"),
    ("JAKESH", "Finglish upper case"),
    ("j4k3sh", "Finglish with digits for letters"),
    ("كثافت", "Arabic kaf"),
    ("کثافتتتتت", "repeated final letter"),
    ("ک.ث.ا.ف.ت", "dotted"),
    ("بیشعور", "phrase written together"),
    ("بی شعور", "phrase with a space"),
    ("بی‌شعور", "phrase with ZWNJ"),
    ("بي‌شعور", "Arabic yeh"),
    ("bishoor", "Finglish phrase"),
]


@pytest.mark.parametrize(("text", "trick"), EVASIONS)
def test_banned_words_are_seen_through(text: str, trick: str) -> None:
    hit = FILTERS.match(f"این نظر {text} است")
    assert hit is not None and hit.kind == "banned", trick


@pytest.mark.parametrize(
    "text",
    ["احمد آمد", "احمدی‌نژاد گفت", "خرید کردم", "خریدار نبود", "کثیف نیست", "ahmad", "kasif", "خبر خوبی است"],
)
def test_ordinary_words_pass(text: str) -> None:
    assert FILTERS.match(text) is None


def test_a_word_joined_by_zwnj_is_one_word_not_its_parts() -> None:
    cow = WordFilter([Filter("banned", "گاو", fold("گاو"))])
    assert cow.match("دزدان گاو‌صندوق بانک را شکستند") is None  # گاوصندوق (a safe) is one word
    assert cow.match("دزدان گاوصندوق بانک را شکستند") is None
    assert cow.match("تو گاو هستی") is not None


def test_a_suspect_word_holds_and_a_banned_one_wins() -> None:
    assert FILTERS.match("تو خر هستی").kind == "suspect"  # type: ignore[union-attr]
    assert FILTERS.match("تو خر و احمق هستی").kind == "banned"  # type: ignore[union-attr]


def test_folded_keys_are_one_for_spelling_variants() -> None:
    assert fold("بی شعور") == fold("بی‌شعور") == fold("بيشعور") == fold("بیـــشعور")
    assert filter_key("بی شعور") == filter_key("بی‌شعور") == filter_key("بيشعور") == filter_key("بیـــشعور")


# Failure classes of folding that invents words, each with a banned word and ordinary text that contains
# its letters: the phrases are our own, the classes are those seen with a public swear list.
INVENTED = [
    ("ممه", "هوا ابری و مه آلود است", "a doubled letter collapsed (ممه → مه)"),
    ("جوون", "سلام رضا جون، خوبی؟", "a doubled letter collapsed (جوون → جون)"),
    ("گُه", "دو سه گهواره خریدیم", "no: a longer word"),
    ("آشغال", "نیروهای اشغالگر عقب نشستند", "آ folded into ا"),
    ("آشغال", "مناطق اشغالی آزاد شد", "آ folded into ا, with a suffix"),
    ("کرم", "به شهر کرمان رفتیم", "a suffix stripped from a three-letter stem"),
    ("حشر", "حشرات موذی زیاد شده‌اند", "ات stripped from a three-letter stem"),
    ("کس", "هیچ کسی نیامد", "ی stripped from a two-letter stem"),
    ("کوس", "کوسه‌ها در ساحل دیده شدند", "a doubled ه collapsed across a ZWNJ"),
    ("لاشی", "تلاشی دوباره کردیم", "no: inside a longer word"),
]


@pytest.mark.parametrize(("banned", "text", "cls"), INVENTED)
def test_ordinary_words_are_not_folded_into_banned_ones(banned: str, text: str, cls: str) -> None:
    assert WordFilter.of([banned]).match(text) is None, cls


REAL = [
    ("ممه", "عکس مممممه گذاشته", "a long run stands for a doubled letter"),
    ("جوون", "جووووون چه خبره", "a long run stands for a doubled letter"),
    ("کسخل", "تو یه کسخلی", "ی after a stem of four letters or more"),
    ("آشغال", "آشغال‌ها برید گم شید", "a plural written with a ZWNJ"),
    ("کرم", "کرم ها ریختی", "a suffix written apart from a short stem"),
    ("کرم", "کرم‌ها ریختی", "a suffix after a ZWNJ"),
    ("کرم", "ک ر م", "a short word spelled out"),
]


@pytest.mark.parametrize(("banned", "text", "cls"), REAL)
def test_the_same_words_are_still_caught_when_they_are_written(banned: str, text: str, cls: str) -> None:
    assert WordFilter.of([banned]).match(text) is not None, cls


async def test_admins_try_a_text_on_the_filters_and_see_the_phrase_that_matched(
    bot: BotRunner, owner: FakeUser
) -> None:
    await ask(owner, "/filter add banned آشغال")
    await ask(owner, "/filter add suspect خر")
    assert "رد می‌شود" in (reply := (await ask(owner, "/filter test تو آشغـــال هستی"))).text and "«آشغال»" in reply.text
    assert "بررسی" in (reply := (await ask(owner, "/filter test خر‌ها"))).text and "«خر»" in reply.text
    assert "می‌گذرد" in (await ask(owner, "/filter test سرزمین‌های اشغالی")).text
    assert "/filter آزمون" in (await ask(owner, "/filter test")).text  # no text: the usage, in Persian words


async def test_an_english_admin_gets_the_verdict_in_english(bot: BotRunner, fake: FakeTelegram) -> None:
    admin = FakeUser(fake, "Admin", user_id=OWNER_ID, language_code="en")
    await ask(admin, "/filter add banned آشغال")
    reply = await ask(admin, "/filter test <b>آشغال</b>")
    assert "would be refused" in reply.text and "“آشغال”" in reply.text
    assert "passes the word filters" in (await ask(admin, "/filter test hello")).text


async def test_readers_cannot_try_the_filters(bot: BotRunner, owner: FakeUser, user: FakeUser) -> None:
    await ask(owner, "/filter add banned آشغال")
    answer = await ask(user, "/filter test آشغال")
    assert "آشغال" not in answer.text
