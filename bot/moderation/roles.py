"""Who may moderate: the bot's owners and admins (stored), and the discussion group's admins (asked from Telegram,
cached, and kept current by `chat_member` updates)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import IntEnum

from bot.clock import SYSTEM_CLOCK, Clock
from bot.gateway import GroupActionFailed, GroupGateway
from bot.moderation.audit import SYSTEM_ACTOR, AuditLog
from bot.user_errors import ModerationError
from bot.users import UserService
from storage.moderation import ModerationRepository

log = logging.getLogger(__name__)

SERVICE_ACCOUNT_ID = 777000  # "Telegram": sends the automatic forwards of channel posts
GROUP_ANONYMOUS_BOT_ID = 1087968824  # an anonymous admin of the group (sender_chat is the group)
CHANNEL_BOT_ID = 136817688  # a user posting as a channel (sender_chat is that channel)
SPECIAL_ACCOUNTS = frozenset({SERVICE_ACCOUNT_ID, GROUP_ANONYMOUS_BOT_ID, CHANNEL_BOT_ID})
ADMIN_RETRY_SECONDS = 60  # after a failed read of the group's admins


class Role(IntEnum):
    BANNED = -1
    USER = 0
    MODERATOR = 1  # an admin of the discussion group
    ADMIN = 2
    OWNER = 3


REFUSAL_KEYS = {Role.OWNER: "not_allowed_owner", Role.ADMIN: "not_allowed", Role.MODERATOR: "not_allowed_moderator"}


@dataclass(frozen=True)
class Target:
    """Whom a moderation command acts on: a user, or a chat that posts in the group (sender_chat)."""

    user_id: int
    name: str

    @property
    def is_chat(self) -> bool:
        return self.user_id < 0


class Roles:
    def __init__(
        self,
        repo: ModerationRepository,
        users: UserService,
        gateway: GroupGateway,
        audit: AuditLog,
        banned: Callable[[int], Awaitable[bool]],
        *,
        group_id: int | None,
        cache_seconds: float,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.users = users
        self.gateway = gateway
        self.audit = audit
        self.banned = banned  # whether a reader is banned now (the sanctions know)
        self.group_id = group_id
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._group_admins: frozenset[int] = frozenset()
        # Until when (on the monotonic clock) the admin list is trusted; None: never read, or forgotten.
        # Not a timestamp starting at 0.0: the monotonic clock may itself be near 0 on a freshly booted host.
        self._group_admins_until: float | None = None
        self._group_admins_lock = asyncio.Lock()

    async def load(self) -> None:
        self.users.set_admins(await self.repo.admins())

    async def role(self, user_id: int, *, sender_chat_id: int | None = None) -> Role:
        """The user's role; `sender_chat_id` is the chat an anonymous group admin speaks for."""
        if self.users.is_owner(user_id):
            return Role.OWNER
        if self.users.is_admin(user_id):
            return Role.ADMIN
        if self.group_id is not None:
            if self.group_id in (sender_chat_id, user_id):
                return Role.MODERATOR  # only the group's admins can post as the group (anonymous admins)
            if user_id in await self.group_admins():
                return Role.MODERATOR
        if await self.banned(user_id):
            return Role.BANNED
        return Role.USER

    async def authorize(self, actor: int, needed: Role = Role.MODERATOR) -> None:
        """Checked on the server for every moderator action, whichever command, button or view it came from."""
        if actor != SYSTEM_ACTOR and await self.role(actor) < needed:
            raise ModerationError(REFUSAL_KEYS[needed])

    def check_target(self, target: Target) -> None:
        """Sanctions and hiding never touch Telegram's own accounts, the group itself, or an admin."""
        if target.user_id in SPECIAL_ACCOUNTS or target.user_id == self.group_id:
            raise ModerationError("mod_special_account")
        if self.users.is_admin(target.user_id) or target.user_id in self._group_admins:
            raise ModerationError("mod_target_is_admin")

    # ----- the discussion group's admins ----------------------------------------------------------------------
    async def group_admins(self, *, refresh: bool = False) -> frozenset[int]:
        """The discussion group's admins, asked from Telegram at most every GROUP_ADMIN_CACHE_SECONDS."""
        if self.group_id is None:
            return frozenset()
        if not refresh and self._group_admins_fresh():
            return self._group_admins
        # A burst of comments on an empty cache makes one read: the others wait for it and take its answer.
        async with self._group_admins_lock:
            if not refresh and self._group_admins_fresh():
                return self._group_admins
            now = self.clock.monotonic()
            try:
                self._group_admins = await self.gateway.admins(self.group_id)
            except GroupActionFailed as error:
                log.warning("could not read the discussion group's admins: %s", error)
                # Keep the list we have and ask again in a minute, not on every comment meanwhile.
                self._group_admins_until = now + ADMIN_RETRY_SECONDS
                return self._group_admins
            self._group_admins_until = now + self.cache_seconds
        return self._group_admins

    def _group_admins_fresh(self) -> bool:
        return self._group_admins_until is not None and self.clock.monotonic() < self._group_admins_until

    def forget_group_admins(self) -> None:
        """A chat_member update changed someone's rights: ask Telegram again next time."""
        self._group_admins_until = None

    # ----- the bot's admins ----------------------------------------------------------------------------------
    async def add_admin(self, actor: int, user_id: int) -> bool:
        added = await self.repo.add_admin(user_id, actor, int(self.clock.time()))
        self.users.set_admins(await self.repo.admins())
        await self.audit.record(actor, "add_admin", "user", user_id, None)
        return added

    async def remove_admin(self, actor: int, user_id: int) -> bool:
        removed = await self.repo.remove_admin(user_id)
        self.users.set_admins(await self.repo.admins())
        await self.audit.record(actor, "remove_admin", "user", user_id, None)
        return removed
