"""The review queue: `/queue`, its buttons, `/approve`, `/reject` and a moderator's own reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from telegram import CallbackQuery, InlineKeyboardMarkup, InputMediaPhoto, Message, Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.discussion.render import Button
from bot.moderation.queue import Outcome, QueueItem
from bot.moderation.roles import Role
from bot.render.buttons import ButtonCodec, ButtonExpired, route
from bot.render.html import Safe, snippet, visible_text
from bot.render.ids import MAX_ID, comment_ref
from bot.render.post import TEXT_LIMIT, visible_length
from bot.rows import ArticleRow, CommentStatus, HoldReason, PendingInput
from bot.texts import Id, localize_number
from bot.user_errors import ModerationError
from handlers.common import answer, edit_in_place, keyboard, requires
from handlers.inputs import expects
from handlers.moderation.targets import actor_of, comment_refs, reply

QUEUE_PAGE = 5  # items per queue message, fewer when long ones fill it
ENTRY_CHARS = 700  # of a held comment's text shown in the queue
PARENT_CHARS = 150  # of the comment it answers
REASON_TTL = 15 * 60


@requires(Role.MODERATOR)
async def approve(update: Update, context: BotContext) -> None:
    """`/approve 12 13 14`: publish these held comments (or keep these reported ones)."""
    ids, rest = comment_refs(list(context.args or []))
    if not ids or rest:
        await reply(update, context, "approve_usage")
        return
    outcome = await context.services.queue.approve_many(actor_of(update), ids)
    await answer(update, _outcome_text(context, "queue_approved_many", outcome))


@requires(Role.MODERATOR)
async def reject(update: Update, context: BotContext) -> None:
    """`/reject 12 13 [reason]`: these held or reported comments are not shown; their authors hear why."""
    ids, rest = comment_refs(list(context.args or []))
    if not ids:
        await reply(update, context, "reject_usage")
        return
    reason = " ".join(rest)[:300] or str(context.t("reject_default"))
    outcome = await context.services.queue.reject_many(actor_of(update), ids, reason)
    await answer(update, _outcome_text(context, "queue_rejected_many", outcome))


@requires(Role.MODERATOR)
async def queue(update: Update, context: BotContext) -> None:
    """Held and reported comments, a few at a time with their context, with approve / reject / ban buttons."""
    assert update.effective_message is not None
    text, markup = await _queue_view(context, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


class QueueAction(StrEnum):
    """The review queue's buttons, `m:<action>:<anchor>.<id>.<id>…` in base 36 (the page's start, then the
    comments acted on)."""

    APPROVE = "a"
    APPROVE_ALL = "A"
    REJECT = "r"  # asks for the reason
    REJECT_INSULT = "R0"
    REJECT_SPAM = "R1"
    REJECT_OFF_TOPIC = "R2"
    REJECT_FALSE_INFO = "R3"
    REJECT_IN_OWN_WORDS = "Rx"
    BAN = "b"
    PHOTOS = "p"  # sends the moderator the comment's photos
    BACK = "q"
    NEXT = "n"


QUEUE_BUTTONS = ButtonCodec("m", QueueAction)
REJECT_REASONS = {
    QueueAction.REJECT_INSULT: "insult",
    QueueAction.REJECT_SPAM: "spam",
    QueueAction.REJECT_OFF_TOPIC: "off_topic",
    QueueAction.REJECT_FALSE_INFO: "false_info",
}


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _button(label: str, action: QueueAction, anchor: int, ids: list[int]) -> Button:
    """A queue button; its data is empty when it would pass Telegram's 64 bytes (the row is then left out)."""
    return Button(str(label), QUEUE_BUTTONS.packed(action, ".".join(base36(n) for n in [anchor, *ids])) or "")


