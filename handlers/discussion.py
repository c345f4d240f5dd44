"""The discussion in private chat: the article page, a comment's own view, their buttons, writing, editing,
/name and /replies."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.buttons import DISCUSSION_BUTTONS
from bot.discussion.buttons import DiscussionAction as Act
from bot.discussion.render import Button, Viewer, action_button, confirmation, render_page
from bot.discussion.service import DiscussionService
from bot.miniapp.links import story_url
from bot.moderation.roles import Role, Target
from bot.render.buttons import ButtonExpired, route
from bot.render.ids import comment_ref
from bot.rows import CommentRow, CommentStatus, HoldReason, PendingInput, ViewRow
from bot.texts import words
from bot.user_errors import DiscussionError
from handlers.common import keyboard, require_role
from handlers.inputs import expects, takes_replies

COMPOSE_TTL = 30 * 60
REDRAW_DELAY = 0.5  # seconds; comments arriving meanwhile share one redraw of the page
REDRAWS_KEY = "discussion_redraws"
SHOWN_KEY = "discussion_shown"  # what each page message shows, as last drawn here (skips edits that change nothing)
SHOWN_LIMIT = 10_000
MAX_NAME = 40
# Refusals that ask for a new try (shorter, without the banned word, in a moment): the bot waits on for it.
FIXABLE = ("comment_empty", "comment_too_long", "comment_filtered", "comment_flood")


async def _viewer(context: BotContext, user_id: int) -> Viewer:
    return Viewer(user_id, await context.services.roles.role(user_id) >= Role.MODERATOR)


async def _draw(context: BotContext, user_id: int, view: ViewRow) -> tuple[str, list[list[Button]]]:
    page = await context.services.discussion.page(view)
    story = await context.services.stories.view(page.article) if page.focus is None else None
    viewer = await _viewer(context, user_id)
    clock = context.services.clock
    html, rows = render_page(page, viewer, context.lang, clock.time(), story, context.services.settings.tz)
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
    await context.services.discussion.save_view(replace(view, chat_id=update.effective_chat.id, message_id=message_id))


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
    """`/start a<id>` from the channel button: the article and its discussion (`a<id>_<comment>`, from a reply
    notice: that comment)."""
    assert update.effective_message is not None and update.effective_chat is not None
    await show_page(
        update, context, await context.services.discussion.view_for_payload(update.effective_chat.id, payload)
    )


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


async def _turn(press: Press, action: Act) -> None:
    await press.show(await press.service.turned(press.current, forward=action == Act.NEXT))


async def _sort(press: Press, action: Act) -> None:
    await press.show(press.service.sorted_view(press.current, "top" if action == Act.SORT_TOP else "new"))


async def _back(press: Press, action: Act) -> None:
    await press.show(press.service.article_view(press.current))


async def _open(press: Press, action: Act) -> None:
    await press.show(await press.service.comment_view(press.current, press.target))


async def _vote(press: Press, action: Act) -> None:
    await press.service.vote(press.target, press.user_id, 1 if action == Act.UP else -1)
    await press.show()


async def _report(press: Press, action: Act) -> None:
    reported = await press.service.report(press.target, press.user_id)
    view = await press.service.after_removal(press.view) if press.view is not None else None
    await press.show(view, press.context.t("report_received" if reported else "report_already"), alert=True)


async def _write(press: Press, action: Act) -> None:
    """✍️ and ↩️: refused at once when the reader may not write here (ban, mute, locked story)."""
    service, message = press.service, press.message
    parent = None
    if action == Act.REPLY:
        parent = await service.comment(press.target)
        if parent.status != CommentStatus.PUBLISHED:
            raise DiscussionError("comment_gone")
    article_id = parent.article_id if parent is not None else press.target
    await service.check_can_write(article_id, press.user_id)
    data = _compose_data(article_id, parent.id if parent else None, message)
    await press.context.services.inputs.wait_for(press.user_id, "comment", data, COMPOSE_TTL)
    await press.query.answer()
    text, toggle = _compose_prompt(press.context, data)
    await message.reply_text(text, reply_markup=toggle)


def _compose_data(article_id: int, parent_id: int | None, view_message: Message | None) -> dict[str, object]:
    """What a comment being written needs: where it goes, and the page to redraw once it is stored (none for
    one written in answer to a reply notice)."""
    data: dict[str, object] = {"article": article_id, "parent": parent_id, "anonymous": False}
    if view_message is not None:
        data |= {"view_chat": view_message.chat.id, "view_message": view_message.message_id}
    return data


def _linked_payload(context: BotContext, message: Message) -> str | None:
    """The /start payload of the bot's link on a message (a reply notice's button), if it has one."""
    prefix = context.services.publisher.start_link("")
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    links = [button.url for row in rows for button in row if button.url and button.url.startswith(prefix)]
    return links[0].removeprefix(prefix) if links else None


@takes_replies
async def comment_by_reply(update: Update, context: BotContext) -> bool:
    """A reader who answers a discussion message with Telegram's own reply, instead of ↩️ or ✍️, writes there:
    under the comment the message shows, else on its story; an answer to a reply notice answers that reply
    (their text used to be answered "not waiting")."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    replied = message.reply_to_message
    assert replied is not None
    answered = await context.services.discussion.answered_view(
        message.chat.id, replied.message_id, _linked_payload(context, replied)
    )
    if answered is None:
        return False
    view, shown_there = answered
    data = _compose_data(view.article_id, view.thread_id, replied if shown_there else None)
    try:
        await receive_comment(update, context, PendingInput(user.id, "comment", data, 0))
    except DiscussionError as error:
        if error.key in FIXABLE:  # the new try the refusal asks for is awaited, as after ✍️
            await context.services.inputs.wait_for(user.id, "comment", data, COMPOSE_TTL)
        raise
    return True


