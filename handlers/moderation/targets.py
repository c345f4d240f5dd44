"""Finding who or what a moderation command acts on, and the small replies every part shares."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.moderation.roles import Target
from bot.render.ids import MAX_ID, parse_int, parse_ref
from bot.rows import ArticleRow, CommentRow
from handlers.common import int_argument


async def find_target(update: Update, context: BotContext) -> tuple[Target | None, list[str]]:
    """The user a command acts on, and the remaining arguments: the author of the replied-to message, else
    the first argument (a numeric id, an @username the bot has seen, or #comment for that comment's author)."""
    message = update.effective_message
    args = list(context.args or [])
    assert message is not None
    replied = message.reply_to_message
    if replied is not None and not replied.is_automatic_forward:
        if replied.sender_chat is not None:
            return Target(replied.sender_chat.id, replied.sender_chat.title or str(replied.sender_chat.id)), args
        if replied.from_user is not None and not replied.from_user.is_bot:
            return Target(replied.from_user.id, replied.from_user.first_name), args
    if not args:
        return None, args
    first = args[0]
    users = context.services.users
    if first.startswith("@"):
        row = await users.by_username(first[1:])
        return (Target(row.id, row.first_name) if row else None), args[1:]
    if first.startswith("#"):
        comment_id = parse_ref(first)
        comment = await context.services.discussion.any_comment(comment_id) if comment_id else None
        return (Target(comment.author_id, comment.author_name) if comment else None), args[1:]
    value = parse_int(first, -MAX_ID)  # a person's id, or a channel's (negative) posting in the group
    if value is None or value == 0:
        return None, args
    row = await users.profile(value)
    return Target(value, row.first_name if row else str(value)), args[1:]


async def find_comment(update: Update, context: BotContext) -> CommentRow | None:
    """The comment a command acts on: the replied-to group message, else the id in the first argument, as
    moderators see it (`#۱۲۳`, `123`)."""
    message = update.effective_message
    assert message is not None
    discussion = context.services.discussion
    if message.reply_to_message is not None:
        return await discussion.comment_at(message.chat.id, message.reply_to_message.message_id)
    comment_id = parse_ref(context.args[0]) if context.args else None
    return await discussion.any_comment(comment_id) if comment_id is not None else None


def comment_refs(args: list[str]) -> tuple[list[int], list[str]]:
    """The comment ids at the start of a command's arguments (`/approve 12 #۱۳ 14`), and the words after."""
    ids: list[int] = []
    for index, arg in enumerate(args):
        comment_id = parse_ref(arg)
        if comment_id is None:
            return ids, args[index:]
        ids.append(comment_id)
    return ids, []


async def find_article(update: Update, context: BotContext) -> ArticleRow | None:
    """An article by its number, its public id or its deep link; in the group, the thread replied to."""
    message = update.effective_message
    assert message is not None
    discussion = context.services.discussion
    if message.reply_to_message is not None:
        return await discussion.story_of_message(message.chat.id, message.reply_to_message.message_id)
    if not context.args:
        return None
    number = int_argument(context, 0)
    if number is not None:
        return await discussion.story(number)
    public_id = context.args[0].rsplit("start=", 1)[-1].removeprefix("a")
    return await discussion.story_by_public_id(public_id) if public_id.isalnum() else None


async def reply(update: Update, context: BotContext, key: str, **params: object) -> None:
    """Answer a moderation command. One sent in a group is answered to its sender privately where the bot may
    write to them, and leaves the thread (readers need not read the reason, the ids, the usage); else it is
    answered in the thread, in the group's language."""
    message = update.effective_message
    assert message is not None
    if message.chat.type == "private":
        await message.reply_text(context.t(key, **params))
        return
    services, user = context.services, update.effective_user
    values: dict[str, Any] = params  # catalog parameters only (none is named like tell's and say's options)
    dedupe = f"moderation_reply:{message.chat.id}:{message.message_id}:{key}"
    if user is not None and await services.notifier.tell(user.id, key, dedupe=dedupe, **values):
        await services.group_deletes.delete(message.chat.id, message.message_id, message.date.timestamp())
        return
    await services.notifier.say(message.chat.id, key, outbox_kind="group_notice", dedupe=dedupe,
                                reply_to=message.message_id, **values)  # fmt: skip


def actor_of(update: Update) -> int:
    """Who acts: the user, or for an anonymous admin (a message sent as the chat itself) that chat."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return message.sender_chat.id
    assert update.effective_user is not None
    return update.effective_user.id


async def user_name(context: BotContext, user_id: int) -> str:
    """A user's first name (or id)."""
    row = await context.services.users.profile(user_id)
    return row.first_name if row else str(user_id)
