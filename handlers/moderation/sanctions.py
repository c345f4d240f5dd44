"""Bans, mutes and warnings: `/ban`, `/unban`, `/mute`, `/unmute`, `/warn`, `/warns`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.durations import format_duration, parse_duration
from bot.moderation.service import Role
from bot.render.dates import moment_text
from bot.render.html import isolate
from bot.texts import Id
from handlers.common import answer, requires
from handlers.moderation.targets import (
    actor_of,
    find_target,
    reply,
)


@requires(Role.MODERATOR)
async def ban(update: Update, context: BotContext) -> None:
    """`/ban <user> [duration] [reason]`: permanent, or for 30m, 2h, 7d ..."""
    target, rest = await find_target(update, context)
    if target is None:
        await reply(update, context, "ban_usage")
        return
    seconds = parse_duration(rest[0]) if rest else None
    reason = " ".join(rest[1:] if seconds else rest) or None
    await context.services.moderation.ban(actor_of(update), target, seconds, reason)
    length = format_duration(seconds, context.lang) if seconds else context.t("forever")
    await reply(update, context, "ban_done", name=isolate(target.name), id=Id(target.user_id), length=length)


@requires(Role.MODERATOR)
async def unban(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, "unban_usage")
        return
    lifted = await context.services.moderation.unban(actor_of(update), target)
    await reply(
        update, context, "unban_done" if lifted else "unban_none", name=isolate(target.name), id=Id(target.user_id)
    )


@requires(Role.MODERATOR)
async def mute(update: Update, context: BotContext) -> None:
    """`/mute <user> <duration> [reason]`."""
    target, rest = await find_target(update, context)
    seconds = parse_duration(rest[0]) if rest else None
    if target is None or seconds is None:
        await reply(update, context, "mute_usage")
        return
    reason = " ".join(rest[1:]) or None
    await context.services.moderation.mute(actor_of(update), target, seconds, reason)
    length = format_duration(seconds, context.lang)
    await reply(update, context, "mute_done", name=isolate(target.name), id=Id(target.user_id), length=length)


@requires(Role.MODERATOR)
async def unmute(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, "unmute_usage")
        return
    lifted = await context.services.moderation.unmute(actor_of(update), target)
    await reply(
        update, context, "unmute_done" if lifted else "unmute_none", name=isolate(target.name), id=Id(target.user_id)
    )


@requires(Role.MODERATOR)
async def warn(update: Update, context: BotContext) -> None:
    """`/warn <user> [reason]`: at the warn limit the configured mute or ban follows."""
    target, rest = await find_target(update, context)
    if target is None:
        await reply(update, context, "warn_usage")
        return
    moderation = context.services.moderation
    count, action = await moderation.warn(actor_of(update), target, " ".join(rest) or None)
    limit = moderation.settings.warn_limit
    await reply(update, context, "warn_done", name=isolate(target.name), count=count, limit=limit)
    if action is not None:
        await reply(update, context, f"warn_limit_{action}", name=isolate(target.name))


@requires(Role.MODERATOR)
async def warns(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, "warns_usage")
        return
    rows = await context.services.moderation.active_warns(target.user_id)
    lines = [context.t("warns_header", name=isolate(target.name), count=len(rows))]
    tz = context.services.settings.tz
    lines += [context.t("warns_line", date=moment_text(row.created_at, tz, context.lang), reason=row.reason or "-")
              for row in rows]  # fmt: skip
    await answer(update, "\n".join(lines))
