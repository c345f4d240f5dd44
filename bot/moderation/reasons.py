"""A moderator's reason (for a ban, a mute, a warn or a rejection): told to the reader as written, in a notice
with other text, and listed in /modlog, so it has a length limit of its own."""

from __future__ import annotations

from bot.user_errors import ModerationError

REASON_MAX = 300  # characters


def checked_reason(reason: str | None) -> str | None:
    """The reason trimmed (None when empty); refused, with its length, when longer than REASON_MAX."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ModerationError("reason_too_long", limit=REASON_MAX, length=len(reason))
    return reason or None
