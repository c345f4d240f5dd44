"""Counts for the moderators: /stats over a period, and the Mini App's charts (comments over time, the most
discussed stories, the busiest readers)."""

from __future__ import annotations

from typing import Any

from storage.db import Database


class StatsRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def comments_per_bucket(
        self, since: int, bucket_seconds: int, offset_seconds: int, article_id: int | None = None
    ) -> dict[int, int]:
        """Comments written since `since`, counted per bucket (start times shifted by the zone's offset)."""
        story = "AND article_id = :article" if article_id is not None else ""
        rows = await self.db.fetchall(
            f"""
            SELECT ((created_at + :offset) / :bucket) * :bucket - :offset AS start, count(*) AS n
            FROM comments WHERE created_at >= :since {story}
            GROUP BY start ORDER BY start
            """,
            {"since": since, "bucket": bucket_seconds, "offset": offset_seconds, "article": article_id},
        )
        return {int(r["start"]): int(r["n"]) for r in rows}

    async def most_discussed(self, since: int, limit: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            """
            SELECT a.public_id, a.title, count(c.id) AS n FROM comments c JOIN articles a ON a.id = c.article_id
            WHERE c.created_at >= ? AND c.status = 'published' GROUP BY a.id ORDER BY n DESC, a.id DESC LIMIT ?
            """,
            (since, limit),
        )
        return [{"id": r["public_id"], "title": r["title"], "comments": int(r["n"])} for r in rows]

    async def top_commenters(self, since: int, limit: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            """
            SELECT author_id, max(author_name) AS name, count(*) AS n FROM comments
            WHERE created_at >= ? AND status = 'published' AND author_id > 0
            GROUP BY author_id ORDER BY n DESC, author_id LIMIT ?
            """,
            (since, limit),
        )
        return [{"id": int(r["author_id"]), "name": r["name"], "comments": int(r["n"])} for r in rows]

    async def moderation_counts(self, since: int) -> dict[str, int]:
        """Comments held and rejected since `since`, from the audit log (so reviewed ones still count)."""
        rows = await self.db.fetchall(
            "SELECT action, count(*) AS n FROM audit_log WHERE created_at >= ? AND action IN ('hold', 'reject', "
            "'hide_reported') GROUP BY action",
            (since,),
        )
        counts = {str(r["action"]): int(r["n"]) for r in rows}
        return {"held": counts.get("hold", 0) + counts.get("hide_reported", 0), "rejected": counts.get("reject", 0)}

    async def period(self, since: int) -> dict[str, int]:
        """Counts of the period; `held` is every comment held in it (by screening, reports or a moderator),
        whether or not it was reviewed since."""
        row = await self.db.fetchone(
            """
            SELECT
                (SELECT count(*) FROM articles WHERE created_at >= :since AND state = 'posted'),
                (SELECT count(*) FROM comments WHERE created_at >= :since),
                (SELECT count(DISTINCT author_id) FROM comments WHERE created_at >= :since),
                (SELECT count(DISTINCT target_id) FROM audit_log
                 WHERE created_at >= :since AND target_type = 'comment'
                   AND action IN ('hold', 'hide', 'hide_reported')),
                (SELECT count(DISTINCT comment_id) FROM reports WHERE created_at >= :since)
            """,
            {"since": since},
        )
        assert row is not None
        return dict(zip(("articles", "comments", "active_users", "held", "reported"), map(int, row), strict=True))
