"""`make bench`: performance figures, each a ratio or a rate measured in this one run.

Nothing here asserts a time: figures are printed for the closing notes of the issues.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_config import clean_env

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 25
DEV = ROOT.parent / "shared" / "data" / "articles" / "dev.jsonl"


def rss_mb(pid: int | None = None) -> float:
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def bench_text_engine() -> None:
    print("== Text engine (normalize + clean + summarize + hashtags), one core")
    before = rss_mb()
    started = time.perf_counter()
    from bot.text.engine import get_engine

    engine = get_engine()
    load = time.perf_counter() - started
    print(f"  load hazm and build the engine: {load:.2f} s, RSS {before:.0f} → {rss_mb():.0f} MB")
    if not DEV.exists():
        print(f"  (no development set at {DEV}: throughput skipped)")
        return
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    raws = [row["title"] + "\n" + row["text"].replace(" [n] ", "\n") for row in rows]
    cold = time.perf_counter()
    for raw in raws:
        engine.process(raw)
    cold = len(raws) / (time.perf_counter() - cold)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 5:
        for raw in raws:
            engine.process(raw)
            count += 1
    warm = count / (time.perf_counter() - started)
    print(f"  first pass (cold caches): {cold:.0f} articles/s; after warm-up: {warm:.0f} articles/s (target ≥ 100)")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


async def start_process(
    fake: FakeTelegram, workdir: Path, *command: str, **settings: str
) -> tuple[asyncio.subprocess.Process, float]:
    env = clean_env(
        BOT_TOKEN=TOKEN,
        BOT_API_BASE_URL=fake.base_url,
        DATABASE_PATH=str(workdir / "bot.sqlite3"),
        PYTHONPATH=str(ROOT),
        **settings,
    )
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command, cwd=workdir, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    polls = len(fake.calls_of("getUpdates"))
    await fake.wait_for(lambda: len(fake.calls_of("getUpdates")) > polls, timeout=120)
    return process, time.perf_counter() - started


async def round_trips(fake: FakeTelegram, users: list[FakeUser], text: str, rounds: int) -> float:
    """Messages per second: every user sends `rounds` messages, one after the other's answer."""

    async def one(user: FakeUser) -> None:
        for _ in range(rounds):
            await user.send(text)
            await user.next_message(timeout=30)

    started = time.perf_counter()
    await asyncio.gather(*(one(user) for user in users))
    return len(users) * rounds / (time.perf_counter() - started)


async def bench_bot() -> None:
    print("\n== The bot process against the fake Bot API (127.0.0.1)")
    fake = FakeTelegram(TOKEN)
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            bot, startup = await start_process(fake, workdir, sys.executable, "-m", "bot", "run")
            await asyncio.sleep(3)
            print(f"  start-up to first getUpdates (hazm loaded, migrations applied): {startup:.2f} s")
            print(f"  idle RSS: {rss_mb(bot.pid):.0f} MB")
            users = [FakeUser(fake, f"user{i}") for i in range(20)]
            await round_trips(fake, users, "/help", 2)  # warm-up
            limited = await round_trips(fake, users, "/help", ROUNDS)
            bot.send_signal(signal.SIGTERM)
            await bot.wait()

            # The same bot with its overall send rate lifted, to compare the work it does per update.
            bot, _ = await start_process(
                fake, workdir, sys.executable, "-m", "bot", "run", SEND_RATE_PER_SECOND="10000"
            )
            await round_trips(fake, users, "/help", 2)
            ours = await round_trips(fake, users, "/help", ROUNDS)
            bot.send_signal(signal.SIGTERM)
            await bot.wait()

            echo, _ = await start_process(fake, workdir, sys.executable, "-m", "tests.echo_bot")
            users = [FakeUser(fake, f"echo{i}") for i in range(20)]
            await round_trips(fake, users, "سلام", 2)
            baseline = await round_trips(fake, users, "سلام", ROUNDS)
            echo.send_signal(signal.SIGTERM)
            await echo.wait()
            print(f"  /help round trips at the default SEND_RATE_PER_SECOND=30: {limited:.0f}/s (the limit at work)")
            print(
                f"  /help round trips with the rate lifted: {ours:.0f}/s; bare python-telegram-bot echo bot: "
                f"{baseline:.0f}/s; ratio {ours / baseline:.2f}"
            )
    finally:
        await fake.stop()


def main() -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    bench_text_engine()
    asyncio.run(bench_bot())


if __name__ == "__main__":
    main()
