"""What a published reply sets off: its copy in the discussion group (a reply written in the bot to a comment of
the group) and the notice to the author it answers. Both are queued with the reply itself, in its transaction."""

from __future__ import annotations

from typing import Any

from bot.news.publisher import Publisher
from bot.notify import Notifier
from bot.render.html import snippet
from bot.texts import Text
from bot.users import UserService
from storage.articles import ArticleRepository, ArticleRow
from storage.comments import CommentRepository, CommentRow
from storage.outbox import OutboxRow

MIRROR_PREFIX = "mirror:"  # outbox key of a bot reply posted in the discussion group


class Replies:
    def __init__(
        self,
        comments: CommentRepository,
        articles: ArticleRepository,
        users: UserService,
        publisher: Publisher,
        notifier: Notifier,
        *,
        group_id: int | None,
    ) -> None:
        self.comments = comments
        self.articles = articles
        self.users = users
        self.publisher = publisher
        self.notifier = notifier
        self.group_id = group_id  # the discussion group, where replies to its comments are mirrored

    async def published(self, parent: CommentRow, comment: CommentRow, article: ArticleRow) -> None:
        """A reply is shown: into the group's thread if it answers a group comment, and to its parent's
        author."""
        await self._mirror_in_group(parent, comment)
        if parent.author_id != comment.author_id:
            await self._notify(parent, comment, article)

    async def approved(self, comment: CommentRow) -> None:
        """A held reply was approved: it is published now, as it would have been at once."""
        if comment.parent_id is None:
            return
        parent = await self.comments.get(comment.parent_id)
        article = await self.articles.get(comment.article_id)
        if parent is None:
            return
        if article is None:
            await self._mirror_in_group(parent, comment)
            return
        await self.published(parent, comment, article)

    async def _notify(self, parent: CommentRow, comment: CommentRow, article: ArticleRow) -> None:
        profile = await self.users.users.get(parent.author_id)
        # Group authors see the reply in the group; others only if Telegram lets the bot write to them (tell).
        if profile is None or not profile.reply_notifications or parent.origin != "bot":
            return
        name = Text("anonymous") if comment.anonymous else comment.author_name
        await self.notifier.tell(parent.author_id, "reply_notice", dedupe=f"reply:{comment.id}",
                                 open_url=self.publisher.deep_link(article, comment.id), name=name, title=article.title,
                                 text=snippet(comment.text))  # fmt: skip

    async def _mirror_in_group(self, parent: CommentRow, comment: CommentRow) -> None:
        """A reply written in the bot to a comment of the discussion group goes to the group's thread too, posted
        by the bot naming the author, as a reply to that comment's message: one conversation, not two. Through
        the outbox, which paces the group within Telegram's 20 messages a minute (queued, never dropped)."""
        chat, message_id = parent.tg_chat_id, parent.tg_message_id
        if comment.origin != "bot" or parent.origin != "group" or chat is None or message_id is None:
            return
        if chat != self.group_id:
            return
        name = Text("anonymous") if comment.anonymous else comment.author_name
        # Were the parent's message gone: still in the thread, under the post.
        root = await self.comments.thread_root(chat, comment.article_id)
        await self.notifier.say(chat, "group_mirror", outbox_kind="group_mirror", dedupe=f"{MIRROR_PREFIX}{comment.id}",
                                reply_to=message_id, strict=True, or_under=root, article_id=comment.article_id,
                                name=name, text=comment.text)  # fmt: skip

    async def on_sent(self, row: OutboxRow, result: dict[str, Any] | bool) -> None:
        """A mirrored reply reached the group: answers to its message there are replies to the bot comment."""
        if row.kind == "group_mirror" and isinstance(result, dict) and row.idempotency_key.startswith(MIRROR_PREFIX):
            comment_id = int(row.idempotency_key.removeprefix(MIRROR_PREFIX))
            await self.comments.move_to_message(comment_id, int(row.chat_id), int(result["message_id"]))

    async def take_down(self, comment: CommentRow) -> None:
        """A bot comment is gone (deleted, hidden, rejected): so is its copy in the group, sent or still queued."""
        if await self.notifier.cancel(f"{MIRROR_PREFIX}{comment.id}", "comment taken down before it was mirrored"):
            return
        chat, message_id = comment.tg_chat_id, comment.tg_message_id
        if chat is None or message_id is None or chat != self.group_id:
            return
        await self.notifier.delete(chat, message_id, outbox_kind="group_mirror_delete", dedupe=f"unmirror:{comment.id}")
