"""`/mydata` (a JSON export of what the bot keeps about you) and `/forgetme` (delete it, after a confirmation)."""

from __future__ import annotations

from enum import StrEnum

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.render import Button
from bot.render.buttons import ButtonCodec
from handlers.common import keyboard


class ForgetAction(StrEnum):
    """The /forgetme question's two buttons, `p:forget` and `p:keep`."""

    FORGET = "forget"
    KEEP = "keep"


FORGET_BUTTONS = ButtonCodec("p", ForgetAction, arity=0)


async def my_data(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    export = await context.services.privacy.export(user.id, context.lang)
    await message.reply_document(
        InputFile(export, filename=f"goftogu-{user.id}.json"), caption=context.t("mydata_caption")
    )


async def forget_me(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    mode = context.services.settings.forget_comments
    buttons = keyboard(
        [
            [
                Button(context.t("forgetme_confirm"), FORGET_BUTTONS.pack(ForgetAction.FORGET)),
                Button(context.t("forgetme_keep"), FORGET_BUTTONS.pack(ForgetAction.KEEP)),
            ]
        ]
    )
    await update.effective_message.reply_text(context.t(f"forgetme_prompt_{mode}"), reply_markup=buttons)


async def forget_button(update: Update, context: BotContext) -> None:
    """The button acts on whoever presses it: the data names no user."""
    query = update.callback_query
    assert query is not None and query.message is not None
    action = FORGET_BUTTONS.unpack(query.data).action
    await query.answer()
    if action == ForgetAction.FORGET:
        await context.services.privacy.forget(query.from_user.id)
        await query.edit_message_text(context.t("forgetme_done"))
    else:
        await query.edit_message_text(context.t("forgetme_kept"))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("mydata", my_data, filters=private))
    app.add_handler(CommandHandler("forgetme", forget_me, filters=private))
    app.add_handler(CallbackQueryHandler(forget_button, pattern=FORGET_BUTTONS.pattern))
