"""Private messages the bot is waiting for (an article after /post, a new title, a comment ...).

A feature that asks for input stores a pending input (kind + data) in SQLite, so that the wait survives a
restart, and registers the function that takes the answer. Text that nobody waits for gets a hint.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.rows import PendingInput
from handlers.common import channel_button, require_role

InputHandler = Callable[[Update, BotContext, PendingInput], Awaitable[None]]
INPUT_HANDLERS: dict[str, tuple[InputHandler, Role]] = {}
ReplyTaker = Callable[[Update, BotContext], Awaitable[bool]]
REPLY_TAKERS: list[ReplyTaker] = []


def expects(kind: str, role: Role = Role.USER) -> Callable[[InputHandler], InputHandler]:
    """Register the function that takes a pending input of this kind, from senders with at least `role`
    (checked again when the answer comes: someone who lost the role meanwhile is refused and not waited for)."""

    def register_handler(function: InputHandler) -> InputHandler:
        INPUT_HANDLERS[kind] = (function, role)
        return function

    return register_handler


def takes_replies(function: ReplyTaker) -> ReplyTaker:
    """Register a function offered a message nobody waits for that answers (with Telegram's reply) one of the
    bot's messages; it returns whether it took the message."""
    REPLY_TAKERS.append(function)
    return function


async def route_private_message(update: Update, context: BotContext) -> None:
    """Hand the message to whoever waits for it (or, a reply to one of the bot's messages, to whoever takes
    those), or say how to comment."""
    user = update.effective_user
    assert user is not None and update.effective_message is not None
    pending = await context.services.inputs.waiting(user.id)
    handler, needed = INPUT_HANDLERS.get(pending.kind, (None, Role.USER)) if pending else (None, Role.USER)
    if pending is None and await _taken_as_reply(update, context):
        return
    if pending is None or handler is None:
        if update.effective_message.text:
            await update.effective_message.reply_text(context.t("free_text", button=channel_button(context)))
        else:
            await update.effective_message.reply_text(context.t("not_text"))
        return
    if needed > Role.USER and not await require_role(update, context, needed):
        await context.services.inputs.stop_waiting(user.id)
        return
    await handler(update, context, pending)


async def _taken_as_reply(update: Update, context: BotContext) -> bool:
    replied = update.effective_message.reply_to_message if update.effective_message else None
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return False
    for take in REPLY_TAKERS:
        if await take(update, context):
            return True
    return False


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.COMMAND
    app.add_handler(MessageHandler(private, route_private_message))
