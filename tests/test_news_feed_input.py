"""What an admin's feeds bring in, as odd as real feeds are (encodings, no name, no titles), and resuming one."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest

from bot.app import BotRunner
from tests.conftest import services_of
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.feed_server import FeedServer, rss
from tests.test_news import admin, channel_posts, feed_server, hello, items, news_bot  # noqa: F401 (fixtures)

# Written as many Iranian sites still write in windows-1256: with the Arabic yeh and kaf.
TITLE = "افزايش توليد برق در نيروگاه هاي كشور"
BODY = "وزارت نيرو اعلام كرد توليد برق در نيروگاه هاي حرارتي كشور در هفته گذشته افزايش يافت. " * 8


def cp1256_rss(declaration: str) -> bytes:
    item = f"<item><title>{TITLE}</title><link>https://news.example.ir/power</link><guid>power-1</guid>"
    item += f"<description>{BODY}</description></item>"
    return (f"{declaration}<rss version='2.0'><channel><title>خبرگزاري</title>{item}</channel></rss>").encode("cp1256")


def empty_rss() -> bytes:
    return b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>x</title></channel></rss>"


async def add_feed(who: FakeUser, server: FeedServer, document: bytes, name: str = "") -> str:
    """An admin adds a feed serving `document` at /rss; returns the bot's answer."""
    await hello(who)
    url = server.serve("/rss", document)
    await who.send(f"/addfeed {url} {name}".strip())
    assert "در حال خواندن" in (await who.next_message()).text
    return (await who.next_message()).text


async def first_post(fake: FakeTelegram, channel: FakeChat) -> FakeMessage:
    return await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)


async def assert_posted_once_over_polls(fake: FakeTelegram, channel: FakeChat, server: FeedServer) -> None:
    """Two more polls of /rss, and the channel still has its one post."""
    hits = server.hits("/rss")
    await fake.wait_for(lambda: server.hits("/rss") >= hits + 2, 5)
    assert len(channel_posts(fake, channel)) == 1


@pytest.mark.parametrize(
    ("declaration", "charset"),
    [
        ("", "windows-1256"),  # said by the HTTP header only, as the standard allows
        ("<?xml version='1.0' encoding='utf-8'?>", None),  # declared UTF-8, saved as windows-1256
    ],
)
async def test_a_feed_in_windows_1256_is_posted_in_persian_not_mojibake(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,  # noqa: F811
    feed_server: FeedServer,  # noqa: F811
    declaration: str,
    charset: str | None,
) -> None:
    assert "اضافه شد" in await add_feed(admin, feed_server, empty_rss(), "برق")
    feed_server.serve("/rss", cp1256_rss(declaration), charset=charset)
    post = await first_post(fake, channel)
    first_line = post.text.splitlines()[0]
    assert "توليد برق" in first_line.replace("ی", "ي") and not re.search("[À-ÿ]", post.text)
    stored = sqlite3.connect(news_bot.settings.database_path).execute("SELECT title FROM articles").fetchone()[0]
    assert "نيروگاه" in stored.replace("ی", "ي").replace("ک", "ك")


