"""Commands for the bot's owners and admins."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.moderation.durations import format_duration
from bot.moderation.roles import Role
from handlers.common import requires


@requires(Role.ADMIN)
async def status(update: Update, context: BotContext) -> None:
    """Show uptime, user count, schema version and the chats the bot is set up for to admins."""
    assert update.effective_message
    services = context.services
    settings = services.settings

    def setting(value: object) -> str:
        return context.t("status_setting", value=str(value)) if value else context.t("status_not_set")

    await update.effective_message.reply_text(
        context.t(
            "status",
            uptime=format_duration(services.uptime, context.lang, exact=True),
            users=await services.users.count(),
            schema=await services.db.schema_version(),
            mode=context.t("mode_webhook" if settings.uses_webhook else "mode_polling"),
            channel=setting(settings.channel_id),
            group=setting(settings.discussion_group_id),
        )
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("status", status, filters=filters.ChatType.PRIVATE))
