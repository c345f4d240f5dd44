"""From a story (feed item or admin draft) to a queued channel post, through one pipeline:
text engine → identity check → clustering into stories (bot/news/stories.py) → article row → outbox.

A report of an event already posted joins that story instead of making a post: the post is edited in place
with a «همچنین: …» line linking each other outlet. Every edit of a post (its sources, its `💬 نظرات (N)`
button) is built by one function from the whole current state, on one outbox key, so neither undoes the other."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import secrets
import string
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.clock import SYSTEM_CLOCK, Clock
from bot.news import identity
from bot.news.stories import Signals, StoryClusterer
from bot.notify import Notifier
from bot.render.html import Safe
from bot.render.post import CAPTION_LIMIT, TEXT_LIMIT, PostContent, render_post
from bot.text.chars import to_latin_digits
from bot.text.engine import ProcessedArticle, TextEngine
from bot.text.hashtags import MAX_TAGS, as_hashtag
from bot.texts import t
from storage.articles import ArticleRepository, ArticleRow, NewArticle
from storage.outbox import OutboxRepository, OutboxRow
from storage.stories import StoryRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)

PUBLIC_ID_ALPHABET = string.ascii_letters + string.digits
DEEP_LINK_PREFIX = "a"  # /start a<public id> opens an article's discussion
COMMENT_LINK_SEPARATOR = "_"  # /start a<public id>_<comment id> opens one of its comments
BUTTON_EDIT_INTERVAL = 30.0  # at most one edit of a post's comment button per 30 s
STORY_EDIT_INTERVAL = 60.0  # at most one edit of a post's text (its sources) per minute
MERGED = ":merged"  # shown_text ending of a post an admin merged into another story (it points there now)
SPLIT = ":split"  # ... and of such a post split out again (its own text must be shown again)
# What Telegram says when the channel will not take the bot's posts for now (it was removed, or is no longer an
# admin allowed to post, or the channel is gone): its posts wait for the bot to be an admin again.
CHANNEL_REFUSALS = ("forbidden", "need administrator rights", "not enough rights", "have no rights",
                    "chat_write_forbidden", "chat not found")  # fmt: skip
CHANNEL_REFUSED_STATE = "channel_refused:"  # bot_state key (+ the channel): the admins were told it refuses
NO_CHANNEL_STATE = "channel_not_set"  # bot_state key: the admins were told news cannot go out without CHANNEL_ID


@dataclass
class Story:
    """A story before it becomes an article."""

    title: str
    body: str
    source: str | None = None
    url: str | None = None
    guid: str | None = None
    feed_id: int | None = None
    image_url: str | None = None
    published: int | None = None
    summary: str | None = None  # an admin's own summary replaces the generated one
    hashtags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # the feed's categories: hashtags before the generated ones
    final: bool = False  # an admin's draft: title, body and summary are published as they are, never normalized


@dataclass(frozen=True)
class Outcome:
    state: str  # queued, seen, duplicate, known
    article_id: int | None = None
    duplicate_of: int | None = None


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


class Publisher:
    def __init__(
        self,
        engine: TextEngine,
        articles: ArticleRepository,
        outbox: OutboxRepository,
        channel_id: str | None,
        bot_username: Callable[[], str],
        lang: str,
        tz: Any,
        notifier: Notifier,
        miniapp: bool = False,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.clock = clock
        self.miniapp = miniapp  # the post's button opens the bot's Mini App rather than the chat
        self.engine = engine
        self.articles = articles
        self.outbox = outbox
        self.channel_id = channel_id
        self.bot_username = bot_username
        self.lang = lang
        self.tz = tz
        self.notifier = notifier  # every post and edit is queued through it
        self.stories = StoryRepository(articles.db)
        self.state = UserRepository(articles.db)  # its bot_state: what must be told once, across restarts
        self.clusterer = StoryClusterer(self.stories, clock, run=self._in_text_worker)
        self._wanted: dict[int, int] = {}  # post → the count an edit asked for while another was in flight
        self.stage_seconds: defaultdict[str, float] = defaultdict(float)  # seconds per pipeline stage (make bench)
        # hazm objects are not shared between threads: one worker keeps CPU-bound text work off the event loop.
        self._text_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-engine")

    async def _in_text_worker(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._text_worker, function, *args)

    def close(self) -> None:
        self._text_worker.shutdown(wait=False, cancel_futures=True)

    async def process_text(self, title: str, body: str) -> ProcessedArticle:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._text_worker, self.engine.process_parts, title, body)

    async def process_raw(self, raw: str) -> ProcessedArticle:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._text_worker, self.engine.process, raw)

    def start_link(self, payload: str) -> str:
        """The link that opens the bot's private chat with `/start <payload>`."""
        return f"https://t.me/{self.bot_username()}?start={payload}"

    def deep_link(self, article: ArticleRow, comment_id: int | None = None) -> str:
        """`/start a<article>` opens its discussion; with a comment, `a<article>_<comment>` opens that comment."""
        comment = f"{COMMENT_LINK_SEPARATOR}{comment_id}" if comment_id is not None else ""
        return self.start_link(f"{DEEP_LINK_PREFIX}{article.public_id}{comment}")

    def discussion_link(self, article: ArticleRow) -> str:
        """Where the channel post's button leads: the bot's main Mini App when there is one, else the chat.
        (A channel post cannot carry a web_app button; a t.me link with `startapp` opens the Mini App.)"""
        if self.miniapp:
            return f"https://t.me/{self.bot_username()}?startapp={DEEP_LINK_PREFIX}{article.public_id}"
        return self.deep_link(article)

    async def find_known(self, story: Story) -> ArticleRow | None:
        """The article this story already is: same guid in its feed, same page, or same title within 48 hours."""
        return await self.articles.find_same(
            story.feed_id,
            story.guid,
            identity.canonical_url(story.url),
            identity.title_key(story.title),
            int(self.clock.time()) - identity.WINDOW_SECONDS,
        )

    async def ingest(self, story: Story, *, backlog: bool = False) -> Outcome:
        """Record a story; queue it for the channel unless it is backlog, already known or a near-duplicate."""
        now = int(self.clock.time())
        canonical = identity.canonical_url(story.url)
        key = identity.title_key(story.title)
        known = await self.find_known(story)
        if known is not None:
            # Another outlet's report under the same headline (not this item seen again): its outlet is listed.
            lead = await self.stories.lead(known) if story.source and known.source != story.source else None
            listed = {s.source for s in await self.stories.sources(lead.id)} if lead is not None else set()
            if lead is not None and lead.state in ("queued", "posted") and story.source not in listed | {lead.source}:
                await self.articles.add_source(lead.id, story.source or "", story.url, now)
                await self.refresh_post(lead.id)
            return Outcome("known", known.id)
        if backlog:
            article_id = await self.articles.insert(self._new(story, key, canonical, None, None), "seen", now)
            return Outcome("seen", article_id)
        started = time.perf_counter()
        if story.final:
            processed = ProcessedArticle(story.title, story.body, story.summary or "", list(story.hashtags))
        else:
            processed = await self.process_text(story.title, story.body)
        checked = time.perf_counter()
        sig = identity.signature(f"{processed.title}\n{processed.body}")
        source = story.source or processed.source
        signals = await self.clusterer.signals(processed.title, processed.body, now, sig, source)
        match = await self.clusterer.match(signals)
        article = self._new(story, key, canonical, processed, sig, signals)
        self.stage_seconds["text engine"] += checked - started
        self.stage_seconds["story clustering"] += time.perf_counter() - checked
        stored = time.perf_counter()
        if match is not None:
            article_id = await self.articles.insert(article, "duplicate", now, duplicate_of=match.story_id)
            self.clusterer.add(article_id, match.story_id, signals)
            lead = await self.articles.get(match.story_id)
            if lead is not None and (source or story.url) and source != lead.source:
                await self.articles.add_source(match.story_id, source or story.url or "?", story.url, now)
                await self.refresh_post(match.story_id)
            log.info("story %r joins story %s (score %.2f)", story.title[:60], match.story_id, match.score)
            return Outcome("duplicate", article_id, match.story_id)
        article_id = await self.articles.insert(article, "queued", now)
        self.clusterer.add(article_id, article_id, signals)
        await self.enqueue_post(article_id)
        self.stage_seconds["store and queue"] += time.perf_counter() - stored
        return Outcome("queued", article_id)

    def _new(
        self,
        story: Story,
        key: str,
        canonical: str | None,
        processed: ProcessedArticle | None,
        sig: bytes | None,
        signals: Signals | None = None,
    ) -> NewArticle:
        return NewArticle(
            public_id=new_public_id(),
            title=processed.title if processed else story.title,
            title_key=key,
            summary=story.summary or (processed.summary if processed else ""),
            body=processed.body if processed else "",
            source=story.source or (processed.source if processed else None),
            url=story.url,
            canonical_url=canonical,
            guid=story.guid,
            feed_id=story.feed_id,
            image_url=story.image_url,
            hashtags=tuple(story.hashtags or merge_tags(story.categories, processed.hashtags if processed else [])),
            published_at=story.published,
            signature=sig,
            story_signals=signals.to_json() if signals else None,
        )

    def post_content(self, article: ArticleRow, also: list[tuple[str, str | None]] | None = None) -> PostContent:
        return PostContent(
            title=article.title,
            summary=article.summary,
            source=article.source,
            url=article.url,
            # An item without a date (many feeds leave it out) is dated when the bot fetched it.
            published=as_utc(article.published_at if article.published_at is not None else article.created_at),
            hashtags=article.tags,
            also=also or [],
        )

    async def story_content(self, article: ArticleRow) -> PostContent:
        """The post of a story: the article, and the other outlets that reported it."""
        sources = await self.stories.sources(article.id)
        return self.post_content(article, [(s.source, s.url) for s in sources if s.source != article.source])

    def render(self, content: PostContent, *, photo: bool = False) -> Safe:
        """The channel post's text, or its caption (at most 1,024 characters) when it goes with a photo; the
        /post preview is drawn by this too, so that it is exactly the post."""
        return render_post(content, self.lang, self.tz, limit=CAPTION_LIMIT if photo else TEXT_LIMIT)

    def comments_button(self, article: ArticleRow, count: int) -> dict[str, Any]:
        label = t(self.lang, "post_comments_button", count=count)
        return {"inline_keyboard": [[{"text": label, "url": self.discussion_link(article)}]]}

    async def enqueue_post(self, article_id: int) -> None:
        """Queue the channel post of an article (once: the key is the article)."""
        article = await self.articles.get(article_id)
        if article is None:
            return
        if not self.channel_id:
            await self.articles.mark_failed(article_id, "CHANNEL_ID is not set")
            if await self.state.set_state_once(NO_CHANNEL_STATE, article.title):  # once, until CHANNEL_ID is set
                await self.notifier.notify_admins("channel_not_set_notice", title=article.title)
            return
        markup = self.comments_button(article, 0)
        content = await self.story_content(article)
        text_payload = {
            "chat_id": self.channel_id,
            "text": self.render(content),
            "parse_mode": "HTML",
            "reply_markup": markup,
            "link_preview_options": {"is_disabled": True},
        }
        method, payload, fallback = "sendMessage", text_payload, None
        if article.image_url:
            method = "sendPhoto"
            payload = {
                "chat_id": self.channel_id,
                "photo": article.image_url,
                "caption": self.render(content, photo=True),
                "parse_mode": "HTML",
                "reply_markup": markup,
            }
            fallback = {"method": "sendMessage", "payload": text_payload}
        await self.notifier.send(f"post:{article.id}", "channel_post", self.channel_id, method, payload,
                                 fallback=fallback, article_id=article.id)  # fmt: skip

    async def update_comment_count(self, article_id: int, count: int, article: ArticleRow | None = None) -> None:
        """Edit the post's `💬 نظرات (N)` button, at most once per 30 s per post (the newest count wins).
        `article` saves reading it again when the caller has it (its own count is not used)."""
        if article is None or article.id != article_id:
            article = await self.articles.get(article_id)
        if article is not None:
            await self._queue_edit(article, count)

    async def refresh_post(self, article_id: int) -> None:
        """The story's sources changed: edit its post (at most once a minute), keeping its button's count."""
        article = await self.articles.get(article_id)
        if article is not None:
            await self._queue_edit(article, article.comment_count)

    async def _queue_edit(self, article: ArticleRow, count: int) -> None:
        """The one edit of a channel post, built from everything it must show now: its text with the story's
        sources and its button with `count`. Only what Telegram does not show yet is sent: the text and the
        button (editMessageText or editMessageCaption), or the button alone (editMessageReplyMarkup); when
        both are shown, a waiting edit is withdrawn. One outbox key per post: a newer edit replaces a waiting one."""
        if article.state != "posted" or article.channel_message_id is None:
            return
        shown = await self.stories.shown_text(article.id)
        if shown is not None and shown.endswith(MERGED):
            return
        photo = shown.startswith("photo:") if shown else bool(article.image_url)
        text = self.render(await self.story_content(article), photo=photo)
        if shown is None:  # posted before stories: its text had no sources
            shown = text_key(self.render(self.post_content(article), photo=photo), photo)
        text_changed = text_key(text, photo) != shown
        if not text_changed and count == await self.articles.button_count(article.id):
            await self.outbox.withdraw(f"button:{article.id}")  # an edit to another count, now outdated
            return
        params: dict[str, Any] = {
            "chat_id": article.channel_chat_id,
            "message_id": article.channel_message_id,
            "reply_markup": self.comments_button(article, count),
        }
        method = "editMessageReplyMarkup"
        if text_changed:
            method = "editMessageCaption" if photo else "editMessageText"
            params.update({"caption": text} if photo else {"text": text, "link_preview_options": {"is_disabled": True}})
            params["parse_mode"] = "HTML"
        interval = STORY_EDIT_INTERVAL if text_changed else BUTTON_EDIT_INTERVAL
        if not await self._enqueue_edit(article, method, params, interval):
            self._wanted[article.id] = count  # the last edit is in flight: this one follows when it is confirmed

    async def _enqueue_edit(self, article: ArticleRow, method: str, params: dict[str, Any], interval: float) -> bool:
        """Queue a post's edit on its one key; False when an edit of it is in flight (it cannot be replaced)."""
        now = self.clock.time()
        queued = await self.notifier.send(
            f"button:{article.id}",
            "button_edit",
            str(article.channel_chat_id),
            method,
            params,
            not_before=await self._next_button_edit(article.id, now, interval),
            article_id=article.id,
            replace_pending=True,
        )
        if queued:
            return True
        return not await self.stories.edit_waiting(article.id, "sending")

    async def _catch_up(self, article_id: int) -> None:
        """After an edit went out: what changed while it was in flight (an edit cannot replace one in flight)
        goes out now: the count asked for meanwhile, or the story's new text with the count just shown."""
        article = await self.articles.get(article_id)
        if article is None or article.state != "posted":
            return
        wanted = self._wanted.pop(article_id, None)
        if wanted is not None:
            await self._queue_edit(article, wanted)
            return
        shown = await self.stories.shown_text(article_id)
        if shown is None or shown.endswith(MERGED) or await self.stories.edit_waiting(article_id, "pending"):
            return
        photo = shown.startswith("photo:")
        if text_key(self.render(await self.story_content(article), photo=photo), photo) != shown:
            await self._queue_edit(article, article.button_count)

    async def show_merged(self, article: ArticleRow, survivor: ArticleRow, link: str) -> None:
        """The post of a story an admin merged into another: it now says where the story goes on, without a
        button (its discussion moved there)."""
        if article.channel_message_id is None:
            return
        shown = await self.stories.shown_text(article.id)
        photo = shown.startswith("photo:") if shown else bool(article.image_url)
        text = t(self.lang, "story_merged_post", title=article.title, survivor=survivor.title, link=link)
        params: dict[str, Any] = {"chat_id": article.channel_chat_id, "message_id": article.channel_message_id,
                                  "parse_mode": "HTML", "reply_markup": {"inline_keyboard": []}}  # fmt: skip
        params.update({"caption": text} if photo else {"text": text, "link_preview_options": {"is_disabled": True}})
        await self._enqueue_edit(article, "editMessageCaption" if photo else "editMessageText", params, 0.0)
        await self.stories.set_shown_text(article.id, ("photo" if photo else "text") + MERGED)

    async def show_split(self, article: ArticleRow) -> None:
        """A post merged away and split out again shows its own story again."""
        shown = await self.stories.shown_text(article.id)
        if shown is not None and shown.endswith(MERGED):
            await self.stories.set_shown_text(article.id, shown.removesuffix(MERGED) + SPLIT)
        await self.refresh_post(article.id)

    async def _next_button_edit(self, article_id: int, now: float, interval: float = BUTTON_EDIT_INTERVAL) -> float:
        last = await self.outbox.sent_at(f"button:{article_id}")
        return max(now, (last or 0.0) + interval)

    async def note_channel_setting(self) -> None:
        """At start-up: with CHANNEL_ID set, a later run without it tells the admins again."""
        if self.channel_id:
            await self.state.clear_state(NO_CHANNEL_STATE)

    async def requeue_unsent(self) -> int:
        """At start-up: articles queued by a process that stopped before writing their outbox row."""
        unsent = await self.articles.queued_without_post()
        for article_id in unsent:
            await self.enqueue_post(article_id)
        return len(unsent)

    async def reconcile_buttons(self) -> int:
        """At start-up: a comment's change and its button edit are separate steps, and a process that died in
        between left the post's `💬 نظرات (N)` behind; queue the edit (or bring a queued one up to date) for
        every post whose button differs from the count readers reach. Returns how many."""
        behind = await self.articles.buttons_behind()
        for article_id, count in behind:
            await self.update_comment_count(article_id, count)
        return len(behind)

    async def on_sent(self, row: OutboxRow, result: dict[str, Any] | bool) -> None:
        if row.kind == "channel_post" and row.article_id is not None and isinstance(result, dict):
            chat = result.get("chat", {}).get("id")
            posted_at = int(self.clock.time())
            await self.articles.mark_posted(row.article_id, int(chat), int(result["message_id"]), posted_at)
            photo = "photo" in result
            fallback_used = not photo and row.method != "sendMessage" and row.fallback
            posted = json.loads(row.fallback)["payload"] if fallback_used and row.fallback else row.params
            text = str(posted.get("caption" if photo else "text", ""))
            await self.stories.set_shown_text(row.article_id, text_key(text, photo))
        elif row.kind == "button_edit" and row.article_id is not None:
            shown = shown_count(row.params)
            if shown is not None:
                await self.articles.set_button_count(row.article_id, shown)
            edited = row.params.get("text", row.params.get("caption"))
            now_shown = await self.stories.shown_text(row.article_id)
            if edited is not None and not (now_shown or "").endswith(MERGED):
                await self.stories.set_shown_text(row.article_id, text_key(str(edited), "caption" in row.params))
            await self._catch_up(row.article_id)

    async def on_dead(self, row: OutboxRow, reason: str) -> str | None:
        """Record why a channel post failed; returns the reason to tell the admins, if they must know. A post
        the channel refuses for now waits (see channel_writable), and the admins hear of that once."""
        if row.kind != "channel_post" or row.article_id is None:
            return None
        if not refuses_posts(reason):
            await self.articles.mark_failed(row.article_id, reason)
            return reason
        await self.articles.mark_waiting(row.article_id, reason)
        if await self.state.set_state_once(CHANNEL_REFUSED_STATE + row.chat_id, reason):
            await self.notifier.notify_admins("channel_refused_notice", reason=reason)
        return None

    def is_news_channel(self, chat_id: int, username: str | None) -> bool:
        """Whether this chat is CHANNEL_ID (a numeric id or an @username)."""
        channel = (self.channel_id or "").lstrip("@").lower()
        return bool(channel) and channel in (str(chat_id), (username or "").lower())

    async def channel_writable(self, chat_id: int, username: str | None) -> int:
        """The bot is an admin of a channel allowed to post: when it is the news channel, the posts that waited
        for it go out now, and the admins told it refused hear they do. Returns how many posts go out."""
        channel = self.channel_id
        if not channel or not self.is_news_channel(chat_id, username):
            return 0
        await self.outbox.mark_reachable(channel)
        told = await self.state.clear_state(CHANNEL_REFUSED_STATE + channel)
        revived = await self.outbox.revive_posts(channel, self.clock.time())
        if revived:
            self.notifier.wake_sender()
        if told or revived:
            await self.notifier.notify_admins("channel_back_notice", count=revived)
        return revived


def refuses_posts(reason: str) -> bool:
    """Whether Telegram's answer says the channel does not take the bot's posts for now."""
    return any(refusal in reason.lower() for refusal in CHANNEL_REFUSALS)


def text_key(text: str, photo: bool) -> str:
    """What identifies a post's text for 'is it shown already': its kind and a hash."""
    return ("photo:" if photo else "text:") + hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def shown_count(payload: dict[str, Any]) -> int | None:
    """The count a `💬 نظرات (N)` button edit put on the post, read back from its label."""
    try:
        label = payload["reply_markup"]["inline_keyboard"][0][0]["text"]
    except (KeyError, IndexError, TypeError):
        return None
    digits = re.findall(r"\d+", to_latin_digits(str(label)).replace("٬", "").replace(",", ""))
    return int(digits[-1]) if digits else None


def as_utc(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def merge_tags(categories: list[str], generated: list[str], limit: int = MAX_TAGS) -> list[str]:
    """The feed's categories as hashtags first, then the text engine's, without repeats."""
    tags: list[str] = []
    for tag in [as_hashtag(category) for category in categories] + list(generated):
        if tag and tag not in tags:
            tags.append(tag)
    return tags[:limit]
