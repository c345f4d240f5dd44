"""`make crash`: the real bot process killed (`kill -9`) at random points of a comment burst, then restarted.

Each trial: 300 readers comment in the discussion group's thread of a posted story; the process is killed once
a random number of the comments are stored, started again, and the comments stored in the end are counted.
Figures (comments lost, duplicates, integrity) are printed for the issue's closing note; tests/test_crash.py
runs a few trials and asserts on them.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from storage.articles import ArticleRepository, NewArticle
from storage.comments import CommentRepository
from storage.db import Database
from tests.conftest import OWNER_ID, TOKEN
from tests.fake_telegram import FakeChat, FakeMessage, FakeTelegram, FakeUser
from tests.fake_telegram.server import SERVICE_ACCOUNT_ID
from tests.test_config import clean_env

GROUP_ID = -1002000
CHANNEL_ID = -1001000


@dataclass
class Trial:
    comments: int
    killed_at: int  # comments stored when the process was killed
    stored: int  # distinct comments stored in the end
    rows: int  # comment rows in the end (more than `stored` would be duplicates)
    integrity: str
    recovery_seconds: float

    @property
    def lost(self) -> int:
        return self.comments - self.stored


def database_path(workdir: Path) -> Path:
    return workdir / "data" / "bot.sqlite3"


async def seed(workdir: Path, fake: FakeTelegram) -> tuple[FakeChat, FakeMessage]:
    """A posted story whose thread in the discussion group is known to the bot's database."""
    channel = fake.add_channel(CHANNEL_ID, "news_test", "کانال خبر آزمایشی")
    group = fake.add_group(GROUP_ID, "گفت‌وگو", linked_channel=channel.id)
    root = fake.store(
        FakeMessage(chat=group, message_id=fake.next_message_id(group.id), date=int(time.time()),
                    sender={"id": SERVICE_ACCOUNT_ID, "is_bot": False, "first_name": "Telegram"}, text="خبر",
                    extra={"is_automatic_forward": True})
    )  # fmt: skip
    async with Database(database_path(workdir)) as db:
        await db.migrate()
        article_id = await ArticleRepository(db).insert(NewArticle("crashtest01", "خبر", "خبر"), "posted", 0)
        await CommentRepository(db).map_thread(group.id, root.message_id, article_id)
    return group, root


async def start(fake: FakeTelegram, workdir: Path, **env: str) -> asyncio.subprocess.Process:
    settings = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": fake.base_url,
        "OWNER_IDS": str(OWNER_ID),
        "DISCUSSION_GROUP_ID": str(GROUP_ID),
        "NEW_USER_COOLDOWN_SECONDS": "0",
        "LOG_LEVEL": "INFO",
    }
    variables = clean_env(**(settings | env))  # fmt: skip
    with (workdir / "bot.log").open("ab") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=workdir, env=variables, stdout=log_file, stderr=log_file
        )
    return process


def count(workdir: Path, sql: str) -> int:
    database = sqlite3.connect(database_path(workdir), timeout=10)
    try:
        return int(database.execute(sql).fetchone()[0])
    finally:
        database.close()


async def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.01)


async def burst(fake: FakeTelegram, group: FakeChat, root: FakeMessage, comments: int) -> None:
    writers = [FakeUser(fake, f"نویسنده {i}") for i in range(comments)]
    for i, writer in enumerate(writers):
        await writer.send(f"نظر شمارهٔ {i} دربارهٔ این خبر", chat=group, reply_to=root.message_id,
                          thread_id=root.message_id)  # fmt: skip


async def comment_burst_trial(fake: FakeTelegram, workdir: Path, kill_after: int, comments: int = 300) -> Trial:
    """Kill the bot with SIGKILL once `kill_after` comments are stored, restart it, count what survived."""
    group, root = await seed(workdir, fake)
    process = await start(fake, workdir)
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"), timeout=60)
        await burst(fake, group, root, comments)
        stored = "SELECT count(*) FROM comments"
        await wait_until(lambda: count(workdir, stored) >= kill_after, 60, f"{kill_after} comments")
        process.kill()  # SIGKILL: no clean-up of any kind
        await process.wait()
        killed_at = count(workdir, stored)
        restarted = time.monotonic()
        process = await start(fake, workdir)
        await wait_until(lambda: count(workdir, stored) >= comments, 90, f"all {comments} comments")
        recovery = time.monotonic() - restarted
        await wait_until(lambda: count(workdir, "SELECT count(*) FROM inbox WHERE state = 'pending'") == 0, 30,
                         "the inbox to empty")  # fmt: skip
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    database = sqlite3.connect(database_path(workdir))
    try:
        distinct = database.execute("SELECT count(DISTINCT tg_message_id) FROM comments").fetchone()[0]
        rows = database.execute("SELECT count(*) FROM comments").fetchone()[0]
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        database.close()
    return Trial(comments, killed_at, int(distinct), int(rows), str(integrity), recovery)


async def main(trials: int, comments: int, seed_value: int) -> None:
    rng = random.Random(seed_value)
    results: list[Trial] = []
    print(f"== Crash: {trials} trials, {comments} comments each, kill -9 at a random point")
    for number in range(trials):
        fake = FakeTelegram(TOKEN)
        await fake.start()
        try:
            with tempfile.TemporaryDirectory() as workdir:
                trial = await comment_burst_trial(fake, Path(workdir), rng.randint(1, comments - 1), comments)
        finally:
            await fake.stop()
        results.append(trial)
        print(f"  trial {number + 1}: killed at {trial.killed_at} stored; after restart {trial.stored} "
              f"({trial.lost} lost, {trial.rows - trial.stored} duplicated), integrity {trial.integrity}, "
              f"recovered in {trial.recovery_seconds:.1f} s", flush=True)  # fmt: skip
    lost = sum(t.lost for t in results)
    print(f"  comments lost: {lost} of {comments * trials} over {trials} kill points; "
          f"integrity ok in {sum(t.integrity == 'ok' for t in results)} of {trials}")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--comments", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.trials, arguments.comments, arguments.seed))
