"""The inbox: updates stored before Telegram is told they arrived, handled from here, marked done."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage.db import Database

# An update whose handling was cut short by this many process deaths is set aside (state `failed`), so that
# one update that kills the bot cannot keep it from ever reaching the others.
MAX_STARTS = 5


@dataclass(frozen=True)
class InboxRow:
    seq: int
    update_id: int
    payload: str

    @property
    def data(self) -> dict[str, Any]:
        return dict(json.loads(self.payload))


class InboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def store(self, updates: Iterable[dict[str, Any]], now: float) -> int:
        """Store updates once per update_id (a re-delivery is ignored); one transaction for the batch, so that
        when this returns every update is on disk. Returns how many were new."""
        rows = [
            (update["update_id"], json.dumps(update, ensure_ascii=False, separators=(",", ":")), now)
            for update in updates
        ]
        if not rows:
            return 0
        async with self.db.transaction() as conn:
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO inbox (update_id, payload, received_at) VALUES (?, ?, ?)", rows
            )
            return conn.total_changes - before

    async def pending_after(self, seq: int, limit: int) -> list[InboxRow]:
        """Unhandled updates stored after `seq`, in arrival order."""
        rows = await self.db.fetchall(
            "SELECT seq, update_id, payload FROM inbox WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?",
            (seq, limit),
        )
        return [InboxRow(int(r["seq"]), int(r["update_id"]), str(r["payload"])) for r in rows]

    async def mark_done(self, seqs: list[int], now: float, state: str = "done") -> None:
        if seqs:
            marks = ",".join("?" * len(seqs))
            await self.db.execute(
                f"UPDATE inbox SET state = ?, handled_at = ? WHERE seq IN ({marks})", [state, now, *seqs]
            )

    async def recover(self, now: float) -> tuple[int, int]:
        """At start-up: count one more start for every unhandled update and set aside those that were cut
        short too often. Returns (still pending, set aside)."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE inbox SET starts = starts + 1 WHERE state = 'pending'")
            cursor = await conn.execute(
                "UPDATE inbox SET state = 'failed', handled_at = ? WHERE state = 'pending' AND starts > ?",
                (now, MAX_STARTS),
            )
            failed = cursor.rowcount
            row = await (await conn.execute("SELECT count(*) FROM inbox WHERE state = 'pending'")).fetchone()
        return (int(row[0]) if row else 0), failed

    async def backlog(self) -> int:
        row = await self.db.fetchone("SELECT count(*) FROM inbox WHERE state = 'pending'")
        return int(row[0]) if row else 0

    async def prune(self, before: float) -> int:
        """Forget handled updates older than `before` (Telegram no longer re-delivers them), and what they did."""
        await self.db.execute(
            "DELETE FROM update_effects WHERE created_at < ? "
            "AND update_id NOT IN (SELECT update_id FROM inbox WHERE state = 'pending')",
            (int(before),),
        )
        return await self.db.execute("DELETE FROM inbox WHERE state != 'pending' AND handled_at < ?", (before,))
