"""Readers' subscriptions in private chat: /subscribe, /mysubs, /unsubscribe, /latest and /search."""

from __future__ import annotations

import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.context import BotContext
from bot.discussion.render import Button, shorten
from bot.render.ids import parse_int
from bot.subscriptions.service import MODES, Settings, SubscriptionError
from handlers.common import edit_in_place, keyboard
from handlers.inputs import expects
from storage.articles import ArticleRow
from storage.pending import PendingInput

KEYWORD_TTL = 15 * 60
MODE_ICONS = {"instant": "⚡", "digest": "🗞", "off": "🔕"}


def render_settings(settings: Settings, context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    everything = context.t("sub_everything")
    separator = "، " if context.lang == "fa" else ", "
    topics = separator.join(f"#{c.name}" for c in settings.topics if c.chosen)
    sources = separator.join(c.name for c in settings.sources if c.chosen)
    keywords = separator.join(k.value for k in settings.keywords)
    text = context.t("sub_settings", mode=context.t(f"sub_mode_{settings.mode}"), topics=topics or everything,
                     sources=sources or everything, keywords=keywords or "-")  # fmt: skip
    rows: list[list[Button]] = [[
        Button(f"{MODE_ICONS[mode]} {context.t(f'sub_mode_{mode}')}{' ✓' if mode == settings.mode else ''}",
               f"s:m:{mode}")
        for mode in MODES
    ]]  # fmt: skip
    topic_buttons = [Button(f"#{c.name}{' ✓' if c.chosen else ''}", f"s:t:{c.id}") for c in settings.topics]
    rows += [topic_buttons[i : i + 2] for i in range(0, len(topic_buttons), 2)]
    rows += [[Button(f"📡 {c.name}{' ✓' if c.chosen else ''}", f"s:f:{c.id}")] for c in settings.sources]
    rows += [[Button(context.t("sub_remove_keyword", keyword=k.value), f"s:k:{k.id}")] for k in settings.keywords]
    rows.append([Button(context.t("sub_add_keyword"), "s:a:0")])
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
    try:
        mode = await context.services.subscriptions.add_keyword(user_id, text)
    except SubscriptionError as error:
        await message.reply_text(context.t(error.key, **error.params))
        return
    await message.reply_text(context.t("sub_keyword_added", keyword=" ".join(text.split()),
                                       mode=context.t(f"sub_mode_{mode}")))  # fmt: skip
    await show_settings(message, context, user_id)


async def subscription_button(update: Update, context: BotContext) -> None:
    """Every button of the settings message; it acts on whoever presses it."""
    query = update.callback_query
    assert query is not None and query.data is not None and isinstance(query.message, Message)
    service = context.services.subscriptions
    user_id = query.from_user.id
    try:
        _, action, value = query.data.split(":", 2)
        number = parse_int(value)
        if action in ("t", "f", "k") and number is None:
            raise SubscriptionError("button_expired")
        if action == "m":
            if not await service.set_mode(user_id, value):
                await query.answer()  # the mode already chosen: the message stands as it is
                return
        elif action == "t":
            await service.toggle_topic(user_id, number)
        elif action == "f":
            await service.toggle_source(user_id, number)
        elif action == "k":
            await service.remove_filter(user_id, number)
        elif action == "a":
            await context.services.pending.set(user_id, "sub_keyword", {}, int(time.time()) + KEYWORD_TTL)
            await query.answer()
            await query.message.reply_text(context.t("sub_keyword_prompt"))
            return
        else:
            raise SubscriptionError("button_expired")
    except (SubscriptionError, ValueError):
        await query.answer(context.t("button_expired"), show_alert=True)
        return
    await query.answer()
    text, markup = render_settings(await service.settings(user_id), context)
    await edit_in_place(query.message, text, markup)


@expects("sub_keyword")
async def receive_keyword(update: Update, context: BotContext, pending: PendingInput) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not message.text:
        await message.reply_text(context.t("comment_text_only"))
        return
    await context.services.pending.clear(user.id)
    await _add_keyword(message, context, user.id, message.text)


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
    app.add_handler(CallbackQueryHandler(subscription_button, pattern=r"^s:"))
