"""Taking messages out of the discussion group, and telling the moderators when Telegram will not.

A delete fails for good when the bot is no longer an admin allowed to delete messages, or when the message is
older than Telegram's 48 hours. Either way the message stays in the group for every reader, so the admins (and the
moderation log chat) hear of it: once for each kind of failure, not once per message (a bot that lost its rights
fails on every comment), told again a day later if it goes on, or at the next loss of rights after a delete
worked again. When they were told is kept across restarts."""

from __future__ import annotations

import logging

from bot.clock import SYSTEM_CLOCK, Clock
from bot.gateway import GroupActionFailed, GroupActionRefused, GroupGateway
from bot.notify import Notifier
from bot.users import UserService

log = logging.getLogger(__name__)

DELETE_WINDOW = 48 * 3600  # Telegram lets bots delete group messages for 48 hours
TELL_AGAIN_AFTER = 24 * 3600
TOLD_KEY = "group_delete_refused_told:"  # + the kind: when the admins were last told (bot_state)
NO_RIGHTS, TOO_OLD = "no_rights", "too_old"


class GroupDeletes:
    def __init__(self, gateway: GroupGateway, notifier: Notifier, users: UserService, clock: Clock = SYSTEM_CLOCK):
        self.gateway = gateway
        self.notifier = notifier
        self.state = users.users
        self.clock = clock

    async def delete(self, chat_id: int, message_id: int, sent_at: float) -> bool:
        """Delete a group message sent at `sent_at` (Unix time); False when it stays (the moderators hear why
        when Telegram refused for good)."""
        if self.too_old(sent_at):
            await self.refused(TOO_OLD, "")
            return False
        try:
            await self.gateway.delete(chat_id, message_id)
        except GroupActionRefused as error:
            log.warning("could not delete group message %s: %s", message_id, error)
            if "not found" not in str(error).lower():  # already gone: nothing for anyone to do
                await self.refused(NO_RIGHTS, str(error))
            return False
        except GroupActionFailed as error:
            log.info("could not delete group message %s: %s", message_id, error)
            return False
        if await self.state.get_state(TOLD_KEY + NO_RIGHTS):
            await self.state.set_state(TOLD_KEY + NO_RIGHTS, "")  # rights are back: a new loss is told again
        return True

    def too_old(self, sent_at: float) -> bool:
        """Whether Telegram no longer lets the bot delete a group message sent at `sent_at`."""
        return self.clock.time() - sent_at > DELETE_WINDOW

    async def refused(self, kind: str, reason: str) -> None:
        """Telegram refused (or would refuse) a delete: tell the admins and the moderation log, once."""
        now = self.clock.time()
        told = await self.state.get_state(TOLD_KEY + kind)
        if told and now - float(told) < TELL_AGAIN_AFTER:
            return
        await self.state.set_state(TOLD_KEY + kind, str(int(now)))
        key = f"group_delete_refused_{kind}"
        await self.notifier.notify_admins(key, reason=reason)
        await self.notifier.log(key, reason=reason)
