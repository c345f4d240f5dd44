"""Telegram's flood limits as token buckets: overall, per private chat, per group or channel."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


@dataclass
class Bucket:
    rate: float  # tokens per second
    burst: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float) -> float:
        """Take one token; return 0 when allowed, else the seconds until one is available."""
        if self.tokens < 0:
            self.tokens, self.stamp = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class FloodLimits:
    """Defaults follow Telegram's published guidance (about 30/s overall, 1/s per chat, 20/min per group)."""

    overall_per_second: float = 30.0
    overall_burst: float = 30.0
    private_per_second: float = 1.0
    private_burst: float = 1.0
    group_per_minute: float = 20.0
    group_burst: float = 20.0
    _overall: Bucket | None = None
    _chats: dict[int, Bucket] = field(default_factory=dict)

    def check(self, chat_id: int, is_private: bool, now: float | None = None) -> int:
        """0 when the send is allowed, else retry_after in whole seconds (at least 1)."""
        now = time.monotonic() if now is None else now
        if self._overall is None:
            self._overall = Bucket(self.overall_per_second, self.overall_burst)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = (
                Bucket(self.private_per_second, self.private_burst)
                if is_private
                else Bucket(self.group_per_minute / 60.0, self.group_burst)
            )
            self._chats[chat_id] = bucket
        wait_chat = bucket.take(now)
        if wait_chat:
            return max(1, math.ceil(wait_chat))
        wait_all = self._overall.take(now)
        if wait_all:
            bucket.tokens += 1  # the chat's token was not used after all
            return max(1, math.ceil(wait_all))
        return 0
