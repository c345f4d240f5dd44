"""People and chats a test acts as: they send updates to the bot and read what it sent them."""

from __future__ import annotations

import itertools
import time
from typing import Any

from tests.fake_telegram.server import FakeChat, FakeMessage, FakeTelegram

_user_ids = itertools.count(100001)


class FakeUser:
    """A Telegram user in private chat with the bot (and, optionally, in groups)."""

    def __init__(
        self,
        fake: FakeTelegram,
        first_name: str = "مریم",
        *,
        user_id: int | None = None,
        language_code: str | None = "fa",
        username: str | None = None,
        last_name: str | None = None,
    ) -> None:
        self.fake = fake
        self.id = user_id if user_id is not None else next(_user_ids)
        self.json: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": first_name}
        if last_name:
            self.json["last_name"] = last_name
        if username:
            self.json["username"] = username
        if language_code:
            self.json["language_code"] = language_code
        self.chat: FakeChat = fake.private_chat(self.json)
        self._read = 0

    # ----- sending ----------------------------------------------------------------------------------------
    async def send(
        self, text: str, *, chat: FakeChat | None = None, reply_to: int | None = None, thread_id: int | None = None
    ) -> FakeMessage:
        """Send a text message (a leading /command gets its bot_command entity, as Telegram adds it)."""
        chat = chat or self.chat
        message = self._message(chat, text_or_none=text, reply_to=reply_to, thread_id=thread_id)
        if text.startswith("/"):
            command = text.split()[0]
            message.extra["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        await self.fake.deliver("message", message.to_json(self.fake))
        return message

    async def send_photo(
        self, caption: str | None = None, *, chat: FakeChat | None = None, forwarded_from: FakeChat | None = None
    ) -> FakeMessage:
        """Send a photo, or (with `forwarded_from`) forward a channel's photo post."""
        message = self._message(chat or self.chat, caption_or_none=caption, photo=True)
        if forwarded_from is not None:
            message.extra["forward_origin"] = {
                "type": "channel",
                "chat": forwarded_from.to_json(),
                "message_id": 7,
                "date": message.date - 3600,
            }
        await self.fake.deliver("message", message.to_json(self.fake))
        return message

    async def forward(self, text: str, origin: FakeChat | str) -> FakeMessage:
        """Forward a text message to the bot: a post of channel `origin`, or a message of a person who hides
        their account behind the name `origin` (Telegram then sends only that name)."""
        message = self._message(self.chat, text_or_none=text)
        if isinstance(origin, FakeChat):
            message.extra["forward_origin"] = {
                "type": "channel",
                "chat": origin.to_json(),
                "message_id": self.fake.next_message_id(origin.id),
                "date": message.date - 60,
            }
        else:
            message.extra["forward_origin"] = {"type": "hidden_user", "sender_user_name": origin, "date": message.date}
        await self.fake.deliver("message", message.to_json(self.fake))
        return message

    async def send_sticker(self) -> FakeMessage:
        message = self._message(self.chat)
        message.extra["sticker"] = {
            "file_id": "sticker1",
            "file_unique_id": "s1",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
        await self.fake.deliver("message", message.to_json(self.fake))
        return message

    async def press(self, message: FakeMessage, label: str, index: int | None = None) -> str:
        """Press the inline button whose label contains `label` (the `index`-th of several with that label);
        return the callback query id."""
        matching = [b for b in message.buttons if label in b["text"]]
        button = message.button(label) if index is None else matching[index]
        if "callback_data" not in button:
            raise AssertionError(f"button {button['text']!r} is not a callback button")
        return await self.press_data(message, button["callback_data"], forged=True)  # found above

    async def press_data(self, message: FakeMessage, data: str, *, forged: bool = False) -> str:
        """Press the button of `message` that carries this callback data; `forged`: send the data whatever
        the message shows, as a modified client can. Return the callback query id."""
        if not forged and data not in [b.get("callback_data") for b in message.buttons]:
            raise AssertionError(f"no button with data {data!r}, found {[b['text'] for b in message.buttons]}")
        query_id = str(next(self.fake._callback_ids))
        self.fake.callback_answers[query_id] = {}
        self.fake.callback_pressed[query_id] = time.monotonic()
        await self.fake.deliver(
            "callback_query",
            {
                "id": query_id,
                "from": self.json,
                "message": message.to_json(self.fake),
                "chat_instance": f"ci{message.chat.id}",
                "data": data,
            },
        )
        return query_id

    def _message(self, chat: FakeChat, **content: Any) -> FakeMessage:
        if chat is self.chat:
            chat.started = True
        return self.fake.store(
            FakeMessage(
                chat=chat,
                message_id=self.fake.next_message_id(chat.id),
                date=int(time.time()),
                sender=self.json,
                **content,
            )
        )

    def allow_bot_to_write(self) -> None:
        """The user granted write access from a Mini App (`allows_write_to_pm`) without writing first."""
        self.chat.started = True

    def block_bot(self) -> None:
        self.chat.blocked = True

    # ----- reading ----------------------------------------------------------------------------------------
    def received(self) -> list[FakeMessage]:
        """Everything the bot has sent to this user that is still there (edited in place where edited)."""
        return self.fake.history(self.chat.id, from_bot=True)

    async def next_message(self, timeout: float = 5.0) -> FakeMessage:
        """The next message the bot sends this user after the ones already read."""

        def arrived() -> FakeMessage | None:
            messages = self.fake.history(self.chat.id, from_bot=True, after=self._read)
            return messages[0] if messages else None

        message = await self.fake.wait_for(arrived, timeout)
        self._read = message.message_id
        return message

    async def callback_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Wait for the bot to answer a button press (every press must be answered)."""
        return await self.fake.wait_for(lambda: self.fake.callback_answers.get(query_id), timeout)
