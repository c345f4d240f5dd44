"""Albums of the discussion group: which comment each became, and the messages (photos) it is made of."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.rows import from_row


@dataclass(frozen=True)
class AlbumPart:
    """One message of an album's comment, in the comment's group chat."""

    message_id: int
    kind: str  # a key of bot.discussion.media.MARKS
    file_id: str | None = None
    words: str = ""  # its own caption, cleaned


@dataclass(frozen=True)
class AlbumSeen:
    """An album the bot has seen: the comment it became, or None when its first message was refused."""

    comment_id: int | None


class AlbumRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def seen(self, chat_id: int, album_id: str) -> AlbumSeen | None:
        row = await self.db.fetchone(
            "SELECT comment_id FROM group_albums WHERE group_chat_id = ? AND media_group_id = ?", (chat_id, album_id)
        )
        return AlbumSeen(row[0]) if row else None

    async def start(self, chat_id: int, album_id: str, comment_id: int | None, now: int) -> None:
        """The album's first message became this comment (None: it was refused); kept as first recorded."""
        await self.db.execute(
            "INSERT OR IGNORE INTO group_albums (group_chat_id, media_group_id, comment_id, created_at) "
            "VALUES (?, ?, ?, ?)",
            (chat_id, album_id, comment_id, now),
        )

    async def add_part(self, comment_id: int, part: AlbumPart) -> bool:
        """False when this message was stored before (a re-delivered update)."""
        added = await self.db.execute(
            "INSERT OR IGNORE INTO album_parts (comment_id, message_id, kind, file_id, words) VALUES (?, ?, ?, ?, ?)",
            (comment_id, part.message_id, part.kind, part.file_id, part.words),
        )
        return added > 0

    async def set_words(self, comment_id: int, message_id: int, words: str) -> None:
        await self.db.execute(
            "UPDATE album_parts SET words = ? WHERE comment_id = ? AND message_id = ?", (words, comment_id, message_id)
        )

    async def parts(self, comment_id: int) -> list[AlbumPart]:
        """The album's messages in the order they were sent (none for a comment that is no album)."""
        rows = await self.db.fetchall(
            "SELECT * FROM album_parts WHERE comment_id = ? ORDER BY message_id", (comment_id,)
        )
        return [from_row(AlbumPart, row) for row in rows]

    async def comment_of_part(self, chat_id: int, message_id: int) -> int | None:
        """The comment whose album holds this group message."""
        row = await self.db.fetchone(
            "SELECT p.comment_id FROM album_parts p JOIN comments c ON c.id = p.comment_id "
            "WHERE p.message_id = ? AND c.tg_chat_id = ?",
            (message_id, chat_id),
        )
        return int(row[0]) if row else None
