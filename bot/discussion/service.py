"""The discussion of an article: writing, replying, voting, editing, deleting, reporting, paging."""

from __future__ import annotations

import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.news.publisher import DEEP_LINK_PREFIX, Publisher
from bot.text.normalize import clean_controls, matching_form
from bot.texts import t
from bot.user_errors import UserFacingError
from bot.users import UserService
from storage.articles import ArticleRepository, ArticleRow
from storage.comments import CommentRepository, CommentRow, NewComment, ViewRepository, ViewRow
from storage.outbox import OutboxRepository

if TYPE_CHECKING:
    from bot.moderation.service import ModerationService

log = logging.getLogger(__name__)

PAGE_SIZE = 5
REPLIES_SHOWN = 2  # per comment on a page; more open the comment's thread
MAX_DEPTH_SHOWN = 3
MAX_CHARS = 2000
PER_MINUTE = 5
EDIT_WINDOW = 15 * 60
PAYLOAD = re.compile(rf"^{DEEP_LINK_PREFIX}([A-Za-z0-9]{{10}})$")


class DiscussionError(UserFacingError):
    """What the reader did cannot be done; `key` names the catalog message that says why."""


@dataclass(frozen=True)
class Author:
    user_id: int
    name: str


@dataclass
class Node:
    comment: CommentRow
    replies: list[Node] = field(default_factory=list)
    hidden_replies: int = 0


@dataclass
class Page:
    article: ArticleRow
    view: ViewRow
    nodes: list[Node]
    total: int
    has_previous: bool
    has_next: bool
    thread: CommentRow | None = None


