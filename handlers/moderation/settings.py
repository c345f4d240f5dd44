"""The discussion's policy: `/premod`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.roles import Role
from handlers.common import requires
from handlers.moderation.targets import actor_of, reply


@requires(Role.ADMIN)
async def premod(update: Update, context: BotContext) -> None:
    """`/premod off|all|new`."""
    screener = context.services.screener
    mode = (context.args or [""])[0].lower()
    if mode not in ("off", "all", "new"):
        await reply(update, context, "premod_usage", mode=context.t(f"premod_{screener.premod}"),
                     n=context.services.settings.premod_min_approved)  # fmt: skip
        return
    await screener.set_premod(actor_of(update), mode)
    await reply(update, context, "premod_done", mode=context.t(f"premod_{mode}"))
