"""Deciding when the owners hear about a failed update, so that an error storm is not a message storm."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class ErrorReportThrottle:
    """At most one notice per `interval` seconds; the errors in between are counted, not lost."""

    interval: float = 60.0
    _last_sent: float = field(default=-1e18)
    _suppressed: int = 0

    def should_send(self, now: float | None = None) -> tuple[bool, int]:
        """Whether to send a notice now, and how many errors were held back since the last one."""
        now = time.monotonic() if now is None else now
        if now - self._last_sent >= self.interval:
            held, self._suppressed = self._suppressed, 0
            self._last_sent = now
            return True, held
        self._suppressed += 1
        return False, 0
