"""Admin commands for digests: `/digest now`, `/digest preview`, `/digesttimes 08:00,20:00`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.subscriptions.digests import parse_times
from handlers.common import digest_schedule, requires


@requires(Role.ADMIN)
async def digest(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    service = context.services.digests
    choice = (context.args or [""])[0].lower()
    if choice == "preview":
        parts = await service.channel_preview()
        if not parts:
            await message.reply_text(context.t("digest_nothing"))
            return
        await message.reply_text(context.t("digest_preview_note"))
        for part in parts:
            await message.reply_text(part)
        return
    if choice == "now":
        state = await service.send_now()
        await message.reply_text(context.t("digest_sent" if state == "sent" else "digest_nothing"))
        return
    await message.reply_text(context.t("digest_usage", times=digest_schedule(context)))


@requires(Role.ADMIN)
async def digest_times(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    try:
        times = parse_times(" ".join(context.args or []))
    except ValueError:
        await message.reply_text(context.t("digesttimes_usage", times=digest_schedule(context)))
        return
    service = context.services.digests
    await service.set_times(times)
    if context.application.job_queue is not None:
        service.schedule(context.application.job_queue)
    assert update.effective_user is not None
    written = ",".join(m.strftime("%H:%M") for m in times)
    await context.services.audit.record(update.effective_user.id, "digest_times", "setting", written, None)
    await message.reply_text(context.t("digesttimes_done", times=digest_schedule(context)))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("digest", digest, filters=private))
    app.add_handler(CommandHandler("digesttimes", digest_times, filters=private))
