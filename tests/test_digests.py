"""Digests with a controllable clock: Tehran times, date and daylight-saving changes, exactly once, catch-up
within the grace period, channel and personal digests, admin commands."""

from __future__ import annotations

import sqlite3
import time as clock
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from bot.discussion.service import Author
from bot.render.dates import jalali_date
from bot.subscriptions.digests import DigestService, parse_times, split_messages
from bot.subscriptions.service import StoryKeys, matches
from bot.text.phrases import fold
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.feed_server import fixture_articles
from tests.test_discussion import answer
from tests.test_news import channel_posts
from tests.test_subscriptions import PRESIDENT, WEATHER, publish

TEHRAN = ZoneInfo("Asia/Tehran")


def service(zone: str, times: list[time]) -> DigestService:
    return DigestService(None, None, None, None, tz=ZoneInfo(zone), times=times, channel_id=None, lang="fa",  # type: ignore[arg-type]
                         grace_seconds=3600, top_stories=8)  # fmt: skip


def wall_at(moment: float) -> ManualClock:
    """A clock whose wall time stands at `moment` (its monotonic time where the machine's is)."""
    return ManualClock(wall=moment, monotonic=clock.monotonic())


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def test_slots_follow_tehran_wall_clock_across_the_date_change() -> None:
    digests = service("Asia/Tehran", [time(8), time(20)])
    # 05:00 UTC is 08:30 in Tehran (UTC+03:30): the 08:00 slot has passed, 20:00 is next.
    assert digests.latest_slot(utc(2026, 11, 29, 5, 0)) == datetime(2026, 11, 29, 8, 0, tzinfo=TEHRAN)
    assert digests.next_slot(utc(2026, 11, 29, 5, 0)).timestamp() == utc(2026, 11, 29, 16, 30)
    # 21:00 UTC is 00:30 the next day in Tehran: the latest slot is the previous evening's.
    assert digests.latest_slot(utc(2026, 11, 29, 21, 0)) == datetime(2026, 11, 29, 20, 0, tzinfo=TEHRAN)
    assert digests.next_slot(utc(2026, 11, 29, 21, 0)) == datetime(2026, 11, 30, 8, 0, tzinfo=TEHRAN)


def test_slots_keep_local_time_across_daylight_saving() -> None:
    digests = service("Europe/Berlin", [time(8)])
    # Berlin moves to summer time on 29 March 2026: 08:00 is 07:00 UTC the day before, 06:00 UTC that day.
    assert digests.next_slot(utc(2026, 3, 27, 12)).timestamp() == utc(2026, 3, 28, 7)
    assert digests.next_slot(utc(2026, 3, 28, 12)).timestamp() == utc(2026, 3, 29, 6)
    latest = digests.latest_slot(utc(2026, 3, 29, 6, 30))
    assert latest is not None and latest.timestamp() == utc(2026, 3, 29, 6)


def test_times_parse_and_messages_split_between_stories() -> None:
    assert parse_times("۲۰:۰۰، 08:00") == [time(8), time(20)]
    with pytest.raises(ValueError):
        parse_times("25:00")
    blocks = [f"{i}. " + "خبر " * 300 for i in range(8)]
    parts = split_messages("سرخط", blocks)
    assert len(parts) > 1 and all(len(part) <= 3900 for part in parts)
    assert "".join(parts).count("خبر ") == 8 * 300  # nothing lost or cut inside a story


def future_slot(runner, hour: int) -> float:
    """A slot at `hour` Tehran time, two days ahead (past anything the running bot has recorded)."""
    digests = runner.services.digests
    moment = clock.time() + 2 * 86400
    slot = digests.next_slot(moment)
    while slot.hour != hour:
        slot = digests.next_slot(slot.timestamp())
    return slot.timestamp()


