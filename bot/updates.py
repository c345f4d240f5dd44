"""Update processing: chats in parallel, each chat in order.

python-telegram-bot processes updates one at a time by default, so one slow answer holds up every other
reader. Processing them all concurrently would break the order within a chat (a reader's "write a comment"
press must be handled before the text that follows it). Here updates of different chats run concurrently
and updates of one chat (or, without a chat, of one user) run in the order Telegram sent them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import Metrics

MAX_CONCURRENT_UPDATES = 64


def _key(update: object) -> Any:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES, metrics: Metrics | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.metrics = metrics
        self._locks: dict[Any, asyncio.Lock] = {}
        self._waiting: dict[Any, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            if self.metrics is not None:
                self.metrics.observe_update(update, time.perf_counter() - started)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats, so the table does not grow forever
                del self._waiting[key]
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
