"""The review queue: comments held by screening, by readers' reports or by a moderator, and what moderators do with
a comment (approve, reject, remove, hide, ban its author). Readers' reports come in here too.

A comment that comes out of the queue is an event for the discussion (its reply notice and its copy in the
group): `on_approved` and `on_taken_down`, which the composition root (bot/services.py) wires.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.discussion.media import RESEND, words_of
from bot.moderation.audit import SYSTEM_ACTOR, AuditLog
from bot.moderation.group_deletes import GroupDeletes
from bot.moderation.reasons import checked_reason
from bot.moderation.roles import REFUSAL_KEYS, Role, Roles, Target
from bot.moderation.sanctions import SanctionBook, Sanctions
from bot.news.publisher import Publisher
from bot.notify import Notifier
from bot.render.html import isolate, link, snippet
from bot.texts import Id
from bot.user_errors import DiscussionError, ModerationError, UserFacingError
from storage.albums import AlbumRepository
from storage.articles import ArticleRow
from storage.comments import CommentRepository, CommentRow, CommentStatus, HoldReason
from storage.db import Database
from storage.moderation import ModerationRepository

log = logging.getLogger(__name__)

# Held comments that readers had already seen: approving them brings them back without a "published" notice.
SHOWN_BEFORE = (HoldReason.REPORTS, HoldReason.MODERATOR)

CommentEvent = Callable[[CommentRow], Awaitable[None]]


@dataclass(frozen=True)
class Outcome:
    """What a command on several comments did: the ids done, and the ids refused with the reason's key."""

    done: list[int]
    refused: list[tuple[int, str]]


@dataclass(frozen=True)
class QueueItem:
    """A comment in the review queue with what a moderator needs to judge it: the story, the parent, and the
    photos it carries (Telegram file ids: a held group photo is out of the group, nowhere else to see it)."""

    comment: CommentRow
    article: ArticleRow | None
    parent: CommentRow | None
    reports: int
    photos: list[str] = field(default_factory=list)


