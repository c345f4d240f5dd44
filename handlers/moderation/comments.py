"""Acting on one comment or story: `/del`, `/hide`, `/lock`, `/unlock`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.render.ids import comment_ref
from handlers.common import requires
from handlers.moderation.targets import actor_of, find_article, find_comment, reply


@requires(Role.MODERATOR)
async def delete_comment(update: Update, context: BotContext) -> None:
    """`/del <comment>`, or reply `/del` to the message in the group."""
    await _act_on_comment(update, context, "del", context.services.queue.remove)


@requires(Role.MODERATOR)
async def hide_comment(update: Update, context: BotContext) -> None:
    """`/hide <comment>`, or reply `/hide` in the group: off the pages and into the review queue."""
    await _act_on_comment(update, context, "hide", context.services.queue.hide)


async def _act_on_comment(
    update: Update, context: BotContext, command: str, action: Callable[[int, int, str | None], Awaitable[object]]
) -> None:
    comment = await find_comment(update, context)
    if comment is None:
        await reply(update, context, f"{command}_usage")
        return
    replied = update.effective_message is not None and update.effective_message.reply_to_message is not None
    reason = " ".join((context.args or [])[0 if replied else 1 :]) or None
    await action(actor_of(update), comment.id, reason)
    stays = context.services.queue.stays_in_group(comment)
    await reply(update, context, f"{command}_done_stays" if stays else f"{command}_done",
                id=comment_ref(comment.id, context.lang))  # fmt: skip


@requires(Role.MODERATOR)
async def lock(update: Update, context: BotContext) -> None:
    await _set_lock(update, context, True)


@requires(Role.MODERATOR)
async def unlock(update: Update, context: BotContext) -> None:
    await _set_lock(update, context, False)


async def _set_lock(update: Update, context: BotContext, locked: bool) -> None:
    article = await find_article(update, context)
    if article is None:
        await reply(update, context, "lock_usage")
        return
    await context.services.screener.set_locked(actor_of(update), article, locked)
    await reply(update, context, "lock_done" if locked else "unlock_done", title=article.title)
