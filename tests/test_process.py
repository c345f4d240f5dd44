"""`python -m bot run` as an operator starts it: against the fake Bot API, at DEBUG, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import sys
import time
from pathlib import Path

from tests.conftest import OWNER_ID, TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_config import clean_env


async def start_process(fake: FakeTelegram, tmp_path: Path, **env: str) -> tuple[asyncio.subprocess.Process, Path]:
    log_path = tmp_path / "bot.log"
    variables = clean_env(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=fake.base_url,
        OWNER_IDS=str(OWNER_ID),
        LOG_LEVEL="DEBUG",
        **env,
    )
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=variables, stdout=log_file, stderr=log_file
        )
    return process, log_path


async def test_bot_process_answers_survives_menu_failure_and_stops_on_sigterm(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    # setMyCommands fails at start-up: the menu is a convenience, the bot must come up anyway.
    fake.inject("setMyCommands", 500, times=10)
    process, log_path = await start_process(fake, tmp_path)
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"), timeout=60)

        reader = FakeUser(fake, "زهرا", language_code="fa")
        sent_at = time.monotonic()
        await reader.send("/start")
        reply = await reader.next_message(timeout=5)
        assert time.monotonic() - sent_at < 1.0
        assert "سلام زهرا" in reply.text

        english = FakeUser(fake, "Kate", language_code="en")
        await english.send("/start")
        assert (await english.next_message()).text.startswith("Hello Kate")

        stop_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=10)
        assert time.monotonic() - stop_at < 5.0
        assert code == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    log = log_path.read_text(encoding="utf-8")
    assert "could not publish the command menu" in log
    assert "Calling Bot API endpoint" in log  # DEBUG really was on
    _token_id, token_secret = TOKEN.split(":")
    assert TOKEN not in log and token_secret not in log
    assert "Traceback" not in log
    # The first start on an empty database: no digest slot before it was due, so none was "missed".
    assert "missed by" not in log and "WARNING bot.subscriptions" not in log

    database = sqlite3.connect(tmp_path / "data" / "bot.sqlite3")
    assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert database.execute("SELECT count(*) FROM users").fetchone() == (2,)


async def run_until_exit(tmp_path: Path, **env: str) -> tuple[int | None, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=clean_env(**env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, stderr.decode()


async def test_unreachable_bot_api_is_a_clear_error(tmp_path: Path) -> None:
    code, text = await run_until_exit(tmp_path, BOT_TOKEN=TOKEN, BOT_API_BASE_URL="http://127.0.0.1:9/bot")
    assert code == 2
    assert "Could not reach the Bot API" in text and "Traceback" not in text and TOKEN not in text
    assert_closed_cleanly(text)


def assert_closed_cleanly(stderr: str) -> None:
    """A failed start ends with its one clear line, not with asyncio's complaints about open connections."""
    assert "Unclosed client session" not in stderr and "Unclosed connector" not in stderr
    assert "ERROR" not in stderr


async def test_rejected_token_is_a_clear_error(fake: FakeTelegram, tmp_path: Path) -> None:
    code, text = await run_until_exit(
        tmp_path, BOT_TOKEN="987654321:WRONG-token_abcdefghijklmnopqrstu", BOT_API_BASE_URL=fake.base_url
    )
    assert code == 2
    assert "Telegram rejected BOT_TOKEN" in text  # the fake answers getMe with 401, as Telegram does
    assert_closed_cleanly(text)
