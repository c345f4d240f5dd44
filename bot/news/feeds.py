"""Feeds: managing them, and polling them on a schedule with backoff, so one bad feed costs only itself."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from typing import Protocol

from bot import tasks
from bot.clock import SYSTEM_CLOCK, Clock
from bot.news.fetch import Fetcher, FetchError, PrivateAddressError, check_url
from bot.news.parse import FeedError, FeedItem, extract_article, parse_feed, read_feed
from bot.news.publisher import Publisher, Story
from bot.texts import Id, Text, plain
from storage.feeds import FeedRepository, FeedRow

log = logging.getLogger(__name__)
PRIVATE_ADDRESS = Text("addfeed_private_address")  # add(): the feed is on a private or local address

MAX_FAILURES = 5  # in a row; then the feed is paused and the admins are told why
MAX_BACKOFF = 6 * 3600
JITTER = 0.1
CONCURRENT_FETCHES = 4
RESUME_FRESH = 3600  # items a resumed feed published less than this before the resume are still posted
FEED_NAME_CHARS = 80  # as a feed's own title is cut (bot/news/parse.py)
TEASER_CHARS = 400  # an item with less text than this is a teaser: its page is fetched

DUPLICATE = Text("addfeed_duplicate")


class AdminNotice(Protocol):
    """Tells the admins, each in their language (bot/notify.py's Notifier.notify_admins)."""

    async def __call__(self, key: str, **params: object) -> None: ...


@dataclass(frozen=True)
class PollResult:
    new: int = 0
    queued: int = 0
    error: str | None = None


class FeedService:
    def __init__(
        self,
        feeds: FeedRepository,
        publisher: Publisher,
        fetcher: Fetcher,
        interval: float,
        notify_admins: AdminNotice,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.clock = clock
        self.feeds = feeds
        self.publisher = publisher
        self.fetcher = fetcher
        self.interval = interval
        self.notify_admins = notify_admins
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._limit = asyncio.Semaphore(CONCURRENT_FETCHES)
        self._busy: set[int] = set()
        self._polls: set[asyncio.Task[None]] = set()

    def _next_check(self, failures: int = 0) -> float:
        delay = min(MAX_BACKOFF, self.interval * (2**failures))
        return self.clock.time() + delay * (1 + random.uniform(-JITTER, JITTER))

    # ----- management ---------------------------------------------------------------------------------
    async def add(self, url: str, name: str | None, added_by: int | None) -> tuple[FeedRow | None, Text | None]:
        """Add a feed after one successful fetch; its current items are recorded as seen, not posted.
        Returns (feed, None) or (None, reason): DUPLICATE, PRIVATE_ADDRESS, or why it could not be read."""
        try:
            url = check_url(url)
        except FetchError as error:
            return None, error.text
        if await self.feeds.by_url(url):
            return None, DUPLICATE
        try:
            fetched = await self.fetcher.get(url)
            document = read_feed(fetched.content, fetched.content_type)
        except PrivateAddressError:
            return None, PRIVATE_ADDRESS
        except (FetchError, FeedError) as error:
            return None, error.text
        # Without a name from the admin, the feed's own title names it (in its posts' source, and in /feeds).
        feed = await self.feeds.add(url, name or document.title, added_by, int(self.clock.time()))
        if feed is None:
            return None, DUPLICATE
        for item in document.items:
            await self.publisher.ingest(self._story(feed, item), backlog=True)
        await self.feeds.record_success(
            feed.id, fetched.etag, fetched.last_modified, int(self.clock.time()), self._next_check()
        )
        self._wake.set()
        return await self.feeds.get(feed.id), None

    async def all_feeds(self) -> list[FeedRow]:
        return await self.feeds.all()

    async def get(self, feed_id: int) -> FeedRow | None:
        return await self.feeds.get(feed_id)

    async def rename(self, feed_id: int, name: str) -> bool:
        """Name a feed anew (the source of its next posts, and in /feeds); False when there is no such feed."""
        return await self.feeds.rename(feed_id, " ".join(name.split())[:FEED_NAME_CHARS])

    async def remove(self, feed_id: int) -> bool:
        return await self.feeds.remove(feed_id)

    async def pause(self, feed_id: int, reason: Text) -> bool:
        return await self.feeds.set_status(feed_id, "paused", reason.encode(), 0)

    async def resume(self, feed_id: int) -> bool:
        """Poll again now, with the failure count reset; what it published while paused, up to RESUME_FRESH
        seconds ago, is old news by now: recorded as seen, not posted."""
        now = self.clock.time()
        resumed = await self.feeds.resume(feed_id, now, int(now) - RESUME_FRESH)
        self._wake.set()
        return resumed

    async def seed(self, urls: list[str]) -> None:
        """Add the feeds named in the FEEDS setting that the database does not have yet."""
        for url in urls:
            if await self.feeds.by_url(url) is None:
                _, error = await self.add(url, None, None)
                if error and error != DUPLICATE:
                    log.warning("feed %s from FEEDS could not be added: %s", url, plain(error.render("en")))

    # ----- polling --------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="feed-poller")

    async def stop(self) -> None:
        for task in [self._task, *self._polls]:
            await tasks.cancel(task)

    async def _run(self) -> None:
        while True:
            try:
                due = await self.feeds.due(self.clock.time())
                for feed in due:
                    if feed.id not in self._busy:
                        self._busy.add(feed.id)
                        task = asyncio.create_task(self._poll_guarded(feed))
                        self._polls.add(task)
                        task.add_done_callback(self._polls.discard)
                next_at = await self.feeds.next_due_at()
            except Exception:
                log.exception("feed poller round failed")
                next_at = None
            wait = 1.0 if next_at is None else min(5.0, max(0.05, next_at - self.clock.time()))
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _poll_guarded(self, feed: FeedRow) -> None:
        try:
            async with self._limit:
                await self.poll(feed)
        except Exception:  # a feed must never take the poller down
            log.exception("polling feed %s failed unexpectedly", feed.id)
        finally:
            self._busy.discard(feed.id)

    async def poll(self, feed: FeedRow) -> PollResult:
        """Fetch one feed, ingest its new items, and schedule the next poll (with backoff on failure)."""
        try:
            fetched = await self.fetcher.get(feed.url, feed.etag, feed.last_modified)
            items = [] if fetched.not_modified else parse_feed(fetched.content, fetched.content_type)
        except (FetchError, FeedError) as error:
            return await self._failed(feed, error)
        queued = 0
        first_read = feed.last_checked_at is None  # add() was cut short (a stop, or this poll raced it)
        for item in items:
            backlog = first_read or (item.published is not None and item.published < feed.news_since)
            story = self._story(feed, item) if backlog else await self._with_full_text(self._story(feed, item))
            outcome = await self.publisher.ingest(story, backlog=backlog)
            queued += outcome.state == "queued"
        await self.feeds.record_success(
            feed.id, fetched.etag, fetched.last_modified, int(self.clock.time()), self._next_check()
        )
        return PollResult(new=len(items), queued=queued)

    async def _failed(self, feed: FeedRow, error: FetchError | FeedError) -> PollResult:
        """Count the failure (its reason stored as a catalog key, told to each admin in their language)."""
        reason = error.text
        failures = await self.feeds.record_failure(
            feed.id, reason.encode(), int(self.clock.time()), self._next_check(feed.failures + 1)
        )
        log.warning("feed %s (%s) failed %d time(s) in a row: %s", feed.id, feed.url, failures, error)
        if failures >= MAX_FAILURES:
            await self.feeds.set_status(feed.id, "paused", reason.encode())
            await self.notify_admins("feed_paused_notice", feed=feed.name or feed.url, id=Id(feed.id), reason=reason)
        return PollResult(error=str(error))

    def _story(self, feed: FeedRow, item: FeedItem) -> Story:
        return Story(
            title=item.title,
            body=item.text,
            source=feed.name,
            url=item.url,
            guid=item.guid,
            feed_id=feed.id,
            image_url=item.image_url,
            published=item.published,
            categories=list(item.categories),
        )

    async def _with_full_text(self, story: Story) -> Story:
        """A teaser item gets the main text of its page, when the page can be fetched and read."""
        if len(story.body) >= TEASER_CHARS or not story.url:
            return story
        if await self.publisher.find_known(story) is not None:
            return story  # already recorded: its page need not be fetched
        try:
            page = await self.fetcher.get(story.url)
            text = await asyncio.to_thread(extract_article, page.content, page.url)
        except Exception as error:  # fetch errors, and extraction libraries raise many things on odd pages
            log.info("could not read the page of %s: %s", story.url, error)
            return story
        if len(text) > len(story.body):
            story.body = text
        return story
