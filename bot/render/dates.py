"""Dates as Persian readers read them: Jalali calendar, month names, Persian digits."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import jdatetime

from bot.text.chars import to_persian_digits

MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
# jdatetime counts weekdays from Saturday (0), the first day of the Persian week.
WEEKDAYS = ("شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه")


def _local_date(moment: datetime | date, tz: ZoneInfo | None) -> date:
    if isinstance(moment, datetime):
        if tz is not None and moment.tzinfo is not None:
            moment = moment.astimezone(tz)
        return moment.date()
    return moment


def jalali_date(moment: datetime | date, tz: ZoneInfo | None = None, *, weekday: bool = False) -> str:
    """`۸ آذر ۱۴۰۵` (with `weekday`: `یکشنبه ۸ آذر ۱۴۰۵`) for the day `moment` falls on in `tz`."""
    day = jdatetime.date.fromgregorian(date=_local_date(moment, tz))
    text = to_persian_digits(f"{day.day} {MONTHS[day.month - 1]} {day.year}")
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def english_date(moment: datetime | date, tz: ZoneInfo | None = None) -> str:
    return _local_date(moment, tz).strftime("%-d %B %Y")


def moment_text(timestamp: float, tz: ZoneInfo | None, lang: str) -> str:
    """A point in time as its reader reads it: `۸ آذر ۱۴۰۵، ۱۴:۰۵` or `29 November 2026, 14:05`."""
    moment = datetime.fromtimestamp(timestamp, tz)
    clock = moment.strftime("%H:%M")
    if lang == "fa":
        return f"{jalali_date(moment, tz)}، {to_persian_digits(clock)}"
    return f"{english_date(moment, tz)}, {clock}"


def iso_moment(timestamp: float, tz: ZoneInfo | None) -> str:
    """`2026-12-02T04:30:00+03:30`: ISO 8601 with the offset of the zone, which any program reads."""
    return datetime.fromtimestamp(timestamp, tz).isoformat()


def readable_times(data: object, tz: ZoneInfo | None, lang: str) -> object:
    """The same data with every Unix time (a key ending in `_at`, or `until`) written as an ISO 8601 moment,
    and in Persian the Jalali date and time beside it (`created_at_jalali`)."""
    if isinstance(data, list):
        return [readable_times(item, tz, lang) for item in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, object] = {}
    for key, value in data.items():
        is_time = (key.endswith("_at") or key == "until") and isinstance(value, int | float)
        if is_time and not isinstance(value, bool):
            out[key] = iso_moment(value, tz)
            if lang == "fa":
                out[f"{key}_jalali"] = moment_text(value, tz, lang)
        else:
            out[key] = readable_times(value, tz, lang)
    return out
