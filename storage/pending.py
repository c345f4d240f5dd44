"""What the bot waits for from each user in private chat; kept in SQLite so it survives restarts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Database


@dataclass(frozen=True)
class PendingInput:
    user_id: int
    kind: str
    data: dict[str, Any]
    expires_at: int


class PendingInputRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set(self, user_id: int, kind: str, data: dict[str, Any], expires_at: int) -> None:
        await self.db.execute(
            "INSERT OR REPLACE INTO pending_inputs (user_id, kind, data, expires_at) VALUES (?, ?, ?, ?)",
            (user_id, kind, json.dumps(data, ensure_ascii=False), expires_at),
        )

    async def get(self, user_id: int, now: int) -> PendingInput | None:
        row = await self.db.fetchone("SELECT * FROM pending_inputs WHERE user_id = ?", (user_id,))
        if row is None:
            return None
        if int(row["expires_at"]) < now:
            await self.clear(user_id)
            return None
        return PendingInput(int(row["user_id"]), str(row["kind"]), json.loads(row["data"]), int(row["expires_at"]))

    async def clear(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM pending_inputs WHERE user_id = ?", (user_id,))
