"""Subscriptions end to end: settings buttons, keywords in any spelling, instant alerts once, search, blocked
readers."""

from __future__ import annotations

import sqlite3

from bot.app import BotRunner
from bot.news.publisher import Story
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_discussion import answer

PRESIDENT = (
    "رئیس‌جمهور در دیدار با وزیران گفت که برنامهٔ تازهٔ اقتصادی از ماه آینده اجرا می‌شود. "
    "او افزود که دولت برای مهار تورم چند طرح دیگر نیز در دست دارد و گزارش آن را به مجلس می‌دهد."
)
WEATHER = (
    "سازمان هواشناسی از بارش برف و باران در استان‌های شمالی خبر داد و رانندگان را به احتیاط فراخواند. "
    "به گفتهٔ کارشناسان، دمای هوا تا پایان هفته چند درجه پایین‌تر از میانگین خواهد بود."
)


async def publish(runner: BotRunner, fake: FakeTelegram, channel: FakeChat, title: str, body: str,
                  hashtags: list[str] | None = None) -> int:  # fmt: skip
    """Post a story to the channel and wait until it is recorded as posted; return its article id."""
    database = sqlite3.connect(runner.settings.database_path)
    posted = database.execute("SELECT count(*) FROM articles WHERE state = 'posted'").fetchone()[0]
    await services_of(runner).publisher.ingest(Story(title, body, source="ایرنا", hashtags=hashtags or []))
    query = "SELECT count(*) FROM articles WHERE state = 'posted'"
    await fake.wait_for(lambda: database.execute(query).fetchone()[0] > posted, 10)
    return database.execute("SELECT max(id) FROM articles WHERE state = 'posted'").fetchone()[0]


