"""/start and /help."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from handlers.common import channel_button
from handlers.discussion import open_article

HELP_PAYLOAD = "help"  # `/start help`, the link /help in the group gives: the help, in private


async def start(update: Update, context: BotContext) -> None:
    """Greet the reader (a deep-link payload the bot does not know gets a clear answer)."""
    assert update.effective_message and update.effective_user
    if context.args == [HELP_PAYLOAD]:
        await show_help(update, context)
        return
    if context.args:
        await open_article(update, context, context.args[0])
        return
    name = update.effective_user.first_name
    await update.effective_message.reply_text(context.t("start_welcome", name=name, button=channel_button(context)))


async def show_help(update: Update, context: BotContext) -> None:
    """List what the bot can do, with the admin commands for admins."""
    assert update.effective_message
    text: str = context.t("help", button=channel_button(context))
    if context.services.users.is_admin(update.effective_user.id if update.effective_user else None):
        text += context.t("help_admin")
    await update.effective_message.reply_text(text)


async def group_help(update: Update, context: BotContext) -> None:
    """/help in the discussion group: a link to the bot's private chat, where the help is. Once a minute at
    most (readers asking together get one answer), so that the group is not flooded."""
    message = update.effective_message
    services = context.services
    if message is None or message.chat.id != services.settings.discussion_group_id:
        return
    if not services.group_help_throttle.should_send()[0]:
        return
    link = services.publisher.start_link(HELP_PAYLOAD)
    await services.notifier.say(message.chat.id, "group_help", outbox_kind="group_notice", link=link,
                                dedupe=f"group_help:{message.chat.id}:{message.message_id}",
                                reply_to=message.message_id)  # fmt: skip


async def moderators_command_in_group(update: Update, context: BotContext) -> None:
    """A command whose answer only moderators may read (the word list, the queue, the log...) sent in the
    discussion group: not answered there. The sender is pointed to the private chat, privately where the bot
    may write to them, else with the group's /help answer; the command leaves the thread (it may hold a word
    being filtered)."""
    message = update.effective_message
    services = context.services
    if message is None or message.chat.id != services.settings.discussion_group_id:
        return
    await services.group_deletes.delete(message.chat.id, message.message_id, message.date.timestamp())
    command = (message.text or "").split()[0].split("@")[0]
    user = update.effective_user
    dedupe = f"group_command:{message.chat.id}:{message.message_id}"
    if user is None or not await services.notifier.tell(user.id, "group_command_private", command=command,
                                                        dedupe=dedupe):  # fmt: skip
        await group_help(update, context)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("start", start, filters=private))
    app.add_handler(CommandHandler("help", show_help, filters=private))
    app.add_handler(CommandHandler("help", group_help, filters=filters.ChatType.GROUPS & filters.UpdateType.MESSAGE))
