"""Pacing and retrying of Bot API calls, as Telegram limits them.

Telegram limits *messages*: about 30 a second overall, about one a second in a private chat and 20 a minute
in a group or channel (sends and edits alike). Deletes, restrictions, reads and button answers are not
messages: they are never paced here, so a busy group's backlog never delays them, nor other chats.

One `Pacer` keeps the count for both senders, the outbox (which asks when a chat may send next and meanwhile
sends to other chats, so a waiting chat holds nothing) and the handlers' direct calls (which wait their turn).
A 429 pauses only the chat it names, for `retry_after`.

Messages that fail transiently (5xx, network errors, timeouts) are tried again with capped exponential
backoff until they go out; only Telegram's refusals (400, 403) are final. A reply that cannot reach
Telegram waits in its chat's handler; the chat's later updates wait behind it, in order, other chats not.
"""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)
JSON = bool | dict[str, Any] | list[dict[str, Any]]

# Calls Telegram counts as messages to a chat.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAnimation", "sendAudio", "sendVoice",
        "sendVideoNote", "sendSticker", "sendMediaGroup", "sendPoll", "sendLocation", "sendVenue", "sendContact",
        "sendDice", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages", "editMessageText",
        "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup",
    }
)  # fmt: skip
PRIVATE_SPACING = 1.05  # seconds: about one message a second to one private chat
PRIVATE_PER_SECOND = 1 / PRIVATE_SPACING
GROUP_PER_MINUTE = 20
GROUP_SPACING = 3.05  # seconds between two bulk messages to one group or channel: 20 a minute, evenly
GROUP_BURST = 20.0  # Telegram counts a group's messages per minute: a quiet group may take a burst
PRIVATE_BURST = 3.0  # replies in a row; bulk messages keep to one a second (see `ready_in`)
RETRY_BASE = 0.5
RETRY_CAP = 30.0
MAX_FLOOD_RETRIES = 5

# rate_limit_args for callers that pace and retry on their own (the outbox, getUpdates): no waiting here.
CALLER_HANDLES_ERRORS = "caller-handles-errors"


def retry_after_seconds(error: RetryAfter) -> float:
    """retry_after in seconds (python-telegram-bot 22 moves it from int to timedelta and warns on access)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_transient(error: Exception) -> bool:
    """5xx, network errors and timeouts: worth trying again. 400 (BadRequest is a NetworkError in
    python-telegram-bot) and 403 are Telegram's final answer."""
    return isinstance(error, TimedOut) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest))


def is_expired_query(error: Exception) -> bool:
    """Telegram's refusal of an answer to a button press that came too late."""
    return isinstance(error, BadRequest) and "query is too old" in str(error).lower()


def backoff_delay(attempt: int, base: float = RETRY_BASE, cap: float = RETRY_CAP) -> float:
    """Capped exponential backoff with jitter, for the `attempt`-th retry (from 1)."""
    return min(cap, base * 2 ** max(0, attempt - 1)) * (0.75 + random.random() / 2)


def chat_key(chat_id: object) -> str | None:
    if chat_id is None or chat_id == "":
        return None
    return str(chat_id)


def is_private(chat: str) -> bool:
    """Positive ids are users; negative ids and @usernames are groups and channels."""
    return not chat.startswith(("-", "@"))


class _Bucket:
    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now

    def refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait(self, now: float, need: float = 1.0) -> float:
        self.refill(now)
        return max(0.0, (need - self.tokens) / self.rate)