async def test_keyword_alerts_arrive_once_in_any_spelling(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    reader = FakeUser(fake, "لیلا")
    await reader.send("/subscribe")
    settings = await answer(reader)
    assert "حالت: خاموش" in settings.text and any("خلاصه" in b["text"] for b in settings.buttons)
    await reader.press(settings, "فوری")
    await fake.wait_for(lambda: "حالت: فوری" in settings.text)
    await reader.press(settings, "افزودن کلیدواژه")
    assert "کلیدواژه را بنویسید" in (await answer(reader)).text
    await reader.send("رئيس جمهور")  # Arabic yeh and a space; stories write رئیس‌جمهور
    assert "افزوده شد" in (await answer(reader)).text
    assert "رئيس جمهور" in (await answer(reader)).text  # the settings again, with the keyword

    typist = FakeUser(fake, "کاوه")  # the same keyword, written together
    await typist.send("/subscribe رئیسجمهور")
    assert "حالت اشتراک: فوری" in (await answer(typist)).text
    await answer(typist)
    everything = FakeUser(fake, "همه‌خوان")
    await everything.send("/subscribe")
    await everything.press(await answer(everything), "فوری")
    blocked = FakeUser(fake, "بسته")
    await blocked.send("/subscribe")
    blocked_settings = await answer(blocked)
    await blocked.press(blocked_settings, "فوری")
    await fake.wait_for(lambda: "حالت: فوری" in blocked_settings.text)
    await fake.wait_for(lambda: sqlite3.connect(runner.settings.database_path).execute(
        "SELECT count(*) FROM subscriptions WHERE mode = 'instant'").fetchone() == (4,))  # fmt: skip
    blocked.block_bot()

    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    for person in (reader, typist, everything):
        alert = await answer(person)
        assert "⚡" in alert.text and "برنامه اقتصادی رئیس‌جمهور" in alert.text
        assert "start=a" in alert.button("خبر و نظرها")["url"]
    database = sqlite3.connect(runner.settings.database_path)
    await fake.wait_for(lambda: database.execute(
        "SELECT count(*) FROM unreachable_chats WHERE chat_id = ?", (str(blocked.id),)).fetchone() == (1,))  # fmt: skip
    fake.errors.clear()  # the 403 from the blocked reader is Telegram's answer, expected here

    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    alert = await answer(everything)
    assert "برف و باران" in alert.text
    # Four alerts for the first story (the blocked reader's died with a 403), one for the second: the blocked
    # reader is skipped from then on.
    assert database.execute("SELECT count(*) FROM outbox WHERE kind = 'alert'").fetchone() == (5,)
    assert database.execute("SELECT count(*) FROM outbox WHERE chat_id = ?", (str(blocked.id),)).fetchone() == (1,)

    # The reader unblocks the bot and writes again: alerts resume.
    blocked.chat.blocked = False
    await blocked.send("/start")
    await answer(blocked)
    assert database.execute("SELECT count(*) FROM unreachable_chats").fetchone() == (0,)

    # A restart sends nothing twice.
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    article_id = database.execute("SELECT id FROM articles WHERE title LIKE 'برنامه%'").fetchone()[0]
    assert await runner.services.subscriptions.on_posted(article_id) == 0
    assert [m.text for m in reader.received() if "⚡" in (m.text_or_none or "")].__len__() == 1

    await reader.send("/unsubscribe")
    assert "خاموش شد" in (await answer(reader)).text


async def test_search_and_latest_find_spelling_variants(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    reader = FakeUser(fake, "جست‌وجوگر")
    for query in ("رئیس‌جمهور", "رئيس جمهور", "رئیسجمهور", "برنامه اقتصادی"):
        await reader.send(f"/search {query}")
        found = await answer(reader)
        assert "برنامه اقتصادی رئیس‌جمهور" in found.text and "برف" not in found.text, query
        assert "start=a" in found.buttons[0]["url"]
    await reader.send('/search " OR * NEAR(')  # FTS syntax is quoted away
    assert "پیدا نشد" in (await answer(reader)).text
    await reader.send("/search")
    assert "/search" in (await answer(reader)).text
    await reader.send("/latest")
    latest = await answer(reader)
    assert latest.text.index("برف") < latest.text.index("برنامه اقتصادی")  # newest first
    assert "💬 ۰" in latest.text


async def test_topic_and_source_buttons(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER, hashtags=["#هواشناسی"])
    reader = FakeUser(fake, "موضوعی")
    await reader.send("/mysubs")
    settings = await answer(reader)
    await reader.press(settings, "#هواشناسی")
    await fake.wait_for(lambda: "#هواشناسی ✓" in [b["text"] for b in settings.buttons])
    assert "موضوع‌ها: #هواشناسی" in settings.text
    await reader.press(settings, "#هواشناسی")
    await fake.wait_for(lambda: "موضوع‌ها: همه" in settings.text)
    stranger = FakeUser(fake, "غریبه")
    await stranger.send("/start")
    await answer(stranger)
    query = await stranger.press(settings, "#هواشناسی")  # someone else's message: acts on the presser only
    await stranger.callback_answer(query)
    database = sqlite3.connect(runner.settings.database_path)
    await fake.wait_for(
        lambda: database.execute("SELECT user_id FROM subscription_filters").fetchall() == [(stranger.id,)]
    )


def test_feed_categories_become_the_first_hashtags() -> None:
    from bot.news.parse import parse_feed
    from bot.news.publisher import merge_tags
    from tests.feed_server import rss

    item = {"title": "برف", "text": WEATHER, "link": "https://x.ir/1", "guid": "1", "published": 1_700_000_000,
            "categories": ["هواشناسی", "استان‌ها", "هواشناسی"]}  # fmt: skip
    (parsed,) = parse_feed(rss([item]))
    assert parsed.categories == ("هواشناسی", "استان‌ها")
    assert merge_tags(list(parsed.categories), ["#برف", "#هواشناسی"]) == ["#هواشناسی", "#استان_ها", "#برف"]


async def test_pressing_the_mode_already_chosen_answers_without_an_edit(bot, fake: FakeTelegram) -> None:
    reader = FakeUser(fake, "لیلا")
    await reader.send("/subscribe")
    settings = await answer(reader)
    assert "حالت: خاموش" in settings.text
    await reader.callback_answer(await reader.press(settings, "خاموش"))
    await reader.press(settings, "فوری")
    await fake.wait_for(lambda: "حالت: فوری" in settings.text)
    await reader.callback_answer(await reader.press(settings, "فوری"))
    # One edit (to instant); neither press of the chosen mode re-sent the same message, which Telegram
    # refuses with "message is not modified" (the fake does too, and the test would fail on it).
    assert len(fake.calls_of("editMessageText")) == 1
    assert fake.errors == []


async def test_a_keyword_of_the_wrong_length_is_asked_for_again_not_dropped(bot, fake: FakeTelegram) -> None:
    """After ➕ a reader sends a whole sentence, then a keyword: they are told the limits and that the bot still
    waits, and the keyword they send next is added (it used to be answered «منتظر متنی نبودم»)."""
    reader = FakeUser(fake, "لیلا")
    await reader.send("/subscribe")
    await reader.press(await answer(reader), "افزودن کلیدواژه")
    assert "/cancel" in (await answer(reader)).text
    await reader.send("خبرهای مربوط به زلزله و پس‌لرزه‌های آن در استان‌های غربی کشور در هفتهٔ گذشته")
    refused = (await answer(reader)).text
    assert "بین ۲ تا ۶۰ نویسه" in refused and "کلیدواژهٔ دیگری بفرستید" in refused
    await reader.send("زلزله")
    assert "کلیدواژهٔ «زلزله» افزوده شد" in (await answer(reader)).text
    stored = sqlite3.connect(services_of(bot).settings.database_path).execute(
        "SELECT kind, value FROM subscription_filters WHERE user_id = ?", (reader.id,)
    )
    assert stored.fetchall() == [("keyword", "زلزله")]
    await answer(reader)  # the settings, with the keyword
    await reader.send("زلزله")  # no longer awaited
    assert "منتظر متنی نبودم" in (await answer(reader)).text


async def test_a_sticker_sent_for_a_keyword_is_answered_about_the_keyword(bot, fake: FakeTelegram) -> None:
    """After ➕ a reader sends a sticker: they are told a keyword must be text (not that «a comment» must be), and
    the bot still waits for the keyword."""
    reader = FakeUser(fake, "Sam", language_code="en")
    await reader.send("/subscribe")
    await reader.press(await answer(reader), "Add a keyword")
    await answer(reader)
    await reader.send_sticker()
    refused = (await answer(reader)).text
    assert "keyword" in refused and "comment" not in refused and "/cancel" in refused
    await reader.send("earthquake")
    assert "Keyword “earthquake” added" in (await answer(reader)).text
    stored = sqlite3.connect(services_of(bot).settings.database_path).execute(
        "SELECT value FROM subscription_filters WHERE user_id = ?", (reader.id,)
    )
    assert stored.fetchall() == [("earthquake",)]


LETTERS = "ابپتثجچحخدذرزسشصضطظعغفقکگلمنوهی"


async def test_a_chosen_topic_stays_on_the_settings_page_after_newer_topics(bot, fake: FakeTelegram) -> None:
    """A reader follows #هواشناسی; a busy day brings a dozen newer hashtags. The settings still say they follow
    #هواشناسی (not «همه», which would hide that stories are being filtered) and its button still unticks it."""
    repo = services_of(bot).subscriptions.repo
    await repo.touch_topics(["هواشناسی"], 1_000)
    reader = FakeUser(fake, "موضوعی")
    await reader.send("/mysubs")
    settings = await answer(reader)
    await reader.press(settings, "#هواشناسی")
    await fake.wait_for(lambda: "موضوع‌ها: #هواشناسی" in settings.text)
    for n, letter in enumerate(LETTERS[:12]):
        await repo.touch_topics([f"موضوع_{letter}"], 2_000 + n)

    await reader.send("/mysubs")
    again = await answer(reader)
    assert "موضوع‌ها: #هواشناسی" in again.text
    assert "#هواشناسی ✓" in [b["text"] for b in again.buttons]
    assert f"#موضوع_{LETTERS[11]}" in [b["text"] for b in again.buttons]  # the newest topics are still offered
    await reader.press(again, "#هواشناسی ✓")
    await fake.wait_for(lambda: "موضوع‌ها: همه" in again.text)
    stored = sqlite3.connect(services_of(bot).settings.database_path).execute(
        "SELECT count(*) FROM subscription_filters WHERE user_id = ?", (reader.id,)
    )
    assert stored.fetchone() == (0,)


async def test_a_reader_follows_at_most_max_topics(bot, fake: FakeTelegram) -> None:
    """Every chosen topic has a button, so their number is bounded: the page stays within Telegram's 100."""
    from bot.subscriptions.service import MAX_TOPICS
    from bot.user_errors import SubscriptionError

    service = services_of(bot).subscriptions
    # Letters, not numbers: `fold` reads a doubled character as one, so «موضوع_11» would be «موضوع_1».
    await service.repo.touch_topics([f"موضوع_{letter}" for letter in LETTERS[: MAX_TOPICS + 1]], 1_000)
    for topic_id, _name in await service.repo.recent_topics(MAX_TOPICS + 1):
        try:
            await service.toggle_topic(7, topic_id)
        except SubscriptionError as error:
            assert error.key == "sub_topic_too_many"
    filters = await service.repo.filters(7)
    assert len(filters) == MAX_TOPICS
    topics = (await service.settings(7)).topics
    assert sum(1 for choice in topics if choice.chosen) == MAX_TOPICS
    assert [choice.name for choice in topics if not choice.chosen] == [f"موضوع_{LETTERS[MAX_TOPICS]}"]  # still offered


async def test_topics_that_differ_by_a_doubled_digit_are_two_topics(start_bot, fake: FakeTelegram,
                                                                    channel: FakeChat) -> None:  # fmt: skip
    """#جام_جهانی_۲۰۲۲ and #جام_جهانی_۲۰۰۲ are different hashtags: a reader following the first is not alerted
    for the second, and ticking one does not untick the other (keyword folding reads «۲۰۰۲» as «۲۰۲»)."""
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER, hashtags=["#جام_جهانی_۲۰۲۲"])
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT, hashtags=["#جام_جهانی_۲۰۰۲"])
    reader = FakeUser(fake, "فوتبالی")
    await reader.send("/subscribe")
    settings = await answer(reader)
    await reader.press(settings, "فوری")
    await fake.wait_for(lambda: "حالت: فوری" in settings.text)
    await reader.press(settings, "#جام_جهانی_۲۰۲۲")
    await fake.wait_for(lambda: "#جام_جهانی_۲۰۲۲ ✓" in [b["text"] for b in settings.buttons])
    assert "#جام_جهانی_۲۰۰۲" in [b["text"] for b in settings.buttons]  # not ticked with it
    await reader.press(settings, "#جام_جهانی_۲۰۰۲")
    await fake.wait_for(lambda: "#جام_جهانی_۲۰۰۲ ✓" in [b["text"] for b in settings.buttons])
    assert "#جام_جهانی_۲۰۲۲ ✓" in [b["text"] for b in settings.buttons]
    database = sqlite3.connect(runner.settings.database_path)
    query = "SELECT value FROM subscription_filters WHERE user_id = ? ORDER BY value"
    assert database.execute(query, (reader.id,)).fetchall() == [("جام_جهانی_۲۰۰۲",), ("جام_جهانی_۲۰۲۲",)]
    await reader.press(settings, "#جام_جهانی_۲۰۰۲ ✓")
    await fake.wait_for(lambda: "#جام_جهانی_۲۰۰۲" in [b["text"] for b in settings.buttons])
    assert database.execute(query, (reader.id,)).fetchall() == [("جام_جهانی_۲۰۲۲",)]

    friendly = (
        "تیم ملی فوتبال در دیداری دوستانه با نتیجهٔ دو بر یک پیروز شد. سرمربی پس از بازی گفت که بازیکنان "
        "جوان فرصت خوبی برای نشان دادن توانایی خود داشتند و اردوی بعدی در بهار برگزار می‌شود."
    )
    final = (
        "فدراسیون فوتبال فهرست نهایی بازیکنان اعزامی را اعلام کرد. در این فهرست سه بازیکن تازه‌وارد هم دیده "
        "می‌شوند و کادر فنی امیدوار است تیم با آمادگی کامل به مسابقات برسد."
    )
    await publish(runner, fake, channel, "بازی دوستانه", friendly, hashtags=["#جام_جهانی_۲۰۰۲"])
    await publish(runner, fake, channel, "بازی نهایی", final, hashtags=["#جام_جهانی_۲۰۲۲"])
    alert = await answer(reader)
    assert "بازی نهایی" in alert.text
    alerts = [m.text for m in reader.received() if "⚡" in (m.text_or_none or "")]
    assert len(alerts) == 1


