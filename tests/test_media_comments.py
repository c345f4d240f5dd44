"""Comments that carry media. Albums in a post's thread (Telegram sends one message per photo, the caption on the
first): one comment across restarts and crashes, held and approved whole. Edits of a held comment followed while it
waits for review. A photo sent to the bot in private chat as a comment: refused, and the reader told why and where."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.app import BotRunner
from tests.conftest import CHANNEL
from tests.crash import album_trial, database_path
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_discussion import open_discussion
from tests.test_first_day import GROUP_ID, in_thread, post_in_group

PARTS = "SELECT message_id, kind, file_id, words FROM album_parts ORDER BY message_id"
COMMENTS = "SELECT author_name, text, status FROM comments ORDER BY id"


def handled(database: sqlite3.Connection) -> bool:
    return database.execute("SELECT count(*) FROM inbox WHERE state = 'pending'").fetchone() == (0,)


async def photo(fake: FakeTelegram, user: FakeUser, group: FakeChat, root: FakeMessage, album: str,
                caption: str | None = None) -> FakeMessage:  # fmt: skip
    return await in_thread(fake, user, group, root, caption_or_none=caption, photo=True,
                           extra={"media_group_id": album})  # fmt: skip


async def test_an_album_cut_by_a_restart_is_one_held_comment_its_caption_edit_followed_and_approved_whole(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """A new installation with premoderation on. A reader's album: its first photo reaches the bot, which then
    restarts; the other two arrive while it is down, and the reader adds a caption to the third. After the
    restart it is one comment with all three photos, out of the group with one notice; the moderator sees the
    edited caption; approved, the bot posts the three photos back as one album, and the pages show them."""
    runner, group, post, root, database, _ = await post_in_group(start_bot, fake, channel, owner, "/premod all")
    reza = FakeUser(fake, "رضا")
    first = await photo(fake, reza, group, root, "album-r", "سه عکس از محل حادثه")
    await fake.wait_for(lambda: first.deleted and handled(database), 10)

    await runner.stop()
    second = await photo(fake, reza, group, root, "album-r")
    third = await photo(fake, reza, group, root, "album-r")
    third.caption_or_none = "عکس سوم: خیابان بسته"
    third.edits += 1
    await fake.deliver("edited_message", third.to_json(fake))
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await fake.wait_for(lambda: second.deleted and third.deleted and handled(database), 10)

    text = "🖼🖼🖼 سه عکس از محل حادثه\nعکس سوم: خیابان بسته"
    assert database.execute(COMMENTS).fetchall() == [("رضا", text, "pending")]
    assert database.execute(PARTS).fetchall() == [
        (first.message_id, "photo", f"photo{first.message_id}", "سه عکس از محل حادثه"),
        (second.message_id, "photo", f"photo{second.message_id}", ""),
        (third.message_id, "photo", f"photo{third.message_id}", "عکس سوم: خیابان بسته"),
    ]
    assert database.execute("SELECT edited_at FROM comments").fetchone() == (None,)  # no reader saw it before
    notices = [m for m in fake.history(group.id, from_bot=True) if "بررسی" in (m.text_or_none or "")]
    assert len(notices) == 1

    await owner.send("/queue")
    queue = await owner.next_message()
    assert "سه عکس از محل حادثه" in queue.text and "خیابان بسته" in queue.text
    await owner.press(queue, "دیدن عکس‌ها (۳)")  # out of the group at once: the moderator sees them here
    shown = await fake.wait_for(lambda: [m for m in owner.received() if m.photo][:3] or None, 10)
    assert len(shown) == 3 and shown[0].caption_or_none is not None and shown[0].caption.startswith("#")
    [to_moderator, *_] = [c for c in fake.calls_of("sendMediaGroup") if c.result is not None]
    assert [item["media"] for item in json.loads(to_moderator.params["media"])] == [
        f"photo{m.message_id}" for m in (first, second, third)
    ]
    comment_id = database.execute("SELECT id FROM comments").fetchone()[0]
    await owner.send(f"/approve {comment_id}")
    await owner.next_message()
    reposted = await fake.wait_for(lambda: [m for m in fake.history(group.id, from_bot=True) if m.photo], 10)
    await asyncio.sleep(0.3)  # had the bot sent more photos, one by one, they would be here too
    reposted = [m for m in fake.history(group.id, from_bot=True) if m.photo]
    assert len(reposted) == 3 and len({m.extra["media_group_id"] for m in reposted}) == 1
    [album_call] = [c for c in fake.calls_of("sendMediaGroup") if c.result is not None and c is not to_moderator]
    assert [item["media"] for item in json.loads(album_call.params["media"])] == [
        f"photo{m.message_id}" for m in (first, second, third)
    ]
    assert reposted[0].caption == "💬 رضا:\nسه عکس از محل حادثه\nعکس سوم: خیابان بسته"
    assert reposted[1].caption_or_none is None and reposted[0].reply_to == root.message_id
    assert database.execute("SELECT status FROM comments").fetchone() == ("published",)
    await fake.wait_for(lambda: post.button("نظرات")["text"] == "💬 نظرات (۱)", 10)
    page = await open_discussion(FakeUser(fake, "خواننده"), post.button("نظرات")["url"].split("start=")[1])
    assert "🖼🖼🖼 سه عکس از محل حادثه" in page.text


async def test_an_approved_album_whose_captions_pass_telegrams_caption_limit_keeps_photos_and_words(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """Two photos of a held album each with a long caption of its own: together past the 1,024 characters of a
    caption, so the approved album comes back without one, followed by the words as a message."""
    _, group, _, root, database, _ = await post_in_group(start_bot, fake, channel, owner, "/premod all")
    mina = FakeUser(fake, "مینا")
    words = ["گزارش اول " + "از محل حادثه " * 45, "گزارش دوم " + "از خیابان کناری " * 40]
    photos = [await photo(fake, mina, group, root, "album-long", caption) for caption in words]
    await fake.wait_for(lambda: all(m.deleted for m in photos) and handled(database), 10)
    await owner.send(f"/approve {database.execute('SELECT id FROM comments').fetchone()[0]}")
    await owner.next_message()
    text = await fake.wait_for(
        lambda: [m for m in fake.history(group.id, from_bot=True) if "گزارش دوم" in (m.text_or_none or "")], 10
    )
    reposted = [m for m in fake.history(group.id, from_bot=True) if m.photo]
    assert len(reposted) == 2 and all(m.caption_or_none is None for m in reposted)
    assert text[0].text == f"💬 مینا:\n🖼🖼 {words[0].strip()}\n{words[1].strip()}"
    assert reposted[0].message_id < text[0].message_id and text[0].reply_to == root.message_id


async def test_a_shown_album_is_taken_down_whole_and_a_reply_to_any_photo_answers_it(
    bot: BotRunner, start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """Without premoderation an album stays in the group as one comment; an answer to its second photo is a
    reply to that comment, and a moderator's /del on the album takes every photo out of the group."""
    await bot.stop()
    _, group, _, root, database, _ = await post_in_group(start_bot, fake, channel, owner, "/help")
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    photos = [await photo(fake, ali, group, root, "album-a", "دو عکس" if i == 0 else None) for i in range(2)]
    answer = await sara.send("عکس دوم واضح نیست", chat=group, reply_to=photos[1].message_id,
                             thread_id=root.message_id)  # fmt: skip
    await fake.wait_for(lambda: handled(database) and len(database.execute(COMMENTS).fetchall()) == 2, 10)
    album_id, reply_parent = database.execute(
        "SELECT a.id, r.parent_id FROM comments a JOIN comments r ON r.tg_message_id = ? WHERE a.parent_id IS NULL",
        (answer.message_id,),
    ).fetchone()
    assert reply_parent == album_id and not any(m.deleted for m in photos)
    await owner.send(f"/del {album_id}")
    await owner.next_message()
    await fake.wait_for(lambda: all(m.deleted for m in photos), 10)
    assert not answer.deleted


