"""Users the bot has seen."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class UserRow:
    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    language: str | None
    first_seen_at: int
    last_seen_at: int
    display_name: str | None = None
    reply_notifications: int = 1
    private_chat: int = 0


class UserRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def upsert(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        now: int,
        private_chat: bool = False,
    ) -> None:
        """Record a user's current profile; their chosen language is kept, a private chat once seen too."""
        await self.db.execute(
            """
            INSERT INTO users (id, first_name, last_name, username, language_code, first_seen_at, last_seen_at,
                               private_chat)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                first_name = excluded.first_name,
                last_name = excluded.last_name,
                username = excluded.username,
                language_code = excluded.language_code,
                last_seen_at = excluded.last_seen_at,
                private_chat = max(private_chat, excluded.private_chat)
            """,
            (user_id, first_name, last_name, username, language_code, now, now, int(private_chat)),
        )

    async def get(self, user_id: int) -> UserRow | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return from_row(UserRow, row) if row else None

    async def set_language(self, user_id: int, language: str | None) -> None:
        await self.db.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))

    async def set_display_name(self, user_id: int, name: str | None) -> None:
        await self.db.execute("UPDATE users SET display_name = ? WHERE id = ?", (name, user_id))

    async def set_reply_notifications(self, user_id: int, enabled: bool) -> None:
        await self.db.execute("UPDATE users SET reply_notifications = ? WHERE id = ?", (int(enabled), user_id))

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT count(*) FROM users")
        return int(row[0]) if row else 0

    async def by_username(self, username: str) -> UserRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM users WHERE lower(username) = lower(?) ORDER BY last_seen_at DESC LIMIT 1", (username,)
        )
        return from_row(UserRow, row) if row else None

    async def get_state(self, key: str) -> str | None:
        """A small named value kept across restarts (bot_state)."""
        row = await self.db.fetchone("SELECT value FROM bot_state WHERE key = ?", (key,))
        return str(row[0]) if row else None

    async def set_state(self, key: str, value: str) -> None:
        await self.db.execute("INSERT OR REPLACE INTO bot_state (key, value) VALUES (?, ?)", (key, value))

    async def set_state_once(self, key: str, value: str) -> bool:
        """Set a bot_state value unless it is set; False when it was (to do a thing once, across restarts)."""
        return await self.db.execute("INSERT OR IGNORE INTO bot_state (key, value) VALUES (?, ?)", (key, value)) > 0

    async def clear_state(self, key: str) -> bool:
        """Forget a bot_state value; False when there was none."""
        return await self.db.execute("DELETE FROM bot_state WHERE key = ?", (key,)) > 0
