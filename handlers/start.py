"""/start and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from handlers.common import channel_button
from handlers.discussion import open_article


async def start(update: Update, context: BotContext) -> None:
    """Greet the reader (a deep-link payload the bot does not know gets a clear answer)."""
    assert update.effective_message and update.effective_user
    if context.args:
        await open_article(update, context, context.args[0])
        return
    name = update.effective_user.first_name
    await update.effective_message.reply_text(context.t("start_welcome", name=name, button=channel_button(context)))


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do, with the admin commands for admins."""
    assert update.effective_message
    text: str = context.t("help", button=channel_button(context))
    if context.services.users.is_admin(update.effective_user.id if update.effective_user else None):
        text += context.t("help_admin")
    await update.effective_message.reply_text(text)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start, filters=private))
    app.add_handler(CommandHandler("help", show_help, filters=private))