@dataclass(frozen=True)
class QueuePress:
    """A press of a queue button: on which message, the page's start and the comments it acts on."""

    query: CallbackQuery
    message: Message
    context: BotContext
    action: QueueAction
    anchor: int
    ids: list[int]

    @classmethod
    def of(cls, query: CallbackQuery, message: Message, context: BotContext) -> QueuePress:
        pressed = QUEUE_BUTTONS.unpack(query.data)
        try:
            numbers = [int(part, 36) for part in pressed.text().split(".")]
        except ValueError:
            raise ButtonExpired from None
        if not 1 <= len(numbers) <= QUEUE_PAGE + 1 or any(n < 0 or n > MAX_ID for n in numbers):
            raise ButtonExpired
        return cls(query, message, context, pressed.action, numbers[0], numbers[1:])

    def comments(self, exactly: int | None = None) -> list[int]:
        """The comments pressed on (at least one, or exactly so many); out of date otherwise."""
        if not self.ids or (exactly is not None and len(self.ids) != exactly):
            raise ButtonExpired
        return self.ids


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
            "queue_parent", ref=comment_ref(answered.id, context.lang), name=answered.author_name,
            text=snippet(answered.text, PARENT_CHARS),
        ))  # fmt: skip
    return str(context.t(
        "queue_entry",
        ref=comment_ref(comment.id, context.lang),
        name=comment.author_name,
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
    photos = {item.comment.id: len(item.photos) for item in items}
    rows: list[list[Button]] = []
    if len(shown) == 1:
        c = shown[0]
        rows.append([_button(context.t("queue_approve"), QueueAction.APPROVE, anchor, [c]),
                     _button(context.t("queue_reject"), QueueAction.REJECT, anchor, [c])])  # fmt: skip
        rows.append([_button(context.t("queue_ban"), QueueAction.BAN, anchor, [c])])
        if photos[c]:
            count = localize_number(photos[c], context.lang)
            rows.append([_button(context.t("queue_photos", n=count), QueueAction.PHOTOS, anchor, [c])])
    else:
        for c in shown:
            ref = comment_ref(c, context.lang)
            marks = [("✅", QueueAction.APPROVE), ("❌", QueueAction.REJECT), ("⛔️", QueueAction.BAN)]
            marks += [("🖼", QueueAction.PHOTOS)] if photos[c] else []
            rows.append([_button(f"{mark} {ref}", action, anchor, [c]) for mark, action in marks])
        count = localize_number(len(shown), context.lang)
        bulk = [
            (context.t("queue_approve_all", n=count), QueueAction.APPROVE_ALL),
            (context.t("queue_reject_all", n=count), QueueAction.REJECT),
        ]
        rows.append([_button(label, action, anchor, shown) for label, action in bulk])
    if more:
        rows.append([_button(context.t("queue_skip"), QueueAction.NEXT, shown[-1], [])])
    text = "\n\n".join([header, *entries])
    if len(shown) > 1:
        text += "\n\n" + legend
    return text, keyboard([row for row in rows if all(b.data for b in row)])


def _reasons_keyboard(context: BotContext, anchor: int, ids: list[int]) -> InlineKeyboardMarkup:
    rows = [[_button(context.t(f"reject_{code}"), action, anchor, ids)] for action, code in REJECT_REASONS.items()]
    back = _button(context.t("queue_back"), QueueAction.BACK, anchor, [])
    rows.append([_button(context.t("reject_custom"), QueueAction.REJECT_IN_OWN_WORDS, anchor, ids), back])
    return keyboard(rows)


async def _approve(press: QueuePress) -> bool:
    outcome = await press.context.services.queue.approve_many(press.query.from_user.id, press.comments())
    text = _outcome_text(press.context, "queue_approved_many", outcome)
    await press.query.answer(text, show_alert=len(press.ids) > 1)
    return True


async def _ask_reason(press: QueuePress) -> bool:
    await press.query.answer()
    await press.message.edit_reply_markup(_reasons_keyboard(press.context, press.anchor, press.comments()))
    return False


async def _reject(press: QueuePress) -> bool:
    context = press.context
    reason = str(context.t(f"reject_{REJECT_REASONS[press.action]}"))
    outcome = await context.services.queue.reject_many(press.query.from_user.id, press.comments(), reason)
    await press.query.answer(_outcome_text(context, "queue_rejected_many", outcome), show_alert=len(press.ids) > 1)
    return True


async def _ask_own_words(press: QueuePress) -> bool:
    data = {"comments": press.comments(), "anchor": press.anchor}
    await press.context.services.inputs.wait_for(press.query.from_user.id, "reject_reason", data, REASON_TTL)
    await press.query.answer()
    await press.message.reply_text(press.context.t("reject_reason_prompt"))
    return False


async def _ban(press: QueuePress) -> bool:
    (comment_id,) = press.comments(exactly=1)
    context = press.context
    await context.services.queue.ban_author(
        press.query.from_user.id, comment_id, "queue", str(context.t("reject_banned"))
    )
    await press.query.answer(context.t("queue_banned"))
    return True


async def _show_photos(press: QueuePress) -> bool:
    """The photos of a held comment, sent to the moderator (in the group they were taken out at once)."""
    (comment_id,) = press.comments(exactly=1)
    context = press.context
    files = await context.services.queue.photos(press.query.from_user.id, comment_id)
    if not files:
        raise ButtonExpired
    ref = comment_ref(comment_id, context.lang)
    try:
        if len(files) == 1:
            await press.message.reply_photo(files[0], caption=ref)
        else:
            await press.message.reply_media_group([InputMediaPhoto(file) for file in files[:10]], caption=ref)
    except BadRequest:  # a file Telegram no longer has
        await press.query.answer(context.t("queue_photos_gone"), show_alert=True)
        return False
    await press.query.answer()
    return False


async def _turn(press: QueuePress) -> bool:
    await press.query.answer()
    return True


# Each action answers the press; True: the queue is then drawn again from the page's start.
QUEUE_ACTIONS: dict[QueueAction, Callable[[QueuePress], Awaitable[bool]]] = {
    QueueAction.APPROVE: _approve,
    QueueAction.APPROVE_ALL: _approve,
    QueueAction.REJECT: _ask_reason,
    **dict.fromkeys(REJECT_REASONS, _reject),
    QueueAction.REJECT_IN_OWN_WORDS: _ask_own_words,
    QueueAction.BAN: _ban,
    QueueAction.PHOTOS: _show_photos,
    QueueAction.BACK: _turn,
    QueueAction.NEXT: _turn,
}


@requires(Role.MODERATOR)
async def queue_button(update: Update, context: BotContext) -> None:
    """Every button of the queue; the sender's role is checked here and again by the service."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    press = QueuePress.of(query, query.message, context)
    if not await route(press.action, QUEUE_ACTIONS)(press):
        return
    text, markup = await _queue_view(context, press.anchor)
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


@expects("reject_reason", Role.MODERATOR)
async def receive_reject_reason(update: Update, context: BotContext, pending: PendingInput) -> None:
    """A moderator's own words for rejecting comments; their authors are told them."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not message.text or not message.text.strip():
        await message.reply_text(context.t("reject_reason_text_only"))
        return  # the reason is still awaited
    ids = [int(c) for c in pending.data.get("comments", [])]
    try:
        outcome = await context.services.queue.reject_many(user.id, ids, message.text)
    except ModerationError as error:
        if error.key != "reason_too_long":  # a shorter one is still awaited
            await context.services.inputs.stop_waiting(user.id)
        raise
    await context.services.inputs.stop_waiting(user.id)
    await message.reply_text(_outcome_text(context, "queue_rejected_many", outcome))
    text, markup = await _queue_view(context, int(pending.data.get("anchor", 0)))
    await message.reply_text(text, reply_markup=markup)