class Pacer:
    """Telegram's message limits, per chat and overall, shared by everything that sends."""

    def __init__(self, overall_per_second: float, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self.per_second = overall_per_second
        now = clock.monotonic()
        self._overall = _Bucket(overall_per_second, max(1.0, overall_per_second / 10), now)
        self._chats: dict[str, _Bucket] = {}
        self._paused: dict[str, float] = {}
        self._last: dict[str, float] = {}  # private chats: when the last message went out

    def _bucket(self, chat: str, now: float) -> _Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if len(self._chats) > 20_000:
                self._forget_idle(now)
            private = is_private(chat)
            bucket = _Bucket(
                PRIVATE_PER_SECOND if private else GROUP_PER_MINUTE / 60,
                PRIVATE_BURST if private else GROUP_BURST,
                now,
            )
            self._chats[chat] = bucket
        return bucket

    def _forget_idle(self, now: float) -> None:
        """Drop the chats whose bucket is full again (they are as good as new)."""
        for bucket in self._chats.values():
            bucket.refill(now)
        self._chats = {chat: bucket for chat, bucket in self._chats.items() if bucket.tokens < bucket.burst}

    def ready_in(self, chat: str) -> float:
        """Seconds until a bulk message to `chat` may go out, booking nothing. Bulk senders keep a chat to one
        message every PRIVATE_SPACING (private) or GROUP_SPACING seconds, counted from Telegram's last answer
        there, and leave the bursts to replies."""
        now = self.clock.monotonic()
        bucket = self._bucket(chat, now)
        spacing = PRIVATE_SPACING if is_private(chat) else GROUP_SPACING
        last = self._last.get(chat)
        since_last = 0.0 if last is None else last + spacing - now
        return max(self._paused.get(chat, 0.0) - now, bucket.wait(now), self._overall.wait(now), since_last)

    def reserve(self, chat: str) -> float:
        """Book the next message to `chat`; returns how long to wait before sending it. A reply in a private
        chat answers the reader's own message and waits only for the overall rate (Telegram lets a
        conversation go at its pace); it is still counted, so bulk messages to the chat wait after it."""
        now = self.clock.monotonic()
        bucket = self._bucket(chat, now)
        private = is_private(chat)
        delay = max(self._paused.get(chat, 0.0) - now, self._overall.wait(now), 0.0 if private else bucket.wait(now))
        bucket.tokens -= 1  # below zero: the next caller waits for this one
        if private:
            bucket.tokens = max(-bucket.burst, bucket.tokens)  # a chatty reader delays bulk messages a little
        self._overall.tokens -= 1
        self._last[chat] = max(self._last.get(chat, now + delay), now + delay)
        return delay

    def answered(self, chat: str) -> None:
        """Telegram answered a message to `chat` now: a bulk sender's next one counts from here."""
        now = self.clock.monotonic()
        self._last[chat] = max(self._last.get(chat, now), now)
        if len(self._last) > 20_000:
            self._last = {k: at for k, at in self._last.items() if at > now - GROUP_SPACING}

    def pause(self, chat: str | None, seconds: float) -> None:
        """Telegram said 429: nothing more to this chat (or to anyone, without a chat) for `seconds`."""
        until = self.clock.monotonic() + seconds
        if chat is None:
            self._overall.refill(self.clock.monotonic())
            self._overall.tokens = min(self._overall.tokens, -seconds * self._overall.rate)
            return
        if self._paused.get(chat, 0.0) < until:
            self._paused[chat] = until
        if len(self._paused) > 10_000:
            now = self.clock.monotonic()
            self._paused = {k: at for k, at in self._paused.items() if at > now}

    def paused_for(self, chat: str) -> float:
        return max(0.0, self._paused.get(chat, 0.0) - self.clock.monotonic())


class TelegramRateLimiter(BaseRateLimiter[Any]):
    """python-telegram-bot's rate limiter hook: paces messages (only messages) through the shared Pacer,
    waits out 429s per chat and retries messages that failed transiently."""

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.retry_base = RETRY_BASE
        self.retry_cap = RETRY_CAP
        self.retrying = True  # False while stopping: a reply still failing is then given up

    async def initialize(self) -> None:
        self.retrying = True

    async def shutdown(self) -> None:
        self.retrying = False

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> JSON:
        if rate_limit_args == CALLER_HANDLES_ERRORS:
            return await callback(*args, **kwargs)
        chat = chat_key(data.get("chat_id"))
        message = endpoint in MESSAGE_METHODS and chat is not None
        floods = transient = 0
        while True:
            if message:
                assert chat is not None
                delay = self.pacer.reserve(chat)
            else:
                delay = self.pacer.paused_for(chat) if chat is not None else 0.0
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                floods += 1
                if floods > MAX_FLOOD_RETRIES and not self.retrying:
                    raise  # stopping: a reply Telegram keeps refusing is given up (running, it waits its turn)
                pause = retry_after_seconds(error) + 0.1
                log.info("%s to chat %s hit Telegram's flood limit; retrying in %.1f s", endpoint, chat, pause)
                self.pacer.pause(chat, pause)
            except Exception as error:
                if endpoint == "answerCallbackQuery" and is_expired_query(error):
                    # Telegram takes a button's answer only for some seconds after the press; a press handled
                    # later (queued across a restart, or behind a busy chat) still does its work, unanswered.
                    log.info("the answer to a button press came after Telegram's window: %s", error)
                    return True
                if not (message and self.retrying and is_transient(error)):
                    raise
                transient += 1
                delay = backoff_delay(transient, self.retry_base, self.retry_cap)
                log.warning("%s to chat %s failed (%s); try %d again in %.1f s", endpoint, chat, error,
                            transient + 1, delay)  # fmt: skip
                await asyncio.sleep(delay)
