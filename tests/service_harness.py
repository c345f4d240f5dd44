"""The services as bot/services.py composes them, on a temporary database with a ManualClock and no Telegram: the
discussion group is a recording gateway, and what the services send stays in the outbox for the test to read."""

from __future__ import annotations

import itertools
import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import config
from bot.clock import ManualClock
from bot.discussion.service import Author
from bot.gateway import GroupActionFailed
from bot.services import Services
from bot.users import Profile
from storage.articles import NewArticle
from tests.conftest import OWNER_ID, TOKEN

GROUP_ID = -1002000
START = 1_764_000_000.0  # 2025-11-24, a Monday afternoon in Tehran
PUBLIC_IDS = itertools.count(1)


@dataclass
class RecordingGateway:
    """The discussion group as the services reach it: each action recorded; admins as the test sets them."""

    admin_ids: frozenset[int] = frozenset()
    failing: bool = False  # the Bot API unreachable: every call fails, worth retrying
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    async def _record(self, *call: Any) -> None:
        self.calls.append(call)
        if self.failing:
            raise GroupActionFailed("network down")

    async def admins(self, chat_id: int) -> frozenset[int]:
        await self._record("admins", chat_id)
        return self.admin_ids

    async def ban(self, chat_id: int, user_id: int, until: int | None) -> None:
        await self._record("ban", user_id, until)

    async def unban(self, chat_id: int, user_id: int) -> None:
        await self._record("unban", user_id)

    async def mute(self, chat_id: int, user_id: int, until: int | None) -> None:
        await self._record("mute", user_id, until)

    async def unmute(self, chat_id: int, user_id: int) -> None:
        await self._record("unmute", user_id)

    async def delete(self, chat_id: int, message_id: int) -> None:
        await self._record("delete", chat_id, message_id)


class OfflineBot:
    """What composing the services needs of the Bot API client: it is never connected here."""

    rate_limiter = None
    username = "goftogu_test_bot"


@dataclass
class Harness:
    services: Services
    clock: ManualClock
    gateway: RecordingGateway

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.services.settings.database_path) as database:
            return [tuple(row) for row in database.execute(sql, params)]

    def sent_to(self, chat_id: int) -> list[str]:
        """The texts queued for a chat, oldest first."""
        rows = self.rows("SELECT payload FROM outbox WHERE chat_id = ? ORDER BY id", (str(chat_id),))
        return [json.loads(payload).get("text", "") for (payload,) in rows]

    async def reader(self, user_id: int, name: str, *, private_chat: bool = True) -> Author:
        """A reader who wrote to the bot now (so the bot may write to them)."""
        await self.services.users.seen(Profile(user_id, name, None, None, "fa"), private_chat=private_chat)
        return Author(user_id, name)

    async def posted_story(self, title: str = "خبر آزمایشی") -> int:
        """A story posted in the channel now."""
        articles = self.services.articles
        now = int(self.clock.time())
        article_id = await articles.insert(NewArticle(f"s{next(PUBLIC_IDS):09d}", title, title), "posted", now)
        await articles.mark_posted(article_id, -1001000, article_id, now)
        return article_id


async def open_harness(tmp_path: Path, **env: str) -> Harness:
    clock = ManualClock(wall=START, monotonic=0.0)  # a freshly booted host
    settings = config.load(
        config.Settings, _env_file=None, BOT_TOKEN=TOKEN, DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        OWNER_IDS=str(OWNER_ID), HEALTH_PORT="0", BACKUP_KEEP="0", **env,
    )  # fmt: skip
    gateway = RecordingGateway()
    services = await Services.open(settings, OfflineBot(), clock, gateway=gateway)  # type: ignore[arg-type]
    return Harness(services, clock, gateway)
