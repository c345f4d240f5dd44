"""Rate limiting of every Bot API call: Telegram's overall and per-group limits, 429s paused per chat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)
JSON = bool | dict[str, Any] | list[dict[str, Any]]


def retry_after_seconds(error: RetryAfter) -> float:
    """retry_after in seconds (python-telegram-bot 22 moves it from int to timedelta and warns on access)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class PerChatRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter pauses *every* request when one chat gets a 429.

    Telegram's flood waits are per chat (except the overall limit), so here a 429 pauses only the chat it
    came from, and requests to other chats keep flowing.
    """

    def __init__(self, overall_per_second: float, max_retries: int = 3, clock: Clock = SYSTEM_CLOCK) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=20,
            group_time_period=60,
            max_retries=max_retries,
        )
        self.clock = clock
        self._paused_until: dict[int | str, float] = {}  # on the monotonic clock

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        with contextlib.suppress(ValueError, TypeError):
            chat_id = int(chat_id)  # type: ignore[arg-type]
        # Negative ids and @usernames are groups and channels (20 messages a minute each).
        group = chat_id if (isinstance(chat_id, int) and chat_id < 0) or isinstance(chat_id, str) else False
        for attempt in range(max_retries + 1):
            if chat_id is not None:
                until = self._paused_until.get(chat_id)
                wait = until - self.clock.monotonic() if until is not None else 0.0
                if wait > 0:
                    await asyncio.sleep(wait)
            try:
                return await self._run_request(
                    chat=chat_id is not None,
                    group=group,
                    allow_paid_broadcast=False,
                    callback=callback,
                    args=args,
                    kwargs=kwargs,
                )
            except RetryAfter as error:
                if attempt == max_retries:
                    raise
                pause = retry_after_seconds(error) + 0.1
                log.info("%s to chat %s hit Telegram's flood limit; retrying in %.1f s", endpoint, chat_id, pause)
                if chat_id is not None:
                    self._paused_until[chat_id] = self.clock.monotonic() + pause
                else:
                    await asyncio.sleep(pause)
        raise AssertionError("unreachable")
