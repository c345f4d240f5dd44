"""Admins correct the story clustering: `/merge A B` joins story B (and its discussion) to story A, `/split A`
takes report A out of the story it joined. The role is checked on the server; both are in the audit log."""

from __future__ import annotations

from collections.abc import Awaitable

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.moderation.service import Role
from bot.render.ids import parse_ref
from bot.user_errors import UserFacingError
from handlers.common import require_role
from storage.articles import ArticleRow


async def _story(context: BotContext, ref: str) -> ArticleRow | None:
    """An article by its number (`12`, `#۱۲`), its public id or its deep link (`…?start=a<id>`)."""
    number = parse_ref(ref)
    articles = context.services.articles
    if number is not None:
        return await articles.get(number)
    public_id = ref.rsplit("start=", 1)[-1].rsplit("startapp=", 1)[-1].removeprefix("a")
    return await articles.by_public_id(public_id) if public_id.isalnum() else None


async def _reply(update: Update, context: BotContext, key: str, **params: object) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(context.t(key, **params))


async def _stories(update: Update, context: BotContext, count: int, usage: str) -> list[ArticleRow] | None:
    """The `count` stories an admin's command names, or None once the sender was told what is wrong (the role is
    checked on the server first)."""
    if not await require_role(update, context, Role.ADMIN):
        return None
    args = context.args or []
    if len(args) != count:
        await _reply(update, context, usage)
        return None
    found = []
    for ref in args:
        article = await _story(context, ref)
        if article is None or article.state == "seen":
            await _reply(update, context, "story_not_found", ref=ref[:40])
            return None
        found.append(article)
    return found


def _actor(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def _answer[T](update: Update, context: BotContext, action: Awaitable[T]) -> T | None:
    """Await a story correction; a refusal (same story, not posted yet ...) is told, not raised."""
    try:
        return await action
    except UserFacingError as error:
        await _reply(update, context, error.key, **error.params)
        return None


async def merge(update: Update, context: BotContext) -> None:
    stories = await _stories(update, context, 2, "merge_usage")
    if stories is None:
        return
    merged = await _answer(update, context, context.services.stories.merge(_actor(update), *stories))
    if merged is not None:
        await _reply(update, context, "merge_done", merged=merged.merged.title, survivor=merged.survivor.title,
                     comments=merged.comments)  # fmt: skip


async def split(update: Update, context: BotContext) -> None:
    stories = await _stories(update, context, 1, "split_usage")
    if stories is None:
        return
    story = await _answer(update, context, context.services.stories.split(_actor(update), stories[0]))
    if story is not None:
        await _reply(update, context, "split_done", title=stories[0].title, story=story.title)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("merge", merge, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CommandHandler("split", split, filters=filters.UpdateType.MESSAGE))
