"""Sanctions: bans, mutes and warns, in the bot and carried into the discussion group.

A ban or mute is stored with its audit entry and its pending group action in one transaction; the group actions
are then carried out through the gateway, oldest first, until Telegram confirms or refuses each for good.
"""

from __future__ import annotations

import asyncio
import logging

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import Settings
from bot.gateway import GroupActionFailed, GroupActionRefused, GroupGateway
from bot.handling import current_update
from bot.moderation.audit import SYSTEM_ACTOR, AuditLog
from bot.moderation.reasons import checked_reason
from bot.moderation.roles import Roles, Target
from bot.notify import Notifier
from bot.texts import Id
from bot.user_errors import DiscussionError, ModerationError
from bot.users import UserService
from storage.comments import CommentRepository
from storage.moderation import ModerationRepository, Sanction, SanctionChange, SanctionKind, WarnRow

log = logging.getLogger(__name__)

FLOOD_MUTE = 10 * 60
BACKLOG_AGE = 60  # group messages older than this arrived late (downtime): no flood action for them
TELL_AGAIN_AFTER = 24 * 3600
NOT_CARRIED_TOLD_KEY = "group_sanction_refused_told:"  # + the admin told: when (bot_state)
# Telegram's refusals that mean the bot may not ban or mute in the group (not an admin, no «Ban users» right).
NO_RIGHTS_ERRORS = ("not enough rights", "chat_admin_required", "not a member", "have no rights")


class SanctionBook:
    """The bans and mutes in force. They are few and read on every comment, vote and report: kept in memory,
    written through; one past its time is lifted when next read."""

    def __init__(self, repo: ModerationRepository, clock: Clock = SYSTEM_CLOCK) -> None:
        self.repo = repo
        self.clock = clock
        self._in_force: dict[SanctionKind, dict[int, Sanction]] = {kind: {} for kind in SanctionKind}

    async def load(self) -> None:
        for kind in SanctionKind:
            self._in_force[kind] = {row.user_id: row for row in await self.repo.sanctions(kind)}

    async def active(self, kind: SanctionKind, user_id: int) -> Sanction | None:
        sanction = self._in_force[kind].get(user_id)
        if sanction is None:
            return None
        if sanction.until is not None and sanction.until <= self.clock.time():
            self._in_force[kind].pop(user_id, None)
            await self.repo.lift(kind, user_id)
            return None
        return sanction

    async def banned(self, user_id: int) -> bool:
        return await self.active(SanctionKind.BAN, user_id) is not None

    def stored(self, change: SanctionChange) -> None:
        """Follow a change the repository made."""
        if change.lifting:
            self._in_force[change.kind].pop(change.user_id, None)
        else:
            sanction = Sanction(change.user_id, change.until, change.reason, change.actor, change.now)
            self._in_force[change.kind][change.user_id] = sanction

    async def check_can_act(self, user_id: int) -> None:
        """Banned readers cannot comment, vote or report."""
        ban = await self.active(SanctionKind.BAN, user_id)
        if ban is not None:
            if ban.until is None:
                raise DiscussionError("you_are_banned_forever")
            raise DiscussionError("you_are_banned_until", minutes=minutes_left(ban.until, self.clock.time()))

    async def check_can_comment(self, user_id: int) -> None:
        await self.check_can_act(user_id)
        mute = await self.active(SanctionKind.MUTE, user_id)
        if mute is not None:
            raise DiscussionError("you_are_muted", minutes=minutes_left(mute.until, self.clock.time()))


