"""The channel's linked discussion group: automatic forwards, threads, replies to replies, special senders."""

from __future__ import annotations

import sqlite3
import time

import pytest

from bot.news import publisher as publisher_module
from bot.news.publisher import Story
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.feed_server import fixture_articles
from tests.test_discussion import comment_id, open_comment, open_discussion
from tests.test_news import channel_posts

GROUP_ID = -1002000


async def special_message(fake: FakeTelegram, group: FakeChat, sender: dict, sender_chat: dict, text: str,
                          reply_to: int, thread: int) -> FakeMessage:  # fmt: skip
    message = fake.store(FakeMessage(chat=group, message_id=fake.next_message_id(group.id), date=int(time.time()),
                                     sender=sender, text_or_none=text, reply_to=reply_to, thread_id=thread,
                                     extra={"sender_chat": sender_chat}))  # fmt: skip
    await fake.deliver("message", message.to_json(fake))
    return message


async def test_group_threads_become_the_articles_comment_tree(
    start_bot, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 1.0)
    group = fake.add_group(GROUP_ID, "گفت‌وگوی کانال", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    article = fixture_articles()[0]
    await runner.services.publisher.ingest(Story(article["title"], article["text"].replace(" [n] ", "\n")))
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    root = await fake.wait_for(lambda: fake.history(group.id)[:1] and fake.history(group.id)[0], 10)
    assert root.extra["is_automatic_forward"]
    database = sqlite3.connect(runner.settings.database_path)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM group_threads").fetchone() == (1,))

    ali, sara, reza = FakeUser(fake, "علی"), FakeUser(fake, "سارا"), FakeUser(fake, "رضا")
    first = await ali.send("نظر علی در گروه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    second = await sara.send("پاسخ سارا به علی", chat=group, reply_to=first.message_id, thread_id=root.message_id)
    await reza.send("پاسخ رضا به سارا", chat=group, reply_to=second.message_id, thread_id=root.message_id)
    await special_message(fake, group, {"id": 1087968824, "is_bot": True, "first_name": "Group"},
                          group.to_json(), "پیام مدیر ناشناس", root.message_id, root.message_id)  # fmt: skip
    await special_message(fake, group, {"id": 136817688, "is_bot": True, "first_name": "Channel"},
                          {"id": -1009999, "type": "channel", "title": "کانال مهمان"}, "از طرف یک کانال",
                          first.message_id, root.message_id)  # fmt: skip
    # A re-delivered update and an edit.
    await fake.deliver("message", first.to_json(fake))
    first.text = "نظر ویرایش‌شدهٔ علی"
    first.edits += 1
    await fake.deliver("edited_message", first.to_json(fake))

    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (5,), 10)
    await fake.wait_for(
        lambda: (
            database.execute("SELECT text FROM comments WHERE author_id = ?", (ali.id,)).fetchone()
            == ("نظر ویرایش‌شدهٔ علی",)
        )
    )
    rows = database.execute("SELECT author_name, depth, origin FROM comments ORDER BY id").fetchall()
    assert rows == [
        ("علی", 0, "group"),
        ("سارا", 1, "group"),
        ("رضا", 2, "group"),
        ("گفت‌وگوی کانال", 0, "group"),
        ("کانال مهمان", 1, "group"),
    ]
    authors = dict(database.execute("SELECT author_name, author_id FROM comments").fetchall())
    assert authors["کانال مهمان"] == -1009999 and authors["گفت‌وگوی کانال"] == GROUP_ID

    # In the bot, group and bot comments are one tree, and the channel button counts both.
    reader = FakeUser(fake, "خواننده")
    payload = post.button("نظرات")["url"].split("start=")[1]
    page = await open_discussion(reader, payload)
    assert "نظر ویرایش‌شدهٔ علی" in page.text and "پاسخ سارا به علی" in page.text
    await open_comment(reader, page, comment_id(runner, "پاسخ سارا به علی"))  # a reply to a reply is in its view
    lines = page.text.split("\n")
    assert any(line.startswith("\u2003↳") and "رضا" in line for line in lines) and "در پاسخ به" in page.text
    await reader.press(page, "🔙")
    await fake.wait_for(lambda: "نوشتن نظر" in str(page.buttons))
    await reader.press(page, "نوشتن نظر")
    await reader.next_message()
    await reader.send("نظر از داخل ربات")
    await reader.next_message()
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۶)", 10)


async def test_messages_outside_a_post_thread_are_not_comments(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    group = fake.add_group(GROUP_ID, "گفت‌وگوی کانال", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    chatter = FakeUser(fake, "گپ")
    await chatter.send("سلام به همه", chat=group)
    await chatter.send_photo("عکس", chat=group)
    await chatter.send("/start", chat=group)
    await chatter.send("/help")  # updates are handled in order: when this is answered, the others were seen
    await chatter.next_message()
    database = sqlite3.connect(runner.settings.database_path)
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)
    assert fake.history(group.id, from_bot=True) == []  # the bot does not chatter in the group
