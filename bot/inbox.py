"""The durable inbox: nothing Telegram sent is lost when the process dies.

python-telegram-bot's Updater tells Telegram an update arrived (the next getUpdates offset, or the webhook's
200) as soon as it is queued in memory, so whatever was fetched but not yet handled dies with the process.
Here every update is written to SQLite first and only then acknowledged; it is handled from the inbox by the
real Application (`process_update`, every handler as registered) and marked done afterwards. At start the
updates left unhandled are handled first. A re-delivered update (same update_id) is stored, and so handled,
once; an update cut short by a crash is handled again (at-least-once).

Handling runs chats in parallel and each chat in order (a reader's "write a comment" press before the text
that follows it). A chat whose update is being handled waits without holding a worker: at most one worker
per chat, `MAX_WORKERS` in all, and a busy chat goes to the back of the line after each update.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import warnings
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import Conflict, Forbidden, InvalidToken, TelegramError
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot import tasks
from bot.clock import SYSTEM_CLOCK, Clock
from bot.handling import handling
from bot.metrics import Metrics
from bot.ratelimit import CALLER_HANDLES_ERRORS
from storage.inbox import InboxRepository

log = logging.getLogger(__name__)

MAX_WORKERS = 64
WINDOW = 2000  # updates held in memory at once; the rest wait in SQLite
POLL_TIMEOUT = 30  # seconds Telegram holds a getUpdates open
POLL_BACKOFF_MAX = 30.0
KEEP_HANDLED = 26 * 3600  # Telegram re-delivers an update for at most 24 hours
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class _Item:
    seq: int
    update: Update | None  # None: Telegram sent something python-telegram-bot cannot read


def update_key(update: Update | None, seq: int) -> Hashable:
    """Updates with the same key are handled one at a time, in order: one chat's (or, without a chat, one
    user's) updates."""
    if update is not None:
        if update.effective_chat is not None:
            return ("chat", update.effective_chat.id)
        if update.effective_user is not None:
            return ("user", update.effective_user.id)
    return ("update", seq)


class InboxDispatcher:
    """Hands stored updates to the Application, chats in parallel and each chat in order."""

    def __init__(
        self,
        app: Application,
        repository: InboxRepository,
        *,
        clock: Clock = SYSTEM_CLOCK,
        max_workers: int = MAX_WORKERS,
        window: int = WINDOW,
        metrics: Metrics | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.repository = repository
        self.clock = clock
        self.max_workers = max_workers
        self.window = window
        self.handled = 0
        self._queues: dict[Hashable, deque[_Item]] = {}
        self._ready: deque[Hashable] = deque()  # chats with updates waiting and no worker
        self._active: set[Hashable] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._queued = 0
        self._loaded_seq = 0
        self._feeding = asyncio.Lock()
        self._dirty = False
        self._more_stored = False  # the window was full: more pending updates wait in SQLite
        self._changed = asyncio.Event()
        self._stopped = False

    async def start(self) -> None:
        """Load what the last process left unhandled: it is handled before anything newer."""
        now = self.clock.time()
        pending, failed = await self.repository.recover(now)
        if failed:
            log.error("inbox: %d update(s) were cut short by %s crashes and are set aside", failed, "repeated")
        if pending:
            log.warning("inbox: %d update(s) left unhandled at the last stop are handled first", pending)
        pruned = await self.repository.prune(now - KEEP_HANDLED)
        if pruned:
            log.info("inbox: pruned %d handled update(s)", pruned)
        await self.feed()

    @property
    def idle(self) -> bool:
        return not self._queued and not self._active

    async def feed(self) -> None:
        """Take stored updates not yet in memory (after the poller or the webhook stored some)."""
        self._dirty = True
        if self._feeding.locked():
            return  # the feed running now reads again before it ends
        async with self._feeding:
            while self._dirty and not self._stopped:
                self._dirty = False
                limit = self.window - self._queued
                if limit <= 0:
                    self._more_stored = True
                    break
                rows = await self.repository.pending_after(self._loaded_seq, limit)
                for row in rows:
                    self._loaded_seq = row.seq
                    self._add(_Item(row.seq, self._parse(row.update_id, row.data)))
                self._more_stored = len(rows) == limit
                self._dirty = self._dirty or self._more_stored
                self._pump()

    def _parse(self, update_id: int, data: dict[str, Any]) -> Update | None:
        try:
            return Update.de_json(data, self.app.bot)
        except Exception as error:  # one unreadable update must not stop the others
            log.warning("inbox: update %s cannot be read (%s: %s); skipped", update_id, type(error).__name__, error)
            return None

    def _add(self, item: _Item) -> None:
        key = update_key(item.update, item.seq)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
        queue.append(item)
        self._queued += 1
        if len(queue) == 1 and key not in self._active:
            self._ready.append(key)

    def _pump(self) -> None:
        while self._ready and len(self._active) < self.max_workers and not self._stopped:
            key = self._ready.popleft()
            self._active.add(key)
            task = asyncio.create_task(self._work(key), name="inbox-update")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _work(self, key: Hashable) -> None:
        queue = self._queues[key]
        item = queue[0]
        try:
            await self._handle(item)
        finally:
            queue.popleft()
            self._queued -= 1
            self._active.discard(key)
            if queue:
                self._ready.append(key)  # to the back of the line: other chats get their turn
            else:
                del self._queues[key]
            self._changed.set()
            if not self._stopped:
                self._pump()
                if self._more_stored and self._queued < self.window // 2:
                    self._refill()

    def _refill(self) -> None:
        if not self._feeding.locked():
            task = asyncio.create_task(self.feed(), name="inbox-feed")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _handle(self, item: _Item) -> None:
        state = "failed"
        if item.update is not None:
            started = self.clock.monotonic()
            try:
                with handling(item.update.update_id):  # changes made once per update know which one this is
                    await self.app.process_update(item.update)  # handler errors go to the error handler in there
                state = "done"
            except Exception:
                log.exception("inbox: update %s could not be processed", item.update.update_id)
            if self.metrics is not None:
                self.metrics.observe_update(item.update, self.clock.monotonic() - started)
                self.metrics.inbox_backlog.set(self._queued - 1)
        # Not shielded from cancellation: an update cut short by a stop stays pending and is handled at start.
        try:
            await self.repository.mark_done([item.seq], self.clock.time(), state)
        except Exception as error:  # the database is closing or failing: it stays pending, handled again
            log.warning("inbox: could not mark update %s handled: %s", item.seq, error)
        self.handled += 1

    async def drain(self, timeout: float) -> bool:
        """Keep handling until nothing is left in memory or `timeout` passes; True when drained."""
        deadline = self.clock.monotonic() + timeout
        while not self.idle:
            remaining = deadline - self.clock.monotonic()
            if remaining <= 0:
                return False
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))
        return True

    async def stop(self, timeout: float = 0.5) -> None:
        """Start no more updates; those being handled get `timeout`, then are cut short (they stay pending)."""
        self._stopped = True
        tasks = list(self._tasks)
        if tasks:
            _, unfinished = await asyncio.wait(tasks, timeout=timeout)
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.wait(unfinished, timeout=1.0)


