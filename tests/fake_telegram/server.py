"""A fake Bot API server on 127.0.0.1: real HTTP, the official spec enforced, users and chats simulated.

The bot under test talks to it through BOT_API_BASE_URL exactly as it would talk to Telegram. Tests act as
users (messages, button presses), channels and discussion groups, read what the bot sent, and inject faults.
Every request Telegram would refuse is answered as Telegram does (400, 403, 404, 429) and recorded in
`errors`; a test fails at teardown when an error it did not expect was recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, ClientSession, ClientTimeout, web

from tests.fake_telegram import spec
from tests.fake_telegram.html import HtmlError, clean_input, parse_html, utf16_length
from tests.fake_telegram.limits import FloodLimits

SERVICE_ACCOUNT_ID = 777000  # "Telegram": the sender of automatic forwards into discussion groups
GROUP_ANONYMOUS_BOT_ID = 1087968824  # "Group": anonymous admins
CHANNEL_BOT_ID = 136817688  # "Channel": users posting as a channel
SEND_METHODS = {"sendMessage", "sendPhoto", "copyMessage", "forwardMessage", "sendDocument", "sendMediaGroup"}
EDIT_METHODS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}
MEDIA_GROUP_MIN, MEDIA_GROUP_MAX = 2, 10  # items of one sendMediaGroup
CALLBACK_ANSWER_WINDOW = 15.0  # seconds after a press in which Telegram still takes answerCallbackQuery


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)
    done_at: float | None = None  # when the fake finished it (an answer the client may no longer wait for)


@dataclass
class ErrorRecord:
    method: str
    code: int
    description: str
    params: dict[str, Any]
    expected: bool = False


@dataclass
class Fault:
    method: str
    code: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0
    chat_id: int | str | None = None  # a numeric id or an @username, as the bot names the chat
    times: int = 1


@dataclass
class Storm:
    """Random faults on the methods named: a share answered 429 (with retry_after), a share answered late."""

    methods: frozenset[str]
    flood: float  # share of calls answered 429 Too Many Requests
    retry_after: int
    slow: float  # share of calls answered after a delay drawn from `delays`
    delays: tuple[float, float]
    rng: random.Random
    floods: int = 0
    slowed: list[float] = field(default_factory=list)  # the delays given


@dataclass
class FakeChat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    linked_chat_id: int | None = None
    bot_status: str = "member"  # administrator, member, left, kicked
    bot_lacks: set[str] = field(default_factory=set)  # an administrator bot's rights taken away (can_restrict_members)
    members: dict[int, str] = field(default_factory=dict)
    blocked: bool = False  # private chats: the user blocked the bot
    started: bool = False  # private chats: the user wrote to the bot first

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class FakeMessage:
    chat: FakeChat
    message_id: int
    date: int
    sender: dict[str, Any] | None
    # What the message carries, as stored: None where Telegram leaves the field out (a photo has no text, a text
    # message no caption, a user's message no HTML). Tests read them through `text`, `caption` and `html`.
    text_or_none: str | None = None  # plain text (HTML entities applied, tags gone)
    html_or_none: str | None = None  # the text or caption as the bot sent it, with its HTML
    caption_or_none: str | None = None  # plain caption
    photo: bool = False
    reply_markup: dict[str, Any] | None = None
    reply_to: int | None = None
    thread_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    deleted: bool = False
    edits: int = 0

    @property
    def text(self) -> str:
        """The message's text; reading it asserts that it has one (a photo has a caption instead)."""
        if self.text_or_none is None:
            raise AssertionError(f"{self.describe()} has no text")
        return self.text_or_none

    @text.setter
    def text(self, value: str) -> None:
        self.text_or_none = value

    @property
    def caption(self) -> str:
        """The message's caption; reading it asserts that it has one."""
        if self.caption_or_none is None:
            raise AssertionError(f"{self.describe()} has no caption")
        return self.caption_or_none

    @property
    def html(self) -> str:
        """The text or caption with the HTML the bot sent; reading it asserts that the bot sent one."""
        if self.html_or_none is None:
            raise AssertionError(f"{self.describe()} has no HTML text or caption")
        return self.html_or_none

    def describe(self) -> str:
        """The message in a few words, for a failing test's message."""
        kind = "photo" if self.photo else "message"
        return (
            f"{kind} {self.message_id} in chat {self.chat.id} (text {self.text_or_none!r}, "
            f"caption {self.caption_or_none!r}, other fields {sorted(self.extra)})"
        )

    @property
    def from_bot(self) -> bool:
        return bool(self.sender and self.sender.get("is_bot"))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label: str) -> dict[str, Any]:
        """The one button whose label contains `label`."""
        found = [b for b in self.buttons if label in b["text"]]
        if len(found) != 1:
            raise AssertionError(f"expected one button with {label!r}, found {[b['text'] for b in self.buttons]}")
        return found[0]

    def to_json(self, fake: FakeTelegram) -> dict[str, Any]:
        data: dict[str, Any] = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_json()}
        if self.sender is not None:
            data["from"] = self.sender
        if self.text_or_none is not None:
            data["text"] = self.text_or_none
        if self.caption_or_none is not None:
            data["caption"] = self.caption_or_none
        if self.photo:
            data["photo"] = [{"file_id": f"photo{self.message_id}", "file_unique_id": "u", "width": 1, "height": 1}]
        if self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.thread_id is not None:
            data["message_thread_id"] = self.thread_id
        if self.reply_to is not None:
            parent = fake.messages.get((self.chat.id, self.reply_to))
            if parent is not None and not parent.deleted:  # Telegram leaves out a replied-to message that is gone
                data["reply_to_message"] = {k: v for k, v in parent.to_json(fake).items() if k != "reply_to_message"}
        if self.edits:
            data["edit_date"] = self.date + self.edits
        data.update(self.extra)
        return data


