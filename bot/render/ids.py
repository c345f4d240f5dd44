"""Stable comment ids as moderators and readers see them (`#۱۲۳`), and reading them back from commands."""

from __future__ import annotations

import re

from bot.texts import PERSIAN_DIGITS

# Largest id accepted from a user: SQLite's INTEGER is 64-bit signed; anything larger is not an id of ours.
MAX_ID = 2**63 - 1
_ID = re.compile(r"^[#№]?([0-9۰-۹٠-٩]{1,19})$")
_TO_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def comment_ref(comment_id: int, lang: str) -> str:
    """The label of a comment everywhere it is shown: its database id, no thousands separator."""
    digits = str(comment_id)
    return "#" + (digits.translate(PERSIAN_DIGITS) if lang == "fa" else digits)


def parse_ref(text: str) -> int | None:
    """An id typed by a user (`123`, `#۱۲۳`, `١٢٣`), or None when it is not a positive id in range."""
    match = _ID.match(text.strip())
    if match is None:
        return None
    value = int(match.group(1).translate(_TO_LATIN))
    return value if 0 < value <= MAX_ID else None
