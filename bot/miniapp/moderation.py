"""The moderators' side of the Mini App: actions on a comment, the review queue and the statistics.
Every call checks the viewer's role on the server; actions go through the moderation services (same audit log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import jdatetime

from bot.clock import SYSTEM_CLOCK, Clock
from bot.discussion.service import DiscussionService
from bot.miniapp.service import Viewer
from bot.moderation.queue import ReviewQueue
from bot.moderation.roles import Role, Target
from bot.moderation.sanctions import Sanctions
from bot.render.dates import MONTHS
from bot.render.ids import comment_ref
from bot.text.chars import to_persian_digits
from bot.texts import CATALOGS, plain, t
from bot.user_errors import UserFacingError
from storage.articles import ArticleRepository
from storage.comments import CommentRepository
from storage.stats import StatsRepository

QUEUE_PAGE = 20
MUTE_SECONDS = 24 * 3600
HOUR, DAY = 3600, 86400


class MiniAppModeration:
    def __init__(
        self,
        queue: ReviewQueue,
        sanctions: Sanctions,
        discussion: DiscussionService,
        comments: CommentRepository,
        articles: ArticleRepository,
        stats: StatsRepository,
        tz: Any,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.review_queue = queue
        self.sanctions = sanctions
        self.discussion = discussion
        self.comments = comments
        self.articles = articles
        self.stats_repo = stats
        self.tz = tz
        self.clock = clock

    @staticmethod
    def _require(viewer: Viewer) -> None:
        if viewer.role < Role.MODERATOR:
            raise PermissionError("moderators only")

    async def act(self, viewer: Viewer, comment_id: int, action: str) -> dict[str, Any]:
        self._require(viewer)
        comment = await self.discussion.comment(comment_id)
        if action == "delete":
            await self.review_queue.remove(viewer.user_id, comment_id, "miniapp")
        elif action == "hide":
            await self.review_queue.hide(viewer.user_id, comment_id)
        else:
            target = Target(comment.author_id, comment.author_name)
            if action == "ban":
                await self.sanctions.ban(viewer.user_id, target, None, "miniapp")
            else:
                await self.sanctions.mute(viewer.user_id, target, MUTE_SECONDS, "miniapp")
        return {"done": action, "id": comment_id}

    async def queue(self, viewer: Viewer) -> dict[str, Any]:
        self._require(viewer)
        items: list[dict[str, Any]] = []
        after = 0
        while len(items) < QUEUE_PAGE:
            row = await self.review_queue.next_held(after)
            if row is None:
                break
            after = row.id
            article = await self.articles.get(row.article_id)
            parent = await self.comments.get(row.parent_id) if row.parent_id else None
            items.append(
                {
                    "id": row.id,
                    "ref": comment_ref(row.id, viewer.lang),
                    "author": row.author_name,
                    "author_id": row.author_id,
                    "text": row.text,
                    "reason": reason_text(viewer.lang, row.hold_reason),
                    "created_at": row.created_at,
                    "story": {"id": article.public_id, "title": article.title} if article else None,
                    "parent": {"ref": comment_ref(parent.id, viewer.lang), "author": parent.author_name,
                               "text": parent.text} if parent else None,
                }
            )  # fmt: skip
        return {"items": items, "total": await self.review_queue.held_count()}

    async def review(self, viewer: Viewer, approve: list[int], reject: list[int], reason: str) -> dict[str, Any]:
        self._require(viewer)
        done: dict[str, list[int]] = {"approved": [], "rejected": [], "gone": []}
        for comment_id in approve:
            try:
                await self.review_queue.approve(viewer.user_id, comment_id)
                done["approved"].append(comment_id)
            except UserFacingError:
                done["gone"].append(comment_id)
        for comment_id in reject:
            try:
                await self.review_queue.reject(viewer.user_id, comment_id, reason or "-")
                done["rejected"].append(comment_id)
            except UserFacingError:
                done["gone"].append(comment_id)
        return done

    async def stats(self, viewer: Viewer, story: str | None) -> dict[str, Any]:
        self._require(viewer)
        now = int(self.clock.time())
        offset = int(datetime.fromtimestamp(now, self.tz).utcoffset().total_seconds())  # type: ignore[union-attr]
        per_day = await self.stats_repo.comments_per_bucket(now - 30 * DAY, DAY, offset)
        result: dict[str, Any] = {
            "per_day": _series(per_day, now - 29 * DAY, DAY, 30, offset, lambda m: _day_label(m, viewer.lang, self.tz)),
            "top_stories": await self.stats_repo.most_discussed(now - 7 * DAY, 10),
            "top_commenters": await self.stats_repo.top_commenters(now - 7 * DAY, 10),
            **await self.stats_repo.moderation_counts(now - 7 * DAY),
        }
        if story:
            article = await self.discussion.article_for_payload(story)
            per_hour = await self.stats_repo.comments_per_bucket(now - 48 * HOUR, HOUR, offset, article.id)
            result["per_hour"] = _series(
                per_hour, now - 47 * HOUR, HOUR, 48, offset, lambda m: _hour_label(m, viewer.lang, self.tz)
            )
        return result


def reason_text(lang: str, reason: str | None) -> str:
    key = f"hold_{reason or 'reported'}"
    return plain(t(lang, key)) if key in CATALOGS[lang] else reason or ""


def _series(
    counts: dict[int, int], first: int, bucket: int, n: int, offset: int, label: Callable[[int], str]
) -> list[dict[str, Any]]:
    """Every bucket of the period, empty ones included, labelled in the channel's time zone."""
    start = ((first + offset) // bucket) * bucket - offset
    return [{"t": s, "label": label(s), "n": counts.get(s, 0)} for s in (start + i * bucket for i in range(n))]


def _day_label(moment: int, lang: str, tz: Any) -> str:
    local = datetime.fromtimestamp(moment, tz)
    if lang == "fa":
        day = jdatetime.date.fromgregorian(date=local.date())
        return to_persian_digits(f"{day.day} {MONTHS[day.month - 1]}")
    return local.strftime("%-d %b")


def _hour_label(moment: int, lang: str, tz: Any) -> str:
    text = datetime.fromtimestamp(moment, tz).strftime("%H:00")
    return to_persian_digits(text) if lang == "fa" else text
