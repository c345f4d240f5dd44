"""One conversation, not two: a reply written in the bot to a comment of the discussion group appears in the
group's thread, posted by the bot naming the author, paced within the group's budget and never dropped."""

from __future__ import annotations

import pytest

from bot import ratelimit
from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser, FloodLimits
from tests.test_discussion import open_discussion
from tests.test_group_moderation import setup
from tests.test_moderation import ask
from tests.test_review_queue import comment_id, reply_in_bot


def mirrors(fake: FakeTelegram, group: FakeChat, marker: str) -> list[FakeMessage]:
    return [m for m in fake.history(group.id, from_bot=True) if marker in (m.text_or_none or "")]


async def test_a_reply_in_the_bot_reaches_the_group_thread_and_answers_to_it_come_back(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "Sara")
    group.members[ali.id] = "member"
    first = await ali.send("نظر علی در گروه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    payload = database.execute("SELECT public_id FROM articles").fetchone()[0]

    await sara.send("/start")
    await sara.next_message()
    page = await open_discussion(sara, f"a{payload}")
    saved = await reply_in_bot(sara, runner, page, comment_id(runner, "نظر علی در گروه"), "پاسخ سارا از ربات")
    assert "ثبت شد" in saved.text
    mirrored = (await fake.wait_for(lambda: mirrors(fake, group, "پاسخ سارا از ربات")))[0]
    assert mirrored.reply_to == first.message_id  # in the thread, under Ali's message
    assert "Sara" in mirrored.text and mirrored.sender["id"] == fake.bot_user["id"]

    # Ali answers the bot's message in the group: a reply to Sara's comment, and Sara hears of it.
    sara_id = comment_id(runner, "پاسخ سارا از ربات")
    await fake.wait_for(lambda: database.execute("SELECT tg_chat_id, tg_message_id FROM comments WHERE id = ?",
                                                 (sara_id,)).fetchone() == (group.id, mirrored.message_id))  # fmt: skip
    await ali.send("جواب علی به سارا", chat=group, reply_to=mirrored.message_id, thread_id=root.message_id)
    await fake.wait_for(
        lambda: (
            database.execute("SELECT parent_id FROM comments WHERE text = ?", ("جواب علی به سارا",)).fetchone()
            == (sara_id,)
        )
    )
    notice = await fake.wait_for(lambda: [m for m in sara.received() if "جواب علی به سارا" in (m.text_or_none or "")])
    assert "پاسخ داد" in notice[0].text
    assert len(mirrors(fake, group, "جواب علی")) == 0  # group messages are not copied back into the group

    # Sara deletes her comment: its copy leaves the group.
    await runner.services.discussion.delete(sara_id, sara.id)
    await fake.wait_for(lambda: mirrored.deleted)


async def test_a_mirrored_reply_deleted_after_48_hours_is_left_to_the_admins(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """A reader deletes, days later, a reply the bot had copied into the group: Telegram no longer lets the bot
    delete that copy, so the admins hear (once) that it is still in the group."""
    runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    await owner.send("/start")
    await owner.next_message()
    ali, sara = FakeUser(fake, "علی"), FakeUser(fake, "Sara")
    await ali.send("نظر علی در گروه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    payload = database.execute("SELECT public_id FROM articles").fetchone()[0]
    page = await open_discussion(sara, f"a{payload}")
    await reply_in_bot(sara, runner, page, comment_id(runner, "نظر علی در گروه"), "پاسخ سارا از ربات")
    mirrored = (await fake.wait_for(lambda: mirrors(fake, group, "پاسخ سارا از ربات")))[0]
    sara_id = comment_id(runner, "پاسخ سارا از ربات")
    # The comment points at its copy in the group once that is sent (its own message id may be the same number).
    await fake.wait_for(lambda: database.execute("SELECT tg_chat_id, tg_message_id FROM comments WHERE id = ?",
                                                 (sara_id,)).fetchone() == (group.id, mirrored.message_id))  # fmt: skip
    mirrored.date -= 3 * 86400
    fake.allow_errors("message can't be deleted")
    await runner.services.discussion.delete(sara_id, sara.id)
    told = await owner.next_message()
    assert "۴۸ ساعت" in told.text and "خودتان در گروه حذف کنید" in told.text
    assert not mirrored.deleted
    assert database.execute("SELECT status FROM comments WHERE id = ?", (sara_id,)).fetchone() == ("deleted",)


async def test_mirrors_are_paced_for_the_group_and_none_is_dropped(
    start_bot, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    # A group that takes two at once and then one a second, and a sender that does not pace itself: every
    # reply beyond the budget meets Telegram's 429 and must still arrive, in order.
    fake.limits = FloodLimits(group_per_minute=60, group_burst=2)
    fake.allow_errors("Too Many Requests")
    monkeypatch.setattr(ratelimit, "GROUP_PER_MINUTE", 6000)  # the bot's own pacing off for groups
    monkeypatch.setattr(ratelimit, "GROUP_BURST", 100.0)
    monkeypatch.setattr(ratelimit, "GROUP_SPACING", 0.0)
    ali = FakeUser(fake, "علی")
    group.members[ali.id] = "member"
    await ali.send("نظر علی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    parent = comment_id(runner, "نظر علی")
    payload = database.execute("SELECT public_id FROM articles").fetchone()[0]
    texts = []
    for writer_index in range(2):
        writer = FakeUser(fake, f"نویسنده {writer_index}")
        page = await open_discussion(writer, f"a{payload}")
        for i in range(3):
            texts.append(f"پاسخ {writer_index}-{i}")
            await reply_in_bot(writer, runner, page, parent, texts[-1])
    arrived = await fake.wait_for(lambda: len(found := mirrors(fake, group, "پاسخ ")) == len(texts) and found, 20)
    assert [next(t for t in texts if t in m.text) for m in arrived] == texts
    assert any(call.status == 429 for call in fake.calls_of("sendMessage"))
    unsent = database.execute("SELECT count(*) FROM outbox WHERE kind = 'group_mirror' AND state != 'sent'")
    assert unsent.fetchone() == (0,)


async def test_the_sender_keeps_a_group_within_twenty_messages_a_minute(
    start_bot, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Telegram's 20 a minute per group, with a burst of two on both sides so that three replies must be paced
    # (private chats left loose: they are not what is measured here).
    monkeypatch.setattr(ratelimit, "GROUP_BURST", 2.0)
    runner, group, root, database = await setup(start_bot, fake, channel)
    fake.limits = FloodLimits(private_per_second=30, private_burst=30, group_burst=2)
    ali = FakeUser(fake, "علی")
    group.members[ali.id] = "member"
    await ali.send("نظر علی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    writer = FakeUser(fake, "نویسنده")
    page = await open_discussion(writer, f"a{database.execute('SELECT public_id FROM articles').fetchone()[0]}")
    for i in range(3):
        await reply_in_bot(writer, runner, page, comment_id(runner, "نظر علی"), f"پاسخ شمارهٔ {i}")
    await fake.wait_for(lambda: len(mirrors(fake, group, "پاسخ شمارهٔ")) == 3, 15)
    sends = [c.at for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(group.id)]
    assert sends[-1] - sends[-3] >= 60 / 20 - 0.1  # the third waited for the group's budget
    assert not any(call.status == 429 for call in fake.calls)  # the pacing never meets Telegram's limit


async def test_a_held_reply_reaches_the_group_only_once_approved(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    owner = FakeUser(fake, "مالک", user_id=OWNER_ID)
    ali = FakeUser(fake, "علی")
    group.members[ali.id] = "member"
    await ali.send("نظر علی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    assert "همهٔ نظرها" in (await ask(owner, "/premod all")).text
    writer = FakeUser(fake, "نویسنده")
    page = await open_discussion(writer, f"a{database.execute('SELECT public_id FROM articles').fetchone()[0]}")
    held = await reply_in_bot(writer, runner, page, comment_id(runner, "نظر علی"), "پاسخ بررسی‌شده")
    assert "پس از بررسی" in held.text
    assert "تأیید شد" in (await ask(owner, f"/approve {comment_id(runner, 'پاسخ بررسی‌شده')}")).text
    mirrored = await fake.wait_for(lambda: mirrors(fake, group, "پاسخ بررسی‌شده"))
    assert len(mirrors(fake, group, "پاسخ بررسی‌شده")) == 1 and mirrored[0].reply_to is not None
