"""Bans, mutes and warnings: `/ban`, `/unban`, `/mute`, `/unmute`, `/warn`, `/warns`."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.moderation.durations import format_duration, take_duration
from bot.moderation.roles import Role
from bot.render.dates import moment_text
from bot.texts import Id
from handlers.common import answer, requires
from handlers.moderation.targets import actor_of, find_target, reply


@requires(Role.MODERATOR)
async def ban(update: Update, context: BotContext) -> None:
    """`/ban <user> [duration] [reason]`: permanent, or for 30m, 2h, 7d ..."""
    await _sanction(update, context, "ban")


@requires(Role.MODERATOR)
async def mute(update: Update, context: BotContext) -> None:
    """`/mute <user> <duration> [reason]`."""
    await _sanction(update, context, "mute")


@requires(Role.MODERATOR)
async def unban(update: Update, context: BotContext) -> None:
    await _lift(update, context, "unban")


@requires(Role.MODERATOR)
async def unmute(update: Update, context: BotContext) -> None:
    await _lift(update, context, "unmute")


async def _sanction(update: Update, context: BotContext, command: str) -> None:
    target, rest = await find_target(update, context)
    seconds, words = take_duration(rest)
    if target is None or (command == "mute" and seconds is None):
        await reply(update, context, f"{command}_usage")
        return
    reason = " ".join(words) or None
    sanctions, actor = context.services.sanctions, actor_of(update)
    if command == "ban":
        await sanctions.ban(actor, target, seconds, reason)
    else:
        assert seconds is not None  # a mute without a duration got the usage above
        await sanctions.mute(actor, target, seconds, reason)
    length = format_duration(seconds, context.lang) if seconds else context.t("forever")
    await reply(update, context, f"{command}_done", name=target.name, id=Id(target.user_id), length=length)


async def _lift(update: Update, context: BotContext, command: str) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, f"{command}_usage")
        return
    sanctions = context.services.sanctions
    lifted = await (sanctions.unban if command == "unban" else sanctions.unmute)(actor_of(update), target)
    key = f"{command}_done" if lifted else f"{command}_none"
    await reply(update, context, key, name=target.name, id=Id(target.user_id))


@requires(Role.MODERATOR)
async def warn(update: Update, context: BotContext) -> None:
    """`/warn <user> [reason]`: at the warn limit the configured mute or ban follows."""
    target, rest = await find_target(update, context)
    if target is None:
        await reply(update, context, "warn_usage")
        return
    count, action = await context.services.sanctions.warn(actor_of(update), target, " ".join(rest) or None)
    limit = context.services.settings.warn_limit
    await reply(update, context, "warn_done", name=target.name, count=count, limit=limit)
    if action is not None:
        await reply(update, context, f"warn_limit_{action}", name=target.name)


@requires(Role.MODERATOR)
async def warns(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, "warns_usage")
        return
    rows = await context.services.sanctions.active_warns(target.user_id)
    lines = [context.t("warns_header", name=target.name, count=len(rows))]
    tz = context.services.settings.tz
    no_reason = context.t("warns_no_reason")
    lines += [context.t("warns_line", date=moment_text(row.created_at, tz, context.lang),
                        reason=row.reason or no_reason) for row in rows]  # fmt: skip
    await answer(update, "\n".join(lines))
