"""Builds the python-telegram-bot Application from settings and runs it until told to stop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import signal

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

import handlers
from bot.backups import BackupService
from bot.clock import SYSTEM_CLOCK, Clock
from bot.commands import publish_admin_menu, publish_public_menu
from bot.config import Settings
from bot.context import SERVICES_KEY, BotContext
from bot.health import HealthServer
from bot.inbox import InboxDispatcher, Poller, WebhookReceiver
from bot.logs import add_secret
from bot.metrics import Metrics
from bot.miniapp.server import MiniAppServer, build_miniapp
from bot.ratelimit import Pacer, TelegramRateLimiter
from bot.services import Services
from bot.transport import AiohttpRequest
from storage.inbox import InboxRepository
from storage.lock import DatabaseLock

log = logging.getLogger(__name__)

# A clean stop must finish within the 5 s an operator (or systemd) waits after SIGTERM.
STOP_TIMEOUT = 4.0
# Telegram sometimes takes several seconds to answer a send: a shorter timeout makes a retry, and so a
# duplicate message, out of a send that was only slow.
SEND_READ_TIMEOUT = 30.0


def build_application(
    settings: Settings,
    requests: tuple[BaseRequest, BaseRequest],
    *,
    metrics: Metrics | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> Application:
    """One factory for production and tests: `requests` are the transports for Bot API calls and for
    getUpdates (the caller owns them and closes them, whether or not the application ever started)."""
    base = settings.bot_api_base_url
    file_base = base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(base)
        .base_file_url(file_base)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        # Pacing is against Telegram's real clock, never the services' (a test's clock may stand still).
        .rate_limiter(TelegramRateLimiter(Pacer(settings.send_rate_per_second)))
        .updater(None)  # updates come through the durable inbox (bot/inbox.py), not python-telegram-bot's Updater
    )
    builder = builder.request(requests[0]).get_updates_request(requests[1])
    app = builder.build()
    handlers.register_all(app)
    return app


class BotRunner:
    """Starts and stops one bot: database, services, Telegram connection and update source."""

    def __init__(self, settings: Settings, *, request: BaseRequest | None = None, clock: Clock = SYSTEM_CLOCK) -> None:
        self.settings = settings
        self.clock = clock
        self.metrics = Metrics()
        observe = self.metrics.observe_api
        self.requests = (
            request or AiohttpRequest(read_timeout=SEND_READ_TIMEOUT, on_response=observe),
            AiohttpRequest(connection_pool_size=1, on_response=observe),
        )
        self.app = build_application(settings, self.requests, metrics=self.metrics, clock=clock)
        self.services: Services | None = None
        self.lock = DatabaseLock(settings.database_path)
        self.backups: BackupService | None = None
        self.health: HealthServer | None = None
        self.miniapp: MiniAppServer | None = None
        self.inbox: InboxDispatcher | None = None
        self._receiver: Poller | WebhookReceiver | None = None

    async def start(self) -> None:
        self.lock.acquire()  # raises DatabaseInUse when another bot runs on this database
        try:
            self.services = await Services.open(self.settings, self.app.bot, self.clock)
        except BaseException:
            self.lock.release()
            raise
        self.app.bot_data[SERVICES_KEY] = self.services
        try:
            await self._start_operations(self.services)
            await self.app.initialize()
            me = self.app.bot
            log.info("connected to the Bot API as @%s (id %s)", me.username, me.id)
            await self.services.start_background()
            await publish_public_menu(self.app.bot)
            for admin_id in await self.services.users.known_admins():
                if await publish_admin_menu(self.app.bot, admin_id):
                    self.services.users.admin_menu_published.add(admin_id)
            await self.app.start()
            if self.app.job_queue is not None:
                self.services.digests.schedule(self.app.job_queue)
            await self._start_updates()
        except BaseException:
            await self.stop()
            raise

    async def _start_operations(self, services: Services) -> None:
        """Daily backups and the local health and metrics server, when turned on."""
        if self.settings.backup_keep:
            self.backups = BackupService(services.db, self.settings.backup_directory, self.settings.backup_keep)
            await self.backups.start()
        if self.settings.miniapp_url:
            self.miniapp = build_miniapp(self.settings, services)
            await self.miniapp.start()
        if self.settings.health_port:
            self.health = HealthServer(
                services.db,
                services.outbox,
                services.feeds.feeds,
                self.metrics,
                self.settings.health_listen,
                self.settings.health_port,
            )
            await self.health.start()

    async def _start_updates(self) -> None:
        assert self.services is not None
        repository = InboxRepository(self.services.db)
        # The inbox times its work in real seconds (a stop's drain), whatever clock the services read.
        self.inbox = InboxDispatcher(self.app, repository, metrics=self.metrics)
        await self.inbox.start()  # what the last process left unhandled goes first
        if self.settings.uses_webhook:
            # Without a configured secret anyone who reaches the port could post updates: make one.
            configured = self.settings.webhook_secret
            secret = configured.get_secret_value() if configured else secrets.token_urlsafe(32)
            add_secret(secret)
            url = self.settings.webhook_url or ""
            path = url.split("://", 1)[-1].partition("/")[2]
            receiver = WebhookReceiver(
                repository,
                self.inbox,
                path=path,
                secret=secret,
                listen=self.settings.webhook_listen,
                port=self.settings.webhook_port,
            )
            await receiver.start()
            self._receiver = receiver
            await self.app.bot.set_webhook(url, secret_token=secret, allowed_updates=handlers.ALLOWED_UPDATES)
            log.info("receiving updates by webhook on %s:%s", self.settings.webhook_listen, self.settings.webhook_port)
        else:
            poller = Poller(self.app, repository, self.inbox, handlers.ALLOWED_UPDATES)
            await poller.start()
            self._receiver = poller
            log.info("receiving updates by long polling")

    async def stop(self) -> None:
        """Stop taking updates, let in-flight handlers finish, then close the database."""
        app = self.app
        try:
            if self._receiver is not None:
                await self._receiver.stop()
                self._receiver = None
            if self.inbox is not None:
                if not await self.inbox.drain(self.settings.stop_drain_seconds):
                    log.warning("stopping with updates still unhandled; they are handled first at the next start")
                await self.inbox.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        finally:
            # python-telegram-bot closes its transports only when it finished initializing; a start that
            # failed on the way (a refused token, no Bot API) would leave their sessions open.
            for request in self.requests:
                with contextlib.suppress(Exception):
                    await request.shutdown()
            if self.health is not None:
                await self.health.stop()
                self.health = None
            if self.miniapp is not None:
                await self.miniapp.stop()
                self.miniapp = None
            if self.backups is not None:
                await self.backups.stop()
                self.backups = None
            if self.services is not None:
                await self.services.close()
                self.services = None
            self.lock.release()


async def serve(settings: Settings) -> None:
    """Run the bot until SIGTERM or SIGINT."""
    runner = BotRunner(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await runner.start()
    log.info("bot is running; send SIGTERM or press Ctrl+C to stop")
    await stop.wait()
    log.info("stopping")
    try:
        await asyncio.wait_for(runner.stop(), STOP_TIMEOUT)
    except TimeoutError:
        log.warning("in-flight work did not finish within %.0f s; exiting anyway", STOP_TIMEOUT)
        with contextlib.suppress(Exception):
            if runner.services is not None:
                await runner.services.close()
    log.info("stopped")
    # The text engine's millions of objects make the interpreter's last collections take seconds: keep them
    # out of those, so that the process is gone within the stop timeout.
    gc.freeze()
