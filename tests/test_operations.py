"""Operations: daily backups with retention, restore, one bot per database, /healthz and /metrics."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.backups import BackupError, BackupService, backups_in, check_backup
from bot.clock import ManualClock
from bot.health import API_SILENT_SECONDS, HealthServer
from bot.metrics import Metrics
from storage.db import Database
from storage.feeds import FeedRepository
from storage.lock import DatabaseInUse
from storage.outbox import OutboxRepository
from storage.users import UserRepository
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_config import clean_env

DAY = 24 * 3600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def restore_cli(backup: Path, database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "restore", str(backup)],
        cwd=database.parent,
        env=clean_env(DATABASE_PATH=str(database)),
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_backups_are_daily_and_only_the_newest_are_kept(tmp_path: Path) -> None:
    clock = ManualClock(wall=1_780_000_000.0)
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        users = UserRepository(db)
        service = BackupService(db, tmp_path / "backups", keep=3, clock=clock)
        taken = []
        for day in range(5):
            await users.upsert(100 + day, f"reader {day}", None, None, "fa", now=1)
            taken.append(await service.run_due())
            clock.advance(3600)
            assert await service.run_due() is None, "a second backup on the same day"
            clock.advance(DAY - 3600)
    kept = backups_in(tmp_path / "backups")
    assert kept == taken[-3:]
    assert not list((tmp_path / "backups").glob("*.partial"))
    newest = sqlite3.connect(kept[-1])
    assert newest.execute("SELECT count(*) FROM users WHERE id >= 100").fetchone() == (5,)
    assert check_backup(kept[0]) > 0


async def test_a_running_bot_backs_up_at_start_refuses_restore_and_a_second_bot(
    start_bot, make_settings, fake: FakeTelegram, user: FakeUser, tmp_path: Path
) -> None:
    runner = await start_bot(BACKUP_KEEP="2", BACKUP_DIR=str(tmp_path / "copies"))
    [backup] = backups_in(tmp_path / "copies")
    await user.send("/start")
    await user.next_message()
    database = runner.settings.database_path

    refused = restore_cli(backup, database)
    assert refused.returncode == 2
    assert "in use by a running bot" in refused.stderr

    from bot.app import BotRunner

    second = BotRunner(make_settings())
    with pytest.raises(DatabaseInUse):
        await second.start()

    await runner.stop()
    restored = restore_cli(backup, database)
    assert restored.returncode == 0, restored.stderr
    # The backup was taken before the reader wrote: restoring it forgets them; the replaced file is kept.
    assert sqlite3.connect(database).execute("SELECT count(*) FROM users WHERE id = ?", (user.id,)).fetchone() == (0,)
    [kept] = database.parent.glob("bot.sqlite3.before-restore-*")
    assert sqlite3.connect(kept).execute("SELECT count(*) FROM users WHERE id = ?", (user.id,)).fetchone() == (1,)


def test_restore_refuses_what_is_not_an_intact_goftogu_database(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    result = restore_cli(garbage, database)
    assert result.returncode == 2 and "not a readable SQLite database" in result.stderr
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    result = restore_cli(empty, database)
    assert result.returncode == 2 and "not a Goftogu database" in result.stderr
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 9999")
    conn.close()
    result = restore_cli(newer, database)
    assert result.returncode == 2 and "newer than this bot" in result.stderr
    assert not database.exists()
    with pytest.raises(BackupError):
        check_backup(tmp_path / "missing.sqlite3")


async def test_healthz_and_metrics_report_the_running_bot(start_bot, fake: FakeTelegram, user: FakeUser) -> None:
    port = free_port()
    await start_bot(HEALTH_PORT=str(port))
    await user.send("/start")
    await user.next_message()
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            report = await response.json()
            assert response.status == 200, report
        assert report["ok"] and report["database_writable"]
        assert report["last_bot_api_success_seconds_ago"] is not None
        async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
            metrics = await response.text()
    assert 'goftogu_updates_total{type="message"} 1.0' in metrics
    assert 'goftogu_bot_api_responses_total{status="200"}' in metrics
    assert "goftogu_handler_seconds_count 1.0" in metrics
    assert 'goftogu_outbox_messages{state="pending"}' in metrics


async def test_healthz_fails_when_telegram_is_silent_or_the_outbox_does_not_drain(tmp_path: Path) -> None:
    clock = ManualClock(monotonic=5.0)  # a host that has just booted
    metrics = Metrics(clock)
    async with Database(tmp_path / "bot.sqlite3") as db:
        await db.migrate()
        outbox = OutboxRepository(db)
        health = HealthServer(db, outbox, FeedRepository(db), metrics, "127.0.0.1", 0)
        assert (await health.check())["problems"] == ["no successful Bot API call recently"]
        metrics.observe_api(200)
        assert (await health.check())["ok"]
        metrics.observe_api(502)
        clock.advance(API_SILENT_SECONDS + 1)
        assert not (await health.check())["ok"]
        metrics.observe_api(200)
        await outbox.enqueue("k1", "reply", 5, "sendMessage", {"chat_id": 5, "text": "x"}, clock.time() - 3600)
        report = await health.check()
        assert report["problems"] == ["outbox is not draining"] and report["outbox_waiting"] == 1
