"""Moderation records: admins, bans, mutes, warns, word filters, the review queue, reports and the audit log.
(A user's export and erasure are in storage/privacy.py, locking a story in articles.py, counts in stats.py.)"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiosqlite

from storage.comments import CommentRow, CommentStatus, HoldReason
from storage.db import Database
from storage.rows import from_row

FOREVER = 0  # the audit log's duration of a ban for good


class SanctionKind(StrEnum):
    """A sanction; its value is the audit and group action that sets it, `lift` the one that lifts it."""

    BAN = "ban"
    MUTE = "mute"

    @property
    def table(self) -> str:
        return "bans" if self is SanctionKind.BAN else "mutes"

    @property
    def lift(self) -> str:
        return f"un{self.value}"


@dataclass(frozen=True)
class SanctionChange:
    """A ban, unban, mute or unmute as one stored intent: the sanction row, the audit entry, the group action."""

    kind: SanctionKind
    lifting: bool
    user_id: int
    until: int | None
    reason: str | None
    actor: int
    now: int
    in_group: bool
    update_id: int | None = None  # the update asking for it: a second handling of it changes nothing

    @property
    def action(self) -> str:
        """ban, unban, mute or unmute: the audit entry's and the group action's name."""
        return self.kind.lift if self.lifting else self.kind.value

    @property
    def duration(self) -> int | None:
        """The audit entry's length of the sanction: seconds, FOREVER for a ban without end, None for a lift."""
        if self.lifting:
            return None
        return FOREVER if self.until is None else self.until - self.now


@dataclass(frozen=True)
class GroupAction:
    id: int
    action: str
    user_id: int
    until: int | None
    created_at: int
    attempts: int
    done_at: int | None
    last_error: str | None
    actor: int | None  # who gave it (0: the bot); None for actions stored before migration 0020


@dataclass(frozen=True)
class Sanction:
    user_id: int
    until: int | None  # None: permanent
    reason: str | None
    by_user: int
    created_at: int


@dataclass(frozen=True)
class WarnRow:
    id: int
    user_id: int
    reason: str | None
    by_user: int
    created_at: int


@dataclass(frozen=True)
class FilterRow:
    id: int
    kind: str
    phrase: str
    folded: str
    added_by: int
    added_at: int


@dataclass(frozen=True)
class AuditRow:
    id: int
    actor_id: int
    action: str
    target_type: str | None
    target_id: str | None
    reason: str | None
    created_at: int
    duration: int | None  # a ban's or mute's seconds (FOREVER: no end); None for other actions


# The review queue: held comments, and shown ones reported since their last review. Driven from the small
# reports table, so that it never scans every published comment.
QUEUE = """
    SELECT * FROM comments WHERE status = 'pending' AND id > :after
    UNION
    SELECT c.* FROM reports r JOIN comments c ON c.id = r.comment_id
    WHERE c.status = 'published' AND c.id > :after AND r.reviewed = 0
"""


class ModerationRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ----- admins ------------------------------------------------------------------------------------------
    async def admins(self) -> list[int]:
        return [int(row[0]) for row in await self.db.fetchall("SELECT user_id FROM admins ORDER BY added_at")]

    async def add_admin(self, user_id: int, by_user: int, now: int) -> bool:
        return (
            await self.db.insert(
                "INSERT OR IGNORE INTO admins (user_id, added_by, added_at) VALUES (?, ?, ?)", (user_id, by_user, now)
            )
            is not None
        )

    async def remove_admin(self, user_id: int) -> bool:
        return await self.db.execute("DELETE FROM admins WHERE user_id = ?", (user_id,)) > 0

    # ----- bans and mutes (the table named by the kind: SQL identifiers cannot be bound parameters) ---------
    async def sanctions(self, kind: SanctionKind) -> list[Sanction]:
        return [from_row(Sanction, row) for row in await self.db.fetchall(f"SELECT * FROM {kind.table}")]

    async def lift(self, kind: SanctionKind, user_id: int) -> bool:
        return await self.db.execute(f"DELETE FROM {kind.table} WHERE user_id = ?", (user_id,)) > 0

    async def change_sanction(self, change: SanctionChange) -> tuple[bool, int | None] | None:
        """Set or lift a sanction, its audit entry and (with `change.in_group`) its pending group action, in one
        transaction: a crash leaves all of them or none. Returns (whether a sanction was lifted, the action's
        id), or None when `change.update_id` made this very change already (handled again after a crash)."""
        table = SanctionKind(change.kind).table
        async with self.db.transaction() as conn:
            effect = f"{change.kind.value}:{change.action}:{change.user_id}"
            if not await _first_time(conn, change.update_id, effect, change.now):
                return None
            if not change.lifting:
                await conn.execute(
                    f"INSERT OR REPLACE INTO {table} (user_id, until, reason, by_user, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (change.user_id, change.until, change.reason, change.actor, change.now),
                )
                lifted = False
            else:
                cursor = await conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (change.user_id,))
                lifted = cursor.rowcount > 0
            await conn.execute(
                "INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, created_at, duration) "
                "VALUES (?, ?, 'user', ?, ?, ?, ?)",
                (change.actor, change.action, str(change.user_id), change.reason, change.now, change.duration),
            )
            action_id = None
            if change.in_group:
                cursor = await conn.execute(
                    "INSERT INTO group_actions (action, user_id, until, created_at, actor) VALUES (?, ?, ?, ?, ?)",
                    (change.action, change.user_id, change.until, change.now, change.actor),
                )
                action_id = cursor.lastrowid
        return lifted, action_id

    async def pending_group_actions(self) -> list[GroupAction]:
        rows = await self.db.fetchall("SELECT * FROM group_actions WHERE done_at IS NULL ORDER BY id")
        return [from_row(GroupAction, row) for row in rows]

    async def group_action_tried(self, action_id: int, now: int, *, done: bool, error: str | None = None) -> None:
        """One attempt at a group action: done (confirmed, or refused for good with `error`) or still pending."""
        await self.db.execute(
            "UPDATE group_actions SET attempts = attempts + 1, done_at = ?, last_error = ? WHERE id = ?",
            (now if done else None, error, action_id),
        )

    # ----- warns ---------------------------------------------------------------------------------------------
    async def add_warn(
        self, user_id: int, reason: str | None, by_user: int, now: int, update_id: int | None = None
    ) -> bool:
        """Store a warn; False when `update_id` stored this very warn already (handled again after a crash)."""
        async with self.db.transaction() as conn:
            if not await _first_time(conn, update_id, f"warn:{user_id}", now):
                return False
            await conn.execute(
                "INSERT INTO warns (user_id, reason, by_user, created_at) VALUES (?, ?, ?, ?)",
                (user_id, reason, by_user, now),
            )
        return True

    async def warns(self, user_id: int, since: int) -> list[WarnRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM warns WHERE user_id = ? AND created_at >= ? ORDER BY created_at", (user_id, since)
        )
        return [from_row(WarnRow, row) for row in rows]

    async def clear_warns(self, user_id: int) -> None:
        await self.db.execute("DELETE FROM warns WHERE user_id = ?", (user_id,))

    # ----- word filters --------------------------------------------------------------------------------------
    async def filters(self) -> list[FilterRow]:
        rows = await self.db.fetchall("SELECT * FROM word_filters ORDER BY kind, phrase")
        return [from_row(FilterRow, row) for row in rows]

    async def add_filter(self, kind: str, phrase: str, folded: str, by_user: int, now: int) -> bool:
        return (
            await self.db.insert(
                "INSERT OR IGNORE INTO word_filters (kind, phrase, folded, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
                (kind, phrase, folded, by_user, now),
            )
            is not None
        )

    async def remove_filter(self, kind: str, folded: str) -> bool:
        return await self.db.execute("DELETE FROM word_filters WHERE kind = ? AND folded = ?", (kind, folded)) > 0

    # ----- the queue -----------------------------------------------------------------------------------------
    async def next_held(self, after_id: int = 0) -> CommentRow | None:
        """The oldest comment in the queue after `after_id`."""
        page = await self.held_page(after_id, 1)
        return page[0] if page else None

    async def held_page(self, after_id: int, limit: int) -> list[CommentRow]:
        """The oldest comments in the queue after `after_id`: held (premoderation, filters, hidden by a
        moderator or by reports) or still shown but reported since their last review."""
        rows = await self.db.fetchall(
            f"SELECT * FROM ({QUEUE}) WHERE id > :after ORDER BY id LIMIT :limit", {"after": after_id, "limit": limit}
        )
        return [from_row(CommentRow, row) for row in rows]

    async def held_count(self) -> int:
        row = await self.db.fetchone(f"SELECT count(*) FROM ({QUEUE})", {"after": 0})
        return int(row[0]) if row else 0

    async def in_queue(self, comment_id: int) -> bool:
        row = await self.db.fetchone(f"SELECT 1 FROM ({QUEUE}) WHERE id = :id", {"after": 0, "id": comment_id})
        return row is not None

    async def review(self, comment_id: int, status: CommentStatus, now: int) -> bool:
        """Approve (published) or reject a comment of the queue; its reports up to now are dealt with.
        False when it was not there any more."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE comments SET status = ?, reviewed_at = ?, hold_reason = NULL "
                "WHERE id = ? AND status IN ('pending', 'published')",
                (status, now, comment_id),
            )
            await conn.execute("UPDATE reports SET reviewed = 1 WHERE comment_id = ?", (comment_id,))
            return cursor.rowcount > 0

    async def hold(self, comment_id: int, reason: HoldReason) -> bool:
        return (
            await self.db.execute(
                "UPDATE comments SET status = 'pending', hold_reason = ? WHERE id = ? AND status = 'published'",
                (reason, comment_id),
            )
            > 0
        )

    async def remove_comment(self, comment_id: int) -> bool:
        """A moderator's delete: the comment shows as removed, its replies stay."""
        return (
            await self.db.execute(
                "UPDATE comments SET status = 'deleted', hold_reason = 'moderator' WHERE id = ? "
                "AND status IN ('published', 'pending')",
                (comment_id,),
            )
            > 0
        )

    async def approved_count(self, author_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) FROM comments WHERE author_id = ? AND status = 'published'", (author_id,)
        )
        return int(row[0]) if row else 0

    async def first_reader_seen_at(self) -> int | None:
        """When the bot first saw anyone: the installation's age, for telling new readers from a new bot."""
        row = await self.db.fetchone("SELECT min(first_seen_at) FROM users")
        return int(row[0]) if row and row[0] is not None else None

    async def new_commenters(self, article_id: int, since: int, first_seen_after: int, exclude: int) -> int:
        """Distinct readers first seen after `first_seen_after` who commented on the article since `since`."""
        row = await self.db.fetchone(
            """
            SELECT count(DISTINCT c.author_id) FROM comments c JOIN users u ON u.id = c.author_id
            WHERE c.article_id = ? AND c.created_at >= ? AND c.author_id != ? AND u.first_seen_at >= ?
            """,
            (article_id, since, exclude, first_seen_after),
        )
        return int(row[0]) if row else 0

    # ----- reports -------------------------------------------------------------------------------------------
    async def reporters_since_review(self, comment: CommentRow) -> int:
        row = await self.db.fetchone(
            "SELECT count(DISTINCT user_id) FROM reports WHERE comment_id = ? AND reviewed = 0",
            (comment.id,),
        )
        return int(row[0]) if row else 0

    async def reports_by(self, user_id: int, since: int) -> int:
        row = await self.db.fetchone(
            "SELECT count(*) FROM reports WHERE user_id = ? AND created_at >= ?", (user_id, since)
        )
        return int(row[0]) if row else 0

    # ----- audit log -----------------------------------------------------------------------------------------
    async def audit(
        self, actor_id: int, action: str, target_type: str | None, target_id: Any, reason: str | None, now: int
    ) -> None:
        await self.db.insert(
            "INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (actor_id, action, target_type, None if target_id is None else str(target_id), reason, now),
        )

    async def recent_audit(self, limit: int) -> list[AuditRow]:
        rows = await self.db.fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        return [from_row(AuditRow, row) for row in rows]


async def _first_time(conn: aiosqlite.Connection, update_id: int | None, effect: str, now: int) -> bool:
    """Record that `update_id` had `effect`, inside the caller's transaction; False when it had it already (the
    update handled again after a crash). Outside an update (None) every call is a first time."""
    if update_id is None:
        return True
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO update_effects (update_id, effect, created_at) VALUES (?, ?, ?)",
        (update_id, effect, now),
    )
    return bool(cursor.rowcount)
