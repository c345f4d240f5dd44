"""Admin commands for news: feeds, /post with preview and edits, and the outbox."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.news.drafts import DraftError, Preview
from bot.news.feeds import DUPLICATE, PRIVATE_ADDRESS
from bot.render.buttons import ButtonCodec, route
from bot.rows import DraftRow, PendingInput
from bot.texts import Id, Text
from handlers.common import fit_messages, int_argument, requires
from handlers.inputs import expects

INPUT_TTL = 30 * 60
log = logging.getLogger(__name__)


class DraftAction(StrEnum):
    """The preview's buttons, `draft:<draft id>:<action>` (the id first: the layout of the buttons on previews
    sent before the codecs)."""

    PUBLISH = "publish"
    TITLE = "title"
    SUMMARY = "summary"
    CANCEL = "cancel"


DRAFT_BUTTONS = ButtonCodec("draft", DraftAction, action_last=True)


# ----- feeds -------------------------------------------------------------------------------------------
@requires(Role.ADMIN)
async def add_feed(update: Update, context: BotContext) -> None:
    """Add a feed after checking it can be read; its backlog is recorded, not posted."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    if not context.args:
        await message.reply_text(context.t("addfeed_usage"))
        return
    url, name = context.args[0], " ".join(context.args[1:]) or None
    await message.reply_text(context.t("addfeed_checking"))
    feed, error = await context.services.feeds.add(url, name, update.effective_user.id)
    if feed is None:
        assert error is not None
        known = error in (DUPLICATE, PRIVATE_ADDRESS)
        text = error.render(context.lang) if known else context.t("addfeed_failed", reason=error)
        await message.reply_text(text)
        return
    done = [context.t("addfeed_done", name=feed.name or feed.url, id=Id(feed.id))]
    if not context.services.settings.channel_id:
        done.append(context.t("addfeed_no_channel"))  # its news would fail until CHANNEL_ID is set
    await message.reply_text("\n\n".join(done))


@requires(Role.ADMIN)
async def list_feeds(update: Update, context: BotContext) -> None:
    """Show every feed with its status and last error."""
    assert update.effective_message is not None
    feeds = await context.services.feeds.all_feeds()
    if not feeds:
        await update.effective_message.reply_text(context.t("feeds_empty"))
        return
    lines = [context.t("feeds_header")]
    for feed in feeds:
        status = context.t("feed_status_active" if feed.status == "active" else "feed_status_paused")
        # Reasons are stored as catalog keys (older rows: as the English text they had then).
        problem = Text.decode(feed.pause_reason) or (Text.decode(feed.last_error) if feed.failures else None)
        lines.append(
            context.t(
                "feeds_line",
                id=Id(feed.id),
                name=feed.name or feed.url,
                status=status,
                problem=context.t("feeds_problem", reason=problem) if problem else "",
            )
        )
    for text in fit_messages(lines):  # a hundred feeds with their errors pass Telegram's 4,096 characters
        await update.effective_message.reply_text(text)


async def _change_feed(update: Update, context: BotContext, command: str) -> None:
    assert update.effective_message is not None
    feed_id = int_argument(context)
    if feed_id is None:
        await update.effective_message.reply_text(context.t("feed_id_usage", command=command))
        return
    service = context.services.feeds
    if await service.get(feed_id) is None:
        await update.effective_message.reply_text(context.t("feed_not_found", id=Id(feed_id)))
        return
    if command == "rmfeed":
        await service.remove(feed_id)
        key = "feed_removed"
    elif command == "pausefeed":
        await service.pause(feed_id, Text("feed_paused_by_admin"))
        key = "feed_paused"
    else:
        await service.resume(feed_id)
        key = "feed_resumed"
    await update.effective_message.reply_text(context.t(key, id=Id(feed_id)))


@requires(Role.ADMIN)
async def rename_feed(update: Update, context: BotContext) -> None:
    """Give a feed a new name (the source of its next posts)."""
    assert update.effective_message is not None
    feed_id = int_argument(context)
    name = " ".join((context.args or [])[1:])
    if feed_id is None or not name.strip():
        await update.effective_message.reply_text(context.t("renamefeed_usage"))
        return
    if not await context.services.feeds.rename(feed_id, name):
        await update.effective_message.reply_text(context.t("feed_not_found", id=Id(feed_id)))
        return
    feed = await context.services.feeds.get(feed_id)
    shown = feed.name if feed is not None and feed.name else name
    await update.effective_message.reply_text(context.t("feed_renamed", id=Id(feed_id), name=shown))


