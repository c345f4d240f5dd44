"""Scheduled digests: the channel's summary of a period and each digest subscriber's own, exactly once.

A digest period ends at a scheduled slot (DIGEST_TIMES in TIMEZONE) and starts where the previous recorded
period ended. The period is recorded in SQLite before anything is queued, so a restart, a second scheduler
or a repeated job finds the record and sends nothing again; the outbox keys are per slot and chat as well.
A slot missed while the bot was down is sent at start-up within DIGEST_GRACE_MINUTES, else recorded as
skipped (the next digest then starts after it, so a long outage does not produce one huge digest).

Ranking of stories (highest first): 3 × comments in the period + votes on its comments + 2 × each outlet
beyond the first that reported it + recency, where recency runs from 0 (posted at the start of the period) to 1
(at its end); ties go to the newer story. A story is listed once, however many outlets reported it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clock import SYSTEM_CLOCK, Clock
from bot.news.publisher import Publisher
from bot.notify import Notifier
from bot.render.dates import english_date, jalali_date
from bot.render.post import pack_parts
from bot.subscriptions.service import StoryKeys, matches, one_line, sources_note
from bot.text.chars import to_latin_digits
from bot.texts import localize_number, t
from bot.users import UserService
from storage.subscriptions import StoryActivity, SubscriptionRepository

log = logging.getLogger(__name__)

TIMES_KEY = "digest_times"
FIRST_START_KEY = "first_started_at"
JOB_NAME = "digest"
MESSAGE_LIMIT = 3900  # of Telegram's 4096, with room for entities counted differently
QUOTE_LIMIT = 200
NIGHT_ENDS = 5  # a digest before 05:00 is the night of the day before
SOURCE_WEIGHT = 2  # per outlet beyond the first: an event many agencies report matters more


class DailyJobs(Protocol):
    """The scheduler the digests run on (python-telegram-bot's JobQueue, handed in by the handlers)."""

    def get_jobs_by_name(self, name: str) -> Sequence[Any]: ...

    def run_daily(
        self, callback: Callable[[Any], Coroutine[Any, Any, Any]], time: time, *, name: str | None
    ) -> Any: ...


@dataclass(frozen=True)
class Digest:
    slot: str
    start: int
    end: int
    stories: list[StoryActivity]


def parse_times(text: str) -> list[time]:
    """`08:00,20:00` (Persian digits welcome) → sorted distinct times; ValueError when malformed."""
    times = set()
    for part in to_latin_digits(text).replace("،", ",").split(","):
        hours, _, minutes = part.strip().partition(":")
        times.add(time(int(hours), int(minutes or 0)))
    if not times or len(times) > 12:
        raise ValueError(text)
    return sorted(times)


def rank(stories: list[StoryActivity], start: int, end: int) -> list[StoryActivity]:
    span = max(1, end - start)

    def score(story: StoryActivity) -> tuple[float, int]:
        posted = story.article.posted_at or start
        importance = 3 * story.comments + story.votes + SOURCE_WEIGHT * (story.sources - 1)
        return importance + (posted - start) / span, posted

    return sorted(stories, key=score, reverse=True)


class DigestService:
    def __init__(
        self,
        repo: SubscriptionRepository,
        users: UserService,
        publisher: Publisher,
        notifier: Notifier,
        *,
        tz: ZoneInfo,
        times: list[time],
        channel_id: str | None,
        lang: str,
        grace_seconds: int,
        top_stories: int,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.repo = repo
        self.users = users
        self.publisher = publisher
        self.notifier = notifier
        self.tz = tz
        self.times = times
        self.channel_id = channel_id
        self.lang = lang
        self.grace = grace_seconds
        self.top_stories = top_stories
        # A channel set by its numeric id may still be public: its username, asked of Telegram at start-up.
        self.channel_username: str | None = None
        self.clock = clock
        self.first_start = 0  # the installation's first start (load() reads it)

    async def load(self) -> None:
        """Digest times changed at run time (/digesttimes) win over DIGEST_TIMES. The installation's first start
        is recorded once: no slot before it was ever due."""
        stored = await self.users.users.get_state(TIMES_KEY)
        if stored:
            self.times = parse_times(stored)
        first = await self.users.users.get_state(FIRST_START_KEY)
        if first is None:
            # A database from before this record: its first digest tells when the bot was already running.
            earliest = await self.repo.first_digest_at()
            first = str(earliest if earliest is not None else int(self.clock.time()))
            await self.users.users.set_state(FIRST_START_KEY, first)
        self.first_start = int(first)

    async def set_times(self, times: list[time]) -> None:
        self.times = times
        await self.users.users.set_state(TIMES_KEY, ",".join(moment.strftime("%H:%M") for moment in times))

    # ----- the schedule ----------------------------------------------------------------------------------
    def schedule(self, job_queue: DailyJobs) -> None:
        """One daily job per digest time, in the configured zone (python-telegram-bot's JobQueue runs them on
        APScheduler, which keeps wall-clock times across daylight-saving changes)."""
        for job in job_queue.get_jobs_by_name(JOB_NAME):
            job.schedule_removal()
        for moment in self.times:
            job_queue.run_daily(self._job, time=moment.replace(tzinfo=self.tz), name=JOB_NAME)

    async def _job(self, _context: object) -> None:
        await self.run_due()

    def latest_slot(self, now: float) -> datetime | None:
        """The most recent scheduled moment at or before `now`, in the configured zone."""
        local = datetime.fromtimestamp(now, self.tz)
        for days_back in range(0, 3):
            day = (local - timedelta(days=days_back)).date()
            for moment in sorted(self.times, reverse=True):
                slot = datetime.combine(day, moment, tzinfo=self.tz)
                if slot.timestamp() <= now:
                    return slot
        return None

    def next_slot(self, now: float) -> datetime:
        local = datetime.fromtimestamp(now, self.tz)
        for days_ahead in range(0, 3):
            day = (local + timedelta(days=days_ahead)).date()
            for moment in sorted(self.times):
                slot = datetime.combine(day, moment, tzinfo=self.tz)
                if slot.timestamp() > now:
                    return slot
        raise AssertionError("no digest time configured")

    async def run_due(self, now: float | None = None) -> str | None:
        """Send the digest of the latest slot if nobody did; at start-up this is the catch-up.
        Returns the state recorded (sent, empty, skipped) or None when there was nothing to do."""
        now = self.clock.time() if now is None else now
        slot = self.latest_slot(now)
        if slot is None:
            return None
        key = slot.isoformat()
        if await self.repo.digest(key) is not None:
            return None
        end = int(slot.timestamp())
        start = await self._period_start(end)
        if end < self.first_start:
            # Before the bot was first started: not missed, there was nothing to send it. Recorded, so that the
            # next digest starts after it.
            if await self.repo.claim_digest(key, start, end, "skipped", int(now)):
                log.info("digest of %s: before the bot's first start, nothing to send", key)
            return None
        if now - end > self.grace:
            if await self.repo.claim_digest(key, start, end, "skipped", int(now)):
                log.warning("digest of %s missed by %.0f min (grace %d min): skipped", key, (now - end) / 60,
                            self.grace // 60)  # fmt: skip
                return "skipped"
            return None
        return await self._send(key, start, end, now)

    async def send_now(self) -> str | None:
        """`/digest now`: the period since the last digest, up to this moment."""
        now = self.clock.time()
        end = int(now) + 1  # periods are [start, end): this second's stories belong to it
        return await self._send(f"manual-{end}", await self._period_start(end), end, now)

    async def _period_start(self, end: int) -> int:
        last = await self.repo.last_digest()
        if last is None:
            return end - 24 * 3600
        # A slot inside a period already covered (the times moved earlier after a digest went out): nothing
        # new, rather than the whole day again.
        return min(last.period_end, end)

    async def _send(self, key: str, start: int, end: int, now: float) -> str | None:
        if not await self.repo.claim_digest(key, start, end, "sent", int(now)):
            return None  # another run recorded it first
        return await self._fan_out(key, start, end, now)

    async def _fan_out(self, key: str, start: int, end: int, now: float) -> str:
        """Queue a recorded digest's channel and personal messages (each once per outbox key: a run cut short
        is repeated by `resume` without sending anything twice)."""
        digest = await self.build(key, start, end)
        if not digest.stories:
            await self.repo.finish_digest(key, "empty", 0, 0)
            await self.repo.fanout_done(f"digest:{key}", int(now))
            log.info("digest %s: no stories in the period, nothing sent", key)
            return "empty"
        parts = self.channel_messages(digest, self.lang, await self.most_discussed(digest.stories, self.lang))
        if self.channel_id:
            for number, text in enumerate(parts):
                await self.notifier.send(
                    f"digest:{key}:channel:{number}", "digest", self.channel_id, "sendMessage",
                    {"chat_id": self.channel_id, "text": text, "parse_mode": "HTML",
                     "link_preview_options": {"is_disabled": True}},
                )  # fmt: skip
        await self.queue_personal(digest, now)
        recipients = await self.repo.personal_digests_queued(key)
        await self.repo.finish_digest(key, "sent", len(digest.stories), recipients)
        await self.repo.fanout_done(f"digest:{key}", int(now))
        log.info("digest %s: %d stories, %d personal digests", key, len(digest.stories), recipients)
        return "sent"

    async def resume(self) -> int:
        """At start: digests recorded as sent by a process that stopped before queueing all their messages."""
        unfinished = await self.repo.digests_without_fanout()
        for row in unfinished:
            log.warning("digest %s was cut short: queueing its messages again", row.slot)
            await self._fan_out(row.slot, row.period_start, row.period_end, self.clock.time())
        return len(unfinished)

    # ----- building ------------------------------------------------------------------------------------------
    async def build(self, key: str, start: int, end: int) -> Digest:
        return Digest(key, start, end, rank(await self.repo.activity(start, end), start, end))

    def header(self, end: int, lang: str, personal: bool = False) -> str:
        moment = datetime.fromtimestamp(end, self.tz)
        if moment.hour < NIGHT_ENDS:
            # A digest at midnight or in the small hours closes the day before: that day's night, dated by it.
            part, moment = "night", moment - timedelta(days=1)
        else:
            part = "morning" if moment.hour < 12 else "afternoon" if moment.hour < 17 else "evening"
        day = (
            jalali_date(moment, self.tz, weekday=True)
            if lang == "fa"
            else moment.strftime("%A ") + english_date(moment, self.tz)
        )
        return str(t(lang, "digest_header_personal" if personal else "digest_header", part=t(lang, f"digest_{part}"),
                     day=day))  # fmt: skip

    def story_text(self, number: int, story: StoryActivity, lang: str) -> str:
        article = story.article
        link = self.post_link(article.channel_chat_id, article.channel_message_id) or self.publisher.deep_link(article)
        count = localize_number(article.comment_count, lang)
        return str(t(lang, "digest_story", n=localize_number(number, lang), title=article.title, link=link,
                     summary=one_line(article.summary), comments=count,
                     sources=sources_note(story.sources, lang)))  # fmt: skip

    async def most_discussed(self, stories: list[StoryActivity], lang: str) -> str | None:
        lively = max(stories, key=lambda story: (story.comments, story.votes))
        if lively.comments == 0:
            return None
        top = await self.repo.top_comment(lively.article.id)
        if top is None:
            return None
        author, text = top
        quote = text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1] + "…"
        return str(t(lang, "digest_most_discussed", title=lively.article.title, text=quote,
                     author=author or t(lang, "anonymous"), count=lively.comments))  # fmt: skip

    def channel_messages(self, digest: Digest, lang: str, quote: str | None = None) -> list[str]:
        blocks = [self.story_text(i, s, lang) for i, s in enumerate(digest.stories[: self.top_stories], 1)]
        if quote:
            blocks.append(quote)
        return split_messages(self.header(digest.end, lang), blocks)

    async def channel_preview(self) -> list[str]:
        """`/digest preview`: what the channel would get for the period so far (nothing is recorded)."""
        end = int(self.clock.time()) + 1
        digest = await self.build("preview", await self._period_start(end), end)
        if not digest.stories:
            return []
        return self.channel_messages(digest, self.lang, await self.most_discussed(digest.stories, self.lang))

    async def queue_personal(self, digest: Digest, now: float) -> int:
        """A digest subscriber with stories matching their filters gets them, in as many messages as they take
        (each within Telegram's limit); one with none gets nothing. Returns the messages queued."""
        subscribers = await self.repo.subscribers("digest")
        if not subscribers:
            return 0
        keys = [(story, StoryKeys.of(story.article)) for story in digest.stories]
        messages = []
        for user_id, filters in subscribers.items():
            chosen = [story for story, story_keys in keys if matches(filters, story_keys)][: self.top_stories]
            if not chosen:
                continue
            lang = await self.users.language(user_id, None)
            blocks = [self.story_text(i, story, lang) for i, story in enumerate(chosen, 1)]
            # Every part, as the channel's: the first keeps the key a reader's digest always had.
            parts = split_messages(self.header(digest.end, lang, personal=True), blocks)
            for number, text in enumerate(parts):
                key = f"digest:{digest.slot}:user:{user_id}" + (f":{number}" if number else "")
                payload = {"chat_id": user_id, "text": text, "parse_mode": "HTML",
                           "link_preview_options": {"is_disabled": True}}  # fmt: skip
                messages.append((key, "digest_personal", user_id, "sendMessage", payload))
        return await self.notifier.queue_many(messages)

    def post_link(self, chat_id: int | None, message_id: int | None) -> str | None:
        """The channel post's public link: t.me/<username>/<id>, which anyone can open, or t.me/c/<id>/<id>
        (members only) for a channel without a username."""
        if chat_id is None or message_id is None:
            return None
        if self.channel_id and self.channel_id.startswith("@"):
            return f"https://t.me/{self.channel_id[1:]}/{message_id}"
        if self.channel_username:
            return f"https://t.me/{self.channel_username}/{message_id}"
        internal = str(chat_id).removeprefix("-100")
        return f"https://t.me/c/{internal}/{message_id}"


def split_messages(header: str, blocks: list[str]) -> list[str]:
    """Join blocks under the header into as few messages as fit, breaking only between blocks."""
    return pack_parts(blocks, MESSAGE_LIMIT, separator="\n\n", head=header)
