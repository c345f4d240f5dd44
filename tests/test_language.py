"""Every reader in their own language: the /language choice, else their Telegram's language, else BOT_LANGUAGE;
for messages sent without an update at hand (alerts, digests, notices) as much as for answers."""

from __future__ import annotations

import pytest

from bot.subscriptions import digests as digests_module
from tests.conftest import CHANNEL
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser
from tests.test_digests import future_slot
from tests.test_discussion import answer
from tests.test_subscriptions import PRESIDENT, publish


async def test_english_telegram_readers_get_english_alerts_and_digests(
    start_bot, fake: FakeTelegram, channel: FakeChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = await start_bot(CHANNEL_ID=CHANNEL)
    instant = FakeUser(fake, "Kate", language_code="en-GB")
    digest = FakeUser(fake, "Tom", language_code="en")
    chose_persian = FakeUser(fake, "Sara", language_code="en")
    for reader, mode in ((instant, "instant"), (digest, "digest"), (chose_persian, "instant")):
        await reader.send("/subscribe")
        settings = await answer(reader)
        assert "Subscription settings" in settings.text
        await reader.press(settings, mode)
        await fake.wait_for(lambda settings=settings, mode=mode: f"Mode: {mode}" in settings.text)
    await chose_persian.send("/language")
    await chose_persian.press(await answer(chose_persian), "فارسی")
    await fake.wait_for(lambda: any("فارسی شد" in (m.text or "") for m in chose_persian.received()))
    # A restart: what the bot knows of each reader's language comes from the database, not from memory.
    await runner.stop()
    runner = await start_bot(CHANNEL_ID=CHANNEL)

    await publish(runner, fake, channel, "برنامه اقتصادی رئیس‌جمهور", PRESIDENT)
    alert = await answer(instant)
    assert alert.text.startswith("⚡") and "Source: ایرنا" in alert.text
    assert alert.buttons[0]["text"] == "💬 Story and comments"
    persian_alert = await answer(chose_persian)
    assert "منبع: ایرنا" in persian_alert.text and persian_alert.buttons[0]["text"] == "💬 خبر و نظرها"

    slot = future_slot(runner, 8)
    monkeypatch.setattr(digests_module, "wall_clock", lambda: slot + 60)
    assert await runner.services.digests.run_due() == "sent"
    personal = await answer(digest)
    assert personal.text.startswith("🗞 Morning digest for you, ")
    assert "برنامه اقتصادی" in personal.text
