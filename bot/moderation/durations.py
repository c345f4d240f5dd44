"""Durations: read from moderation commands (`30m`, `2h`, `7d`, `1w`, Persian digits and unit words welcome)
and written for readers (`۲ ساعت`, `۳ روز و ۰۲:۰۳:۰۴`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.text.chars import to_latin_digits
from bot.texts import digits, t

UNITS = {
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "دقیقه": 60, "د": 60,
    "h": 3600, "hour": 3600, "hours": 3600, "ساعت": 3600, "س": 3600,
    "d": 86400, "day": 86400, "days": 86400, "روز": 86400, "ر": 86400,
    "w": 604800, "week": 604800, "weeks": 604800, "هفته": 604800, "ه": 604800,
}  # fmt: skip
DURATION = re.compile(r"^(\d{1,6})\s*([a-z]+|[\u0600-\u06ff]+)$", re.IGNORECASE)
MAX_SECONDS = 366 * 86400  # Telegram treats restrictions longer than 366 days as forever


def parse_duration(text: str) -> int | None:
    """Seconds, or None when `text` is not a duration."""
    match = DURATION.match(to_latin_digits(text.strip()))
    if not match:
        return None
    unit = UNITS.get(match.group(2).lower())
    if unit is None:
        return None
    seconds = int(match.group(1)) * unit
    return seconds if 0 < seconds <= MAX_SECONDS else None


def take_duration(words: Sequence[str]) -> tuple[int | None, list[str]]:
    """The duration a command's words open with (`2h`, or `۲ ساعت` in two words, as the bot writes durations
    itself) and the words after it; (None, all the words) when they open with none."""
    for size in (2, 1):
        seconds = parse_duration(" ".join(words[:size])) if len(words) >= size else None
        if seconds is not None:
            return seconds, list(words[size:])
    return None, list(words)


def format_duration(seconds: float, lang: str, *, exact: bool = False) -> str:
    """The largest whole unit (`۲ ساعت`, `3 days`); `exact`: to the second, a clock after the whole days
    (`۰۲:۰۳:۰۴`, `۳ روز و ۰۲:۰۳:۰۴`, `3 days, 02:03:04`), as /status tells the uptime."""
    if exact:
        days, rest = divmod(int(seconds), 86400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        clock = digits(f"{hours:02}:{minutes:02}:{secs:02}", lang)
        return str(t(lang, "uptime_days", n=days, clock=clock)) if days else clock
    seconds = int(seconds)
    for key, size in (("duration_weeks", 604800), ("duration_days", 86400), ("duration_hours", 3600)):
        if seconds >= size and seconds % size == 0:
            return str(t(lang, key, n=seconds // size))
    return str(t(lang, "duration_minutes", n=max(1, seconds // 60)))
