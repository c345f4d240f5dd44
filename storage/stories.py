"""Stories in SQLite: which articles report one event (a lead article and its 'duplicate' reports), their
outlets, the signals the story index is rebuilt from, and the admins' merges and splits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage.articles import ArticleRow
from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class WindowReport:
    """A report of the last 48 hours as the story index needs it."""

    article_id: int
    story_id: int
    created_at: int
    signals: str | None
    signature: bytes | None
    title: str
    body: str
    source: str | None


@dataclass(frozen=True)
class Source:
    source: str
    url: str | None
    seen_at: int


class StoryRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def window(self, since: int) -> list[WindowReport]:
        """Reports created since `since` of stories still alive (queued or posted), oldest first."""
        rows = await self.db.fetchall(
            """
            SELECT a.id, coalesce(a.duplicate_of, a.id) AS story_id, a.created_at, a.story_signals, a.signature,
                   a.title, a.body, a.source
            FROM articles a LEFT JOIN articles lead ON lead.id = a.duplicate_of
            WHERE a.state IN ('queued', 'posted', 'duplicate') AND a.created_at >= ?
              AND (a.duplicate_of IS NULL OR lead.state IN ('queued', 'posted'))
            ORDER BY a.created_at, a.id
            """,
            (since,),
        )
        return [self._report(r) for r in rows]

    @staticmethod
    def _report(r: Any) -> WindowReport:
        signature = None if r["signature"] is None else bytes(r["signature"])
        return WindowReport(int(r["id"]), int(r["story_id"]), int(r["created_at"]), r["story_signals"], signature,
                            str(r["title"]), str(r["body"]), r["source"])  # fmt: skip

    async def set_signals(self, article_id: int, signals: str) -> None:
        await self.db.execute("UPDATE articles SET story_signals = ? WHERE id = ?", (signals, article_id))

    async def lead(self, article: ArticleRow) -> ArticleRow:
        """The story an article belongs to (its first article); itself when it leads one."""
        if article.duplicate_of is None:
            return article
        row = await self.db.fetchone("SELECT * FROM articles WHERE id = ?", (article.duplicate_of,))
        return from_row(ArticleRow, row) if row else article

    async def reports(self, story_id: int) -> list[ArticleRow]:
        """The story's articles: its lead first, then the other reports in the order they came."""
        rows = await self.db.fetchall(
            "SELECT * FROM articles WHERE id = ? OR (duplicate_of = ? AND state = 'duplicate') "
            "ORDER BY id != ?, created_at, id",
            (story_id, story_id, story_id),
        )
        return [from_row(ArticleRow, row) for row in rows]

    async def sources(self, story_id: int) -> list[Source]:
        rows = await self.db.fetchall(
            "SELECT source, url, seen_at FROM article_sources WHERE article_id = ? ORDER BY seen_at, rowid",
            (story_id,),
        )
        return [Source(str(r["source"]), r["url"], int(r["seen_at"])) for r in rows]

    async def source_counts(self, story_ids: list[int]) -> dict[int, int]:
        """Outlets of each story, its own included."""
        if not story_ids:
            return {}
        marks = ",".join("?" * len(story_ids))
        rows = await self.db.fetchall(
            f"SELECT article_id, count(*) AS n FROM article_sources WHERE article_id IN ({marks}) GROUP BY article_id",
            tuple(story_ids),
        )
        counts = {int(r["article_id"]): int(r["n"]) for r in rows}
        return {story_id: 1 + counts.get(story_id, 0) for story_id in story_ids}

    async def set_shown_text(self, article_id: int, shown: str) -> None:
        await self.db.execute("UPDATE articles SET shown_text = ? WHERE id = ?", (shown, article_id))

    async def shown_text(self, article_id: int) -> str | None:
        row = await self.db.fetchone("SELECT shown_text FROM articles WHERE id = ?", (article_id,))
        return None if row is None or row[0] is None else str(row[0])

    async def edit_waiting(self, article_id: int, state: str) -> bool:
        """Whether an edit of the story's post is in this outbox state (pending, or sending right now)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE idempotency_key = ? AND state = ?", (f"button:{article_id}", state)
        )
        return row is not None

    async def merge(self, survivor: int, merged: int, actor: int, now: int) -> None:
        """Story `merged` becomes reports of `survivor`: its articles, outlets and whole discussion (comments,
        group threads, open views) move over, and both discussions' counts are recounted. Audit-logged."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE articles SET duplicate_of = ?, state = 'duplicate' WHERE id = ? OR duplicate_of = ?",
                (survivor, merged, merged),
            )
            own = await (await conn.execute("SELECT source, url, created_at FROM articles WHERE id = ?",
                                             (merged,))).fetchone()  # fmt: skip
            if own is not None and own[0]:
                await conn.execute(
                    "INSERT OR IGNORE INTO article_sources (article_id, source, url, seen_at) VALUES (?, ?, ?, ?)",
                    (survivor, own[0], own[1], own[2]),
                )
            await conn.execute(
                "INSERT OR IGNORE INTO article_sources (article_id, source, url, seen_at) "
                "SELECT ?, source, url, seen_at FROM article_sources WHERE article_id = ?",
                (survivor, merged),
            )
            await conn.execute("DELETE FROM article_sources WHERE article_id = ?", (merged,))
            await conn.execute(
                "DELETE FROM article_sources WHERE article_id = ? AND source = "
                "(SELECT source FROM articles WHERE id = ?)",
                (survivor, survivor),
            )
            for table in ("comments", "group_threads"):  # marked with where they came from, for /split
                await conn.execute(
                    f"UPDATE {table} SET article_id = ?, moved_from = coalesce(moved_from, ?) WHERE article_id = ?",
                    (survivor, merged, merged),
                )
            await conn.execute("UPDATE discussion_views SET article_id = ? WHERE article_id = ?", (survivor, merged))
            await _recount(conn, (survivor, merged))
            await conn.execute(
                "INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, created_at) "
                "VALUES (?, 'story_merge', 'story', ?, NULL, ?)",
                (actor, f"{survivor},{merged}", now),
            )

    async def split(self, article: ArticleRow, actor: int, now: int) -> str:
        """A report leaves its story and leads its own: 'posted' again when it had a channel post of its own
        (a story merged by an admin), else 'queued' for one. Returns the state it is now in."""
        assert article.duplicate_of is not None
        state = "posted" if article.channel_message_id is not None else "queued"
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE articles SET duplicate_of = NULL, state = ? WHERE id = ?", (state, article.id))
            # A post taken back when its story was merged before it went out may go out now.
            await conn.execute(
                "DELETE FROM outbox WHERE idempotency_key = 'post:' || ? AND state = 'dead'", (article.id,)
            )
            if article.source:
                # The outlet stays listed only if another report of the story comes from it.
                await conn.execute(
                    """
                    DELETE FROM article_sources WHERE article_id = ? AND source = ? AND NOT EXISTS (
                        SELECT 1 FROM articles WHERE duplicate_of = ? AND state = 'duplicate' AND source = ?)
                    """,
                    (article.duplicate_of, article.source, article.duplicate_of, article.source),
                )
            # Its discussion, if a merge had moved it, comes back: the comments written on it, with the replies
            # written to them since, and the group thread of its post.
            await conn.execute(
                """
                WITH RECURSIVE back(id) AS (
                    SELECT id FROM comments WHERE moved_from = ? AND article_id = ?
                    UNION SELECT c.id FROM comments c JOIN back ON c.parent_id = back.id
                )
                UPDATE comments SET article_id = ?, moved_from = NULL WHERE id IN (SELECT id FROM back)
                """,
                (article.id, article.duplicate_of, article.id),
            )
            await conn.execute(
                "UPDATE group_threads SET article_id = ?, moved_from = NULL WHERE moved_from = ? AND article_id = ?",
                (article.id, article.id, article.duplicate_of),
            )
            await _recount(conn, (article.duplicate_of, article.id))
            await conn.execute(
                "INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, created_at) "
                "VALUES (?, 'story_split', 'story', ?, NULL, ?)",
                (actor, f"{article.duplicate_of},{article.id}", now),
            )
        return state


async def _recount(conn: aiosqlite.Connection, article_ids: tuple[int, ...]) -> None:
    """The published counts of discussions whose comments moved (the triggers follow status changes only)."""
    for article_id in article_ids:
        await conn.execute(
            """
            UPDATE articles SET
                comment_count = (SELECT count(*) FROM comments c
                                 WHERE c.article_id = articles.id AND c.status = 'published'),
                top_count = (SELECT count(*) FROM comments c WHERE c.article_id = articles.id
                             AND c.parent_id IS NULL AND c.status = 'published')
            WHERE id = ?
            """,
            (article_id,),
        )
