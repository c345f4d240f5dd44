"""The moderation log: every moderator's (and the bot's own) action recorded, logged for the operator and told in
the moderation log chat (MOD_LOG_CHAT_ID) in the bot's language. Moderators read each entry as a phrase of the
catalog in their language (`نظر #۱۲ را حذف کرد`, `deleted comment #12`), never as the codes it is stored under."""

from __future__ import annotations

import logging
from typing import Any

from bot.clock import SYSTEM_CLOCK, Clock
from bot.moderation.durations import format_duration
from bot.notify import Notifier
from bot.render.dates import moment_text
from bot.render.html import Safe
from bot.render.ids import comment_ref
from bot.texts import CATALOGS, Text, digits, t
from bot.users import UserService
from storage.moderation import FOREVER, AuditRow, ModerationRepository
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
        name = who.first_name if who else (digits(actor, lang) if actor else t(lang, "modlog_system"))
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


def _target(lang: str, target_type: str | None, target_id: Any) -> object:
    if target_id is None or target_id == "":
        return ""
    if target_type == "comment" and str(target_id).isdigit():
        return comment_ref(int(target_id), lang)
    if target_type == "setting" and f"premod_{target_id}" in CATALOGS[lang]:
        return Text(f"premod_{target_id}")
    if target_type == "filter" and f"filter_kind_{target_id}" in CATALOGS[lang]:
        return Text(f"filter_kind_{target_id}")
    return digits(target_id, lang).replace(",", "، " if lang == "fa" else ", ")  # digest times: 08:00,20:00


def _reason(lang: str, action: str, reason: str | None) -> object:
    """A reason stored as a code (why a comment was held, a ban the bot carried over) in words; a reason a
    moderator typed as it is."""
    if not reason:
        return ""
    if action == "hold" and f"hold_{reason}" in CATALOGS[lang]:
        return Text(f"hold_{reason}")
    if f"reason_{reason}" in CATALOGS[lang]:
        return Text(f"reason_{reason}")
    return reason


def _lasting(lang: str, duration: int | None) -> Safe:
    """How long a ban or mute lasts (`؛ به مدت ۲ ساعت`, `; for good`); nothing when the entry does not say."""
    if duration is None:
        return Safe("")
    if duration == FOREVER:
        return t(lang, "modlog_forever")
    return t(lang, "modlog_for", length=format_duration(duration, lang))


def describe(
    lang: str, action: str, target_type: str | None, target_id: Any, reason: str | None, duration: int | None = None
) -> Safe:
    """What was done, to what, for how long, and why: one line of the log without its time and actor."""
    key = f"modlog_do_{action}" if f"modlog_do_{action}" in CATALOGS[lang] else "modlog_do_other"
    target = _target(lang, target_type, target_id)
    why = _reason(lang, action, reason)
    if action in ("filter_add", "filter_remove", "filtered"):
        # The phrase is the subject of these actions, not their reason.
        return t(lang, key, target=target, phrase=why)
    text = Safe(t(lang, key, target=target) + _lasting(lang, duration))
    return Safe(text + t(lang, "modlog_reason", reason=why)) if why else text
