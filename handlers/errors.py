"""The error handler, the one error path of every handler: a refusal a service raised (a `UserFacingError`)
is told to the user in their language, an alert on a button and a reply to a message; any other failure is
logged with the update id, the user hears that something went wrong and (rate-limited) the owners why."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import BotContext
from bot.logs import redact, secret_forms
from bot.texts import t
from bot.user_errors import UserFacingError
from handlers.common import answer

log = logging.getLogger(__name__)


async def report_error(update: object, context: BotContext) -> None:
    """Log the failure with the update id; no exception ever escapes to stop the bot."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if not isinstance(update, Update) or context.application.bot_data.get("services") is None:
        log.error("update %s failed: %r", update_id, error, exc_info=error)
        return
    if isinstance(error, UserFacingError):
        log.info("update %s refused: %s", update_id, error)
        await _tell_refusal(update, context, error)
        return
    log.error("update %s failed: %r", update_id, error, exc_info=error)
    services = context.services
    try:
        chat = update.effective_chat
        if chat is not None and chat.type == chat.PRIVATE and not isinstance(error, Forbidden):
            await context.bot.send_message(chat.id, t(await _reader_language(update, context), "error_generic"))
        send, held = services.error_throttle.should_send()
        if not send:
            return
        secrets = secret_forms([services.settings.token])
        description = redact(f"{type(error).__name__}: {error}", secrets)[:500]
        for owner_id in await services.users.known_admins():
            lang = await services.users.language(owner_id, None)
            suppressed = t(lang, "owner_error_suppressed", count=held) if held else ""
            await context.bot.send_message(
                owner_id,
                t(lang, "owner_error_notice", update_id=str(update_id), error=description, suppressed=suppressed),
            )
    except TelegramError as notify_error:
        log.warning("could not report the failure of update %s: %s", update_id, notify_error)


async def _reader_language(update: Update, context: BotContext) -> str:
    """The error handler gets a fresh context: the reader's language is looked up again."""
    user = update.effective_user
    return await context.services.users.language(user.id, user.language_code) if user else context.lang


async def _tell_refusal(update: Update, context: BotContext, error: UserFacingError) -> None:
    try:
        await answer(update, t(await _reader_language(update, context), error.key, **error.params))
    except TelegramError as answer_error:
        log.warning("could not tell update %s's sender of %s: %s", update.update_id, error.key, answer_error)


def register(app: Application) -> None:
    app.add_error_handler(report_error)
