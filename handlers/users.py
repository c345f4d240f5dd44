"""Before any feature runs: record who wrote and pick the language to answer in."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, TypeHandler

from bot.commands import publish_admin_menu
from bot.context import BotContext
from bot.users import Profile

GROUP = -1


async def record_user(update: Update, context: BotContext) -> None:
    """Remember the sender and set the reply language for this update."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    profile = Profile(user.id, user.first_name, user.last_name, user.username, user.language_code)
    users = context.services.users
    private = update.effective_chat is not None and update.effective_chat.type == "private"
    context.lang = await users.seen(profile, private_chat=private)
    if private and user.id not in users.reachable:
        # Someone who blocked the bot and now writes again has unblocked it: alerts and digests resume.
        await context.services.sender.reachable_again(user.id)
        users.reachable.add(user.id)
    if update.effective_chat and update.effective_chat.type == "private" and users.needs_admin_menu(user.id):
        users.admin_menu_published.add(user.id)
        await publish_admin_menu(context.bot, user.id)


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, record_user), group=GROUP)
