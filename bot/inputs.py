"""What the bot waits for from each user in private chat (a comment after ✍️, a draft's new title, a keyword
...): kept in SQLite so that the wait survives a restart, and forgotten after its time to live."""

from __future__ import annotations

from typing import Any

from bot.clock import Clock
from storage.pending import PendingInput, PendingInputRepository


class InputService:
    def __init__(self, repo: PendingInputRepository, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock

    async def wait_for(self, user_id: int, kind: str, data: dict[str, Any], ttl: int) -> None:
        """Wait `ttl` seconds for the user's next message, of this kind (whatever was awaited before is dropped)."""
        await self.repo.set(user_id, kind, data, int(self.clock.time()) + ttl)

    async def waiting(self, user_id: int) -> PendingInput | None:
        """What the bot waits for from this user, if anything (and not expired)."""
        return await self.repo.get(user_id, int(self.clock.time()))

    async def change(self, pending: PendingInput, data: dict[str, Any]) -> None:
        """New data for a wait, which keeps its deadline."""
        await self.repo.set(pending.user_id, pending.kind, data, pending.expires_at)

    async def stop_waiting(self, user_id: int) -> None:
        await self.repo.clear(user_id)