async def test_channel_and_personal_digests_exactly_once(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    services = runner.services
    quiet = await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    lively = await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    for i in range(3):
        await services.discussion.add(lively, None, Author(9000 + i, f"خواننده {i}"), f"نظر <b>{i}</b> دربارهٔ برف")
    politics, sports = FakeUser(fake, "سیاسی"), FakeUser(fake, "ورزشی")
    for reader, keyword in ((politics, "رئيس جمهور"), (sports, "فوتبال")):
        await reader.send(f"/subscribe {keyword}")
        await answer(reader)
        settings = await answer(reader)
        await reader.press(settings, "خلاصه")
        await fake.wait_for_text(settings, "حالت: خلاصه")
    posts_before = len(channel_posts(fake, channel))

    slot = future_slot(runner, 8)
    services.digests.clock = wall_at(slot + 60)
    assert await services.digests.run_due() == "sent"
    digest = await fake.wait_for(lambda: channel_posts(fake, channel)[posts_before:], 10)
    assert len(digest) == 1
    text = digest[0].text
    day = jalali_date(datetime.fromtimestamp(slot, TEHRAN), TEHRAN, weekday=True)
    assert text.startswith(f"🗞 خلاصهٔ اخبار صبح، {day}")
    assert text.index("برف و باران") < text.index("برنامه اقتصادی")  # ranked by discussion
    assert "پربحث‌ترین: برف و باران در شمال" in text and "نظر <b>0</b> دربارهٔ برف" in text  # escaped, shown
    assert "https://t.me/news_test/" in digest[0].html
    personal = await answer(politics)
    assert "برای شما" in personal.text and "برنامه اقتصادی" in personal.text and "برف" not in personal.text
    database = sqlite3.connect(runner.settings.database_path)
    query = "SELECT count(*) FROM outbox WHERE kind LIKE 'digest%'"
    assert database.execute(query).fetchone() == (2,)  # the channel and one reader; nothing matched sports
    assert [m for m in sports.received() if "خلاصهٔ اخبار" in (m.text_or_none or "")] == []
    del quiet

    # Again, and after a restart: nothing is sent twice.
    assert await services.digests.run_due() is None
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=wall_at(slot + 60))
    assert database.execute(query).fetchone() == (2,)
    assert database.execute("SELECT state, stories, recipients FROM digests WHERE slot LIKE '%T08:00:00+03:30'"
                            " AND period_end = ?", (int(slot),)).fetchone() == ("sent", 2, 1)  # fmt: skip

    # The next period has no stories: nothing goes to the channel.
    evening = services.digests.next_slot(slot)
    runner.services.digests.clock = wall_at(evening.timestamp() + 5)
    assert await runner.services.digests.run_due() == "empty"
    assert len(channel_posts(fake, channel)) == posts_before + 1