class FakeTelegram:
    """The fake Bot API. `await fake.start()`, point the bot at `fake.base_url`, `await fake.stop()`."""

    def __init__(self, token: str, *, bot_username: str = "goftogu_test_bot", bot_id: int = 5000000001) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Goftogu",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }
        self.chats: dict[int, FakeChat] = {}
        self.messages: dict[tuple[int, int], FakeMessage] = {}
        self._by_chat: dict[int, list[FakeMessage]] = {}
        self.calls: list[Call] = []
        self.documents: dict[tuple[int, int], spec.FilePart] = {}  # uploaded files, by (chat, message)
        self.errors: list[ErrorRecord] = []
        self.faults: list[Fault] = []
        self.limits: FloodLimits | None = None
        self.commands: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self.webhook: dict[str, Any] | None = None
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.callback_pressed: dict[str, float] = {}  # query id: when it was pressed (monotonic)
        # Telegram takes a button's answer only for a few seconds after the press (the client stops waiting);
        # later, answerCallbackQuery is refused as "query is too old".
        self.callback_answer_window = CALLBACK_ANSWER_WINDOW
        self._allowed_errors: list[str] = []
        self._updates: list[dict[str, Any]] = []
        self.delivered: dict[int, tuple[float, dict[str, Any]]] = {}  # update_id: (monotonic time, update)
        self._outage_until = 0.0
        self.storm: Storm | None = None
        self._outage_code = 502
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self._album_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self.port = 0

    # ----- server lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        # Release long polls still held open (aiohttp waits for running handlers before it exits).
        self._closing = True
        await self._notify()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # ----- errors the test expects ------------------------------------------------------------------
    def allow_errors(self, description_part: str) -> None:
        """Declare that the bot may provoke errors whose description contains this text."""
        self._allowed_errors.append(description_part)
        for record in self.errors:
            if description_part in record.description:
                record.expected = True

    def unexpected_errors(self) -> list[ErrorRecord]:
        return [record for record in self.errors if not record.expected]

    def inject(
        self,
        method: str,
        code: int = 429,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        delay: float = 0.0,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (or only wait `delay` seconds when code is 0)."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after or 1}",
                500: "Internal Server Error",
                502: "Bad Gateway",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: injected",
            }.get(code, "injected")
        if code == 429 and retry_after is None:
            retry_after = 1
        self.faults.append(Fault(method, code, description, retry_after, delay, chat_id, times))

    # ----- chats and actors -------------------------------------------------------------------------
    def private_chat(self, user: dict[str, Any]) -> FakeChat:
        chat = self.chats.get(user["id"])
        if chat is None:
            chat = FakeChat(user["id"], "private", first_name=user.get("first_name"), username=user.get("username"))
            self.chats[chat.id] = chat
        return chat

    def add_channel(self, chat_id: int, username: str | None = None, title: str = "کانال خبر") -> FakeChat:
        chat = FakeChat(chat_id, "channel", title=title, username=username, bot_status="administrator")
        self.chats[chat_id] = chat
        return chat

    def add_group(self, chat_id: int, title: str = "گفت‌وگوی کانال", linked_channel: int | None = None) -> FakeChat:
        chat = FakeChat(chat_id, "supergroup", title=title, linked_chat_id=linked_channel, bot_status="administrator")
        self.chats[chat_id] = chat
        if linked_channel is not None:
            self.chats[linked_channel].linked_chat_id = chat_id
        return chat

    async def add_bot(self, chat: FakeChat, by: dict[str, Any], status: str = "administrator") -> None:
        """Someone (a user's JSON) adds the bot to a group or channel: Telegram sends my_chat_member."""
        old = chat.bot_status if chat.bot_status != status else "left"
        chat.bot_status = status
        await self.deliver(
            "my_chat_member",
            {
                "chat": chat.to_json(),
                "from": by,
                "date": int(time.time()),
                "old_chat_member": {"status": old, "user": self.bot_user}
                | ({"until_date": 0} if old == "kicked" else {}),
                "new_chat_member": self._member_json(chat, self.bot_user["id"]),
            },
        )

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def store(self, message: FakeMessage) -> FakeMessage:
        self.messages[(message.chat.id, message.message_id)] = message
        self._by_chat.setdefault(message.chat.id, []).append(message)
        return message

    def history(self, chat_id: int, *, from_bot: bool | None = None, after: int = 0) -> list[FakeMessage]:
        """The chat's messages as they stand now (after edits, without deleted ones), oldest first."""
        messages = self._by_chat.get(chat_id, [])
        if after:
            # Message ids grow within a chat, so the ones after `after` are a tail of the list.
            low, high = 0, len(messages)
            while low < high:
                middle = (low + high) // 2
                if messages[middle].message_id <= after:
                    low = middle + 1
                else:
                    high = middle
            messages = messages[low:]
        return [m for m in messages if not m.deleted and (from_bot is None or m.from_bot == from_bot)]

    # ----- updates ----------------------------------------------------------------------------------
    async def deliver(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update: dict[str, Any] = {"update_id": update_id, kind: payload}
        self.delivered[update_id] = (time.monotonic(), update)
        await self._push(update)
        return update_id

    async def redeliver(self, update_id: int) -> None:
        """Send an update again, as Telegram does when it did not see it acknowledged."""
        await self._push(self.delivered[update_id][1])

    def outage(self, seconds: float, code: int = 502) -> None:
        """Answer every call with `code` (Bad Gateway by default) for the next `seconds`, as in a Bot API
        outage; the calls are recorded, but not as the bot's mistakes."""
        self._outage_until = time.monotonic() + seconds
        self._outage_code = code

    def start_storm(
        self,
        *,
        flood: float = 0.0,
        retry_after: int = 1,
        slow: float = 0.0,
        delays: tuple[float, float] = (0.0, 0.0),
        methods: frozenset[str] | set[str] = SEND_METHODS | EDIT_METHODS,
        seed: int = 0,
    ) -> Storm:
        """From now on, answer a random share `flood` of these methods' calls with 429 (retry_after seconds)
        and delay a share `slow` by a uniform draw from `delays`; the late ones are still carried out, as
        Telegram carries out a send whose answer the client stopped waiting for. `end_storm()` stops it."""
        self.storm = Storm(frozenset(methods), flood, retry_after, slow, delays, random.Random(seed))
        return self.storm

    def end_storm(self) -> None:
        self.storm = None

    async def _push(self, update: dict[str, Any]) -> None:
        if self.webhook is not None:
            await self._post_webhook(update)
        else:
            async with self._changed:
                self._updates.append(update)
                self._changed.notify_all()

    async def _post_webhook(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        if self._client is None:
            self._client = ClientSession(timeout=ClientTimeout(total=10))
        headers = {"Content-Type": "application/json"}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        async with self._client.post(self.webhook["url"], data=json.dumps(update), headers=headers) as response:
            self.webhook["last_status"] = response.status

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    # ----- waiting for the bot ----------------------------------------------------------------------
    async def wait_for(self, condition: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until condition() is truthy (checked after every API call, and every 50 ms) and return it."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                value = condition()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s waiting for the bot")
                # Conditions may also read the bot's database, which changes without an API call: look again
                # every few milliseconds as well as after each call.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def wait_for_text(self, message: FakeMessage, part: str, timeout: float = 5.0) -> None:
        """Wait until `message` (edited in place) shows `part` in its text."""
        await self.wait_for(lambda: part in message.text, timeout)

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    # ----- HTTP ---------------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._reply(404, {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        name = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except ApiError as error:  # a malformed form: recorded like any refused call
            self.calls.append(call := Call(name, {}))
            return await self._fail(call, error)
        method = spec.methods().get(name.lower())
        call = Call(method or name, params)
        self.calls.append(call)
        await self._notify()
        try:
            if method is None:
                raise ApiError(404, "Not Found: method not found")
            await self._apply_fault(method, params)
            typed = spec.check_request(method, params)
            implementation = getattr(self, f"api_{method}", None)
            if implementation is None:
                raise ApiError(400, f"Bad Request: the fake Bot API does not implement {method} yet")
            result = await implementation(typed)
        except spec.SpecError as error:
            return await self._fail(call, ApiError(400, f"Bad Request: {error}"))
        except ApiError as error:
            return await self._fail(call, error, injected=isinstance(error, _InjectedError))
        call.result = result
        call.done_at = time.monotonic()
        await self._notify()
        return self._reply(200, {"ok": True, "result": result})

    async def _fail(self, call: Call, error: ApiError, injected: bool = False) -> web.Response:
        call.status, call.error = error.code, error.description
        if not injected:
            expected = any(part in error.description for part in self._allowed_errors)
            self.errors.append(ErrorRecord(call.method, error.code, error.description, call.params, expected))
        await self._notify()
        body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        return self._reply(error.code, body)

    async def _apply_fault(self, method: str, params: dict[str, Any]) -> None:
        if time.monotonic() < self._outage_until:
            description = {502: "Bad Gateway", 500: "Internal Server Error", 504: "Gateway Timeout"}
            raise _InjectedError(self._outage_code, description.get(self._outage_code, "injected outage"))
        storm = self.storm
        if storm is not None and method in storm.methods:
            draw = storm.rng.random()
            if draw < storm.flood:
                storm.floods += 1
                raise _InjectedError(429, f"Too Many Requests: retry after {storm.retry_after}", storm.retry_after)
            if draw < storm.flood + storm.slow:
                delay = storm.rng.uniform(*storm.delays)
                storm.slowed.append(delay)
                await asyncio.sleep(delay)
        for fault in self.faults:
            if fault.method != method or fault.times <= 0:
                continue
            if fault.chat_id is not None and str(params.get("chat_id")) != str(fault.chat_id):
                continue
            fault.times -= 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.code:
                raise _InjectedError(fault.code, fault.description, fault.retry_after)
            return

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    @staticmethod
    def _reply(status: int, body: dict[str, Any], http_status: int | None = None) -> web.Response:
        return web.Response(
            status=http_status or status, text=json.dumps(body, ensure_ascii=False), content_type="application/json"
        )

    @staticmethod
    async def _read_params(request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body or {})
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                # A part is a named field or file; aiohttp's types also allow None and nested multipart bodies.
                if not isinstance(part, BodyPartReader) or part.name is None:
                    raise ApiError(400, "Bad Request: every form part must be a named field")
                if part.filename:
                    params[part.name] = spec.FilePart(part.filename, await part.read())
                else:
                    params[part.name] = await part.text()
        elif request.can_read_body:
            params.update(dict(await request.post()))
        return params

    # ----- checks shared by the methods ---------------------------------------------------------------
    def _chat(self, chat_id: Any) -> FakeChat:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for known in self.chats.values():
                if known.username and known.username.lower() == chat_id[1:].lower():
                    return known
            raise ApiError(400, "Bad Request: chat not found")
        chat = self.chats.get(int(chat_id))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _writable_chat(self, chat_id: Any, method: str, markup: Any = None) -> FakeChat:
        chat = self._chat(chat_id)
        # web_app buttons open a Mini App for the one user who presses them: private chats only.
        if chat.type != "private" and _has_web_app(markup):
            raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
        if chat.type == "private":
            if chat.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        elif chat.bot_status in ("left", "kicked"):
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        elif chat.type == "channel" and chat.bot_status != "administrator":
            raise ApiError(400, "Bad Request: need administrator rights in the channel chat")
        if self.limits is not None and (method in SEND_METHODS or method in EDIT_METHODS):
            retry_after = self.limits.check(chat.id, chat.type == "private")
            if retry_after:
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        return chat

    @staticmethod
    def _formatted(text: str, parse_mode: str | None, limit: int, what: str) -> str:
        if parse_mode is not None and parse_mode.lower() == "html":
            try:
                plain = parse_html(text)
            except HtmlError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        elif parse_mode is None:
            plain = text
        else:
            raise ApiError(400, f"Bad Request: the fake supports parse_mode HTML only, got {parse_mode}")
        plain = clean_input(plain)
        if not plain.strip():
            raise ApiError(400, f"Bad Request: {what} is empty")
        if utf16_length(plain) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain

    def _message(self, chat: FakeChat, message_id: int) -> FakeMessage:
        message = self.messages.get((chat.id, message_id))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _reply_target(self, chat: FakeChat, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target = self.messages.get((chat.id, reply["message_id"]))
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target.message_id

    async def _sent(self, chat: FakeChat, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        message = self.store(
            FakeMessage(
                chat=chat,
                message_id=self.next_message_id(chat.id),
                date=int(time.time()),
                sender=self.bot_user if chat.type != "channel" else None,
                reply_markup=params.get("reply_markup"),
                reply_to=self._reply_target(chat, params),
                thread_id=params.get("message_thread_id"),
                **content,
            )
        )
        if chat.type == "channel":
            message.extra["sender_chat"] = chat.to_json()
            await self._auto_forward(message)
        return message.to_json(self)

    async def _auto_forward(self, post: FakeMessage) -> None:
        """Telegram copies each channel post into the linked discussion group, sent by 777000."""
        if post.chat.linked_chat_id is None:
            return
        group = self.chats[post.chat.linked_chat_id]
        copy = self.store(
            FakeMessage(
                chat=group,
                message_id=self.next_message_id(group.id),
                date=post.date,
                sender={"id": SERVICE_ACCOUNT_ID, "is_bot": False, "first_name": "Telegram"},
                text_or_none=post.text_or_none,
                caption_or_none=post.caption_or_none,
                photo=post.photo,
                extra={
                    "sender_chat": post.chat.to_json(),
                    "is_automatic_forward": True,
                    "forward_origin": {
                        "type": "channel",
                        "chat": post.chat.to_json(),
                        "message_id": post.message_id,
                        "date": post.date,
                    },
                },
            )
        )
        await self.deliver("message", copy.to_json(self))

    # ----- the Bot API methods --------------------------------------------------------------------------
    async def api_getMe(self, p: dict[str, Any]) -> Any:
        return self.bot_user

    async def api_logOut(self, p: dict[str, Any]) -> Any:
        return True

    async def api_close(self, p: dict[str, Any]) -> Any:
        return True

    async def api_getUpdates(self, p: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = p.get("offset")
        limit = max(1, min(100, p.get("limit", 100)))
        timeout = p.get("timeout", 0)
        async with self._changed:
            if offset is not None:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), timeout
                    )
            return self._updates[:limit]

    async def api_setWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = {"url": p["url"], "secret_token": p.get("secret_token"), "allowed": p.get("allowed_updates")}
        return True

    async def api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def api_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def api_setMyCommands(self, p: dict[str, Any]) -> Any:
        commands = p["commands"]
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if (
                not (1 <= len(command["command"]) <= 32)
                or not command["command"].replace("_", "a").isalnum()
                or command["command"].lower() != command["command"]
            ):
                raise ApiError(400, f"Bad Request: BOT_COMMAND_INVALID {command['command']!r}")
            if not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = p.get("scope") or {"type": "default"}
        if scope["type"] == "chat":
            self._chat(scope["chat_id"])
        key = (scope["type"], str(scope.get("chat_id", "")), p.get("language_code") or "")
        self.commands[key] = commands
        return True

    async def api_deleteMyCommands(self, p: dict[str, Any]) -> Any:
        scope = p.get("scope") or {"type": "default"}
        self.commands.pop((scope["type"], str(scope.get("chat_id", "")), p.get("language_code") or ""), None)
        return True

    async def api_sendMessage(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "sendMessage", p.get("reply_markup"))
        plain = self._formatted(p["text"], p.get("parse_mode"), 4096, "message text")
        return await self._sent(chat, p, text_or_none=plain, html_or_none=p["text"])

    async def api_sendPhoto(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "sendPhoto", p.get("reply_markup"))
        caption = p.get("caption")
        plain = self._formatted(caption, p.get("parse_mode"), 1024, "message caption") if caption else None
        _check_photo(p["photo"])
        return await self._sent(chat, p, caption_or_none=plain, html_or_none=caption, photo=True)

    async def api_sendMediaGroup(self, p: dict[str, Any]) -> Any:
        """An album: 2 to 10 photos sent as one message each, sharing a media_group_id (the fake sends photos
        only). Each item is checked as sendPhoto checks its photo and caption, before anything is sent: a refused
        album sends nothing."""
        chat = self._writable_chat(p["chat_id"], "sendMediaGroup")
        items = p["media"]
        if not items:
            raise ApiError(400, "Bad Request: there are no messages to send")
        if len(items) > MEDIA_GROUP_MAX:
            raise ApiError(400, "Bad Request: too many messages to send as an album")
        if len(items) < MEDIA_GROUP_MIN:  # the Bot API's contract: "must include 2-10 items"
            raise ApiError(400, "Bad Request: media must include 2-10 items; send one photo with sendPhoto")
        if len({bool(item.get("show_caption_above_media")) for item in items}) > 1:
            raise ApiError(400, "Bad Request: parameter show_caption_above_media must be the same for all messages")
        contents = []
        for item in items:
            if item["type"] != "photo":
                raise ApiError(400, f"Bad Request: the fake Bot API does not implement albums of {item['type']} yet")
            _check_photo(item["media"])
            caption = item.get("caption")
            plain = self._formatted(caption, item.get("parse_mode"), 1024, "message caption") if caption else None
            contents.append((plain, caption))
        group_id = f"album{next(self._album_ids)}"
        sent = []
        for plain, caption in contents:
            message = await self._sent(chat, p, caption_or_none=plain, html_or_none=caption, photo=True)
            self.messages[(chat.id, message["message_id"])].extra["media_group_id"] = group_id
            sent.append(message | {"media_group_id": group_id})
        return sent

    async def api_sendDocument(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "sendDocument")
        caption = p.get("caption")
        plain = self._formatted(caption, p.get("parse_mode"), 1024, "message caption") if caption else None
        document = p["document"]
        message = await self._sent(chat, p, caption_or_none=plain, html_or_none=caption)
        if isinstance(document, spec.FilePart):
            self.documents[(chat.id, message["message_id"])] = document
            stored = self.messages[(chat.id, message["message_id"])]
            stored.extra["document"] = {"file_id": f"doc{message['message_id']}", "file_unique_id": "u",
                                        "file_name": document.filename}  # fmt: skip
            message["document"] = stored.extra["document"]
        return message

    async def api_sendChatAction(self, p: dict[str, Any]) -> Any:
        self._writable_chat(p["chat_id"], "sendChatAction")
        return True

    async def api_editMessageText(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "editMessageText", p.get("reply_markup"))
        message = self._message(chat, p["message_id"])
        if not message.from_bot and chat.type != "channel":
            raise ApiError(400, "Bad Request: message can't be edited")
        if message.text_or_none is None:  # a photo or a document: its caption is edited instead
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        plain = self._formatted(p["text"], p.get("parse_mode"), 4096, "message text")
        markup = p.get("reply_markup")
        if message.text_or_none == plain and message.html_or_none == p["text"] and message.reply_markup == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message",
            )
        message.text_or_none, message.html_or_none, message.reply_markup = plain, p["text"], markup
        message.edits += 1
        return message.to_json(self)

    async def api_editMessageCaption(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "editMessageCaption", p.get("reply_markup"))
        message = self._message(chat, p["message_id"])
        if message.text_or_none is not None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = p.get("caption") or ""
        plain = self._formatted(caption, p.get("parse_mode"), 1024, "message caption") if caption else None
        markup = p.get("reply_markup")
        # Telegram compares the formatting (entities) too: the same words made bold are a change.
        same = message.caption_or_none == plain and (message.html_or_none or "") == caption
        if same and message.reply_markup == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.caption_or_none, message.html_or_none, message.reply_markup = plain, caption, markup
        message.edits += 1
        return message.to_json(self)

    async def api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        chat = self._writable_chat(p["chat_id"], "editMessageReplyMarkup", p.get("reply_markup"))
        message = self._message(chat, p["message_id"])
        markup = p.get("reply_markup")
        if message.reply_markup == markup:
            raise ApiError(400, "Bad Request: message is not modified")
        message.reply_markup = markup
        message.edits += 1
        return message.to_json(self)

    async def api_deleteMessage(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        message = self.messages.get((chat.id, p["message_id"]))
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if time.time() - message.date > 48 * 3600:
            raise ApiError(400, "Bad Request: message can't be deleted")
        # Outside private chats only an administrator deletes what others wrote (a channel's posts: its admins).
        if chat.type != "private" and not message.from_bot and chat.bot_status != "administrator":
            raise ApiError(400, "Bad Request: message can't be deleted")
        message.deleted = True
        return True

    async def api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        query_id = p["callback_query_id"]
        pressed = self.callback_pressed.get(query_id)
        too_old = pressed is not None and time.monotonic() - pressed > self.callback_answer_window
        if query_id not in self.callback_answers or too_old:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        if self.callback_answers[query_id]:
            raise ApiError(400, "Bad Request: query is already answered")
        if len(p.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {"text": p.get("text"), "show_alert": p.get("show_alert", False)}
        return True

    async def api_getChat(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        data = chat.to_json() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.linked_chat_id is not None:
            data["linked_chat_id"] = chat.linked_chat_id
        return data

    def _member_json(self, chat: FakeChat, user_id: int) -> dict[str, Any]:
        status = chat.bot_status if user_id == self.bot_user["id"] else chat.members.get(user_id, "left")
        user = (
            self.bot_user
            if user_id == self.bot_user["id"]
            else {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"}
        )
        data: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            data |= {
                key: True
                for key in (
                    "can_be_edited",
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_promote_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                )
            }
            data["is_anonymous"] = False
            data["can_be_edited"] = False
            if chat.type == "channel":  # Telegram adds the rights only channels have
                data |= {"can_post_messages": True, "can_edit_messages": True}
            if user_id == self.bot_user["id"]:
                data |= {right: False for right in chat.bot_lacks}
        elif status == "creator":
            data["is_anonymous"] = False
        elif status == "restricted":
            data |= {"is_member": True, "until_date": 0} | {
                key: False
                for key in (
                    "can_send_messages",
                    "can_send_audios",
                    "can_send_documents",
                    "can_send_photos",
                    "can_send_videos",
                    "can_send_video_notes",
                    "can_send_voice_notes",
                    "can_send_polls",
                    "can_send_other_messages",
                    "can_add_web_page_previews",
                    "can_change_info",
                    "can_invite_users",
                    "can_pin_messages",
                    "can_manage_topics",
                    "can_edit_tag",
                )
            }
        elif status == "kicked":
            data["until_date"] = 0
        return data

    async def api_getChatMember(self, p: dict[str, Any]) -> Any:
        return self._member_json(self._chat(p["chat_id"]), p["user_id"])

    async def api_getChatAdministrators(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        admins = [uid for uid, status in chat.members.items() if status in ("creator", "administrator")]
        return [self._member_json(chat, uid) for uid in admins] + [self._member_json(chat, self.bot_user["id"])]

    def _require_admin(self, chat: FakeChat) -> None:
        if chat.bot_status != "administrator" or "can_restrict_members" in chat.bot_lacks:
            raise ApiError(400, "Bad Request: not enough rights to restrict/unrestrict chat member")

    async def api_banChatMember(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._require_admin(chat)
        if chat.members.get(p["user_id"]) in ("creator", "administrator"):
            raise ApiError(400, "Bad Request: user is an administrator of the chat")
        chat.members[p["user_id"]] = "kicked"
        return True

    async def api_unbanChatMember(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._require_admin(chat)
        status = chat.members.get(p["user_id"], "left")
        if status == "kicked" or not p.get("only_if_banned"):
            chat.members[p["user_id"]] = "left"
        return True

    async def api_restrictChatMember(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._require_admin(chat)
        if chat.type != "supergroup":
            raise ApiError(400, "Bad Request: method is available only for supergroups")
        chat.members[p["user_id"]] = "member" if p["permissions"].get("can_send_messages") else "restricted"
        return True

    async def api_banChatSenderChat(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._require_admin(chat)
        chat.members[p["sender_chat_id"]] = "kicked"
        return True

    async def api_unbanChatSenderChat(self, p: dict[str, Any]) -> Any:
        chat = self._chat(p["chat_id"])
        self._require_admin(chat)
        chat.members[p["sender_chat_id"]] = "left"
        return True


class _InjectedError(ApiError):
    """A fault the test asked for: answered like Telegram would, but not counted as a bot mistake."""


def _check_photo(photo: Any) -> None:
    """A URL (the fake fails those containing "fail"), an upload, or a file_id Telegram issued (here `photoN`)."""
    if isinstance(photo, str) and (
        ("fail" in photo) if photo.startswith("http") else not photo.removeprefix("photo").isdigit()
    ):
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


def _has_web_app(markup: Any) -> bool:
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    return any(isinstance(button, dict) and "web_app" in button for row in rows for button in row)