async def _toggle(press: Press, action: Act) -> None:
    """The compose prompt's button: the comment the bot waits for goes under the reader's name, or not."""
    inputs, context = press.context.services.inputs, press.context
    pending = await inputs.waiting(press.user_id)
    if pending is None or pending.kind != "comment":
        raise ButtonExpired
    data = dict(pending.data, anonymous=not pending.data.get("anonymous"))
    await inputs.change(pending, data)
    await press.query.answer(context.t("anonymous_on" if data["anonymous"] else "anonymous_off"), show_alert=True)
    text, toggle = _compose_prompt(context, data)
    await press.message.edit_text(text, reply_markup=toggle)


async def _edit(press: Press, action: Act) -> None:
    comment = await press.service.own_comment(press.target, press.user_id)
    message = press.message
    data = {"comment": comment.id, "view_chat": message.chat.id, "view_message": message.message_id}
    await press.context.services.inputs.wait_for(press.user_id, "comment_edit", data, COMPOSE_TTL)
    await press.query.answer()
    await message.reply_text(press.context.t("edit_prompt"))


async def _ask_delete(press: Press, action: Act) -> None:
    comment = await press.service.own_comment(press.target, press.user_id)
    await press.ask(
        comment, "delete_confirm", action_button(press.context.t("button_confirm_delete"), Act.DELETE, comment.id)
    )


async def _delete(press: Press, action: Act) -> None:
    await press.service.delete(press.target, press.user_id)
    if press.view is None:  # a confirmation sent as its own message by an older version
        await press.query.answer(press.context.t("comment_deleted_done"))
        await press.message.edit_reply_markup(None)
        return
    await press.show(await press.service.after_removal(press.view), press.context.t("comment_deleted_done"))


async def _cancel(press: Press, action: Act) -> None:
    await press.show()


async def _moderate(press: Press, action: Act) -> None:
    """A moderator's delete, hide or ban on the comment (the role is checked first, whatever the button)."""
    services, t = press.context.services, press.context.t
    comment = await press.service.comment(press.target)
    c = comment.id
    ref = comment_ref(c, press.context.lang)
    author = comment.author_name
    if action == Act.MOD_ASK_DELETE:
        await press.ask(comment, "mod_delete_confirm", action_button(t("button_confirm_delete"), Act.MOD_DELETE, c))
    elif action == Act.MOD_ASK_BAN:
        yes = action_button(t("button_confirm_ban"), Act.MOD_BAN, c)
        await press.ask(comment, "mod_ban_confirm", yes, author=author, id=str(comment.author_id))
    elif action == Act.MOD_BAN:
        await services.sanctions.ban(press.user_id, Target(comment.author_id, comment.author_name), None, ref)
        await press.show(None, t("mod_banned", author=author))
    else:
        if action == Act.MOD_DELETE:
            await services.queue.remove(press.user_id, comment.id)
        else:
            await services.queue.hide(press.user_id, comment.id)
        view = await press.service.after_removal(press.current)
        await press.show(view, t("mod_deleted" if action == Act.MOD_DELETE else "mod_hidden", ref=ref))


