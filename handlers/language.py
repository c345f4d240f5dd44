"""/language: a reader chooses Persian or English."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.texts import LANGUAGES, t

CALLBACK_PREFIX = "lang:"


async def ask_language(update: Update, context: BotContext) -> None:
    """Offer the two languages as buttons."""
    assert update.effective_message
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(lang, f"language_button_{lang}"), callback_data=CALLBACK_PREFIX + lang)
                for lang in LANGUAGES
            ]
        ]
    )
    await update.effective_message.reply_text(context.t("language_prompt"), reply_markup=keyboard)


async def choose_language(update: Update, context: BotContext) -> None:
    """Store the chosen language and confirm it in that language."""
    query = update.callback_query
    assert query and query.data
    choice = query.data.removeprefix(CALLBACK_PREFIX)
    if choice not in LANGUAGES:
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    await context.services.users.choose_language(query.from_user.id, choice)
    context.lang = choice
    await query.answer()
    await query.edit_message_text(context.t("language_set"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", ask_language, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(choose_language, pattern=f"^{CALLBACK_PREFIX}"))