async def test_a_digest_at_tehran_midnight_is_the_night_of_the_day_it_covers(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """DIGEST_TIMES=00:00: the digest sent as Saturday begins lists Friday's stories. Readers see it as Friday
    night's (in Persian and in English), not as a morning digest of a Saturday that has no news yet."""
    runner = await start_bot(CHANNEL_ID=CHANNEL, DIGEST_TIMES="00:00")
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    john = FakeUser(fake, "John", language_code="en")
    await john.send("/subscribe")
    settings = await answer(john)
    await john.press(settings, "digest")
    await fake.wait_for_text(settings, "Mode: digest (00:00, Tehran time)")  # when it will come
    slot = future_slot(runner, 0)
    covered = datetime.fromtimestamp(slot - 1, TEHRAN)  # the day that just ended
    posts = len(channel_posts(fake, channel))
    runner.services.digests.clock = wall_at(slot + 60)
    assert await runner.services.digests.run_due() == "sent"
    digest = (await fake.wait_for(lambda: channel_posts(fake, channel)[posts:], 10))[0]
    assert digest.text.startswith(f"🗞 خلاصهٔ اخبار شب، {jalali_date(covered, TEHRAN, weekday=True)}\n")
    personal = await answer(john)
    assert personal.text.startswith(f"🗞 Night digest for you, {covered.strftime('%A %-d %B %Y')}\n")
    assert "برف و باران" in personal.text


async def test_a_personal_digest_longer_than_one_message_reaches_the_reader_whole(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """Eight stories with long titles (a feed's titles have no cap) do not fit one message: the channel gets its
    digest in two, and so does a digest subscriber, whose copy lost every story past the first message."""
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    stories = [(a["title"], a["text"].replace(" [n] ", "\n")) for a in fixture_articles()]
    stories += [("برنامه اقتصادی رئیس‌جمهور", PRESIDENT), ("برف و باران در شمال", WEATHER)]
    # Each title runs on with its own story's opening words (a long title is still one story's).
    stories = [(f"{title}: {' '.join(body.split()[:60])}", body) for title, body in stories]
    for title, body in stories:
        await publish(runner, fake, channel, title, body)
    reader = FakeUser(fake, "خلاصه‌خوان")
    await reader.send("/subscribe")
    settings = await answer(reader)
    await reader.press(settings, "خلاصه")
    await fake.wait_for_text(settings, "حالت: خلاصه (۰۸:۰۰، ۲۰:۰۰ به وقت تهران)")  # when it will come
    posts = len(channel_posts(fake, channel))
    runner.services.digests.clock = wall_at(future_slot(runner, 8) + 60)
    assert await runner.services.digests.run_due() == "sent"
    database = sqlite3.connect(runner.settings.database_path)
    channel_parts = "SELECT count(*) FROM outbox WHERE kind = 'digest' AND state = 'sent'"
    await fake.wait_for(lambda: database.execute(channel_parts).fetchone()[0] > 1, 10)
    parts = channel_posts(fake, channel)[posts:]
    assert len(parts) == database.execute(channel_parts).fetchone()[0]
    titles = [title for (title,) in database.execute("SELECT title FROM articles WHERE state = 'posted'")]
    assert len(titles) == 8 and all(title in "".join(part.text for part in parts) for title in titles)
    personal = [await answer(reader) for _ in parts]
    assert "برای شما" in personal[0].text
    assert all(title in "".join(part.text for part in personal) for title in titles)
    assert all(len(part.text) <= 4096 for part in personal)


async def test_a_missed_digest_is_sent_on_start_within_the_grace_period_only(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    slot = future_slot(runner, 8)
    posts = len(channel_posts(fake, channel))
    await runner.stop()

    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=wall_at(slot + 30 * 60))  # down at 08:00, back at 08:30
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == posts + 1, 10)
    await runner.stop()

    evening = slot + 12 * 3600
    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=wall_at(evening + 2 * 3600))  # back two hours late
    database = sqlite3.connect(runner.settings.database_path)
    state = database.execute("SELECT state FROM digests WHERE period_end = ?", (int(evening),)).fetchone()
    assert state == ("skipped",)
    assert len(channel_posts(fake, channel)) == posts + 1


async def test_admin_digest_commands(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    posts = len(channel_posts(fake, channel))
    database = sqlite3.connect(runner.settings.database_path)
    recorded = database.execute("SELECT count(*) FROM digests").fetchone()

    await owner.send("/digest preview")
    assert "فقط برای شما" in (await answer(owner)).text
    assert "برف و باران" in (await answer(owner)).text
    assert database.execute("SELECT count(*) FROM digests").fetchone() == recorded
    assert len(channel_posts(fake, channel)) == posts

    await owner.send("/digest now")
    assert "صف ارسال" in (await answer(owner)).text
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == posts + 1, 10)

    await owner.send("/digesttimes 7:30,19:00")
    assert "۰۷:۳۰، ۱۹:۰۰" in (await answer(owner)).text
    jobs = runner.app.job_queue.get_jobs_by_name("digest")
    assert sorted(job.next_t.astimezone(TEHRAN).strftime("%H:%M") for job in jobs) == ["07:30", "19:00"]
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    assert runner.services.digests.times == [time(7, 30), time(19)]

    # The scheduled job itself: at 07:30 it sends that slot's digest.
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    slot = future_slot(runner, 7)
    runner.services.digests.clock = wall_at(slot + 1)
    posts = len(channel_posts(fake, channel))
    await runner.app.job_queue.get_jobs_by_name("digest")[0].run(runner.app)
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == posts + 1, 10)

    reader = FakeUser(fake, "خواننده")
    await reader.send("/digest now")
    assert "فقط برای مدیران" in (await answer(reader)).text


