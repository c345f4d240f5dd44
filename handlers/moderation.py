"""Moderation commands and the review queue's buttons, in private chat and in the discussion group.

Every command and button checks the sender's role on the server (handlers/common.require_role); a button's
callback data carries only a comment id.
"""

from __future__ import annotations

import time

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler, filters

from bot.commands import drop_admin_menu
from bot.context import BotContext
from bot.discussion.render import Button
from bot.discussion.service import DiscussionError
from bot.moderation.durations import format_duration, parse_duration
from bot.moderation.service import Role, Target
from bot.render.dates import moment_text
from bot.render.html import Safe, isolate
from bot.texts import localize_number
from handlers.common import button_data, edit_in_place, int_argument, keyboard, require_role
from handlers.inputs import expects
from storage.articles import ArticleRow
from storage.comments import CommentRow
from storage.pending import PendingInput

QUEUE_PREFIX = "m:"
REJECT_REASONS = ("insult", "spam", "off_topic", "false_info")
REASON_TTL = 15 * 60
MODLOG_LINES = 15


# ----- finding the target ----------------------------------------------------------------------------------
async def _target(update: Update, context: BotContext) -> tuple[Target | None, list[str]]:
    """The user a command acts on, and the remaining arguments: the author of the replied-to message, else
    the first argument (a numeric id, or an @username the bot has seen)."""
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
    users = context.services.users.users
    if first.startswith("@"):
        row = await users.by_username(first[1:])
        return (Target(row.id, row.first_name) if row else None), args[1:]
    value = int_argument(context, 0) if not first.startswith("-") else None
    if value is None and first.startswith("-") and first[1:].isdigit():
        value = int(first)
    if value is None:
        return None, args
    row = await users.get(value)
    return Target(value, row.first_name if row else str(value)), args[1:]


async def _comment_target(update: Update, context: BotContext) -> CommentRow | None:
    """The comment a command acts on: the replied-to group message, else the id in the first argument."""
    message = update.effective_message
    assert message is not None
    comments = context.services.discussion.comments
    if message.reply_to_message is not None:
        return await comments.by_message(message.chat.id, message.reply_to_message.message_id)
    comment_id = int_argument(context, 0)
    return await comments.get(comment_id) if comment_id is not None else None


async def _article_target(update: Update, context: BotContext) -> ArticleRow | None:
    """An article by its number, its public id or its deep link; in the group, the thread replied to."""
    message = update.effective_message
    assert message is not None
    services = context.services
    replied = message.reply_to_message
    if replied is not None:
        comment = await services.discussion.comments.by_message(message.chat.id, replied.message_id)
        if comment is not None:
            return await services.articles.get(comment.article_id)
        article_id = await services.discussion.comments.thread_article(message.chat.id, replied.message_id)
        return await services.articles.get(article_id) if article_id is not None else None
    if not context.args:
        return None
    number = int_argument(context, 0)
    if number is not None:
        return await services.articles.get(number)
    public_id = context.args[0].rsplit("start=", 1)[-1].removeprefix("a")
    return await services.articles.by_public_id(public_id) if public_id.isalnum() else None


async def _reply(update: Update, context: BotContext, key: str, **params: object) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t(key, **params))


