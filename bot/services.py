"""The services one running bot shares: created at start-up, closed at shutdown."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from bot.config import Settings
from bot.error_reports import ErrorReportThrottle
from bot.text.engine import TextEngine, get_engine
from bot.users import UserService
from storage.db import Database
from storage.users import UserRepository


@dataclass
class Services:
    settings: Settings
    db: Database
    users: UserService
    text: TextEngine
    error_throttle: ErrorReportThrottle = field(default_factory=ErrorReportThrottle)
    started_at: float = field(default_factory=time.monotonic)

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        """Open the database, bring its schema up to date and build every service on it."""
        # hazm's objects take a couple of seconds to build: once per process, off the event loop.
        text = await asyncio.to_thread(get_engine)
        db = Database(settings.database_path)
        await db.open()
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
        users = UserService(UserRepository(db), settings.owner_ids, settings.bot_language)
        return cls(settings=settings, db=db, users=users, text=text)

    async def close(self) -> None:
        await self.db.close()
