"""Prometheus metrics of one running bot (its own registry, so two bots in one test process stay apart)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update

from bot.clock import SYSTEM_CLOCK, Clock

UPDATE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "inline_query",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "message_reaction",
)


def update_kind(update: object) -> str:
    if isinstance(update, Update):
        for kind in UPDATE_KINDS:
            if getattr(update, kind, None) is not None:
                return kind
        return "other"
    return "internal"


class Metrics:
    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self.clock = clock
        self.registry = CollectorRegistry()
        self.updates = Counter("goftogu_updates", "Updates handled, by type", ["type"], registry=self.registry)
        self.handler_seconds = Histogram(
            "goftogu_handler_seconds",
            "Time from an update's start of handling to its end",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.api_responses = Counter(
            "goftogu_bot_api_responses",
            "Bot API answers by HTTP status (429: rate limited)",
            ["status"],
            registry=self.registry,
        )
        self.api_failures = Counter(
            "goftogu_bot_api_network_failures",
            "Bot API calls with no answer (network errors, timeouts)",
            registry=self.registry,
        )
        self.outbox = Gauge("goftogu_outbox_messages", "Outbox messages by state", ["state"], registry=self.registry)
        self.outbox_oldest = Gauge(
            "goftogu_outbox_oldest_waiting_seconds",
            "Age of the oldest message waiting to be sent",
            registry=self.registry,
        )
        self.feeds = Gauge("goftogu_feeds", "Feeds by status", ["status"], registry=self.registry)
        self.feed_failures = Gauge(
            "goftogu_feed_consecutive_failures",
            "Consecutive failed polls, summed over the feeds",
            registry=self.registry,
        )
        self.last_api_success: float | None = None  # monotonic

    def observe_update(self, update: object, seconds: float) -> None:
        self.updates.labels(update_kind(update)).inc()
        self.handler_seconds.observe(seconds)

    def observe_api(self, status: int | None) -> None:
        if status is None:
            self.api_failures.inc()
            return
        self.api_responses.labels(str(status)).inc()
        if status < 500 and status != 429:
            self.last_api_success = self.clock.monotonic()

    def seconds_since_api_success(self) -> float | None:
        if self.last_api_success is None:
            return None
        return self.clock.monotonic() - self.last_api_success

    def render(self) -> bytes:
        return generate_latest(self.registry)
