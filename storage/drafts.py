"""Drafts an admin prepares with /post before publishing."""

from __future__ import annotations

import json
from dataclasses import dataclass

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class DraftRow:
    id: int
    admin_id: int
    title: str
    summary: str
    body: str
    source: str | None
    url: str | None
    image_url: str | None
    hashtags: str
    created_at: int
    state: str
    preview_message_id: int | None

    @property
    def tags(self) -> list[str]:
        return list(json.loads(self.hashtags))


class DraftRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        admin_id: int,
        title: str,
        summary: str,
        body: str,
        source: str | None,
        url: str | None,
        image_url: str | None,
        hashtags: list[str],
        now: int,
    ) -> int:
        draft_id = await self.db.insert(
            """
            INSERT INTO drafts (admin_id, title, summary, body, source, url, image_url, hashtags, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (admin_id, title, summary, body, source, url, image_url, json.dumps(hashtags, ensure_ascii=False), now),
        )
        assert draft_id is not None
        return draft_id

    async def get(self, draft_id: int) -> DraftRow | None:
        row = await self.db.fetchone("SELECT * FROM drafts WHERE id = ?", (draft_id,))
        return from_row(DraftRow, row) if row else None

    async def update_text(self, draft_id: int, field: str, value: str) -> None:
        column = {"title": "title", "summary": "summary"}[field]  # a column name, never user input
        await self.db.execute(f"UPDATE drafts SET {column} = ? WHERE id = ?", (value, draft_id))

    async def set_preview(self, draft_id: int, message_id: int) -> None:
        await self.db.execute("UPDATE drafts SET preview_message_id = ? WHERE id = ?", (message_id, draft_id))

    async def close(self, draft_id: int, state: str) -> bool:
        """Publish or cancel an open draft once; False when it was already closed."""
        return (
            await self.db.execute("UPDATE drafts SET state = ? WHERE id = ? AND state = 'open'", (state, draft_id)) > 0
        )