def _actor(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def _run(update: Update, context: BotContext, action: object) -> bool:
    """Await a moderation action; a refusal (admin target, special account ...) is told, not raised."""
    try:
        await action  # type: ignore[misc]
    except DiscussionError as error:
        await _reply(update, context, error.key, **error.params)
        return False
    return True


# ----- sanctions -------------------------------------------------------------------------------------------
async def ban(update: Update, context: BotContext) -> None:
    """`/ban <user> [duration] [reason]`: permanent, or for 30m, 2h, 7d ..."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, rest = await _target(update, context)
    if target is None:
        await _reply(update, context, "ban_usage")
        return
    seconds = parse_duration(rest[0]) if rest else None
    reason = " ".join(rest[1:] if seconds else rest) or None
    if await _run(update, context, context.services.moderation.ban(_actor(update), target, seconds, reason)):
        length = format_duration(seconds, context.lang) if seconds else context.t("forever")
        await _reply(update, context, "ban_done", name=isolate(target.name), id=str(target.user_id), length=length)


async def unban(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "unban_usage")
        return
    lifted = await context.services.moderation.unban(_actor(update), target)
    await _reply(
        update, context, "unban_done" if lifted else "unban_none", name=isolate(target.name), id=str(target.user_id)
    )


async def mute(update: Update, context: BotContext) -> None:
    """`/mute <user> <duration> [reason]`."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, rest = await _target(update, context)
    seconds = parse_duration(rest[0]) if rest else None
    if target is None or seconds is None:
        await _reply(update, context, "mute_usage")
        return
    reason = " ".join(rest[1:]) or None
    if await _run(update, context, context.services.moderation.mute(_actor(update), target, seconds, reason)):
        length = format_duration(seconds, context.lang)
        await _reply(update, context, "mute_done", name=isolate(target.name), id=str(target.user_id), length=length)


async def unmute(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "unmute_usage")
        return
    lifted = await context.services.moderation.unmute(_actor(update), target)
    await _reply(
        update, context, "unmute_done" if lifted else "unmute_none", name=isolate(target.name), id=str(target.user_id)
    )


async def warn(update: Update, context: BotContext) -> None:
    """`/warn <user> [reason]`: at the warn limit the configured mute or ban follows."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, rest = await _target(update, context)
    if target is None:
        await _reply(update, context, "warn_usage")
        return
    moderation = context.services.moderation
    try:
        count, action = await moderation.warn(_actor(update), target, " ".join(rest) or None)
    except DiscussionError as error:
        await _reply(update, context, error.key, **error.params)
        return
    limit = moderation.settings.warn_limit
    await _reply(update, context, "warn_done", name=isolate(target.name), count=count, limit=limit)
    if action is not None:
        await _reply(update, context, f"warn_limit_{action}", name=isolate(target.name))


async def warns(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "warns_usage")
        return
    rows = await context.services.moderation.active_warns(target.user_id)
    lines = [context.t("warns_header", name=isolate(target.name), count=len(rows))]
    tz = context.services.settings.tz
    lines += [context.t("warns_line", date=moment_text(row.created_at, tz, context.lang), reason=row.reason or "-")
              for row in rows]  # fmt: skip
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]


# ----- comments and articles -------------------------------------------------------------------------------
async def delete_comment(update: Update, context: BotContext) -> None:
    """`/del <comment>`, or reply `/del` to the message in the group."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    comment = await _comment_target(update, context)
    if comment is None:
        await _reply(update, context, "del_usage")
        return
    reason = " ".join((context.args or [])[0 if update.effective_message.reply_to_message else 1 :]) or None  # type: ignore[union-attr]
    if await _run(update, context, context.services.moderation.remove(_actor(update), comment.id, reason)):
        await _reply(update, context, "del_done", id=str(comment.id))


async def lock(update: Update, context: BotContext) -> None:
    await _set_lock(update, context, True)


async def unlock(update: Update, context: BotContext) -> None:
    await _set_lock(update, context, False)


async def _set_lock(update: Update, context: BotContext, locked: bool) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    article = await _article_target(update, context)
    if article is None:
        await _reply(update, context, "lock_usage")
        return
    await context.services.moderation.set_locked(_actor(update), article, locked)
    await _reply(update, context, "lock_done" if locked else "unlock_done", title=article.title)


# ----- policy ------------------------------------------------------------------------------------------------
async def premod(update: Update, context: BotContext) -> None:
    """`/premod off|all|new`."""
    if not await require_role(update, context, Role.ADMIN):
        return
    moderation = context.services.moderation
    mode = (context.args or [""])[0].lower()
    if mode not in ("off", "all", "new"):
        await _reply(update, context, "premod_usage", mode=context.t(f"premod_{moderation.premod}"),
                     n=moderation.settings.premod_min_approved)  # fmt: skip
        return
    await moderation.set_premod(_actor(update), mode)
    await _reply(update, context, "premod_done", mode=context.t(f"premod_{mode}"))


FILTER_KINDS = {"banned": "banned", "ممنوع": "banned", "suspect": "suspect", "مشکوک": "suspect"}


async def word_filter(update: Update, context: BotContext) -> None:
    """`/filter add|rm banned|suspect <word or phrase>`, `/filter list`, `/filter test <text>`."""
    if not await require_role(update, context, Role.ADMIN):
        return
    moderation = context.services.moderation
    args = context.args or []
    verb = args[0].lower() if args else ""
    if verb in ("list", "فهرست"):
        rows = await moderation.repo.filters()
        if not rows:
            await _reply(update, context, "filter_empty")
            return
        lines = [context.t("filter_header")]
        lines += [
            context.t("filter_line", kind=context.t(f"filter_kind_{row.kind}"), phrase=row.phrase) for row in rows
        ]
        await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]
        return
    if verb in ("test", "آزمون") and len(args) > 1:
        hit = moderation.words.match(" ".join(args[1:]))
        if hit is None:
            await _reply(update, context, "filter_test_clean")
        else:
            await _reply(update, context, f"filter_test_{hit.kind}", phrase=hit.phrase)
        return
    kind = FILTER_KINDS.get(args[1].lower()) if len(args) > 1 else None
    phrase = " ".join(args[2:])
    if verb not in ("add", "rm", "افزودن", "حذف") or kind is None or not phrase:
        await _reply(update, context, "filter_usage")
        return
    try:
        if verb in ("add", "افزودن"):
            done = await moderation.add_filter(_actor(update), kind, phrase)
            key = "filter_added" if done else "filter_exists"
        else:
            done = await moderation.remove_filter(_actor(update), kind, phrase)
            key = "filter_removed" if done else "filter_missing"
    except DiscussionError as error:
        await _reply(update, context, error.key)
        return
    await _reply(update, context, key, phrase=phrase, kind=context.t(f"filter_kind_{kind}"))


