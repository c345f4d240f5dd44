"""The discussion in private chat: the article page, a comment's own view, their buttons, writing, editing,
/name and /replies."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.render import Button, Viewer, confirmation, render_page
from bot.discussion.service import DiscussionError, DiscussionService
from bot.miniapp.links import story_url
from bot.moderation.service import Role, Target
from bot.render.html import isolate
from bot.render.ids import MAX_ID, comment_ref
from handlers.common import button_data, keyboard, require_role
from handlers.inputs import expects
from storage.comments import CommentRow, ViewRow
from storage.pending import PendingInput

COMPOSE_TTL = 30 * 60
REDRAW_DELAY = 0.5  # seconds; comments arriving meanwhile share one redraw of the page
REDRAWS_KEY = "discussion_redraws"
SHOWN_KEY = "discussion_shown"  # what each page message shows, as last drawn here (skips edits that change nothing)
SHOWN_LIMIT = 10_000
MAX_NAME = 40


async def _viewer(context: BotContext, user_id: int) -> Viewer:
    return Viewer(user_id, await context.services.moderation.role(user_id) >= Role.MODERATOR)


async def _draw(context: BotContext, user_id: int, view: ViewRow) -> tuple[str, list[list[Button]]]:
    page = await context.services.discussion.page(view)
    story = await context.services.stories.view(page.article) if page.focus is None else None
    viewer = await _viewer(context, user_id)
    html, rows = render_page(page, viewer, context.lang, time.time(), story, context.services.settings.tz)
    miniapp = context.services.settings.miniapp_url
    if miniapp:  # discussion pages live in private chats, the only place a web_app button may go
        url = story_url(miniapp, page.article.public_id)
        rows.append([Button(context.t("button_open_miniapp"), "", web_app=url)])
    return html, rows


async def show_page(update: Update, context: BotContext, view: ViewRow, *, edit: Message | None = None) -> None:
    """Send a discussion page, or redraw it in place; remember what the message shows."""
    user = update.effective_user
    assert user is not None and update.effective_chat is not None
    html, rows = await _draw(context, user.id, view)
    if edit is not None:
        await _redraw(context, (edit.chat.id, edit.message_id), html, rows)
        message_id = edit.message_id
    else:
        sent = await context.bot.send_message(update.effective_chat.id, html, reply_markup=keyboard(rows))
        message_id = sent.message_id
        _unchanged(context, (sent.chat.id, message_id), html, rows)
    await context.services.discussion.views.save(replace(view, chat_id=update.effective_chat.id, message_id=message_id))


async def _redraw(context: BotContext, key: tuple[int, int], html: str, rows: list[list[Button]]) -> None:
    """Edit a discussion message unless this process last drew exactly this in it. Telegram refuses an edit
    that changes nothing (a double press or a concurrent redraw got there first) and one of a message the
    reader deleted: neither is a failure here."""
    if _unchanged(context, key, html, rows):
        return
    try:
        await context.bot.edit_message_text(html, chat_id=key[0], message_id=key[1], reply_markup=keyboard(rows))
    except BadRequest as error:
        if "not modified" not in str(error).lower() and "not found" not in str(error).lower():
            raise


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


@dataclass
class Press:
    """A press of a discussion button: who, on which message (and the view it shows), on what id."""

    update: Update
    context: BotContext
    query: CallbackQuery
    message: Message
    view: ViewRow | None
    target: int

    @property
    def user_id(self) -> int:
        return self.query.from_user.id

    @property
    def service(self) -> DiscussionService:
        return self.context.services.discussion

    @property
    def current(self) -> ViewRow:
        """The view this message shows; a message the bot does not know any more has expired buttons."""
        if self.view is None:
            raise DiscussionError("button_expired")
        return self.view

    async def show(self, view: ViewRow | None = None, text: str | None = None, alert: bool = False) -> None:
        """Answer the press, then draw `view` (by default the one shown, redrawn) in this message."""
        await self.query.answer(text, show_alert=alert)
        if view is None and self.view is None:
            return
        await show_page(self.update, self.context, view or self.current, edit=self.message)

    async def ask(self, comment: CommentRow, key: str, yes: Button, **params: object) -> None:
        """Ask in place of the view; ✖️ draws the view again."""
        self.current  # noqa: B018 - a question needs a view to come back to
        html, rows = confirmation(comment, self.context.lang, key, yes, **params)
        await self.query.answer()
        await _redraw(self.context, (self.message.chat.id, self.message.message_id), html, rows)


async def _turn(press: Press, action: str) -> None:
    await press.show(await press.service.turned(press.current, forward=action == "n"))


async def _sort(press: Press, action: str) -> None:
    await press.show(press.service.sorted_view(press.current, "top" if action == "S" else "new"))


async def _back(press: Press, action: str) -> None:
    await press.show(press.service.article_view(press.current))


async def _open(press: Press, action: str) -> None:
    await press.show(await press.service.comment_view(press.current, press.target))


async def _vote(press: Press, action: str) -> None:
    await press.service.vote(press.target, press.user_id, 1 if action == "u" else -1)
    await press.show()


async def _report(press: Press, action: str) -> None:
    reported = await press.service.report(press.target, press.user_id)
    view = await press.service.after_removal(press.view) if press.view is not None else None
    await press.show(view, press.context.t("report_received" if reported else "report_already"), alert=True)


async def _write(press: Press, action: str) -> None:
    """✍️ and ↩️: refused at once when the reader may not write here (ban, mute, locked story)."""
    service, message = press.service, press.message
    parent = None
    if action == "r":
        parent = await service.comment(press.target)
        if parent.status != "published":
            raise DiscussionError("comment_gone")
    article_id = parent.article_id if parent is not None else press.target
    await service.check_can_write(article_id, press.user_id)
    data = {"article": article_id, "parent": parent.id if parent else None, "anonymous": False,
            "view_chat": message.chat.id, "view_message": message.message_id}  # fmt: skip
    await press.context.services.pending.set(press.user_id, "comment", data, int(time.time()) + COMPOSE_TTL)
    await press.query.answer()
    await _compose_prompt(message, press.context, data)


async def _toggle(press: Press, action: str) -> None:
    await _toggle_anonymous(press.update, press.context)


async def _edit(press: Press, action: str) -> None:
    comment = await press.service.own_comment(press.target, press.user_id)
    message = press.message
    data = {"comment": comment.id, "view_chat": message.chat.id, "view_message": message.message_id}
    await press.context.services.pending.set(press.user_id, "comment_edit", data, int(time.time()) + COMPOSE_TTL)
    await press.query.answer()
    await message.reply_text(press.context.t("edit_prompt"))


async def _ask_delete(press: Press, action: str) -> None:
    comment = await press.service.own_comment(press.target, press.user_id)
    await press.ask(comment, "delete_confirm", Button(press.context.t("button_confirm_delete"), f"d:X:{comment.id}"))


async def _delete(press: Press, action: str) -> None:
    await press.service.delete(press.target, press.user_id)
    if press.view is None:  # a confirmation sent as its own message by an older version
        await press.query.answer(press.context.t("comment_deleted_done"))
        await press.message.edit_reply_markup(None)
        return
    await press.show(await press.service.after_removal(press.view), press.context.t("comment_deleted_done"))


async def _cancel(press: Press, action: str) -> None:
    await press.show()


async def _moderate(press: Press, action: str) -> None:
    """A moderator's delete, hide or ban on the comment; the role is checked here, whatever the button."""
    if not await require_role(press.update, press.context, Role.MODERATOR):
        return
    moderation, t = press.context.services.moderation, press.context.t
    comment = await press.service.comment(press.target)
    ref = comment_ref(comment.id, press.context.lang)
    author = isolate(comment.author_name)
    if action == "md":
        await press.ask(comment, "mod_delete_confirm", Button(t("button_confirm_delete"), f"d:mD:{comment.id}"))
    elif action == "mb":
        yes = Button(t("button_confirm_ban"), f"d:mB:{comment.id}")
        await press.ask(comment, "mod_ban_confirm", yes, author=author, id=str(comment.author_id))
    elif action == "mB":
        await moderation.ban(press.user_id, Target(comment.author_id, comment.author_name), None, ref)
        await press.show(None, t("mod_banned", author=author))
    else:
        if action == "mD":
            await moderation.remove(press.user_id, comment.id)
        else:
            await moderation.hide(press.user_id, comment.id)
        view = await press.service.after_removal(press.current)
        await press.show(view, t("mod_deleted" if action == "mD" else "mod_hidden", ref=ref))


