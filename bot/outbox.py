"""The one sender of everything that goes out in bulk: channel posts, counter edits, notifications, digests.

Delivery is at-least-once with an idempotency key per message: a message is queued once per key, marked
`sending` before it goes out and `sent` as soon as Telegram confirms it, so a restart never re-sends what
Telegram confirmed; only messages in flight at a crash (state `sending`) can go out twice.

Pacing follows Telegram's limits: `SEND_RATE_PER_SECOND` overall, about one message a second per private
chat and twenty a minute per group or channel. A 429 pauses only the chat it names, for `retry_after`.
403 marks the chat unreachable and drops what waits for it; 400 dead-letters the message with Telegram's
reason (after one try of its fallback, e.g. a photo post sent again as text); network errors and 5xx are
retried with exponential backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.ratelimit import retry_after_seconds
from storage.outbox import OutboxRepository, OutboxRow

log = logging.getLogger(__name__)

PRIVATE_SPACING = 1.05  # seconds between two messages to one private chat
GROUP_SPACING = 3.05  # 20 a minute to one group or channel
MAX_ATTEMPTS = 8
BATCH = 500
NOT_MODIFIED = "message is not modified"

SentHook = Callable[[OutboxRow, dict[str, Any] | bool], Awaitable[None]]
DeadHook = Callable[[OutboxRow, str], Awaitable[None]]


def is_private(chat_id: str) -> bool:
    return not chat_id.startswith(("-", "@"))


class TokenBucket:
    """Paces calls to `rate` a second, with bursts of at most a tenth of a second's worth."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate / 10)
        self.tokens = 1.0
        self.stamp = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


