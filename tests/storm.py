"""`make storm`: the real bot through a fault storm of the fake Bot API, against the same work without faults.

The work: readers who started the bot and take instant alerts; stories go to the channel (each alerts every
reader) while every reader asks the bot something (`/help`: a direct reply). The storm, on every message
method: 30 % of calls answered 429 with retry_after, a share answered late (some later than the client waits:
Telegram carried them out, the bot never heard), a burst of 5xx, and a Bot API outage (every call 502) in the
middle. After recovery every channel post, alert and reply must have arrived (delivered / queued = 1.0), each
once, but for those whose answer the bot never got (at most those may go twice).

`make storm` runs the full five-minute outage with the bot's real timeouts and backoff, and prints the extra
latency (p50/p95 over the run without faults) per kind; tests/test_storm.py runs it time-compressed (a short
outage, a short client timeout and backoff: the bot's retries never give up, whatever the outage's length).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot import config
from bot import ratelimit as ratelimit_module
from bot.app import SEND_READ_TIMEOUT, BotRunner
from bot.logs import configure_logging
from bot.news.publisher import Story
from bot.ratelimit import TelegramRateLimiter
from bot.transport import AiohttpRequest
from tests.conftest import OWNER_ID, TOKEN
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.fake_telegram.server import Call

CHANNEL_ID = -1001000
KINDS = ("channel post", "alert", "reply")


@dataclass(frozen=True)
class Faults:
    flood: float = 0.30  # share of message calls answered 429
    retry_after: int = 1
    slow: float = 0.10  # share answered late, by a uniform draw from `delays`
    delays: tuple[float, float] = (1.0, 40.0)
    burst: int = 30  # 5xx answers in a row, at the start
    outage: float = 300.0  # seconds of 502 to every call, once the work is under way
    client_timeout: float = SEND_READ_TIMEOUT
    compressed: bool = False  # short backoff and channel spacing (the suite)


@dataclass
class Report:
    queued: Counter[str] = field(default_factory=Counter)
    delivered: Counter[str] = field(default_factory=Counter)  # distinct messages that arrived
    duplicates: Counter[str] = field(default_factory=Counter)
    latency: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    unanswered: int = 0  # sends carried out whose answer came later than the client waited (may go twice)
    floods: int = 0
    errors_5xx: int = 0
    seconds: float = 0.0
    refused: list[str] = field(default_factory=list)  # requests the fake refused as Telegram would

    def ratio(self, kind: str) -> float:
        return self.delivered[kind] / self.queued[kind] if self.queued[kind] else 1.0


def settings_for(fake: FakeTelegram, workdir: Path) -> config.Settings:
    values = {
        "BOT_TOKEN": TOKEN,
        "BOT_API_BASE_URL": fake.base_url,
        "DATABASE_PATH": str(workdir / "bot.sqlite3"),
        "OWNER_IDS": str(OWNER_ID),
        "CHANNEL_ID": str(CHANNEL_ID),
        "LOG_LEVEL": "WARNING",
        "HEALTH_PORT": "0",
        "BACKUP_KEEP": "0",
    }
    return config.load(config.Settings, _env_file=None, **values)


def sends_by_chat(fake: FakeTelegram, after: float) -> dict[str, list[Call]]:
    """The bot's confirmed sendMessage calls made after `after`, per chat (oldest first)."""
    found: dict[str, list[Call]] = {}
    for call in fake.calls:
        if call.method == "sendMessage" and call.result is not None and call.at >= after:
            found.setdefault(str(call.params.get("chat_id")), []).append(call)
    return found


def matching(sends: dict[str, list[Call]], chat_id: int, text_part: str, after: float = 0.0) -> list[Call]:
    return [c for c in sends.get(str(chat_id), []) if text_part in str(c.params.get("text", "")) and c.at >= after]