@requires(Role.ADMIN)
async def remove_feed(update: Update, context: BotContext) -> None:
    """Remove a feed (its articles stay)."""
    await _change_feed(update, context, "rmfeed")


@requires(Role.ADMIN)
async def pause_feed(update: Update, context: BotContext) -> None:
    """Stop polling a feed."""
    await _change_feed(update, context, "pausefeed")


@requires(Role.ADMIN)
async def resume_feed(update: Update, context: BotContext) -> None:
    """Poll a paused feed again, now."""
    await _change_feed(update, context, "resumefeed")


@requires(Role.ADMIN)
async def show_outbox(update: Update, context: BotContext) -> None:
    """Show what waits to be sent and what failed."""
    assert update.effective_message is not None
    stats = await context.services.sender.stats()
    await update.effective_message.reply_text(
        context.t(
            "outbox_stats",
            pending=int(stats["pending"]),
            sending=int(stats["sending"]),
            sent=int(stats["sent"]),
            failed=int(stats["failed"]),
            dead=int(stats["dead"]),
            age=int(stats["oldest_age"]),
        )
    )


# ----- /post ---------------------------------------------------------------------------------------------
@requires(Role.ADMIN)
async def start_post(update: Update, context: BotContext) -> None:
    """Ask for the article: pasted text, a forwarded message or a URL."""
    assert update.effective_message is not None and update.effective_user is not None
    if not context.services.settings.channel_id:
        await update.effective_message.reply_text(context.t("post_no_channel"))
        return
    await context.services.inputs.wait_for(update.effective_user.id, "post_article", {}, INPUT_TTL)
    await update.effective_message.reply_text(context.t("post_prompt"))


def draft_keyboard(context: BotContext, draft_id: int) -> InlineKeyboardMarkup:
    def button(action: DraftAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            context.t(f"post_button_{action}"), callback_data=DRAFT_BUTTONS.pack(action, draft_id)
        )

    layout = [[DraftAction.PUBLISH], [DraftAction.TITLE, DraftAction.SUMMARY], [DraftAction.CANCEL]]
    return InlineKeyboardMarkup([[button(action) for action in row] for row in layout])


async def _send_preview(update: Update, context: BotContext, preview: Preview) -> None:
    """The post as the channel will get it (a photo with its caption, or text), with the draft's buttons."""
    assert update.effective_message is not None
    markup = draft_keyboard(context, preview.draft.id)
    if preview.photo:
        sent = await update.effective_message.reply_photo(preview.photo, caption=preview.html, reply_markup=markup)
    else:
        sent = await update.effective_message.reply_text(preview.html, reply_markup=markup)
    await context.services.drafts.remember_preview(preview.draft.id, sent.message_id)
    if preview.draft.preview_message_id is not None:  # the previous preview shows the draft before this edit
        await _drop_buttons(context, sent.chat_id, preview.draft.preview_message_id)