async def test_a_chosen_source_stays_on_the_settings_page_when_its_feed_is_paused_or_removed(
    bot, fake: FakeTelegram
) -> None:
    """A reader follows ایسنا only; its feed is paused (after failures) and later removed. The page still says
    so, rather than «منبع‌ها: همه» while nothing reaches them, and the reader can untick it."""
    feeds = services_of(bot).subscriptions.feeds
    isna = await feeds.add("https://isna.example/rss", "ایسنا", None, 1_000)
    await feeds.add("https://irna.example/rss", "ایرنا", None, 1_000)
    assert isna is not None
    reader = FakeUser(fake, "منبعی")
    await reader.send("/mysubs")
    settings = await answer(reader)
    await reader.press(settings, "📡 ایسنا")
    await fake.wait_for(lambda: "منبع‌ها: ایسنا" in settings.text)
    await feeds.set_status(isna.id, "paused", "http 500")

    await reader.send("/mysubs")
    paused = await answer(reader)
    assert "منبع‌ها: ایسنا" in paused.text
    assert "📡 ایسنا ✓" in [b["text"] for b in paused.buttons] and "📡 ایرنا" in [b["text"] for b in paused.buttons]
    await reader.press(paused, "📡 ایسنا ✓")
    await fake.wait_for(lambda: "منبع‌ها: همه" in paused.text)
    assert "📡 ایسنا" not in [b["text"] for b in paused.buttons]  # a paused feed is not offered to new readers

    await feeds.set_status(isna.id, "active", None)
    await reader.send("/mysubs")
    again = await answer(reader)
    await reader.press(again, "📡 ایسنا")
    await fake.wait_for(lambda: "منبع‌ها: ایسنا" in again.text)
    await feeds.remove(isna.id)
    await reader.send("/mysubs")
    removed = await answer(reader)
    assert "منبع‌ها: ایسنا" in removed.text
    await reader.press(removed, "📡 ایسنا ✓")
    await fake.wait_for(lambda: "منبع‌ها: همه" in removed.text)
    stored = sqlite3.connect(services_of(bot).settings.database_path).execute(
        "SELECT count(*) FROM subscription_filters WHERE user_id = ?", (reader.id,)
    )
    assert stored.fetchone() == (0,)


