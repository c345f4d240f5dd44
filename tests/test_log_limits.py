"""Logs have a rate limit: a failure repeating without pause writes a few lines and a count, not gigabytes."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from bot.clock import ManualClock
from bot.logs import LOG_BURST, RateLimitFilter
from tests.crash import count, start, wait_until
from tests.fake_telegram import FakeTelegram, FakeUser


def record(message: str, *args: object, level: int = logging.WARNING, name: str = "bot.x") -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_one_kind_of_record_is_limited_and_the_dropped_ones_are_counted() -> None:
    clock = ManualClock(monotonic=0.0)  # a freshly booted host
    limit = RateLimitFilter(burst=3, overall=100, period=60.0, clock=clock)
    passed = [limit.filter(record("update %s failed: %s", n, "100%")) for n in range(10)]
    assert passed == [True] * 3 + [False] * 7
    assert limit.filter(record("another kind %s", 1))  # other kinds are not held back by this one
    clock.advance(60.0)
    again = record("update %s failed: %s", 11, "100%")
    assert limit.filter(again)
    assert again.getMessage() == "update 11 failed: 100% (… 7 more like it were not logged)"
    follow = record("update %s failed: %s", 12, "x")
    assert limit.filter(follow) and follow.getMessage() == "update 12 failed: x"  # told once


def test_all_kinds_together_are_limited_too() -> None:
    clock = ManualClock(monotonic=0.0)
    limit = RateLimitFilter(burst=5, overall=8, period=10.0, clock=clock)
    passed = [limit.filter(record(f"kind {n} %s", n)) for n in range(20)]
    assert sum(passed) == 8
    clock.advance(10.0)
    late = record("kind 15 %s", 15)
    assert limit.filter(late) and "1 more like it" in late.getMessage()


async def test_the_running_bot_logs_a_flood_of_bad_updates_in_a_few_lines(fake: FakeTelegram, tmp_path: Path) -> None:
    process = await start(fake, tmp_path, LOG_LEVEL="INFO")
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"), timeout=60)
        for _ in range(300):  # each is unreadable, and each says so at WARNING
            await fake.deliver("message", "not an object")  # type: ignore[arg-type]
        await wait_until(lambda: count(tmp_path, "SELECT count(*) FROM inbox WHERE state = 'failed'") == 300, 60,
                         "the bad updates to be set aside")  # fmt: skip
        reader = FakeUser(fake, "Kate", language_code="en")
        await reader.send("/start")
        assert ((await reader.next_message(10)).text_or_none or "").startswith("Hello Kate")
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    lines = (tmp_path / "bot.log").read_text(encoding="utf-8").splitlines()
    assert 1 <= len([line for line in lines if "cannot be read" in line]) <= LOG_BURST
