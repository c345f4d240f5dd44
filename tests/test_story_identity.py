"""Which story is which: a recurring headline is a new story on another day, the same one within 48 hours."""

from __future__ import annotations

from bot.app import BotRunner
from bot.clock import ManualClock
from bot.news.publisher import Story
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeChat, FakeTelegram
from tests.test_news import channel_posts

HOUR = 3600
HEADLINE = "گزارش تمرین پرسپولیس"
# Three different practice reports of our own under the same daily headline.
REPORTS = (
    "شاگردان سرمربی صبح امروز در ورزشگاه شهید کاظمی تمرین کردند و دو بازیکن مصدوم در تمرین غایب بودند. "
    "بخش اول تمرین به نرمش گذشت و در بخش دوم بازیکنان در زمین کوچک بازی کردند.",
    "تمرین امروز با حضور همه ملی‌پوشان برگزار شد و کادر فنی روی ضربات ایستگاهی کار کرد. "
    "دروازه‌بانان جدا از دیگران زیر نظر مربی خود تمرین کردند و هوای گرم تمرین را کوتاه کرد.",
    "تیم پس از بازگشت از سفر تمرین سبکی در باشگاه انجام داد و بازیکنانی که بازی کرده بودند در استخر ماندند. "
    "سرمربی پس از تمرین با مدیرعامل باشگاه درباره خرید مدافع تازه گفت‌وگو کرد.",
)


async def test_the_same_headline_is_the_same_story_for_48_hours_and_a_new_one_after(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    clock = ManualClock(wall=1_767_300_000.0)  # 2026-01-01 23:30 in Tehran: the next report is after midnight
    publisher = services_of(runner).publisher
    publisher.clock = clock

    first = await publisher.ingest(Story(HEADLINE, REPORTS[0], source="الف", url="https://a.example.ir/1"))
    assert first.state == "queued"
    clock.advance(47 * HOUR + 59 * 60)  # another report under the same headline, within the window
    again = await publisher.ingest(Story(HEADLINE, REPORTS[1], source="ب", url="https://b.example.ir/2"))
    assert (again.state, again.article_id) == ("known", first.article_id)

    clock.advance(2 * 60)  # 48 hours and one minute after the first: a new day's practice
    later = await publisher.ingest(Story(HEADLINE, REPORTS[1], source="ب", url="https://b.example.ir/3"))
    assert later.state == "queued" and later.article_id != first.article_id
    clock.advance(HOUR)  # within 48 hours of the new story: it is that one that is known now
    repeat = await publisher.ingest(Story(HEADLINE + "!", REPORTS[2], url="https://c.example.ir/4"))
    assert (repeat.state, repeat.article_id) == ("known", later.article_id)

    clock.advance(3 * 24 * HOUR)
    third = await publisher.ingest(Story(HEADLINE, REPORTS[2], source="ج", url="https://c.example.ir/5"))
    assert third.state == "queued"
    posts = await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 3 and channel_posts(fake, channel), 10)
    assert [post.text.count(HEADLINE) for post in posts] == [1, 1, 1]
    assert [post.text.split("\n\n")[1][:30] for post in posts] == [report[:30] for report in REPORTS]


async def test_a_headline_in_another_spelling_is_the_same_story(start_bot, channel: FakeChat) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    publisher = services_of(runner).publisher
    first = await publisher.ingest(Story("سفر رئیس‌جمهور به تبریز", REPORTS[0], url="https://a.example.ir/1"))
    for title in ("سفر رئیسجمهور به تبریز", "سفر رئيس‌جمهور به تبريز", "سفر رئـیس‌جمهور به تبریز"):
        again = await publisher.ingest(Story(title, REPORTS[1], url=f"https://b.example.ir/{len(title)}"))
        assert (again.state, again.article_id) == ("known", first.article_id), title


async def test_a_page_seen_before_is_known_whatever_its_age(start_bot, channel: FakeChat) -> None:
    runner: BotRunner = await start_bot(CHANNEL_ID=CHANNEL)
    clock = ManualClock(wall=1_767_300_000.0)
    publisher = services_of(runner).publisher
    publisher.clock = clock
    first = await publisher.ingest(Story(HEADLINE, REPORTS[0], url="https://a.example.ir/1?utm_x=1"))
    clock.advance(30 * 24 * HOUR)
    again = await publisher.ingest(Story("تیتری دیگر", REPORTS[1], url="https://a.example.ir/1"))
    assert (again.state, again.article_id) == ("known", first.article_id)
