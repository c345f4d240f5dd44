"""`/id`: the numbers the settings ask for (OWNER_IDS, DISCUSSION_GROUP_ID, CHANNEL_ID), told where they are
found: in a private chat the user's id, in a group the group's; and when the bot is added to a group or a
channel, that chat's id."""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, Update
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler, CommandHandler, filters

from bot.context import BotContext

log = logging.getLogger(__name__)
PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def show_id(update: Update, context: BotContext) -> None:
    """Tell the user their own id in private, or the group's id in a group."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    if chat.type == Chat.PRIVATE:
        await message.reply_text(context.t("id_private", id=str(chat.id)))
    else:
        await message.reply_text(context.t("id_group", id=str(chat.id)))


async def bot_added(update: Update, context: BotContext) -> None:
    """The bot was added to a group (it says the group's id there) or a channel (it tells whoever added it,
    in private: a channel post would be seen by every subscriber)."""
    change = update.my_chat_member
    assert change is not None
    member = change.new_chat_member
    may_post = member.status == ChatMember.OWNER or (
        member.status == ChatMember.ADMINISTRATOR and getattr(member, "can_post_messages", None) is not False
    )
    if change.chat.type == Chat.CHANNEL and may_post:  # the posts that waited for it go out
        await context.services.publisher.channel_writable(change.chat.id, change.chat.username)
    was_in = change.old_chat_member.status in PRESENT
    is_in = change.new_chat_member.status in PRESENT
    if was_in or not is_in or context.services.publisher.is_news_channel(change.chat.id, change.chat.username):
        return  # nothing to tell: the news channel's id is in CHANNEL_ID already
    chat = change.chat
    try:
        if chat.type == Chat.CHANNEL:
            adder = await context.services.users.profile(change.from_user.id)
            if adder is None or not adder.private_chat:
                return  # Telegram refuses a message to someone who never wrote to the bot
            await context.bot.send_message(
                change.from_user.id, context.t("id_channel", title=chat.title or "", id=str(chat.id))
            )
        elif chat.type in (Chat.GROUP, Chat.SUPERGROUP):
            text: str = context.t("id_group", id=str(chat.id))
            if change.new_chat_member.status != ChatMember.ADMINISTRATOR:
                text += context.t("id_group_needs_admin")  # it could not take refused comments down, nor ban
            await context.bot.send_message(chat.id, text)
    except TelegramError as error:
        log.info("could not tell the id of chat %s after being added: %s", chat.id, error)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("id", show_id, filters=filters.UpdateType.MESSAGE))
    app.add_handler(ChatMemberHandler(bot_added, ChatMemberHandler.MY_CHAT_MEMBER))
