"""Walking the discussion group as a newcomer admin and its readers would: what each of them sees, and what is kept."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from bot.clock import ManualClock
from tests.conftest import OWNER_ID
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser, FloodLimits
from tests.test_discussion import open_discussion
from tests.test_group_mirror import mirrors
from tests.test_group_moderation import bot_texts, calls, setup
from tests.test_review_queue import comment_id, reply_in_bot


async def test_a_ban_the_group_refuses_is_told_once_to_its_admin_and_holds_in_the_bot(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    group.bot_lacks.add("can_restrict_members")  # an admin that may delete messages, not ban
    fake.allow_errors("not enough rights to restrict")
    admin = FakeUser(fake, "Owner", user_id=OWNER_ID, language_code="en")
    await admin.send("/start")
    await admin.next_message()
    rude, loud = FakeUser(fake, "تندخو"), FakeUser(fake, "پرسروصدا")
    group.members.update({rude.id: "member", loud.id: "member"})
    before = len(admin.received())

    await admin.send(f"/ban {rude.id}")
    await admin.send(f"/mute {loud.id} 30m")
    await fake.wait_for(lambda: [m.text for m in admin.received()[before:] if "Ban users" in m.text], 10)
    assert int(database.execute("SELECT count(*) FROM group_actions WHERE done_at IS NOT NULL").fetchone()[0]) == 2
    await asyncio.sleep(0.3)
    notices = [m.text for m in admin.received()[before:] if "Ban users" in m.text]
    assert len(notices) == 1 and str(rude.id) in notices[0] and "holds only in the bot" in notices[0]
    assert group.members[rude.id] == "member" and not calls(fake, "banChatMember")
    assert database.execute("SELECT user_id, by_user FROM bans").fetchall() == [(rude.id, OWNER_ID)]
    assert database.execute("SELECT actor FROM group_actions ORDER BY id").fetchall() == [(OWNER_ID,), (OWNER_ID,)]

    # The ban holds for the bot's pages: the banned reader's message in the thread leaves the group, unstored.
    message = await rude.send("هنوز اینجا هستم", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: message.deleted)
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)
    assert not any("Ban users" in text or "مسدود کردن کاربران" in text for text in bot_texts(fake, group))
    await asyncio.sleep(0.3)
    assert len([m for m in admin.received()[before:] if "Ban users" in m.text]) == 1  # once, not per refusal


async def test_replies_without_a_choice_says_what_it_is_now_and_how_to_change_it(start_bot, fake: FakeTelegram) -> None:
    runner = await start_bot()
    reader = FakeUser(fake, "خواننده")
    await reader.send("/start")
    await reader.next_message()
    await reader.send("/replies")
    assert (await reader.next_message()).text == (
        "خبر دادن پاسخ‌ها روشن است: وقتی کسی به نظرتان پاسخ دهد خبرتان می‌کنم. خاموش کردن: /replies off"
    )
    await reader.send("/replies off")
    await reader.next_message()
    await reader.send("/replies")
    assert "خاموش است" in (answer := (await reader.next_message()).text) and "/replies on" in answer
    database = sqlite3.connect(runner.settings.database_path)
    assert database.execute("SELECT reply_notifications FROM users WHERE id = ?", (reader.id,)).fetchone() == (0,)


async def test_a_reader_whose_group_message_the_rules_remove_hears_why_privately_and_the_group_hears_nothing(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    await runner.services.screener.add_filter(OWNER_ID, "banned", "کثافت")
    known, stranger = FakeUser(fake, "آشنا", language_code="en"), FakeUser(fake, "غریبه")
    await known.send("/start")
    await known.next_message()
    group.members[known.id] = "member"  # the stranger is not even a member: a linked group lets anyone comment
    first = await known.send("این کثافت است", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    second = await stranger.send("آن کثافت بود", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: first.deleted and second.deleted)
    told = await known.next_message()
    assert told.text.startswith("🗑 Your message in the discussion group was removed.")
    assert "“\u2067کثافت\u2069” is not allowed" in told.text and "این کثافت است" in told.text
    fake.allow_errors("message to delete not found")
    await fake.deliver("message", first.to_json(fake))  # delivered again (a restart): asked to go, not told twice
    await known.send("/help")
    assert "/language" in (await known.next_message()).text
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)
    assert bot_texts(fake, group) == []  # the thread is not told of the word, nor of who wrote it
    assert stranger.received() == []


async def test_moderators_lists_asked_for_in_the_group_are_answered_only_in_private(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    await runner.services.screener.add_filter(OWNER_ID, "banned", "کثافت")
    moderator, lurker = FakeUser(fake, "مالک", user_id=OWNER_ID), FakeUser(fake, "کنجکاو")
    group.members.update({moderator.id: "administrator", lurker.id: "member"})
    await moderator.send("/start")
    await moderator.next_message()
    asked = await moderator.send("/filter list", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    pointer = await moderator.next_message()
    assert "/filter" in pointer.text and "فقط برای مدیران" in pointer.text
    await moderator.send("/filter list")
    assert "کثافت" in (await moderator.next_message()).text  # in private the list is there
    await moderator.send("/modlog", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await moderator.next_message()
    # A reader who never wrote to the bot is pointed to it in the thread (the group's /help answer).
    await lurker.send("/queue", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: any("گفت‌وگوی خصوصی" in text for text in bot_texts(fake, group)), 10)
    await fake.wait_for(lambda: asked.deleted)  # the command and its words leave the thread
    assert not any("کثافت" in text or "گزارش" in text for text in bot_texts(fake, group))
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (0,)


async def test_readers_trying_moderators_commands_in_the_group_are_refused_privately_not_in_the_thread(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    fake.limits = FloodLimits()  # Telegram's: 20 messages a minute to one group
    _runner, group, root, database = await setup(start_bot, fake, channel)
    writer = FakeUser(fake, "نویسنده")
    note = await writer.send("نظر من", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    known = FakeUser(fake, "آشنا")
    await known.send("/start")
    await known.next_message()
    await known.send("/ban", chat=group, reply_to=note.message_id, thread_id=root.message_id)
    assert "فقط برای" in (await known.next_message()).text
    strangers = [FakeUser(fake, f"ناشناس {i}") for i in range(25)]
    for stranger in strangers:
        await stranger.send("/del", chat=group, reply_to=note.message_id, thread_id=root.message_id)
    # The thread goes on at once: its updates do not wait behind 25 refusals paced at 20 a minute.
    await writer.send("نظر بعدی", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (2,), 10)
    refusals = [text for text in bot_texts(fake, group) if "فقط برای" in text]
    assert len(refusals) == 1  # one answer a minute for those the bot may not write to
    assert not note.deleted and database.execute("SELECT status FROM comments WHERE text = 'نظر من'").fetchone() == (
        "published",
    )


async def test_a_group_message_edited_into_a_banned_word_leaves_and_its_author_hears_why(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root, database = await setup(start_bot, fake, channel)
    await runner.services.screener.add_filter(OWNER_ID, "banned", "کثافت")
    writer = FakeUser(fake, "نویسنده")
    await writer.send("/start")
    await writer.next_message()
    note = await writer.send("نظر خوب", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    note.text = "نظر کثافت"
    note.edits += 1
    await fake.deliver("edited_message", note.to_json(fake))
    await fake.wait_for(lambda: note.deleted)
    told = await writer.next_message()
    assert told.text.startswith("🗑 پیام شما در گروه گفت‌وگو حذف شد.") and "نظر کثافت" in told.text
    assert database.execute("SELECT status, text FROM comments").fetchone() == ("deleted", "نظر خوب")
    assert bot_texts(fake, group) == []


async def test_a_moderator_acting_by_reply_in_the_group_hears_back_in_private_and_the_thread_stays_clean(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel)
    moderator, rude = FakeUser(fake, "ناظر", language_code="en"), FakeUser(fake, "تندخو")
    group.members.update({moderator.id: "administrator", rude.id: "member"})
    await moderator.send("/start")
    await moderator.next_message()
    insult = await rude.send("پیام بد", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    ban = await moderator.send("/ban 1d spam", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    assert "is banned" in (await moderator.next_message()).text  # in the moderator's language, to them
    delete = await moderator.send("/del", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    assert "deleted" in (await moderator.next_message()).text
    await fake.wait_for(lambda: insult.deleted and ban.deleted and delete.deleted)
    assert bot_texts(fake, group) == []  # neither the reason nor the ids are read out to the thread
    assert group.members[rude.id] == "kicked"
    assert database.execute("SELECT status FROM comments").fetchone() == ("deleted",)
    assert [row[0] for row in database.execute("SELECT action FROM audit_log ORDER BY id")] == ["ban", "delete"]


async def test_thirty_readers_in_a_minute_are_all_kept_and_the_bots_own_answers_all_reach_the_thread(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    fake.limits = FloodLimits()  # Telegram's: 20 messages a minute to one group
    fake.allow_errors("Too Many Requests")
    runner, group, root, database = await setup(start_bot, fake, channel)
    readers = [FakeUser(fake, f"خواننده {i}") for i in range(30)]
    for i, reader in enumerate(readers):
        await reader.send(f"نظر شمارهٔ {i}", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (30,), 15)
    payload = database.execute("SELECT public_id FROM articles").fetchone()[0]
    writer = FakeUser(fake, "نویسنده در ربات")
    page = await open_discussion(writer, f"a{payload}")
    for i in range(3):
        await reply_in_bot(writer, runner, page, comment_id(runner, f"نظر شمارهٔ {i}"), f"پاسخ از ربات {i}")
    await fake.wait_for(lambda: len(mirrors(fake, group, "پاسخ از ربات")) == 3, 15)
    texts = {row[0] for row in database.execute("SELECT text FROM comments WHERE origin = 'group'")}
    assert texts == {f"نظر شمارهٔ {i}" for i in range(30)}
    assert not any(m.deleted for m in fake.history(group.id)) and not calls(fake, "restrictChatMember")


async def test_a_moderator_deleting_a_group_message_past_48_hours_hears_it_stays_in_the_group(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    clock = ManualClock(wall=time.time(), monotonic=0.0)
    _runner, group, root, database = await setup(start_bot, fake, channel, clock=clock)
    moderator, rude = FakeUser(fake, "ناظر"), FakeUser(fake, "تندخو")
    group.members.update({moderator.id: "administrator", rude.id: "member"})
    await moderator.send("/start")
    await moderator.next_message()
    old = await rude.send("پیام کهنه", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    await fake.wait_for(lambda: database.execute("SELECT count(*) FROM comments").fetchone() == (1,))
    clock.advance(49 * 3600)
    old.date -= 49 * 3600  # Telegram's clock moved on too
    await moderator.send("/del", chat=group, reply_to=old.message_id, thread_id=root.message_id)
    told = (await moderator.next_message()).text
    assert told.startswith("🗑 نظر #۱ از صفحه‌های ربات حذف شد") and "۴۸ ساعت" in told and "خودتان" in told
    assert not old.deleted and database.execute("SELECT status FROM comments").fetchone() == ("deleted",)
    assert not [call for call in fake.calls_of("deleteMessage") if call.params.get("message_id") == str(old.message_id)]


async def test_a_reader_muted_for_flooding_the_group_hears_it_privately(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    _runner, group, root, database = await setup(start_bot, fake, channel, COMMENTS_PER_MINUTE="3")
    flooder = FakeUser(fake, "پرحرف")
    await flooder.send("/start")
    await flooder.next_message()
    group.members[flooder.id] = "member"
    sent = [await flooder.send(f"پیام {i}", chat=group, reply_to=root.message_id, thread_id=root.message_id)
            for i in range(4)]  # fmt: skip
    await fake.wait_for(lambda: sent[3].deleted)
    told = (await flooder.next_message()).text
    assert told.startswith("🗑 پیام شما در گروه گفت‌وگو حذف شد.") and "۱۰ دقیقهٔ دیگر" in told and "پیام 3" in told
    assert group.members[flooder.id] == "restricted"
    assert database.execute("SELECT count(*) FROM comments").fetchone() == (3,)
