"""Everything stored about one person, across the tables: read out for /mydata, erased for /forgetme."""

from __future__ import annotations

from typing import Any

from storage.db import Database


class PrivacyRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about one user, as plain data."""

        async def rows(sql: str) -> list[dict[str, Any]]:
            return [dict(row) for row in await self.db.fetchall(sql, (user_id,))]

        profile = await rows("SELECT * FROM users WHERE id = ?")
        return {
            "profile": profile[0] if profile else None,
            "comments": await rows(
                "SELECT c.id, c.article_id, a.title AS article_title, c.parent_id, c.author_name, c.anonymous, "
                "c.text, c.status, c.created_at, c.edited_at, c.origin "
                "FROM comments c LEFT JOIN articles a ON a.id = c.article_id WHERE c.author_id = ? ORDER BY c.id"
            ),
            "votes": await rows(
                "SELECT v.comment_id, c.article_id, a.title AS article_title, v.value FROM votes v "
                "LEFT JOIN comments c ON c.id = v.comment_id LEFT JOIN articles a ON a.id = c.article_id "
                "WHERE v.user_id = ?"
            ),
            "reports": await rows(
                "SELECT r.comment_id, c.article_id, a.title AS article_title, r.created_at FROM reports r "
                "LEFT JOIN comments c ON c.id = r.comment_id LEFT JOIN articles a ON a.id = c.article_id "
                "WHERE r.user_id = ?"
            ),
            "album_photos": await rows(
                "SELECT p.comment_id, p.message_id, p.kind, p.words FROM album_parts p "
                "JOIN comments c ON c.id = p.comment_id WHERE c.author_id = ? ORDER BY p.comment_id, p.message_id"
            ),
            "warns": await rows("SELECT reason, created_at FROM warns WHERE user_id = ?"),
            "ban": (await rows("SELECT until, reason, created_at FROM bans WHERE user_id = ?"))[:1] or None,
            "mute": (await rows("SELECT until, reason, created_at FROM mutes WHERE user_id = ?"))[:1] or None,
            "pending_input": await rows("SELECT kind, expires_at FROM pending_inputs WHERE user_id = ?"),
            "subscription": (await rows("SELECT mode, updated_at FROM subscriptions WHERE user_id = ?"))[:1] or None,
            "subscription_filters": await rows("SELECT kind, value FROM subscription_filters WHERE user_id = ?"),
        }

    async def forget_user(self, user_id: int, placeholder_name: str, delete_comments: bool) -> None:
        """Delete what the bot stores about a user. Comments are removed or kept under a placeholder name
        (with their text) so that the replies under them keep their place; sanctions stay (abuse record)."""
        async with self.db.transaction() as conn:
            if delete_comments:
                # An album's photos and their captions go with it (a placeholder keeps neither).
                await conn.execute(
                    "DELETE FROM album_parts WHERE comment_id IN (SELECT id FROM comments WHERE author_id = ?)",
                    (user_id,),
                )
                # Comments with replies stay as removed placeholders, so the tree holds.
                await conn.execute(
                    "UPDATE comments SET status = 'deleted', text = '', matching = '', author_name = ?, author_id = 0 "
                    "WHERE author_id = ? AND EXISTS (SELECT 1 FROM comments c WHERE c.parent_id = comments.id)",
                    (placeholder_name, user_id),
                )
                await conn.execute("DELETE FROM comments WHERE author_id = ?", (user_id,))
            else:
                await conn.execute(
                    "UPDATE comments SET author_name = ?, author_id = 0, tg_chat_id = NULL, tg_message_id = NULL "
                    "WHERE author_id = ?",
                    (placeholder_name, user_id),
                )
            for statement in (
                "DELETE FROM votes WHERE user_id = ?",
                "DELETE FROM reports WHERE user_id = ?",
                "DELETE FROM warns WHERE user_id = ?",
                "DELETE FROM pending_inputs WHERE user_id = ?",
                "DELETE FROM subscriptions WHERE user_id = ?",
                "DELETE FROM subscription_filters WHERE user_id = ?",
                "DELETE FROM discussion_views WHERE chat_id = ?",
                "DELETE FROM users WHERE id = ?",
            ):
                await conn.execute(statement, (user_id,))
            # Vote counts of the comments this user voted on follow.
            await conn.execute(
                """
                UPDATE comments SET
                    up = (SELECT count(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = 1),
                    down = (SELECT count(*) FROM votes v WHERE v.comment_id = comments.id AND v.value = -1)
                WHERE up + down > 0
                """
            )
            await conn.execute("UPDATE comments SET score = up - down WHERE score != up - down")
