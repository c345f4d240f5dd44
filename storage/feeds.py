"""Feeds and their polling state."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    name: str | None
    status: str
    pause_reason: str | None
    etag: str | None
    last_modified: str | None
    added_at: int
    added_by: int | None
    last_checked_at: int | None
    next_check_at: float
    failures: int
    last_error: str | None
    backlog_before: int | None = None  # items published before this are backlog (set by a resume)

    @property
    def news_since(self) -> int:
        """Items published before this are old news: recorded as seen, not posted."""
        return max(self.added_at, self.backlog_before or 0)


class FeedRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, url: str, name: str | None, added_by: int | None, now: int) -> FeedRow | None:
        """Add a feed; None when the URL is already there."""
        feed_id = await self.db.insert(
            "INSERT OR IGNORE INTO feeds (url, name, added_at, added_by) VALUES (?, ?, ?, ?)",
            (url, name, now, added_by),
        )
        return None if feed_id is None else await self.get(feed_id)

    async def get(self, feed_id: int) -> FeedRow | None:
        row = await self.db.fetchone("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        return from_row(FeedRow, row) if row else None

    async def by_url(self, url: str) -> FeedRow | None:
        row = await self.db.fetchone("SELECT * FROM feeds WHERE url = ?", (url,))
        return from_row(FeedRow, row) if row else None

    async def all(self) -> list[FeedRow]:
        return [from_row(FeedRow, r) for r in await self.db.fetchall("SELECT * FROM feeds ORDER BY id")]

    async def due(self, now: float) -> list[FeedRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM feeds WHERE status = 'active' AND next_check_at <= ? ORDER BY next_check_at", (now,)
        )
        return [from_row(FeedRow, r) for r in rows]

    async def next_due_at(self) -> float | None:
        row = await self.db.fetchone("SELECT min(next_check_at) FROM feeds WHERE status = 'active'")
        return float(row[0]) if row and row[0] is not None else None

    async def rename(self, feed_id: int, name: str) -> bool:
        return await self.db.execute("UPDATE feeds SET name = ? WHERE id = ?", (name, feed_id)) > 0

    async def remove(self, feed_id: int) -> bool:
        return await self.db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)) > 0

    async def resume(self, feed_id: int, next_check_at: float, backlog_before: int) -> bool:
        """Poll a feed again with its failure count reset; items published before `backlog_before` are backlog."""
        return (
            await self.db.execute(
                "UPDATE feeds SET status = 'active', pause_reason = NULL, failures = 0, next_check_at = ?, "
                "backlog_before = ? WHERE id = ?",
                (next_check_at, backlog_before, feed_id),
            )
            > 0
        )

    async def set_status(self, feed_id: int, status: str, reason: str | None, next_check_at: float = 0) -> bool:
        return (
            await self.db.execute(
                "UPDATE feeds SET status = ?, pause_reason = ?, failures = CASE WHEN ? = 'active' THEN 0 "
                "ELSE failures END, next_check_at = ? WHERE id = ?",
                (status, reason, status, next_check_at, feed_id),
            )
            > 0
        )

    async def record_success(
        self, feed_id: int, etag: str | None, last_modified: str | None, now: int, next_check_at: float
    ) -> None:
        await self.db.execute(
            """
            UPDATE feeds SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
                             last_checked_at = ?, next_check_at = ?, failures = 0, last_error = NULL
            WHERE id = ?
            """,
            (etag, last_modified, now, next_check_at, feed_id),
        )

    async def record_failure(self, feed_id: int, error: str, now: int, next_check_at: float) -> int:
        """Count one more failure in a row; return the count."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """
                UPDATE feeds SET failures = failures + 1, last_error = ?, last_checked_at = ?, next_check_at = ?
                WHERE id = ?
                """,
                (error[:500], now, next_check_at, feed_id),
            )
            cursor = await conn.execute("SELECT failures FROM feeds WHERE id = ?", (feed_id,))
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
