"""The audit log and statistics: `/modlog`, `/stats`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.audit import describe
from bot.moderation.roles import Role
from bot.render.dates import moment_text
from bot.texts import localize_number
from handlers.common import answer, fit_messages, int_argument, requires
from handlers.moderation.targets import reply, user_name

MODLOG_LINES = 15
DAY = 86400
MODLOG_MAX = 200  # lines one /modlog may ask for (a larger number gets the default)


@requires(Role.MODERATOR)
async def modlog(update: Update, context: BotContext) -> None:
    count = int_argument(context, 0, high=MODLOG_MAX) or MODLOG_LINES
    rows = await context.services.audit.recent(count)
    if not rows:
        await reply(update, context, "modlog_empty")
        return
    tz = context.services.settings.tz
    lines = [context.t("modlog_header")]
    for row in rows:
        actor = context.t("modlog_system") if row.actor_id == 0 else await user_name(context, row.actor_id)
        action = describe(context.lang, row.action, row.target_type, row.target_id, row.reason, row.duration)
        lines.append(context.t("modlog_entry", when=moment_text(row.created_at, tz, context.lang), actor=actor,
                               action=action))  # fmt: skip
    for text in fit_messages(lines):  # up to MODLOG_MAX entries: more than Telegram's 4,096 characters
        await answer(update, text)


@requires(Role.MODERATOR)
async def stats(update: Update, context: BotContext) -> None:
    services = context.services
    day, week = await services.audit.stats(DAY), await services.audit.stats(7 * DAY)
    numbers = {f"{period}_{key}": localize_number(value, context.lang)
               for period, values in (("day", day), ("week", week)) for key, value in values.items()}  # fmt: skip
    held = localize_number(await services.queue.held_count(), context.lang)
    await reply(update, context, "stats", queue=held, **numbers)