def replies(sends: dict[str, list[Call]], chat_id: int, titles: list[str], after: float) -> list[Call]:
    """What the bot sent the reader after their /help, other than alerts: the reply (once, or more)."""
    return [c for c in sends.get(str(chat_id), []) if c.at >= after
            and not any(title in str(c.params.get("text", "")) for title in titles)]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


async def run(readers_count: int, stories: int, faults: Faults | None, seed: int = 13) -> Report:
    """One run on a fresh fake and database: without faults when `faults` is None."""
    fake = FakeTelegram(TOKEN)
    await fake.start()
    fake.add_channel(CHANNEL_ID, "news_test", "کانال خبر آزمایشی")
    report = Report()
    spacing = ratelimit_module.GROUP_SPACING
    with tempfile.TemporaryDirectory() as directory:
        timeout = faults.client_timeout if faults else SEND_READ_TIMEOUT
        runner = BotRunner(settings_for(fake, Path(directory)), request=AiohttpRequest(read_timeout=timeout))
        try:
            if faults is not None and faults.compressed:
                ratelimit_module.GROUP_SPACING = 0.3  # the channel's 20 a minute, time-compressed
            await runner.start()
            if faults is not None and faults.compressed:
                compress(runner)
            await work(runner, fake, readers_count, stories, faults, seed, report)
        finally:
            ratelimit_module.GROUP_SPACING = spacing
            await runner.stop()
            await fake.stop()
    return report


def compress(runner: BotRunner) -> None:
    """Backoff and outage shrunk alike: the bot's retries are the same whatever the outage's length."""
    sender = runner.services.sender if runner.services else None
    assert sender is not None
    sender.retry_base, sender.retry_cap = 0.2, 1.0
    limiter = runner.app.bot.rate_limiter
    assert isinstance(limiter, TelegramRateLimiter)
    limiter.retry_base, limiter.retry_cap = 0.2, 1.0


async def work(
    runner: BotRunner, fake: FakeTelegram, readers_count: int, stories: int, faults: Faults | None, seed: int,
    report: Report,
) -> None:  # fmt: skip
    assert runner.services is not None
    readers = [FakeUser(fake, f"خواننده {number}") for number in range(readers_count)]
    for reader in readers:
        await reader.send("/start")
    await fake.wait_for(lambda: all(reader.received() for reader in readers), 60)
    now = int(time.time())
    for reader in readers:
        await runner.services.subscriptions.repo.set_mode(reader.id, "instant", now)
    titles = [f"خبر آزمایشی شمارهٔ {number} دربارهٔ موضوع {number * 7919 % 101}" for number in range(stories)]

    started = time.monotonic()
    if faults is not None:
        fake.start_storm(flood=faults.flood, retry_after=faults.retry_after, slow=faults.slow,
                         delays=faults.delays, seed=seed)  # fmt: skip
        fake.inject("sendMessage", 502, times=faults.burst)  # a burst of 5xx first
    queued_at: dict[str, float] = {}
    for number, title in enumerate(titles):
        queued_at[title] = time.monotonic()
        body = f"متن خبر {number}: " + " ".join(f"واژه{number}x{index}" for index in range(40))
        await runner.services.publisher.ingest(Story(title, body, final=True, summary=f"خلاصهٔ خبر {number}."))
        if number == 0:
            for reader in readers:
                queued_at[f"reply:{reader.id}"] = time.monotonic()
                await reader.send("/help")
        if number == 0 and faults is not None and faults.outage:
            fake.outage(faults.outage)

    def arrived() -> bool:
        sends = sends_by_chat(fake, started)
        posts = sum(bool(matching(sends, CHANNEL_ID, title)) for title in titles)
        alerts = sum(bool(matching(sends, r.id, title)) for r in readers for title in titles)
        answered = sum(bool(replies(sends, r.id, titles, queued_at[f"reply:{r.id}"])) for r in readers)
        return posts == stories and alerts == stories * readers_count and answered == readers_count

    limit = (faults.outage if faults else 0) + 120 + 3 * stories * 3.05
    deadline = time.monotonic() + limit
    while not arrived() and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
    report.seconds = time.monotonic() - started
    fake.end_storm()
    await asyncio.sleep(0.5)  # answers still on their way
    sends = sends_by_chat(fake, started)

    def tally(kind: str, found: list[Call], since: float) -> None:
        report.queued[kind] += 1
        if found:
            report.delivered[kind] += 1
            report.duplicates[kind] += len(found) - 1
            report.latency[kind].append((found[0].done_at or found[0].at) - since)

    for title in titles:
        tally("channel post", matching(sends, CHANNEL_ID, title), queued_at[title])
        for reader in readers:
            tally("alert", matching(sends, reader.id, title), queued_at[title])
    for reader in readers:
        since = queued_at[f"reply:{reader.id}"]
        tally("reply", replies(sends, reader.id, titles, since), since)
    if faults is not None:
        # The client's clock starts a moment before the fake's: an answer within a blink of the limit counts too.
        limit = faults.client_timeout - 0.2
        report.unanswered = sum(1 for c in fake.calls if c.result is not None and c.done_at is not None
                                and c.done_at - c.at > limit)  # fmt: skip
        report.floods = sum(1 for c in fake.calls if c.status == 429)
        report.errors_5xx = sum(1 for c in fake.calls if c.status >= 500)
    report.refused = [f"{e.method}: {e.description}" for e in fake.unexpected_errors()]