# The callback data is `d:<action>:<id>`: the id is an article's for the page's own buttons, else a comment's.
ACTIONS: dict[str, Callable[[Press, str], Awaitable[None]]] = {
    "n": _turn, "p": _turn, "s": _sort, "S": _sort, "b": _back, "o": _open, "t": _open, "u": _vote, "v": _vote,
    "f": _report, "w": _write, "r": _write, "y": _toggle, "e": _edit, "x": _ask_delete, "X": _delete,
    "c": _cancel, "md": _moderate, "mD": _moderate, "mh": _moderate, "mb": _moderate, "mB": _moderate,
}  # fmt: skip


async def discussion_button(update: Update, context: BotContext) -> None:
    """Every button of a discussion message: the action and an id are in the button, the view in SQLite.
    Forged or outdated data gets an answer, never an exception."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    parsed = button_data(query.data)
    action = ACTIONS.get(parsed[0]) if parsed is not None and 0 < parsed[1] <= MAX_ID else None
    if parsed is None or action is None:
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    view = await context.services.discussion.views.get(query.message.chat.id, query.message.message_id)
    try:
        await action(Press(update, context, query, query.message, view, parsed[1]), parsed[0])
    except DiscussionError as error:
        await _fail(update, context, error)


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
        if view is None or update.effective_user is None:
            return
        html, rows = await _draw(context, update.effective_user.id, view)
        await _redraw(context, key, html, rows)

    context.application.create_task(redraw(), update=update, name=f"redraw-{key}")


def _unchanged(context: BotContext, key: tuple[int, int], html: str, rows: list[list[Button]]) -> bool:
    """Whether this process last drew exactly this in that message; remembers it either way."""
    shown: OrderedDict[tuple[int, int], int] = context.application.bot_data.setdefault(SHOWN_KEY, OrderedDict())
    digest = hash((html, tuple(tuple(row) for row in rows)))
    same = shown.get(key) == digest
    shown[key] = digest
    shown.move_to_end(key)
    if len(shown) > SHOWN_LIMIT:
        shown.popitem(last=False)
    return same


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
        await message.reply_text(context.t("comment_held_raid" if stored.hold_reason == "raid" else "comment_held"))
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
