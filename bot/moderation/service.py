"""Moderation: who may moderate, sanctions, screening of new comments, reports, the queue and the audit log."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum
from functools import partial
from typing import Any

from telegram import Bot, ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.discussion.service import DiscussionError
from bot.moderation.auditlog import describe
from bot.moderation.wordfilter import Filter, WordFilter, fold
from bot.news.publisher import Publisher
from bot.render.dates import moment_text, readable_times
from bot.render.html import isolate, link
from bot.render.ids import comment_ref
from bot.texts import digits, t
from bot.users import UserService
from storage.articles import ArticleRow
from storage.comments import CommentRepository, CommentRow
from storage.moderation import AuditRow, FilterRow, ModerationRepository, Sanction, SanctionChange
from storage.outbox import OutboxRepository

log = logging.getLogger(__name__)

SERVICE_ACCOUNT_ID = 777000  # "Telegram": sends the automatic forwards of channel posts
GROUP_ANONYMOUS_BOT_ID = 1087968824  # an anonymous admin of the group (sender_chat is the group)
CHANNEL_BOT_ID = 136817688  # a user posting as a channel (sender_chat is that channel)
SPECIAL_ACCOUNTS = frozenset({SERVICE_ACCOUNT_ID, GROUP_ANONYMOUS_BOT_ID, CHANNEL_BOT_ID})
SYSTEM_ACTOR = 0  # the bot itself, in the audit log and for automatic actions
PREMOD_KEY = "premod_mode"
PREMOD_MODES = ("off", "all", "new")
NEW_USER_AGE = 86400  # a reader first seen within a day is new (once the bot itself is a day old), for raids
GROUP_DELETE_WINDOW = 48 * 3600  # Telegram lets bots delete group messages for 48 hours
FLOOD_MUTE = 10 * 60
ADMIN_RETRY_SECONDS = 60  # after a failed read of the group's admins
BACKLOG_AGE = 60  # group messages older than this arrived late (downtime): no flood action for them
MAX_FILTER_PHRASE = 60
LINK_MARKERS = ("http://", "https://", "www.", "t.me/", "@")
# Held comments that readers had already seen: approving them brings them back without a "published" notice.
SHOWN_BEFORE = ("reports", "moderator")


class Role(IntEnum):
    BANNED = -1
    USER = 0
    MODERATOR = 1  # an admin of the discussion group
    ADMIN = 2
    OWNER = 3


@dataclass(frozen=True)
class Target:
    """Whom a moderation command acts on: a user, or a chat that posts in the group (sender_chat)."""

    user_id: int
    name: str

    @property
    def is_chat(self) -> bool:
        return self.user_id < 0


@dataclass(frozen=True)
class Verdict:
    status: str  # published or pending
    hold_reason: str | None = None


class ModerationError(DiscussionError):
    """A moderation command cannot be carried out; `key` says why."""


REFUSAL_KEYS = {Role.OWNER: "not_allowed_owner", Role.ADMIN: "not_allowed", Role.MODERATOR: "not_allowed_moderator"}


@dataclass(frozen=True)
class Outcome:
    """What a command on several comments did: the ids done, and the ids refused with the reason's key."""

    done: list[int]
    refused: list[tuple[int, str]]


@dataclass(frozen=True)
class QueueItem:
    """A comment in the review queue with what a moderator needs to judge it: the story and the parent."""

    comment: CommentRow
    article: ArticleRow | None
    parent: CommentRow | None
    reports: int


