"""The discussion group's actions through the Bot API (python-telegram-bot): the one place below the handlers
that calls Telegram for something other than a queued message."""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Bot, ChatPermissions
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.gateway import GroupActionFailed, GroupActionRefused


class TelegramGateway:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def admins(self, chat_id: int) -> frozenset[int]:
        try:
            members = await self.bot.get_chat_administrators(chat_id)
        except TelegramError as error:
            raise GroupActionFailed(str(error)) from error
        return frozenset(member.user.id for member in members if not member.user.is_bot)

    async def ban(self, chat_id: int, user_id: int, until: int | None) -> None:
        if user_id < 0:  # users posting as a channel: Telegram bans the channel itself
            await _call(self.bot.ban_chat_sender_chat(chat_id, user_id))
        else:
            await _call(self.bot.ban_chat_member(chat_id, user_id, until_date=until))

    async def unban(self, chat_id: int, user_id: int) -> None:
        if user_id < 0:
            await _call(self.bot.unban_chat_sender_chat(chat_id, user_id))
        else:
            # only_if_banned: unbanning someone who is in the group would otherwise remove them from it.
            await _call(self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True))

    async def mute(self, chat_id: int, user_id: int, until: int | None) -> None:
        if user_id > 0:  # a chat posting in the group cannot be restricted, only banned
            await _call(self.bot.restrict_chat_member(chat_id, user_id, ChatPermissions.no_permissions(), until))

    async def unmute(self, chat_id: int, user_id: int) -> None:
        if user_id > 0:
            await _call(self.bot.restrict_chat_member(chat_id, user_id, ChatPermissions.all_permissions()))

    async def delete(self, chat_id: int, message_id: int) -> None:
        await _call(self.bot.delete_message(chat_id, message_id))


async def _call(request: Awaitable[object]) -> None:
    """Telegram's answer as the gateway's: a permanent refusal, or a failure worth retrying."""
    try:
        await request
    except (BadRequest, Forbidden) as error:
        raise GroupActionRefused(str(error)) from error
    except TelegramError as error:
        raise GroupActionFailed(str(error)) from error
