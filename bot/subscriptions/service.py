"""Subscriptions: each reader's mode and filters, instant alerts, /latest and /search."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

from bot.clock import SYSTEM_CLOCK, Clock
from bot.news.publisher import Publisher
from bot.notify import Notifier
from bot.render.html import Safe
from bot.text.normalize import matching_form
from bot.text.phrases import fold, phrase_keys
from bot.texts import localize_number, t
from bot.user_errors import SubscriptionError
from bot.users import UserService
from storage.articles import ArticleRow
from storage.feeds import FeedRepository
from storage.subscriptions import FilterRow, SubscriptionRepository

log = logging.getLogger(__name__)

MODES = ("instant", "digest", "off")
TOPICS_SHOWN = 8
MAX_TOPICS = 20  # a reader's chosen topics are all shown: with the sources and keywords, within 100 buttons
SOURCES_SHOWN = 30
MAX_KEYWORDS = 10
KEYWORD_LENGTH = (2, 60)
SEARCH_RESULTS = 5
SUMMARY_LINE = 160


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    chosen: bool


@dataclass(frozen=True)
class Settings:
    """What the reader's settings message shows."""

    mode: str
    topics: list[Choice]
    sources: list[Choice]
    keywords: list[FilterRow]


@dataclass(frozen=True)
class StoryKeys:
    """A story as the filters see it: topic keys, source, and every phrase key of its text."""

    topics: frozenset[str]
    source: str
    phrases: frozenset[str]

    @classmethod
    def of(cls, article: ArticleRow) -> StoryKeys:
        text = f"{article.title}\n{article.summary}\n{article.body}"
        return cls(
            frozenset(topic_key(tag) for tag in article.tags),
            str(article.feed_id or ""),
            frozenset(phrase_keys(text)),
        )


def matches(filters: list[FilterRow], story: StoryKeys) -> bool:
    """No filters: every story. Otherwise a story matching any one of them."""
    if not filters:
        return True
    for item in filters:
        if item.kind == "keyword" and item.key in story.phrases:
            return True
        if item.kind == "topic" and topic_key(item.value) in story.topics:
            return True
        if item.kind == "source" and item.key == story.source:
            return True
    return False


def topic_key(tag: str) -> str:
    """A hashtag as topics are matched: its spelling normalised (Arabic yeh, digits), every letter and digit kept
    (`fold`, for keywords, reads «۲۰۰۲» as «۲۰۲»)."""
    return matching_form(tag.lstrip("#"))


RESUME_WINDOW = 48 * 3600  # seconds: older stories' alerts are not news any more


def search_query(words: str) -> str | None:
    """An FTS5 query from what a reader typed: each word of its matching form quoted (no FTS syntax gets
    through), a prefix match for words of three letters or more (suffixes: `تحریم‌ها`), all required; or the
    words written together (`رئیس جمهور` finds `رئیس‌جمهور`, whose matching form is one word)."""
    tokens = [token for token in matching_form(words).split() if token][:8]
    if not tokens:
        return None

    def term(token: str) -> str:
        return f'"{token}"*' if len(token) >= 3 else f'"{token}"'

    every = " ".join(term(token) for token in tokens)
    return f"({every}) OR {term(''.join(tokens))}" if 1 < len(tokens) <= 3 else every


def search_body(article: ArticleRow) -> str:
    """What is indexed: the matching form, plus each pair of adjacent words written together."""
    tokens = matching_form(f"{article.title}\n{article.summary}\n{article.body}").split()
    pairs = [a + b for a, b in itertools.pairwise(tokens)]
    return " ".join(tokens + pairs)


