"""What the bot says when nothing else understood a private message or a button."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.render.buttons import CALLBACK_DATA_LIMIT


async def unknown_command(update: Update, context: BotContext) -> None:
    """Point the reader to /help."""
    assert update.effective_message
    await update.effective_message.reply_text(context.t("unknown_command"))


async def stale_button(update: Update, context: BotContext) -> None:
    """Answer a button the bot no longer knows, so the client stops its spinner."""
    assert update.callback_query
    await update.callback_query.answer(context.t("button_expired"), show_alert=True)


def unusable(query: CallbackQuery) -> bool:
    """A press no feature can act on: no data or more than a button can carry, or on a message the bot can no
    longer see (older than 48 hours, or deleted: Telegram then sends an inaccessible message)."""
    data = query.data or ""
    message = query.message
    # python-telegram-bot reads an inaccessible message (date 0) as a Message: is_accessible tells them apart.
    seen = isinstance(message, Message) and message.is_accessible
    return not data or len(data.encode()) > CALLBACK_DATA_LIMIT or not seen


def register_gate(app: Application) -> None:
    """Before every feature: presses that no feature can act on are answered here (features may then rely on
    a real message and data)."""
    app.add_handler(_UnusableButton(stale_button))


class _UnusableButton(CallbackQueryHandler):
    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and update.callback_query is not None and unusable(update.callback_query)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(stale_button))