# ----- roles -------------------------------------------------------------------------------------------------
async def add_admin(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.OWNER):
        return
    target, _ = await _target(update, context)
    if target is None or target.is_chat:
        await _reply(update, context, "addadmin_usage")
        return
    added = await context.services.moderation.add_admin(_actor(update), target.user_id)
    await _reply(update, context, "addadmin_done" if added else "addadmin_already", name=isolate(target.name))


async def remove_admin(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.OWNER):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "rmadmin_usage")
        return
    removed = await context.services.moderation.remove_admin(_actor(update), target.user_id)
    if removed:
        await drop_admin_menu(context.bot, target.user_id)
    await _reply(update, context, "rmadmin_done" if removed else "rmadmin_none", name=isolate(target.name))


async def list_admins(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.ADMIN):
        return
    services = context.services
    lines = [context.t("admins_header")]
    for user_id in sorted(services.users.owner_ids):
        lines.append(context.t("admins_line_owner", name=await _name(context, user_id), id=str(user_id)))
    for user_id in sorted(services.users.admin_ids):
        lines.append(context.t("admins_line", name=await _name(context, user_id), id=str(user_id)))
    group_admins = await services.moderation.group_admins()
    if group_admins:
        lines.append(context.t("admins_group", count=len(group_admins)))
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]


async def admin_cache(update: Update, context: BotContext) -> None:
    """Read the discussion group's admins from Telegram again."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    if context.services.settings.discussion_group_id is None:
        await _reply(update, context, "admincache_no_group")
        return
    admins = await context.services.moderation.group_admins(refresh=True)
    await _reply(update, context, "admincache_done", count=len(admins))


async def group_member_changed(update: Update, context: BotContext) -> None:
    """Someone's rights in the discussion group changed: the admin list is read again when next needed."""
    member = update.chat_member
    if member is not None and member.chat.id == context.services.settings.discussion_group_id:
        context.services.moderation.forget_group_admins()


async def _name(context: BotContext, user_id: int) -> Safe:
    """A user's first name (or id), isolated: a Latin or mixed name keeps the Persian line around it in order."""
    row = await context.services.users.users.get(user_id)
    return isolate(row.first_name if row else str(user_id))


# ----- audit log and statistics ------------------------------------------------------------------------------
async def modlog(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    rows = await context.services.moderation.repo.recent_audit(int_argument(context, 0) or MODLOG_LINES)
    if not rows:
        await _reply(update, context, "modlog_empty")
        return
    tz = context.services.settings.tz
    lines = [context.t("modlog_header")]
    for row in rows:
        actor = context.t("modlog_system") if row.actor_id == 0 else await _name(context, row.actor_id)
        lines.append(context.t("modlog_entry", when=moment_text(row.created_at, tz, context.lang),
                               actor=actor, action=row.action, target=f"{row.target_type or ''} {row.target_id or ''}",
                               reason=row.reason or "-"))  # fmt: skip
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]