class ModerationService:
    def __init__(
        self,
        repo: ModerationRepository,
        comments: CommentRepository,
        users: UserService,
        publisher: Publisher,
        outbox: OutboxRepository,
        settings: Settings,
        notify_admins: Callable[[str, dict[str, Any]], Awaitable[None]],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.comments = comments
        self.users = users
        self.publisher = publisher
        self.outbox = outbox
        self.settings = settings
        self.notify_admins = notify_admins
        self.bot: Bot | None = None
        self._reconciling = asyncio.Lock()
        # Set by Services: tells the discussion that a held comment is published (reply notices).
        self.on_approved: Callable[[CommentRow], Awaitable[None]] | None = None
        # Set by Services: a bot comment taken down takes its copy in the discussion group with it.
        self.on_taken_down: Callable[[CommentRow], Awaitable[None]] | None = None
        self.words = WordFilter()
        self.premod = "off"
        self._group_admins: frozenset[int] = frozenset()
        # Until when (on the monotonic clock) the admin list is trusted; None: never read, or forgotten.
        # Not a timestamp starting at 0.0: the monotonic clock may itself be near 0 on a freshly booted host.
        self._group_admins_lock = asyncio.Lock()
        self._group_admins_until: float | None = None
        # Bans and mutes are few and read on every comment, vote and report: kept in memory, written through.
        self._sanctions: dict[str, dict[int, Sanction]] = {"bans": {}, "mutes": {}}
        self._raids_told: set[int] = set()  # articles whose raid the admins heard of
        self._installed_at: int | None = None  # when the bot first saw a reader (read again until a day old)
        self._raid_group_told: set[int] = set()  # articles whose thread heard that new accounts wait for review

    async def load(self) -> None:
        """Admins, word filters and the premoderation mode from SQLite."""
        self.users.set_admins(await self.repo.admins())
        self.words = WordFilter(_filter(row) for row in await self.repo.filters())
        self.premod = await self.users.users.get_state(PREMOD_KEY) or "off"
        for table in self._sanctions:
            self._sanctions[table] = {row.user_id: row for row in await self.repo.sanctions(table)}

    # ----- roles ---------------------------------------------------------------------------------------------
    async def role(self, user_id: int, *, sender_chat_id: int | None = None) -> Role:
        """The user's role; `sender_chat_id` is the chat an anonymous group admin speaks for."""
        if self.users.is_owner(user_id):
            return Role.OWNER
        if self.users.is_admin(user_id):
            return Role.ADMIN
        group = self.settings.discussion_group_id
        if group is not None:
            if group in (sender_chat_id, user_id):
                return Role.MODERATOR  # only the group's admins can post as the group (anonymous admins)
            if user_id in await self.group_admins():
                return Role.MODERATOR
        if await self.active_sanction("bans", user_id) is not None:
            return Role.BANNED
        return Role.USER

    async def authorize(self, actor: int, needed: Role = Role.MODERATOR) -> None:
        """Checked on the server for every moderator action, whichever command, button or view it came from."""
        if actor != SYSTEM_ACTOR and await self.role(actor) < needed:
            raise ModerationError(REFUSAL_KEYS[needed])

    async def group_admins(self, *, refresh: bool = False) -> frozenset[int]:
        """The discussion group's admins, asked from Telegram at most every GROUP_ADMIN_CACHE_SECONDS."""
        group = self.settings.discussion_group_id
        if group is None or self.bot is None:
            return frozenset()
        if not refresh and self._group_admins_fresh():
            return self._group_admins
        # A burst of comments on an empty cache makes one read: the others wait for it and take its answer.
        async with self._group_admins_lock:
            if not refresh and self._group_admins_fresh():
                return self._group_admins
            now = self.clock.monotonic()
            try:
                members = await self.bot.get_chat_administrators(group)
            except TelegramError as error:
                log.warning("could not read the discussion group's admins: %s", error)
                # Keep the list we have and ask again in a minute, not on every comment meanwhile.
                self._group_admins_until = now + ADMIN_RETRY_SECONDS
                return self._group_admins
            self._group_admins = frozenset(m.user.id for m in members if not m.user.is_bot)
            self._group_admins_until = now + self.settings.group_admin_cache_seconds
        return self._group_admins

    def _group_admins_fresh(self) -> bool:
        return self._group_admins_until is not None and self.clock.monotonic() < self._group_admins_until

    def forget_group_admins(self) -> None:
        """A chat_member update changed someone's rights: ask Telegram again next time."""
        self._group_admins_until = None

    # ----- sanctions -----------------------------------------------------------------------------------------
    async def active_sanction(self, table: str, user_id: int) -> Sanction | None:
        sanction = self._sanctions[table].get(user_id)
        if sanction is None:
            return None
        if sanction.until is not None and sanction.until <= self.clock.time():
            await self._lift(table, user_id)
            return None
        return sanction

    async def _lift(self, table: str, user_id: int) -> bool:
        self._sanctions[table].pop(user_id, None)
        return await self.repo.lift(table, user_id)

    async def check_can_act(self, user_id: int) -> None:
        """Banned readers cannot comment, vote or report."""
        ban = await self.active_sanction("bans", user_id)
        if ban is not None:
            if ban.until is None:
                raise DiscussionError("you_are_banned_forever")
            raise DiscussionError("you_are_banned_until", minutes=_minutes_left(ban.until, self.clock.time()))

    async def check_can_comment(self, user_id: int) -> None:
        await self.check_can_act(user_id)
        mute = await self.active_sanction("mutes", user_id)
        if mute is not None:
            raise DiscussionError("you_are_muted", minutes=_minutes_left(mute.until, self.clock.time()))

    async def check_can_write(self, user_id: int, article: ArticleRow) -> None:
        """Whether a reader may start writing in this discussion (moderators may even when it is locked)."""
        if await self.role(user_id) >= Role.MODERATOR:
            return
        await self.check_can_comment(user_id)
        if article.locked:
            raise DiscussionError("discussion_locked")

    def check_target(self, target: Target) -> None:
        if target.user_id in SPECIAL_ACCOUNTS or target.user_id == self.settings.discussion_group_id:
            raise ModerationError("mod_special_account")
        if self.users.is_admin(target.user_id) or target.user_id in self._group_admins:
            raise ModerationError("mod_target_is_admin")

    async def ban(self, actor: int, target: Target, seconds: int | None, reason: str | None) -> None:
        self.check_target(target)
        until = int(self.clock.time()) + seconds if seconds else None
        await self._sanction("bans", "ban", actor, target, until, reason)

    async def unban(self, actor: int, target: Target) -> bool:
        return await self._sanction("bans", "unban", actor, target, None, None)

    async def mute(self, actor: int, target: Target, seconds: int, reason: str | None) -> None:
        self.check_target(target)
        until = int(self.clock.time()) + seconds
        await self._sanction("mutes", "mute", actor, target, until, reason)

    async def unmute(self, actor: int, target: Target) -> bool:
        return await self._sanction("mutes", "unmute", actor, target, None, None)

    async def _sanction(
        self, table: str, action: str, actor: int, target: Target, until: int | None, reason: str | None
    ) -> bool:
        """Store the sanction, its audit entry and its group action as one intent, then carry pending group
        actions into the group; returns whether a sanction was lifted (unban, unmute)."""
        now = int(self.clock.time())
        in_group = self.settings.discussion_group_id is not None
        change = SanctionChange(table, action, target.user_id, until, reason, actor, now, in_group)
        lifted, _ = await self.repo.change_sanction(change)
        if action in ("ban", "mute"):
            self._sanctions[table][target.user_id] = Sanction(target.user_id, until, reason, actor, now)
        else:
            self._sanctions[table].pop(target.user_id, None)
        self._logged(actor, action, "user", target.user_id, reason)
        detail = self._until_text(until) if action in ("ban", "mute") else ""
        await self._announce(actor, action, "user", target.user_id, reason, detail=detail)
        await self.reconcile_group()
        return lifted

    async def warn(self, actor: int, target: Target, reason: str | None) -> tuple[int, str | None]:
        """Warn; at the warn limit the configured action follows. Returns (active warns, action taken)."""
        self.check_target(target)
        now = int(self.clock.time())
        await self.repo.add_warn(target.user_id, reason, actor, now)
        await self.audit(actor, "warn", "user", target.user_id, reason)
        count = len(await self.active_warns(target.user_id))
        await self._tell(
            target.user_id, "warn_notice", count=count, limit=self.settings.warn_limit, reason=reason or "-"
        )
        if count < self.settings.warn_limit:
            return count, None
        await self.repo.clear_warns(target.user_id)
        if self.settings.warn_action == "ban":
            await self.ban(0, target, None, "warn_limit")
            return count, "ban"
        await self.mute(0, target, self.settings.warn_mute_minutes * 60, "warn_limit")
        return count, "mute"

    async def active_warns(self, user_id: int) -> list[Any]:
        return await self.repo.warns(user_id, int(self.clock.time()) - self.settings.warn_expiry_days * 86400)

    async def reconcile_group(self) -> int:
        """Carry every pending group action into the discussion group, oldest first (at start, and after each
        new sanction): each is done when Telegram confirms or refuses for good; after a network failure, a 5xx
        or a flood wait it stays pending for the next round. Returns how many are still pending."""
        if self.bot is None:
            return -1
        async with self._reconciling:
            pending = 0
            for row in await self.repo.pending_group_actions():
                try:
                    await self._in_group(row.action, row.user_id, row.until)
                except (BadRequest, Forbidden) as error:  # Telegram's permanent refusals
                    log.warning("%s of %s in the discussion group refused: %s", row.action, row.user_id, error)
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=True, error=str(error))
                except TelegramError as error:
                    log.warning("%s of %s in the discussion group failed, will retry: %s", row.action, row.user_id,
                                error)  # fmt: skip
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=False)
                    pending += 1
                else:
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=True)
            return pending

    async def _in_group(self, action: str, user_id: int, until: int | None) -> None:
        """Carry a sanction into the discussion group (the bot must be an admin there)."""
        group = self.settings.discussion_group_id
        if group is None or self.bot is None:
            return
        if user_id < 0:  # users posting as a channel: Telegram bans the channel itself
            if action == "ban":
                await self.bot.ban_chat_sender_chat(group, user_id)
            elif action == "unban":
                await self.bot.unban_chat_sender_chat(group, user_id)
            return
        if action == "ban":
            await self.bot.ban_chat_member(group, user_id, until_date=until)
        elif action == "unban":
            # only_if_banned: unbanning someone who is in the group would otherwise remove them from it.
            await self.bot.unban_chat_member(group, user_id, only_if_banned=True)
        elif action == "mute":
            await self.bot.restrict_chat_member(group, user_id, ChatPermissions.no_permissions(), until)
        elif action == "unmute":
            await self.bot.restrict_chat_member(group, user_id, ChatPermissions.all_permissions())

    # ----- screening new comments ----------------------------------------------------------------------------
    async def screen(
        self, author_id: int, article: ArticleRow, text: str, *, sender_chat_id: int | None = None
    ) -> Verdict:
        """May this comment be published now, must it wait for review, or is it refused (raises)?"""
        role = await self.role(author_id, sender_chat_id=sender_chat_id)
        if role >= Role.MODERATOR:
            return Verdict("published")
        await self.check_can_comment(author_id)
        if article.locked:
            raise DiscussionError("discussion_locked")
        hit = self.words.match(text)
        if hit is not None and hit.kind == "banned":
            raise DiscussionError("comment_filtered", phrase=hit.phrase)
        if hit is not None:
            return Verdict("pending", "suspect")
        if self.premod == "all":
            return Verdict("pending", "premod")
        if self.premod == "new" and await self.repo.approved_count(author_id) < self.settings.premod_min_approved:
            has_link = any(marker in text.lower() for marker in LINK_MARKERS)
            return Verdict("pending", "link" if has_link else "new_user")
        if await self._looks_like_a_raid(author_id, article):
            return Verdict("pending", "raid")
        return Verdict("published")

    async def _looks_like_a_raid(self, author_id: int, article: ArticleRow) -> bool:
        """A new account commenting seconds after the post appeared, when RAID_NEW_ACCOUNTS new accounts (this one
        included) have: spam bots race to fresh posts in numbers. One new reader alone is just a new reader."""
        window = self.settings.new_user_cooldown_seconds
        now = self.clock.time()
        if not window or article.posted_at is None or now - article.posted_at > window:
            return False
        new_since = await self._new_accounts_since(now)
        if new_since is None:
            return False
        profile = await self.users.users.get(author_id)
        if profile is not None and profile.first_seen_at < new_since:
            return False
        if await self.repo.approved_count(author_id) > 0:
            return False
        others = await self.repo.new_commenters(article.id, article.posted_at, new_since, author_id)
        if others + 1 < self.settings.raid_new_accounts:
            return False
        if article.id not in self._raids_told:
            self._raids_told.add(article.id)
            log.warning("raid suspected on article %s: %d new accounts within %d s", article.id, others + 1, window)
            await self.notify_admins("raid_notice", {"title": article.title, "count": others + 1})
        return True

    async def _new_accounts_since(self, now: float) -> int | None:
        """Readers first seen at or after this time are new accounts: within the last NEW_USER_AGE, and a full
        NEW_USER_AGE after the bot first saw anyone. None while the installation is younger than that: on a new
        installation every reader is "first seen today", which says nothing about them."""
        if self._installed_at is None or now - self._installed_at < NEW_USER_AGE:
            self._installed_at = await self.repo.first_reader_seen_at()
        if self._installed_at is None or now - self._installed_at < NEW_USER_AGE:
            return None
        return max(int(now) - NEW_USER_AGE, self._installed_at + NEW_USER_AGE)

    async def screen_edit(self, author_id: int, text: str) -> bool:
        """An edited comment goes through the word filters again: True when it must wait for review."""
        if await self.role(author_id) >= Role.MODERATOR:
            return False
        hit = self.words.match(text)
        if hit is not None and hit.kind == "banned":
            raise DiscussionError("comment_filtered", phrase=hit.phrase)
        return hit is not None

    async def hold_edited(self, comment: CommentRow) -> None:
        if await self.repo.hold(comment.id, "suspect"):
            await self._recount(comment)
            await self.held(comment)

    async def group_flood(self, author_id: int, sent_at: int) -> bool:
        """True when a group message breaks the per-minute limit and its author was muted for it.
        Messages delivered late after downtime never count as flooding."""
        now = int(self.clock.time())
        if now - sent_at > BACKLOG_AGE:
            return False
        recent = await self.comments.recent_by_author(author_id, now - 60)
        if recent < self.settings.comments_per_minute:
            return False
        target = Target(author_id, str(author_id))
        try:
            self.check_target(target)
        except ModerationError:
            return False
        await self.mute(0, target, FLOOD_MUTE, "flood")
        return True

    async def held(self, comment: CommentRow) -> None:
        """A comment went to the queue: moderators hear of it once."""
        await self.audit(0, "hold", "comment", comment.id, comment.hold_reason or "")

    async def tell_held_in_group(self, comment: CommentRow) -> None:
        """A held group message was taken down: its author hears that it waits for review, privately where the
        bot may write to them, else in a short reply in the thread. During a raid the thread hears it once."""
        raid = comment.hold_reason == "raid"
        if await self._tell(comment.author_id, "held_notice_raid" if raid else "held_notice",
                            text=snippet(comment.text)):  # fmt: skip
            return
        if comment.tg_chat_id is None:
            return
        lang = self.settings.bot_language
        if raid:
            if comment.article_id in self._raid_group_told:
                return
            self._raid_group_told.add(comment.article_id)
            text = t(lang, "held_group_notice_raid")
        else:
            name = isolate(comment.author_name)
            # A mention notifies the author (a chat posting in the group cannot be mentioned, only named).
            author = link(f"tg://user?id={comment.author_id}", name) if comment.author_id > 0 else name
            text = t(lang, "held_group_notice", name=author)
        payload: dict[str, Any] = {"chat_id": comment.tg_chat_id, "text": str(text), "parse_mode": "HTML"}
        reply_to = await self._group_reply_target(comment)
        if reply_to is not None:
            payload["reply_parameters"] = {"message_id": reply_to, "allow_sending_without_reply": True}
        await self.outbox.enqueue(f"held:{comment.id}", "group_notice", comment.tg_chat_id, "sendMessage", payload,
                                  self.clock.time())  # fmt: skip
        self.publisher.wake_sender()

    # ----- reports -------------------------------------------------------------------------------------------
    async def report(self, comment: CommentRow, reporter_id: int) -> bool:
        """Record a report; hide the comment at the threshold. False when this reader had reported it."""
        await self.check_can_act(reporter_id)
        if comment.author_id == reporter_id:
            raise DiscussionError("comment_report_own")
        if await self.role(comment.author_id) >= Role.MODERATOR:
            raise DiscussionError("report_admin")
        now = int(self.clock.time())
        if await self.repo.reports_by(reporter_id, now - 3600) >= self.settings.reports_per_hour:
            raise DiscussionError("report_rate_limited")
        if not await self.comments.report(comment.id, reporter_id, now):
            return False
        reporters = await self.repo.reporters_since_review(comment)
        if reporters >= self.settings.report_threshold and await self.repo.hold(comment.id, "reports"):
            await self.audit(0, "hide_reported", "comment", comment.id, None)
            await self._recount(comment)
            await self.notify_admins("queue_reported_notice", {"ref": partial(comment_ref, comment.id)})
        return True

    # ----- the queue -----------------------------------------------------------------------------------------
    async def approve(self, actor: int, comment_id: int) -> CommentRow:
        """Publish a held comment, or keep a reported one (its reports so far are dismissed)."""
        await self.authorize(actor)
        comment = await self._held(comment_id)
        await self.repo.review(comment_id, "published", int(self.clock.time()))
        await self.audit(actor, "approve", "comment", comment_id, None)
        if comment.status == "published" or comment.hold_reason in SHOWN_BEFORE:
            if comment.status == "pending":
                await self._recount(comment)
                if comment.hold_reason == "moderator" and comment.origin == "group":
                    await self._repost_in_group(comment)  # hiding took its group message down
            return comment  # it had been shown: the author and the thread heard of it then
        await self._recount(comment)
        if self.on_approved is not None:
            await self.on_approved(comment)
        if comment.origin == "group":
            await self._repost_in_group(comment)
        else:
            await self._tell(comment.author_id, "comment_approved_notice", text=snippet(comment.text))
        return comment

    async def approve_many(self, actor: int, comment_ids: list[int]) -> Outcome:
        """Approve each comment; one that left the queue meanwhile is reported, not fatal."""
        return await self._each(comment_ids, lambda comment_id: self.approve(actor, comment_id))

    async def reject_many(self, actor: int, comment_ids: list[int], reason: str) -> Outcome:
        return await self._each(comment_ids, lambda comment_id: self.reject(actor, comment_id, reason))

    async def _each(self, comment_ids: list[int], action: Callable[[int], Awaitable[object]]) -> Outcome:
        done: list[int] = []
        refused: list[tuple[int, str]] = []
        for comment_id in dict.fromkeys(comment_ids):
            try:
                await action(comment_id)
            except DiscussionError as error:
                if error.key in REFUSAL_KEYS.values():
                    raise
                refused.append((comment_id, error.key))
            else:
                done.append(comment_id)
        return Outcome(done, refused)

    async def reject(self, actor: int, comment_id: int, reason: str) -> CommentRow:
        await self.authorize(actor)
        comment = await self._held(comment_id)
        await self.repo.review(comment_id, "rejected", int(self.clock.time()))
        await self.audit(actor, "reject", "comment", comment_id, reason)
        if comment.status == "published":
            await self._recount(comment)
        await self._delete_group_message(comment)
        await self._tell(comment.author_id, "comment_rejected_notice", text=snippet(comment.text), reason=reason)
        return comment

    async def remove(self, actor: int, comment_id: int, reason: str | None = None) -> CommentRow:
        """`/del`: the comment shows as removed; its group message is deleted while Telegram allows it."""
        await self.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None or not await self.repo.remove_comment(comment_id):
            raise ModerationError("comment_gone")
        await self.audit(actor, "delete", "comment", comment_id, reason)
        if comment.status == "published":
            await self._recount(comment)
        await self._delete_group_message(comment)
        return comment

    async def hide(self, actor: int, comment_id: int, reason: str | None = None) -> CommentRow:
        """`/hide`: take a shown comment off the pages (and out of the group) into the review queue, where a
        moderator approves it back or rejects it."""
        await self.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None or comment.status != "published":
            raise ModerationError("comment_gone")
        self.check_target(Target(comment.author_id, comment.author_name))
        if not await self.repo.hold(comment_id, "moderator"):
            raise ModerationError("comment_gone")
        await self.audit(actor, "hide", "comment", comment_id, reason)
        await self._recount(comment)
        await self._delete_group_message(comment)
        return comment

    async def ban_author(self, actor: int, comment_id: int, reason: str | None, rejected: str) -> CommentRow:
        """Ban a comment's author for good; the comment, if it waits in the queue, is rejected with `rejected`."""
        await self.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None:
            raise ModerationError("comment_gone")
        await self.ban(actor, Target(comment.author_id, comment.author_name), None, reason)
        if await self.repo.in_queue(comment_id) and comment.status == "pending":
            await self.reject(actor, comment_id, rejected)
        return comment

    async def queue_page(self, after_id: int, limit: int) -> list[QueueItem]:
        """The queue's oldest items after `after_id`, each with its story and the comment it answers."""
        items = []
        for comment in await self.repo.held_page(after_id, limit):
            parent = await self.comments.get(comment.parent_id) if comment.parent_id else None
            article = await self.publisher.articles.get(comment.article_id)
            reports = await self.repo.reporters_since_review(comment)
            items.append(QueueItem(comment, article, parent, reports))
        return items

    async def held_count(self) -> int:
        """How many comments wait in the review queue."""
        return await self.repo.held_count()

    async def stats(self, seconds: int) -> dict[str, int]:
        """What moderation counted in the last `seconds` (see ModerationRepository.stats)."""
        return await self.repo.stats(int(self.clock.time()) - seconds)

    async def _held(self, comment_id: int) -> CommentRow:
        comment = await self.comments.get(comment_id)
        if comment is None or not await self.repo.in_queue(comment_id):
            raise ModerationError("queue_item_gone")
        return comment

    async def _recount(self, comment: CommentRow) -> None:
        count = await self.comments.count_published(comment.article_id)
        await self.publisher.update_comment_count(comment.article_id, count)

    async def _delete_group_message(self, comment: CommentRow) -> None:
        if comment.origin == "bot" and self.on_taken_down is not None:
            await self.on_taken_down(comment)
        if comment.origin != "group" or comment.tg_chat_id is None or comment.tg_message_id is None:
            return
        if self.bot is None or self.clock.time() - comment.created_at > GROUP_DELETE_WINDOW:
            return
        try:
            await self.bot.delete_message(comment.tg_chat_id, comment.tg_message_id)
        except TelegramError as error:
            log.info("could not delete group message %s: %s", comment.tg_message_id, error)

    async def _repost_in_group(self, comment: CommentRow) -> None:
        """A held group message was deleted at once; once approved the bot posts it in its thread."""
        if self.bot is None or comment.tg_chat_id is None:
            return
        reply_to = await self._group_reply_target(comment)
        text = t(self.settings.bot_language, "group_repost", name=isolate(comment.author_name), text=comment.text)
        try:
            await self.bot.send_message(
                comment.tg_chat_id, text, reply_to_message_id=reply_to, allow_sending_without_reply=True
            )
        except TelegramError as error:
            log.info("could not repost approved comment %s: %s", comment.id, error)

    async def _group_reply_target(self, comment: CommentRow) -> int | None:
        """The group message a bot message about this comment answers: its parent's, else the thread's root."""
        if comment.tg_chat_id is None:
            return None
        parent = await self.comments.get(comment.parent_id) if comment.parent_id else None
        if parent is not None and parent.tg_chat_id == comment.tg_chat_id and parent.tg_message_id is not None:
            return parent.tg_message_id
        return await self.comments.thread_root(comment.tg_chat_id, comment.article_id)

    # ----- settings ------------------------------------------------------------------------------------------
    async def set_premod(self, actor: int, mode: str) -> None:
        await self.users.users.set_state(PREMOD_KEY, mode)
        self.premod = mode
        await self.audit(actor, "premod", "setting", mode, None)

    async def set_locked(self, actor: int, article: ArticleRow, locked: bool) -> None:
        await self.repo.set_locked(article.id, locked)
        await self.audit(actor, "lock" if locked else "unlock", "article", article.id, None)

    async def filters(self) -> list[FilterRow]:
        return await self.repo.filters()

    async def add_filter(self, actor: int, kind: str, phrase: str) -> bool:
        folded = fold(phrase)
        if not folded or len(phrase) > MAX_FILTER_PHRASE:
            raise ModerationError("filter_usage")
        added = await self.repo.add_filter(kind, phrase, folded, actor, int(self.clock.time()))
        if added:
            self.words.add(Filter(kind, phrase, folded))
            await self.audit(actor, "filter_add", "filter", kind, phrase)
        return added

    async def remove_filter(self, actor: int, kind: str, phrase: str) -> bool:
        removed = await self.repo.remove_filter(kind, fold(phrase))
        if removed:
            self.words = WordFilter(_filter(row) for row in await self.repo.filters())
            await self.audit(actor, "filter_remove", "filter", kind, phrase)
        return removed

    async def add_admin(self, actor: int, user_id: int) -> bool:
        added = await self.repo.add_admin(user_id, actor, int(self.clock.time()))
        self.users.set_admins(await self.repo.admins())
        await self.audit(actor, "add_admin", "user", user_id, None)
        return added

    async def remove_admin(self, actor: int, user_id: int) -> bool:
        removed = await self.repo.remove_admin(user_id)
        self.users.set_admins(await self.repo.admins())
        await self.audit(actor, "remove_admin", "user", user_id, None)
        return removed

    # ----- audit log -----------------------------------------------------------------------------------------
    def _until_text(self, until: int | None) -> str:
        """How long a ban or mute lasts, for the moderation log chat (in the bot's language)."""
        lang = self.settings.bot_language
        if until is None:
            return str(t(lang, "modlog_forever"))
        return str(t(lang, "modlog_until", when=moment_text(until, self.settings.tz, lang)))

    async def audit(
        self, actor: int, action: str, target_type: str | None, target_id: Any, reason: str | None, detail: str = ""
    ) -> None:
        await self.repo.audit(actor, action, target_type, target_id, reason, int(self.clock.time()))
        self._logged(actor, action, target_type, target_id, reason)
        await self._announce(actor, action, target_type, target_id, reason, detail)

    async def recent_audit(self, limit: int) -> list[AuditRow]:
        """The newest `limit` entries of the audit log, newest first."""
        return await self.repo.recent_audit(limit)

    @staticmethod
    def _logged(actor: int, action: str, target_type: str | None, target_id: Any, reason: str | None) -> None:
        log.info("moderation: %s by %s on %s %s (%s)", action, actor, target_type, target_id, reason or "")

    async def _announce(
        self, actor: int, action: str, target_type: str | None, target_id: Any, reason: str | None, detail: str = ""
    ) -> None:
        """The audit entry in the moderation log chat (MOD_LOG_CHAT_ID), through the outbox."""
        chat = self.settings.mod_log_chat_id
        if chat is None:
            return
        now = int(self.clock.time())
        lang = self.settings.bot_language
        who = await self.users.users.get(actor) if actor else None
        name = isolate(who.first_name) if who else (digits(actor, lang) if actor else t(lang, "modlog_system"))
        text = t(lang, "modlog_line", actor=name, action=describe(lang, action, target_type, target_id, reason),
                 detail=detail)  # fmt: skip
        await self.outbox.enqueue(
            f"modlog:{uuid.uuid4().hex}", "modlog", chat, "sendMessage",
            {"chat_id": chat, "text": str(text), "parse_mode": "HTML"}, now,
        )  # fmt: skip
        self.publisher.wake_sender()

    async def _tell(self, user_id: int, key: str, **params: object) -> bool:
        """A short private notice through the outbox; False for a reader who never started the bot (Telegram
        refuses messages to users who never opened a chat with it)."""
        profile = await self.users.users.get(user_id) if user_id > 0 else None
        if profile is None or not profile.private_chat:
            return False
        lang = await self.users.language(user_id, profile.language_code)
        await self.outbox.enqueue(
            f"notice:{key}:{uuid.uuid4().hex}", "notification", user_id, "sendMessage",
            {"chat_id": user_id, "text": str(t(lang, key, **params)), "parse_mode": "HTML"}, self.clock.time(),
        )  # fmt: skip
        self.publisher.wake_sender()
        return True

    # ----- privacy -------------------------------------------------------------------------------------------
    async def export(self, user_id: int, lang: str) -> bytes:
        """/mydata: UTF-8 JSON a person can read, times as ISO 8601 in TIMEZONE (and Jalali in Persian)."""
        data = readable_times(await self.repo.export_user(user_id), self.settings.tz, lang)
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    async def forget(self, user_id: int) -> None:
        placeholder = str(t(self.settings.bot_language, "deleted_user"))
        await self.repo.forget_user(user_id, placeholder, self.settings.forget_comments == "delete")
        self.users.forget(user_id)
        await self.audit(user_id, "forget_me", "user", user_id, None)


def _filter(row: FilterRow) -> Filter:
    return Filter(row.kind, row.phrase, row.folded)


def _minutes_left(until: int | None, now: float) -> int:
    return max(1, -(-int((until or 0) - now) // 60))


def snippet(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