ACTIONS: dict[Act, Callable[[Press, Act], Awaitable[None]]] = {
    Act.NEXT: _turn,
    Act.PREVIOUS: _turn,
    Act.SORT_NEW: _sort,
    Act.SORT_TOP: _sort,
    Act.BACK: _back,
    Act.OPEN: _open,
    Act.OPEN_THREAD: _open,
    Act.UP: _vote,
    Act.DOWN: _vote,
    Act.REPORT: _report,
    Act.WRITE: _write,
    Act.REPLY: _write,
    Act.ANONYMOUS: _toggle,
    Act.EDIT: _edit,
    Act.ASK_DELETE: _ask_delete,
    Act.DELETE: _delete,
    Act.CANCEL: _cancel,
    Act.MOD_ASK_DELETE: _moderate,
    Act.MOD_DELETE: _moderate,
    Act.MOD_HIDE: _moderate,
    Act.MOD_ASK_BAN: _moderate,
    Act.MOD_BAN: _moderate,
}
# Who may press what, beyond any reader: checked on the server whatever the button says.
NEEDS = {action: Role.MODERATOR for action, handler in ACTIONS.items() if handler is _moderate}


async def discussion_button(update: Update, context: BotContext) -> None:
    """Every button of a discussion message: the action and an id are in the button, the view in SQLite.
    Forged or outdated data gets an answer, never an exception."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    pressed = DISCUSSION_BUTTONS.unpack(query.data)
    action, target = route(pressed.action, ACTIONS), pressed.number()
    needed = NEEDS.get(pressed.action)
    if needed is not None and not await require_role(update, context, needed):
        return
    view = await context.services.discussion.view(query.message.chat.id, query.message.message_id)
    await action(Press(update, context, query, query.message, view, target), pressed.action)


def _compose_prompt(context: BotContext, data: dict) -> tuple[str, InlineKeyboardMarkup]:
    """What the reader is asked for while the bot waits for their comment, and the anonymous toggle."""
    key = "compose_reply" if data.get("parent") else "compose_comment"
    mode = context.t("compose_as_anonymous" if data.get("anonymous") else "compose_as_name")
    toggle = action_button(context.t("button_toggle_anonymous"), Act.ANONYMOUS, int(data["article"]))
    return context.t(key, mode=mode), keyboard([[toggle]])


async def _refresh_view(update: Update, context: BotContext, data: dict) -> None:
    """Redraw the page the reader wrote from, shortly: a burst of comments costs one edit, not one each."""
    if "view_chat" not in data:
        return
    key = (int(data["view_chat"]), int(data["view_message"]))
    scheduled: set[tuple[int, int]] = context.application.bot_data.setdefault(REDRAWS_KEY, set())
    if key in scheduled:
        return
    scheduled.add(key)

    async def redraw() -> None:
        await asyncio.sleep(REDRAW_DELAY)
        scheduled.discard(key)
        view = await context.services.discussion.view(*key)
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
    """Pass the reader's text to `store`; on a FIXABLE refusal keep waiting for a new try, on any other stop
    waiting. Returns what `store` returned, or None when nothing was stored."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not message.text:
        await message.reply_text(context.t(_not_text_key(context, message)))
        return None
    try:
        result = await store(message.text)
    except DiscussionError as error:  # told by the error path; the bot waits on only for a fixable problem
        if error.key not in FIXABLE:
            await context.services.inputs.stop_waiting(user.id)
        raise
    await context.services.inputs.stop_waiting(user.id)
    return result


def _not_text_key(context: BotContext, message: Message) -> str:
    """Why a message without text is no comment in private chat. A photo would be one only in name (the pages
    show text, nobody would see it): the reader keeps the words and hears where a photo is shown, the
    discussion group's thread, when the channel has one."""
    if not message.photo:
        return "comment_text_only"
    has_group = context.services.settings.discussion_group_id is not None
    return "comment_photo_in_private_group" if has_group else "comment_photo_in_private"


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
    if isinstance(stored, CommentRow) and stored.status == CommentStatus.PENDING:
        raid = stored.hold_reason == HoldReason.RAID
        await message.reply_text(context.t("comment_held_raid" if raid else "comment_held"))
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
    users = context.services.users
    if not context.args:
        profile = await users.profile(user.id)
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
    """`/replies on|off`: whether the reader hears when someone answers them; `/replies` says which it is now."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not context.args:
        enabled = await context.services.users.reply_notices(user.id)
        await message.reply_text(context.t("replies_now_on" if enabled else "replies_now_off"))
        return
    choice = (context.args or [""])[0].lower()
    enabled = choice in words("replies_word_on")
    if not enabled and choice not in words("replies_word_off"):
        await message.reply_text(context.t("replies_usage"))
        return
    await context.services.users.set_reply_notices(user.id, enabled)
    await message.reply_text(context.t("replies_on" if enabled else "replies_off"))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("name", set_name, filters=private))
    app.add_handler(CommandHandler("replies", set_reply_notices, filters=private))
    app.add_handler(CallbackQueryHandler(discussion_button, pattern=r"^d:"))
