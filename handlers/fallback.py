"""What the bot says when nothing else understood a private message or a button."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point the reader to /help."""
    assert update.effective_message
    await update.effective_message.reply_text(context.t("unknown_command"))


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button the bot no longer knows, so the client stops its spinner."""
    assert update.callback_query
    await update.callback_query.answer(context.t("button_expired"), show_alert=True)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
