"""News in, posts out: feeds, de-duplication, /post, channel posts and the outbox, end to end."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.app import BotRunner
from bot.news import feeds as feeds_module
from bot.news import fetch
from bot.render.dates import jalali_date
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.feed_server import FeedServer, fixture_articles, rss

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def news_bot(start_bot, channel: FakeChat) -> BotRunner:
    # The test feeds are served from 127.0.0.1.
    return await start_bot(CHANNEL_ID=CHANNEL, FEED_POLL_SECONDS="0.2", ALLOW_PRIVATE_FEEDS="true")


@pytest.fixture
async def admin(owner: FakeUser) -> FakeUser:
    return owner


async def hello(user: FakeUser) -> None:
    await user.send("/start")
    await user.next_message()


def items(count: int, start: int = 0, published: int | None = None) -> list[dict[str, Any]]:
    articles = fixture_articles()
    published = published or int(time.time()) - 3600
    return [
        {
            "title": articles[i % len(articles)]["title"],
            "text": articles[i % len(articles)]["text"].replace(" [n] ", "\n"),
            "link": f"https://news.example.ir/{i}?utm_source=rss",
            "guid": f"item-{i}",
            "published": published,
        }
        for i in range(start, start + count)
    ]


def channel_posts(fake: FakeTelegram, channel: FakeChat) -> list:
    return fake.history(channel.id, from_bot=None)


def db(runner: BotRunner) -> sqlite3.Connection:
    return sqlite3.connect(Path(runner.settings.database_path))


async def test_a_new_feed_posts_only_new_items_with_a_comments_button(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser, feed_server: FeedServer
) -> None:
    await hello(admin)
    backlog = items(2)
    url = feed_server.serve("/rss", rss(backlog))
    await admin.send(f"/addfeed {url} خبرگزاری آزمایشی")
    assert "در حال خواندن" in (await admin.next_message()).text
    assert "اضافه شد" in (await admin.next_message()).text
    await fake.wait_for(lambda: feed_server.hits("/rss") >= 3, timeout=5)
    assert channel_posts(fake, channel) == []  # the backlog is recorded as seen, not posted

    fresh = items(1, start=2, published=int(time.time()) + 5)
    feed_server.serve("/rss", rss(backlog + fresh))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert post.html.startswith(f"<b>{fresh[0]['title']}</b>")
    assert "منبع: خبرگزاری آزمایشی" in post.text
    assert re.search(r"[۰-۹]+ (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}", post.text)
    assert "#" in post.text and "متن کامل خبر" in post.text
    button = post.button("نظرات")
    assert button["text"] == "💬 نظرات (۰)"
    assert re.fullmatch(r"https://t\.me/goftogu_test_bot\?start=a[A-Za-z0-9]{10}", button["url"])
    await fake.wait_for(
        lambda: db(news_bot).execute("SELECT state FROM articles WHERE guid='item-2'").fetchone() == ("posted",)
    )
    states = dict(db(news_bot).execute("SELECT guid, state FROM articles").fetchall())
    assert states == {"item-0": "seen", "item-1": "seen", "item-2": "posted"}

    # Polled again and again: never posted twice.
    polls = feed_server.hits("/rss")
    await fake.wait_for(lambda: feed_server.hits("/rss") >= polls + 3, timeout=5)
    assert len(channel_posts(fake, channel)) == 1


async def test_the_same_story_from_two_agencies_is_posted_once(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser, feed_server: FeedServer
) -> None:
    await hello(admin)
    first = feed_server.serve("/a.xml", rss([]))
    second = feed_server.serve("/b.xml", rss([]))
    for url, name in ((first, "الف"), (second, "ب")):
        await services_of(news_bot).feeds.add(url, name, admin.id)
    story = items(1, start=3, published=int(time.time()) + 5)[0]
    rewrite = dict(
        story,
        guid="other-1",
        link="https://other.example.ir/x",
        title="بازنشر: " + story["title"],
        text="به گزارش خبرگزاری ب، " + story["text"].split("\n", 1)[-1],
    )
    feed_server.serve("/a.xml", rss([story]))
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 10)
    feed_server.serve("/b.xml", rss([rewrite]))
    await fake.wait_for(
        lambda: db(news_bot).execute("SELECT count(*) FROM articles WHERE state = 'duplicate'").fetchone() == (1,), 10
    )
    # The duplicate's row and its "also reported by" source are two writes: wait for the second too.
    await fake.wait_for(lambda: db(news_bot).execute("SELECT source FROM article_sources").fetchall(), 10)
    assert len(channel_posts(fake, channel)) == 1
    assert db(news_bot).execute("SELECT source FROM article_sources").fetchall() == [("ب",)]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss>&b;</rss>',
            "موجودیت XML",
        ),
        (b"<!DOCTYPE html><html><body>not a feed</body></html>", "صفحهٔ وب (HTML) است، نه خوراک"),
        # A site's home page as editors save it: a byte order mark, or a comment before the doctype.
        (b"\xef\xbb\xbf<!DOCTYPE html><html><body>not a feed</body></html>", "صفحهٔ وب (HTML) است، نه خوراک"),
        (b"<!-- cached -->\n<!doctype html><html lang='fa'><body>x</body></html>", "صفحهٔ وب (HTML) است، نه خوراک"),
        (b'{"items": []}', "خوراک خواندنی‌ای نیست"),
        (b"", "خوراک خالی است"),
        (b"\x00\x01\x02 binary junk", "خوراک خواندنی‌ای نیست"),
    ],
)
async def test_broken_and_hostile_feeds_are_refused_with_a_reason(
    news_bot: BotRunner, admin: FakeUser, feed_server: FeedServer, body: bytes, reason: str
) -> None:
    await hello(admin)
    url = feed_server.serve("/bad", body)
    await admin.send(f"/addfeed {url}")
    await admin.next_message()
    answer = (await admin.next_message()).text
    assert "اضافه نشد" in answer and reason in answer  # the reason in the admin's language, like the rest
    assert not re.search("[A-Za-z]{3,}", answer.replace("HTML", "").replace("XML", ""))
    assert db(news_bot).execute("SELECT count(*) FROM feeds").fetchone() == (0,)


async def test_a_failing_feed_is_paused_and_admins_told_while_others_go_on(
    news_bot: BotRunner,
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(feeds_module, "MAX_FAILURES", 3)
    await hello(admin)
    good = feed_server.serve("/good.xml", rss([]))
    bad = feed_server.serve("/bad.xml", rss([]))
    await services_of(news_bot).feeds.add(good, "خوب", admin.id)
    await services_of(news_bot).feeds.add(bad, "خراب", admin.id)
    feed_server.serve("/bad.xml", b"oops", status=500)
    notice = await admin.next_message(timeout=15)
    assert "خوراک «خراب»" in notice.text and "سرور پاسخ HTTP ۵۰۰ داد" in notice.text and "/resumefeed" in notice.text
    feed_server.serve("/good.xml", rss(items(1, start=4, published=int(time.time()) + 5)))
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 10)
    await admin.send("/feeds")
    listing = (await admin.next_message()).text
    assert "خراب — متوقف" in listing and "خوب — فعال" in listing
    assert "⚠️ سرور پاسخ HTTP ۵۰۰ داد" in listing and "500" not in listing
    english = FakeUser(fake, "Kate", user_id=admin.id, language_code="en")  # the same admin, now in English
    await english.send("/feeds")
    assert "⚠️ the server answered HTTP 500" in (await admin.next_message()).text
    await english.send("/pausefeed ۱")
    assert "Feed 1 paused" in (await admin.next_message()).text
    await FakeUser(fake, "مالک", user_id=admin.id, language_code="fa").send("/feeds")
    assert "خوب — متوقف\n   ⚠️ به دستور مدیر" in (await admin.next_message()).text


async def test_slow_and_huge_feeds_cost_only_themselves(
    news_bot: BotRunner, admin: FakeUser, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    services_of(news_bot).fetcher.client = httpx.AsyncClient(timeout=0.3)
    services_of(news_bot).fetcher.max_bytes = 1000
    await hello(admin)
    slow = feed_server.serve("/slow", rss([]), delay=2)
    huge = feed_server.serve("/huge", b"<rss>" + b" " * 5000 + b"</rss>")
    for url, reason in ((slow, "سرور به‌موقع پاسخ نداد"), (huge, "بزرگ‌تر از ۱ مگابایت")):
        await admin.send(f"/addfeed {url}")
        await admin.next_message()
        assert reason in (await admin.next_message()).text
    await admin.send("/help")
    assert "/addfeed" in (await admin.next_message()).text
    assert fetch.MAX_BYTES == 5 * 1024 * 1024


async def test_post_previews_edits_and_publishes_through_the_same_pipeline(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser, user: FakeUser
) -> None:
    await hello(admin)
    await user.send("/post")
    assert "فقط برای مدیران" in (await user.next_message()).text

    article = fixture_articles()[0]
    await admin.send("/post")
    assert "متن خبر را بفرستید" in (await admin.next_message()).text
    await admin.send(article["title"] + "\n" + article["text"].replace(" [n] ", "\n"))
    preview = await admin.next_message()
    assert preview.html.startswith("<b>") and "#" in preview.text
    assert [b["text"] for b in preview.buttons] == ["✅ انتشار در کانال", "✏️ ویرایش تیتر", "✏️ ویرایش خلاصه", "✖️ لغو"]

    await admin.press(preview, "ویرایش تیتر")
    assert "تیتر تازه" in (await admin.next_message()).text
    await admin.send("تیتر ویرایش‌شده با <نشانه> & علامت")
    edited = await admin.next_message()
    assert edited.html.startswith("<b>تیتر ویرایش‌شده با &lt;نشانه&gt; &amp; علامت</b>")

    await admin.press(edited, "انتشار")
    assert "در صف انتشار" in (await admin.next_message()).text
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert post.html.startswith("<b>تیتر ویرایش‌شده با &lt;نشانه&gt; &amp; علامت</b>")
    assert post.html == edited.html  # the preview is exactly the post, its date line included
    assert post.button("نظرات")

    # Publishing the same story again is caught as a duplicate.
    await admin.send("/post")
    await admin.next_message()
    await admin.send(article["title"] + "\n" + article["text"].replace(" [n] ", "\n"))
    again = await admin.next_message()
    await admin.press(again, "انتشار")
    assert "پیش‌تر منتشر شده" in (await admin.next_message()).text
    assert len(channel_posts(fake, channel)) == 1


async def test_an_older_preview_cannot_publish_what_it_no_longer_shows(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser
) -> None:
    """After an edit the admin has two previews; the older one shows the old summary. Its buttons are taken off,
    and a press that still reaches it (sent before, or from a stale client) is refused with the reason: only
    the newest preview, which shows what the channel gets, publishes."""
    await hello(admin)
    await admin.send("/post")
    await admin.next_message()
    article = fixture_articles()[0]
    await admin.send(article["title"] + "\n" + article["text"].replace(" [n] ", "\n"))
    first = await admin.next_message()
    publish = first.button("انتشار")["callback_data"]
    await admin.press(first, "ویرایش خلاصه")
    await admin.next_message()
    await admin.send("خلاصه‌ای که مدیر خودش نوشت.")
    newest = await admin.next_message()
    assert "خلاصه‌ای که مدیر خودش نوشت." in newest.text and newest.button("انتشار")
    await fake.wait_for(lambda: first.buttons == [])
    refused = await admin.callback_answer(await admin.press_data(first, publish, forged=True))
    assert "کهنه است" in refused["text"] and refused["show_alert"]
    await asyncio.sleep(0.3)
    assert channel_posts(fake, channel) == []
    assert db(news_bot).execute("SELECT state FROM drafts").fetchall() == [("open",)]

    await admin.press(newest, "انتشار")
    assert "در صف انتشار" in (await admin.next_message()).text
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert "خلاصه‌ای که مدیر خودش نوشت." in post.text
    assert db(news_bot).execute("SELECT state FROM drafts").fetchall() == [("published",)]


async def test_post_refuses_empty_and_short_input_clearly(news_bot: BotRunner, admin: FakeUser) -> None:
    await hello(admin)
    await admin.send("/post")
    await admin.next_message()
    await admin.send_photo()
    assert "متنی نرسید" in (await admin.next_message()).text
    await admin.send("کوتاه")
    assert "کوتاه است" in (await admin.next_message()).text
    await admin.send("/cancel")
    assert "لغو شد" in (await admin.next_message()).text
    await admin.send("متنی که دیگر کسی منتظرش نیست")
    assert "نظرات" in (await admin.next_message()).text


async def test_a_429_storm_delays_the_post_but_it_arrives_once(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser
) -> None:
    await hello(admin)
    fake.inject("sendMessage", 429, retry_after=1, chat_id=CHANNEL, times=2)
    article = fixture_articles()[1]
    outcome = await services_of(news_bot).publisher.ingest(
        __import__("bot.news.publisher", fromlist=["Story"]).Story(
            article["title"], article["text"].replace(" [n] ", "\n"), source="برنا"
        )
    )
    assert outcome.state == "queued"
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 10)
    statuses = [c.status for c in fake.calls_of("sendMessage") if c.params.get("chat_id") == CHANNEL]
    assert statuses == [429, 429, 200]


async def test_a_channel_the_bot_cannot_post_to_is_reported_to_admins(
    start_bot, fake: FakeTelegram, channel: FakeChat, admin: FakeUser
) -> None:
    channel.bot_status = "member"
    fake.allow_errors("need administrator rights")
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await hello(admin)
    from bot.news.publisher import Story

    article = fixture_articles()[2]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    notice = await admin.next_message(timeout=10)
    assert "انتشار خبر در کانال ممکن نشد" in notice.text and "administrator rights" in notice.text
    # The story is not lost: it waits to be posted (tests/test_news_channel_access.py).
    assert db(runner).execute("SELECT state FROM articles").fetchone() == ("queued",)


async def test_a_post_queued_before_a_restart_goes_out_once_after_it(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    from bot.news.publisher import Story

    fake.inject("sendMessage", 502, chat_id=CHANNEL, times=1)
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    article = fixture_articles()[3]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    await fake.wait_for(lambda: fake.calls_of("sendMessage"), 10)  # the first try failed with 502
    await runner.stop()
    assert channel_posts(fake, channel) == []

    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 15)
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(lambda: fake.calls_of("getUpdates"))
    assert len(channel_posts(fake, channel)) == 1
    assert db(runner).execute("SELECT state FROM outbox").fetchall() == [("sent",)]


async def test_the_comments_button_is_edited_with_debounce_and_the_newest_count(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.news import publisher as publisher_module
    from bot.news.publisher import Story

    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)
    publisher = services_of(news_bot).publisher
    article = fixture_articles()[4]
    outcome = await publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    assert outcome.article_id is not None
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    await fake.wait_for(
        lambda: (
            db(news_bot).execute("SELECT state FROM articles WHERE id = ?", (outcome.article_id,)).fetchone()
            == ("posted",)
        )
    )
    await publisher.update_comment_count(outcome.article_id, 1)
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۱)", 5)
    first_edit = time.monotonic()
    for count in (2, 3, 4):  # a burst of comments: one edit, with the last count, a second later
        await publisher.update_comment_count(outcome.article_id, count)
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۴)", 5)
    assert time.monotonic() - first_edit >= 0.9
    assert len(fake.calls_of("editMessageReplyMarkup")) == 2


@pytest.mark.parametrize("photo_works", [True, False])
async def test_a_forwarded_photo_post_is_published_as_the_photo_previewed(
    news_bot: BotRunner, fake: FakeTelegram, channel: FakeChat, admin: FakeUser, photo_works: bool
) -> None:
    await hello(admin)
    other_channel = fake.add_channel(-1007770001, "elsewhere", "کانال دیگر")
    article = fixture_articles()[1]
    await admin.send("/post")
    await admin.next_message()
    # A long caption: the photo's caption is cut at 1,024 characters, at a sentence, like the channel post's.
    await admin.send_photo(
        article["title"] + "\n" + article["text"].replace(" [n] ", "\n"), forwarded_from=other_channel
    )
    preview = await admin.next_message()
    assert preview.photo and preview.text_or_none is None
    today = jalali_date(datetime.now(TEHRAN), TEHRAN)
    assert today in preview.caption  # the date line the post carries
    assert preview.buttons[0]["text"] == "✅ انتشار در کانال"

    if not photo_works:
        fake.inject("sendPhoto", 400, description="Bad Request: wrong file identifier/HTTP URL specified")
    await admin.press(preview, "انتشار")
    assert "در صف انتشار" in (await admin.next_message()).text
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    if photo_works:
        assert post.photo and post.html == preview.html and post.caption == preview.caption
        sent = fake.calls_of("sendPhoto")[-1].params
        assert sent["chat_id"] == CHANNEL and sent["photo"] == fake.calls_of("sendPhoto")[0].params["photo"]
    else:  # the photo refused: the story still goes out, as text (with the whole summary the caption lacked)
        assert not post.photo and today in post.text
        assert post.text.startswith(preview.caption.split("\n")[0])
    assert post.button("نظرات")


class ShiftedClock:
    """The machine's clock moved to another moment (its monotonic time untouched, so timers run as usual)."""

    def __init__(self, moment: float) -> None:
        self.offset = moment - time.time()

    def time(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic()


async def test_an_item_without_a_date_is_dated_when_fetched_on_tehrans_calendar(
    start_bot, fake: FakeTelegram, channel: FakeChat, admin: FakeUser, feed_server: FeedServer
) -> None:
    """Many feeds give no <pubDate>: the post is dated when the bot fetched it, by the Tehran calendar, whose day
    starts at 20:30 UTC (here the evening before Nowruz, then just after midnight: a new year). The date is the
    stored fetch time: the post drawn again after a restart, days later, shows the same."""
    clock = ShiftedClock(datetime(2026, 3, 20, 20, 20, tzinfo=UTC).timestamp())  # 23:50 in Tehran, 29 Esfand
    runner = await start_bot(CHANNEL_ID=CHANNEL, FEED_POLL_SECONDS="0.2", ALLOW_PRIVATE_FEEDS="true", clock=clock)
    await hello(admin)
    url = feed_server.serve("/rss", rss([]))
    await services_of(runner).feeds.add(url, "خبرگزاری بی‌تاریخ", admin.id)
    evening = items(1, start=0)
    evening[0]["published"] = None
    feed_server.serve("/rss", rss(evening))
    first = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    assert "۲۹ اسفند ۱۴۰۴" in first.text

    clock.offset += 20 * 60  # 00:10 in Tehran: 1 Farvardin 1405 (still 20 March in UTC)
    late = items(1, start=1)
    late[0]["published"] = None
    feed_server.serve("/rss", rss(evening + late))
    second = await fake.wait_for(lambda: channel_posts(fake, channel)[1:2] and channel_posts(fake, channel)[1], 10)
    assert "۱ فروردین ۱۴۰۵" in second.text and "اسفند" not in second.text
    stored = "SELECT published_at, created_at FROM articles ORDER BY id"
    rows = db(runner).execute(stored).fetchall()
    assert [published for published, _ in rows] == [None, None]  # no invented publication date is stored

    await runner.stop()
    clock.offset += 3 * 86400  # days later, the post drawn again (a source added, a count edited) keeps its date
    again = services_of(await start_bot(CHANNEL_ID=CHANNEL, clock=clock)).publisher
    article = await again.articles.get(2)
    assert article is not None and "۱ فروردین ۱۴۰۵" in again.render(await again.story_content(article))


async def test_a_feed_added_before_the_channel_is_set_says_its_news_cannot_go_out(
    start_bot, fake: FakeTelegram, admin: FakeUser, feed_server: FeedServer
) -> None:
    """A new admin adds a feed before setting CHANNEL_ID (README's step 3 comes later): /addfeed says the news
    will not reach a channel, and the first story that cannot go out is told once, not each."""
    runner = await start_bot(FEED_POLL_SECONDS="0.2", ALLOW_PRIVATE_FEEDS="true")
    await hello(admin)
    url = feed_server.serve("/rss", rss([]))
    await admin.send(f"/addfeed {url} خبرگزاری آزمایشی")
    assert "در حال خواندن" in (await admin.next_message()).text
    added = (await admin.next_message()).text
    assert "اضافه شد" in added and "CHANNEL_ID هنوز تنظیم نشده" in added
    fresh = items(2)
    for item in fresh:
        item["published"] = None  # new whatever the clock: undated items are never backlog
    feed_server.serve("/rss", rss(fresh[:1]))
    told = await admin.next_message()
    assert f"«{fresh[0]['title']}» منتشر نشد" in told.text and "CHANNEL_ID" in told.text
    feed_server.serve("/rss", rss(fresh))
    failed = "SELECT count(*) FROM articles WHERE state = 'failed' AND fail_reason = 'CHANNEL_ID is not set'"
    await fake.wait_for(lambda: db(runner).execute(failed).fetchone() == (2,), 10)
    await admin.send("/help")
    assert "/language" in (await admin.next_message()).text
    assert len([m for m in admin.received() if "منتشر نشد" in m.text]) == 1

    await runner.stop()  # a restart still without CHANNEL_ID does not tell again
    runner = await start_bot(FEED_POLL_SECONDS="0.2", ALLOW_PRIVATE_FEEDS="true")
    later = items(1, start=2)
    later[0]["published"] = None
    feed_server.serve("/rss", rss(fresh + later))
    await fake.wait_for(lambda: db(runner).execute(failed).fetchone() == (3,), 10)
    await admin.send("/help")
    assert "/language" in (await admin.next_message()).text
    assert len([m for m in admin.received() if "منتشر نشد" in m.text]) == 1