def test_each_filter_kind_selects_its_stories() -> None:
    from storage.articles import ArticleRow
    from storage.subscriptions import FilterRow

    def article(feed: int, tags: list[str], body: str) -> ArticleRow:
        import json

        hashtags = json.dumps(tags, ensure_ascii=False)
        return ArticleRow(1, "p", feed, None, None, None, "k", "عنوان", "", body, None, None, hashtags, None, 0,
                          "posted", None, None, None, None, None, None, 0)  # fmt: skip

    weather = StoryKeys.of(article(2, ["هواشناسی"], WEATHER))
    politics = StoryKeys.of(article(3, ["سیاسی"], PRESIDENT))
    keyword = [FilterRow(1, 1, "keyword", "رئيس جمهور", fold("رئيس جمهور"))]
    topic = [FilterRow(1, 1, "topic", "هواشناسی", fold("هواشناسی"))]
    source = [FilterRow(1, 1, "source", "منبع ۳", "3")]
    assert matches([], weather) and matches([], politics)
    assert matches(keyword, politics) and not matches(keyword, weather)
    assert matches(topic, weather) and not matches(topic, politics)
    assert matches(source, politics) and not matches(source, weather)
    assert matches(keyword + topic, weather) and matches(keyword + topic, politics)
    # A ZWNJ joins one word: a keyword for its second part (`صندوق`, a fund) is not a story about a safe.
    safe = StoryKeys.of(article(2, [], "دزدان گاو‌صندوق بانک را شکستند و پول‌ها را بردند."))
    fund = [FilterRow(1, 1, "keyword", "صندوق", fold("صندوق"))]
    assert not matches(fund, safe) and matches(fund, StoryKeys.of(article(2, [], "صندوق بازنشستگی ورشکسته شد.")))


@pytest.mark.parametrize("username", ["news_test", None])
async def test_digest_links_of_a_channel_set_by_numeric_id(start_bot, fake: FakeTelegram, username: str | None) -> None:
    channel = fake.add_channel(-1001234, username, "کانال خبر")
    runner = await start_bot(CHANNEL_ID=str(channel.id))
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    posts = len(channel_posts(fake, channel))
    await owner.send("/digest now")
    await answer(owner)
    digest = (await fake.wait_for(lambda: channel_posts(fake, channel)[posts:], 10))[0]
    # A public channel's posts are linked by its username (anyone can open them); a private one's by t.me/c/.
    expected = "https://t.me/news_test/" if username else "https://t.me/c/1234/"
    assert expected in digest.html
    assert len([c for c in fake.calls_of("getChat") if str(c.params.get("chat_id")) == str(channel.id)]) == 1


async def digest_reader(fake: FakeTelegram, name: str) -> FakeUser:
    """A reader who chose digests on the settings page."""
    reader = FakeUser(fake, name)
    await reader.send("/subscribe")
    settings = await answer(reader)
    await reader.press(settings, "خلاصه")
    await fake.wait_for_text(settings, "حالت: خلاصه")
    return reader


async def test_moving_the_digest_earlier_after_it_was_sent_does_not_send_the_day_again(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """The 20:00 digest went out; at 20:20 the admin moves it to 19:45 and the bot restarts. The 19:45 slot is
    due (within the grace period) but lies inside the period already sent: nothing goes out again (it used to
    send the whole last day once more, yesterday evening's stories and tonight's)."""
    evening = service("Asia/Tehran", [time(20)]).next_slot(clock.time() + 2 * 86400).timestamp()
    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=wall_at(evening - 3600))  # the story: at 19:00
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    reader = await digest_reader(fake, "خلاصه‌خوان")
    runner.services.digests.clock = wall_at(evening + 60)
    assert await runner.services.digests.run_due() == "sent"
    assert "برف و باران" in (await answer(reader)).text
    database = sqlite3.connect(runner.settings.database_path)
    sent = "SELECT count(*) FROM outbox WHERE kind LIKE 'digest%' AND state = 'sent'"
    await fake.wait_for(lambda: database.execute(sent).fetchone() == (2,), 10)  # the channel's and the reader's
    posts = len(channel_posts(fake, channel))
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await owner.send("/digesttimes 08:00,19:45")
    assert "۱۹:۴۵" in (await answer(owner)).text
    await runner.stop()

    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=wall_at(evening + 20 * 60))
    moved = datetime.fromtimestamp(evening - 15 * 60, TEHRAN).isoformat()
    await fake.wait_for(lambda: database.execute("SELECT 1 FROM digests WHERE slot = ?", (moved,)).fetchone(), 10)
    assert database.execute("SELECT state, stories FROM digests WHERE slot = ?", (moved,)).fetchone() == ("empty", 0)
    assert len(channel_posts(fake, channel)) == posts
    assert database.execute("SELECT count(*) FROM outbox WHERE kind LIKE 'digest%'").fetchone() == (2,)
    assert [m for m in reader.received() if "خلاصهٔ اخبار" in (m.text_or_none or "")].__len__() == 1


