"""Webhook mode with its secret, and what happens when a handler fails."""

from __future__ import annotations

import socket

import httpx

from bot.app import BotRunner
from tests.fake_telegram import FakeTelegram, FakeUser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_mode_answers_and_refuses_requests_without_the_secret(start_bot, fake: FakeTelegram) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    await start_bot(WEBHOOK_URL=url, WEBHOOK_SECRET="s3cret-value", WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))
    assert fake.webhook is not None
    assert fake.webhook == {"url": url, "secret_token": "s3cret-value", "allowed": fake.webhook["allowed"]}
    assert "callback_query" in fake.webhook["allowed"]

    reader = FakeUser(fake, "سارا")
    await reader.send("/start")  # the fake posts the update to the webhook with the secret header
    assert "سلام سارا" in (await reader.next_message()).text

    async with httpx.AsyncClient() as client:
        forged = await client.post(url, json={"update_id": 999, "message": {}})
        wrong = await client.post(url, json={"update_id": 998}, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
    assert forged.status_code == 403 and wrong.status_code == 403


async def test_failed_handler_tells_the_user_and_the_owner_once(
    bot: BotRunner, fake: FakeTelegram, user: FakeUser, owner: FakeUser
) -> None:
    await owner.send("/start")
    await owner.next_message()

    fake.inject("sendMessage", 400, description="Bad Request: injected failure", chat_id=user.id)
    await user.send("/start")
    apology = await user.next_message()
    assert "خطایی پیش آمد" in apology.text
    notice = await owner.next_message()
    assert "خطا در پردازش" in notice.text and "injected failure" in notice.text.lower()

    # A second failure within the throttle window reaches the user but does not flood the owner.
    fake.inject("sendMessage", 400, description="Bad Request: injected again", chat_id=user.id)
    await user.send("/help")
    assert "خطایی پیش آمد" in (await user.next_message()).text
    await user.send("/help")
    await user.next_message()
    assert [m.text_or_none for m in owner.received()].count(notice.text) == 1
    assert len(owner.received()) == 2  # the welcome and one notice


async def test_bot_keeps_working_after_a_429_on_a_reply(bot: BotRunner, fake: FakeTelegram, user: FakeUser) -> None:
    fake.inject("sendMessage", 429, retry_after=1, chat_id=user.id)
    await user.send("/start")
    await user.send("/help")
    # The reply is retried after retry_after instead of being lost, and the next update is served too.
    assert "سلام مریم" in (await user.next_message(timeout=5)).text
    assert "/language" in (await user.next_message(timeout=5)).text
    assert [call.status for call in fake.calls_of("sendMessage")][:2] == [429, 200]
