"""/mydata and /forgetme over every table that stores something about a person (storage/privacy.py)."""

from __future__ import annotations

import json
from typing import Any

from bot.moderation.audit import AuditLog
from bot.render.dates import readable_times
from bot.texts import t
from bot.users import UserService
from storage.privacy import PrivacyRepository


class PrivacyService:
    def __init__(
        self,
        repo: PrivacyRepository,
        users: UserService,
        audit: AuditLog,
        *,
        tz: Any,
        lang: str,
        delete_comments: bool,
    ) -> None:
        self.repo = repo
        self.users = users
        self.audit = audit
        self.tz = tz
        self.lang = lang  # of the placeholder name a forgotten author's comments keep
        self.delete_comments = delete_comments  # FORGET_COMMENTS=delete; otherwise they stay, anonymised

    async def export(self, user_id: int, lang: str) -> bytes:
        """UTF-8 JSON a person can read, times as ISO 8601 in TIMEZONE (and Jalali in Persian)."""
        data = readable_times(await self.repo.export_user(user_id), self.tz, lang)
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    async def forget(self, user_id: int) -> None:
        placeholder = str(t(self.lang, "deleted_user"))
        await self.repo.forget_user(user_id, placeholder, self.delete_comments)
        self.users.forget(user_id)
        await self.audit.record(user_id, "forget_me", "user", user_id, None)
