"""The command menu shown by Telegram clients, in Persian and English, with admin commands for admins."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.texts import t

log = logging.getLogger(__name__)

PUBLIC_COMMANDS = (
    "start", "help", "latest", "search", "subscribe", "mysubs", "unsubscribe",
    "name", "replies", "language", "mydata", "forgetme", "id", "cancel",
)  # fmt: skip
ADMIN_COMMANDS = (
    "status", "post", "addfeed", "feeds", "rmfeed", "renamefeed", "pausefeed", "resumefeed", "outbox", "digest",
    "digesttimes", "queue", "approve", "reject", "ban", "unban", "mute", "unmute", "warn", "warns", "del", "hide",
    "lock", "unlock", "merge", "split", "premod", "filter", "modlog", "stats", "admins", "addadmin", "rmadmin",
    "admincache",
)  # fmt: skip


def menu(lang: str, admin: bool) -> list[BotCommand]:
    names = PUBLIC_COMMANDS + (ADMIN_COMMANDS if admin else ())
    return [BotCommand(name, t(lang, f"cmd_{name}")) for name in names]


async def _publish(bot: Bot, scope: BotCommandScope, admin: bool) -> bool:
    """Publish one scope's menu in both languages; a failure is logged, never raised (it is a convenience)."""
    ok = True
    for lang, language_code in (("fa", None), ("en", "en")):
        try:
            await bot.set_my_commands(menu(lang, admin), scope=scope, language_code=language_code)
        except TelegramError as error:
            ok = False
            log.warning("could not publish the command menu (%s, %s): %s", scope.type, lang, error)
    return ok


async def publish_public_menu(bot: Bot) -> bool:
    return await _publish(bot, BotCommandScopeDefault(), admin=False)


async def publish_admin_menu(bot: Bot, admin_id: int) -> bool:
    """An admin's own menu; Telegram knows the chat only after the admin has written to the bot."""
    return await _publish(bot, BotCommandScopeChat(admin_id), admin=True)


async def drop_admin_menu(bot: Bot, user_id: int) -> None:
    """A removed admin goes back to the public menu."""
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(user_id))
    except TelegramError as error:
        log.warning("could not remove the admin menu of %s: %s", user_id, error)
