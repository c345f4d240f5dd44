"""Who may moderate: `/addadmin`, `/rmadmin`, `/admins`, `/admincache`, and the group's admin changes."""

from __future__ import annotations

from telegram import Update

from bot.commands import drop_admin_menu
from bot.context import BotContext
from bot.moderation.roles import Role
from bot.texts import Id
from handlers.common import answer, requires
from handlers.moderation.targets import actor_of, find_target, reply, user_name


@requires(Role.OWNER)
async def add_admin(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None or target.is_chat:
        await reply(update, context, "addadmin_usage")
        return
    added = await context.services.roles.add_admin(actor_of(update), target.user_id)
    await reply(update, context, "addadmin_done" if added else "addadmin_already", name=target.name)


@requires(Role.OWNER)
async def remove_admin(update: Update, context: BotContext) -> None:
    target, _ = await find_target(update, context)
    if target is None:
        await reply(update, context, "rmadmin_usage")
        return
    removed = await context.services.roles.remove_admin(actor_of(update), target.user_id)
    if removed:
        await drop_admin_menu(context.bot, target.user_id)
    await reply(update, context, "rmadmin_done" if removed else "rmadmin_none", name=target.name)


@requires(Role.ADMIN)
async def list_admins(update: Update, context: BotContext) -> None:
    services = context.services
    lines = [context.t("admins_header")]
    for user_id in sorted(services.users.owner_ids):
        lines.append(context.t("admins_line_owner", name=await user_name(context, user_id), id=Id(user_id)))
    for user_id in sorted(services.users.admin_ids):
        lines.append(context.t("admins_line", name=await user_name(context, user_id), id=Id(user_id)))
    group_admins = await services.roles.group_admins()
    if group_admins:
        lines.append(context.t("admins_group", count=len(group_admins)))
    await answer(update, "\n".join(lines))


@requires(Role.MODERATOR)
async def admin_cache(update: Update, context: BotContext) -> None:
    """Read the discussion group's admins from Telegram again."""
    if context.services.settings.discussion_group_id is None:
        await reply(update, context, "admincache_no_group")
        return
    admins = await context.services.roles.group_admins(refresh=True)
    await reply(update, context, "admincache_done", count=len(admins))


async def group_member_changed(update: Update, context: BotContext) -> None:
    """Someone's rights in the discussion group changed: the admin list is read again when next needed."""
    member = update.chat_member
    if member is not None and member.chat.id == context.services.settings.discussion_group_id:
        context.services.roles.forget_group_admins()