class OutboxSender:
    def __init__(
        self,
        repository: OutboxRepository,
        bot: ExtBot,
        rate: float,
        on_sent: SentHook | None = None,
        on_dead: DeadHook | None = None,
    ) -> None:
        self.repository = repository
        self.bot = bot
        self.bucket = TokenBucket(rate)
        self.on_sent = on_sent
        self.on_dead = on_dead
        self._chat_ready_at: dict[str, float] = {}
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.sent_count = 0

    def wake(self) -> None:
        """Something was queued: look at the queue now rather than at the next timer."""
        self._wake.set()

    async def start(self) -> None:
        recovered = await self.repository.recover_in_flight()
        if recovered:
            log.warning("outbox: %d message(s) were in flight at the last stop and will be sent again", recovered)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self, timeout: float = 2.0) -> None:
        """Stop taking new messages and give the ones in flight a moment to finish."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout)
        pending = list(self._in_flight.values())
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                dispatched = await self._dispatch_round()
            except Exception:  # the sender must outlive any one bad row or database hiccup
                log.exception("outbox: round failed")
                dispatched = 0
            if not dispatched and not self._stopping:
                await self._sleep_until_due()

    async def _dispatch_round(self) -> int:
        now = time.time()
        if len(self._chat_ready_at) > 10_000:
            self._chat_ready_at = {chat: at for chat, at in self._chat_ready_at.items() if at > now}
        rows = await self.repository.due(now, BATCH)
        chosen: list[OutboxRow] = []
        chats: set[str] = set()
        for row in rows:
            if row.chat_id in chats or row.chat_id in self._in_flight:
                continue  # one at a time per chat, in queue order
            if self._chat_ready_at.get(row.chat_id, 0.0) > now:
                continue
            chats.add(row.chat_id)
            chosen.append(row)
        if not chosen:
            return 0
        await self.repository.claim([row.id for row in chosen])
        for row in chosen:
            if self._stopping:
                await self.repository.retry_later(row.id, 0.0, "stopped before sending", count_attempt=False)
                continue
            await self.bucket.take()
            self._chat_ready_at[row.chat_id] = float("inf")  # until this send is answered
            task = asyncio.create_task(self._send(row))
            self._in_flight[row.chat_id] = task
            task.add_done_callback(lambda _, chat=row.chat_id: self._finished(chat))
        return len(chosen)

    def _finished(self, chat_id: str) -> None:
        # Spacing counts from the answer, not the dispatch: the next message cannot reach Telegram sooner
        # than `spacing` after the previous one did, however the requests were delayed on the way.
        spacing = PRIVATE_SPACING if is_private(chat_id) else GROUP_SPACING
        ready = time.time() + spacing
        if self._chat_ready_at.get(chat_id, 0.0) == float("inf") or self._chat_ready_at[chat_id] < ready:
            self._chat_ready_at[chat_id] = ready
        self._in_flight.pop(chat_id, None)
        self._wake.set()

    async def _sleep_until_due(self) -> None:
        next_due = await self.repository.next_due_at()
        now = time.time()
        candidates = [t for t in self._chat_ready_at.values() if t > now]
        if next_due is not None:
            candidates.append(max(next_due, now + 0.01))
        timeout = min(1.0, max(0.01, min(candidates) - now)) if candidates else 1.0
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _send(self, row: OutboxRow) -> None:
        try:
            result = await self._call(row.method, row.params)
        except RetryAfter as error:
            pause = retry_after_seconds(error) + 0.1
            self._chat_ready_at[row.chat_id] = time.time() + pause
            log.info("outbox: 429 for chat %s, pausing it %.1f s", row.chat_id, pause)
            await self.repository.retry_later(row.id, time.time() + pause, str(error), count_attempt=False)
        except Forbidden as error:
            dropped = await self.repository.kill_chat(row.chat_id, str(error), int(time.time()))
            await self.repository.finish(row.id, "dead", str(error))
            log.warning("outbox: chat %s refuses messages (%s); dropped %d more", row.chat_id, error, dropped)
            await self._dead(row, str(error))
        except BadRequest as error:
            await self._bad_request(row, error)
        except (TimedOut, NetworkError) as error:  # NetworkError covers 5xx and connection failures
            await self._retry_or_fail(row, error)
        except TelegramError as error:
            await self._retry_or_fail(row, error)
        else:
            await self._sent(row, result)

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        # rate_limit_args=0: the sender handles 429s itself, per chat, instead of the shared limiter retrying.
        # do_api_request sends the stored JSON as it is; python-telegram-bot warns that a named method exists.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBUserWarning)
            return await self.bot.do_api_request(method, api_kwargs=dict(params), rate_limit_args=0)

    async def _bad_request(self, row: OutboxRow, error: BadRequest) -> None:
        if NOT_MODIFIED in str(error).lower():
            await self._sent(row, True)  # the message already shows this: nothing to send
            return
        if row.fallback:
            fallback = json.loads(row.fallback)
            try:
                result = await self._call(fallback["method"], fallback["payload"])
            except TelegramError as second:
                error = BadRequest(f"{error}; fallback: {second}")
            else:
                log.info("outbox: %s to %s failed (%s); its fallback went out", row.method, row.chat_id, error)
                await self._sent(row, result)
                return
        await self.repository.finish(row.id, "dead", str(error))
        log.warning("outbox: Telegram refused message %s to %s: %s", row.id, row.chat_id, error)
        await self._dead(row, str(error))

    async def _retry_or_fail(self, row: OutboxRow, error: Exception) -> None:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            await self.repository.finish(row.id, "failed", f"{type(error).__name__}: {error}")
            await self._dead(row, str(error))
            return
        delay = min(300.0, 2.0**attempts) * (0.75 + random.random() / 2)
        await self.repository.retry_later(row.id, time.time() + delay, f"{type(error).__name__}: {error}")

    async def _sent(self, row: OutboxRow, result: Any) -> None:
        message_id = result.get("message_id") if isinstance(result, dict) else None
        await self.repository.mark_sent(row.id, message_id, time.time())
        self.sent_count += 1
        if self.on_sent is not None:
            try:
                await self.on_sent(row, result)
            except Exception:
                log.exception("outbox: after-send step of message %s failed", row.id)

    async def _dead(self, row: OutboxRow, reason: str) -> None:
        if self.on_dead is not None:
            try:
                await self.on_dead(row, reason)
            except Exception:
                log.exception("outbox: dead-letter step of message %s failed", row.id)
