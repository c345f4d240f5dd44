"""/language: a reader chooses Persian or English."""

from __future__ import annotations

from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.render.buttons import ButtonCodec
from bot.texts import LANGUAGES, t


class LanguageChoice(StrEnum):
    """The /language buttons, `lang:fa` and `lang:en`: one per catalog in bot.texts.LANGUAGES."""

    FA = "fa"
    EN = "en"


LANGUAGE_BUTTONS = ButtonCodec("lang", LanguageChoice, arity=0)


async def ask_language(update: Update, context: BotContext) -> None:
    """Offer the two languages as buttons."""
    assert update.effective_message
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, f"language_button_{lang}"), callback_data=LANGUAGE_BUTTONS.pack(LanguageChoice(lang))
                )
                for lang in LANGUAGES
            ]
        ]
    )
    await update.effective_message.reply_text(context.t("language_prompt"), reply_markup=keyboard)


async def choose_language(update: Update, context: BotContext) -> None:
    """Store the chosen language and confirm it in that language."""
    query = update.callback_query
    assert query and query.data
    choice = str(LANGUAGE_BUTTONS.unpack(query.data).action)
    await context.services.users.choose_language(query.from_user.id, choice)
    context.lang = choice
    await query.answer()
    await query.edit_message_text(context.t("language_set"))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", ask_language, filters=filters.ChatType.PRIVATE))
    app.add_handler(CallbackQueryHandler(choose_language, pattern=LANGUAGE_BUTTONS.pattern))