async def test_a_reader_who_blocked_the_bot_does_not_hold_up_the_digest(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """Two digest readers; one blocked the bot since subscribing. The digest reaches the other, the 403 is
    recorded once (no retries), and the next digest is not even queued for the blocked reader."""
    evening = service("Asia/Tehran", [time(20)]).next_slot(clock.time() + 2 * 86400).timestamp()
    now = wall_at(evening - 3600)
    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=now)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    gone, reader = await digest_reader(fake, "بسته"), await digest_reader(fake, "باز")
    gone.block_bot()
    now.advance(3600 + 60)
    assert await runner.services.digests.run_due() == "sent"
    assert "برف و باران" in (await answer(reader)).text
    database = sqlite3.connect(runner.settings.database_path)
    unreachable = "SELECT count(*) FROM unreachable_chats WHERE chat_id = ?"
    await fake.wait_for(lambda: database.execute(unreachable, (str(gone.id),)).fetchone() == (1,), 10)
    fake.errors.clear()  # the blocked reader's 403 is Telegram's answer, expected here
    tries = [c for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(gone.id)]
    assert [c.status for c in tries] == [200, 403]  # the settings message, then the digest: tried once

    now.advance(3600)
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    now.advance(11 * 3600)  # 08:01 the next morning
    assert await runner.services.digests.run_due() == "sent"
    assert "برنامه اقتصادی" in (await answer(reader)).text
    queued = "SELECT count(*) FROM outbox WHERE chat_id = ? AND kind = 'digest_personal'"
    assert database.execute(queued, (str(gone.id),)).fetchone() == (1,)


async def test_a_story_at_23_59_is_in_the_midnight_digest_and_not_again_in_the_morning(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """DIGEST_TIMES=00:00,08:00 in Tehran: a story posted at 23:59 is in the night digest (dated by the day it
    closes) and the 08:00 digest, with only a 06:00 story, does not list it again."""
    midnight = service("Asia/Tehran", [time(0)]).next_slot(clock.time() + 2 * 86400).timestamp()
    now = wall_at(midnight - 60)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DIGEST_TIMES="00:00,08:00", clock=now)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    reader = await digest_reader(fake, "شب‌بیدار")
    now.advance(60 + 30)
    assert await runner.services.digests.run_due() == "sent"
    night = await answer(reader)
    day = jalali_date(datetime.fromtimestamp(midnight - 1, TEHRAN), TEHRAN, weekday=True)
    assert night.text.startswith(f"🗞 خلاصهٔ اخبار شب برای شما، {day}") and "برف و باران" in night.text

    now.advance(6 * 3600)
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    now.advance(2 * 3600)
    assert await runner.services.digests.run_due() == "sent"
    morning = await answer(reader)
    assert "برنامه اقتصادی" in morning.text and "برف و باران" not in morning.text
    database = sqlite3.connect(runner.settings.database_path)
    assert database.execute("SELECT state, stories FROM digests WHERE state != 'skipped' ORDER BY period_end"
                            ).fetchall() == [("sent", 1), ("sent", 1)]  # fmt: skip