async def stats(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    repo = context.services.moderation.repo
    now = int(time.time())
    day, week = await repo.stats(now - 86400), await repo.stats(now - 7 * 86400)
    numbers = {f"{period}_{key}": localize_number(value, context.lang)
               for period, values in (("day", day), ("week", week)) for key, value in values.items()}  # fmt: skip
    await _reply(update, context, "stats", queue=localize_number(await repo.held_count(), context.lang), **numbers)


# ----- the review queue ----------------------------------------------------------------------------------------
async def queue(update: Update, context: BotContext) -> None:
    """Held and reported comments, one at a time, with approve / reject / ban buttons."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    text, markup = await _queue_view(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)  # type: ignore[union-attr]


async def _queue_view(context: BotContext, after_id: int) -> tuple[str, object]:
    moderation = context.services.moderation
    comment = await moderation.repo.next_held(after_id)
    if comment is None and after_id:
        comment = await moderation.repo.next_held(0)  # wrap around to what was skipped
    if comment is None:
        return str(context.t("queue_empty")), None
    article = await context.services.articles.get(comment.article_id)
    reports = await moderation.repo.reporters_since_review(comment)
    text = context.t(
        "queue_item",
        total=localize_number(await moderation.repo.held_count(), context.lang),
        id=str(comment.id),
        name=isolate(comment.author_name),
        author=str(comment.author_id),
        anonymous=context.t("queue_anonymous") if comment.anonymous else "",
        title=article.title if article else "-",
        reason=context.t(f"hold_{comment.hold_reason or 'premod'}" if comment.status == "pending" else "hold_reported"),
        reports=localize_number(reports, context.lang),
        text=comment.text,
    )
    c = comment.id
    markup = keyboard([
        [Button(context.t("queue_approve"), f"m:a:{c}"), Button(context.t("queue_reject"), f"m:r:{c}")],
        [Button(context.t("queue_ban"), f"m:b:{c}"), Button(context.t("queue_skip"), f"m:n:{c}")],
    ])  # fmt: skip
    return str(text), markup


def _reasons_keyboard(context: BotContext, comment_id: int) -> object:
    rows = [[Button(context.t(f"reject_{code}"), f"m:R{i}:{comment_id}")] for i, code in enumerate(REJECT_REASONS)]
    rows.append(
        [Button(context.t("reject_custom"), f"m:Rx:{comment_id}"), Button(context.t("queue_back"), f"m:q:{comment_id}")]
    )
    return keyboard(rows)


async def queue_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None and isinstance(query.message, Message)
    if not await require_role(update, context, Role.MODERATOR):
        return
    parsed = button_data(query.data)
    if parsed is None:
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    action, comment_id = parsed
    moderation = context.services.moderation
    actor = query.from_user.id
    try:
        if action == "a":
            await moderation.approve(actor, comment_id)
            await query.answer(context.t("queue_approved"))
        elif action == "r":
            await query.answer()
            await query.message.edit_reply_markup(_reasons_keyboard(context, comment_id))  # type: ignore[arg-type]
            return
        elif action.startswith("R") and action[1:].isdigit() and int(action[1:]) < len(REJECT_REASONS):
            reason = str(context.t(f"reject_{REJECT_REASONS[int(action[1:])]}"))
            await moderation.reject(actor, comment_id, reason)
            await query.answer(context.t("queue_rejected"))
        elif action == "Rx":
            data = {"comment": comment_id, "chat": query.message.chat.id, "message": query.message.message_id}
            await context.services.pending.set(actor, "reject_reason", data, int(time.time()) + REASON_TTL)
            await query.answer()
            await query.message.reply_text(context.t("reject_reason_prompt"))
            return
        elif action == "b":
            comment = await moderation.comments.get(comment_id)
            if comment is None:
                raise DiscussionError("queue_item_gone")
            await moderation.ban(actor, Target(comment.author_id, comment.author_name), None, "queue")
            if comment.status == "pending":
                await moderation.reject(actor, comment_id, str(context.t("reject_banned")))
            await query.answer(context.t("queue_banned"))
        elif action == "q":
            await query.answer()
            comment_id -= 1  # show this item again
        elif action == "n":
            await query.answer()
        else:
            await query.answer(context.t("button_expired"), show_alert=True)
            return
    except DiscussionError as error:
        await query.answer(context.t(error.key, **error.params), show_alert=True)
    text, markup = await _queue_view(context, comment_id)
    await edit_in_place(query.message, text, markup)  # type: ignore[arg-type]


@expects("reject_reason")
async def receive_reject_reason(update: Update, context: BotContext, pending: PendingInput) -> None:
    """A moderator's own words for rejecting a comment; the author is told them."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await context.services.pending.clear(user.id)
    if not await require_role(update, context, Role.MODERATOR):
        return
    if not message.text or not message.text.strip():
        await message.reply_text(context.t("reject_reason_text_only"))
        return
    comment_id = int(pending.data["comment"])
    if await _run(update, context, context.services.moderation.reject(user.id, comment_id, message.text.strip()[:300])):
        await message.reply_text(context.t("queue_rejected"))
        text, markup = await _queue_view(context, comment_id)
        await message.reply_text(text, reply_markup=markup)  # type: ignore[arg-type]


MODERATION_COMMANDS = {
    "ban": ban, "unban": unban, "mute": mute, "unmute": unmute, "warn": warn, "warns": warns,
    "del": delete_comment, "lock": lock, "unlock": unlock, "premod": premod, "filter": word_filter,
    "queue": queue, "modlog": modlog, "stats": stats, "addadmin": add_admin, "rmadmin": remove_admin,
    "admins": list_admins, "admincache": admin_cache,
}  # fmt: skip


def register(app: Application) -> None:
    # New messages only: by default python-telegram-bot also runs a command again when its message is edited.
    for name, callback in MODERATION_COMMANDS.items():
        app.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CallbackQueryHandler(queue_button, pattern=rf"^{QUEUE_PREFIX}"))
    app.add_handler(ChatMemberHandler(group_member_changed, ChatMemberHandler.CHAT_MEMBER))
