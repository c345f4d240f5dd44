"""Sanctions are stored intents: the group action stays pending until Telegram confirms, survives a restart
and is audited once."""

from __future__ import annotations

import sqlite3

from tests.conftest import CHANNEL, OWNER_ID
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser

GROUP_ID = -1002000


async def start(start_bot, fake: FakeTelegram, channel: FakeChat):
    group = fake.add_group(GROUP_ID, "گفت‌وگو", linked_channel=channel.id)
    runner = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    owner = FakeUser(fake, "Owner", user_id=OWNER_ID, language_code="en")
    rude = FakeUser(fake, "Rude")
    group.members[rude.id] = "member"
    await owner.send("/start")
    await owner.next_message()
    return runner, group, owner, rude


def rows(runner, sql: str) -> list[tuple]:
    with sqlite3.connect(runner.settings.database_path) as database:
        return database.execute(sql).fetchall()


async def test_a_ban_the_group_did_not_take_is_carried_there_after_a_restart(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner, group, owner, rude = await start(start_bot, fake, channel)
    fake.inject("banChatMember", 500, times=1)
    await owner.send(f"/ban {rude.id} spam")
    await owner.next_message()
    await fake.wait_for(lambda: fake.calls_of("banChatMember"))
    await fake.wait_for(lambda: rows(runner, "SELECT attempts, done_at FROM group_actions") == [(1, None)])
    assert group.members[rude.id] == "member"
    assert rows(runner, "SELECT user_id FROM bans") == [(rude.id,)]  # the reader is banned in the bot already

    await runner.stop()
    restarted = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await fake.wait_for(lambda: group.members[rude.id] == "kicked")
    await fake.wait_for(lambda: rows(restarted, "SELECT count(*) FROM group_actions WHERE done_at IS NULL") == [(0,)])
    assert rows(restarted, "SELECT action, target_id FROM audit_log") == [("ban", str(rude.id))]
    assert len([c for c in fake.calls_of("banChatMember") if c.status == 200]) == 1


async def test_a_ban_stored_before_the_process_stopped_reaches_the_group(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    """The process stops after the ban is stored and before banChatMember: the restart makes the call."""
    runner, group, owner, rude = await start(start_bot, fake, channel)

    async def stopped_before_the_call() -> int:
        return -1

    runner.services.sanctions.reconcile_group = stopped_before_the_call
    await owner.send(f"/mute {rude.id} 30m")
    await owner.next_message()
    assert rows(runner, "SELECT action, attempts, done_at FROM group_actions") == [("mute", 0, None)]
    await runner.stop()
    assert not fake.calls_of("restrictChatMember")

    restarted = await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await fake.wait_for(lambda: group.members[rude.id] == "restricted")
    assert rows(restarted, "SELECT action FROM audit_log") == [("mute",)]


async def test_a_refusal_for_good_is_not_retried(start_bot, fake: FakeTelegram, channel: FakeChat) -> None:
    runner, _group, owner, rude = await start(start_bot, fake, channel)
    fake.inject("banChatMember", 400, description="Bad Request: not enough rights to restrict/unrestrict chat member")
    fake.allow_errors("not enough rights")
    await owner.send(f"/ban {rude.id}")
    await owner.next_message()
    await fake.wait_for(lambda: rows(runner, "SELECT done_at IS NOT NULL, last_error IS NOT NULL FROM group_actions")
                        == [(1, 1)])  # fmt: skip
    await runner.stop()
    await start_bot(CHANNEL_ID=CHANNEL, DISCUSSION_GROUP_ID=str(GROUP_ID))
    await owner.send("/start")
    await owner.next_message()
    assert len(fake.calls_of("banChatMember")) == 1
