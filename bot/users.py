"""Who the bot is talking to: profiles, UI language and roles."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import SYSTEM_CLOCK, Clock
from bot.texts import language_for
from storage.users import UserRepository, UserRow

# A profile is written again only when it changed or this many seconds passed, so that busy chats
# do not cost one write per update.
TOUCH_INTERVAL = 3600


@dataclass(frozen=True)
class Profile:
    user_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None


class UserService:
    def __init__(
        self, users: UserRepository, owner_ids: list[int], default_language: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.clock = clock
        self.users = users
        self.owner_ids = frozenset(owner_ids)
        self.default_language = default_language
        self._written: dict[int, tuple[Profile, float, bool]] = {}
        # Per user: the language chosen with /language and the language_code Telegram last reported.
        self._languages: dict[int, tuple[str | None, str | None]] = {}
        self.admin_ids: frozenset[int] = frozenset()  # added by owners, kept in SQLite (ModerationService)
        self.reachable: set[int] = set()  # wrote in private chat since this process started
        # Admins whose private command menu was published by this process.
        self.admin_menu_published: set[int] = set()

    async def seen(self, profile: Profile, *, private_chat: bool = False) -> str:
        """Record that a user sent something (in private chat with the bot or not); return their UI language."""
        now = self.clock.time()
        last = self._written.get(profile.user_id)
        if last is None or last[0] != profile or now - last[1] > TOUCH_INTERVAL or (private_chat and not last[2]):
            await self.users.upsert(
                profile.user_id,
                profile.first_name,
                profile.last_name,
                profile.username,
                profile.language_code,
                int(now),
                private_chat,
            )
            self._written[profile.user_id] = (profile, now, private_chat or (last is not None and last[2]))
        return await self.language(profile.user_id, profile.language_code)

    async def profile(self, user_id: int) -> UserRow | None:
        """What the bot knows of a user (None for someone who never wrote where the bot could see)."""
        return await self.users.get(user_id)

    async def by_username(self, username: str) -> UserRow | None:
        return await self.users.by_username(username)

    async def set_display_name(self, user_id: int, name: str | None) -> None:
        """The name the user's comments are shown under; None: their Telegram first name again."""
        await self.users.set_display_name(user_id, name)

    async def set_reply_notices(self, user_id: int, enabled: bool) -> None:
        await self.users.set_reply_notifications(user_id, enabled)

    async def reply_notices(self, user_id: int) -> bool:
        """Whether the user hears of replies to their comments (on until they turn it off)."""
        row = await self.users.get(user_id)
        return row is None or bool(row.reply_notifications)

    async def language(self, user_id: int, telegram_code: str | None = None) -> str:
        """The language to write to a user in: their /language choice, else the language of their Telegram
        (`telegram_code` when the update carries it, else the one stored when they last wrote), else the
        bot's default. Alerts, digests and notices are written without an update at hand: they pass none."""
        cached = self._languages.get(user_id)
        if cached is None:
            row = await self.users.get(user_id)
            cached = (row.language, row.language_code) if row else (None, None)
        chosen, stored_code = cached
        code = telegram_code or stored_code
        self._languages[user_id] = (chosen, code)
        return language_for(chosen, code, self.default_language)

    async def choose_language(self, user_id: int, language: str) -> None:
        await self.users.set_language(user_id, language)
        _, code = self._languages.get(user_id, (None, None))
        self._languages[user_id] = (language, code)

    async def count(self) -> int:
        return await self.users.count()

    async def known_admins(self) -> list[int]:
        """Admins who have written to the bot (Telegram refuses a menu for a chat it does not have)."""
        admins = []
        for user_id in sorted(self.owner_ids | self.admin_ids):
            row = await self.users.get(user_id)
            if row is not None and row.private_chat:
                admins.append(user_id)
        return admins

    def set_admins(self, admin_ids: list[int]) -> None:
        self.admin_ids = frozenset(admin_ids)
        self.admin_menu_published &= self.owner_ids | self.admin_ids

    def forget(self, user_id: int) -> None:
        """Drop what this process remembers of a user (after /forgetme)."""
        self._written.pop(user_id, None)
        self._languages.pop(user_id, None)

    def needs_admin_menu(self, user_id: int) -> bool:
        return self.is_admin(user_id) and user_id not in self.admin_menu_published

    def is_owner(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.owner_ids

    def is_admin(self, user_id: int | None) -> bool:
        """Owners, and the admins owners added."""
        return user_id is not None and (user_id in self.owner_ids or user_id in self.admin_ids)