async def _drop_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    """Take the buttons off a preview that no longer acts (one the admin deleted has none to take)."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as error:
        log.info("the buttons of preview %s stay: %s", message_id, error)


def forwarded_from(message: Message) -> str | None:
    """Who a forwarded message came from (a channel's or group's title, a person's name), to name the source."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginChannel):
        name = origin.chat.title
    elif isinstance(origin, MessageOriginChat):
        name = origin.sender_chat.title
    elif isinstance(origin, MessageOriginUser):
        name = origin.sender_user.full_name
    elif isinstance(origin, MessageOriginHiddenUser):
        name = origin.sender_user_name
    else:
        return None
    return " ".join((name or "").split()) or None


@expects("post_article", Role.ADMIN)
async def receive_article(update: Update, context: BotContext, pending: PendingInput) -> None:
    """Turn the admin's text into a draft and show its preview."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    text = message.text or message.caption or ""
    if not text.strip():
        await message.reply_text(context.t("post_need_text"))
        return
    # A photo the admin sent or forwarded is posted by its file_id (the largest size Telegram made of it).
    image = message.photo[-1].file_id if message.photo else None
    preview = await context.services.drafts.create(update.effective_user.id, text, image, forwarded_from(message))
    await context.services.inputs.stop_waiting(update.effective_user.id)
    await _send_preview(update, context, preview)


async def _edit_draft(update: Update, context: BotContext, pending: PendingInput, field: str) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    if not message.text:
        await message.reply_text(context.t("post_need_text"))
        return
    preview = await context.services.drafts.edit(int(pending.data["draft"]), field, message.text)
    await context.services.inputs.stop_waiting(update.effective_user.id)
    await _send_preview(update, context, preview)


@expects("draft_title", Role.ADMIN)
async def receive_title(update: Update, context: BotContext, pending: PendingInput) -> None:
    """Replace the draft's title."""
    await _edit_draft(update, context, pending, "title")


@expects("draft_summary", Role.ADMIN)
async def receive_summary(update: Update, context: BotContext, pending: PendingInput) -> None:
    """Replace the draft's summary."""
    await _edit_draft(update, context, pending, "summary")


async def _ask_field(
    query: CallbackQuery, message: Message, context: BotContext, draft: DraftRow, action: DraftAction
) -> None:
    await context.services.inputs.wait_for(query.from_user.id, f"draft_{action}", {"draft": draft.id}, INPUT_TTL)
    await query.answer()
    await message.reply_text(context.t(f"post_ask_{action}"))


async def _cancel(
    query: CallbackQuery, message: Message, context: BotContext, draft: DraftRow, action: DraftAction
) -> None:
    await context.services.drafts.cancel(draft.id)
    await query.answer(context.t("post_cancelled"))
    await query.edit_message_reply_markup(None)


async def _publish(
    query: CallbackQuery, message: Message, context: BotContext, draft: DraftRow, action: DraftAction
) -> None:
    outcome = await context.services.drafts.publish(draft)
    await query.answer()
    await query.edit_message_reply_markup(None)
    key = {"queued": "post_queued", "duplicate": "post_duplicate", "known": "post_duplicate"}.get(
        outcome.state, "post_queued"
    )
    await message.reply_text(context.t(key))


DraftRoute = Callable[[CallbackQuery, Message, BotContext, DraftRow, DraftAction], Awaitable[None]]
DRAFT_ACTIONS: dict[DraftAction, DraftRoute] = {
    DraftAction.PUBLISH: _publish,
    DraftAction.TITLE: _ask_field,
    DraftAction.SUMMARY: _ask_field,
    DraftAction.CANCEL: _cancel,
}


@requires(Role.ADMIN)
async def draft_button(update: Update, context: BotContext) -> None:
    """Publish, edit or cancel a draft (the admin check is made again here, whatever the button says)."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    pressed = DRAFT_BUTTONS.unpack(query.data)
    try:
        draft = await context.services.drafts.open_draft(pressed.number(), query.from_user.id, query.message.message_id)
    except DraftError:
        if query.message.reply_markup is not None:
            await _drop_buttons(context, query.message.chat_id, query.message.message_id)
        raise
    await route(pressed.action, DRAFT_ACTIONS)(query, query.message, context, draft, pressed.action)


async def cancel_input(update: Update, context: BotContext) -> None:
    """Stop waiting for whatever the bot asked this user for."""
    assert update.effective_message is not None and update.effective_user is not None
    pending = await context.services.inputs.waiting(update.effective_user.id)
    await context.services.inputs.stop_waiting(update.effective_user.id)
    await update.effective_message.reply_text(context.t("cancelled" if pending else "nothing_to_cancel"))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    for name, callback in (
        ("addfeed", add_feed),
        ("feeds", list_feeds),
        ("rmfeed", remove_feed),
        ("renamefeed", rename_feed),
        ("pausefeed", pause_feed),
        ("resumefeed", resume_feed),
        ("outbox", show_outbox),
        ("post", start_post),
        ("cancel", cancel_input),
    ):
        app.add_handler(CommandHandler(name, callback, filters=private))
    app.add_handler(CallbackQueryHandler(draft_button, pattern=DRAFT_BUTTONS.pattern))