class Sanctions:
    def __init__(
        self,
        book: SanctionBook,
        repo: ModerationRepository,
        comments: CommentRepository,
        roles: Roles,
        audit: AuditLog,
        notifier: Notifier,
        gateway: GroupGateway,
        settings: Settings,
        users: UserService,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.book = book
        self.repo = repo
        self.comments = comments
        self.roles = roles
        self.audit = audit
        self.notifier = notifier
        self.gateway = gateway
        self.settings = settings
        self.state = users.users
        self.known_admins = users.known_admins
        self.clock = clock
        self._reconciling = asyncio.Lock()

    async def ban(self, actor: int, target: Target, seconds: int | None, reason: str | None) -> None:
        self.roles.check_target(target)
        reason = checked_reason(reason)
        until = int(self.clock.time()) + seconds if seconds else None
        await self._change(SanctionKind.BAN, False, actor, target, until, reason)

    async def unban(self, actor: int, target: Target) -> bool:
        return await self._change(SanctionKind.BAN, True, actor, target, None, None)

    async def mute(self, actor: int, target: Target, seconds: int, reason: str | None) -> None:
        self.roles.check_target(target)
        reason = checked_reason(reason)
        until = int(self.clock.time()) + seconds
        await self._change(SanctionKind.MUTE, False, actor, target, until, reason)

    async def unmute(self, actor: int, target: Target) -> bool:
        return await self._change(SanctionKind.MUTE, True, actor, target, None, None)

    async def _change(
        self, kind: SanctionKind, lifting: bool, actor: int, target: Target, until: int | None, reason: str | None
    ) -> bool:
        """Store the sanction, its audit entry and its group action as one intent, then carry pending group
        actions into the group; returns whether a sanction was lifted (unban, unmute)."""
        in_group = self.settings.discussion_group_id is not None
        now = int(self.clock.time())
        change = SanctionChange(kind, lifting, target.user_id, until, reason, actor, now, in_group, current_update())
        outcome = await self.repo.change_sanction(change)
        if outcome is None:  # this update did it before a crash cut its handling short: stored, audited, told
            await self.reconcile_group()
            return False
        lifted, _ = outcome
        self.book.stored(change)
        detail = "" if lifting else self.audit.until_text(until)
        await self.audit.announce(actor, change.action, "user", target.user_id, reason, detail=detail)
        await self.reconcile_group()
        return lifted

    async def warn(self, actor: int, target: Target, reason: str | None) -> tuple[int, SanctionKind | None]:
        """Warn; at the warn limit the configured sanction follows. Returns (active warns, sanction taken)."""
        self.roles.check_target(target)
        reason = checked_reason(reason)
        # The warn, its audit entry and its notice are stored together, once per update: handled again after a
        # crash, the update adds no second warn, and the sanction at the limit still follows.
        async with self.repo.db.transaction():
            added = await self.repo.add_warn(target.user_id, reason, actor, int(self.clock.time()), current_update())
            count = len(await self.active_warns(target.user_id))
            if added:
                await self.audit.record(actor, "warn", "user", target.user_id, reason)
                await self.notifier.tell(target.user_id, "warn_notice", count=count, limit=self.settings.warn_limit,
                                         reason=reason or "-")  # fmt: skip
        if count < self.settings.warn_limit:
            return count, None
        if self.settings.warn_action == SanctionKind.BAN:
            taken = SanctionKind.BAN
            await self.ban(SYSTEM_ACTOR, target, None, "warn_limit")
        else:
            taken = SanctionKind.MUTE
            await self.mute(SYSTEM_ACTOR, target, self.settings.warn_mute_minutes * 60, "warn_limit")
        await self.repo.clear_warns(target.user_id)  # after the sanction: a crash between them repeats neither
        return count, taken

    async def active_warns(self, user_id: int) -> list[WarnRow]:
        return await self.repo.warns(user_id, int(self.clock.time()) - self.settings.warn_expiry_days * 86400)

    async def group_flood(self, author_id: int, sent_at: int) -> bool:
        """True when a group message breaks the per-minute limit and its author was muted for it.
        Messages delivered late after downtime never count as flooding."""
        now = int(self.clock.time())
        if now - sent_at > BACKLOG_AGE:
            return False
        if await self.comments.recent_by_author(author_id, now - 60) < self.settings.comments_per_minute:
            return False
        target = Target(author_id, str(author_id))
        try:
            self.roles.check_target(target)
        except ModerationError:
            return False
        await self.mute(SYSTEM_ACTOR, target, FLOOD_MUTE, "flood")
        return True

    async def reconcile_group(self) -> int:
        """Carry every pending group action into the discussion group, oldest first (at start, and after each
        new sanction): each is done when Telegram confirms or refuses for good; after a network failure, a 5xx
        or a flood wait it stays pending for the next round. Returns how many are still pending."""
        async with self._reconciling:
            pending = 0
            for row in await self.repo.pending_group_actions():
                try:
                    await self._in_group(row.action, row.user_id, row.until)
                except GroupActionRefused as error:
                    log.warning("%s of %s in the discussion group refused: %s", row.action, row.user_id, error)
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=True, error=str(error))
                    if any(words in str(error).lower() for words in NO_RIGHTS_ERRORS):
                        await self._tell_not_carried(row.actor, row.user_id)
                except GroupActionFailed as error:
                    log.warning("%s of %s in the discussion group failed, will retry: %s", row.action, row.user_id,
                                error)  # fmt: skip
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=False)
                    pending += 1
                else:
                    await self.repo.group_action_tried(row.id, int(self.clock.time()), done=True)
            return pending

    async def _tell_not_carried(self, actor: int | None, user_id: int) -> None:
        """The admin who gave a sanction the bot may not carry into the group hears it (the bot's own ones, and
        those stored before actors were kept, go to the bot's admins; a group admin who never wrote to the bot
        cannot be told privately, so they do too): once a day each, not once per ban."""
        now = self.clock.time()
        told_actor = bool(actor) and await self._tell_once(actor or 0, user_id, now)
        if told_actor:
            return
        for admin_id in await self.known_admins():
            await self._tell_once(admin_id, user_id, now)

    async def _tell_once(self, admin_id: int, user_id: int, now: float) -> bool:
        """Tell `admin_id` unless they were told within a day; False when they cannot be written to."""
        told = await self.state.get_state(NOT_CARRIED_TOLD_KEY + str(admin_id))
        if told and now - float(told) < TELL_AGAIN_AFTER:
            return True
        if not await self.notifier.tell(admin_id, "group_sanction_refused_no_rights", id=Id(user_id)):
            return False
        await self.state.set_state(NOT_CARRIED_TOLD_KEY + str(admin_id), str(int(now)))
        return True

    async def _in_group(self, action: str, user_id: int, until: int | None) -> None:
        """Carry a sanction into the discussion group (the bot must be an admin there)."""
        group = self.settings.discussion_group_id
        if group is None:
            return
        if action == SanctionKind.BAN:
            await self.gateway.ban(group, user_id, until)
        elif action == SanctionKind.BAN.lift:
            await self.gateway.unban(group, user_id)
        elif action == SanctionKind.MUTE:
            await self.gateway.mute(group, user_id, until)
        elif action == SanctionKind.MUTE.lift:
            await self.gateway.unmute(group, user_id)


def minutes_left(until: int | None, now: float) -> int:
    return max(1, -(-int((until or 0) - now) // 60))
