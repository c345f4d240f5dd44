"""Fresh posts: a normal first comment is published (on a new installation every reader is new); only a rush of
new accounts is held, and whoever is held is told so, in the bot and from the group."""

from __future__ import annotations

import time

from bot.app import BotRunner
from bot.clock import ManualClock
from bot.news.publisher import Story
from tests.conftest import CHANNEL, services_of
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.feed_server import fixture_articles
from tests.test_discussion import answer, open_discussion
from tests.test_group_moderation import bot_texts, setup
from tests.test_moderation import ask, comment_status, db, write
from tests.test_news import channel_posts

OLD_READER = 7


async def age_installation(runner: BotRunner, now: float, days: int = 3) -> None:
    """Make the bot's first reader one seen `days` ago: the installation is no longer new. (Through the bot's
    own connection: a second writer would wait for the bot's transactions.)"""
    then = int(now) - days * 86400
    await services_of(runner).db.execute(
        "INSERT OR REPLACE INTO users (id, first_name, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)",
        (OLD_READER, "old", then, then),
    )


async def test_new_readers_are_published_and_only_a_rush_of_new_accounts_is_held(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    clock = ManualClock(wall=time.time(), monotonic=0.0)
    runner = await start_bot(CHANNEL_ID=CHANNEL, clock=clock)
    await owner.send("/start")
    await answer(owner)
    article = fixture_articles()[1]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    await fake.wait_for(lambda: db(runner).execute("SELECT state FROM articles").fetchone() == ("posted",))
    payload = post.button("نظرات")["url"].split("start=")[1]

    # A brand-new installation: every reader is "first seen today", which says nothing; all are published.
    for i in range(runner.settings.raid_new_accounts + 1):
        reader = FakeUser(fake, f"خوانندهٔ روز نخست {i}")
        told = await write(reader, await open_discussion(reader, payload), f"نظر روز نخست {i}")
        assert "ثبت شد" in told.text and "بررسی" not in told.text
    assert db(runner).execute("SELECT count(*) FROM comments WHERE status = 'published'").fetchone() == (
        runner.settings.raid_new_accounts + 1,
    )

    # Days later, a new post: a few new readers are published at once ...
    await age_installation(runner, clock.time())
    await runner.services.publisher.ingest(Story(fixture_articles()[2]["title"], fixture_articles()[2]["text"]))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[1:] and channel_posts(fake, channel)[1], 10)
    await fake.wait_for(lambda: db(runner).execute("SELECT count(*) FROM articles WHERE state = 'posted'").fetchone()
                        == (2,))  # fmt: skip
    payload = post.button("نظرات")["url"].split("start=")[1]
    for i in range(runner.settings.raid_new_accounts - 1):
        reader = FakeUser(fake, f"خواننده {i}")
        told = await write(reader, await open_discussion(reader, payload), f"نظر عادی {i}")
        assert "ثبت شد" in told.text and "بررسی" not in told.text
        assert comment_status(runner, f"نظر عادی {i}") == ("published", None)

    # ... but the RAID_NEW_ACCOUNTS-th new account within the minute makes a raid. Held, and the writer told why.
    raiders = [FakeUser(fake, f"مهاجم {i}") for i in range(2)]
    for i, raider in enumerate(raiders):
        told = await write(raider, await open_discussion(raider, payload), f"تبلیغ {i}")
        assert "حساب‌های تازهٔ زیادی" in told.text and "بررسی" in told.text
        assert comment_status(runner, f"تبلیغ {i}") == ("pending", "raid")
    alert = await answer(owner)
    assert "حساب تازه" in alert.text and fixture_articles()[2]["title"][:20] in alert.text
    queue = await ask(owner, "/queue")  # the admins heard of the raid once, not once per raider
    assert "هجوم حساب‌های تازه" in queue.text

    # A reader the bot has known for days is no new account, raid or not.
    regular = FakeUser(fake, "قدیمی")
    await regular.send("/start")
    await answer(regular)
    await runner.services.db.execute(
        "UPDATE users SET first_seen_at = ? WHERE id = ?", (int(clock.time()) - 2 * 86400, regular.id)
    )
    assert "ثبت شد" in (await write(regular, await open_discussion(regular, payload), "نظر قدیمی")).text
    assert comment_status(runner, "نظر قدیمی") == ("published", None)

    # After the watch, new accounts are published again.
    clock.advance(runner.settings.new_user_cooldown_seconds + 1)
    late = FakeUser(fake, "دیرتر")
    assert "ثبت شد" in (await write(late, await open_discussion(late, payload), "نظر بعدی")).text
    assert comment_status(runner, "نظر بعدی") == ("published", None)


async def test_a_first_group_comment_seconds_after_the_post_stays(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    newcomer = FakeUser(fake, "تازه‌وارد")
    group.members[newcomer.id] = "member"
    first = await newcomer.send("اولین نظر من", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT status FROM comments").fetchone() == ("published",))
    assert not first.deleted


async def test_held_group_messages_are_announced_to_their_writers(
    start_bot, fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    stranger, known = FakeUser(fake, "غریبه"), FakeUser(fake, "آشنا")
    group.members.update({stranger.id: "member", known.id: "member"})

    # Someone the bot may not write to: a short reply in the thread, mentioning them.
    held = await stranger.send("نظری برای بررسی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: held.deleted)
    notice = await fake.wait_for(lambda: [m for m in fake.history(group.id, from_bot=True) if "نگه داشته" in m.text])
    assert len(notice) == 1 and notice[0].reply_to == root.message_id
    assert f'href="tg://user?id={stranger.id}"' in (notice[0].html_or_none or "") and "غریبه" in notice[0].text

    # Someone who started the bot hears it privately, and the thread is spared.
    await known.send("/start")
    await answer(known)
    other = await known.send("نظر دوم برای بررسی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: other.deleted)
    private = await answer(known)
    assert "نگه داشته شد" in private.text and "نظر دوم برای بررسی" in private.text
    assert len([t for t in bot_texts(fake, group) if "نگه داشته" in t]) == 1
    assert database.execute("SELECT count(*) FROM comments WHERE status = 'pending'").fetchone() == (2,)


async def test_a_raid_in_the_group_is_announced_once(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    await age_installation(runner, time.time())
    writers = [FakeUser(fake, f"حساب {i}") for i in range(runner.settings.raid_new_accounts + 2)]
    sent = []
    for i, writer in enumerate(writers):
        group.members[writer.id] = "member"
        sent.append(await writer.send(f"پیام {i}", chat=group, reply_to=root.message_id, thread_id=root.message_id))
        # every message sent so far is stored
        await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (len(sent),))
    limit = runner.settings.raid_new_accounts - 1
    await fake.wait_for(lambda: all(message.deleted for message in sent[limit:]))
    assert not any(message.deleted for message in sent[:limit])
    notices = await fake.wait_for(lambda: [t for t in bot_texts(fake, group) if "حساب‌های تازهٔ زیادی" in t])
    assert len(notices) == 1
    held = database.execute("SELECT count(*) FROM comments WHERE hold_reason = 'raid'").fetchone()
    assert held == (len(writers) - limit,)