async def test_a_newcomer_who_ticks_a_topic_gets_its_stories(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    """A new reader's mode is «off»: ticking a topic (like adding a keyword) turns instant alerts on, or the
    choice would do nothing and the reader would wait for stories that never come."""
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برف و باران در شمال", WEATHER, hashtags=["#هواشناسی"])
    reader = FakeUser(fake, "تازه‌وارد")
    await reader.send("/subscribe")
    settings = await answer(reader)
    assert "حالت: خاموش" in settings.text
    await reader.press(settings, "#هواشناسی")
    await fake.wait_for(lambda: "موضوع‌ها: #هواشناسی" in settings.text)
    assert "حالت: فوری" in settings.text
    database = sqlite3.connect(runner.settings.database_path)
    query = "SELECT mode FROM subscriptions WHERE user_id = ?"
    assert database.execute(query, (reader.id,)).fetchone() == ("instant",)
    await reader.press(settings, "#هواشناسی ✓")  # unticking leaves the mode as it is
    await fake.wait_for(lambda: "موضوع‌ها: همه" in settings.text)
    assert database.execute(query, (reader.id,)).fetchone() == ("instant",)
    await reader.press(settings, "#هواشناسی")
    await fake.wait_for(lambda: "موضوع‌ها: #هواشناسی" in settings.text)

    snow = (
        "برف سنگین راه‌های کوهستانی استان را بست و امدادگران به یاری مسافران گرفتار رفتند. پلیس راه از "
        "رانندگان خواست تا بازگشایی جاده‌ها از سفرهای غیرضروری خودداری کنند و زنجیر چرخ همراه داشته باشند."
    )
    await publish(runner, fake, channel, "بسته شدن راه‌ها با برف", snow, hashtags=["#هواشناسی"])
    assert "بسته شدن راه‌ها با برف" in (await answer(reader)).text


async def test_the_fullest_settings_page_stays_within_telegrams_limits(bot, fake: FakeTelegram) -> None:
    """Every topic, source and keyword a reader may choose, and the newest topics besides: one keyboard of at
    most 100 buttons, 8 a row, callback data within 64 bytes (the fake refuses more, as Telegram does)."""
    from bot.subscriptions.service import MAX_KEYWORDS, MAX_TOPICS, SOURCES_SHOWN, TOPICS_SHOWN

    service = services_of(bot).subscriptions
    reader = FakeUser(fake, "پرتنظیم")
    await reader.send("/start")
    await answer(reader)
    names = [f"موضوع_{first}{second}" for first in LETTERS[:6] for second in LETTERS[:6]]
    await service.repo.touch_topics(names, 1_000)
    for topic_id, _name in await service.repo.recent_topics(MAX_TOPICS):
        await service.toggle_topic(reader.id, topic_id)
    for n in range(SOURCES_SHOWN + 5):
        feed = await service.feeds.add(f"https://feed{n}.example/rss", f"خبرگزاری {n}", None, 1_000)
        assert feed is not None
        if n < SOURCES_SHOWN + 2:
            await service.toggle_source(reader.id, feed.id)
    for letter in LETTERS[:MAX_KEYWORDS]:
        await service.add_keyword(reader.id, f"کلید {letter}")
    await reader.send("/mysubs")
    page = await answer(reader)
    assert fake.errors == []
    assert len(page.buttons) == 3 + MAX_TOPICS + TOPICS_SHOWN + SOURCES_SHOWN + MAX_KEYWORDS + 1
    assert len(page.buttons) <= 100
    await reader.press(page, "#" + names[0] + " ✓")
    await fake.wait_for(lambda: "#" + names[0] + " ✓" not in [b["text"] for b in page.buttons])
    assert fake.errors == []


async def test_a_number_keyword_is_that_number_not_one_with_a_digit_fewer(start_bot, fake: FakeTelegram,
                                                                          channel: FakeChat) -> None:  # fmt: skip
    """«۱۴۰۰» as a keyword: a story about «۱۴۰ میلیارد» is not about it (repeated letters are folded for
    spellings like «سلاممم», digits never were meant to be)."""
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    reader = FakeUser(fake, "سارا")
    await reader.send("/subscribe ۱۴۰۰")
    assert "حالت اشتراک: فوری" in (await answer(reader)).text
    await answer(reader)

    await publish(runner, fake, channel, "بودجه ۱۴۰ میلیاردی برای راه‌ها", WEATHER)
    await publish(runner, fake, channel, "بودجه سال ۱۴۰۰ در مجلس", PRESIDENT)
    alert = await answer(reader)
    assert "⚡" in alert.text and "سال ۱۴۰۰" in alert.text
    database = sqlite3.connect(runner.settings.database_path)
    assert database.execute("SELECT count(*) FROM outbox WHERE kind = 'alert'").fetchone() == (1,)