class SubscriptionService:
    def __init__(
        self,
        repo: SubscriptionRepository,
        feeds: FeedRepository,
        users: UserService,
        publisher: Publisher,
        notifier: Notifier,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.feeds = feeds
        self.users = users
        self.publisher = publisher
        self.notifier = notifier
        self.clock = clock

    # ----- a reader's settings --------------------------------------------------------------------------------
    async def settings(self, user_id: int) -> Settings:
        filters = await self.repo.filters(user_id)
        chosen = {(f.kind, f.key) for f in filters}
        # The reader's own topics first, however long ago they were last used (else the page would say «all»
        # while stories are being filtered, with no button to undo it), then the newest others: at most
        # MAX_TOPICS + TOPICS_SHOWN buttons.
        own = await self.repo.topics_named([f.value for f in filters if f.kind == "topic"])
        recent = [topic for topic in await self.repo.recent_topics(TOPICS_SHOWN + len(own)) if topic not in own]
        topics = [Choice(topic_id, name, True) for topic_id, name in own]
        topics += [Choice(topic_id, name, False) for topic_id, name in recent[:TOPICS_SHOWN]]
        # The reader's own sources even when their feed was paused or removed (the filter still holds), then the
        # active feeds; one button each, within Telegram's 100 a keyboard.
        sources = [Choice(int(f.key), f.value, True) for f in filters if f.kind == "source"]
        sources += [Choice(feed.id, feed.name or feed.url, False) for feed in await self.feeds.all()
                    if feed.status == "active" and ("source", str(feed.id)) not in chosen]  # fmt: skip
        sources = sources[:SOURCES_SHOWN]
        keywords = [f for f in filters if f.kind == "keyword"]
        return Settings(await self.repo.mode(user_id), topics, sources, keywords)

    async def set_mode(self, user_id: int, mode: str) -> bool:
        """Set the reader's mode; False when it already was that mode (nothing changed)."""
        if mode not in MODES:
            raise SubscriptionError("button_expired")
        if await self.repo.mode(user_id) == mode:
            return False
        await self.repo.set_mode(user_id, mode, int(self.clock.time()))
        return True

    async def toggle_topic(self, user_id: int, topic_id: int) -> None:
        name = await self.repo.topic(topic_id)
        if name is None:
            raise SubscriptionError("button_expired")
        if await self.repo.remove_filter(user_id, "topic", name):
            return
        if sum(1 for f in await self.repo.filters(user_id) if f.kind == "topic") >= MAX_TOPICS:
            raise SubscriptionError("sub_topic_too_many", limit=MAX_TOPICS)
        await self.repo.add_filter(user_id, "topic", name, name)
        await self._switch_on(user_id)

    async def toggle_source(self, user_id: int, feed_id: int) -> None:
        if await self.repo.remove_filter(user_id, "source", str(feed_id)):
            return  # unticked, even when the feed is gone
        feed = await self.feeds.get(feed_id)
        if feed is None:
            raise SubscriptionError("button_expired")
        await self.repo.add_filter(user_id, "source", feed.name or feed.url, str(feed.id))
        await self._switch_on(user_id)

    async def add_keyword(self, user_id: int, text: str) -> str:
        """Add a keyword (any spelling of it matches); returns the mode afterwards (see `_switch_on`)."""
        keyword = " ".join(text.split())
        key = fold(keyword)
        if not (KEYWORD_LENGTH[0] <= len(key) and len(keyword) <= KEYWORD_LENGTH[1]):
            raise SubscriptionError("sub_keyword_invalid", low=KEYWORD_LENGTH[0], high=KEYWORD_LENGTH[1])
        current = await self.repo.filters(user_id)
        if sum(1 for f in current if f.kind == "keyword") >= MAX_KEYWORDS:
            raise SubscriptionError("sub_keyword_too_many", limit=MAX_KEYWORDS)
        if not await self.repo.add_filter(user_id, "keyword", keyword, key):
            raise SubscriptionError("sub_keyword_exists", keyword=keyword)
        return await self._switch_on(user_id)

    async def _switch_on(self, user_id: int) -> str:
        """A filter just chosen by an `off` reader turns instant alerts on (else it would do nothing).
        Returns the mode afterwards."""
        mode = await self.repo.mode(user_id)
        if mode == "off":
            mode = "instant"
            await self.repo.set_mode(user_id, mode, int(self.clock.time()))
        return mode

    async def remove_filter(self, user_id: int, filter_id: int) -> None:
        if not await self.repo.remove_filter_id(user_id, filter_id):
            raise SubscriptionError("button_expired")

    # ----- stories ----------------------------------------------------------------------------------------
    async def on_posted(self, article_id: int) -> int:
        """A story reached the channel: index it, list its topics, alert instant subscribers (once each,
        even across restarts: the outbox key is per story and reader). Returns the alerts queued."""
        article = await self.publisher.articles.get(article_id)
        if article is None or article.state != "posted":
            return 0
        await self.repo.index(article.id, search_body(article))
        # Tags are stored as Telegram hashtags (`#رئیس_جمهور`); topics are shown with their own `#`.
        topics = [tag.lstrip("#") for tag in article.tags if tag.strip("#")]
        await self.repo.touch_topics(topics, int(self.clock.time()))
        story = StoryKeys.of(article)
        messages = []
        for user_id, filters in (await self.repo.subscribers("instant")).items():
            if matches(filters, story):
                lang = await self.users.language(user_id, None)
                alert = self.alert(article, lang, user_id)
                messages.append((f"alert:{article.id}:{user_id}", "alert", user_id, "sendMessage", alert))
        queued = await self.notifier.queue_many(messages)
        await self.repo.fanout_done(f"alerts:{article.id}", int(self.clock.time()))
        if queued:
            log.info("story %s: %d instant alert(s) queued", article.id, queued)
        return queued

    async def resume_alerts(self) -> int:
        """At start: the alerts of stories posted by a process that stopped before queueing them all (the
        outbox keys keep the ones queued before from going twice). Returns the alerts queued now."""
        since = int(self.clock.time()) - RESUME_WINDOW
        return sum([await self.on_posted(article_id) for article_id in await self.repo.posted_without_alerts(since)])

    def alert(self, article: ArticleRow, lang: str, user_id: int) -> dict:
        text = t(lang, "alert", title=article.title, summary=one_line(article.summary),
                 source=article.source or "-")  # fmt: skip
        button = {"text": str(t(lang, "alert_open")), "url": self.publisher.deep_link(article)}
        return {
            "chat_id": user_id,
            "text": str(text),
            "parse_mode": "HTML",
            "reply_markup": {"inline_keyboard": [[button]]},
            "link_preview_options": {"is_disabled": True},
        }

    async def backfill_index(self) -> int:
        """Index stories posted before search existed (or whose indexing was interrupted)."""
        done = 0
        while batch := await self.repo.unindexed(200):
            for article in batch:
                await self.repo.index(article.id, search_body(article))
                done += 1
        return done

    async def search(self, words: str) -> list[ArticleRow]:
        query = search_query(words)
        return await self.repo.search(query, SEARCH_RESULTS) if query else []

    async def latest(self) -> list[ArticleRow]:
        return await self.repo.latest(SEARCH_RESULTS)

    def results_text(
        self, articles: list[ArticleRow], lang: str, header: str, sources: dict[int, int] | None = None
    ) -> str:
        """One line per story; `sources`: how many outlets reported each (shown when more than one)."""
        lines = [header]
        for number, article in enumerate(articles, 1):
            lines.append(str(t(lang, "story_line", n=localize_number(number, lang), title=article.title,
                               comments=localize_number(article.comment_count, lang),
                               sources=sources_note((sources or {}).get(article.id, 1), lang))))  # fmt: skip
        return "\n".join(lines)


def sources_note(count: int, lang: str) -> Safe:
    """` — ۳ منبع` for a story several outlets reported; nothing for one."""
    return t(lang, "story_sources", count=count) if count > 1 else Safe("")


def one_line(summary: str, limit: int = SUMMARY_LINE) -> str:
    """The summary's first sentence, cut at a word boundary."""
    first = summary.strip().split("\n")[0]
    for mark in (".", "؟", "!"):
        cut = first.find(mark)
        if 0 < cut < limit:
            first = first[: cut + 1]
            break
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0] + "…"
    return first
