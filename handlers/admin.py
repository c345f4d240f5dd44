"""Commands for the bot's owners and admins."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.texts import digits, t


def format_uptime(seconds: float, lang: str) -> str:
    """`۰۲:۰۳:۰۴`, or with whole days `۳ روز و ۰۲:۰۳:۰۴` / `3 days, 02:03:04`."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = digits(f"{hours:02}:{minutes:02}:{secs:02}", lang)
    return str(t(lang, "uptime_days", n=days, clock=clock)) if days else clock


async def status(update: Update, context: BotContext) -> None:
    """Show uptime, user count and schema version to admins."""
    assert update.effective_message and update.effective_user
    services = context.services
    if not services.users.is_admin(update.effective_user.id):
        await update.effective_message.reply_text(context.t("not_allowed"))
        return
    await update.effective_message.reply_text(
        context.t(
            "status",
            uptime=format_uptime(services.uptime, context.lang),
            users=await services.users.count(),
            schema=await services.db.schema_version(),
            mode=context.t("mode_webhook" if services.settings.uses_webhook else "mode_polling"),
        )
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("status", status, filters=filters.ChatType.PRIVATE))
