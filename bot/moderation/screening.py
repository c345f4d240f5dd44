"""Screening: the policy that gives a verdict for a text by an author on a story (published now, held for review
with a reason, or refused), and the settings it follows: word filters, premoderation, locked stories."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.moderation.audit import AuditLog
from bot.moderation.roles import Role, Roles
from bot.moderation.sanctions import SanctionBook
from bot.moderation.wordfilter import Filter, WordFilter, fold
from bot.notify import Notifier
from bot.user_errors import DiscussionError, ModerationError
from bot.users import UserService
from storage.articles import ArticleRepository, ArticleRow
from storage.comments import CommentStatus, HoldReason
from storage.moderation import FilterRow, ModerationRepository

log = logging.getLogger(__name__)

PREMOD_KEY = "premod_mode"  # off, all or new
NEW_USER_AGE = 86400  # a reader first seen within a day is new (once the bot itself is a day old), for raids
MAX_FILTER_PHRASE = 60
LINK_MARKERS = ("http://", "https://", "www.", "t.me/", "@")


@dataclass(frozen=True)
class Verdict:
    status: CommentStatus  # published, or pending (held for review)
    hold_reason: HoldReason | None = None


PUBLISH = Verdict(CommentStatus.PUBLISHED)


@dataclass
class _RaidMemory:
    installed_at: int | None = None  # when the bot first saw a reader (read again until a day old)
    told: set[int] = field(default_factory=set)  # stories whose raid the admins heard of


class Screener:
    def __init__(
        self,
        repo: ModerationRepository,
        articles: ArticleRepository,
        users: UserService,
        roles: Roles,
        book: SanctionBook,
        audit: AuditLog,
        notifier: Notifier,
        settings: Settings,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.articles = articles
        self.users = users
        self.roles = roles
        self.book = book
        self.audit = audit
        self.notifier = notifier
        self.settings = settings
        self.clock = clock
        self.words = WordFilter()
        self.premod = "off"
        self._raids = _RaidMemory()

    async def load(self) -> None:
        """Word filters and the premoderation mode from SQLite."""
        self.words = WordFilter(_filter(row) for row in await self.repo.filters())
        self.premod = await self.users.users.get_state(PREMOD_KEY) or "off"

    # ----- verdicts ------------------------------------------------------------------------------------------
    async def check_can_write(self, user_id: int, article: ArticleRow) -> None:
        """Whether a reader may start writing in this discussion (moderators may even when it is locked)."""
        if await self.roles.role(user_id) >= Role.MODERATOR:
            return
        await self.book.check_can_comment(user_id)
        if article.locked:
            raise DiscussionError("discussion_locked")

    async def check_can_vote(self, user_id: int) -> None:
        """Banned readers cannot vote (nor comment, nor report)."""
        await self.book.check_can_act(user_id)

    async def check_can_edit(self, user_id: int) -> None:
        """Banned and muted readers cannot edit their comments."""
        await self.book.check_can_comment(user_id)

    async def screen(
        self, author_id: int, article: ArticleRow, text: str, *, sender_chat_id: int | None = None
    ) -> Verdict:
        """May this comment be published now, must it wait for review, or is it refused (raises)?"""
        if await self.roles.role(author_id, sender_chat_id=sender_chat_id) >= Role.MODERATOR:
            return PUBLISH
        hit = await self._check_refusals(author_id, article, text)
        if hit is not None:
            return Verdict(CommentStatus.PENDING, HoldReason.SUSPECT)
        if self.premod == "all":
            return Verdict(CommentStatus.PENDING, HoldReason.PREMOD)
        if self.premod == "new" and await self.repo.approved_count(author_id) < self.settings.premod_min_approved:
            has_link = any(marker in text.lower() for marker in LINK_MARKERS)
            return Verdict(CommentStatus.PENDING, HoldReason.LINK if has_link else HoldReason.NEW_USER)
        if await self._looks_like_a_raid(author_id, article):
            return Verdict(CommentStatus.PENDING, HoldReason.RAID)
        return PUBLISH

    async def _check_refusals(self, author_id: int, article: ArticleRow, text: str) -> Filter | None:
        """The refusals of `screen` (raised); returns the suspect word's match, if any."""
        await self.book.check_can_comment(author_id)
        if article.locked:
            raise DiscussionError("discussion_locked")
        hit = self.words.match(text)
        if hit is not None and hit.kind == "banned":
            raise DiscussionError("comment_filtered", phrase=hit.phrase)
        return hit

    async def screen_edit(self, author_id: int, text: str) -> bool:
        """An edited comment goes through the word filters again: True when it must wait for review."""
        if await self.roles.role(author_id) >= Role.MODERATOR:
            return False
        hit = self.words.match(text)
        if hit is not None and hit.kind == "banned":
            raise DiscussionError("comment_filtered", phrase=hit.phrase)
        return hit is not None

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
        if article.id not in self._raids.told:
            self._raids.told.add(article.id)
            log.warning("raid suspected on article %s: %d new accounts within %d s", article.id, others + 1, window)
            await self.notifier.notify_admins("raid_notice", title=article.title, count=others + 1)
        return True

    async def _new_accounts_since(self, now: float) -> int | None:
        """Readers first seen at or after this time are new accounts: within the last NEW_USER_AGE, and a full
        NEW_USER_AGE after the bot first saw anyone. None while the installation is younger than that: on a new
        installation every reader is "first seen today", which says nothing about them."""
        installed = self._raids.installed_at
        if installed is None or now - installed < NEW_USER_AGE:
            installed = self._raids.installed_at = await self.repo.first_reader_seen_at()
        if installed is None or now - installed < NEW_USER_AGE:
            return None
        return max(int(now) - NEW_USER_AGE, installed + NEW_USER_AGE)

    # ----- the settings screening follows ----------------------------------------------------------------------
    async def set_premod(self, actor: int, mode: str) -> None:
        await self.users.users.set_state(PREMOD_KEY, mode)
        self.premod = mode
        await self.audit.record(actor, "premod", "setting", mode, None)

    async def set_locked(self, actor: int, article: ArticleRow, locked: bool) -> None:
        await self.articles.set_locked(article.id, locked)
        await self.audit.record(actor, "lock" if locked else "unlock", "article", article.id, None)

    async def filters(self) -> list[FilterRow]:
        return await self.repo.filters()

    async def add_filter(self, actor: int, kind: str, phrase: str) -> bool:
        folded = fold(phrase)
        if not folded or len(phrase) > MAX_FILTER_PHRASE:
            raise ModerationError("filter_usage")
        added = await self.repo.add_filter(kind, phrase, folded, actor, int(self.clock.time()))
        if added:
            self.words.add(Filter(kind, phrase, folded))
            await self.audit.record(actor, "filter_add", "filter", kind, phrase)
        return added

    async def remove_filter(self, actor: int, kind: str, phrase: str) -> bool:
        removed = await self.repo.remove_filter(kind, fold(phrase))
        if removed:
            self.words = WordFilter(_filter(row) for row in await self.repo.filters())
            await self.audit.record(actor, "filter_remove", "filter", kind, phrase)
        return removed


def _filter(row: FilterRow) -> Filter:
    return Filter(row.kind, row.phrase, row.folded)
