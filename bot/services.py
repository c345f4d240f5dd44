"""The services one running bot shares: created at start-up, closed at shutdown."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.discussion.replies import Replies
from bot.discussion.service import DiscussionService
from bot.gateway import GroupGateway
from bot.inputs import InputService
from bot.moderation.audit import AuditLog
from bot.moderation.group_deletes import TOO_OLD, GroupDeletes
from bot.moderation.queue import ReviewQueue
from bot.moderation.roles import Roles
from bot.moderation.sanctions import SanctionBook, Sanctions
from bot.moderation.screening import Screener
from bot.news.drafts import DraftService
from bot.news.feeds import FeedService
from bot.news.fetch import Fetcher
from bot.news.publisher import Publisher
from bot.news.story_service import StoryService
from bot.notify import Notifier
from bot.outbox import OutboxSender
from bot.privacy.service import PrivacyService
from bot.ratelimit import Pacer, TelegramRateLimiter
from bot.subscriptions.digests import DigestService
from bot.subscriptions.service import SubscriptionService
from bot.telegram_gateway import TelegramGateway
from bot.text.engine import TextEngine, get_engine
from bot.throttle import NoticeThrottle
from bot.users import UserService
from storage.albums import AlbumRepository
from storage.articles import ArticleRepository
from storage.comments import CommentRepository, ViewRepository
from storage.db import Database
from storage.drafts import DraftRepository
from storage.feeds import FeedRepository
from storage.moderation import ModerationRepository
from storage.outbox import OutboxRepository, OutboxRow
from storage.pending import PendingInputRepository
from storage.privacy import PrivacyRepository
from storage.stats import StatsRepository
from storage.subscriptions import SubscriptionRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)
GROUP_HELP_INTERVAL = 60.0  # seconds: /help (and a refusal) in the discussion group: at most once a minute


@dataclass
class Services:
    settings: Settings
    db: Database
    bot: ExtBot
    users: UserService
    text: TextEngine
    articles: ArticleRepository
    outbox: OutboxRepository
    sender: OutboxSender
    notifier: Notifier
    inputs: InputService
    drafts: DraftService
    publisher: Publisher
    stories: StoryService
    feeds: FeedService
    fetcher: Fetcher
    discussion: DiscussionService
    audit: AuditLog
    roles: Roles
    sanctions: Sanctions
    screener: Screener
    queue: ReviewQueue
    group_deletes: GroupDeletes
    stats: StatsRepository
    privacy: PrivacyService
    subscriptions: SubscriptionService
    digests: DigestService
    clock: Clock = SYSTEM_CLOCK
    error_throttle: NoticeThrottle = field(default_factory=NoticeThrottle)
    group_help_throttle: NoticeThrottle = field(default_factory=NoticeThrottle)  # /help in the group
    group_refusal_throttle: NoticeThrottle = field(default_factory=NoticeThrottle)  # readers' /ban in the group
    started_at: float = 0.0  # on `clock`'s monotonic scale, set by open()

    @property
    def uptime(self) -> float:
        return self.clock.monotonic() - self.started_at

    @property
    def bot_username(self) -> str:
        return str(self.bot.username)

    @classmethod
    async def open(
        cls, settings: Settings, bot: ExtBot, clock: Clock = SYSTEM_CLOCK, gateway: GroupGateway | None = None
    ) -> Services:
        """Open the database, bring its schema up to date and build every service on it. `bot` is the Bot API
        client (not connected yet): the outbox sender and the group gateway use it once the bot starts."""
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
        group = gateway or TelegramGateway(bot)
        users = UserService(UserRepository(db), settings.owner_ids, settings.bot_language, clock)
        articles, outbox = ArticleRepository(db), OutboxRepository(db)
        wakeup = asyncio.Event()  # rung by whatever queues a message; the outbox sender answers it
        notifier = Notifier(outbox, users, wakeup.set, lang=settings.bot_language,
                            mod_log_chat_id=settings.mod_log_chat_id, clock=clock)  # fmt: skip
        publisher = Publisher(
            text,
            articles,
            outbox,
            settings.channel_id,
            bot_username=lambda: str(bot.username),
            lang=settings.bot_language,
            tz=settings.tz,
            notifier=notifier,
            miniapp=bool(settings.miniapp_url),
            clock=clock,
        )
        fetcher = Fetcher(allow_private=settings.allow_private_feeds)
        feeds = FeedService(
            FeedRepository(db), publisher, fetcher, settings.feed_poll_seconds, notifier.notify_admins, clock=clock
        )
        comments, moderation, albums = CommentRepository(db), ModerationRepository(db), AlbumRepository(db)
        stats = StatsRepository(db)
        audit = AuditLog(moderation, stats, users, notifier, lang=settings.bot_language, tz=settings.tz, clock=clock)
        book = SanctionBook(moderation, clock)
        roles = Roles(moderation, users, group, audit, book.banned, group_id=settings.discussion_group_id,
                      cache_seconds=settings.group_admin_cache_seconds, clock=clock)  # fmt: skip
        sanctions = Sanctions(book, moderation, comments, roles, audit, notifier, group, settings, users, clock)
        screener = Screener(moderation, articles, users, roles, book, audit, notifier, settings, clock)
        replies = Replies(comments, articles, users, publisher, notifier, group_id=settings.discussion_group_id)
        # A comment leaving the review queue is an event for the discussion: its reply notice and group copy.
        group_deletes = GroupDeletes(group, notifier, users, clock)
        queue = ReviewQueue(db, moderation, comments, albums, publisher, roles, book, sanctions, audit, notifier,
                            group_deletes, settings, on_approved=replies.approved, on_taken_down=replies.take_down,
                            clock=clock)  # fmt: skip
        discussion = DiscussionService(
            comments,
            ViewRepository(db),
            articles,
            users,
            publisher,
            screener,
            queue,
            replies,
            albums,
            max_chars=settings.comment_max_chars,
            per_minute=settings.comments_per_minute,
            clock=clock,
        )
        for loaded in (roles, book, screener):
            await loaded.load()
        subscription_repo = SubscriptionRepository(db)
        subscriptions = SubscriptionService(subscription_repo, feeds.feeds, users, publisher, notifier, clock)
        digests = DigestService(
            subscription_repo,
            users,
            publisher,
            notifier,
            tz=settings.tz,
            times=settings.digest_times,
            channel_id=settings.channel_id,
            lang=settings.bot_language,
            grace_seconds=settings.digest_grace_minutes * 60,
            top_stories=settings.digest_stories,
            clock=clock,
        )
        await digests.load()
        privacy = PrivacyService(PrivacyRepository(db), users, audit, tz=settings.tz, lang=settings.bot_language,
                                 delete_comments=settings.forget_comments == "delete")  # fmt: skip
        hooks = _DeliveryHooks(users, publisher, replies, subscriptions, notifier, group_deletes,
                               settings.discussion_group_id)  # fmt: skip
        # The outbox and the handlers' replies count Telegram's limits together.
        limiter = bot.rate_limiter
        pacer = limiter.pacer if isinstance(limiter, TelegramRateLimiter) else Pacer(settings.send_rate_per_second)
        sender = OutboxSender(outbox, bot, pacer, on_sent=hooks.sent, on_dead=hooks.dead,
                              retention_seconds=settings.outbox_retention_days * 86400, wakeup=wakeup)  # fmt: skip
        services = cls(
            settings=settings,
            db=db,
            bot=bot,
            users=users,
            text=text,
            articles=articles,
            outbox=outbox,
            sender=sender,
            notifier=notifier,
            inputs=InputService(PendingInputRepository(db), clock),
            drafts=DraftService(DraftRepository(db), publisher, fetcher, settings.bot_language, settings.tz),
            publisher=publisher,
            stories=StoryService(publisher.stories, publisher, clock),
            feeds=feeds,
            fetcher=fetcher,
            discussion=discussion,
            audit=audit,
            roles=roles,
            sanctions=sanctions,
            screener=screener,
            queue=queue,
            group_deletes=group_deletes,
            stats=stats,
            privacy=privacy,
            subscriptions=subscriptions,
            digests=digests,
            clock=clock,
            error_throttle=NoticeThrottle(clock=clock),
            group_help_throttle=NoticeThrottle(interval=GROUP_HELP_INTERVAL, clock=clock),
            group_refusal_throttle=NoticeThrottle(interval=GROUP_HELP_INTERVAL, clock=clock),
            started_at=started_at,
        )
        return services

    async def start_background(self) -> None:
        """Start the outbox sender and the feed poller once the bot is connected."""
        await self._learn_channel_username()
        await self.sender.start()
        if await self.sanctions.reconcile_group() > 0:
            log.warning("sanctions still pending in the discussion group; they are retried with the next one")
        resumed = await self.subscriptions.resume_alerts()
        if resumed:
            log.warning("queued %d instant alert(s) that a stopped process had not queued", resumed)
        await self.digests.resume()
        self.publisher.clusterer.start()  # the stories of the last 48 hours, from SQLite
        await self.publisher.note_channel_setting()
        requeued = await self.publisher.requeue_unsent()
        if requeued:
            log.info("re-queued %d article(s) whose channel post was never queued", requeued)
        behind = await self.publisher.reconcile_buttons()
        if behind:
            log.info("queued the comment button edit of %d post(s) left behind by the last stop", behind)
        await self.feeds.seed(self.settings.feeds)
        await self.feeds.start()
        indexed = await self.subscriptions.backfill_index()
        if indexed:
            log.info("indexed %d stor(y/ies) for search", indexed)
        await self.digests.run_due()  # a digest missed while the bot was down, within the grace period

    async def _learn_channel_username(self) -> None:
        """With a numeric CHANNEL_ID, ask Telegram once whether the channel is public (has a username), so that
        links to its posts are ones non-members can open."""
        channel = self.settings.channel_id
        if not channel or channel.startswith("@"):
            return
        try:
            chat = await self.bot.get_chat(channel)
        except TelegramError as error:
            log.warning("could not read channel %s (links to its posts use t.me/c/…): %s", channel, error)
            return
        self.digests.channel_username = chat.username

    def wake_sender(self) -> None:
        """Something was queued in the outbox directly: send it now rather than at the next timer."""
        self.sender.wake()

    async def close(self) -> None:
        await self.feeds.stop()
        await self.publisher.clusterer.stop()
        await self.sender.stop()
        await self.fetcher.close()
        self.publisher.close()
        await self.db.close()


@dataclass(frozen=True)
class _DeliveryHooks:
    """What follows a message's delivery (or its giving up), for the services that queued it."""

    users: UserService
    publisher: Publisher
    replies: Replies
    subscriptions: SubscriptionService
    notifier: Notifier
    group_deletes: GroupDeletes
    group_id: int | None

    async def sent(self, row: OutboxRow, result: dict[str, Any] | bool) -> None:
        await self.publisher.on_sent(row, result)
        await self.replies.on_sent(row, result)
        if row.kind == "channel_post" and row.article_id is not None:
            await self.subscriptions.on_posted(row.article_id)

    async def dead(self, row: OutboxRow, reason: str) -> None:
        if reason.startswith("Forbidden") and row.chat_id.lstrip("-").isdigit():
            self.users.reachable.discard(int(row.chat_id))  # marked reachable again when they next write
        if row.method == "deleteMessage" and row.chat_id == str(self.group_id) and "not found" not in reason:
            # The bot may always delete its own group messages for 48 hours: one it may not is older.
            await self.group_deletes.refused(TOO_OLD, reason)
        failed_post = await self.publisher.on_dead(row, reason)
        if failed_post is not None:
            await self.notifier.notify_admins("channel_post_failed_notice", reason=failed_post)
