"""Fixtures: a fake Telegram on 127.0.0.1 and the real bot application talking to it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from bot import config
from bot.app import BotRunner
from bot.clock import SYSTEM_CLOCK, Clock
from bot.services import Services
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser

# CI draws the same property-test examples on every run (a red run must not depend on luck); a developer's
# `make test` draws new ones each time.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

TOKEN = "123456789:TEST-token_abcdefghijklmnopqrstuvwxyz0123"
CHANNEL = "@news_test"
OWNER_ID = 424242


def services_of(runner: BotRunner) -> Services:
    """The services of a started bot (`runner.services` is None only before start and after stop)."""
    assert runner.services is not None, "the bot is not running"
    return runner.services


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
            # Helpers' suites may run side by side on one host: no fixed port; backups have their own tests.
            "HEALTH_PORT": "0",
            "BACKUP_KEEP": "0",
        }
        values.update(overrides)
        return config.load(config.Settings, _env_file=None, **values)

    return build


@pytest.fixture
async def start_bot(make_settings: Callable[..., config.Settings]) -> AsyncIterator[Callable[..., Any]]:
    """Start the real application (as `python -m bot run` does); everything started is stopped after."""
    runners: list[BotRunner] = []

    async def start(*, clock: Clock = SYSTEM_CLOCK, **overrides: Any) -> BotRunner:
        runner = BotRunner(make_settings(**overrides), clock=clock)
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


@pytest.fixture
async def posted(start_bot, fake: FakeTelegram, channel: FakeChat) -> tuple[BotRunner, str, FakeMessage]:
    """A running bot with one article posted to the channel; returns (runner, deep-link payload, post)."""
    from bot.news.publisher import Story
    from tests.feed_server import fixture_articles
    from tests.test_news import channel_posts

    runner = await start_bot(CHANNEL_ID=CHANNEL)
    article = fixture_articles()[0]
    await runner.services.publisher.ingest(
        Story(article["title"], article["text"].replace(" [n] ", "\n"), source="برنا", url="https://borna.news/x")
    )
    post = await fake.wait_for(lambda: channel_posts(fake, channel)[:1] and channel_posts(fake, channel)[0], 10)
    await fake.wait_for(
        lambda: (
            sqlite3.connect(runner.settings.database_path).execute("SELECT state FROM articles").fetchone()
            == ("posted",)
        )
    )
    payload = post.button("نظرات")["url"].split("start=")[1]
    return runner, payload, post
