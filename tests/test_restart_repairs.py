"""What a crash leaves half-done between two steps is finished at the next start, once: a /ban handled again,
a channel post confirmed just before the process died, a comment whose button edit was never queued."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from bot.news import publisher as publisher_module
from storage.db import Database
from storage.inbox import InboxRepository
from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.test_durable_fanout import subscribe
from tests.test_news import channel_posts
from tests.test_reliability import thread_in_group
from tests.test_subscriptions import PRESIDENT, publish


def rows(runner: Any, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(runner.settings.database_path) as database:
        return database.execute(sql, params).fetchall()


def write(runner: Any, sql: str, params: tuple = ()) -> None:
    with sqlite3.connect(runner.settings.database_path) as database:
        database.execute(sql, params)


async def test_a_ban_handled_again_after_a_crash_is_stored_audited_and_carried_once(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, root = await thread_in_group(start_bot, fake, channel)
    owner = FakeUser(fake, "Owner", user_id=OWNER_ID)
    rude = FakeUser(fake, "Rude")
    group.members[rude.id] = "member"
    insult = fake.store(FakeMessage(chat=group, message_id=fake.next_message_id(group.id), date=int(time.time()),
                                    sender=rude.json, text_or_none="ناسزا", reply_to=root.message_id,
                                    thread_id=root.message_id))  # fmt: skip
    await owner.send("/ban spam", chat=group, reply_to=insult.message_id, thread_id=root.message_id)
    command = max(fake.delivered)
    await fake.wait_for(lambda: group.members[rude.id] == "kicked")
    await fake.wait_for(lambda: rows(runner, "SELECT state FROM inbox WHERE update_id = ?", (command,)) == [("done",)])
    await runner.stop()
    # The process died after the ban's transaction and before the update was marked handled: it is handled again.
    write(runner, "UPDATE inbox SET state = 'pending' WHERE update_id = ?", (command,))

    restarted = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(group.id))
    await fake.wait_for(lambda: rows(restarted, "SELECT state FROM inbox WHERE update_id = ?", (command,))
                        == [("done",)], 10)  # fmt: skip
    assert rows(restarted, "SELECT action, target_id FROM audit_log WHERE action = 'ban'") == [("ban", str(rude.id))]
    assert rows(restarted, "SELECT count(*) FROM group_actions") == [(1,)]
    assert len([c for c in fake.calls_of("banChatMember") if c.result is not None]) == 1


async def test_a_post_confirmed_just_before_a_crash_is_marked_posted_and_alerts_its_readers(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    readers = await subscribe(fake, "فوری", 2)
    article_id = await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    await fake.wait_for(lambda: all("برنامه" in (r.received()[-1].text_or_none or "") for r in readers))
    await runner.stop()
    # As the database stood when the process died right after Telegram confirmed the post: the outbox row is
    # sent, the article not yet marked posted, no alert queued.
    write(runner, "UPDATE articles SET state = 'queued', channel_chat_id = NULL, channel_message_id = NULL, "
                  "posted_at = NULL WHERE id = ?", (article_id,))  # fmt: skip
    write(runner, "DELETE FROM outbox WHERE kind = 'alert'")
    write(runner, "DELETE FROM fanouts_done")
    write(runner, "UPDATE outbox SET after_sent_pending = 1 WHERE idempotency_key = ?", (f"post:{article_id}",))
    alerts_before = [len(r.received()) for r in readers]

    restarted = await start_bot(CHANNEL_ID=CHANNEL)
    post = channel_posts(fake, channel)[-1]
    await fake.wait_for(lambda: rows(restarted, "SELECT state, channel_message_id FROM articles WHERE id = ?",
                                     (article_id,)) == [("posted", post.message_id)], 10)  # fmt: skip
    await fake.wait_for(lambda: all(len(r.received()) == n + 1 for r, n in zip(readers, alerts_before, strict=True)))
    assert len(channel_posts(fake, channel)) == 1  # not posted again
    await fake.wait_for(lambda: rows(restarted, "SELECT count(*) FROM outbox WHERE after_sent_pending = 1") == [(0,)])


async def test_a_comment_button_left_behind_by_a_crash_shows_the_true_count_after_restart(
    start_bot, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publisher_module, "BUTTON_EDIT_INTERVAL", 0.5)  # one edit per 30 s, time-compressed
    runner, group, root = await thread_in_group(start_bot, fake, channel)
    writer = FakeUser(fake, "نویسنده")
    await writer.send("نظر نخست", chat=group, reply_to=root.message_id, thread_id=root.message_id)
    post = channel_posts(fake, channel)[0]
    await fake.wait_for(lambda: "(۱)" in post.buttons[0]["text"] or "(1)" in post.buttons[0]["text"], 10)
    await fake.wait_for(lambda: rows(runner, "SELECT button_count FROM articles") == [(1,)])
    article_id = rows(runner, "SELECT id FROM articles")[0][0]
    await runner.stop()
    # Two more comments committed by a process that died before it queued the button's edit.
    for number in (2, 3):
        write(runner, "INSERT INTO comments (article_id, author_id, author_name, text, matching, status, created_at, "
                      "origin) VALUES (?, ?, 'نویسنده', 'نظر', 'نظر', 'published', ?, 'bot')",
              (article_id, writer.id + number, int(time.time())))  # fmt: skip
    assert rows(runner, "SELECT comment_count, button_count FROM articles") == [(3, 1)]

    restarted = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(group.id))
    await fake.wait_for(lambda: "(۳)" in post.buttons[0]["text"] or "(3)" in post.buttons[0]["text"], 10)
    await fake.wait_for(lambda: rows(restarted, "SELECT button_count FROM articles") == [(3,)])


async def test_what_an_update_did_is_forgotten_with_it_but_not_while_it_waits(tmp_path: Path) -> None:
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        inbox = InboxRepository(db)
        await inbox.store([{"update_id": 1}, {"update_id": 2}], 1000.0)
        seqs = [row.seq for row in await inbox.pending_after(0, 10)]
        await inbox.mark_done(seqs[:1], 1000.0)  # update 1 handled; update 2 still waits (the bot was down)
        for update_id in (1, 2):
            effect = "INSERT INTO update_effects (update_id, effect, created_at) VALUES (?, 'bans:ban:7', 1000)"
            await db.execute(effect, (update_id,))
        await inbox.prune(5000.0)
        assert [tuple(row) for row in await db.fetchall("SELECT update_id FROM update_effects")] == [(2,)]
        assert [row.update_id for row in await inbox.pending_after(0, 10)] == [2]
