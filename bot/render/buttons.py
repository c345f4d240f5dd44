"""Typed buttons: each feature names its button actions in one enum and packs them with one codec.

The callback data is `prefix:action:arg…` (the draft preview's, from before the codecs, `draft:id:action`), at
most Telegram's 64 bytes: `pack` refuses more. Buttons stay on old messages in live chats, so the wire letters
are those the bot always used; `unpack` answers anything it cannot read (an old or forged button) with a
`ButtonExpired`, which the error path tells as "this button is out of date".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.render.ids import MAX_ID, parse_int
from bot.user_errors import UserFacingError

CALLBACK_DATA_LIMIT = 64  # bytes: Telegram refuses more ("Bad Request: BUTTON_DATA_INVALID")


class ButtonExpired(UserFacingError):
    """A press the bot cannot act on any more (or never could): the reader hears the button is out of date."""

    def __init__(self) -> None:
        super().__init__("button_expired")


class ButtonDataTooLong(ValueError):
    """Callback data over Telegram's 64 bytes: a bug in the caller, never sent."""


@dataclass(frozen=True)
class Pressed[A: StrEnum]:
    """A decoded press: the action and its arguments as the button carried them."""

    action: A
    args: tuple[str, ...]

    def number(self, index: int = 0, low: int = 1, high: int = MAX_ID) -> int:
        """The argument at `index` as a whole number in low..high; out of date when it is not one."""
        value = parse_int(self.args[index], low, high) if index < len(self.args) else None
        if value is None:
            raise ButtonExpired
        return value

    def text(self, index: int = 0) -> str:
        if index >= len(self.args):
            raise ButtonExpired
        return self.args[index]


class ButtonCodec[A: StrEnum]:
    """Packs and unpacks one feature's callback data; `actions` is the feature's enum of wire letters."""

    def __init__(self, prefix: str, actions: type[A], *, arity: int = 1, action_last: bool = False) -> None:
        self.prefix = prefix
        self.actions = actions
        self.arity = arity  # arguments after the action
        self.action_last = action_last  # the draft preview's older layout, kept for its outstanding buttons
        self.pattern = rf"^{re.escape(prefix)}:"

    def pack(self, action: A, *args: int | str) -> str:
        """The callback data for `action` with `args`; ButtonDataTooLong past Telegram's 64 bytes."""
        data = self.packed(action, *args)
        if data is None:
            raise ButtonDataTooLong(f"{self.prefix}:{action.value} with {args!r} is over {CALLBACK_DATA_LIMIT} bytes")
        return data

    def packed(self, action: A, *args: int | str) -> str | None:
        """The callback data, or None when it would pass Telegram's 64 bytes (the caller leaves the button out)."""
        parts = [str(arg) for arg in args]
        if any(":" in part for part in parts):
            raise ValueError(f"a button argument may not contain ':' ({args!r})")
        parts = [*parts, action.value] if self.action_last else [action.value, *parts]
        data = ":".join([self.prefix, *parts])
        return data if len(data.encode()) <= CALLBACK_DATA_LIMIT else None

    def unpack(self, data: str | None) -> Pressed[A]:
        """The action and arguments of `data`; ButtonExpired for anything this codec did not pack."""
        prefix, _, rest = (data or "").partition(":")
        if prefix != self.prefix or not rest:
            raise ButtonExpired
        parts = rest.split(":")
        if len(parts) != self.arity + 1:
            raise ButtonExpired
        letter = parts.pop() if self.action_last else parts.pop(0)
        try:
            action = self.actions(letter)
        except ValueError:
            raise ButtonExpired from None
        return Pressed(action, tuple(parts))


def route[A: StrEnum, R](action: A, routes: Mapping[A, R]) -> R:
    """What handles a press of `action` (its dispatch table's entry); ButtonExpired when the table has none."""
    found = routes.get(action)
    if found is None:
        raise ButtonExpired
    return found
