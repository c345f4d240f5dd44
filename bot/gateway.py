"""What the services ask of the discussion group that is not a message (those go through bot/notify.py): its
admins, and carrying sanctions into it. bot/telegram_gateway.py does it through the Bot API; tests may give
another. No Telegram types cross this line."""

from __future__ import annotations

from typing import Protocol


class GroupActionRefused(Exception):
    """Telegram refused for good (no rights, no such user): trying again would not help."""


class GroupActionFailed(Exception):
    """The call did not get through (network, 5xx, flood wait): it may work later."""


class GroupGateway(Protocol):
    async def admins(self, chat_id: int) -> frozenset[int]:
        """The chat's administrators that are people (not bots). Raises GroupActionFailed."""
        ...

    async def ban(self, chat_id: int, user_id: int, until: int | None) -> None:
        """Ban a user (until a Unix time, or for good), or a chat that posts in the group (a negative id)."""
        ...

    async def unban(self, chat_id: int, user_id: int) -> None:
        """Lift a ban without removing someone who is a member."""
        ...

    async def mute(self, chat_id: int, user_id: int, until: int | None) -> None: ...

    async def unmute(self, chat_id: int, user_id: int) -> None: ...

    async def delete(self, chat_id: int, message_id: int) -> None: ...
