"""The review queue: `/queue`, its buttons, `/approve`, `/reject` and a moderator's own reason."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.discussion import CommentStatus, HoldReason
from bot.discussion.render import Button
from bot.moderation.queue import Outcome, QueueItem
from bot.moderation.roles import Role
from bot.render.html import Safe, isolate, snippet
from bot.render.ids import MAX_ID, comment_ref
from bot.render.post import TEXT_LIMIT, visible_length, visible_text
from bot.texts import Id, localize_number
from bot.user_errors import UserFacingError
from handlers.common import edit_in_place, keyboard, require_role
from handlers.inputs import expects
from handlers.moderation.targets import (
    actor_of,
    comment_refs,
    reply,
)
from storage.articles import ArticleRow
from storage.pending import PendingInput

QUEUE_PREFIX = "m:"
QUEUE_PAGE = 5  # items per queue message, fewer when long ones fill it
ENTRY_CHARS = 700  # of a held comment's text shown in the queue
PARENT_CHARS = 150  # of the comment it answers
CALLBACK_LIMIT = 64  # bytes of callback data Telegram accepts
REJECT_REASONS = ("insult", "spam", "off_topic", "false_info")
REASON_TTL = 15 * 60


async def approve(update: Update, context: BotContext) -> None:
    """`/approve 12 13 14`: publish these held comments (or keep these reported ones)."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    ids, rest = comment_refs(list(context.args or []))
    if not ids or rest:
        await reply(update, context, "approve_usage")
        return
    try:
        outcome = await context.services.queue.approve_many(actor_of(update), ids)
    except UserFacingError as error:
        await reply(update, context, error.key, **error.params)
        return
    await update.effective_message.reply_text(_outcome_text(context, "queue_approved_many", outcome))  # type: ignore[union-attr]


async def reject(update: Update, context: BotContext) -> None:
    """`/reject 12 13 [reason]`: these held or reported comments are not shown; their authors hear why."""
    if not await require_role(update, context, Role.MODERATOR):
        return
    ids, rest = comment_refs(list(context.args or []))
    if not ids:
        await reply(update, context, "reject_usage")
        return
    reason = " ".join(rest)[:300] or str(context.t("reject_default"))
    try:
        outcome = await context.services.queue.reject_many(actor_of(update), ids, reason)
    except UserFacingError as error:
        await reply(update, context, error.key, **error.params)
        return
    await update.effective_message.reply_text(_outcome_text(context, "queue_rejected_many", outcome))  # type: ignore[union-attr]


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
    held = comment.status == CommentStatus.PENDING
    reason = f"hold_{comment.hold_reason or HoldReason.PREMOD}" if held else "hold_reported"
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
    review = context.services.queue
    items = await review.queue_page(anchor, QUEUE_PAGE + 1)
    if not items and anchor:
        anchor = 0
        items = await review.queue_page(0, QUEUE_PAGE + 1)
    if not items:
        return str(context.t("queue_empty")), None
    more = len(items) > QUEUE_PAGE
    header = str(context.t("queue_header", total=localize_number(await review.held_count(), context.lang)))
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
    review = context.services.queue
    actor = query.from_user.id
    try:
        if action in ("a", "A") and ids:
            outcome = await review.approve_many(actor, ids)
            await query.answer(_outcome_text(context, "queue_approved_many", outcome), show_alert=len(ids) > 1)
        elif action == "r" and ids:
            await query.answer()
            await query.message.edit_reply_markup(_reasons_keyboard(context, anchor, ids))
            return
        elif action.startswith("R") and action[1:].isdigit() and int(action[1:]) < len(REJECT_REASONS) and ids:
            reason = str(context.t(f"reject_{REJECT_REASONS[int(action[1:])]}"))
            outcome = await review.reject_many(actor, ids, reason)
            await query.answer(_outcome_text(context, "queue_rejected_many", outcome), show_alert=len(ids) > 1)
        elif action == "Rx" and ids:
            data = {"comments": ids, "anchor": anchor}
            expires = int(context.services.clock.time()) + REASON_TTL
            await context.services.pending.set(actor, "reject_reason", data, expires)
            await query.answer()
            await query.message.reply_text(context.t("reject_reason_prompt"))
            return
        elif action == "b" and len(ids) == 1:
            await review.ban_author(actor, ids[0], "queue", str(context.t("reject_banned")))
            await query.answer(context.t("queue_banned"))
        elif action in ("q", "n"):
            await query.answer()
        else:
            await query.answer(context.t("button_expired"), show_alert=True)
            return
    except UserFacingError as error:
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
        outcome = await context.services.queue.reject_many(user.id, ids, message.text.strip()[:300])
    except UserFacingError as error:
        await reply(update, context, error.key, **error.params)
        return
    await message.reply_text(_outcome_text(context, "queue_rejected_many", outcome))
    text, markup = await _queue_view(context, int(pending.data.get("anchor", 0)))
    await message.reply_text(text, reply_markup=markup)