class Poller:
    """Long polling that acknowledges a batch (the next offset) only once it is stored."""

    def __init__(
        self,
        app: Application,
        repository: InboxRepository,
        dispatcher: InboxDispatcher,
        allowed_updates: list[str],
        *,
        clock: Clock = SYSTEM_CLOCK,
        timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.app = app
        self.repository = repository
        self.dispatcher = dispatcher
        self.allowed_updates = allowed_updates
        self.clock = clock
        self.timeout = timeout
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Telegram refuses getUpdates while a webhook is set (a previous run in webhook mode).
        await self.app.bot.delete_webhook()
        self._task = asyncio.create_task(self._run(), name="inbox-poller")

    async def stop(self) -> None:
        """Stop polling. A batch fetched but not yet stored is not acknowledged: Telegram sends it again."""
        await tasks.cancel(self._task)
        self._task = None

    async def _run(self) -> None:
        offset: int | None = None  # the first call takes whatever Telegram still holds
        backoff = 1.0
        while True:
            try:
                batch = await self._get_updates(offset)
            except (InvalidToken, Forbidden) as error:
                log.error("getUpdates refused for good (%s); no more updates will be received", error)
                return
            except Conflict as error:
                log.warning("getUpdates conflicts (another instance or a webhook?): %s; retrying", error)
                await asyncio.sleep(backoff)
                backoff = min(POLL_BACKOFF_MAX, backoff * 2)
                continue
            except (TelegramError, OSError) as error:
                log.warning("getUpdates failed, retrying in %.0f s: %s", backoff, error)
                await asyncio.sleep(backoff)
                backoff = min(POLL_BACKOFF_MAX, backoff * 2)
                continue
            backoff = 1.0
            updates = [u for u in batch if isinstance(u, dict) and isinstance(u.get("update_id"), int)]
            if len(updates) < len(batch):
                log.warning("getUpdates: %d entr(y/ies) without an update id ignored", len(batch) - len(updates))
            if not updates:
                continue
            try:
                await self.repository.store(updates, self.clock.time())
            except Exception:
                log.exception("inbox: could not store %d update(s); fetching them again", len(updates))
                await asyncio.sleep(backoff)
                continue
            offset = max(u["update_id"] for u in updates) + 1  # stored: now Telegram may forget them
            try:
                await self.dispatcher.feed()
            except Exception:  # stored all the same: the next feed takes them
                log.exception("inbox: could not hand stored updates over")

    async def _get_updates(self, offset: int | None) -> list[Any]:
        params: dict[str, Any] = {"timeout": self.timeout, "allowed_updates": self.allowed_updates}
        if offset is not None:
            params["offset"] = offset
        # do_api_request gives the raw JSON: each update is stored as Telegram sent it and read one by one,
        # so one that python-telegram-bot cannot parse does not block the batch (as get_updates would).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PTBUserWarning)
            result = await self.app.bot.do_api_request(
                "getUpdates",
                api_kwargs=params,
                read_timeout=self.timeout + 10,
                rate_limit_args=CALLER_HANDLES_ERRORS,
            )
        return result if isinstance(result, list) else []


class WebhookReceiver:
    """The webhook endpoint: answers 200 only once the update is stored, and 403 without the secret."""

    def __init__(
        self,
        repository: InboxRepository,
        dispatcher: InboxDispatcher,
        *,
        path: str,
        secret: str,
        listen: str,
        port: int,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repository = repository
        self.dispatcher = dispatcher
        self.path = "/" + path.lstrip("/")
        self._secret = secret.encode()
        self.listen = listen
        self.port = port
        self.clock = clock
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_post(self.path, self._receive)
        # No access log: it would write the path of every request, and the handler logs what matters.
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook: refused a request from %s without the secret", request.remote)
            return web.Response(status=403)
        try:
            update = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="not an update")
        try:
            await self.repository.store([update], self.clock.time())
        except Exception:
            log.exception("webhook: could not store update %s; Telegram will send it again", update["update_id"])
            return web.Response(status=503)
        await self.dispatcher.feed()
        return web.Response(status=200)
