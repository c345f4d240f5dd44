"""The real bot process killed or stopped in the middle of a burst loses no update; its webhook keeps its
secret out of the logs."""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import TOKEN
from tests.crash import TRIALS, burst, comment_burst_trial, count, database_path, seed, start, wait_until
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_webhook_and_errors import free_port


async def test_kill_9_in_the_middle_of_a_comment_burst_loses_no_comment(fake: FakeTelegram, tmp_path: Path) -> None:
    trial = await comment_burst_trial(fake, tmp_path, kill_after=random.randint(10, 150), comments=300)
    assert trial.killed_at < 300, "the process was killed after the burst, not in it"
    assert trial.lost == 0
    assert trial.duplicates == 0  # nothing stored twice either
    assert trial.integrity == "ok"


# Early (just after the post or the command), in the middle, and late: a few of the random points `make crash`
# draws, on smaller fan-outs (the kill point is a random fraction of them).
@pytest.mark.parametrize("scenario", ["alerts", "digest", "ban"])
@pytest.mark.parametrize("part", [(0.0, 0.1), (0.2, 0.8)])
async def test_kill_9_during_a_fan_out_or_a_ban_loses_nothing_and_repeats_only_what_was_in_flight(
    fake: FakeTelegram, tmp_path: Path, scenario: str, part: tuple[float, float]
) -> None:
    size = {"alerts": 300, "digest": 300, "ban": 10}[scenario]
    kill_after = int(size * random.uniform(*part))
    trial = await TRIALS[scenario](fake, tmp_path, kill_after, size)
    assert trial.killed_at < size, "the process was killed after the scenario, not in it"
    assert trial.lost == 0, trial
    assert trial.duplicates <= trial.in_flight, trial
    assert trial.integrity == "ok"
    assert not trial.notes, trial.notes  # one channel post, one digest recorded, no ban carried out twice
    if scenario == "ban":
        assert trial.enforced == trial.audited_once == size, trial


async def test_sigterm_with_many_queued_updates_loses_none(fake: FakeTelegram, tmp_path: Path) -> None:
    group, root = await seed(tmp_path, fake)
    # No time for stored updates at the stop: however fast the machine, the stop leaves some unhandled.
    process = await start(fake, tmp_path, STOP_DRAIN_SECONDS="0")
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"), timeout=60)
        await burst(fake, group, root, 2000)
        stored = "SELECT count(*) FROM comments"
        await wait_until(lambda: count(tmp_path, stored) >= 30, 60, "the first comments")
        stop_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
        assert time.monotonic() - stop_at < 5.0
        left = count(tmp_path, stored)
        assert left < 2000, "everything was handled before the stop: nothing was tested"
        process = await start(fake, tmp_path)
        await wait_until(lambda: count(tmp_path, stored) >= 2000, 120, "all 2000 comments")
        assert count(tmp_path, "SELECT count(DISTINCT tg_message_id) FROM comments") == 2000
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 10)
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "handled first" in log  # the restart said what it was doing


async def test_webhook_secret_made_at_start_stays_out_of_debug_logs(fake: FakeTelegram, tmp_path: Path) -> None:
    port = free_port()
    process = await start(
        fake, tmp_path, LOG_LEVEL="DEBUG", WEBHOOK_URL=f"http://127.0.0.1:{port}/hook", WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )  # fmt: skip
    try:
        await fake.wait_for(lambda: fake.webhook, timeout=60)
        reader = FakeUser(fake, "Kate", language_code="en")
        await reader.send("/start")
        assert (await reader.next_message()).text.startswith("Hello Kate")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert fake.webhook is not None
    secret = fake.webhook["secret_token"]
    log = (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert "setWebhook" in log  # DEBUG really logged the call that carries the secret
    assert secret not in log and TOKEN not in log and TOKEN.split(":")[1] not in log
    assert sqlite3.connect(database_path(tmp_path)).execute("SELECT count(*) FROM inbox").fetchone() == (1,)