class ReviewQueue:
    def __init__(
        self,
        db: Database,
        repo: ModerationRepository,
        comments: CommentRepository,
        albums: AlbumRepository,
        publisher: Publisher,
        roles: Roles,
        book: SanctionBook,
        sanctions: Sanctions,
        audit: AuditLog,
        notifier: Notifier,
        group_deletes: GroupDeletes,
        settings: Settings,
        *,
        on_approved: CommentEvent,
        on_taken_down: CommentEvent,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.db = db
        self.repo = repo
        self.comments = comments
        self.albums = albums  # a group album's messages: taken down and posted back together
        self.publisher = publisher
        self.roles = roles
        self.book = book
        self.sanctions = sanctions
        self.audit = audit
        self.notifier = notifier
        self.group_deletes = group_deletes
        self.settings = settings
        self.on_approved = on_approved  # a held comment is published: its reply notice and group copy follow
        self.on_taken_down = on_taken_down  # a bot comment is gone: its copy in the group goes too
        self.clock = clock
        self._raid_group_told: set[int] = set()  # stories whose thread heard that new accounts wait for review

    # ----- coming in -----------------------------------------------------------------------------------------
    async def held(self, comment: CommentRow) -> None:
        """A comment went to the queue: moderators hear of it once."""
        await self.audit.record(SYSTEM_ACTOR, "hold", "comment", comment.id, comment.hold_reason or "")

    async def hold_edited(self, comment: CommentRow) -> None:
        if await self.repo.hold(comment.id, HoldReason.SUSPECT):
            await self._recount(comment)
            await self.held(comment)

    async def report(self, comment: CommentRow, reporter_id: int) -> bool:
        """Record a report; hide the comment at the threshold. False when this reader had reported it."""
        await self.book.check_can_act(reporter_id)
        if comment.author_id == reporter_id:
            raise DiscussionError("comment_report_own")
        if await self.roles.role(comment.author_id) >= Role.MODERATOR:
            raise DiscussionError("report_admin")
        now = int(self.clock.time())
        if await self.repo.reports_by(reporter_id, now - 3600) >= self.settings.reports_per_hour:
            raise DiscussionError("report_rate_limited")
        if not await self.comments.report(comment.id, reporter_id, now):
            return False
        reporters = await self.repo.reporters_since_review(comment)
        if reporters >= self.settings.report_threshold and await self.repo.hold(comment.id, HoldReason.REPORTS):
            await self.audit.record(SYSTEM_ACTOR, "hide_reported", "comment", comment.id, None)
            await self._recount(comment)
            await self.notifier.notify_admins("queue_reported_notice", ref=Id(comment.id))
        return True

    async def tell_held_in_group(self, comment: CommentRow) -> None:
        """A held group message was taken down: its author hears that it waits for review, privately where the
        bot may write to them, else in a short reply in the thread. During a raid the thread hears it once."""
        raid = comment.hold_reason == HoldReason.RAID
        if await self.notifier.tell(comment.author_id, "held_notice_raid" if raid else "held_notice",
                                    dedupe=f"held_notice:{comment.id}", text=snippet(comment.text)):  # fmt: skip
            return
        if comment.tg_chat_id is None:
            return
        if raid and comment.article_id in self._raid_group_told:
            return
        if raid:
            self._raid_group_told.add(comment.article_id)
        name = isolate(comment.author_name)
        # A mention notifies the author (a chat posting in the group cannot be mentioned, only named).
        author = link(f"tg://user?id={comment.author_id}", name) if comment.author_id > 0 else name
        # (The raid notice names nobody: the catalog text has no {name}.)
        await self.notifier.say(comment.tg_chat_id, "held_group_notice_raid" if raid else "held_group_notice",
                                outbox_kind="group_notice", dedupe=f"held:{comment.id}",
                                reply_to=await self._group_reply_target(comment), name=author)  # fmt: skip

    async def tell_removed_from_group(
        self, author_id: int, chat_id: int, message_id: int, text: str, error: DiscussionError
    ) -> None:
        """A group message the rules refused was taken down: its author hears why, privately only (the thread
        must not read a filtered word again, nor learn of someone's ban); one the bot may not write to hears
        nothing. Once per message, even when Telegram delivers it again."""
        await self.notifier.tell(author_id, "removed_from_group_notice", dedupe=f"removed:{chat_id}:{message_id}",
                                 why=error.text, text=snippet(text))  # fmt: skip

    # ----- the queue -----------------------------------------------------------------------------------------
    async def queue_page(self, after_id: int, limit: int) -> list[QueueItem]:
        """The queue's oldest items after `after_id`, each with its story and the comment it answers."""
        items = []
        for comment in await self.repo.held_page(after_id, limit):
            parent = await self.comments.get(comment.parent_id) if comment.parent_id else None
            article = await self.publisher.articles.get(comment.article_id)
            reports = await self.repo.reporters_since_review(comment)
            items.append(QueueItem(comment, article, parent, reports, await self._photos(comment)))
        return items

    async def next_held(self, after_id: int = 0) -> CommentRow | None:
        return await self.repo.next_held(after_id)

    async def held_count(self) -> int:
        return await self.repo.held_count()

    async def approve(self, actor: int, comment_id: int) -> CommentRow:
        """Publish a held comment, or keep a reported one (its reports so far are dismissed)."""
        await self.roles.authorize(actor)
        comment = await self._held(comment_id)
        # The approval and what it sets off (the reply notice, the group copy) are stored together.
        async with self.db.transaction():
            await self.repo.review(comment_id, CommentStatus.PUBLISHED, int(self.clock.time()))
            await self.audit.record(actor, "approve", "comment", comment_id, None)
            if comment.status == CommentStatus.PUBLISHED or comment.hold_reason in SHOWN_BEFORE:
                if comment.status == CommentStatus.PENDING:
                    await self._recount(comment)
                    if comment.hold_reason == HoldReason.MODERATOR and comment.origin == "group":
                        await self._repost_in_group(comment)  # hiding took its group message down
                return comment  # it had been shown: the author and the thread heard of it then
            await self._recount(comment)
            await self.on_approved(comment)
            if comment.origin == "group":
                await self._repost_in_group(comment)
            else:
                await self.notifier.tell(comment.author_id, "comment_approved_notice", text=snippet(comment.text))
        return comment

    async def approve_many(self, actor: int, comment_ids: list[int]) -> Outcome:
        """Approve each comment; one that left the queue meanwhile is reported, not fatal."""
        return await self._each(comment_ids, lambda comment_id: self.approve(actor, comment_id))

    async def reject_many(self, actor: int, comment_ids: list[int], reason: str) -> Outcome:
        reason = checked_reason(reason) or ""
        return await self._each(comment_ids, lambda comment_id: self.reject(actor, comment_id, reason))

    async def _each(self, comment_ids: list[int], action: Callable[[int], Awaitable[object]]) -> Outcome:
        done: list[int] = []
        refused: list[tuple[int, str]] = []
        for comment_id in dict.fromkeys(comment_ids):
            try:
                await action(comment_id)
            except UserFacingError as error:
                if error.key in REFUSAL_KEYS.values():
                    raise
                refused.append((comment_id, error.key))
            else:
                done.append(comment_id)
        return Outcome(done, refused)

    async def reject(self, actor: int, comment_id: int, reason: str) -> CommentRow:
        await self.roles.authorize(actor)
        comment = await self._held(comment_id)
        await self.repo.review(comment_id, CommentStatus.REJECTED, int(self.clock.time()))
        await self.audit.record(actor, "reject", "comment", comment_id, reason)
        if comment.status == CommentStatus.PUBLISHED:
            await self._recount(comment)
        if not _left_the_group(comment):
            await self._take_down(comment)
        await self.notifier.tell(comment.author_id, "comment_rejected_notice", text=snippet(comment.text),
                                 reason=reason)  # fmt: skip
        return comment

    async def remove(self, actor: int, comment_id: int, reason: str | None = None) -> CommentRow:
        """`/del`: the comment shows as removed; its group message is deleted while Telegram allows it."""
        await self.roles.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None or not await self.repo.remove_comment(comment_id):
            raise ModerationError("comment_gone")
        await self.audit.record(actor, "delete", "comment", comment_id, reason)
        if comment.status == CommentStatus.PUBLISHED:
            await self._recount(comment)
        if not _left_the_group(comment):
            await self._take_down(comment)
        return comment

    async def hide(self, actor: int, comment_id: int, reason: str | None = None) -> CommentRow:
        """`/hide`: take a shown comment off the pages (and out of the group) into the review queue, where a
        moderator approves it back or rejects it."""
        await self.roles.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None or comment.status != CommentStatus.PUBLISHED:
            raise ModerationError("comment_gone")
        self.roles.check_target(Target(comment.author_id, comment.author_name))
        if not await self.repo.hold(comment_id, HoldReason.MODERATOR):
            raise ModerationError("comment_gone")
        await self.audit.record(actor, "hide", "comment", comment_id, reason)
        await self._recount(comment)
        await self._take_down(comment)
        return comment

    async def ban_author(self, actor: int, comment_id: int, reason: str | None, rejected: str) -> CommentRow:
        """Ban a comment's author for good; the comment, if it waits in the queue, is rejected with `rejected`."""
        await self.roles.authorize(actor)
        comment = await self.comments.get(comment_id)
        if comment is None:
            raise ModerationError("comment_gone")
        await self.sanctions.ban(actor, Target(comment.author_id, comment.author_name), None, reason)
        if await self.repo.in_queue(comment_id) and comment.status == CommentStatus.PENDING:
            await self.reject(actor, comment_id, rejected)
        return comment

    async def _held(self, comment_id: int) -> CommentRow:
        comment = await self.comments.get(comment_id)
        if comment is None or not await self.repo.in_queue(comment_id):
            raise ModerationError("queue_item_gone")
        return comment

    async def _recount(self, comment: CommentRow) -> None:
        count = await self.comments.count_published(comment.article_id)
        await self.publisher.update_comment_count(comment.article_id, count)

    def stays_in_group(self, comment: CommentRow) -> bool:
        """Whether taking `comment` down leaves its message in the group, past Telegram's 48 hours for bots."""
        in_group = comment.origin == "group" and comment.tg_message_id is not None and not _left_the_group(comment)
        return in_group and self.group_deletes.too_old(comment.created_at)

    async def _take_down(self, comment: CommentRow) -> None:
        """The comment's Telegram copy goes: a bot comment's mirror in the group, a group comment's message."""
        if comment.origin == "bot":
            await self.on_taken_down(comment)
        if comment.origin != "group" or comment.tg_chat_id is None or comment.tg_message_id is None:
            return
        others = [part.message_id for part in await self.albums.parts(comment.id)]
        for message_id in dict.fromkeys([comment.tg_message_id, *others]):  # an album's photos go with the first
            await self.group_deletes.delete(comment.tg_chat_id, message_id, comment.created_at)

    async def _repost_in_group(self, comment: CommentRow) -> None:
        """A held group message was deleted at once; once approved the bot posts it in its thread."""
        if comment.tg_chat_id is None:
            return
        name = comment.author_name
        files = await self._photos(comment)
        caption: dict[str, object] = {"name": name, "text": words_of(comment.text)}
        photos = (files, caption) if files else None
        await self.notifier.say(comment.tg_chat_id, "group_repost", outbox_kind="group_repost",
                                reply_to=await self._group_reply_target(comment), name=name, text=comment.text,
                                photos=photos)  # fmt: skip

    async def photos(self, actor: int, comment_id: int) -> list[str]:
        """The photos of a comment in the queue, for a moderator to look at before judging it."""
        await self.roles.authorize(actor)
        return await self._photos(await self._held(comment_id))

    async def _photos(self, comment: CommentRow) -> list[str]:
        """The Telegram files of the photos a comment carries: an album's, in their order, or its one photo."""
        files = [part.file_id for part in await self.albums.parts(comment.id) if part.kind in RESEND and part.file_id]
        if not files and comment.media_kind in RESEND and comment.media_file_id:
            files = [comment.media_file_id]
        return files

    async def _group_reply_target(self, comment: CommentRow) -> int | None:
        """The group message a bot message about this comment answers: its parent's, else the thread's root."""
        if comment.tg_chat_id is None:
            return None
        parent = await self.comments.get(comment.parent_id) if comment.parent_id else None
        if parent is not None and parent.tg_chat_id == comment.tg_chat_id and parent.tg_message_id is not None:
            return parent.tg_message_id
        return await self.comments.thread_root(comment.tg_chat_id, comment.article_id)


def _left_the_group(comment: CommentRow) -> bool:
    """Whether a held group comment's message was taken out of the group already: held as it arrived (it was
    never edited: a pending comment takes no edits) or hidden by a moderator; one held for readers' reports or
    for an edit is still there."""
    if comment.origin != "group" or comment.status != CommentStatus.PENDING:
        return False
    return comment.hold_reason == HoldReason.MODERATOR or (
        comment.hold_reason != HoldReason.REPORTS and comment.edited_at is None
    )
