"""The one sender of everything that goes out in bulk: channel posts, counter edits, notifications, digests.

Delivery is at-least-once with an idempotency key per message: a message is queued once per key, marked
`sending` before it goes out and `sent` as soon as Telegram confirms it, so a restart never re-sends what
Telegram confirmed; only messages in flight at a crash (state `sending`) can go out twice. The step that follows
a confirmation (`on_sent`: the story marked posted and its alerts queued, a button's count recorded) is recorded
as done afterwards, in batches; a crash in between runs it again at start, so it must be repeatable.

Pacing follows Telegram's limits through the Pacer it shares with the handlers' replies (bot/ratelimit.py):
`SEND_RATE_PER_SECOND` overall, about one message a second per private chat and twenty a minute per group
or channel. A chat that must wait is skipped, not waited for: the other chats' messages keep going out.
A 429 pauses only the chat it names, for `retry_after`. 403 marks the chat unreachable and drops what waits
for it; 400 dead-letters the message with Telegram's reason (after one try of its fallback, e.g. a photo
post sent again as text). Everything else (5xx, network errors, timeouts) is transient and retried with
capped exponential backoff until it goes out, however long Telegram is away.
Sent rows are kept `OUTBOX_RETENTION_DAYS`, then pruned.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InputMediaPhoto
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot.clock import SYSTEM_CLOCK, Clock
from bot.ratelimit import CALLER_HANDLES_ERRORS, Pacer, backoff_delay, retry_after_seconds
from storage.outbox import OutboxRepository, OutboxRow

log = logging.getLogger(__name__)

BATCH = 500
NOT_MODIFIED = "message is not modified"
RETRY_BASE = 2.0  # seconds before the first retry of a transient failure; doubling from there
RETRY_CAP = 60.0  # never longer between two tries: after an outage, the queue moves within a minute
PRUNE_EVERY = 3600.0

SentHook = Callable[[OutboxRow, dict[str, Any] | bool], Awaitable[None]]
DeadHook = Callable[[OutboxRow, str], Awaitable[None]]


class OutboxSender:
    def __init__(
        self,
        repository: OutboxRepository,
        bot: ExtBot,
        pacer: Pacer,
        on_sent: SentHook | None = None,
        on_dead: DeadHook | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        retention_seconds: float = 7 * 86400,
        wakeup: asyncio.Event | None = None,
    ) -> None:
        self.repository = repository
        self.bot = bot
        self.pacer = pacer
        self.on_sent = on_sent
        self.on_dead = on_dead
        self.clock = clock
        self.retention_seconds = retention_seconds
        self.retry_base = RETRY_BASE
        self.retry_cap = RETRY_CAP
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._waiting: dict[str, float] = {}  # chats that must wait for their turn: until when (monotonic)
        self._wake = wakeup or asyncio.Event()  # set by whoever queues (bot/notify.py): look at the queue now
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._pruned_at = float("-inf")
        self._after_done: list[int] = []  # sent messages whose after-send step ran, to be recorded

    async def stats(self) -> dict[str, float]:
        """How many messages wait, are being sent, were sent, failed or died, and the oldest waiting one's age."""
        return await self.repository.stats(self.clock.time())

    async def reachable_again(self, chat_id: int) -> None:
        """Someone who blocked the bot wrote to it again: what is queued for them is sent from now on."""
        await self.repository.mark_reachable(chat_id)

    def wake(self) -> None:
        """Something was queued: look at the queue now rather than at the next timer."""
        self._wake.set()

    async def start(self) -> None:
        recovered = await self.repository.recover_in_flight()
        if recovered:
            log.warning("outbox: %d message(s) were in flight at the last stop and will be sent again", recovered)
        unfinished = await self.repository.after_sent_pending()
        if unfinished:
            log.warning("outbox: %d sent message(s) had their after-send step cut short; running it now",
                        len(unfinished))  # fmt: skip
            for row in unfinished:
                await self._after_sent(row, row.result)
            await self._flush_after_sent()
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
        try:
            await self._flush_after_sent()
        except Exception as error:  # the steps are repeatable: the next start runs them again
            log.warning("outbox: could not record the after-send steps done: %s", error)

    async def _run(self) -> None:
        while not self._stopping:
            wait = 1.0
            try:
                await self._prune_now_and_then()
                dispatched, wait = await self._dispatch_round()
            except Exception:  # the sender must outlive any one bad row or database hiccup
                log.exception("outbox: round failed")
                dispatched = 0
            if not dispatched and not self._stopping:
                await self._sleep_until_due(wait)

    async def _prune_now_and_then(self) -> None:
        now = self.clock.monotonic()
        if now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        pruned = await self.repository.prune_sent(self.clock.time() - self.retention_seconds)
        if pruned:
            log.info("outbox: pruned %d message(s) sent more than %.0f day(s) ago", pruned,
                     self.retention_seconds / 86400)  # fmt: skip

    async def _dispatch_round(self) -> tuple[int, float]:
        """Send the first waiting message of each chat that may send now; returns (how many went, seconds
        until the soonest skipped chat may send)."""
        await self._flush_after_sent()
        now = self.clock.monotonic()
        self._waiting = {chat: at for chat, at in self._waiting.items() if at > now}
        skip = set(self._in_flight) | set(self._waiting)  # one at a time per chat, in queue order
        rows = await self.repository.due(self.clock.time(), BATCH, skip)
        chosen: list[OutboxRow] = []
        soonest = min((at - now for at in self._waiting.values()), default=1.0)
        for row in rows:
            if row.chat_id in self._in_flight:
                continue
            wait = self.pacer.ready_in(row.chat_id)
            if wait > 0:
                self._waiting[row.chat_id] = now + wait
                soonest = min(soonest, wait)
                continue  # this chat waits for its turn; the others do not wait for it
            chosen.append(row)
            if len(chosen) >= self.pacer.per_second:
                break  # a second's worth at a time: after a crash, at most these are sent twice
        if not chosen:
            return 0, soonest
        await self.repository.claim([row.id for row in chosen])
        for row in chosen:
            if self._stopping:
                await self.repository.retry_later(row.id, 0.0, "stopped before sending", count_attempt=False)
                continue
            delay = self.pacer.reserve(row.chat_id)  # the overall rate, shared with the replies
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(self._send(row))
            self._in_flight[row.chat_id] = task
            task.add_done_callback(functools.partial(self._done, row.chat_id))
        return len(chosen), soonest

    def _done(self, chat_id: str, _task: asyncio.Task[Any]) -> None:
        self._finished(chat_id)

    def _finished(self, chat_id: str) -> None:
        # Spacing counts from the answer, not the dispatch: the next message cannot reach Telegram sooner
        # than the spacing after the previous one did, however the requests were delayed on the way.
        self.pacer.answered(chat_id)
        self._in_flight.pop(chat_id, None)
        self._wake.set()

    async def _sleep_until_due(self, wait: float) -> None:
        next_due = await self.repository.next_due_at()
        now = self.clock.time()
        candidates = [wait]
        if next_due is not None:
            candidates.append(max(next_due - now, 0.01))
        timeout = min(1.0, max(0.01, min(candidates)))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _send(self, row: OutboxRow) -> None:
        try:
            result = await self._call(row.method, row.params)
        except RetryAfter as error:
            pause = retry_after_seconds(error) + 0.1
            self.pacer.pause(row.chat_id, pause)
            log.info("outbox: 429 for chat %s, pausing it %.1f s", row.chat_id, pause)
            await self.repository.retry_later(row.id, self.clock.time() + pause, str(error), count_attempt=False)
        except Forbidden as error:
            dropped = await self.repository.kill_chat(row.chat_id, str(error), int(self.clock.time()))
            await self.repository.finish(row.id, "dead", str(error))
            log.warning("outbox: chat %s refuses messages (%s); dropped %d more", row.chat_id, error, dropped)
            await self._dead(row, str(error))
        except BadRequest as error:
            await self._bad_request(row, error)
        except TelegramError as error:  # 5xx, network errors, timeouts, and anything else Telegram did not refuse
            await self._retry(row, error)
        else:
            await self._sent(row, result)

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        # do_api_request sends the stored JSON as it is; python-telegram-bot warns that a named method exists.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBUserWarning)
            return await self.bot.do_api_request(method, api_kwargs=_api_kwargs(params),
                                                 rate_limit_args=CALLER_HANDLES_ERRORS)  # fmt: skip

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

    async def _retry(self, row: OutboxRow, error: Exception) -> None:
        """A transient failure is never final: try again later, backing off up to `retry_cap`."""
        attempt = row.attempts + 1  # `claim` counted this try in the database, not in `row`
        delay = backoff_delay(attempt, self.retry_base, self.retry_cap)
        log.info("outbox: %s to %s failed (%s: %s), try %d; again in %.0f s", row.method, row.chat_id,
                 type(error).__name__, error, attempt, delay)  # fmt: skip
        await self.repository.retry_later(row.id, self.clock.time() + delay, f"{type(error).__name__}: {error}")

    async def _sent(self, row: OutboxRow, result: Any) -> None:
        message_id = result.get("message_id") if isinstance(result, dict) else None
        chat = result.get("chat", {}).get("id") if isinstance(result, dict) else None
        after = self.on_sent is not None
        await self.repository.mark_sent(row.id, message_id, self.clock.time(), chat_id=chat, after=after)
        if after:
            await self._after_sent(row, result)

    async def _after_sent(self, row: OutboxRow, result: dict[str, Any] | bool) -> None:
        """The after-send step (an article marked posted and its alerts queued, a button's count ...). It is
        recorded as done in batches: a crash before that runs it again at start, so it must be repeatable."""
        if self.on_sent is not None:
            try:
                await self.on_sent(row, result)
            except Exception:
                log.exception("outbox: after-send step of message %s failed", row.id)
        self._after_done.append(row.id)

    async def _flush_after_sent(self) -> None:
        done, self._after_done = self._after_done, []
        await self.repository.after_sent_done(done)

    async def _dead(self, row: OutboxRow, reason: str) -> None:
        if self.on_dead is not None:
            try:
                await self.on_dead(row, reason)
            except Exception:
                log.exception("outbox: dead-letter step of message %s failed", row.id)


def _api_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """The stored JSON as python-telegram-bot sends it, but for an album's items (sendMediaGroup's `media`), which
    it reads only as its own InputMedia objects (the bot sends albums of photos only)."""
    media = params.get("media")
    if not isinstance(media, list):
        return dict(params)
    photos = [InputMediaPhoto(item["media"], caption=item.get("caption"), parse_mode=item.get("parse_mode"))
              for item in media]  # fmt: skip
    return params | {"media": photos}
