"""Moderation in the channel's discussion group: replies as commands, Telegram's restrictions, special senders."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

from bot.clock import ManualClock
from bot.news.publisher import Story
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser, FloodLimits
from tests.feed_server import fixture_articles
from tests.test_news import channel_posts

GROUP_ID = -1002000
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
CHANNEL_SENDER = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


async def setup(start_bot, fake: FakeTelegram, channel: FakeChat, **settings: Any):
    group = fake.add_group(GROUP_ID, "گفت‌وگوی کانال", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID), **settings)
    article = fixture_articles()[0]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    await fake.wait_for(lambda: channel_posts(fake, channel)[:1], 10)
    root = await fake.wait_for(lambda: fake.history(group.id)[:1] and fake.history(group.id)[0], 10)
    database = sqlite3.connect(runner.settings.database_path)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM group_threads").fetchone() == (1,))
    return runner, group, root, database


async def as_sender(fake: FakeTelegram, group: FakeChat, sender: dict, sender_chat: dict | None, text: str,
                    reply_to: int, thread: int, *, date: int | None = None) -> FakeMessage:  # fmt: skip
    extra = {"sender_chat": sender_chat} if sender_chat else {}
    message = fake.store(FakeMessage(chat=group, message_id=fake.next_message_id(group.id),
                                     date=date or int(time.time()), sender=sender, text_or_none=text, reply_to=reply_to,
                                     thread_id=thread, extra=extra))  # fmt: skip
    if text.startswith("/"):
        message.extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    await fake.deliver("message", message.to_json(fake))
    return message


def bot_texts(fake: FakeTelegram, group: FakeChat) -> list[str]:
    return [m.text_or_none or "" for m in fake.history(group.id) if m.sender and m.sender["id"] == fake.bot_user["id"]]


async def promote(fake: FakeTelegram, group: FakeChat, user: FakeUser, by: FakeUser) -> None:
    """Make `user` an admin of the group, with the chat_member update Telegram sends about it."""
    group.members[user.id] = "administrator"
    await fake.deliver("chat_member", {
        "chat": group.to_json(), "from": by.json, "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": user.json},
        "new_chat_member": fake._member_json(group, user.id) | {"user": user.json},
    })  # fmt: skip


def calls(fake: FakeTelegram, method: str) -> list[dict]:
    return [call.params for call in fake.calls_of(method) if call.status == 200]


async def test_group_admins_moderate_by_replying(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    moderator, rude, guest = FakeUser(fake, "ناظر"), FakeUser(fake, "تندخو"), FakeUser(fake, "مهمان")
    group.members.update({moderator.id: "administrator", rude.id: "member", guest.id: "member"})
    insult = await rude.send("پیام توهین‌آمیز", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))

    # A reader cannot moderate; nothing happens.
    await guest.send("/ban", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: any("فقط برای" in text for text in bot_texts(fake, group)))
    assert not calls(fake, "banChatMember")

    await moderator.send("/mute 30m بی‌ادبی", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    restrict = await fake.wait_for(lambda: calls(fake, "restrictChatMember"))
    assert int(restrict[0]["user_id"]) == rude.id and group.members[rude.id] == "restricted"
    assert int(restrict[0]["until_date"]) > time.time() + 1700

    await moderator.send("/ban 7d", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    ban = await fake.wait_for(lambda: calls(fake, "banChatMember"))
    assert int(ban[0]["user_id"]) == rude.id and group.members[rude.id] == "kicked"
    # Last the message goes (once it is deleted, Telegram's replies to it no longer say which message they answer).
    await moderator.send("/del", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: calls(fake, "deleteMessage"))
    assert insult.deleted
    assert database.execute("SELECT status FROM comments").fetchone() == ("deleted",)
    # /unban never kicks a member: only_if_banned.
    await moderator.send(f"/unban {guest.id}", chat=group)
    await moderator.send(f"/unban {rude.id}", chat=group)
    await fake.wait_for(lambda: len(calls(fake, "unbanChatMember")) == 2)
    assert all(params["only_if_banned"] in (True, "true") for params in calls(fake, "unbanChatMember"))
    assert group.members[guest.id] == "member" and group.members[rude.id] == "left"
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM audit_log").fetchone() == (5,))
    actions = [row[0] for row in database.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions == ["mute", "ban", "delete", "unban", "unban"]


async def test_special_senders_and_channels(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    guest_channel = {"id": -1009999, "type": "channel", "title": "کانال تبلیغاتی"}
    spam = await as_sender(fake, group, CHANNEL_SENDER, guest_channel, "تبلیغ", root.message_id, root.message_id)
    anonymous = await as_sender(fake, group, ANONYMOUS_ADMIN, group.to_json(), "مدیر ناشناس", root.message_id,
                                root.message_id)  # fmt: skip
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (2,))

    # Replying to the automatic forward (sent by 777000) names nobody; the anonymous admin is the group itself.
    await owner.send("/ban", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await owner.send("/ban", chat=group, reply_to=anonymous.message_id, thread_id=root.message_id)
    texts = await fake.wait_for(lambda: len(bot_texts(fake, group)) >= 2 and bot_texts(fake, group))
    assert any("/ban" in text for text in texts) and any("حساب‌های ویژه" in text for text in texts)
    assert not calls(fake, "banChatMember") and not calls(fake, "banChatSenderChat")

    # A user posting as a channel: Telegram bans the channel.
    await owner.send("/ban", chat=group, reply_to=spam.message_id, thread_id=root.message_id)
    banned = await fake.wait_for(lambda: calls(fake, "banChatSenderChat"))
    assert int(banned[0]["sender_chat_id"]) == -1009999
    assert database.execute("SELECT user_id FROM bans").fetchall() == [(-1009999,)]

    # An anonymous admin moderates too (Telegram only lets the group's admins post as the group).
    reader = FakeUser(fake, "خواننده")
    note = await reader.send("نظری برای حذف", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (3,))
    await as_sender(fake, group, ANONYMOUS_ADMIN, group.to_json(), "/del", note.message_id, root.message_id)
    await fake.wait_for(lambda: note.deleted)


async def test_filters_floods_and_backlog_in_the_group(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel, COMMENTS_PER_MINUTE="3")
    await runner.services.screener.add_filter(OWNER_ID, "banned", "کثافت")
    writer = FakeUser(fake, "نویسنده")
    group.members[writer.id] = "member"
    dirty = await writer.send("ک ث ا ف ت", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: dirty.deleted)
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)

    # Messages delivered late (the bot was down) never count as a flood.
    old = int(time.time()) - 600
    late = FakeUser(fake, "دیرکرده")
    for i in range(5):
        await as_sender(fake, group, late.json, None, f"پیام قدیمی {i}", root.message_id, root.message_id, date=old)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (5,))
    assert not calls(fake, "restrictChatMember")

    flooder = FakeUser(fake, "پرحرف")
    group.members[flooder.id] = "member"
    sent = [await flooder.send(f"پیام {i}", chat=group, reply_to=root.message_id, thread_id=root.message_id)
            for i in range(4)]  # fmt: skip
    restrict = await fake.wait_for(lambda: calls(fake, "restrictChatMember"))
    assert int(restrict[0]["user_id"]) == flooder.id
    await fake.wait_for(lambda: sent[3].deleted)
    assert not sent[2].deleted
    assert database.execute("SELECT reason FROM mutes WHERE user_id = ?", (flooder.id,)).fetchone() == ("flood",)


async def test_a_new_group_admin_is_recognised_after_a_chat_member_update(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, _root, _database = await setup(start_bot, fake, channel)
    helper, reader = FakeUser(fake, "دستیار"), FakeUser(fake, "خواننده")
    await helper.send("/ban", chat=group)
    await fake.wait_for(lambda: any("فقط برای" in text for text in bot_texts(fake, group)))
    await promote(fake, group, helper, reader)
    await helper.send("/ban", chat=group)  # without whom: a moderator gets the usage
    await fake.wait_for(lambda: any("/ban" in text for text in bot_texts(fake, group)))


async def test_premoderation_in_the_group_holds_and_reposts_on_approval(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await owner.send("/premod all")
    await fake.wait_for(lambda: owner.received() and "همهٔ نظرها" in owner.received()[-1].text)
    writer = FakeUser(fake, "نویسنده")
    held = await writer.send("نظری برای بررسی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: held.deleted)  # held: out of the group until a moderator approves it
    assert database.execute("SELECT status, hold_reason FROM comments").fetchone() == ("pending", "premod")
    await owner.send("/queue")
    queue = await fake.wait_for(lambda: "نظری برای بررسی" in owner.received()[-1].text and owner.received()[-1])
    await owner.press(queue, "تأیید")
    repost = await fake.wait_for(lambda: [t for t in bot_texts(fake, group) if "نظری برای بررسی" in t])
    assert repost == ["💬 نویسنده:\nنظری برای بررسی"]
    assert fake.history(group.id)[-1].reply_to == root.message_id
    assert database.execute("SELECT status FROM comments").fetchone() == ("published",)


async def test_a_burst_on_an_empty_admin_cache_reads_the_admin_list_once(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, _, _, _ = await setup(start_bot, fake, channel)
    moderation = runner.services.roles
    moderation.forget_group_admins()
    before = len(fake.calls_of("getChatAdministrators"))
    await asyncio.gather(*(moderation.role(5000 + i) for i in range(40)))
    assert len(fake.calls_of("getChatAdministrators")) == before + 1


async def test_a_bot_that_lost_its_delete_right_tells_the_admins_once(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """Someone demotes the bot in the discussion group: banned words can no longer be taken out. The admins are
    told so in Persian, once however many messages fail (and not again after a restart); once the right is back
    and a delete works, a new loss is told again."""
    runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await owner.send("/filter add banned کلمهبد")
    await owner.next_message()
    fake.allow_errors("message can't be deleted")
    group.bot_status = "member"
    readers = [FakeUser(fake, f"خواننده {i}") for i in range(3)]
    dirty = [await r.send("این کلمهبد است", chat=group, reply_to=root.message_id, thread_id=root.message_id)
             for r in readers]  # fmt: skip
    refused = lambda: [c for c in fake.calls_of("deleteMessage") if c.status == 400]  # noqa: E731
    await fake.wait_for(lambda: len(refused()) == 3, 10)
    notice = await owner.next_message()
    assert "نتوانست پیامی را از گروه گفت‌وگو حذف کند" in notice.text and "حذف پیام‌ها" in notice.text
    assert not any(m.deleted for m in dirty)

    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await readers[0].send("باز هم کلمهبد", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: len(refused()) == 4, 10)
    await owner.send("/help")  # handled after the refusal's notice would have been queued
    assert "/language" in (await owner.next_message()).text
    assert [m.text for m in owner.received() if "حذف کند" in m.text] == [notice.text]

    group.bot_status = "administrator"
    again = await readers[1].send("کلمهبد", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: again.deleted, 10)
    group.bot_status = "member"
    await readers[2].send("کلمهبد دوباره", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: len([m for m in owner.received() if "حذف کند" in m.text]) == 2, 10)
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)


async def test_a_comment_removed_after_telegrams_48_hours_is_left_to_the_admins_once(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """/del of group comments older than 48 hours: they leave the bot's pages, Telegram would refuse to delete
    their messages, so the admins hear (once) that they must delete them by hand."""
    _runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await owner.send("/start")
    await owner.next_message()
    old = int(time.time()) - 49 * 3600
    writer = FakeUser(fake, "نویسنده")
    messages = [await as_sender(fake, group, writer.json, None, f"نظر قدیمی {i}", root.message_id, root.message_id,
                                date=old) for i in range(2)]  # fmt: skip
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (2,))
    with database:
        database.execute("UPDATE comments SET created_at = ?", (old,))
    for (comment_id,) in database.execute("SELECT id FROM comments ORDER BY id").fetchall():
        await owner.send(f"/del {comment_id}")
        done = (await owner.next_message()).text  # the answer says so for this comment
        assert "از صفحه‌های ربات حذف شد" in done and "۴۸ ساعت" in done
    told = await owner.next_message()
    assert "۴۸ ساعت" in told.text and "خودتان در گروه حذف کنید" in told.text
    await owner.send("/help")
    assert "/language" in (await owner.next_message()).text
    notices = [m for m in owner.received() if "۴۸ ساعت" in m.text and "از صفحه‌های ربات حذف شد" not in m.text]
    assert len(notices) == 1
    assert database.execute("SELECT DISTINCT status FROM comments").fetchall() == [("deleted",)]
    assert not any(m.deleted for m in messages) and not fake.calls_of("deleteMessage")


async def test_help_in_the_group_points_to_the_bots_chat_once_a_minute(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """/help in the discussion group is answered with a link to the bot's private chat, which opens the help;
    readers asking within the same minute get no second answer (25 of them would pass Telegram's 20 messages a
    minute to a group), a minute later they get one again. /help is not a comment."""
    fake.limits = FloodLimits()  # Telegram's: 20 messages a minute to one group
    clock = ManualClock(wall=time.time(), monotonic=0.0)
    runner, group, root, database = await setup(start_bot, fake, channel, clock=clock)
    readers = [FakeUser(fake, f"خواننده {i}") for i in range(25)]
    for reader in readers:
        group.members[reader.id] = "member"

    def answers() -> list[FakeMessage]:
        return [m for m in fake.history(group.id, from_bot=True) if "گفت‌وگوی خصوصی" in (m.text_or_none or "")]

    asked = await readers[0].send("/help", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    answer = (await fake.wait_for(answers, 10))[0]
    assert answer.text == "ℹ️ راهنمای ربات و دستورهایش در گفت‌وگوی خصوصی با ربات است: گفت‌وگو با ربات"
    link = f"https://t.me/{runner.services.bot_username}?start=help"
    assert f'<a href="{link}">' in answer.html and answer.reply_to == asked.message_id

    for reader in readers[1:]:
        await reader.send("/help", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    # A comment after them: handled in order, so once it is stored the /help messages were handled too.
    await readers[1].send("نظری در گروه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,), 10)
    queued = "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'group_help:%'"
    assert database.execute(queued).fetchone() == (1,)
    assert len(answers()) == 1

    clock.advance(61)
    await readers[2].send("/help@" + runner.services.bot_username, chat=group, thread_id=root.message_id)
    await fake.wait_for(lambda: len(answers()) == 2, 10)
    assert database.execute(queued).fetchone() == (2,)

    # The link opens the help in the private chat.
    await readers[0].send("/start help")
    assert "/language" in (await readers[0].next_message()).text
