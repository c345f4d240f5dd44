"""Logging set-up: one format for everything, secrets redacted from every record, and a rate limit.

The rate limit keeps a failure that repeats without pause (a malformed update retried in a loop, a dead Bot
API) from filling the disk: at most LOG_BURST records of one kind (logger, level, message template, exception
type) per LOG_PERIOD seconds, and at most LOG_OVERALL of all kinds. What is dropped is counted and said on the
next record of that kind that gets through ("… 480 more like it were not logged").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from bot.clock import SYSTEM_CLOCK, Clock

REDACTED = "<redacted>"
LOG_BURST = 20  # records of one kind per period
LOG_OVERALL = 1000  # records of all kinds per period
LOG_PERIOD = 60.0  # seconds
MAX_KINDS = 2000  # kinds remembered at once (the oldest windows are forgotten first)


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as it may appear in a log: raw and URL-encoded (httpx logs URLs)."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms.update({secret, quote(secret, safe=""), quote(secret)})
    return sorted(forms, key=len, reverse=True)


def redact(text: str, secrets: Iterable[str]) -> str:
    for form in secrets:
        text = text.replace(form, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record, then removes every secret from the whole text, traceback included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = secret_forms(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


@dataclass
class _Window:
    start: float
    logged: int = 0
    dropped: int = 0


class RateLimitFilter(logging.Filter):
    """Lets through at most `burst` records of one kind and `overall` records in all per `period` seconds."""

    def __init__(
        self,
        burst: int = LOG_BURST,
        overall: int = LOG_OVERALL,
        period: float = LOG_PERIOD,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self.burst = burst
        self.overall = overall
        self.period = period
        self.clock = clock
        self._kinds: dict[tuple[str, int, str, str], _Window] = {}
        self._all = _Window(float("-inf"))

    def filter(self, record: logging.LogRecord) -> bool:
        now = self.clock.monotonic()
        error = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        key = (record.name, record.levelno, str(record.msg)[:200], error)
        window = self._kinds.get(key)
        if window is None or now - window.start >= self.period:
            carried = window.dropped if window is not None else 0
            if window is None and len(self._kinds) >= MAX_KINDS:
                self._forget(now)
            window = self._kinds[key] = _Window(now, dropped=carried)
        if now - self._all.start >= self.period:
            self._all = _Window(now)
        if window.logged >= self.burst or self._all.logged >= self.overall:
            window.dropped += 1
            return False
        window.logged += 1
        self._all.logged += 1
        if window.dropped:
            # Said once, on the record itself: formatted now, so that the note cannot upset its % arguments.
            record.msg = f"{record.getMessage()} (… {window.dropped} more like it were not logged)"
            record.args = None
            window.dropped = 0
        return True

    def _forget(self, now: float) -> None:
        """Drop the kinds whose window is over and that have nothing left to tell, else the oldest half."""
        quiet = {k: w for k, w in self._kinds.items() if now - w.start < self.period or w.dropped}
        if len(quiet) >= MAX_KINDS:
            quiet = dict(sorted(quiet.items(), key=lambda item: item[1].start)[MAX_KINDS // 2 :])
        self._kinds = quiet


def add_secret(secret: str) -> None:
    """Redact one more secret (known only once the bot runs, e.g. a generated webhook secret) everywhere."""
    for handler in logging.getLogger().handlers:
        formatter = handler.formatter
        if isinstance(formatter, RedactingFormatter):
            formatter.secrets = secret_forms([*formatter.secrets, secret])


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Send all logs to stderr through one redacting formatter and the rate limit."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    handler.addFilter(RateLimitFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL (which holds the token) at INFO: keep that for DEBUG runs only.
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(quiet)
