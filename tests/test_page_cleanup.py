"""Real page shapes: the headline under the furniture, the agency rather than its desk, datelines, and the
codes, dates and media sizes that are not the article. Every text here is our own, in the shapes of real pages."""

from __future__ import annotations

import pytest

from bot.text.cleanup import clean_article, dateline_source, is_date_line, source_of
from bot.text.engine import TextEngine, get_engine
from tests.test_text_engine import seed_text

BODY = (
    "مدیرکل آموزش و پرورش استان گفت که ثبت‌نام مدرسه‌های تازه‌ساز از هفته آینده آغاز می‌شود.",
    "وی افزود که خانواده‌ها می‌توانند ثبت‌نام را در سامانه برخط انجام دهند و نیازی به مراجعه حضوری نیست.",
    "به گفته او امسال ۱۲ مدرسه تازه در حاشیه شهر ساخته شده است.",
)
TITLE = "ثبت‌نام مدرسه‌های تازه‌ساز از هفته آینده آغاز می‌شود"


def page(*lines: str) -> str:
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("به گزارش خبرنگار اقتصادی خبرگزاری تسنیم، ", "تسنیم"),
        ("به گزارش خبرنگار اقتصادی تسنیم، ", "تسنیم"),
        ("به گزارش گروه سیاسی باشگاه خبرنگاران جوان، ", "باشگاه خبرنگاران جوان"),
        ("به گزارش خبرنگار بهداشت و درمان ایسنا، ", "ایسنا"),
        ("به گزارش گروه اقتصاد بین‌الملل مهر به نقل از رویترز، ", "مهر"),
        ("به گزارش خبرگزاری جمهوری اسلامی (ایرنا)، ", "ایرنا"),
        ("به گزارش خبرگزاري فارس از اصفهان، ", "فارس"),  # typed with Arabic yeh
        ('به گزارش "ورزش سه"، ', "ورزش سه"),
        ("به گزارش همشهری آنلاین به نقل از پایگاه اطلاع‌رسانی پلیس، ", "همشهری آنلاین"),
        ("به گزارش خبرنگار برنا هرمزگان، ", "برنا"),
        ("به گزارش روابط عمومی اداره کل، ", None),
        ("به گزارش رسانه‌های محلی، ", None),
        ("وی در گفت‌وگو با خبرنگار پارلمانی خبرگزاری میزان گفت: ", "میزان"),
        ("او در گفتگو با خبرنگاران گفت: ", None),
        # a known outlet after any desk, even one no list of desks names, or after another organisation noun
        ("به گزارش خبرنگار سینما ایسنا، ", "ایسنا"),
        ("به گزارش خبرنگار پایگاه اخبار محلی خبرگزاری مهر، ", "مهر"),
        ("به گزارش خبرنگار سایت بین‌الملل خبرگزاری تسنیم، ", "تسنیم"),
        ("به گزارش خبرگزاری خبرگزاری ایلنا از تبریز، ", "ایلنا"),  # the noun typed twice
        ("به گزارش خبرگزاری خبرگزاری نوآوران، ", "نوآوران"),
        # a foreign agency named after its country keeps the noun: the country is not the source
        ("به گزارش خبرگزاری فرانسه از پاریس، ", "خبرگزاری فرانسه"),
        ("به گزارش خبرگزاري روسيه از مسکو، ", "خبرگزاری روسیه"),
    ],
)
def test_the_agency_is_named_not_its_desk_or_reporter(opening: str, agency: str | None) -> None:
    assert source_of(opening + BODY[0]) == agency
    assert clean_article(page(TITLE, opening + BODY[0], *BODY[1:])).source == agency


def test_an_attribution_on_any_of_the_first_four_body_lines_names_the_source() -> None:
    for line in range(4):
        lines = [*BODY, "او گفت که کلاس‌ها از اول مهر برگزار می‌شود."]
        lines[line] = f"{lines[line]} به گزارش ایلنا، این طرح در سه استان اجرا می‌شود."
        assert clean_article(page(TITLE, *lines)).source == "ایلنا", line
    late = [*BODY, "او گفت که کلاس‌ها از اول مهر برگزار می‌شود.", "به گزارش ایلنا، این طرح در سه استان اجرا می‌شود."]
    assert clean_article(page(TITLE, *late)).source is None  # the fifth line is deep in the story


@pytest.mark.parametrize(
    ("dateline", "agency"),
    [
        ("تهران - ایرنا - ", "ایرنا"),
        ("تهران- ایرنا- ", "ایرنا"),
        ("مشهد (پانا) - ", "پانا"),
        ("ایسنا - ", "ایسنا"),
        ("ایلنا: ", "ایلنا"),
        ("اصفهان - ایمنا: ", "ایمنا"),
        ("خبرگزاری مهر - ", "مهر"),  # a known outlet by the name channels show
    ],
)
def test_datelines_name_the_agency(dateline: str, agency: str) -> None:
    assert dateline_source(dateline + BODY[0]) == agency
    article = clean_article(page(TITLE, dateline + BODY[0], *BODY[1:]))
    assert article.source == agency


