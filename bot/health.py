"""A local HTTP server for operators: /healthz (is the bot well?) and /metrics (Prometheus)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.metrics import Metrics
from storage.db import Database
from storage.feeds import FeedRepository
from storage.outbox import OutboxRepository

log = logging.getLogger(__name__)

# /healthz fails when nothing has gone out for this long although messages wait, or Telegram is silent this long.
OUTBOX_STALE_SECONDS = 600.0
API_SILENT_SECONDS = 180.0


class HealthServer:
    def __init__(
        self,
        db: Database,
        outbox: OutboxRepository,
        feeds: FeedRepository,
        metrics: Metrics,
        listen: str,
        port: int,
    ) -> None:
        self.db, self.outbox, self.feeds, self.metrics = db, outbox, feeds, metrics
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.listen, self.port).start()
        except OSError as error:  # the bot matters more than its health page: run without it
            log.warning("no health and metrics server on %s:%s: %s", self.listen, self.port, error)
            await self.stop()
            return
        log.info("health and metrics on http://%s:%s/healthz and /metrics", self.listen, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def check(self) -> dict[str, Any]:
        writable = await self._database_writable()
        stats = await self.outbox.stats(self.metrics.clock.time())
        waiting = int(stats["pending"] + stats["sending"])
        api_age = self.metrics.seconds_since_api_success()
        problems = []
        if not writable:
            problems.append("database not writable")
        if api_age is None or api_age > API_SILENT_SECONDS:
            problems.append("no successful Bot API call recently")
        if waiting and stats["oldest_age"] > OUTBOX_STALE_SECONDS:
            problems.append("outbox is not draining")
        return {
            "ok": not problems,
            "problems": problems,
            "database_writable": writable,
            "last_bot_api_success_seconds_ago": None if api_age is None else round(api_age, 1),
            "outbox_waiting": waiting,
            "outbox_oldest_seconds": round(stats["oldest_age"], 1),
        }

    async def _database_writable(self) -> bool:
        try:
            async with self.db.transaction():  # BEGIN IMMEDIATE takes the write lock; nothing is written
                pass
        except Exception:
            log.exception("health check: the database is not writable")
            return False
        return True

    async def _healthz(self, _: web.Request) -> web.Response:
        report = await self.check()
        return web.json_response(report, status=200 if report["ok"] else 503)

    async def _metrics(self, _: web.Request) -> web.Response:
        stats = await self.outbox.stats(self.metrics.clock.time())
        for state in ("pending", "sending", "failed", "dead"):
            self.metrics.outbox.labels(state).set(stats[state])
        self.metrics.outbox_oldest.set(stats["oldest_age"])
        feeds = await self.feeds.all()
        for status in ("active", "paused"):
            self.metrics.feeds.labels(status).set(sum(1 for f in feeds if f.status == status))
        self.metrics.feed_failures.set(sum(f.failures for f in feeds))
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})
