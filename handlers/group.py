"""The channel's linked discussion group: every message in a post's thread is a comment of its article."""

from __future__ import annotations

import contextlib
import logging

from telegram import Message, MessageOriginChannel, Update
from telegram.ext import Application, MessageHandler, filters

from bot.context import BotContext
from bot.discussion.media import Media
from bot.discussion.service import Author
from bot.moderation.queue import SHOWN_BEFORE
from bot.moderation.roles import SERVICE_ACCOUNT_ID, Target
from bot.moderation.sanctions import FLOOD_MUTE
from bot.rows import CommentRow, CommentStatus
from bot.user_errors import DiscussionError, ModerationError

log = logging.getLogger(__name__)
# Refusals that mean the message must go from the group (the others: empty or too long, just not stored).
REMOVED_FROM_GROUP = ("you_are_banned_forever", "you_are_banned_until", "you_are_muted", "comment_filtered",
                      "discussion_locked")  # fmt: skip


def author_of(message: Message) -> Author | None:
    """Who wrote a group message. Anonymous admins and users posting as a channel write through the
    special accounts above, with `sender_chat` naming the group or channel they speak for."""
    if message.sender_chat is not None:
        return Author(message.sender_chat.id, message.sender_chat.title or message.sender_chat.username or "?")
    user = message.from_user
    if user is None or user.is_bot or user.id == SERVICE_ACCOUNT_ID:
        return None
    return Author(user.id, user.first_name)


async def group_message(update: Update, context: BotContext) -> None:
    """Map a channel post's automatic forward, or store a message of its thread as a comment."""
    message = update.effective_message
    assert message is not None
    services = context.services
    if message.chat.id != services.settings.discussion_group_id:
        return
    discussion = services.discussion
    origin = message.forward_origin
    if message.is_automatic_forward and isinstance(origin, MessageOriginChannel):
        await discussion.map_channel_copy(message.chat.id, message.message_id, origin.chat.id, origin.message_id)
        return
    author = author_of(message)
    if author is None:
        return
    replied = message.reply_to_message.message_id if message.reply_to_message else None
    article_id, parent_id = await discussion.place_in_thread(message.chat.id, replied, message.message_thread_id)
    if article_id is None:
        return
    sender_chat = message.sender_chat.id if message.sender_chat else None
    media = None if message.text else media_of(message)
    if message.text is None and media is None:
        return  # a service message (a member joined, a pinned message...)
    stored = await discussion.comment_at(message.chat.id, message.message_id)
    if stored is not None:
        await _handled_again(message, context, stored)
        return
    album = message.media_group_id if media is not None else None
    if album is not None and media is not None:
        joins = await discussion.join_album(message.chat.id, album, message.message_id, media)
        if joins is not None:
            if joins != CommentStatus.PUBLISHED:
                await _delete(message, context)  # the album waits for review (or was refused) as one comment
            return
    if sender_chat is None and await services.sanctions.group_flood(author.user_id, int(message.date.timestamp())):
        await _refused(message, context, author, DiscussionError("you_are_muted", minutes=FLOOD_MUTE // 60))
        return
    try:
        comment = await discussion.add(
            article_id,
            parent_id,
            author,
            message.text or "",
            origin="group",
            tg_chat_id=message.chat.id,
            tg_message_id=message.message_id,
            check_flood=False,  # group floods are muted above, by the time Telegram sent each message
            sender_chat_id=sender_chat,
            media=media,
            album_id=album,
        )
    except DiscussionError as error:
        if album is not None and error.key in REMOVED_FROM_GROUP:
            await discussion.refuse_album(message.chat.id, album)
        await _refused(message, context, author, error)
        return
    if comment is not None and comment.status == CommentStatus.PENDING:
        await _delete(message, context)  # held: shown again (posted by the bot) once a moderator approves it
        await services.queue.tell_held_in_group(comment)


# Message contents that are a comment without text, in the order Telegram's clients show them (a photo with a
# caption is a photo).
MEDIA_FIELDS = ("photo", "video", "animation", "sticker", "poll", "voice", "audio", "video_note", "document",
                "venue", "location", "contact", "dice")  # fmt: skip


def media_of(message: Message) -> Media | None:
    """A thread message without text as a comment: its kind, what it says, and the photo's file to post again."""
    kind = next((name for name in MEDIA_FIELDS if getattr(message, name, None)), None)
    if kind is None:
        return None
    words = message.caption or ""
    if message.poll is not None:
        words = "\n".join([message.poll.question, *(f"• {option.text}" for option in message.poll.options)])
    elif message.sticker is not None:
        words = message.sticker.emoji or ""
    file_id = message.photo[-1].file_id if message.photo else None
    return Media(kind, words, file_id)


async def _refused(message: Message, context: BotContext, author: Author, error: DiscussionError) -> None:
    """A group message the rules refuse leaves the group; empty or too long ones just are not stored (the
    group is not the place to answer)."""
    if error.key not in REMOVED_FROM_GROUP:
        return
    services = context.services
    await _delete(message, context)
    words = message.text or message.caption or ""
    await services.queue.tell_removed_from_group(author.user_id, message.chat.id, message.message_id, words, error)
    if error.key.startswith("you_are_banned"):
        # Banned in the bot but still posting: carry the ban into the group (an admin stays).
        with contextlib.suppress(ModerationError):
            await services.sanctions.ban(0, Target(author.user_id, author.name), None, "banned_in_bot")
    elif error.key == "comment_filtered":
        await services.audit.record(0, "filtered", "user", author.user_id, str(error.params.get("phrase", "")))


async def _handled_again(message: Message, context: BotContext, comment: CommentRow) -> None:
    """A message stored before, delivered again because a restart or a crash cut its handling short: what
    its verdict sets off is done again (the delete and the held notice are asked for once more, the notice
    keyed by the comment)."""
    held_as_it_came = comment.status == CommentStatus.PENDING and comment.hold_reason not in SHOWN_BEFORE
    if held_as_it_came or comment.status == CommentStatus.REJECTED:
        await _delete(message, context)
    if held_as_it_came and comment.tg_message_id == message.message_id:
        await context.services.queue.tell_held_in_group(comment)


async def _delete(message: Message, context: BotContext) -> None:
    await context.services.group_deletes.delete(message.chat.id, message.message_id, message.date.timestamp())


async def group_edit(update: Update, context: BotContext) -> None:
    """An edited group message: its comment follows."""
    message = update.edited_message
    if message is None or message.chat.id != context.services.settings.discussion_group_id:
        return
    text = message.text if message.text is not None else message.caption
    if text is None and media_of(message) is None:
        return
    await context.services.discussion.edit_from_group(message.chat.id, message.message_id, text or "")


def register(app: Application) -> None:
    groups = filters.ChatType.GROUPS
    app.add_handler(MessageHandler(groups & filters.UpdateType.MESSAGE & ~filters.COMMAND, group_message))
    app.add_handler(MessageHandler(groups & filters.UpdateType.EDITED_MESSAGE, group_edit))
