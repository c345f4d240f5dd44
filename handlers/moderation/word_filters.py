"""The word filter: `/filter add|rm|list|test`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.user_errors import UserFacingError
from handlers.common import require_role
from handlers.moderation.targets import (
    actor_of,
    reply,
)

FILTER_KINDS = {"banned": "banned", "ممنوع": "banned", "suspect": "suspect", "مشکوک": "suspect"}


async def word_filter(update: Update, context: BotContext) -> None:
    """`/filter add|rm banned|suspect <word or phrase>`, `/filter list`, `/filter test <text>`."""
    if not await require_role(update, context, Role.ADMIN):
        return
    screener = context.services.screener
    args = context.args or []
    verb = args[0].lower() if args else ""
    if verb in ("list", "فهرست"):
        rows = await screener.filters()
        if not rows:
            await reply(update, context, "filter_empty")
            return
        lines = [context.t("filter_header")]
        lines += [
            context.t("filter_line", kind=context.t(f"filter_kind_{row.kind}"), phrase=row.phrase) for row in rows
        ]
        await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]
        return
    if verb in ("test", "آزمون") and len(args) > 1:
        hit = screener.words.match(" ".join(args[1:]))
        if hit is None:
            await reply(update, context, "filter_test_clean")
        else:
            await reply(update, context, f"filter_test_{hit.kind}", phrase=hit.phrase)
        return
    kind = FILTER_KINDS.get(args[1].lower()) if len(args) > 1 else None
    phrase = " ".join(args[2:])
    if verb not in ("add", "rm", "افزودن", "حذف") or kind is None or not phrase:
        await reply(update, context, "filter_usage")
        return
    try:
        if verb in ("add", "افزودن"):
            done = await screener.add_filter(actor_of(update), kind, phrase)
            key = "filter_added" if done else "filter_exists"
        else:
            done = await screener.remove_filter(actor_of(update), kind, phrase)
            key = "filter_removed" if done else "filter_missing"
    except UserFacingError as error:
        await reply(update, context, error.key)
        return
    await reply(update, context, key, phrase=phrase, kind=context.t(f"filter_kind_{kind}"))
