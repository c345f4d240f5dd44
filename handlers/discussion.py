"""The discussion in private chat: the article page, its buttons, writing, editing, /name and /replies."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.render import Button, render_page
from bot.discussion.service import DiscussionError, Page
from handlers.common import button_data, edit_in_place, keyboard
from handlers.inputs import expects
from storage.comments import CommentRow, ViewRow
from storage.pending import PendingInput

COMPOSE_TTL = 30 * 60
REDRAW_DELAY = 0.5  # seconds; comments arriving meanwhile share one redraw of the page
REDRAWS_KEY = "discussion_redraws"
SHOWN_KEY = "discussion_shown"  # what each page message shows, as last drawn here (skips edits that change nothing)
SHOWN_LIMIT = 10_000
MAX_NAME = 40


async def show_page(update: Update, context: BotContext, view: ViewRow, *, edit: Message | None = None) -> None:
    """Send a discussion page, or redraw it in place; remember what the message shows."""
    user = update.effective_user
    assert user is not None and update.effective_chat is not None
    page: Page = await context.services.discussion.page(view)
    html, rows = render_page(page, user.id, context.lang, time.time())
    if edit is not None:
        if not _unchanged(context, (edit.chat.id, edit.message_id), html, rows):
            await edit_in_place(edit, html, keyboard(rows))
        message_id = edit.message_id
    else:
        sent = await context.bot.send_message(update.effective_chat.id, html, reply_markup=keyboard(rows))
        message_id = sent.message_id
        _unchanged(context, (sent.chat.id, message_id), html, rows)
    await context.services.discussion.views.save(
        ViewRow(update.effective_chat.id, message_id, view.article_id, view.sort, view.cursor_key, view.cursor_id,
                view.backwards, view.thread_id)
    )  # fmt: skip


async def open_article(update: Update, context: BotContext, payload: str) -> None:
    """`/start a<id>` from the channel button: the article and its discussion."""
    assert update.effective_message is not None and update.effective_chat is not None
    try:
        article = await context.services.discussion.article_for_payload(payload)
    except DiscussionError as error:
        await update.effective_message.reply_text(context.t(error.key, **error.params))
        return
    await show_page(update, context, ViewRow(update.effective_chat.id, 0, article.id, "new", None, None, 0, None))


async def _fail(update: Update, context: BotContext, error: DiscussionError) -> None:
    text = context.t(error.key, **error.params)
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def discussion_button(update: Update, context: BotContext) -> None:
    """Every button of a discussion page: the action and an id are in the button, the page in SQLite."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    service = context.services.discussion
    parsed = button_data(query.data)
    if parsed is None:
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    action, target = parsed
    view = await service.views.get(query.message.chat.id, query.message.message_id)
    user = query.from_user
    try:
        if view is None and action in ("n", "p", "s", "S", "b", "t"):
            raise DiscussionError("button_expired")
        if action in ("u", "v"):
            await service.vote(target, user.id, 1 if action == "u" else -1)
            await query.answer()
        elif action == "f":
            reported = await service.report(target, user.id)
            await query.answer(context.t("report_received" if reported else "report_already"), show_alert=True)
            return
        elif action in ("w", "r"):
            await context.services.moderation.check_can_comment(user.id)  # say so now, not after the writing
            article_id = (
                (await service.commentable(target)).id if action == "w" else (await service.comment(target)).article_id
            )
            data = {"article": article_id, "parent": target if action == "r" else None, "anonymous": False,
                    "view_chat": query.message.chat.id, "view_message": query.message.message_id}  # fmt: skip
            await context.services.pending.set(user.id, "comment", data, int(time.time()) + COMPOSE_TTL)
            await query.answer()
            await _compose_prompt(query.message, context, data)
            return
        elif action == "y":
            await _toggle_anonymous(update, context)
            return
        elif action == "e":
            comment = await service.own_comment(target, user.id)
            data = {"comment": comment.id, "view_chat": query.message.chat.id, "view_message": query.message.message_id}
            await context.services.pending.set(user.id, "comment_edit", data, int(time.time()) + COMPOSE_TTL)
            await query.answer()
            await query.message.reply_text(context.t("edit_prompt"))
            return
        elif action == "x":
            await service.own_comment(target, user.id)
            await query.answer()
            confirm = keyboard([[Button(context.t("button_confirm_delete"), f"d:X:{target}")]])
            await query.message.reply_text(context.t("delete_confirm"), reply_markup=confirm)
            return
        elif action == "X":
            await service.delete(target, user.id)
            await query.answer(context.t("comment_deleted_done"))
            await query.message.edit_reply_markup(None)
            return
        elif action == "t":
            await service.comment(target)
            await query.answer()
            assert view is not None
            await show_page(update, context, ViewRow(view.chat_id, view.message_id, view.article_id, view.sort,
                                                     None, None, 0, target), edit=query.message)  # fmt: skip
            return
        elif action in ("n", "p"):
            assert view is not None
            page = await service.page(view)
            edge = page.nodes[-1].comment if action == "n" else page.nodes[0].comment
            key = service.sort_key(edge, view.sort)
            view = ViewRow(view.chat_id, view.message_id, view.article_id, view.sort, key, edge.id,
                           int(action == "p"), None)  # fmt: skip
            await query.answer()
        elif action in ("s", "S", "b"):
            assert view is not None
            sort = {"s": "new", "S": "top"}.get(action, view.sort)
            view = ViewRow(view.chat_id, view.message_id, view.article_id, sort, None, None, 0, None)
            await query.answer()
        else:
            raise DiscussionError("button_expired")
    except DiscussionError as error:
        await _fail(update, context, error)
        return
    except IndexError:
        await query.answer()
    if view is not None:
        await show_page(update, context, view, edit=query.message)


