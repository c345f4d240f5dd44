"""Fixtures: a fake Telegram on 127.0.0.1 and the real bot application talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot import config
from bot.app import BotRunner
from tests.fake_telegram import FakeChat, FakeTelegram, FakeUser

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz0123"
CHANNEL = "@news_test"
OWNER_ID = 424242


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API; the test fails if the bot made a request Telegram would refuse."""
    server = FakeTelegram(TOKEN)
    await server.start()
    yield server
    await server.stop()
    unexpected = server.unexpected_errors()
    assert not unexpected, f"the bot made requests Telegram refuses: {unexpected}"


@pytest.fixture
def make_settings(tmp_path: Path, fake: FakeTelegram) -> Callable[..., config.Settings]:
    def build(**overrides: Any) -> config.Settings:
        values: dict[str, Any] = {
            "BOT_TOKEN": TOKEN,
            "BOT_API_BASE_URL": fake.base_url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
            "OWNER_IDS": str(OWNER_ID),
            "LOG_LEVEL": "DEBUG",
            # Most tests have readers comment seconds after a post appears; the cool-down has its own test.
            "NEW_USER_COOLDOWN_SECONDS": "0",
        }
        values.update(overrides)
        return config.load(config.Settings, _env_file=None, **values)

    return build


@pytest.fixture
async def start_bot(make_settings: Callable[..., config.Settings]) -> AsyncIterator[Callable[..., Any]]:
    """Start the real application (as `python -m bot run` does); everything started is stopped after."""
    runners: list[BotRunner] = []

    async def start(**overrides: Any) -> BotRunner:
        runner = BotRunner(make_settings(**overrides))
        await runner.start()
        runners.append(runner)
        return runner

    yield start
    for runner in runners:
        await runner.stop()


@pytest.fixture
async def bot(start_bot: Callable[..., Any]) -> BotRunner:
    return await start_bot()


@pytest.fixture
def user(fake: FakeTelegram) -> FakeUser:
    return FakeUser(fake, "مریم", language_code="fa")


@pytest.fixture
def owner(fake: FakeTelegram) -> FakeUser:
    return FakeUser(fake, "Owner", user_id=OWNER_ID, language_code="fa")


@pytest.fixture
def channel(fake: FakeTelegram) -> FakeChat:
    """The news channel (CHANNEL), with the bot as its admin."""
    return fake.add_channel(-1001000, CHANNEL.lstrip("@"), "کانال خبر آزمایشی")
