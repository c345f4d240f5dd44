"""The outbox: messages waiting to go out, claimed by one sender, each with an idempotency key."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.db import Database
from storage.rows import from_row

Message = tuple[str, str, int | str, str, Mapping[str, Any]]  # key, kind, chat, method, payload
MAX_SKIPPED = 500  # chats left out of one `due` query at most (each is a bound parameter)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    idempotency_key: str
    kind: str
    chat_id: str
    method: str
    payload: str
    fallback: str | None
    state: str
    attempts: int
    not_before: float
    created_at: float
    sent_at: float | None
    last_error: str | None
    result_message_id: int | None
    article_id: int | None
    result_chat_id: int | None = None  # the chat Telegram said it sent to (migration 0012)

    @property
    def result(self) -> dict[str, Any] | bool:
        """Telegram's answer as far as it is kept: the message and chat ids of a sent message, else True."""
        if self.result_message_id is None:
            return True
        return {"message_id": self.result_message_id, "chat": {"id": self.result_chat_id}}

    @property
    def params(self) -> dict[str, Any]:
        return dict(json.loads(self.payload))


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(
        self,
        key: str,
        kind: str,
        chat_id: int | str,
        method: str,
        payload: dict[str, Any],
        now: float,
        *,
        not_before: float = 0.0,
        fallback: dict[str, Any] | None = None,
        article_id: int | None = None,
        replace_pending: bool = False,
    ) -> bool:
        """Queue a message once per key. With `replace_pending`, a still-pending message with the same key is
        updated instead (the newest counter wins); a sent one is queued again under the key, unless it was
        sent with this very payload."""
        payload_json = json.dumps(payload, ensure_ascii=False)
        fallback_json = json.dumps(fallback, ensure_ascii=False) if fallback else None
        async with self.db.transaction() as conn:
            if replace_pending:
                cursor = await conn.execute(
                    "UPDATE outbox SET method = ?, payload = ?, not_before = max(not_before, ?) "
                    "WHERE idempotency_key = ? AND state = 'pending'",
                    (method, payload_json, not_before, key),
                )
                if cursor.rowcount:
                    return True
                last = "SELECT payload FROM outbox WHERE idempotency_key = ? AND state = 'sent'"
                sent = await (await conn.execute(last, (key,))).fetchone()
                if sent is not None and sent[0] == payload_json:
                    return False  # the message already shows this (Telegram refuses an edit that changes nothing)
                await conn.execute(
                    "DELETE FROM outbox WHERE idempotency_key = ? AND state IN ('sent', 'dead', 'failed')", (key,)
                )
            cursor = await conn.execute(
                """
                INSERT OR IGNORE INTO outbox (idempotency_key, kind, chat_id, method, payload, fallback, not_before,
                                              created_at, article_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (key, kind, str(chat_id), method, payload_json, fallback_json, not_before, now, article_id),
            )
            return cursor.rowcount > 0

    async def enqueue_many(self, messages: Sequence[Message], now: float) -> int:
        """Queue many (key, kind, chat_id, method, payload) at once, each once per key; returns how many were new.
        One transaction: alerts and digests for thousands of readers take a fraction of a second."""
        if not messages:
            return 0
        async with self.db.transaction() as conn:
            before = conn.total_changes
            await conn.executemany(
                "INSERT OR IGNORE INTO outbox (idempotency_key, kind, chat_id, method, payload, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(key, kind, str(chat), method, json.dumps(payload, ensure_ascii=False), now)
                 for key, kind, chat, method, payload in messages],
            )  # fmt: skip
            return conn.total_changes - before

    async def sent_at(self, key: str) -> float | None:
        """When the message with this key was delivered; None while it was not (or never queued)."""
        row = await self.db.fetchone("SELECT sent_at FROM outbox WHERE idempotency_key = ? AND state = 'sent'", (key,))
        return float(row[0]) if row and row[0] is not None else None

    async def withdraw(self, key: str) -> None:
        """Forget a message that has not gone out and no longer needs to (a counter back to what is shown)."""
        await self.db.execute("DELETE FROM outbox WHERE idempotency_key = ? AND state = 'pending'", (key,))

    async def cancel(self, key: str, reason: str) -> bool:
        """Take back a message that has not gone out yet; False when there was none waiting."""
        return (
            await self.db.execute(
                "UPDATE outbox SET state = 'dead', last_error = ? WHERE idempotency_key = ? AND state = 'pending'",
                (reason, key),
            )
            > 0
        )

    async def due(self, now: float, limit: int, skip_chats: Collection[str] = ()) -> list[OutboxRow]:
        """The first due message of each chat, oldest first, leaving out `skip_chats` (chats that must wait):
        a chat with a long queue (a busy group) does not hide the other chats' messages behind its own.
        Ids are looked at first and whole rows read only for the heads: reading rows costs more than finding."""
        skip = list(skip_chats)[:MAX_SKIPPED]
        left_out = f"AND chat_id NOT IN ({','.join('?' * len(skip))})" if skip else ""
        candidates = await self.db.fetchall(
            f"SELECT id, chat_id FROM outbox WHERE state = 'pending' AND not_before <= ? {left_out} "
            "ORDER BY id LIMIT ?",
            [now, *skip, limit],
        )
        heads: dict[str, int] = {}
        for candidate in candidates:
            heads.setdefault(str(candidate["chat_id"]), int(candidate["id"]))
        if not heads:
            return []
        ids = sorted(heads.values())
        rows = await self.db.fetchall(f"SELECT * FROM outbox WHERE id IN ({','.join('?' * len(ids))}) ORDER BY id", ids)
        return [from_row(OutboxRow, r) for r in rows]

    async def prune_sent(self, before: float) -> int:
        """Forget messages Telegram confirmed before `before` (their ids are no longer needed)."""
        # A channel post whose article is still `queued` (the process died between Telegram's answer and the
        # article's update) stays: without it, the start-up re-queue would post the story again.
        return await self.db.execute(
            "DELETE FROM outbox WHERE state = 'sent' AND sent_at < ? AND NOT (kind = 'channel_post' AND "
            "article_id IN (SELECT id FROM articles WHERE state = 'queued'))",
            (before,),
        )

    async def next_due_at(self) -> float | None:
        row = await self.db.fetchone("SELECT min(not_before) FROM outbox WHERE state = 'pending'")
        return float(row[0]) if row and row[0] is not None else None

    async def claim(self, ids: list[int]) -> None:
        """Mark messages as being sent: after a crash these are the only ones that may go out twice."""
        if ids:
            marks = ",".join("?" * len(ids))
            await self.db.execute(
                f"UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id IN ({marks})", ids
            )

    async def mark_sent(
        self, outbox_id: int, message_id: int | None, now: float, *, chat_id: int | None = None, after: bool = False
    ) -> None:
        """Telegram confirmed the message. With `after`, its after-send step is still to run (`after_sent_done`
        says when it did); a restart runs the step again for messages left so."""
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, result_message_id = ?, result_chat_id = ?, "
            "last_error = NULL, after_sent_pending = ? WHERE id = ?",
            (now, message_id, chat_id, int(after), outbox_id),
        )

    async def after_sent_done(self, ids: list[int]) -> None:
        if ids:
            marks = ",".join("?" * len(ids))
            await self.db.execute(f"UPDATE outbox SET after_sent_pending = 0 WHERE id IN ({marks})", ids)

    async def after_sent_pending(self) -> list[OutboxRow]:
        """Sent messages whose after-send step may not have run (the process died in between), oldest first."""
        rows = await self.db.fetchall("SELECT * FROM outbox WHERE after_sent_pending = 1 ORDER BY id")
        return [from_row(OutboxRow, r) for r in rows]

    async def retry_later(self, outbox_id: int, not_before: float, error: str, count_attempt: bool = True) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?, attempts = attempts - ? WHERE id = ?",
            (not_before, error[:500], 0 if count_attempt else 1, outbox_id),
        )

    async def finish(self, outbox_id: int, state: str, error: str) -> None:
        """End a message as `dead` (Telegram refused it); `failed` is kept for rows of older versions."""
        await self.db.execute(
            "UPDATE outbox SET state = ?, last_error = ? WHERE id = ?", (state, error[:500], outbox_id)
        )

    async def kill_chat(self, chat_id: str, reason: str, now: int) -> int:
        """The chat refuses our messages: drop what waits for it and remember it."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO unreachable_chats (chat_id, reason, since) VALUES (?, ?, ?)",
                (chat_id, reason[:300], now),
            )
            cursor = await conn.execute(
                "UPDATE outbox SET state = 'dead', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (reason[:500], chat_id),
            )
            return cursor.rowcount

    async def mark_unreachable(self, chat_id: int | str, reason: str, now: int) -> bool:
        """Remember that a chat refuses our messages; False when it was known already."""
        return (
            await self.db.execute(
                "INSERT OR IGNORE INTO unreachable_chats (chat_id, reason, since) VALUES (?, ?, ?)",
                (str(chat_id), reason[:300], now),
            )
            > 0
        )

    async def revive_posts(self, chat_id: int | str, now: float) -> int:
        """The chat takes our messages again: channel posts that died on its refusal, of stories still waiting
        to be posted, are queued again (from their first try). Returns how many."""
        return await self.db.execute(
            """
            UPDATE outbox SET state = 'pending', attempts = 0, not_before = ?, last_error = NULL
            WHERE chat_id = ? AND kind = 'channel_post' AND state = 'dead'
              AND article_id IN (SELECT id FROM articles WHERE state = 'queued')
            """,
            (now, str(chat_id)),
        )

    async def is_unreachable(self, chat_id: int | str) -> bool:
        return await self.db.fetchone("SELECT 1 FROM unreachable_chats WHERE chat_id = ?", (str(chat_id),)) is not None

    async def mark_reachable(self, chat_id: int | str) -> None:
        await self.db.execute("DELETE FROM unreachable_chats WHERE chat_id = ?", (str(chat_id),))

    async def recover_in_flight(self) -> int:
        """At start-up: messages claimed by a process that died go back to the queue (at-least-once)."""
        return await self.db.execute("UPDATE outbox SET state = 'pending' WHERE state = 'sending'")

    async def stats(self, now: float) -> dict[str, float]:
        rows = await self.db.fetchall("SELECT state, count(*) AS n FROM outbox GROUP BY state")
        stats: dict[str, float] = {state: 0 for state in ("pending", "sending", "sent", "failed", "dead")}
        stats.update({str(r["state"]): int(r["n"]) for r in rows})
        oldest = await self.db.fetchone("SELECT min(created_at) FROM outbox WHERE state IN ('pending', 'sending')")
        stats["oldest_age"] = now - float(oldest[0]) if oldest and oldest[0] is not None else 0.0
        return stats