class DiscussionService:
    def __init__(
        self,
        comments: CommentRepository,
        views: ViewRepository,
        articles: ArticleRepository,
        users: UserService,
        publisher: Publisher,
        outbox: OutboxRepository,
        *,
        max_chars: int = MAX_CHARS,
        per_minute: int = PER_MINUTE,
    ) -> None:
        self.max_chars = max_chars
        self.per_minute = per_minute
        # Set by Services once moderation exists (it screens comments and guards votes and reports).
        self.moderation: ModerationService | None = None
        self.comments = comments
        self.views = views
        self.articles = articles
        self.users = users
        self.publisher = publisher
        self.outbox = outbox

    # ----- finding things --------------------------------------------------------------------------------
    async def article_for_payload(self, payload: str) -> ArticleRow:
        match = PAYLOAD.match(payload)
        if not match:
            raise DiscussionError("start_unknown_link")
        article = await self.articles.by_public_id(match.group(1))
        if article is None or article.deleted or article.state not in ("queued", "posted"):
            raise DiscussionError("start_unknown_link")
        return article

    async def commentable(self, article_id: int) -> ArticleRow:
        """The article a new comment may be written on: one published (or being published) in the channel,
        whatever a button says (a forged one may name a story that was never posted)."""
        article = await self.articles.get(article_id)
        if article is None or article.deleted:
            raise DiscussionError("start_unknown_link")
        if article.state not in ("queued", "posted"):
            raise DiscussionError("comment_story_unavailable")
        return article

    async def comment(self, comment_id: int) -> CommentRow:
        comment = await self.comments.get(comment_id)
        if comment is None or comment.status not in ("published", "deleted"):
            raise DiscussionError("comment_gone")
        return comment

    # ----- pages ---------------------------------------------------------------------------------------------
    async def page(self, view: ViewRow) -> Page:
        """The comments a view shows: a page of top-level comments with their first replies, or a thread."""
        article = await self.articles.get(view.article_id)
        if article is None or article.deleted:
            raise DiscussionError("start_unknown_link")
        total = await self.comments.count_published(article.id)
        if view.thread_id is not None:
            root = await self.comment(view.thread_id)
            node = Node(root)
            await self._fill_replies([node], depth_left=MAX_DEPTH_SHOWN, per_parent=20)
            return Page(article, view, [node], total, False, False, thread=root)
        after = (
            (view.cursor_key, view.cursor_id) if view.cursor_key is not None and view.cursor_id is not None else None
        )
        rows = await self.comments.top_level_page(
            article.id, view.sort, after, PAGE_SIZE + 1, backwards=bool(view.backwards)
        )
        if view.backwards:
            has_previous = len(rows) > PAGE_SIZE
            rows = rows[-PAGE_SIZE:]
            has_next = True
        else:
            has_next = len(rows) > PAGE_SIZE
            rows = rows[:PAGE_SIZE]
            has_previous = after is not None
        nodes = [Node(row) for row in rows]
        await self._fill_replies(nodes, depth_left=MAX_DEPTH_SHOWN - 1, per_parent=REPLIES_SHOWN)
        return Page(article, view, nodes, total, has_previous, has_next)

    async def _fill_replies(self, nodes: list[Node], depth_left: int, per_parent: int) -> None:
        level = nodes
        while level and depth_left > 0:
            ids = [node.comment.id for node in level]
            children = await self.comments.children(ids, per_parent)
            counts = await self.comments.reply_counts(ids)
            next_level: list[Node] = []
            for node in level:
                node.replies = [Node(child) for child in children.get(node.comment.id, [])]
                node.hidden_replies = counts.get(node.comment.id, 0) - len(node.replies)
                next_level.extend(node.replies)
            level = next_level
            depth_left -= 1
        if level:  # the deepest shown: their replies are behind the "continue this thread" button
            counts = await self.comments.reply_counts([node.comment.id for node in level])
            for node in level:
                node.hidden_replies = counts.get(node.comment.id, 0)

    @staticmethod
    def sort_key(comment: CommentRow, sort: str) -> int:
        return comment.score if sort == "top" else comment.created_at

    # ----- writing -------------------------------------------------------------------------------------------
    def clean_text(self, text: str) -> str:
        """Control and bidi-override characters removed, whitespace trimmed; refused when empty or too long."""
        cleaned = clean_controls(text).strip()
        if not cleaned:
            raise DiscussionError("comment_empty")
        if len(cleaned) > self.max_chars:
            raise DiscussionError("comment_too_long", limit=self.max_chars, length=len(cleaned))
        return cleaned

    async def add(
        self,
        article_id: int,
        parent_id: int | None,
        author: Author,
        text: str,
        *,
        anonymous: bool = False,
        origin: str = "bot",
        tg_chat_id: int | None = None,
        tg_message_id: int | None = None,
        check_flood: bool = True,
        sender_chat_id: int | None = None,
    ) -> CommentRow | None:
        """Store a comment (None for a re-delivered group message); update the count and notify.
        A comment moderation holds is stored with status `pending`; one it refuses raises."""
        text = self.clean_text(text)
        now = int(time.time())
        article = await self.commentable(article_id)
        status, hold_reason = "published", None
        if self.moderation is not None:
            verdict = await self.moderation.screen(author.user_id, article, text, sender_chat_id=sender_chat_id)
            status, hold_reason = verdict.status, verdict.hold_reason
        if check_flood and await self.comments.recent_by_author(author.user_id, now - 60) >= self.per_minute:
            raise DiscussionError("comment_flood", limit=self.per_minute)
        depth = 0
        parent = None
        if parent_id is not None:
            parent = await self.comment(parent_id)
            if parent.article_id != article_id:
                raise DiscussionError("comment_gone")
            depth = parent.depth + 1
        comment_id = await self.comments.insert(
            NewComment(
                article_id=article_id,
                parent_id=parent_id,
                depth=depth,
                author_id=author.user_id,
                author_name=author.name,
                anonymous=anonymous,
                text=text,
                matching=matching_form(text),
                status=status,
                origin=origin,
                tg_chat_id=tg_chat_id,
                tg_message_id=tg_message_id,
                hold_reason=hold_reason,
            ),
            now,
        )
        if comment_id is None:
            return None
        stored = CommentRow(comment_id, article_id, parent_id, depth, author.user_id, author.name, int(anonymous), text,
                            status, now, None, 0, 0, 0, origin, tg_chat_id, tg_message_id, hold_reason)  # fmt: skip
        if status != "published":
            if self.moderation is not None:
                await self.moderation.held(stored)
            return stored
        await self.refresh_count(article_id, article)
        if parent is not None and parent.author_id != author.user_id:
            await self._notify_reply(parent, comment_id, article, author if not anonymous else None, text)
        return stored

    async def approved(self, comment: CommentRow) -> None:
        """A held reply was approved: its parent's author hears of it now, as they would have at once."""
        if comment.parent_id is None:
            return
        parent = await self.comments.get(comment.parent_id)
        article = await self.articles.get(comment.article_id)
        if parent is None or article is None or parent.author_id == comment.author_id:
            return
        author = None if comment.anonymous else Author(comment.author_id, comment.author_name)
        await self._notify_reply(parent, comment.id, article, author, comment.text)

    async def refresh_count(self, article_id: int, article: ArticleRow | None = None) -> int:
        count = await self.comments.count_published(article_id)
        await self.publisher.update_comment_count(article_id, count, article)
        return count

    async def _notify_reply(
        self, parent: CommentRow, comment_id: int, article: ArticleRow, author: Author | None, text: str
    ) -> None:
        profile = await self.users.users.get(parent.author_id)
        if profile is None or not profile.reply_notifications or parent.origin != "bot":
            return
        lang = await self.users.language(parent.author_id, profile.language_code)
        name = author.name if author else t(lang, "anonymous")
        snippet = text if len(text) <= 200 else text[:199] + "…"
        link = self.publisher.deep_link(article)
        await self.outbox.enqueue(
            f"reply:{comment_id}:{uuid.uuid4().hex[:8]}",
            "notification",
            parent.author_id,
            "sendMessage",
            {
                "chat_id": parent.author_id,
                "text": t(lang, "reply_notice", name=name, title=article.title, text=snippet),
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": t(lang, "reply_notice_open"), "url": link}]]},
                "link_preview_options": {"is_disabled": True},
            },
            time.time(),
        )
        self.publisher.wake_sender()

    # ----- changing ------------------------------------------------------------------------------------------
    async def vote(self, comment_id: int, user_id: int, value: int) -> tuple[int, int]:
        if self.moderation is not None:
            await self.moderation.check_can_act(user_id)
        comment = await self.comment(comment_id)
        if comment.status != "published":
            raise DiscussionError("comment_gone")
        return await self.comments.vote(comment_id, user_id, value)

    async def edit(self, comment_id: int, user_id: int, text: str) -> CommentRow:
        comment = await self.own_comment(comment_id, user_id)
        if time.time() - comment.created_at > EDIT_WINDOW:
            raise DiscussionError("comment_edit_too_late", minutes=EDIT_WINDOW // 60)
        cleaned = self.clean_text(text)
        hold = False
        if self.moderation is not None:
            await self.moderation.check_can_comment(user_id)
            hold = await self.moderation.screen_edit(user_id, cleaned)
        await self.comments.update_text(comment_id, cleaned, matching_form(cleaned), int(time.time()))
        if hold and self.moderation is not None:
            await self.moderation.hold_edited(comment)
        return await self.comments.get(comment_id) or comment

    async def edit_from_group(self, chat_id: int, message_id: int, text: str) -> CommentRow | None:
        """A group message was edited: its comment follows (group comments have no edit window)."""
        comment = await self.comments.by_message(chat_id, message_id)
        if comment is None or comment.status != "published":
            return None
        try:
            cleaned = self.clean_text(text)
            hold = self.moderation is not None and await self.moderation.screen_edit(comment.author_id, cleaned)
        except DiscussionError:
            # Emptied, or edited into a banned word: the comment goes, and so does the group message.
            if self.moderation is not None:
                await self.moderation.remove(0, comment.id, "filter")
            return None
        await self.comments.update_text(comment.id, cleaned, matching_form(cleaned), int(time.time()))
        if hold and self.moderation is not None:
            await self.moderation.hold_edited(comment)
        return await self.comments.get(comment.id)

    async def delete(self, comment_id: int, user_id: int) -> CommentRow:
        comment = await self.own_comment(comment_id, user_id)
        await self.comments.mark_deleted(comment_id)
        await self.refresh_count(comment.article_id)
        return comment

    async def own_comment(self, comment_id: int, user_id: int) -> CommentRow:
        comment = await self.comment(comment_id)
        if comment.author_id != user_id or comment.status != "published":
            raise DiscussionError("comment_not_yours")
        return comment

    async def report(self, comment_id: int, user_id: int) -> bool:
        comment = await self.comment(comment_id)
        if self.moderation is not None:
            return await self.moderation.report(comment, user_id)
        if comment.author_id == user_id:
            raise DiscussionError("comment_report_own")
        return await self.comments.report(comment_id, user_id, int(time.time()))

    async def author(self, user_id: int, first_name: str) -> Author:
        """The name a reader comments under: their chosen display name, else their Telegram first name."""
        profile = await self.users.users.get(user_id)
        name = (profile.display_name if profile and profile.display_name else first_name) or "?"
        return Author(user_id, name)
