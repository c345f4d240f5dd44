"""The word filter: `/filter add|rm|list|test`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.texts import words
from handlers.common import answer, fit_messages, requires
from handlers.moderation.targets import actor_of, reply

KINDS = ("banned", "suspect")


@requires(Role.ADMIN)
async def word_filter(update: Update, context: BotContext) -> None:
    """`/filter add|rm banned|suspect <word or phrase>`, `/filter list`, `/filter test <text>`."""
    screener = context.services.screener
    args = context.args or []
    verb = args[0].lower() if args else ""
    if verb in words("filter_word_list"):
        rows = await screener.filters()
        if not rows:
            await reply(update, context, "filter_empty")
            return
        lines = [context.t("filter_header")]
        lines += [
            context.t("filter_line", kind=context.t(f"filter_kind_{row.kind}"), phrase=row.phrase) for row in rows
        ]
        for text in fit_messages(lines):  # an imported list of hundreds passes Telegram's 4,096 characters
            await answer(update, text)
        return
    if verb in words("filter_word_test") and len(args) > 1:
        hit = screener.words.match(" ".join(args[1:]))
        if hit is None:
            await reply(update, context, "filter_test_clean")
        else:
            await reply(update, context, f"filter_test_{hit.kind}", phrase=hit.phrase)
        return
    named = args[1].lower() if len(args) > 1 else ""
    kind = next((kind for kind in KINDS if named in words(f"filter_word_{kind}")), None)
    phrase = " ".join(args[2:])
    adding = verb in words("filter_word_add")
    if not (adding or verb in words("filter_word_remove")) or kind is None or not phrase:
        await reply(update, context, "filter_usage")
        return
    if adding:
        done = await screener.add_filter(actor_of(update), kind, phrase)
        key = "filter_added" if done else "filter_exists"
        if done and screener.words.is_ordinary(phrase):
            key = "filter_added_ordinary"  # found only as a whole word: the admin adds the other forms
    else:
        done = await screener.remove_filter(actor_of(update), kind, phrase)
        key = "filter_removed" if done else "filter_missing"
    await reply(update, context, key, phrase=phrase, kind=context.t(f"filter_kind_{kind}"))
