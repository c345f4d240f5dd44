"""Articles: identity, state (seen → queued → posted | failed | duplicate) and their channel posts."""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class ArticleRow:
    id: int
    public_id: str
    feed_id: int | None
    guid: str | None
    url: str | None
    canonical_url: str | None
    title_key: str
    title: str
    summary: str
    body: str
    source: str | None
    image_url: str | None
    hashtags: str
    published_at: int | None
    created_at: int
    state: str
    fail_reason: str | None
    signature: bytes | None
    duplicate_of: int | None
    channel_chat_id: int | None
    channel_message_id: int | None
    posted_at: int | None
    deleted: int
    comment_count: int = 0
    locked: int = 0
    button_count: int = 0  # what the channel post's button shows (migration 0009)

    @property
    def tags(self) -> list[str]:
        return list(json.loads(self.hashtags))


@dataclass(frozen=True)
class NewArticle:
    public_id: str
    title: str
    title_key: str
    summary: str = ""
    body: str = ""
    source: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    guid: str | None = None
    feed_id: int | None = None
    image_url: str | None = None
    hashtags: tuple[str, ...] = ()
    published_at: int | None = None
    signature: bytes | None = None
    story_signals: str | None = None  # JSON (bot/news/stories.py), for the story index at start


class ArticleRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def insert(self, article: NewArticle, state: str, now: int, duplicate_of: int | None = None) -> int:
        article_id = await self.db.insert(
            """
            INSERT INTO articles (public_id, feed_id, guid, url, canonical_url, title_key, title, summary, body,
                                  source, image_url, hashtags, published_at, created_at, state, signature,
                                  duplicate_of, story_signals)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                article.public_id, article.feed_id, article.guid, article.url, article.canonical_url,
                article.title_key, article.title, article.summary, article.body, article.source,
                article.image_url, json.dumps(list(article.hashtags), ensure_ascii=False), article.published_at,
                now, state, article.signature, duplicate_of, article.story_signals,
            ),
        )  # fmt: skip
        assert article_id is not None
        return article_id

    async def get(self, article_id: int) -> ArticleRow | None:
        row = await self.db.fetchone("SELECT * FROM articles WHERE id = ?", (article_id,))
        return from_row(ArticleRow, row) if row else None

    async def by_public_id(self, public_id: str) -> ArticleRow | None:
        row = await self.db.fetchone("SELECT * FROM articles WHERE public_id = ?", (public_id,))
        return from_row(ArticleRow, row) if row else None

    async def find_same(
        self, feed_id: int | None, guid: str | None, canonical: str | None, key: str, title_since: int
    ) -> ArticleRow | None:
        """An article that is this item by identity: guid within its feed, else canonical URL, else a title
        recorded since `title_since` (a recurring headline on another day is another story)."""
        if guid is not None and feed_id is not None:
            row = await self.db.fetchone("SELECT * FROM articles WHERE feed_id = ? AND guid = ?", (feed_id, guid))
            if row:
                return from_row(ArticleRow, row)
        if canonical:
            row = await self.db.fetchone("SELECT * FROM articles WHERE canonical_url = ? LIMIT 1", (canonical,))
            if row:
                return from_row(ArticleRow, row)
        row = await self.db.fetchone(
            """
            SELECT * FROM articles WHERE title_key = ? AND state != 'seen' AND created_at >= ?
            ORDER BY created_at DESC LIMIT 1
            """,
            (key, title_since),
        )
        return from_row(ArticleRow, row) if row else None

    async def recent_signatures(self, since: int) -> list[tuple[int, bytes, int]]:
        rows = await self.db.fetchall(
            """
            SELECT id, signature, created_at FROM articles
            WHERE state IN ('queued', 'posted') AND created_at >= ? AND signature IS NOT NULL
            """,
            (since,),
        )
        return [(int(r["id"]), bytes(r["signature"]), int(r["created_at"])) for r in rows]

    async def add_source(self, article_id: int, source: str, url: str | None, now: int) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO article_sources (article_id, source, url, seen_at) VALUES (?, ?, ?, ?)",
            (article_id, source, url, now),
        )

    async def set_locked(self, article_id: int, locked: bool) -> bool:
        """Close (or reopen) the story's discussion to new comments."""
        return await self.db.execute("UPDATE articles SET locked = ? WHERE id = ?", (int(locked), article_id)) > 0

    async def mark_posted(self, article_id: int, chat_id: int, message_id: int, now: int) -> None:
        await self.db.execute(
            """
            UPDATE articles SET state = 'posted', channel_chat_id = ?, channel_message_id = ?, posted_at = ?,
                                fail_reason = NULL
            WHERE id = ?
            """,
            (chat_id, message_id, now, article_id),
        )

    async def queued_without_post(self) -> list[int]:
        """Articles queued by a process that stopped before writing their channel post's outbox row."""
        rows = await self.db.fetchall(
            """
            SELECT a.id FROM articles a
            WHERE a.state = 'queued' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = 'post:' || a.id)
            """
        )
        return [int(row[0]) for row in rows]

    async def button_count(self, article_id: int) -> int:
        row = await self.db.fetchone("SELECT button_count FROM articles WHERE id = ?", (article_id,))
        return int(row[0]) if row else 0

    async def set_button_count(self, article_id: int, count: int) -> None:
        await self.db.execute("UPDATE articles SET button_count = ? WHERE id = ?", (count, article_id))

    async def buttons_behind(self) -> list[tuple[int, int]]:
        """(article id, published comments) of the channel posts whose button shows another count."""
        rows = await self.db.fetchall(
            "SELECT id, comment_count FROM articles WHERE state = 'posted' AND channel_message_id IS NOT NULL "
            "AND deleted = 0 AND comment_count != button_count ORDER BY id"
        )
        return [(int(row[0]), int(row[1])) for row in rows]

    async def mark_failed(self, article_id: int, reason: str) -> None:
        await self.db.execute(
            "UPDATE articles SET state = 'failed', fail_reason = ? WHERE id = ? AND state != 'posted'",
            (reason[:500], article_id),
        )

    async def mark_waiting(self, article_id: int, reason: str) -> None:
        """A post the channel refused for now (the bot removed, or its right to post taken): the story stays
        queued, with why it waits."""
        await self.db.execute(
            "UPDATE articles SET fail_reason = ? WHERE id = ? AND state = 'queued'", (reason[:500], article_id)
        )

    async def by_channel_message(self, chat_id: int, message_id: int) -> ArticleRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM articles WHERE channel_chat_id = ? AND channel_message_id = ?", (chat_id, message_id)
        )
        return from_row(ArticleRow, row) if row else None

    async def count_by_state(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT state, count(*) AS n FROM articles GROUP BY state")
        return {str(r["state"]): int(r["n"]) for r in rows}
