"""The services one running bot shares: created at start-up, closed at shutdown."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.discussion.service import DiscussionService
from bot.error_reports import ErrorReportThrottle
from bot.moderation.service import ModerationService
from bot.news.drafts import DraftService
from bot.news.feeds import FeedService
from bot.news.fetch import Fetcher
from bot.news.publisher import Publisher
from bot.news.story_service import StoryService
from bot.outbox import OutboxSender
from bot.ratelimit import Pacer, TelegramRateLimiter
from bot.subscriptions.digests import DigestService
from bot.subscriptions.service import SubscriptionService
from bot.text.engine import TextEngine, get_engine
from bot.texts import t
from bot.users import UserService
from storage.articles import ArticleRepository
from storage.comments import CommentRepository, ViewRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.feeds import FeedRepository
from storage.moderation import ModerationRepository
from storage.outbox import OutboxRepository, OutboxRow
from storage.pending import PendingInputRepository
from storage.subscriptions import SubscriptionRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: Database
    users: UserService
    text: TextEngine
    articles: ArticleRepository
    outbox: OutboxRepository
    pending: PendingInputRepository
    drafts: DraftService
    publisher: Publisher
    stories: StoryService
    feeds: FeedService
    fetcher: Fetcher
    discussion: DiscussionService
    moderation: ModerationService
    subscriptions: SubscriptionService
    digests: DigestService
    sender: OutboxSender | None = None
    bot_username: str = "goftogu_bot"
    clock: Clock = SYSTEM_CLOCK
    error_throttle: ErrorReportThrottle = field(default_factory=ErrorReportThrottle)
    started_at: float = 0.0  # on `clock`'s monotonic scale, set by open()

    @property
    def uptime(self) -> float:
        return self.clock.monotonic() - self.started_at

    @classmethod
    async def open(cls, settings: Settings, clock: Clock = SYSTEM_CLOCK) -> Services:
        """Open the database, bring its schema up to date and build every service on it."""
        started_at = clock.monotonic()
        # hazm's objects take a couple of seconds to build: once per process, off the event loop.
        text = await asyncio.to_thread(get_engine)
        db = Database(settings.database_path)
        await db.open()
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
        users = UserService(UserRepository(db), settings.owner_ids, settings.bot_language, clock)
        articles, outbox = ArticleRepository(db), OutboxRepository(db)
        holder: dict[str, Services] = {}
        publisher = Publisher(
            text,
            articles,
            outbox,
            settings.channel_id,
            bot_username=lambda: holder["services"].bot_username,
            lang=settings.bot_language,
            tz=settings.tz,
            wake_sender=lambda: holder["services"].wake_sender(),
            miniapp=bool(settings.miniapp_url),
            clock=clock,
        )
        fetcher = Fetcher(allow_private=settings.allow_private_feeds)
        feeds = FeedService(
            FeedRepository(db),
            publisher,
            fetcher,
            settings.feed_poll_seconds,
            notify_admins=lambda key, params: holder["services"].notify_admins(key, params),
            clock=clock,
        )
        comments = CommentRepository(db)
        discussion = DiscussionService(
            comments,
            ViewRepository(db),
            articles,
            users,
            publisher,
            outbox,
            max_chars=settings.comment_max_chars,
            per_minute=settings.comments_per_minute,
            clock=clock,
            group_id=settings.discussion_group_id,
            lang=settings.bot_language,
        )
        moderation = ModerationService(
            ModerationRepository(db),
            comments,
            users,
            publisher,
            outbox,
            settings,
            notify_admins=lambda key, params: holder["services"].notify_admins(key, params),
            clock=clock,
        )
        await moderation.load()
        discussion.moderation = moderation
        moderation.on_approved = discussion.approved
        moderation.on_taken_down = discussion.take_down_mirror
        subscription_repo = SubscriptionRepository(db)
        digests = DigestService(
            subscription_repo,
            users,
            publisher,
            outbox,
            tz=settings.tz,
            times=settings.digest_times,
            channel_id=settings.channel_id,
            lang=settings.bot_language,
            grace_seconds=settings.digest_grace_minutes * 60,
            top_stories=settings.digest_stories,
        )
        await digests.load()
        services = cls(
            settings=settings,
            db=db,
            users=users,
            text=text,
            articles=articles,
            outbox=outbox,
            pending=PendingInputRepository(db),
            drafts=DraftService(DraftRepository(db), publisher, fetcher, settings.bot_language, settings.tz),
            publisher=publisher,
            stories=StoryService(publisher.stories, publisher, clock),
            feeds=feeds,
            fetcher=fetcher,
            discussion=discussion,
            moderation=moderation,
            subscriptions=SubscriptionService(subscription_repo, feeds.feeds, users, publisher, outbox),
            digests=digests,
            clock=clock,
            error_throttle=ErrorReportThrottle(clock=clock),
            started_at=started_at,
        )
        holder["services"] = services
        return services

    async def start_background(self, bot: ExtBot) -> None:
        """Start the outbox sender and the feed poller once the bot is connected."""
        self.bot_username = bot.username
        self.moderation.bot = bot
        await self._learn_channel_username(bot)
        # The outbox and the handlers' replies count Telegram's limits together.
        limiter = bot.rate_limiter
        pacer = limiter.pacer if isinstance(limiter, TelegramRateLimiter) else Pacer(self.settings.send_rate_per_second)
        self.sender = OutboxSender(
            self.outbox,
            bot,
            pacer,
            on_sent=self._on_sent,
            on_dead=self._on_dead,
            retention_seconds=self.settings.outbox_retention_days * 86400,
        )
        await self.sender.start()
        if await self.moderation.reconcile_group() > 0:
            log.warning("sanctions still pending in the discussion group; they are retried with the next one")
        resumed = await self.subscriptions.resume_alerts()
        if resumed:
            log.warning("queued %d instant alert(s) that a stopped process had not queued", resumed)
        await self.digests.resume()
        self.publisher.clusterer.start()  # the stories of the last 48 hours, from SQLite
        requeued = await self.publisher.requeue_unsent()
        if requeued:
            log.info("re-queued %d article(s) whose channel post was never queued", requeued)
        await self.feeds.seed(self.settings.feeds)
        await self.feeds.start()
        indexed = await self.subscriptions.backfill_index()
        if indexed:
            log.info("indexed %d stor(y/ies) for search", indexed)
        await self.digests.run_due()  # a digest missed while the bot was down, within the grace period

    async def _learn_channel_username(self, bot: ExtBot) -> None:
        """With a numeric CHANNEL_ID, ask Telegram once whether the channel is public (has a username), so that
        links to its posts are ones non-members can open."""
        channel = self.settings.channel_id
        if not channel or channel.startswith("@"):
            return
        try:
            chat = await bot.get_chat(channel)
        except TelegramError as error:
            log.warning("could not read channel %s (links to its posts use t.me/c/…): %s", channel, error)
            return
        self.digests.channel_username = chat.username

    def wake_sender(self) -> None:
        if self.sender is not None:
            self.sender.wake()

    async def _on_sent(self, row: OutboxRow, result: dict[str, Any] | bool) -> None:
        await self.publisher.on_sent(row, result)
        await self.discussion.on_sent(row, result)
        if row.kind == "channel_post" and row.article_id is not None:
            await self.subscriptions.on_posted(row.article_id)

    async def _on_dead(self, row: OutboxRow, reason: str) -> None:
        if reason.startswith("Forbidden") and row.chat_id.lstrip("-").isdigit():
            self.users.reachable.discard(int(row.chat_id))  # marked reachable again when they next write
        failed_post = await self.publisher.on_dead(row, reason)
        if failed_post is not None:
            await self.notify_admins("channel_post_failed_notice", {"reason": failed_post})

    async def notify_admins(self, key: str, params: dict[str, Any]) -> None:
        """Tell every admin who has written to the bot, each in their language, through the outbox; a callable
        parameter is given the admin's language (for labels written per language, like a comment's id)."""
        now = self.clock.time()
        for admin_id in await self.users.known_admins():
            lang = await self.users.language(admin_id, None)
            values = {name: value(lang) if callable(value) else value for name, value in params.items()}
            await self.outbox.enqueue(
                f"notice:{uuid.uuid4().hex}",
                "admin_notice",
                admin_id,
                "sendMessage",
                {"chat_id": admin_id, "text": t(lang, key, **values), "parse_mode": "HTML"},
                now,
            )
        self.wake_sender()

    async def close(self) -> None:
        await self.feeds.stop()
        await self.publisher.clusterer.stop()
        if self.sender is not None:
            await self.sender.stop()
        await self.fetcher.close()
        self.publisher.close()
        await self.db.close()