async def _compose_prompt(message: Message, context: BotContext, data: dict) -> None:
    key = "compose_reply" if data.get("parent") else "compose_comment"
    mode = context.t("compose_as_anonymous" if data.get("anonymous") else "compose_as_name")
    toggle = keyboard([[Button(context.t("button_toggle_anonymous"), f"d:y:{data['article']}")]])
    await message.reply_text(context.t(key, mode=mode), reply_markup=toggle)


async def _toggle_anonymous(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    pending = await context.services.pending.get(query.from_user.id, int(time.time()))
    if pending is None or pending.kind != "comment":
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    data = dict(pending.data, anonymous=not pending.data.get("anonymous"))
    await context.services.pending.set(query.from_user.id, "comment", data, pending.expires_at)
    await query.answer(context.t("anonymous_on" if data["anonymous"] else "anonymous_off"), show_alert=True)
    key = "compose_reply" if data.get("parent") else "compose_comment"
    mode = context.t("compose_as_anonymous" if data["anonymous"] else "compose_as_name")
    toggle = keyboard([[Button(context.t("button_toggle_anonymous"), f"d:y:{data['article']}")]])
    await query.message.edit_text(context.t(key, mode=mode), reply_markup=toggle)


async def _refresh_view(update: Update, context: BotContext, data: dict) -> None:
    """Redraw the page the reader wrote from, shortly: a burst of comments costs one edit, not one each."""
    key = (int(data["view_chat"]), int(data["view_message"]))
    scheduled: set[tuple[int, int]] = context.application.bot_data.setdefault(REDRAWS_KEY, set())
    if key in scheduled:
        return
    scheduled.add(key)

    async def redraw() -> None:
        await asyncio.sleep(REDRAW_DELAY)
        scheduled.discard(key)
        view = await context.services.discussion.views.get(*key)
        if view is None:
            return
        html, rows = await _page_html(update, context, view)
        if _unchanged(context, key, html, rows):
            return  # e.g. the new comment was taken down meanwhile: Telegram would refuse an edit to the same
        try:
            await context.bot.edit_message_text(
                html, chat_id=view.chat_id, message_id=view.message_id, reply_markup=keyboard(rows)
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower() and "not found" not in str(error).lower():
                raise

    context.application.create_task(redraw(), update=update, name=f"redraw-{key}")


def _unchanged(context: BotContext, key: tuple[int, int], html: str, rows: list[list[Button]]) -> bool:
    """Whether this process last drew exactly this page in that message; remembers it either way."""
    shown: OrderedDict[tuple[int, int], int] = context.application.bot_data.setdefault(SHOWN_KEY, OrderedDict())
    digest = hash((html, tuple(tuple(row) for row in rows)))
    same = shown.get(key) == digest
    shown[key] = digest
    shown.move_to_end(key)
    if len(shown) > SHOWN_LIMIT:
        shown.popitem(last=False)
    return same


async def _page_html(update: Update, context: BotContext, view: ViewRow) -> tuple[str, list[list[Button]]]:
    assert update.effective_user is not None
    page = await context.services.discussion.page(view)
    return render_page(page, update.effective_user.id, context.lang, time.time())


async def _take_text(
    update: Update, context: BotContext, pending: PendingInput, store: Callable[[str], Awaitable[object]]
) -> object | None:
    """Pass the reader's text to `store`; on a fixable problem (empty, too long) keep waiting for a new try,
    on any other stop waiting. Returns what `store` returned, or None when nothing was stored."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not message.text:
        await message.reply_text(context.t("comment_text_only"))
        return None
    try:
        result = await store(message.text)
    except DiscussionError as error:
        await message.reply_text(context.t(error.key, **error.params))
        if error.key not in ("comment_empty", "comment_too_long"):
            await context.services.pending.clear(user.id)
        return None
    await context.services.pending.clear(user.id)
    return result


@expects("comment")
async def receive_comment(update: Update, context: BotContext, pending: PendingInput) -> None:
    """The reader's next message after `✍️` or `↩️` becomes the comment."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    service = context.services.discussion

    async def store(text: str) -> object:
        author = await service.author(user.id, user.first_name)
        return await service.add(
            int(pending.data["article"]),
            pending.data.get("parent"),
            author,
            text,
            anonymous=bool(pending.data.get("anonymous")),
            tg_chat_id=message.chat.id,
            tg_message_id=message.message_id,
        )

    stored = await _take_text(update, context, pending, store)
    if stored is None:
        return  # refused, or the same Telegram message delivered again (it is already a comment)
    if isinstance(stored, CommentRow) and stored.status == "pending":
        await message.reply_text(context.t("comment_held"))
        return
    await message.reply_text(context.t("comment_saved"))
    await _refresh_view(update, context, pending.data)


@expects("comment_edit")
async def receive_edit(update: Update, context: BotContext, pending: PendingInput) -> None:
    """The new text of the reader's own comment."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None

    async def store(text: str) -> object:
        return await context.services.discussion.edit(int(pending.data["comment"]), user.id, text)

    if await _take_text(update, context, pending, store) is None:
        return
    await message.reply_text(context.t("comment_edited_done"))
    await _refresh_view(update, context, pending.data)


async def set_name(update: Update, context: BotContext) -> None:
    """Choose the name comments are shown under (`/name -` goes back to the Telegram first name)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    users = context.services.users.users
    if not context.args:
        profile = await users.get(user.id)
        current = profile.display_name if profile and profile.display_name else user.first_name
        await message.reply_text(context.t("name_current", name=current))
        return
    name = " ".join(" ".join(context.args).split())
    if name == "-":
        await users.set_display_name(user.id, None)
        await message.reply_text(context.t("name_reset", name=user.first_name))
        return
    if len(name) > MAX_NAME or context.services.discussion.clean_text(name) != name:
        await message.reply_text(context.t("name_invalid", limit=MAX_NAME))
        return
    await users.set_display_name(user.id, name)
    await message.reply_text(context.t("name_set", name=name))


async def set_reply_notices(update: Update, context: BotContext) -> None:
    """`/replies on|off`: whether the reader hears when someone answers them."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    choice = (context.args or [""])[0].lower()
    if choice not in ("on", "off", "روشن", "خاموش"):
        await message.reply_text(context.t("replies_usage"))
        return
    enabled = choice in ("on", "روشن")
    await context.services.users.users.set_reply_notifications(user.id, enabled)
    await message.reply_text(context.t("replies_on" if enabled else "replies_off"))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("name", set_name, filters=private))
    app.add_handler(CommandHandler("replies", set_reply_notices, filters=private))
    app.add_handler(CallbackQueryHandler(discussion_button, pattern=r"^d:"))
