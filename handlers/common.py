"""Small pieces every handler module shares: the admin check and reading command arguments."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.text.chars import to_latin_digits


async def require_admin(update: Update, context: BotContext) -> bool:
    """True for the bot's admins; everyone else gets a clear refusal (a button press: an alert)."""
    user = update.effective_user
    if user is not None and context.services.users.is_admin(user.id):
        return True
    if update.callback_query is not None:
        await update.callback_query.answer(context.t("not_allowed"), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(context.t("not_allowed"))
    return False


def int_argument(context: BotContext, index: int = 0) -> int | None:
    """The command's argument at `index` as a whole number (Persian digits welcome), or None."""
    if not context.args or len(context.args) <= index:
        return None
    value = to_latin_digits(context.args[index]).lstrip("#")
    return int(value) if value.isdigit() else None
