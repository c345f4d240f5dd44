"""Small pieces every handler module shares: role checks, reading command arguments, inline keyboards."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Concatenate, ParamSpec

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, WebAppInfo
from telegram.error import BadRequest

from bot.context import BotContext
from bot.discussion.render import Button
from bot.moderation.roles import REFUSAL_KEYS, Role
from bot.render.ids import MAX_ID, parse_int
from bot.render.post import TEXT_LIMIT, pack_parts, visible_length
from bot.texts import digits, t

REFUSALS = REFUSAL_KEYS
P = ParamSpec("P")
Handler = Callable[Concatenate[Update, BotContext, P], Coroutine[Any, Any, None]]

TEHRAN = "Asia/Tehran"


async def role_of(update: Update, context: BotContext) -> Role:
    """The sender's role, checked on the server for every command and button, whatever the button says."""
    user = update.effective_user
    if user is None:
        return Role.USER
    message = update.effective_message if update.callback_query is None else None
    sender_chat = message.sender_chat.id if message is not None and message.sender_chat is not None else None
    return await context.services.roles.role(user.id, sender_chat_id=sender_chat)


async def require_role(update: Update, context: BotContext, needed: Role) -> bool:
    """True when the sender has at least `needed`; everyone else gets a clear refusal and nothing changes."""
    if await role_of(update, context) >= needed:
        return True
    message = update.effective_message
    if update.callback_query is None and message is not None and message.chat.type != "private":
        await _refuse_in_group(update, context, message, REFUSALS[needed])
    else:
        await answer(update, context.t(REFUSALS[needed]))
    return False


async def _refuse_in_group(update: Update, context: BotContext, message: Message, key: str) -> None:
    """A reader's moderator command in a group: refused privately where the bot may write to them; else in
    the thread, at most once a minute (readers trying /ban together would each be answered there, past
    Telegram's 20 messages a minute, and the thread's next comments would wait behind the answers)."""
    services = context.services
    dedupe = f"refused:{message.chat.id}:{message.message_id}"
    user = update.effective_user
    if user is not None and await services.notifier.tell(user.id, key, dedupe=dedupe):
        return
    if services.group_refusal_throttle.should_send()[0]:
        await services.notifier.say(message.chat.id, key, outbox_kind="group_notice", dedupe=dedupe,
                                    reply_to=message.message_id)  # fmt: skip


async def require_admin(update: Update, context: BotContext) -> bool:
    """True for the bot's owners and admins; everyone else gets a clear refusal (a button press: an alert)."""
    return await require_role(update, context, Role.ADMIN)


def requires(needed: Role) -> Callable[[Handler[P]], Handler[P]]:
    """A handler for senders with at least `needed` (checked on the server at every call); everyone else gets
    a clear refusal and the handler does not run."""

    def guard(handler: Handler[P]) -> Handler[P]:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext, /, *args: P.args, **kwargs: P.kwargs) -> None:
            if await require_role(update, context, needed):
                await handler(update, context, *args, **kwargs)

        return guarded

    return guard


async def answer(update: Update, text: str) -> None:
    """Say something to whoever sent the update: an alert on the button they pressed, else a reply."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


def fit_messages(lines: Sequence[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Lines joined into as few messages as Telegram takes (its length, counted after entity parsing), broken
    only between lines."""
    return pack_parts(lines, limit, length=visible_length)


def channel_button(context: BotContext) -> str:
    """The channel posts' comments button as it reads there: in the channel's language, whatever the reader's."""
    return str(t(context.services.settings.bot_language, "channel_button_name"))


def digest_schedule(context: BotContext) -> str:
    """The digest times in the reader's digits, with the zone they are in (`۰۸:۰۰، ۲۰:۰۰ به وقت تهران`)."""
    service = context.services.digests
    separator = str(context.t("list_separator"))
    times = digits(separator.join(moment.strftime("%H:%M") for moment in service.times), context.lang)
    zone = str(service.tz)
    shown_zone = context.t("zone_tehran") if zone == TEHRAN else zone
    return str(context.t("digest_times_in_zone", times=times, zone=shown_zone))


def int_argument(context: BotContext, index: int = 0, low: int = 1, high: int = MAX_ID) -> int | None:
    """The command's argument at `index` as a whole number in low..high (Persian digits welcome), or None."""
    if not context.args or len(context.args) <= index:
        return None
    return parse_int(context.args[index], low, high)


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_inline_button(b) for b in row] for row in rows])


def _inline_button(button: Button) -> InlineKeyboardButton:
    if button.web_app:
        return InlineKeyboardButton(button.label, web_app=WebAppInfo(button.web_app))
    return InlineKeyboardButton(button.label, callback_data=button.data)


async def edit_in_place(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Redraw a message; Telegram refuses an edit that changes nothing ("message is not modified"), which
    here only means that a double press or a concurrent redraw got there first."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
