"""A reply's notice is stored with the reply: the bot process killed (`kill -9`) after the reply was written and
before its notice was queued loses neither; the restart handles the stored update again and the notice goes once."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from storage.articles import ArticleRepository, NewArticle
from storage.db import Database
from tests.conftest import OWNER_ID, TOKEN
from tests.crash import count, database_path, wait_until
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.test_config import clean_env
from tests.test_discussion import comment, open_comment, open_discussion

ROOT = Path(__file__).resolve().parent.parent  # for `python -m tests.…` run from the test's directory
PAYLOAD = "areplycrash"  # DEEP_LINK_PREFIX and the story's public id


async def start(fake: FakeTelegram, workdir: Path, module: str) -> asyncio.subprocess.Process:
    variables = clean_env(BOT_TOKEN=TOKEN, BOT_API_BASE_URL=fake.base_url, OWNER_IDS=str(OWNER_ID),
                          NEW_USER_COOLDOWN_SECONDS="0", LOG_LEVEL="INFO", PYTHONPATH=str(ROOT),
                          HEALTH_PORT="0")  # fmt: skip
    with (workdir / "bot.log").open("ab") as log_file:
        return await asyncio.create_subprocess_exec(sys.executable, "-m", module, "run", cwd=workdir, env=variables,
                                                    stdout=log_file, stderr=log_file)  # fmt: skip


async def test_kill_9_between_a_reply_and_its_notice_loses_neither(fake: FakeTelegram, tmp_path: Path) -> None:
    async with Database(database_path(tmp_path)) as db:
        await db.migrate()
        await ArticleRepository(db).insert(NewArticle(PAYLOAD[1:], "خبر آزمایشی", "خبر آزمایشی"), "posted", 0)
    process = await start(fake, tmp_path, "tests.die_at_reply_notice")
    try:
        await fake.wait_for(lambda: fake.calls_of("getUpdates"), timeout=60)
        asker, replier = FakeUser(fake, "پرسشگر"), FakeUser(fake, "پاسخ‌گو")
        await comment(asker, await open_discussion(asker, PAYLOAD), "نوشتن نظر", "کسی می‌داند؟")
        page = await open_discussion(replier, PAYLOAD)
        await open_comment(replier, page, count(tmp_path, "SELECT id FROM comments"))
        await replier.press(page, "↩️")
        assert "یک پیام بنویسید" in ((await replier.next_message(timeout=20)).text_or_none or "")
        await replier.send("بله، می‌دانم")
        assert await asyncio.wait_for(process.wait(), 20) == -signal.SIGKILL  # died where the notice is queued
        # The reply and its notice went together: neither is stored yet (the update is, in the inbox).
        assert count(tmp_path, "SELECT count(*) FROM comments") == 1
        assert count(tmp_path, "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'reply:%'") == 0

        process = await start(fake, tmp_path, "bot")
        notice = await asker.next_message(timeout=60)
        while "پاسخ داد" not in (notice.text_or_none or ""):
            notice = await asker.next_message(timeout=60)
        assert notice.text_or_none is not None and "پاسخ‌گو" in notice.text and "بله، می‌دانم" in notice.text
        await wait_until(lambda: count(tmp_path, "SELECT count(*) FROM comments") == 2, 30, "the reply")
        assert count(tmp_path, "SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'reply:%'") == 1
        await asyncio.sleep(1)  # a second notice, were one queued twice, would have arrived by now
        assert not [m for m in asker.received() if m is not notice and "پاسخ داد" in (m.text_or_none or "")]
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 10)
