"""Subscriptions, topics, the digest record and full-text search over stories."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.articles import ArticleRow
from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class FilterRow:
    id: int
    user_id: int
    kind: str
    value: str
    key: str


@dataclass(frozen=True)
class DigestRow:
    slot: str
    period_start: int
    period_end: int
    state: str
    stories: int
    recipients: int
    created_at: int


@dataclass(frozen=True)
class StoryActivity:
    """A story posted in a digest period, with its discussion in that period."""

    article: ArticleRow
    comments: int  # in the period
    votes: int  # on its comments, in the period (all votes: votes carry no time)
    sources: int = 1  # outlets that reported the story, its own included


class SubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- subscriptions -------------------------------------------------------------------------------------
    async def mode(self, user_id: int) -> str:
        row = await self.db.fetchone("SELECT mode FROM subscriptions WHERE user_id = ?", (user_id,))
        return str(row[0]) if row else "off"

    async def set_mode(self, user_id: int, mode: str, now: int) -> None:
        await self.db.execute(
            "INSERT INTO subscriptions (user_id, mode, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
            (user_id, mode, now),
        )

    async def filters(self, user_id: int) -> list[FilterRow]:
        rows = await self.db.fetchall("SELECT * FROM subscription_filters WHERE user_id = ? ORDER BY id", (user_id,))
        return [from_row(FilterRow, row) for row in rows]

    async def add_filter(self, user_id: int, kind: str, value: str, key: str) -> bool:
        return (
            await self.db.insert(
                "INSERT OR IGNORE INTO subscription_filters (user_id, kind, value, key) VALUES (?, ?, ?, ?)",
                (user_id, kind, value, key),
            )
            is not None
        )

    async def remove_filter(self, user_id: int, kind: str, key: str) -> bool:
        return (
            await self.db.execute(
                "DELETE FROM subscription_filters WHERE user_id = ? AND kind = ? AND key = ?", (user_id, kind, key)
            )
            > 0
        )

    async def remove_filter_id(self, user_id: int, filter_id: int) -> bool:
        """Only the reader's own filter: the id comes from a button."""
        return (
            await self.db.execute("DELETE FROM subscription_filters WHERE id = ? AND user_id = ?", (filter_id, user_id))
            > 0
        )

    async def subscribers(self, mode: str) -> dict[int, list[FilterRow]]:
        """Every reader in `mode` who can be written to, with their filters (an empty list: everything)."""
        rows = await self.db.fetchall(
            """
            SELECT s.user_id FROM subscriptions s JOIN users u ON u.id = s.user_id
            WHERE s.mode = ? AND u.private_chat = 1
              AND NOT EXISTS (SELECT 1 FROM unreachable_chats c WHERE c.chat_id = CAST(s.user_id AS TEXT))
            """,
            (mode,),
        )
        found: dict[int, list[FilterRow]] = {int(row[0]): [] for row in rows}
        for row in await self.db.fetchall(
            "SELECT f.* FROM subscription_filters f JOIN subscriptions s ON s.user_id = f.user_id WHERE s.mode = ?",
            (mode,),
        ):
            if int(row["user_id"]) in found:
                found[int(row["user_id"])].append(from_row(FilterRow, row))
        return found

    # ----- topics --------------------------------------------------------------------------------------------
    async def touch_topics(self, names: Iterable[str], now: int) -> None:
        for name in names:
            await self.db.execute(
                "INSERT INTO topics (name, last_used) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET last_used = excluded.last_used",
                (name, now),
            )

    async def recent_topics(self, limit: int) -> list[tuple[int, str]]:
        rows = await self.db.fetchall("SELECT id, name FROM topics ORDER BY last_used DESC, id LIMIT ?", (limit,))
        return [(int(row[0]), str(row[1])) for row in rows]

    async def topics_named(self, names: list[str]) -> list[tuple[int, str]]:
        """The topics of these names (a reader's chosen ones), in the order given; unknown names left out."""
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        rows = await self.db.fetchall(f"SELECT id, name FROM topics WHERE name IN ({marks})", tuple(names))
        ids = {str(row[1]): int(row[0]) for row in rows}
        return [(ids[name], name) for name in names if name in ids]

    async def topic(self, topic_id: int) -> str | None:
        row = await self.db.fetchone("SELECT name FROM topics WHERE id = ?", (topic_id,))
        return str(row[0]) if row else None

    # ----- digests -------------------------------------------------------------------------------------------
    async def claim_digest(self, slot: str, start: int, end: int, state: str, now: int) -> bool:
        """Record a digest period before sending it; False when it was recorded already (never send twice)."""
        return (
            await self.db.insert(
                "INSERT OR IGNORE INTO digests (slot, period_start, period_end, state, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (slot, start, end, state, now),
            )
            is not None
        )

    async def finish_digest(self, slot: str, state: str, stories: int, recipients: int) -> None:
        await self.db.execute(
            "UPDATE digests SET state = ?, stories = ?, recipients = ? WHERE slot = ?",
            (state, stories, recipients, slot),
        )

    # ----- fan-outs -------------------------------------------------------------------------------------------
    async def fanout_done(self, event: str, now: int) -> None:
        """Every message of this event's fan-out is queued (`alerts:<article>`, `digest:<slot>`)."""
        await self.db.execute("INSERT OR IGNORE INTO fanouts_done (event, done_at) VALUES (?, ?)", (event, now))

    async def posted_without_alerts(self, since: int) -> list[int]:
        """Stories posted since `since` whose instant alerts were never all queued."""
        rows = await self.db.fetchall(
            "SELECT id FROM articles WHERE state = 'posted' AND posted_at >= ? "
            "AND NOT EXISTS (SELECT 1 FROM fanouts_done WHERE event = 'alerts:' || articles.id) ORDER BY id",
            (since,),
        )
        return [int(row[0]) for row in rows]

    async def personal_digests_queued(self, slot: str) -> int:
        """The readers of this digest's personal messages in the outbox: keys `digest:<slot>:user:<id>` (a
        digest's further messages, `…:user:<id>:<n>`, are the same reader's)."""
        prefix = f"digest:{slot}:user:"
        row = await self.db.fetchone(
            "SELECT count(*) FROM outbox WHERE idempotency_key >= ? AND idempotency_key < ?"
            " AND instr(substr(idempotency_key, ?), ':') = 0",
            (prefix, prefix[:-1] + ";", len(prefix) + 1),  # ';' follows ':': every key with the prefix, by the index
        )
        return int(row[0]) if row else 0

    async def digests_without_fanout(self) -> list[DigestRow]:
        """Digests recorded as sent whose messages were never all queued."""
        rows = await self.db.fetchall(
            "SELECT * FROM digests WHERE state = 'sent' "
            "AND NOT EXISTS (SELECT 1 FROM fanouts_done WHERE event = 'digest:' || digests.slot) ORDER BY period_end"
        )
        return [from_row(DigestRow, row) for row in rows]

    async def first_digest_at(self) -> int | None:
        """When the first digest period was recorded (None on a database that never had one)."""
        row = await self.db.fetchone("SELECT min(created_at) FROM digests")
        return int(row[0]) if row and row[0] is not None else None

    async def last_digest(self) -> DigestRow | None:
        row = await self.db.fetchone("SELECT * FROM digests ORDER BY period_end DESC LIMIT 1")
        return from_row(DigestRow, row) if row else None

    async def digest(self, slot: str) -> DigestRow | None:
        row = await self.db.fetchone("SELECT * FROM digests WHERE slot = ?", (slot,))
        return from_row(DigestRow, row) if row else None

    async def activity(self, start: int, end: int) -> list[StoryActivity]:
        """Stories posted in [start, end) with their comments and votes in the period."""
        rows = await self.db.fetchall(
            """
            SELECT a.*,
                (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'published'
                    AND c.created_at >= :start AND c.created_at < :end) AS period_comments,
                (SELECT coalesce(sum(c.up + c.down), 0) FROM comments c WHERE c.article_id = a.id
                    AND c.status = 'published') AS period_votes,
                (SELECT count(*) FROM article_sources s WHERE s.article_id = a.id) AS other_sources
            FROM articles a
            WHERE a.state = 'posted' AND a.deleted = 0 AND a.posted_at >= :start AND a.posted_at < :end
            """,
            {"start": start, "end": end},
        )
        return [
            StoryActivity(
                from_row(ArticleRow, row),
                int(row["period_comments"]),
                int(row["period_votes"]),
                1 + int(row["other_sources"]),
            )
            for row in rows
        ]

    async def top_comment(self, article_id: int) -> tuple[str, str] | None:
        """(author shown, text) of the story's best-scored published top-level comment."""
        row = await self.db.fetchone(
            """
            SELECT author_name, anonymous, text FROM comments
            WHERE article_id = ? AND status = 'published' AND parent_id IS NULL
            ORDER BY score DESC, up DESC, id LIMIT 1
            """,
            (article_id,),
        )
        return (str(row["author_name"]) if not row["anonymous"] else "", str(row["text"])) if row else None

    # ----- search --------------------------------------------------------------------------------------------
    async def index(self, article_id: int, body: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM articles_search WHERE rowid = ?", (article_id,))
            await conn.execute("INSERT INTO articles_search (rowid, body) VALUES (?, ?)", (article_id, body))

    async def unindexed(self, limit: int) -> list[ArticleRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM articles WHERE id NOT IN (SELECT rowid FROM articles_search) ORDER BY id LIMIT ?", (limit,)
        )
        return [from_row(ArticleRow, row) for row in rows]

    async def search(self, query: str, limit: int) -> list[ArticleRow]:
        """Posted stories matching an FTS5 query (built by the caller from quoted tokens), newest first."""
        rows = await self.db.fetchall(
            """
            SELECT a.* FROM articles_search s JOIN articles a ON a.id = s.rowid
            WHERE articles_search MATCH ? AND a.state = 'posted' AND a.deleted = 0
            ORDER BY a.posted_at DESC, a.id DESC LIMIT ?
            """,
            (query, limit),
        )
        return [from_row(ArticleRow, row) for row in rows]

    async def latest(self, limit: int) -> list[ArticleRow]:
        """Posted stories, the most recently reported first: a story another outlet reports again comes up."""
        rows = await self.db.fetchall(
            """
            SELECT a.* FROM articles a WHERE a.state = 'posted' AND a.deleted = 0
            ORDER BY max(a.posted_at, coalesce((SELECT max(m.created_at) FROM articles m
                                                WHERE m.duplicate_of = a.id AND m.state = 'duplicate'), 0)) DESC,
                     a.id DESC
            LIMIT ?
            """,
            (limit,),
        )
        return [from_row(ArticleRow, row) for row in rows]