async def test_kill_9_in_the_middle_of_an_album_keeps_it_one_comment_with_every_photo(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """The real bot process killed (SIGKILL) while a held album's photos arrive, then started again: one comment
    with all its photos, each taken out of the group, and one notice (`make crash`'s album scenario)."""
    trial = await album_trial(fake, tmp_path, kill_after=random.randint(1, 8), photos=10)
    assert trial.killed_at < 10, "killed after the album, not in it"
    assert trial.lost == 0 and trial.duplicates == 0, trial
    assert not trial.notes, trial.notes
    assert trial.integrity == "ok"
    database = sqlite3.connect(database_path(tmp_path))
    assert database.execute("SELECT text, status FROM comments").fetchall() == [
        ("🖼" * 10 + " آلبوم آزمایشی", "pending")
    ]


async def test_an_edit_while_held_is_what_the_moderator_judges_and_what_approval_posts(
    start_bot: Callable[..., Any], fake: FakeTelegram, channel: FakeChat, owner: FakeUser
) -> None:
    """Premoderation on and the bot restarting: a reader's text comment and another's photo arrive, and both
    edit them before the bot is back. The moderator sees the edited text; the approved comment is posted with
    it; the photo whose caption was edited into a banned word leaves the queue."""
    runner, group, _, root, database, _ = await post_in_group(start_bot, fake, channel, owner, "/premod all")
    await owner.send("/filter add banned کلمهبد")
    await owner.next_message()
    await runner.stop()
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "سارا")
    text = await ali.send("نظر نخست با غلط", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    picture = await in_thread(fake, sara, group, root, caption_or_none="عکس از محل", photo=True)
    for message, edited in ((text, "نظر نخست، درست‌شده"), (picture, "عکس کلمهبد")):
        if message.text_or_none is not None:
            message.text = edited
        else:
            message.caption_or_none = edited
        message.edits += 1
        await fake.deliver("edited_message", message.to_json(fake))
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await fake.wait_for(lambda: text.deleted and picture.deleted and handled(database), 10)
    assert database.execute(COMMENTS).fetchall() == [
        ("علی", "نظر نخست، درست‌شده", "pending"),
        ("سارا", "🖼 عکس از محل", "deleted"),  # removed, not stored with the banned word
    ]
    await owner.send("/queue")
    queue = await owner.next_message()
    assert "نظر نخست، درست‌شده" in queue.text and "غلط" not in queue.text and "کلمهبد" not in queue.text
    comment_id = database.execute("SELECT id FROM comments WHERE author_name = 'علی'").fetchone()[0]
    await owner.send(f"/approve {comment_id}")
    await owner.next_message()
    reposted = await fake.wait_for(
        lambda: [m for m in fake.history(group.id, from_bot=True) if "درست‌شده" in (m.text_or_none or "")], 10
    )
    assert reposted[0].text == "💬 علی:\nنظر نخست، درست‌شده" and reposted[0].reply_to == root.message_id
    assert not [m for m in fake.history(group.id, from_bot=True) if m.photo]


async def test_a_photo_sent_to_the_bot_as_a_comment_is_refused_with_why_and_where_and_the_words_still_taken(
    posted: tuple[BotRunner, str, FakeMessage], fake: FakeTelegram
) -> None:
    """Readers comment in private chat, where the bot's pages show text only: a photo would be a comment nobody
    sees. The reader hears so in their language, the bot keeps waiting, and the words sent next are the comment."""
    runner, payload, _ = posted
    database = sqlite3.connect(runner.settings.database_path)
    for reader, write, refusal, saved in (
        (FakeUser(fake, "مریم"), "نوشتن نظر", "صفحه‌های نظر ربات فقط متن", "ثبت شد"),
        (FakeUser(fake, "Sam", language_code="en"), "Write a comment", "comment pages show only text", "posted"),
    ):
        page = await open_discussion(reader, payload) if reader.json.get("language_code") == "fa" else None
        if page is None:
            await reader.send(f"/start {payload}")
            page = await reader.next_message()
        await reader.press(page, write)
        await reader.next_message()
        await reader.send_photo("عکس از صف نانوایی")
        answer = (await reader.next_message()).text
        assert refusal in answer and "/cancel" in answer
        assert database.execute("SELECT count(*) FROM comments WHERE author_id = ?", (reader.id,)).fetchone() == (0,)
        await reader.send("صف نانوایی امروز طولانی بود")
        assert saved in (await reader.next_message()).text
        stored = database.execute("SELECT text, media_kind FROM comments WHERE author_id = ?", (reader.id,))
        assert stored.fetchall() == [("صف نانوایی امروز طولانی بود", None)]
