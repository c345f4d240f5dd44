"""The one way the services speak to people and chats: every message is queued in the outbox (delivered at
Telegram's limits, at least once, one idempotency key each) and the sender is woken at once.

A reader hears `tell(user, key, **params)` in their own language, and only where Telegram lets the bot write to
them; admins hear `notify_admins`, each in theirs; the discussion group and the moderation log chat hear `say`, in
the bot's language. A parameter that must be written per reader is a `Text` (see bot/texts).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from bot.clock import SYSTEM_CLOCK, Clock
from bot.render.post import CAPTION_LIMIT, visible_length
from bot.texts import t
from bot.users import UserService
from storage.outbox import Message, OutboxRepository

MEDIA_GROUP_LIMIT = 10  # photos Telegram puts in one album (sendMediaGroup takes 2 to 10)


class Notifier:
    def __init__(
        self,
        outbox: OutboxRepository,
        users: UserService,
        wake_sender: Callable[[], None],
        *,
        lang: str,
        mod_log_chat_id: int | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.outbox = outbox
        self.users = users
        self.wake_sender = wake_sender
        self.lang = lang  # of what the bot writes in chats (the discussion group, the moderation log)
        self.mod_log_chat_id = mod_log_chat_id
        self.clock = clock

    async def tell(
        self, user_id: int, key: str, *, dedupe: str | None = None, open_url: str | None = None, **params: object
    ) -> bool:
        """A private notice in the reader's language; False for one Telegram would refuse it to (a reader who
        never started the bot, or a chat). `dedupe` keys a notice that must go once whatever happens (a reply's
        notice, keyed by the reply); `open_url` adds one button that opens it."""
        profile = await self.users.users.get(user_id) if user_id > 0 else None
        if profile is None or not profile.private_chat:
            return False
        lang = await self.users.language(user_id, profile.language_code)
        payload = _message(user_id, lang, key, params)
        if open_url is not None:
            label = str(t(lang, f"{key}_open"))
            payload["reply_markup"] = {"inline_keyboard": [[{"text": label, "url": open_url}]]}
            payload["link_preview_options"] = {"is_disabled": True}
        await self._queue(dedupe or f"notice:{key}:{uuid.uuid4().hex}", "notification", user_id, payload)
        return True

    async def notify_admins(self, key: str, **params: object) -> None:
        """Tell every admin who has written to the bot, each in their language."""
        for admin_id in await self.users.known_admins():
            payload = _message(admin_id, await self.users.language(admin_id, None), key, params)
            await self._queue(f"notice:{uuid.uuid4().hex}", "admin_notice", admin_id, payload)

    async def say(
        self,
        chat_id: int,
        key: str,
        *,
        outbox_kind: str,
        dedupe: str | None = None,
        reply_to: int | None = None,
        strict: bool = False,
        or_under: int | None = None,
        article_id: int | None = None,
        photos: tuple[Sequence[str], dict[str, object]] | None = None,
        **params: object,
    ) -> None:
        """A message in a chat (the discussion group), in the bot's language, answering `reply_to` if given:
        sent anyway if that message is gone, unless `strict`; with `or_under` (the thread's root), it then
        answers that one instead, so that it stays in the thread. With `photos` (Telegram file ids and the
        caption's parameters) it is that photo, or an album of them with the caption on the first (a caption
        over Telegram's limit goes as the text message after them), and the text message only if Telegram
        refuses them."""
        payload = _message(chat_id, self.lang, key, params)
        fallback = None
        if reply_to is not None:
            anyway = {} if strict else {"allow_sending_without_reply": True}
            payload["reply_parameters"] = {"message_id": reply_to} | anyway
        if or_under is not None:
            under = {"message_id": or_under, "allow_sending_without_reply": True}
            fallback = {"method": "sendMessage", "payload": payload | {"reply_parameters": under}}
        dedupe = dedupe or f"{outbox_kind}:{uuid.uuid4().hex}"
        if photos is not None and photos[0]:
            file_ids, caption_params = photos
            caption = _message(chat_id, self.lang, key, caption_params)["text"]
            reply = {"reply_parameters": payload["reply_parameters"]} if "reply_parameters" in payload else {}
            if visible_length(caption) > CAPTION_LIMIT:
                # Too long for a caption: the photos without one, then the text, so that neither is lost.
                method, media = _photos_request(chat_id, file_ids, None)
                await self.send(f"{dedupe}:photos", outbox_kind, chat_id, method, media | reply, article_id=article_id)
            else:
                method, media = _photos_request(chat_id, file_ids, caption)
                # The outbox tries one fallback: the text (under the thread's root when given), which also takes
                # a file Telegram no longer has.
                fallback = fallback or {"method": "sendMessage", "payload": payload}
                await self.send(dedupe, outbox_kind, chat_id, method, media | reply, article_id=article_id,
                                fallback=fallback)  # fmt: skip
                return
        await self._queue(dedupe, outbox_kind, chat_id, payload, fallback=fallback, article_id=article_id)

    async def log(self, key: str, **params: object) -> None:
        """A line in the moderation log chat (MOD_LOG_CHAT_ID), when there is one."""
        chat = self.mod_log_chat_id
        if chat is not None:
            await self._queue(f"modlog:{uuid.uuid4().hex}", "modlog", chat, _message(chat, self.lang, key, params))

    async def delete(self, chat_id: int, message_id: int, *, outbox_kind: str, dedupe: str) -> None:
        """Take one of the chat's messages down."""
        await self._queue(dedupe, outbox_kind, chat_id, {"chat_id": chat_id, "message_id": message_id},
                          method="deleteMessage")  # fmt: skip

    async def cancel(self, dedupe: str, reason: str) -> bool:
        """Take back a message not sent yet; False when none waited."""
        return await self.outbox.cancel(dedupe, reason)

    async def queue_many(self, messages: Sequence[Message]) -> int:
        """Many personal messages at once (a story's alerts), each once per key; returns how many were new."""
        queued = await self.outbox.enqueue_many(messages, self.clock.time())
        if queued:
            self.wake_sender()
        return queued

    async def send(
        self,
        dedupe: str,
        kind: str,
        chat_id: int | str,
        method: str,
        payload: dict[str, Any],
        *,
        fallback: dict[str, Any] | None = None,
        article_id: int | None = None,
        not_before: float = 0.0,
        replace_pending: bool = False,
    ) -> bool:
        """A message a service built itself (a channel post and its edits, a digest's parts), once per `dedupe`;
        False when one with that key was queued before (and, with `replace_pending`, could not be replaced)."""
        queued = await self.outbox.enqueue(dedupe, kind, chat_id, method, payload, self.clock.time(),
                                           not_before=not_before, fallback=fallback, article_id=article_id,
                                           replace_pending=replace_pending)  # fmt: skip
        self.wake_sender()
        return queued

    async def _queue(
        self,
        dedupe: str,
        kind: str,
        chat_id: int,
        payload: dict[str, Any],
        *,
        method: str = "sendMessage",
        fallback: dict[str, Any] | None = None,
        article_id: int | None = None,
    ) -> None:
        await self.send(dedupe, kind, chat_id, method, payload, fallback=fallback, article_id=article_id)


def _photos_request(chat_id: int, file_ids: Sequence[str], caption: str | None) -> tuple[str, dict[str, Any]]:
    """One photo (sendPhoto) or an album (sendMediaGroup, the caption on its first photo), by Telegram file id."""
    captioned = {"caption": caption, "parse_mode": "HTML"} if caption else {}
    if len(file_ids) == 1:
        return "sendPhoto", {"chat_id": chat_id, "photo": file_ids[0]} | captioned
    album = [{"type": "photo", "media": file_id} for file_id in file_ids[:MEDIA_GROUP_LIMIT]]
    return "sendMediaGroup", {"chat_id": chat_id, "media": [album[0] | captioned, *album[1:]]}


def _message(chat_id: int, lang: str, key: str, params: dict[str, object]) -> dict[str, Any]:
    return {"chat_id": chat_id, "text": str(t(lang, key, **params)), "parse_mode": "HTML"}
