"""The word filter: `/filter add|rm|list|test`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.service import Role
from handlers.common import requires
from handlers.moderation.targets import (
    actor_of,
    reply,
)

FILTER_KINDS = {"banned": "banned", "ممنوع": "banned", "suspect": "suspect", "مشکوک": "suspect"}


@requires(Role.ADMIN)
async def word_filter(update: Update, context: BotContext) -> None:
    """`/filter add|rm banned|suspect <word or phrase>`, `/filter list`, `/filter test <text>`."""
    moderation = context.services.moderation
    args = context.args or []
    verb = args[0].lower() if args else ""
    if verb in ("list", "فهرست"):
        rows = await moderation.repo.filters()
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
        hit = moderation.words.match(" ".join(args[1:]))
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
    if verb in ("add", "افزودن"):
        done = await moderation.add_filter(actor_of(update), kind, phrase)
        key = "filter_added" if done else "filter_exists"
    else:
        done = await moderation.remove_filter(actor_of(update), kind, phrase)
        key = "filter_removed" if done else "filter_missing"
    await reply(update, context, key, phrase=phrase, kind=context.t(f"filter_kind_{kind}"))
