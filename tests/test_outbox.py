"""The outbox sender: per-chat pacing and 429s, blocked users, refused messages, fallbacks, restarts."""

from __future__ import annotations

import sqlite3
import time

from bot.app import BotRunner
from tests.conftest import services_of
from tests.fake_telegram import FakeTelegram, FakeUser


async def enqueue(runner: BotRunner, key: str, chat_id: int | str, text: str, **extra) -> None:
    await services_of(runner).outbox.enqueue(
        key, "notification", chat_id, "sendMessage", {"chat_id": chat_id, "text": text} | extra, time.time()
    )
    services_of(runner).wake_sender()


def states(runner: BotRunner) -> dict[str, str]:
    rows = sqlite3.connect(runner.settings.database_path).execute("SELECT idempotency_key, state FROM outbox")
    return dict(rows.fetchall())


async def test_a_key_is_sent_once_even_when_queued_twice(bot: BotRunner, fake: FakeTelegram, user: FakeUser) -> None:
    await user.send("/start")
    await user.next_message()
    await enqueue(bot, "hello:1", user.id, "پیام یک")
    await enqueue(bot, "hello:1", user.id, "پیام یک")
    assert (await user.next_message()).text == "پیام یک"
    await fake.wait_for(lambda: states(bot).get("hello:1") == "sent")
    assert [m.text_or_none for m in user.received()].count("پیام یک") == 1


async def test_a_blocked_user_is_marked_unreachable_and_skipped(
    bot: BotRunner, fake: FakeTelegram, user: FakeUser
) -> None:
    fake.allow_errors("blocked")
    await user.send("/start")
    await user.next_message()
    user.block_bot()
    for i in range(3):
        await enqueue(bot, f"n:{i}", user.id, f"خبر {i}")
    await fake.wait_for(lambda: set(states(bot).values()) == {"dead"}, 10)
    assert len(fake.calls_of("sendMessage")) == 2  # the welcome, and one refused try: the rest were dropped
    assert await services_of(bot).outbox.is_unreachable(user.id)


async def test_a_429_pauses_only_its_chat(bot: BotRunner, fake: FakeTelegram) -> None:
    slow, fast = FakeUser(fake, "کند"), FakeUser(fake, "تند")
    for person in (slow, fast):
        await person.send("/start")
        await person.next_message()
    fake.inject("sendMessage", 429, retry_after=2, chat_id=slow.id)
    await enqueue(bot, "slow", slow.id, "برای کند")
    await enqueue(bot, "fast", fast.id, "برای تند")
    started = time.monotonic()
    assert (await fast.next_message()).text == "برای تند"
    assert time.monotonic() - started < 1.5  # not held up by the other chat's flood wait
    assert (await slow.next_message(timeout=6)).text == "برای کند"
    assert time.monotonic() - started >= 2


async def test_a_refused_message_is_dead_lettered_with_telegrams_reason(
    bot: BotRunner, fake: FakeTelegram, user: FakeUser
) -> None:
    fake.allow_errors("can't parse entities")
    await user.send("/start")
    await user.next_message()
    await enqueue(bot, "bad", user.id, "a & <b", parse_mode="HTML")
    await enqueue(bot, "good", user.id, "سالم")
    assert (await user.next_message()).text == "سالم"
    await fake.wait_for(lambda: states(bot) == {"bad": "dead", "good": "sent"})
    row = sqlite3.connect(bot.settings.database_path).execute(
        "SELECT last_error FROM outbox WHERE idempotency_key='bad'"
    )
    assert "parse entities" in row.fetchone()[0]


async def test_a_photo_that_fails_falls_back_to_text(bot: BotRunner, fake: FakeTelegram, user: FakeUser) -> None:
    fake.allow_errors("wrong file identifier")
    await user.send("/start")
    await user.next_message()
    await services_of(bot).outbox.enqueue(
        "photo", "notification", user.id, "sendPhoto",
        {"chat_id": user.id, "photo": "https://img.example/fail.jpg", "caption": "با عکس"}, time.time(),
        fallback={"method": "sendMessage", "payload": {"chat_id": user.id, "text": "بدون عکس"}},
    )  # fmt: skip
    services_of(bot).wake_sender()
    assert (await user.next_message()).text == "بدون عکس"
    await fake.wait_for(lambda: states(bot) == {"photo": "sent"})


async def test_network_errors_are_retried(bot: BotRunner, fake: FakeTelegram, user: FakeUser) -> None:
    await user.send("/start")
    await user.next_message()
    fake.inject("sendMessage", 500, chat_id=user.id, times=2)
    await enqueue(bot, "retry", user.id, "دوباره")
    assert (await user.next_message(timeout=15)).text == "دوباره"
    assert [c.status for c in fake.calls_of("sendMessage")][-3:] == [500, 500, 200]
