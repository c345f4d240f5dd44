"""Stories as readers and admins see them: a story's sources and timeline, and the admins' corrections
(`/merge A B`, `/split A`). The clustering itself is bot/news/stories.py; the posts are bot/news/publisher.py."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import SYSTEM_CLOCK, Clock
from bot.news.publisher import Publisher
from bot.user_errors import UserFacingError
from storage.articles import ArticleRow
from storage.stories import StoryRepository

TIMELINE_ENTRIES = 5  # the first report and the latest ones


@dataclass(frozen=True)
class TimelineEntry:
    at: int
    source: str
    title: str
    article_id: int


@dataclass(frozen=True)
class StoryView:
    """What a story's discussion page shows of it: the story's number (for admins), its outlets with their
    reports' links, and when it developed (several reports), its timeline."""

    story_id: int
    sources: list[tuple[str, str | None]]
    timeline: list[TimelineEntry]


@dataclass(frozen=True)
class Merged:
    survivor: ArticleRow
    merged: ArticleRow
    comments: int  # moved to the survivor


class StoryService:
    def __init__(self, repo: StoryRepository, publisher: Publisher, clock: Clock = SYSTEM_CLOCK) -> None:
        self.repo = repo
        self.publisher = publisher
        self.clock = clock

    async def view(self, article: ArticleRow) -> StoryView:
        lead = await self.repo.lead(article)
        sources = [(lead.source, lead.url)] if lead.source else []
        sources += [(s.source, s.url) for s in await self.repo.sources(lead.id) if s.source != lead.source]
        reports = await self.repo.reports(lead.id)
        entries = [TimelineEntry(r.published_at or r.created_at, r.source or "", r.title, r.id) for r in reports]
        entries.sort(key=lambda entry: (entry.at, entry.article_id))
        if len(entries) < 2:
            entries = []
        elif len(entries) > TIMELINE_ENTRIES:
            entries = entries[:1] + entries[-(TIMELINE_ENTRIES - 1) :]
        return StoryView(lead.id, sources, entries)

    async def merge(self, actor: int, first: ArticleRow, second: ArticleRow) -> Merged:
        """Story `second` (the story of that article) joins story `first`, with its outlets, reports and
        discussion; its post then points to the surviving one."""
        survivor = await self.repo.lead(first)
        merged = await self.repo.lead(second)
        if survivor.id == merged.id:
            raise UserFacingError("merge_same")
        for story in (survivor, merged):
            if story.state not in ("queued", "posted") or story.deleted:
                raise UserFacingError("story_not_found", ref=str(story.id))
        if merged.state == "queued" and not await self.publisher.outbox.cancel(f"post:{merged.id}", "merged"):
            raise UserFacingError("story_not_posted", title=merged.title)  # its post is going out right now
        await self.repo.merge(survivor.id, merged.id, actor, int(self.clock.time()))
        self.publisher.clusterer.merge(survivor.id, merged.id)
        if merged.channel_message_id is not None:
            await self.publisher.show_merged(merged, survivor, self.publisher.deep_link(survivor))
        await self.publisher.refresh_post(survivor.id)  # its sources and its button's count, in one edit
        return Merged(survivor, merged, merged.comment_count)

    async def split(self, actor: int, article: ArticleRow) -> ArticleRow:
        """A report leaves the story it joined and becomes a story of its own (posted as one, or its old post,
        if an admin had merged it, shows it again). Returns the story it left."""
        if article.duplicate_of is None or article.state != "duplicate":
            reports = await self.repo.reports(article.id)
            raise UserFacingError("split_lead" if len(reports) > 1 else "split_alone", title=article.title)
        story = await self.repo.lead(article)
        state = await self.repo.split(article, actor, int(self.clock.time()))
        self.publisher.clusterer.split(article.id)
        if state == "queued":
            await self.publisher.enqueue_post(article.id)
        else:
            await self.publisher.show_split(article)
        await self.publisher.refresh_post(story.id)
        return story
