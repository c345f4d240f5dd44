"""Moderation commands and the review queue's buttons, in private chat and in the discussion group.

Every command and button checks the sender's role on the server (handlers/common.require_role); a button's
callback data carries only a comment id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, ChatMemberHandler, CommandHandler, filters

from bot.commands import drop_admin_menu
from bot.context import BotContext
from bot.discussion.render import Button
from bot.discussion.service import DiscussionError
from bot.moderation.auditlog import describe
from bot.moderation.durations import format_duration, parse_duration
from bot.moderation.service import Outcome, QueueItem, Role, Target, snippet
from bot.render.dates import moment_text
from bot.render.html import Safe, isolate
from bot.render.ids import MAX_ID, comment_ref, parse_int, parse_ref
from bot.render.post import TEXT_LIMIT, visible_length, visible_text
from bot.texts import Id, localize_number
from handlers.common import edit_in_place, int_argument, keyboard, require_role
from handlers.inputs import expects
from storage.articles import ArticleRow
from storage.comments import CommentRow
from storage.pending import PendingInput

QUEUE_PREFIX = "m:"
QUEUE_PAGE = 5  # items per queue message, fewer when long ones fill it
ENTRY_CHARS = 700  # of a held comment's text shown in the queue
PARENT_CHARS = 150  # of the comment it answers
CALLBACK_LIMIT = 64  # bytes of callback data Telegram accepts
REJECT_REASONS = ("insult", "spam", "off_topic", "false_info")
REASON_TTL = 15 * 60
MODLOG_LINES = 15
MODLOG_MAX = 200  # lines one /modlog may ask for (a larger number gets the default)


# ----- finding the target ----------------------------------------------------------------------------------
async def _target(update: Update, context: BotContext) -> tuple[Target | None, list[str]]:
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
    users = context.services.users.users
    if first.startswith("@"):
        row = await users.by_username(first[1:])
        return (Target(row.id, row.first_name) if row else None), args[1:]
    if first.startswith("#"):
        comment_id = parse_ref(first)
        comment = await context.services.discussion.comments.get(comment_id) if comment_id else None
        return (Target(comment.author_id, comment.author_name) if comment else None), args[1:]
    value = parse_int(first, -MAX_ID)  # a person's id, or a channel's (negative) posting in the group
    if value is None or value == 0:
        return None, args
    row = await users.get(value)
    return Target(value, row.first_name if row else str(value)), args[1:]


async def _comment_target(update: Update, context: BotContext) -> CommentRow | None:
    """The comment a command acts on: the replied-to group message, else the id in the first argument, as
    moderators see it (`#۱۲۳`, `123`)."""
    message = update.effective_message
    assert message is not None
    comments = context.services.discussion.comments
    if message.reply_to_message is not None:
        return await comments.by_message(message.chat.id, message.reply_to_message.message_id)
    comment_id = parse_ref(context.args[0]) if context.args else None
    return await comments.get(comment_id) if comment_id is not None else None


def _refs(args: list[str]) -> tuple[list[int], list[str]]:
    """The comment ids at the start of a command's arguments (`/approve 12 #۱۳ 14`), and the words after."""
    ids: list[int] = []
    for index, arg in enumerate(args):
        comment_id = parse_ref(arg)
        if comment_id is None:
            return ids, args[index:]
        ids.append(comment_id)
    return ids, []


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
    """Who acts: the user, or for an anonymous admin (a message sent as the chat itself) that chat."""
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return message.sender_chat.id
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
        await _reply(update, context, "ban_done", name=isolate(target.name), id=Id(target.user_id), length=length)


