"""At most one notice a while: an error storm is not a message storm, nor a crowd typing /help in the group."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import SYSTEM_CLOCK, Clock


@dataclass
class NoticeThrottle:
    """At most one notice per `interval` seconds; the errors in between are counted, not lost."""

    interval: float = 60.0
    clock: Clock = field(default=SYSTEM_CLOCK)
    _last_sent: float | None = None  # None: nothing sent yet (the monotonic clock may be near 0 at boot)
    _suppressed: int = 0

    def should_send(self) -> tuple[bool, int]:
        """Whether to send a notice now, and how many errors were held back since the last one."""
        now = self.clock.monotonic()
        if self._last_sent is None or now - self._last_sent >= self.interval:
            held, self._suppressed = self._suppressed, 0
            self._last_sent = now
            return True, held
        self._suppressed += 1
        return False, 0