def test_a_speaker_quoted_at_the_start_of_the_body_is_not_a_dateline() -> None:
    assert dateline_source("لاوروف: سوریه دوست خوب روسیه است و ما خواهان روابط خوب هستیم.") is None
    assert dateline_source("وزیر آموزش و پرورش: ثبت‌نام از هفته آینده است.") is None


FURNITURE_ABOVE = (
    ("کد خبر: ۴۵۶۷۸۹",),
    ("کد خبر:", "۴۵۶۷۸۹"),
    ("1398/10/11 - 18:08",),
    ("تاریخ و ساعت خبر:", "۱۴۰۳/۰۲/۰۵ ۰۹:۱۵"),
    ("English", "العربیة"),
    ("خبرگزاری تسنیم",),
    ("ایسنا",),
    ("صفحه نخست",),
    ("سیاسی | اقتصادی | ورزشی",),
    ("سه‌شنبه ۱۴ شهریور ۱۴۰۴ - ۱۰:۳۰",),
    ("Tasnim News", "کد خبر: 1203", "۲۳ آبان ۱۴۰۲"),
)


@pytest.mark.parametrize("furniture", FURNITURE_ABOVE)
def test_the_title_is_the_headline_under_the_page_furniture(furniture: tuple[str, ...]) -> None:
    article = clean_article(page(*furniture, "", TITLE, *BODY))
    assert article.title == TITLE
    assert article.body == "\n".join(BODY)


def test_codes_dates_and_media_sizes_leave_the_body_and_the_text_stays() -> None:
    raw = page(
        TITLE,
        "تاریخ انتشار: ۱۴۰۳/۰۲/۰۵ - ۰۹:۱۵",
        BODY[0],
        "حجم: 12 مگابایت",
        "مدت زمان: ۰۳:۲۰",
        "دانلود ویدیو با کیفیت بالا (حجم ۲۳ مگابایت)",
        BODY[1],
        "1398/10/11 - 18:08",
        "کد خبر",
        "۱۲۳۴۵۶۷",
        BODY[2],
        "۱۲",  # a number alone, but not next to a news code: kept
    )
    assert clean_article(raw).body == "\n".join([*BODY, "۱۲"])


@pytest.mark.parametrize(
    "line",
    ["1398/10/11 - 18:08", "۱۴۰۴/۰۶/۱۴ - ۱۳:۳۰:۲۴", "تاریخ و ساعت خبر:", "۲۳ آبان ۱۴۰۲", "جمعه ۵ سپتامبر 2025 | 10:30"],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


@pytest.mark.parametrize("line", ["۱۲", "مهر", "۲۳ نفر مصدوم شدند", "ساعت کار ادارات تغییر کرد", "تیر خلاص"])
def test_lines_that_are_not_date_lines(line: str) -> None:
    assert not is_date_line(line)


@pytest.fixture(scope="module")
def engine() -> TextEngine:
    return get_engine()


def test_the_seed_page_keeps_its_title_source_and_body(engine: TextEngine) -> None:
    article = engine.process(seed_text())
    assert article.title.startswith("لاوروف، الجولانی را به روسیه دعوت کرد")
    assert article.source == "فارس"
    assert "وزیر امور خارجه سوریه اسعد الشیبانی" in article.body


def test_a_real_page_shape_end_to_end(engine: TextEngine) -> None:
    raw = page(
        "English",
        "خبرگزاری مهر",
        "کد خبر: ۶۱۲۳۴۵۶",
        "۱۴۰۳/۰۸/۱۲ - ۰۹:۴۵",
        TITLE,
        "تهران - ایرنا - " + BODY[0],
        *BODY[1:],
        "حجم فایل: ۸ مگابایت",
        "انتهای پیام",
    )
    article = engine.process(raw)
    assert article.title == engine.normalize(TITLE)
    assert article.source == "ایرنا"
    assert "مگابایت" not in article.body and "۶۱۲۳۴۵۶" not in article.body and "English" not in article.body


def test_the_headline_repeated_in_another_spelling_leaves_the_body() -> None:
    raw = page("رئیس‌جمهور به تبریز سفر کرد", "رئیسجمهور به تبریز سفر کرد.", *BODY)
    assert clean_article(raw).body == "\n".join(BODY)


def test_headlines_that_start_like_furniture_and_dates_inside_a_story_are_kept() -> None:
    for title in ("آخرین اخبار از اردوی تیم ملی پیش از بازی با ژاپن", "برچسب‌های تازه خودروهای سرویس مدارس نصب شد"):
        assert clean_article(page("کد خبر: ۱۲", title, *BODY)).title == title
    schedule = page(TITLE, BODY[0], "شنبه ۱۷ آبان", "استقلال و سپاهان در ورزشگاه آزادی بازی می‌کنند.", BODY[1])
    assert "شنبه ۱۷ آبان" in clean_article(schedule).body.split("\n")


def test_a_feed_items_page_text_loses_codes_stamps_and_sizes(engine: TextEngine) -> None:
    body = page("کد خبر:", "۴۵۶۷۸۹", "1398/10/11 - 18:08", BODY[0], "حجم: 12 مگابایت", BODY[1], "۱۲", BODY[2])
    article = engine.process_parts(TITLE, body)
    assert article.body == engine.normalize(page(BODY[0], BODY[1], "۱۲", BODY[2]))
