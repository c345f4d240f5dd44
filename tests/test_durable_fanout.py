"""The messages that follow an event survive a crash between the event and their queueing: a posted story's
instant alerts and a digest's personal messages are derived again at start, each queued exactly once."""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_discussion import answer
from tests.test_subscriptions import PRESIDENT, WEATHER, publish


async def subscribe(fake: FakeTelegram, mode: str, count: int) -> list[FakeUser]:
    readers = []
    for number in range(count):
        reader = FakeUser(fake, f"خواننده {number}")
        await reader.send("/subscribe")
        settings = await answer(reader)
        await reader.press(settings, mode)
        await fake.wait_for_text(settings, f"حالت: {mode}")
        readers.append(reader)
    return readers


def count(runner: Any, sql: str) -> int:
    with sqlite3.connect(runner.settings.database_path) as database:
        return int(database.execute(sql).fetchone()[0])


def crash_once(target: object, name: str) -> None:
    """The step `name` of `target` fails once, as if the process had died there."""
    original = getattr(target, name)

    async def crashed(*args: Any, **kwargs: Any) -> Any:
        setattr(target, name, original)
        raise RuntimeError("simulated crash")

    setattr(target, name, crashed)


async def test_alerts_of_a_story_posted_just_before_a_crash_are_queued_once_at_start(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    readers = await subscribe(fake, "فوری", 3)
    services = runner.services
    crash_once(services.subscriptions.repo, "fanout_done")  # the alerts are queued, the step is not recorded
    first = await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    crash_once(services.outbox, "enqueue_many")  # the story is posted, no alert queued
    second = await publish(runner, fake, channel, "برف و باران در شمال", WEATHER)
    alerts = "SELECT count(*) FROM outbox WHERE kind = 'alert'"
    await fake.wait_for(lambda: count(runner, alerts) == 3)
    assert count(runner, f"SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'alert:{second}:%'") == 0

    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(
        lambda: all(len([m for m in r.received() if "برف" in (m.text_or_none or "")]) == 1 for r in readers)
    )
    assert count(runner, alerts) == 6  # each story to each reader once
    assert count(runner, "SELECT count(*) FROM fanouts_done WHERE event LIKE 'alerts:%'") == 2
    for reader in readers:
        assert len([m for m in reader.received() if "برنامه اقتصادی" in (m.text_or_none or "")]) == 1
    del first


async def test_a_digest_recorded_as_sent_before_a_crash_reaches_its_readers_after_restart(
    start_bot, fake: FakeTelegram, channel: FakeChat
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    readers = await subscribe(fake, "خلاصه", 3)
    crash_once(runner.services.digests, "queue_personal")
    with contextlib.suppress(RuntimeError):  # the process "died" here: recorded, its personal messages not queued
        await runner.services.digests.send_now()
    personal = "SELECT count(*) FROM outbox WHERE kind = 'digest_personal'"
    assert count(runner, "SELECT count(*) FROM digests WHERE state = 'sent'") == 1 and count(runner, personal) == 0

    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    await fake.wait_for(
        lambda: all(any("برای شما" in (m.text_or_none or "") for m in r.received()) for r in readers), 10
    )
    assert count(runner, personal) == 3
    assert count(runner, "SELECT recipients FROM digests WHERE state = 'sent'") == 3
    assert count(runner, "SELECT count(*) FROM outbox WHERE kind = 'digest'") == 1  # the channel's, once