async def test_a_feed_added_without_a_name_is_named_by_its_own_title(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,  # noqa: F811
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """`/addfeed <url>` alone (the usage line shows the name as optional): the posts still say whose news it is,
    and /feeds names the outlet rather than a long URL."""
    assert "«خبرگزاری برنا»" in await add_feed(admin, feed_server, rss([], title="  خبرگزاری <b>برنا</b> "))
    url = feed_server.url("/rss")
    fresh = items(1, start=3)
    fresh[0]["published"] = None
    feed_server.serve("/rss", rss(fresh, title="خبرگزاری برنا"))
    post = await first_post(fake, channel)
    assert "منبع: خبرگزاری برنا" in post.text
    await admin.send("/feeds")
    assert "خبرگزاری برنا — فعال" in (await admin.next_message()).text and url not in admin.received()[-1].text
    database = sqlite3.connect(news_bot.settings.database_path)
    assert database.execute("SELECT name FROM feeds").fetchall() == [("خبرگزاری برنا",)]


async def test_an_item_without_a_title_is_posted_under_its_first_words(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,  # noqa: F811
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """Feeds made from Telegram channels or microblogs have items with no <title>, only text: they were dropped
    without a word; now the first line of the text is the title."""
    assert "اضافه شد" in await add_feed(admin, feed_server, rss([]), "کانال خبری")
    first = "بارش برف راه ارتباطی سه روستای شهرستان سقز را بست"
    text = first + "\n" + "به گفتهٔ مدیر راهداری، گروه‌های امداد از صبح امروز برای بازگشایی راه‌ها اعزام شده‌اند. " * 5
    untitled = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>کانال</title><item>"
        f"<link>https://t.me/news/41</link><guid>t-41</guid><description>{text}</description></item>"
        "</channel></rss>"
    )
    feed_server.serve("/rss", untitled)
    post = await first_post(fake, channel)
    assert post.text.splitlines()[0] == first
    stored = sqlite3.connect(news_bot.settings.database_path).execute("SELECT title, guid FROM articles").fetchall()
    assert stored == [(first, "t-41")]


async def test_a_feed_resumed_after_a_long_pause_does_not_flood_the_channel(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,  # noqa: F811
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """What a feed published during a week's pause is old news by /resumefeed: recorded as seen, not posted;
    what it published in the last hour is still news, and is posted."""
    assert "اضافه شد" in await add_feed(admin, feed_server, rss([]), "خبرگزاری آزمایشی")
    await admin.send("/pausefeed 1")
    assert "متوقف" in (await admin.next_message()).text
    database = sqlite3.connect(news_bot.settings.database_path)
    with database:  # the pause began a week ago (the feed was added just before it)
        database.execute("UPDATE feeds SET added_at = added_at - 7 * 86400")
    now = int(time.time())
    old = items(5, start=0, published=now - 3 * 86400)  # published while the feed was paused
    recent = items(1, start=5, published=now - 600)
    feed_server.serve("/rss", rss(old + recent))
    await admin.send("/resumefeed 1")
    assert "دوباره خوانده می‌شود" in (await admin.next_message()).text
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 10)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM articles").fetchone() == (6,), 10)
    posted = "SELECT state FROM articles WHERE guid = 'item-5'"
    await fake.wait_for(lambda: database.execute(posted).fetchone() == ("posted",))
    states = dict(database.execute("SELECT guid, state FROM articles").fetchall())
    assert states == {f"item-{i}": "seen" for i in range(5)} | {"item-5": "posted"}
    await assert_posted_once_over_polls(fake, channel, feed_server)


async def test_a_feed_whose_adding_was_cut_short_records_its_backlog_not_posts_it(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """/addfeed stores the feed, then records its current items as seen: a stop in between (or a poll racing
    it) left the feed due at once with items unrecorded, and undated ones (never backlog by their date) were
    all posted. The feed's first successful read is its backlog, whoever makes it."""
    backlog = items(3)
    for item in backlog:
        item["published"] = None
    url = feed_server.serve("/rss", rss(backlog))
    feeds = services_of(news_bot).feeds
    await feeds.feeds.add(url, "خبرگزاری آزمایشی", None, int(time.time()))  # where a stop cut /addfeed short
    database = sqlite3.connect(news_bot.settings.database_path)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM articles").fetchone() == (3,), 10)
    assert set(database.execute("SELECT state FROM articles").fetchall()) == {("seen",)}
    fresh = items(1, start=3)
    fresh[0]["published"] = None
    feed_server.serve("/rss", rss(backlog + fresh))
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 1, 10)
    await assert_posted_once_over_polls(fake, channel, feed_server)


async def test_renamefeed_renames_the_source_of_its_next_posts(
    news_bot: BotRunner,  # noqa: F811
    fake: FakeTelegram,
    channel: FakeChat,
    admin: FakeUser,  # noqa: F811
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """A name mistyped at /addfeed (or an outlet that renamed itself) is changed in place: its history stays,
    unlike /rmfeed and /addfeed again."""
    assert "اضافه شد" in await add_feed(admin, feed_server, rss([]), "خبرگزاری ازمایشی")
    await admin.send("/renamefeed ۱")
    assert "/renamefeed" in (await admin.next_message()).text  # how to use it
    await admin.send("/renamefeed 1 خبرگزاری <b>آزمایشی</b>")
    assert "خبرگزاری <b>آزمایشی</b>" in (await admin.next_message()).text  # shown as typed, not as HTML
    fresh = items(1, start=2)
    fresh[0]["published"] = None
    feed_server.serve("/rss", rss(fresh))
    post = await first_post(fake, channel)
    assert "منبع: \u2067خبرگزاری <b>آزمایشی</b>\u2069" in post.text  # isolated: it holds Latin letters
    database = sqlite3.connect(news_bot.settings.database_path)
    assert database.execute("SELECT id, name FROM feeds").fetchall() == [(1, "خبرگزاری <b>آزمایشی</b>")]
    await admin.send("/renamefeed 9 نام")
    assert "۹" in (await admin.next_message()).text
