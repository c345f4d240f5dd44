"""Readers' subscriptions in private chat: /subscribe, /mysubs, /unsubscribe, /latest and /search."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.render import Button, shorten
from bot.render.buttons import ButtonCodec, Pressed, route
from bot.rows import ArticleRow, PendingInput
from bot.subscriptions.service import MODES, Settings
from bot.user_errors import SubscriptionError
from handlers.common import digest_schedule, edit_in_place, keyboard
from handlers.inputs import expects

KEYWORD_TTL = 15 * 60
MODE_ICONS = {"instant": "⚡", "digest": "🗞", "off": "🔕"}


class SubscriptionAction(StrEnum):
    """The settings message's buttons, `s:<action>:<value>`."""

    MODE = "m"  # the value is the mode
    TOPIC = "t"  # the value is the topic's id, and so on
    SOURCE = "f"
    REMOVE_KEYWORD = "k"
    ADD_KEYWORD = "a"


SUBSCRIPTION_BUTTONS = ButtonCodec("s", SubscriptionAction)
Act = SubscriptionAction


def _button(label: str, action: Act, value: int | str) -> Button:
    return Button(label, SUBSCRIPTION_BUTTONS.pack(action, value))


def render_settings(settings: Settings, context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    everything = context.t("sub_everything")
    separator = str(context.t("list_separator"))
    topics = separator.join(f"#{c.name}" for c in settings.topics if c.chosen)
    sources = separator.join(c.name for c in settings.sources if c.chosen)
    keywords = separator.join(k.value for k in settings.keywords)
    mode = str(context.t(f"sub_mode_{settings.mode}"))
    if settings.mode == "digest":
        mode += f" ({digest_schedule(context)})"
    text = context.t("sub_settings", mode=mode, topics=topics or everything,
                     sources=sources or everything, keywords=keywords or "-")  # fmt: skip
    mark = {True: " ✓", False: ""}
    rows = [[_button(f"{MODE_ICONS[mode]} {context.t(f'sub_mode_{mode}')}{mark[mode == settings.mode]}", Act.MODE, mode)
             for mode in MODES]]  # fmt: skip
    topic_buttons = [_button(f"#{c.name}{mark[c.chosen]}", Act.TOPIC, c.id) for c in settings.topics]
    rows += [topic_buttons[i : i + 2] for i in range(0, len(topic_buttons), 2)]
    rows += [[_button(f"📡 {c.name}{mark[c.chosen]}", Act.SOURCE, c.id)] for c in settings.sources]
    remove = "sub_remove_keyword"
    rows += [[_button(context.t(remove, keyword=k.value), Act.REMOVE_KEYWORD, k.id)] for k in settings.keywords]
    rows.append([_button(context.t("sub_add_keyword"), Act.ADD_KEYWORD, 0)])
    return str(text), keyboard(rows)


async def subscribe(update: Update, context: BotContext) -> None:
    """`/subscribe` shows the settings; `/subscribe کلمه` adds a keyword at once."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if context.args:
        await _add_keyword(message, context, user.id, " ".join(context.args))
        return
    await show_settings(message, context, user.id)


async def show_settings(message: Message, context: BotContext, user_id: int) -> None:
    text, markup = render_settings(await context.services.subscriptions.settings(user_id), context)
    await message.reply_text(text, reply_markup=markup)


async def unsubscribe(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await context.services.subscriptions.set_mode(user.id, "off")
    await message.reply_text(context.t("unsubscribed"))


async def _add_keyword(message: Message, context: BotContext, user_id: int, text: str) -> None:
    mode = await context.services.subscriptions.add_keyword(user_id, text)
    await _keyword_added(message, context, user_id, text, mode)


async def _keyword_added(message: Message, context: BotContext, user_id: int, text: str, mode: str) -> None:
    await message.reply_text(context.t("sub_keyword_added", keyword=" ".join(text.split()),
                                       mode=context.t(f"sub_mode_{mode}")))  # fmt: skip
    await show_settings(message, context, user_id)


async def _choose_mode(query: CallbackQuery, context: BotContext, pressed: Pressed[Act]) -> bool:
    if await context.services.subscriptions.set_mode(query.from_user.id, pressed.text()):
        return True
    await query.answer()  # the mode already chosen: the message stands as it is
    return False


async def _toggle_topic(query: CallbackQuery, context: BotContext, pressed: Pressed[Act]) -> bool:
    await context.services.subscriptions.toggle_topic(query.from_user.id, pressed.number())
    return True


async def _toggle_source(query: CallbackQuery, context: BotContext, pressed: Pressed[Act]) -> bool:
    await context.services.subscriptions.toggle_source(query.from_user.id, pressed.number())
    return True


async def _remove_keyword(query: CallbackQuery, context: BotContext, pressed: Pressed[Act]) -> bool:
    await context.services.subscriptions.remove_filter(query.from_user.id, pressed.number())
    return True


async def _ask_keyword(query: CallbackQuery, context: BotContext, pressed: Pressed[Act]) -> bool:
    await context.services.inputs.wait_for(query.from_user.id, "sub_keyword", {}, KEYWORD_TTL)
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.reply_text(context.t("sub_keyword_prompt"))
    return False


# Each action returns whether the settings changed and are to be drawn again (else it answered the press).
ACTIONS: dict[Act, Callable[[CallbackQuery, BotContext, Pressed[Act]], Awaitable[bool]]] = {
    Act.MODE: _choose_mode,
    Act.TOPIC: _toggle_topic,
    Act.SOURCE: _toggle_source,
    Act.REMOVE_KEYWORD: _remove_keyword,
    Act.ADD_KEYWORD: _ask_keyword,
}


async def subscription_button(update: Update, context: BotContext) -> None:
    """Every button of the settings message; it acts on whoever presses it."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    pressed = SUBSCRIPTION_BUTTONS.unpack(query.data)
    if not await route(pressed.action, ACTIONS)(query, context, pressed):
        return
    await query.answer()
    text, markup = render_settings(await context.services.subscriptions.settings(query.from_user.id), context)
    await edit_in_place(query.message, text, markup)


@expects("sub_keyword")
async def receive_keyword(update: Update, context: BotContext, pending: PendingInput) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not message.text:
        await message.reply_text(context.t("sub_keyword_text_only"))
        return
    try:
        mode = await context.services.subscriptions.add_keyword(user.id, message.text)
    except SubscriptionError as error:
        if error.key == "sub_keyword_invalid":  # too short or too long: the bot waits on for another try
            raise SubscriptionError("sub_keyword_invalid_retry", **error.params) from None
        await context.services.inputs.stop_waiting(user.id)
        raise
    await context.services.inputs.stop_waiting(user.id)
    await _keyword_added(message, context, user.id, message.text, mode)


async def _stories(articles: list[ArticleRow], context: BotContext, header: str) -> tuple[str, InlineKeyboardMarkup]:
    services = context.services
    sources = await services.stories.repo.source_counts([article.id for article in articles])
    text = services.subscriptions.results_text(articles, context.lang, header, sources)
    rows = [[InlineKeyboardButton(context.t("story_open", n=number), url=services.publisher.deep_link(article))]
            for number, article in enumerate(articles, 1)]  # fmt: skip
    return text, InlineKeyboardMarkup(rows)


async def latest(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    articles = await context.services.subscriptions.latest()
    if not articles:
        await update.effective_message.reply_text(context.t("latest_empty"))
        return
    text, markup = await _stories(articles, context, str(context.t("latest_header")))
    await update.effective_message.reply_text(text, reply_markup=markup)


SEARCH_ECHO = 100  # characters of the query repeated in the answer


async def search(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    words = " ".join(context.args or [])
    if not words.strip():
        await update.effective_message.reply_text(context.t("search_usage"))
        return
    articles = await context.services.subscriptions.search(words)
    shown = shorten(words, SEARCH_ECHO)  # the answer repeats the words: a long query must not push it past 4,096
    if not articles:
        await update.effective_message.reply_text(context.t("search_none", words=shown))
        return
    text, markup = await _stories(articles, context, str(context.t("search_header", words=shown)))
    await update.effective_message.reply_text(text, reply_markup=markup)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("subscribe", subscribe, filters=private))
    app.add_handler(CommandHandler("mysubs", subscribe, filters=private))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe, filters=private))
    app.add_handler(CommandHandler("latest", latest, filters=private))
    app.add_handler(CommandHandler("search", search, filters=private))
    app.add_handler(CallbackQueryHandler(subscription_button, pattern=SUBSCRIPTION_BUTTONS.pattern))
