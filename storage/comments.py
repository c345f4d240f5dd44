"""Comments, votes, reports and the discussion group's thread roots."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.db import Database
from storage.rows import from_row


class CommentStatus(StrEnum):
    """A comment's `status` column (the stored strings are these values)."""

    PUBLISHED = "published"
    PENDING = "pending"  # in the review queue: held by screening, by reports or by a moderator
    REJECTED = "rejected"
    DELETED = "deleted"  # by its author, by a moderator, or forgotten with its author (a placeholder)


class HoldReason(StrEnum):
    """Why a comment waits in the review queue (`hold_reason`); MODERATOR also marks a moderator's delete."""

    SUSPECT = "suspect"  # a suspect word filter matched
    PREMOD = "premod"  # premoderation of everyone
    LINK = "link"  # premoderation of new readers, and the comment has a link
    NEW_USER = "new_user"  # premoderation of new readers
    RAID = "raid"  # many new accounts on a fresh post
    REPORTS = "reports"  # hidden after enough readers reported it
    MODERATOR = "moderator"  # hidden (or deleted) by a moderator


# Whether comment `c` is shown: a published one is; one that is not (deleted, hidden by reports or a moderator,
# rejected) stays as a placeholder while a published comment lives under it, so that its replies keep their place.
SHOWN = """
    (c.status = 'published' OR EXISTS (
        WITH RECURSIVE below(id) AS (
            SELECT id FROM comments WHERE parent_id = c.id
            UNION ALL
            SELECT r.id FROM comments r JOIN below ON r.parent_id = below.id
        )
        SELECT 1 FROM below JOIN comments b ON b.id = below.id WHERE b.status = 'published'
    ))
"""


@dataclass(frozen=True)
class CommentRow:
    id: int
    article_id: int
    parent_id: int | None
    depth: int
    author_id: int
    author_name: str
    anonymous: int
    text: str
    status: CommentStatus
    created_at: int
    edited_at: int | None
    up: int
    down: int
    score: int
    origin: str
    # The Telegram message that is this comment: its group message (for comments written in the group, and for
    # replies written in the bot once mirrored into the group), else the private message it was written as.
    tg_chat_id: int | None
    tg_message_id: int | None
    hold_reason: HoldReason | None = None
    reviewed_at: int | None = None
    media_kind: str | None = None  # a group message without text (a photo, a poll...): its kind; None for text
    media_file_id: str | None = None  # the Telegram file it carries (a photo's), to post it again once approved

    def __post_init__(self) -> None:
        # SQLite gives plain strings: the row carries the enums (equal to those strings, so both compare).
        object.__setattr__(self, "status", CommentStatus(self.status))
        if self.hold_reason is not None:
            object.__setattr__(self, "hold_reason", HoldReason(self.hold_reason))


@dataclass(frozen=True)
class NewComment:
    article_id: int
    parent_id: int | None
    depth: int
    author_id: int
    author_name: str
    anonymous: bool
    text: str
    matching: str
    status: CommentStatus
    origin: str
    tg_chat_id: int | None = None
    tg_message_id: int | None = None
    hold_reason: HoldReason | None = None
    media_kind: str | None = None
    media_file_id: str | None = None


class CommentRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(self, comment: NewComment, now: int) -> int | None:
        """Store a comment; None when its Telegram message was stored before (a re-delivered update)."""
        # The article's comment_count follows by trigger (migration 0004).
        return await self.db.insert(
            """
            INSERT OR IGNORE INTO comments (article_id, parent_id, depth, author_id, author_name, anonymous, text,
                                            matching, status, created_at, origin, tg_chat_id, tg_message_id,
                                            hold_reason, media_kind, media_file_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                comment.article_id, comment.parent_id, comment.depth, comment.author_id, comment.author_name,
                int(comment.anonymous), comment.text, comment.matching, comment.status, now, comment.origin,
                comment.tg_chat_id, comment.tg_message_id, comment.hold_reason, comment.media_kind,
                comment.media_file_id,
            ),
        )  # fmt: skip

    async def get(self, comment_id: int) -> CommentRow | None:
        row = await self.db.fetchone("SELECT * FROM comments WHERE id = ?", (comment_id,))
        return from_row(CommentRow, row) if row else None

    async def by_message(self, chat_id: int, message_id: int) -> CommentRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM comments WHERE tg_chat_id = ? AND tg_message_id = ?", (chat_id, message_id)
        )
        return from_row(CommentRow, row) if row else None

    async def move_to_message(self, comment_id: int, chat_id: int, message_id: int) -> None:
        """A bot reply was mirrored into the discussion group: from now on its Telegram message is the group's
        copy, so that answers to it there are replies to it and moderators can act on it by replying."""
        await self.db.execute(
            "UPDATE comments SET tg_chat_id = ?, tg_message_id = ? WHERE id = ? AND tg_chat_id IS NOT NULL",
            (chat_id, message_id, comment_id),
        )

    async def top_level_page(
        self, article_id: int, sort: str, after: tuple[int, int] | None, limit: int, backwards: bool = False
    ) -> list[CommentRow]:
        """One page of top-level comments, keyset-paged (no OFFSET): `after` is the (key, id) of the last
        comment of the previous page, or, going `backwards`, of the first comment of the next page."""
        key = "score" if sort == "top" else "created_at"
        params: tuple[int, ...] = ()
        if after is None:
            condition = ""
        elif backwards:
            condition, params = f"AND ({key} > ? OR ({key} = ? AND id > ?))", (after[0], after[0], after[1])
        else:
            condition, params = f"AND ({key} < ? OR ({key} = ? AND id < ?))", (after[0], after[0], after[1])
        order = "ASC" if backwards else "DESC"
        rows = await self.db.fetchall(
            f"""
            SELECT * FROM comments c
            WHERE article_id = ? AND parent_id IS NULL {condition} AND {SHOWN}
            ORDER BY {key} {order}, id {order}
            LIMIT ?
            """,
            (article_id, *params, limit),
        )
        comments = [from_row(CommentRow, r) for r in rows]
        return comments[::-1] if backwards else comments

    async def children(self, parent_ids: list[int], limit_each: int) -> dict[int, list[CommentRow]]:
        """The first shown replies of each parent, oldest first."""
        if not parent_ids:
            return {}
        marks = ",".join("?" * len(parent_ids))
        rows = await self.db.fetchall(
            f"""
            SELECT * FROM (
                SELECT c.*, row_number() OVER (PARTITION BY parent_id ORDER BY created_at, id) AS n
                FROM comments c WHERE parent_id IN ({marks}) AND {SHOWN}
            ) WHERE n <= ?
            """,
            (*parent_ids, limit_each),
        )
        found: dict[int, list[CommentRow]] = {}
        for row in rows:
            found.setdefault(int(row["parent_id"]), []).append(from_row(CommentRow, row))
        return found

    async def replies_page(self, parent_id: int, offset: int, limit: int) -> list[CommentRow]:
        """One page of a comment's shown replies, oldest first (a comment has few: no keyset needed)."""
        rows = await self.db.fetchall(
            f"SELECT * FROM comments c WHERE parent_id = ? AND {SHOWN} ORDER BY created_at, id LIMIT ? OFFSET ?",
            (parent_id, limit, offset),
        )
        return [from_row(CommentRow, row) for row in rows]

    async def count_replies(self, parent_id: int) -> int:
        row = await self.db.fetchone(f"SELECT count(*) FROM comments c WHERE parent_id = ? AND {SHOWN}", (parent_id,))
        return int(row[0]) if row else 0

    async def is_shown(self, comment_id: int) -> bool:
        return await self.db.fetchone(f"SELECT 1 FROM comments c WHERE id = ? AND {SHOWN}", (comment_id,)) is not None

    async def published_below(self, comment_ids: list[int]) -> dict[int, int]:
        """How many published comments live under each of these comments, at any depth."""
        if not comment_ids:
            return {}
        marks = ",".join("?" * len(comment_ids))
        rows = await self.db.fetchall(
            f"""
            WITH RECURSIVE below(origin, id) AS (
                SELECT parent_id, id FROM comments WHERE parent_id IN ({marks})
                UNION ALL
                SELECT below.origin, r.id FROM comments r JOIN below ON r.parent_id = below.id
            )
            SELECT below.origin AS origin, count(*) AS n FROM below JOIN comments b ON b.id = below.id
            WHERE b.status = 'published' GROUP BY below.origin
            """,
            comment_ids,
        )
        return {int(r["origin"]): int(r["n"]) for r in rows}

    async def count_published(self, article_id: int) -> int:
        row = await self.db.fetchone("SELECT comment_count FROM articles WHERE id = ?", (article_id,))
        return int(row[0]) if row else 0

    async def count_top_level(self, article_id: int) -> int:
        """The top-level comments the article's pages show: published ones (counted by trigger) and
        placeholders."""
        row = await self.db.fetchone(
            f"""
            SELECT (SELECT top_count FROM articles WHERE id = :article) + (
                SELECT count(*) FROM comments c
                WHERE article_id = :article AND parent_id IS NULL AND status != 'published' AND {SHOWN}
            )
            """,
            {"article": article_id},
        )
        return int(row[0]) if row and row[0] is not None else 0

    async def recent_by_author(self, author_id: int, since: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) FROM comments WHERE author_id = ? AND created_at >= ?", (author_id, since)
        )
        return int(row[0]) if row else 0

    async def update_text(self, comment_id: int, text: str, matching: str, now: int) -> None:
        await self.db.execute(
            "UPDATE comments SET text = ?, matching = ?, edited_at = ? WHERE id = ?", (text, matching, now, comment_id)
        )

    async def replace_text(self, comment_id: int, text: str, matching: str) -> None:
        """A new text that is no edit for readers (a held comment's, an album's next photo)."""
        await self.db.execute("UPDATE comments SET text = ?, matching = ? WHERE id = ?", (text, matching, comment_id))

    async def mark_deleted(self, comment_id: int) -> None:
        await self.db.execute(
            "UPDATE comments SET status = 'deleted' WHERE id = ? AND status = 'published'", (comment_id,)
        )

    async def vote(self, comment_id: int, user_id: int, value: int) -> tuple[int, int]:
        """Vote +1 or -1; the same vote again takes it back, the other one moves it. Returns (up, down)."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT value FROM votes WHERE comment_id = ? AND user_id = ?", (comment_id, user_id)
            )
            row = await cursor.fetchone()
            if row is not None and int(row[0]) == value:
                await conn.execute("DELETE FROM votes WHERE comment_id = ? AND user_id = ?", (comment_id, user_id))
            else:
                await conn.execute(
                    "INSERT OR REPLACE INTO votes (comment_id, user_id, value) VALUES (?, ?, ?)",
                    (comment_id, user_id, value),
                )
            await conn.execute(
                """
                UPDATE comments SET
                    up = (SELECT count(*) FROM votes WHERE comment_id = ? AND value = 1),
                    down = (SELECT count(*) FROM votes WHERE comment_id = ? AND value = -1)
                WHERE id = ?
                """,
                (comment_id, comment_id, comment_id),
            )
            await conn.execute("UPDATE comments SET score = up - down WHERE id = ?", (comment_id,))
            cursor = await conn.execute("SELECT up, down FROM comments WHERE id = ?", (comment_id,))
            counts = await cursor.fetchone()
        return (int(counts[0]), int(counts[1])) if counts else (0, 0)

    async def report(self, comment_id: int, user_id: int, now: int) -> bool:
        """Record a report once per user; False when this user had reported it already."""
        return (
            await self.db.execute(
                "INSERT OR IGNORE INTO reports (comment_id, user_id, created_at) VALUES (?, ?, ?)",
                (comment_id, user_id, now),
            )
            > 0
        )

    async def thread_root(self, group_chat_id: int, article_id: int) -> int | None:
        """The group message that copies the article's channel post (its thread's root), if known."""
        row = await self.db.fetchone(
            "SELECT group_message_id FROM group_threads WHERE group_chat_id = ? AND article_id = ?",
            (group_chat_id, article_id),
        )
        return int(row[0]) if row else None

    async def map_thread(self, group_chat_id: int, group_message_id: int, article_id: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO group_threads (group_chat_id, group_message_id, article_id) VALUES (?, ?, ?)",
            (group_chat_id, group_message_id, article_id),
        )

    async def thread_article(self, group_chat_id: int, group_message_id: int) -> int | None:
        row = await self.db.fetchone(
            "SELECT article_id FROM group_threads WHERE group_chat_id = ? AND group_message_id = ?",
            (group_chat_id, group_message_id),
        )
        return int(row[0]) if row else None


@dataclass(frozen=True)
class ViewRow:
    chat_id: int
    message_id: int
    article_id: int
    sort: str
    cursor_key: int | None
    cursor_id: int | None
    backwards: int
    thread_id: int | None
    page: int = 1  # the article page's number (its place is the keyset cursor)
    thread_page: int = 1  # the page of replies, while the message shows one comment (thread_id)


class ViewRepository:
    """What each discussion message shows (article, sort, page cursor or thread)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, view: ViewRow) -> None:
        await self.db.execute(
            """
            INSERT OR REPLACE INTO discussion_views
                (chat_id, message_id, article_id, sort, cursor_key, cursor_id, backwards, thread_id, page, thread_page)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                view.chat_id, view.message_id, view.article_id, view.sort, view.cursor_key, view.cursor_id,
                view.backwards, view.thread_id, view.page, view.thread_page,
            ),
        )  # fmt: skip

    async def get(self, chat_id: int, message_id: int) -> ViewRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM discussion_views WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        )
        return from_row(ViewRow, row) if row else None


class ThreadRepository:
    """Reads of the discussion tree for the Mini App: keyset-paged replies and what is new since an id."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def replies_after(self, parent_id: int, after: tuple[int, int] | None, limit: int) -> list[CommentRow]:
        """Replies of one comment, oldest first, after the (created_at, id) of the last one already shown."""
        condition = ""
        params: tuple[int, ...] = ()
        if after is not None:
            condition, params = "AND (created_at > ? OR (created_at = ? AND id > ?))", (after[0], after[0], after[1])
        rows = await self.db.fetchall(
            f"""
            SELECT * FROM comments c
            WHERE parent_id = ? AND {SHOWN} {condition}
            ORDER BY created_at, id LIMIT ?
            """,
            (parent_id, *params, limit),
        )
        return [from_row(CommentRow, r) for r in rows]

    async def reply_counts(self, parent_ids: list[int]) -> dict[int, int]:
        """How many shown replies each parent has (published ones and placeholders with replies)."""
        if not parent_ids:
            return {}
        marks = ",".join("?" * len(parent_ids))
        rows = await self.db.fetchall(
            f"SELECT parent_id, count(*) AS n FROM comments c WHERE parent_id IN ({marks}) AND {SHOWN} "
            "GROUP BY parent_id",
            parent_ids,
        )
        return {int(r["parent_id"]): int(r["n"]) for r in rows}

    async def published_since(self, article_id: int, after_id: int, limit: int) -> list[CommentRow]:
        """Comments published after `after_id` (ids grow with time), oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM comments WHERE article_id = ? AND id > ? AND status = 'published' ORDER BY id LIMIT ?",
            (article_id, after_id, limit),
        )
        return [from_row(CommentRow, r) for r in rows]

    async def latest_published_id(self, article_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT max(id) FROM comments WHERE article_id = ? AND status = 'published'", (article_id,)
        )
        return int(row[0]) if row and row[0] is not None else 0

    async def my_votes(self, user_id: int, comment_ids: list[int]) -> dict[int, int]:
        if not comment_ids:
            return {}
        marks = ",".join("?" * len(comment_ids))
        rows = await self.db.fetchall(
            f"SELECT comment_id, value FROM votes WHERE user_id = ? AND comment_id IN ({marks})",
            (user_id, *comment_ids),
        )
        return {int(r["comment_id"]): int(r["value"]) for r in rows}
