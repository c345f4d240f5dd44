"""The aiohttp transport under python-telegram-bot: forms, uploads, timeouts and network errors."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut

from bot.transport import AiohttpRequest
from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser


def make_bot(base_url: str) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=AiohttpRequest(), get_updates_request=AiohttpRequest())


async def test_sends_forms_with_nested_objects(fake: FakeTelegram) -> None:
    user = FakeUser(fake, "مریم")
    await user.send("/start")
    async with make_bot(fake.base_url) as bot:
        sent = await bot.send_message(
            user.id, "<b>سلام</b> &amp; خوش آمدید", parse_mode="HTML",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="d:u:1")]]),
        )  # fmt: skip
    message = await user.next_message()
    assert message.text == "سلام & خوش آمدید"
    assert [b["callback_data"] for b in message.buttons] == ["d:u:1"]
    assert sent.message_id == message.message_id


async def test_uploads_files_as_multipart(fake: FakeTelegram) -> None:
    user = FakeUser(fake, "مریم")
    await user.send("/start")
    async with make_bot(fake.base_url) as bot:
        await bot.send_photo(user.id, InputFile(b"\x89PNG fake image", filename="photo.png"), caption="عکس")
    call = fake.calls_of("sendPhoto")[-1]
    assert call.status == 200
    assert call.params["photo"].content == b"\x89PNG fake image"
    assert call.params["caption"] == "عکس"


async def test_slow_answer_is_a_timeout(fake: FakeTelegram) -> None:
    fake.inject("getMe", 0, delay=1.0)
    async with make_bot(fake.base_url) as bot:  # initialize() asks getMe once and succeeds
        fake.inject("getMe", 0, delay=1.0)
        with pytest.raises(TimedOut):
            await bot.get_me(read_timeout=0.2)


async def test_unreachable_server_is_a_network_error(fake: FakeTelegram) -> None:
    bot = make_bot("http://127.0.0.1:9/bot")
    with pytest.raises(NetworkError):
        await bot.initialize()
    await bot.shutdown()


async def test_needs_initialize() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError):
        await request.do_request("http://127.0.0.1:9/", "POST")