def print_reports(calm: Report, stormy: Report, faults: Faults) -> None:
    print(f"== Fault storm: {faults.flood:.0%} 429s (retry_after {faults.retry_after} s), {faults.slow:.0%} slow "
          f"answers ({faults.delays[0]:.0f}–{faults.delays[1]:.0f} s; the client waits {faults.client_timeout:.0f} s), "
          f"a burst of {faults.burst} 5xx, an outage of {faults.outage:.0f} s")  # fmt: skip
    print(f"   429s answered {stormy.floods}, 5xx answered {stormy.errors_5xx}, sends whose answer came too late "
          f"{stormy.unanswered}; all arrived {stormy.seconds:.0f} s after the start (without faults "
          f"{calm.seconds:.0f} s)")  # fmt: skip
    print("| kind | delivered / queued | duplicates | p50 / p95 without faults | p50 / p95 in the storm "
          "| extra p50 / p95 |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        base = (percentile(calm.latency[kind], 0.5), percentile(calm.latency[kind], 0.95))
        storm = (percentile(stormy.latency[kind], 0.5), percentile(stormy.latency[kind], 0.95))
        print(f"| {kind} | {stormy.delivered[kind]} / {stormy.queued[kind]} = {stormy.ratio(kind):.2f} | "
              f"{stormy.duplicates[kind]} | {base[0]:.2f} / {base[1]:.2f} s | {storm[0]:.1f} / {storm[1]:.1f} s | "
              f"+{storm[0] - base[0]:.1f} / +{storm[1] - base[1]:.1f} s |")  # fmt: skip
    print(f"   duplicates {sum(stormy.duplicates.values())} ≤ sends whose answer the bot never got "
          f"{stormy.unanswered}")  # fmt: skip


async def main(readers: int, stories: int, faults: Faults) -> int:
    calm = await run(readers, stories, None)
    stormy = await run(readers, stories, faults)
    print_reports(calm, stormy, faults)
    whole = all(stormy.ratio(kind) == 1.0 for kind in KINDS)
    if stormy.refused or calm.refused:
        print(f"   refused by the fake: {(calm.refused + stormy.refused)[:5]}")
    return 0 if whole and sum(stormy.duplicates.values()) <= stormy.unanswered and not stormy.refused else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--stories", type=int, default=3)
    parser.add_argument("--outage", type=float, default=300.0, help="seconds of 502 (default: five minutes)")
    arguments = parser.parse_args()
    configure_logging("ERROR")  # the retries say what they do at INFO and WARNING: thousands of lines here
    raise SystemExit(asyncio.run(main(arguments.readers, arguments.stories, Faults(outage=arguments.outage))))
