"""The moderation log: every moderator's (and the bot's own) action recorded, logged for the operator and told in
the moderation log chat (MOD_LOG_CHAT_ID) in the bot's language."""

from __future__ import annotations

import logging
from typing import Any

from bot.clock import SYSTEM_CLOCK, Clock
from bot.moderation.auditlog import describe
from bot.notify import Notifier
from bot.render.dates import moment_text
from bot.render.html import isolate
from bot.texts import digits, t
from bot.users import UserService
from storage.moderation import AuditRow, ModerationRepository
from storage.stats import StatsRepository

log = logging.getLogger(__name__)

SYSTEM_ACTOR = 0  # the bot itself, in the audit log and for automatic actions


class AuditLog:
    def __init__(
        self,
        repo: ModerationRepository,
        stats: StatsRepository,
        users: UserService,
        notifier: Notifier,
        *,
        lang: str,
        tz: Any,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.stats_repo = stats
        self.users = users
        self.notifier = notifier
        self.lang = lang
        self.tz = tz
        self.clock = clock

    async def record(
        self, actor: int, action: str, target_type: str | None, target_id: Any, reason: str | None, detail: str = ""
    ) -> None:
        """Store an entry, then tell it."""
        await self.repo.audit(actor, action, target_type, target_id, reason, int(self.clock.time()))
        await self.announce(actor, action, target_type, target_id, reason, detail)

    async def announce(
        self, actor: int, action: str, target_type: str | None, target_id: Any, reason: str | None, detail: str = ""
    ) -> None:
        """Tell an entry stored already (a sanction stores its own, with the sanction): the operator's log, and
        the moderation log chat."""
        log.info("moderation: %s by %s on %s %s (%s)", action, actor, target_type, target_id, reason or "")
        if self.notifier.mod_log_chat_id is None:
            return
        lang = self.lang
        who = await self.users.users.get(actor) if actor else None
        name = isolate(who.first_name) if who else (digits(actor, lang) if actor else t(lang, "modlog_system"))
        what = describe(lang, action, target_type, target_id, reason)
        await self.notifier.log("modlog_line", actor=name, action=what, detail=detail)

    def until_text(self, until: int | None) -> str:
        """How long a ban or mute lasts, for the moderation log chat (in the bot's language)."""
        if until is None:
            return str(t(self.lang, "modlog_forever"))
        return str(t(self.lang, "modlog_until", when=moment_text(until, self.tz, self.lang)))

    async def recent(self, limit: int) -> list[AuditRow]:
        """The newest `limit` entries, newest first."""
        return await self.repo.recent_audit(limit)

    async def stats(self, seconds: int) -> dict[str, int]:
        """What moderation counted in the last `seconds` (see StatsRepository.period)."""
        return await self.stats_repo.period(int(self.clock.time()) - seconds)
