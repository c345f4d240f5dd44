"""Stable comment ids as moderators and readers see them (`#۱۲۳`), and reading them back from commands."""

from __future__ import annotations

import re

from bot.texts import PERSIAN_DIGITS

# Largest id accepted from a user: SQLite's INTEGER is 64-bit signed; anything larger is not an id of ours.
MAX_ID = 2**63 - 1
_NUMBER = re.compile(r"^[#№]?(-?[0-9۰-۹٠-٩]{1,19})$")
_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def comment_ref(comment_id: int, lang: str) -> str:
    """The label of a comment everywhere it is shown: its database id, no thousands separator."""
    digits = str(comment_id)
    return "#" + (digits.translate(PERSIAN_DIGITS) if lang == "fa" else digits)


def parse_int(text: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole number typed by a user or carried by a button (`123`, `#۱۲۳`, `١٢٣`, `-100`), or None when it
    is anything else or outside low..high. The one parser for numbers from outside: `str.isdigit()` accepts
    `²` (which int() refuses) and int() accepts numbers SQLite cannot store."""
    match = _NUMBER.match(text.strip())
    if match is None:
        return None
    value = int(match.group(1).translate(_TO_LATIN))
    return value if low <= value <= high else None


def parse_ref(text: str) -> int | None:
    """An id typed by a user (`123`, `#۱۲۳`, `١٢٣`), or None when it is not a positive id in range."""
    return parse_int(text)
