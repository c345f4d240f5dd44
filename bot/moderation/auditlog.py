"""The moderation log as moderators read it: each recorded action told as a phrase of the catalog, in the
reader's language (`نظر #۱۲ را حذف کرد`, `deleted comment #12`), never as the codes it is stored under."""

from __future__ import annotations

from typing import Any

from bot.render.html import Safe
from bot.render.ids import comment_ref
from bot.texts import CATALOGS, Text, digits, t


def _target(lang: str, target_type: str | None, target_id: Any) -> object:
    if target_id is None or target_id == "":
        return ""
    if target_type == "comment" and str(target_id).isdigit():
        return comment_ref(int(target_id), lang)
    if target_type == "setting" and f"premod_{target_id}" in CATALOGS[lang]:
        return Text(f"premod_{target_id}")
    if target_type == "filter" and f"filter_kind_{target_id}" in CATALOGS[lang]:
        return Text(f"filter_kind_{target_id}")
    return digits(target_id, lang).replace(",", "، " if lang == "fa" else ", ")  # digest times: 08:00,20:00


def _reason(lang: str, action: str, reason: str | None) -> object:
    """A reason stored as a code (why a comment was held, a ban the bot carried over) in words; a reason a
    moderator typed as it is."""
    if not reason:
        return ""
    if action == "hold" and f"hold_{reason}" in CATALOGS[lang]:
        return Text(f"hold_{reason}")
    if f"reason_{reason}" in CATALOGS[lang]:
        return Text(f"reason_{reason}")
    return reason


def describe(lang: str, action: str, target_type: str | None, target_id: Any, reason: str | None) -> Safe:
    """What was done, to what, and why: one line of the log without its time and actor."""
    key = f"modlog_do_{action}" if f"modlog_do_{action}" in CATALOGS[lang] else "modlog_do_other"
    target = _target(lang, target_type, target_id)
    why = _reason(lang, action, reason)
    if action in ("filter_add", "filter_remove", "filtered"):
        # The phrase is the subject of these actions, not their reason.
        return t(lang, key, target=target, phrase=why)
    text = t(lang, key, target=target)
    return Safe(text + t(lang, "modlog_reason", reason=why)) if why else text
