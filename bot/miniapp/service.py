"""What the Mini App shows and does, in plain data: the same services as the chat, no SQL of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.discussion.service import Author, DiscussionService
from bot.miniapp.auth import WebAppUser
from bot.moderation.roles import Role, Roles
from bot.render.dates import moment_text
from bot.render.ids import comment_ref
from bot.texts import t
from bot.user_errors import DiscussionError
from bot.users import Profile, UserService
from storage.articles import ArticleRow
from storage.comments import CommentRepository, CommentRow, CommentStatus, ThreadRepository

TOP_LEVEL_PAGE = 20
REPLIES_PER_PARENT = 3
DEPTH_SHOWN = 4  # levels below a top-level comment sent with the first screen; deeper ones on request
REPLIES_PAGE = 20
NEW_SINCE_LIMIT = 100


@dataclass(frozen=True)
class Viewer:
    user_id: int
    name: str
    lang: str
    role: Role


class MiniAppService:
    def __init__(
        self,
        discussion: DiscussionService,
        roles: Roles,
        users: UserService,
        comments: CommentRepository,
        threads: ThreadRepository,
        tz: Any,
    ) -> None:
        self.discussion = discussion
        self.roles = roles
        self.users = users
        self.comments = comments
        self.threads = threads
        self.tz = tz

    async def viewer(self, user: WebAppUser) -> Viewer:
        """The verified user as the bot knows them (recorded on first use, like a chat message would)."""
        profile = Profile(user.id, user.first_name, None, None, user.language_code)
        lang = await self.users.seen(profile, private_chat=user.allows_write_to_pm)
        author = await self.discussion.author(user.id, user.first_name)
        return Viewer(user.id, author.name, lang, await self.roles.role(user.id))

    # ----- reading -------------------------------------------------------------------------------------------
    async def story(self, viewer: Viewer, payload: str, sort: str, cursor: str | None) -> dict[str, Any]:
        article = await self.discussion.article_for_payload(payload)
        after = _parse_cursor(cursor)
        rows = await self.comments.top_level_page(article.id, sort, after, TOP_LEVEL_PAGE + 1)
        more = len(rows) > TOP_LEVEL_PAGE
        rows = rows[:TOP_LEVEL_PAGE]
        nodes = await self._subtrees(viewer, rows, DEPTH_SHOWN)
        last = rows[-1] if rows else None
        next_cursor = f"{DiscussionService.sort_key(last, sort)}.{last.id}" if more and last else None
        return {
            "story": self._story(viewer, article),
            "me": {"id": viewer.user_id, "name": viewer.name, "lang": viewer.lang, "moderator": self._is_mod(viewer)},
            "comments": nodes,
            "next": next_cursor,
            "total": article.comment_count,
            "latest_id": await self.threads.latest_published_id(article.id),
        }

    async def replies(self, viewer: Viewer, comment_id: int, cursor: str | None) -> dict[str, Any]:
        parent = await self.discussion.comment(comment_id)
        rows = await self.threads.replies_after(parent.id, _parse_cursor(cursor), REPLIES_PAGE + 1)
        more = len(rows) > REPLIES_PAGE
        rows = rows[:REPLIES_PAGE]
        last = rows[-1] if rows else None
        return {
            "comments": await self._subtrees(viewer, rows, DEPTH_SHOWN - 1),
            "next": f"{last.created_at}.{last.id}" if more and last else None,
        }

    async def since(self, viewer: Viewer, payload: str, after_id: int) -> dict[str, Any]:
        """Comments published since the newest the page has: the page places them without reloading."""
        article = await self.discussion.article_for_payload(payload)
        rows = await self.threads.published_since(article.id, after_id, NEW_SINCE_LIMIT)
        votes = await self.threads.my_votes(viewer.user_id, [r.id for r in rows])
        return {
            "comments": [self._node(viewer, row, votes, [], 0) for row in rows],
            "total": await self.comments.count_published(article.id),
            "latest_id": rows[-1].id if rows else after_id,
        }

    async def _subtrees(self, viewer: Viewer, rows: list[CommentRow], depth: int) -> list[dict[str, Any]]:
        children: dict[int, list[CommentRow]] = {}
        counts: dict[int, int] = {}
        level = rows
        everything = list(rows)
        for _ in range(depth):
            if not level:
                break
            ids = [row.id for row in level]
            found = await self.comments.children(ids, REPLIES_PER_PARENT)
            counts.update(await self.threads.reply_counts(ids))
            children.update(found)
            level = [child for row in level for child in found.get(row.id, [])]
            everything.extend(level)
        if level:
            counts.update(await self.threads.reply_counts([row.id for row in level]))
        votes = await self.threads.my_votes(viewer.user_id, [row.id for row in everything])

        def build(row: CommentRow) -> dict[str, Any]:
            shown = children.get(row.id, [])
            return self._node(viewer, row, votes, [build(child) for child in shown], counts.get(row.id, 0) - len(shown))

        return [build(row) for row in rows]

    def _node(
        self, viewer: Viewer, row: CommentRow, votes: dict[int, int], replies: list[dict[str, Any]], more: int
    ) -> dict[str, Any]:
        deleted = row.status != CommentStatus.PUBLISHED  # shown as a placeholder because replies live under it
        mod = self._is_mod(viewer)
        name = t(viewer.lang, "anonymous") if row.anonymous and not mod else row.author_name
        return {
            "id": row.id,
            "ref": comment_ref(row.id, viewer.lang),
            "parent_id": row.parent_id,
            "author": "" if deleted else str(name),
            "author_id": row.author_id if mod else None,
            "anonymous": bool(row.anonymous),
            "mine": row.author_id == viewer.user_id,
            "text": "" if deleted else row.text,
            "deleted": deleted,
            "hidden": deleted and row.status != CommentStatus.DELETED,  # held, hidden by reports or a moderator
            "created_at": row.created_at,
            "edited": row.edited_at is not None,
            "up": row.up,
            "down": row.down,
            "my_vote": votes.get(row.id, 0),
            "replies": replies,
            "more_replies": max(0, more),
        }

    def _story(self, viewer: Viewer, article: ArticleRow) -> dict[str, Any]:
        moment = article.posted_at or article.created_at
        return {
            "id": article.public_id,
            "title": article.title,
            "summary": article.summary,
            "source": article.source or "",
            "url": article.url or "",
            "date": moment_text(moment, self.tz, viewer.lang),
            "locked": bool(article.locked),
            "hashtags": article.tags,
        }

    @staticmethod
    def _is_mod(viewer: Viewer) -> bool:
        return viewer.role >= Role.MODERATOR

    # ----- writing -------------------------------------------------------------------------------------------
    async def write(
        self, viewer: Viewer, payload: str, text: str, parent_id: int | None, anonymous: bool
    ) -> dict[str, Any]:
        article = await self.discussion.article_for_payload(payload)
        if article.locked:
            raise DiscussionError("discussion_locked")
        stored = await self.discussion.add(
            article.id, parent_id, Author(viewer.user_id, viewer.name), text, anonymous=anonymous, origin="bot"
        )
        if stored is None:
            raise DiscussionError("comment_gone")
        if stored.status != CommentStatus.PUBLISHED:
            return {"held": True, "message": str(t(viewer.lang, "miniapp_held"))}
        return {"held": False, "comment": self._node(viewer, stored, {}, [], 0)}

    async def vote(self, viewer: Viewer, comment_id: int, value: int) -> dict[str, Any]:
        up, down = await self.discussion.vote(comment_id, viewer.user_id, value)
        votes = await self.threads.my_votes(viewer.user_id, [comment_id])
        return {"up": up, "down": down, "my_vote": votes.get(comment_id, 0)}

    async def edit(self, viewer: Viewer, comment_id: int, text: str) -> dict[str, Any]:
        row = await self.discussion.edit(comment_id, viewer.user_id, text)
        return {"comment": self._node(viewer, row, {}, [], 0)}

    async def delete(self, viewer: Viewer, comment_id: int) -> dict[str, Any]:
        await self.discussion.delete(comment_id, viewer.user_id)
        return {"deleted": True}

    async def report(self, viewer: Viewer, comment_id: int) -> dict[str, Any]:
        new = await self.discussion.report(comment_id, viewer.user_id)
        return {"message": str(t(viewer.lang, "report_received" if new else "report_already"))}


def _parse_cursor(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    key, _, ident = cursor.partition(".")
    try:
        pair = (int(key), int(ident))
    except ValueError:
        raise DiscussionError("miniapp_bad_request") from None
    if not all(-(2**62) < part < 2**62 for part in pair):
        raise DiscussionError("miniapp_bad_request")
    return pair
