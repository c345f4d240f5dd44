"""The bot removed from the news channel, or its right to post taken away: the admins hear it once (a restart
does not tell them again), and no story is lost: the posts that waited go out when the bot is an admin again."""

from __future__ import annotations

import sqlite3

from bot.app import BotRunner
from bot.news.publisher import Story
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.feed_server import fixture_articles
from tests.test_news import channel_posts, hello

NOTICE = "انتشار خبر در کانال ممکن نشد"


def story(index: int) -> Story:
    article = fixture_articles()[index]
    return Story(article["title"], article["text"].replace(" [n] ", "\n"), source="برنا")


def states(runner: BotRunner) -> list[str]:
    database = sqlite3.connect(runner.settings.database_path)
    return [row[0] for row in database.execute("SELECT state FROM articles ORDER BY id")]


def refused_posts(runner: BotRunner) -> int:
    database = sqlite3.connect(runner.settings.database_path)
    query = "SELECT count(*) FROM outbox WHERE kind = 'channel_post' AND state = 'dead'"
    return int(database.execute(query).fetchone()[0])


def notices(fake: FakeTelegram, admin: FakeUser) -> list[str]:
    return [m.text for m in fake.history(admin.chat.id, from_bot=True) if NOTICE in m.text]


async def test_a_bot_removed_from_the_channel_tells_once_and_posts_everything_when_it_is_back(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    fake.allow_errors("bot is not a member")
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await hello(owner)
    channel.bot_status = "left"  # an admin of the channel removed the bot
    for index in range(3):
        await runner.services.publisher.ingest(story(index))
    await fake.wait_for(lambda: notices(fake, owner), 10)
    await fake.wait_for(lambda: refused_posts(runner) == 3, 10)
    assert states(runner) == ["queued"] * 3  # not failed: they wait
    assert channel_posts(fake, channel) == []

    await runner.stop()  # a restart neither tells again nor forgets the posts
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await runner.services.publisher.ingest(story(3))
    await fake.wait_for(lambda: refused_posts(runner) == 4, 10)
    assert states(runner) == ["queued"] * 4
    assert len(notices(fake, owner)) == 1 and "not a member" in notices(fake, owner)[0]

    await fake.add_bot(channel, owner.json, status="administrator")  # the bot is made an admin again
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 4, 15)
    await fake.wait_for(lambda: states(runner) == ["posted"] * 4, 10)
    titles = [post.text.splitlines()[0] for post in channel_posts(fake, channel)]
    assert len(set(titles)) == 4  # each story once, none lost
    back = await fake.wait_for(
        lambda: [m.text for m in fake.history(owner.chat.id, from_bot=True) if "۴" in m.text and "کانال" in m.text], 10
    )
    assert len(back) == 1 and refused_posts(runner) == 0
    assert not [m for m in fake.history(owner.chat.id, from_bot=True) if "CHANNEL_ID" in m.text]  # it is set


async def test_post_rights_taken_away_hold_the_posts_and_tell_once(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    fake.allow_errors("need administrator rights")
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await hello(owner)
    channel.bot_status = "member"  # still in the channel, no longer an admin allowed to post
    for index in range(2):
        await runner.services.publisher.ingest(story(index))
    await fake.wait_for(lambda: refused_posts(runner) == 2, 10)
    assert states(runner) == ["queued"] * 2
    assert len(notices(fake, owner)) == 1 and "administrator rights" in notices(fake, owner)[0]
    await fake.add_bot(channel, owner.json, status="administrator")
    await fake.wait_for(lambda: len(channel_posts(fake, channel)) == 2, 15)
    await fake.wait_for(lambda: states(runner) == ["posted"] * 2, 10)