async def unban(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "unban_usage")
        return
    lifted = await context.services.moderation.unban(_actor(update), target)
    await _reply(
        update, context, "unban_done" if lifted else "unban_none", name=isolate(target.name), id=Id(target.user_id)
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
        await _reply(update, context, "mute_done", name=isolate(target.name), id=Id(target.user_id), length=length)


async def unmute(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    target, _ = await _target(update, context)
    if target is None:
        await _reply(update, context, "unmute_usage")
        return
    lifted = await context.services.moderation.unmute(_actor(update), target)
    await _reply(
        update, context, "unmute_done" if lifted else "unmute_none", name=isolate(target.name), id=Id(target.user_id)
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
    await _act_on_comment(update, context, "del", context.services.moderation.remove)


async def hide_comment(update: Update, context: BotContext) -> None:
    """`/hide <comment>`, or reply `/hide` in the group: off the pages and into the review queue."""
    await _act_on_comment(update, context, "hide", context.services.moderation.hide)


async def _act_on_comment(
    update: Update, context: BotContext, command: str, action: Callable[[int, int, str | None], Awaitable[object]]
) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    comment = await _comment_target(update, context)
    if comment is None:
        await _reply(update, context, f"{command}_usage")
        return
    reason = " ".join((context.args or [])[0 if update.effective_message.reply_to_message else 1 :]) or None  # type: ignore[union-attr]
    if await _run(update, context, action(_actor(update), comment.id, reason)):
        await _reply(update, context, f"{command}_done", id=comment_ref(comment.id, context.lang))


async def approve(update: Update, context: BotContext) -> None:
    """`/approve 12 13 14`: publish these held comments (or keep these reported ones)."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    ids, rest = _refs(list(context.args or []))
    if not ids or rest:
        await _reply(update, context, "approve_usage")
        return
    try:
        outcome = await context.services.moderation.approve_many(_actor(update), ids)
    except DiscussionError as error:
        await _reply(update, context, error.key, **error.params)
        return
    await update.effective_message.reply_text(_outcome_text(context, "queue_approved_many", outcome))  # type: ignore[union-attr]


async def reject(update: Update, context: BotContext) -> None:
    """`/reject 12 13 [reason]`: these held or reported comments are not shown; their authors hear why."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    ids, rest = _refs(list(context.args or []))
    if not ids:
        await _reply(update, context, "reject_usage")
        return
    reason = " ".join(rest)[:300] or str(context.t("reject_default"))
    try:
        outcome = await context.services.moderation.reject_many(_actor(update), ids, reason)
    except DiscussionError as error:
        await _reply(update, context, error.key, **error.params)
        return
    await update.effective_message.reply_text(_outcome_text(context, "queue_rejected_many", outcome))  # type: ignore[union-attr]


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
        lines.append(context.t("admins_line_owner", name=await _name(context, user_id), id=Id(user_id)))
    for user_id in sorted(services.users.admin_ids):
        lines.append(context.t("admins_line", name=await _name(context, user_id), id=Id(user_id)))
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
    lines = int_argument(context, 0, high=MODLOG_MAX) or MODLOG_LINES
    rows = await context.services.moderation.repo.recent_audit(lines)
    if not rows:
        await _reply(update, context, "modlog_empty")
        return
    tz = context.services.settings.tz
    lines = [context.t("modlog_header")]
    for row in rows:
        actor = context.t("modlog_system") if row.actor_id == 0 else await _name(context, row.actor_id)
        action = describe(context.lang, row.action, row.target_type, row.target_id, row.reason)
        lines.append(context.t("modlog_entry", when=moment_text(row.created_at, tz, context.lang), actor=actor,
                               action=action))  # fmt: skip
    await update.effective_message.reply_text("\n".join(lines))  # type: ignore[union-attr]


async def stats(update: Update, context: BotContext) -> None:
    if not await require_role(update, context, Role.MODERATOR):
        return
    repo = context.services.moderation.repo
    now = int(context.services.clock.time())
    day, week = await repo.stats(now - 86400), await repo.stats(now - 7 * 86400)
    numbers = {f"{period}_{key}": localize_number(value, context.lang)
               for period, values in (("day", day), ("week", week)) for key, value in values.items()}  # fmt: skip
    await _reply(update, context, "stats", queue=localize_number(await repo.held_count(), context.lang), **numbers)


# ----- the review queue ----------------------------------------------------------------------------------------
async def queue(update: Update, context: BotContext) -> None:
    """Held and reported comments, a few at a time with their context, with approve / reject / ban buttons."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    text, markup = await _queue_view(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)  # type: ignore[union-attr]


def _pack(action: str, anchor: int, ids: list[int]) -> str | None:
    """Callback data `m:action:anchor.id.id…` in base 36 (the page's start, then the comments acted on);
    None when it would pass Telegram's 64 bytes."""
    data = f"{QUEUE_PREFIX}{action}:" + ".".join(base36(n) for n in [anchor, *ids])
    return data if len(data.encode()) <= CALLBACK_LIMIT else None


def _unpack(data: str) -> tuple[str, int, list[int]] | None:
    """(action, anchor, ids) from `_pack`'s data; None for anything else (an old or forged button)."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] + ":" != QUEUE_PREFIX:
        return None
    try:
        numbers = [int(part, 36) for part in parts[2].split(".")]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= QUEUE_PAGE + 1 or any(n < 0 or n > MAX_ID for n in numbers):
        return None
    return parts[1], numbers[0], numbers[1:]


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _story(context: BotContext, article: ArticleRow | None) -> str:
    """The story's title linked to its channel post (or, before it is posted, to its discussion in the bot)."""
    if article is None:
        return "-"
    services = context.services
    link = services.digests.post_link(article.channel_chat_id, article.channel_message_id)
    return str(context.t("queue_story", link=link or services.publisher.deep_link(article), title=article.title))


def _queue_entry(context: BotContext, item: QueueItem, text_chars: int) -> str:
    comment = item.comment
    reason = f"hold_{comment.hold_reason or 'premod'}" if comment.status == "pending" else "hold_reported"
    parent = ""
    if item.parent is not None:
        answered = item.parent
        parent = str(context.t(
            "queue_parent", ref=comment_ref(answered.id, context.lang), name=isolate(answered.author_name),
            text=snippet(answered.text, PARENT_CHARS),
        ))  # fmt: skip
    return str(context.t(
        "queue_entry",
        ref=comment_ref(comment.id, context.lang),
        name=isolate(comment.author_name),
        author=Id(comment.author_id),
        anonymous=context.t("queue_anonymous") if comment.anonymous else "",
        story=Safe(_story(context, item.article)),
        reason=context.t(reason),
        reports=localize_number(item.reports, context.lang),
        parent=Safe(parent),
        text=snippet(comment.text, text_chars),
    ))  # fmt: skip


async def _queue_view(context: BotContext, anchor: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the queue: the items after `anchor` (wrapping around to the start), at most QUEUE_PAGE and
    as many as fit one message, each with its buttons; two or more also get one button for all of them."""
    moderation = context.services.moderation
    items = await moderation.queue_page(anchor, QUEUE_PAGE + 1)
    if not items and anchor:
        anchor = 0
        items = await moderation.queue_page(0, QUEUE_PAGE + 1)
    if not items:
        return str(context.t("queue_empty")), None
    more = len(items) > QUEUE_PAGE
    header = str(context.t("queue_header", total=localize_number(await moderation.repo.held_count(), context.lang)))
    legend = str(context.t("queue_legend")) if len(items) > 1 else ""
    entries: list[str] = []
    for item in items[:QUEUE_PAGE]:
        entry = _queue_entry(context, item, ENTRY_CHARS)
        if entries and visible_length("\n\n".join([header, *entries, entry, legend])) > TEXT_LIMIT:
            more = True
            break
        entries.append(entry)
    if len(items) == 1:  # alone on the page: the whole comment, when it fits
        whole = _queue_entry(context, items[0], TEXT_LIMIT)
        if visible_length(f"{header}\n\n{whole}") <= TEXT_LIMIT:
            entries = [whole]
    shown = [item.comment.id for item in items[: len(entries)]]
    rows: list[list[Button]] = []
    if len(shown) == 1:
        c = shown[0]
        rows.append([_button(context.t("queue_approve"), "a", anchor, [c]),
                     _button(context.t("queue_reject"), "r", anchor, [c])])  # fmt: skip
        rows.append([_button(context.t("queue_ban"), "b", anchor, [c])])
    else:
        for c in shown:
            ref = comment_ref(c, context.lang)
            rows.append([_button(f"✅ {ref}", "a", anchor, [c]), _button(f"❌ {ref}", "r", anchor, [c]),
                         _button(f"⛔️ {ref}", "b", anchor, [c])])  # fmt: skip
        count = localize_number(len(shown), context.lang)
        bulk = [(context.t("queue_approve_all", n=count), "A"), (context.t("queue_reject_all", n=count), "r")]
        rows.append([_button(label, action, anchor, shown) for label, action in bulk])
    if more:
        rows.append([_button(context.t("queue_skip"), "n", shown[-1], [])])
    text = "\n\n".join([header, *entries])
    if len(shown) > 1:
        text += "\n\n" + legend
    return text, keyboard([row for row in rows if all(b.data for b in row)])


def _button(label: str, action: str, anchor: int, ids: list[int]) -> Button:
    return Button(str(label), _pack(action, anchor, ids) or "")


def _reasons_keyboard(context: BotContext, anchor: int, ids: list[int]) -> InlineKeyboardMarkup:
    rows = [[_button(context.t(f"reject_{code}"), f"R{i}", anchor, ids)] for i, code in enumerate(REJECT_REASONS)]
    back = _button(context.t("queue_back"), "q", anchor, [])
    rows.append([_button(context.t("reject_custom"), "Rx", anchor, ids), back])
    return keyboard(rows)


async def queue_button(update: Update, context: BotContext) -> None:
    """Every button of the queue; the sender's role is checked here and again by the service."""
    query = update.callback_query
    assert query is not None and query.data is not None and isinstance(query.message, Message)
    if not await require_role(update, context, Role.MODERATOR):
        return
    parsed = _unpack(query.data)
    if parsed is None:
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    action, anchor, ids = parsed
    moderation = context.services.moderation
    actor = query.from_user.id
    try:
        if action in ("a", "A") and ids:
            outcome = await moderation.approve_many(actor, ids)
            await query.answer(_outcome_text(context, "queue_approved_many", outcome), show_alert=len(ids) > 1)
        elif action == "r" and ids:
            await query.answer()
            await query.message.edit_reply_markup(_reasons_keyboard(context, anchor, ids))
            return
        elif action.startswith("R") and action[1:].isdigit() and int(action[1:]) < len(REJECT_REASONS) and ids:
            reason = str(context.t(f"reject_{REJECT_REASONS[int(action[1:])]}"))
            outcome = await moderation.reject_many(actor, ids, reason)
            await query.answer(_outcome_text(context, "queue_rejected_many", outcome), show_alert=len(ids) > 1)
        elif action == "Rx" and ids:
            data = {"comments": ids, "anchor": anchor}
            await context.services.pending.set(actor, "reject_reason", data, int(moderation.clock.time()) + REASON_TTL)
            await query.answer()
            await query.message.reply_text(context.t("reject_reason_prompt"))
            return
        elif action == "b" and len(ids) == 1:
            await moderation.ban_author(actor, ids[0], "queue", str(context.t("reject_banned")))
            await query.answer(context.t("queue_banned"))
        elif action in ("q", "n"):
            await query.answer()
        else:
            await query.answer(context.t("button_expired"), show_alert=True)
            return
    except DiscussionError as error:
        await query.answer(context.t(error.key, **error.params), show_alert=True)
    text, markup = await _queue_view(context, anchor)
    if query.message.text == visible_text(text) and query.message.reply_markup == markup:
        return  # e.g. "next" wrapped around to this very page, or another moderator got there first
    await edit_in_place(query.message, text, markup)


def _outcome_text(context: BotContext, key: str, outcome: Outcome) -> str:
    """`Approved: #12, #13` and, for the ones that had left the queue meanwhile, that they had."""
    lines = []
    if outcome.done:
        lines.append(str(context.t(key, ids=_refs_text(context, outcome.done))))
    if outcome.refused:
        lines.append(str(context.t("queue_not_in_queue", ids=_refs_text(context, [c for c, _ in outcome.refused]))))
    return "\n".join(lines)


def _refs_text(context: BotContext, ids: list[int]) -> str:
    return str(context.t("list_separator")).join(comment_ref(c, context.lang) for c in ids)


@expects("reject_reason")
async def receive_reject_reason(update: Update, context: BotContext, pending: PendingInput) -> None:
    """A moderator's own words for rejecting comments; their authors are told them."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await context.services.pending.clear(user.id)
    if not await require_role(update, context, Role.MODERATOR):
        return
    if not message.text or not message.text.strip():
        await message.reply_text(context.t("reject_reason_text_only"))
        return
    ids = [int(c) for c in pending.data.get("comments", [])]
    try:
        outcome = await context.services.moderation.reject_many(user.id, ids, message.text.strip()[:300])
    except DiscussionError as error:
        await _reply(update, context, error.key, **error.params)
        return
    await message.reply_text(_outcome_text(context, "queue_rejected_many", outcome))
    text, markup = await _queue_view(context, int(pending.data.get("anchor", 0)))
    await message.reply_text(text, reply_markup=markup)


MODERATION_COMMANDS = {
    "ban": ban, "unban": unban, "mute": mute, "unmute": unmute, "warn": warn, "warns": warns,
    "del": delete_comment, "hide": hide_comment, "approve": approve, "reject": reject, "lock": lock,
    "unlock": unlock, "premod": premod, "filter": word_filter,
    "queue": queue, "modlog": modlog, "stats": stats, "addadmin": add_admin, "rmadmin": remove_admin,
    "admins": list_admins, "admincache": admin_cache,
}  # fmt: skip


def register(app: Application) -> None:
    # New messages only: by default python-telegram-bot also runs a command again when its message is edited.
    for name, callback in MODERATION_COMMANDS.items():
        app.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CallbackQueryHandler(queue_button, pattern=rf"^{QUEUE_PREFIX}"))
    app.add_handler(ChatMemberHandler(group_member_changed, ChatMemberHandler.CHAT_MEMBER))
