"""Admins correct the story clustering: `/merge A B` joins story B (and its discussion) to story A, `/split A`
takes report A out of the story it joined. The role is checked on the server; both are in the audit log. A
refusal (same story, not posted yet ...) is raised as a `UserFacingError` and told by the one error path."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.context import BotContext
from bot.moderation.roles import Role
from bot.render.ids import parse_ref
from bot.rows import ArticleRow
from bot.user_errors import UserFacingError
from handlers.common import requires
from handlers.moderation.targets import actor_of, reply


async def _story(context: BotContext, ref: str) -> ArticleRow | None:
    """An article by its number (`12`, `#۱۲`), its public id or its deep link (`…?start=a<id>`)."""
    number = parse_ref(ref)
    discussion = context.services.discussion
    if number is not None:
        return await discussion.story(number)
    public_id = ref.rsplit("start=", 1)[-1].rsplit("startapp=", 1)[-1].removeprefix("a")
    return await discussion.story_by_public_id(public_id) if public_id.isalnum() else None


async def _stories(context: BotContext, count: int, usage: str) -> list[ArticleRow]:
    """The `count` stories an admin's command names."""
    args = context.args or []
    if len(args) != count:
        raise UserFacingError(usage)
    found = []
    for ref in args:
        article = await _story(context, ref)
        if article is None or article.state == "seen":
            raise UserFacingError("story_not_found", ref=ref[:40])
        found.append(article)
    return found


@requires(Role.ADMIN)
async def merge(update: Update, context: BotContext) -> None:
    survivor, other = await _stories(context, 2, "merge_usage")
    merged = await context.services.stories.merge(actor_of(update), survivor, other)
    await reply(update, context, "merge_done", merged=merged.merged.title, survivor=merged.survivor.title,
                comments=merged.comments)  # fmt: skip


@requires(Role.ADMIN)
async def split(update: Update, context: BotContext) -> None:
    (article,) = await _stories(context, 1, "split_usage")
    story = await context.services.stories.split(actor_of(update), article)
    await reply(update, context, "split_done", title=article.title, story=story.title)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("merge", merge, filters=filters.UpdateType.MESSAGE))
    app.add_handler(CommandHandler("split", split, filters=filters.UpdateType.MESSAGE))
