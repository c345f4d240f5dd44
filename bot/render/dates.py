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
