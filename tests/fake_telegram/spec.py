"""The official Bot API spec (api.json, Bot API 10.1, MIT licensed from telegram-bot-api-spec) as a checker."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("api.json")
DEEP_LINK = re.compile(r"^https?://t\.me/([A-Za-z0-9_]+)\?(start|startgroup)=(.*)$")
DEEP_LINK_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Fields of InlineKeyboardButton of which exactly one must be set (text, style and icon are not actions).
BUTTON_NON_ACTIONS = {"text", "icon_custom_emoji_id", "style"}
# Telegram refuses an inline keyboard of more than 100 buttons, or with more than 8 in one row, with the
# same error (tginfo/Telegram-Limits #228; rubenlagus/TelegramBots #218, yagop/node-telegram-bot-api #200).
INLINE_KEYBOARD_BUTTONS = 100
INLINE_KEYBOARD_ROW = 8
MARKUP_TOO_LONG = "reply markup is too long"


class SpecError(ValueError):
    """A request Telegram would refuse with 400 Bad Request."""


class KeyboardTooLong(SpecError):
    """An inline keyboard over Telegram's limits: refused as such, whichever markup type it was tried as."""


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


@cache
def methods() -> dict[str, str]:
    """Lower-case method name -> canonical name (Telegram matches method names case-insensitively)."""
    return {name.lower(): name for name in spec()["methods"]}


@cache
def method_fields(method: str) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], tuple(f["types"]), f["required"])
        for f in spec()["methods"][method].get("fields", [])
    }


@cache
def type_fields(type_name: str) -> dict[str, Field] | None:
    entry = spec()["types"].get(type_name)
    if entry is None:
        return None
    return {f["name"]: Field(f["name"], tuple(f["types"]), f["required"]) for f in entry.get("fields", [])}


@cache
def subtypes(type_name: str) -> tuple[str, ...]:
    return tuple(spec()["types"].get(type_name, {}).get("subtypes", ()))


def coerce_parameter(field: Field, raw: Any) -> Any:
    """Decode one request parameter (form fields carry JSON for arrays and objects) and check its type."""
    errors = []
    for type_name in field.types:
        try:
            return _coerce(type_name, raw, field.name)
        except KeyboardTooLong:
            raise
        except SpecError as error:
            errors.append(str(error))
    raise SpecError(errors[0] if len(errors) == 1 else f'field "{field.name}": {"; ".join(errors)}')


def _coerce(type_name: str, raw: Any, path: str) -> Any:
    if type_name == "Integer":
        if isinstance(raw, bool):
            raise SpecError(f'field "{path}" must be an Integer')
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SpecError(f'field "{path}" must be an Integer') from None
    if type_name == "Float":
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise SpecError(f'field "{path}" must be a Float') from None
    if type_name == "Boolean":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "false", "1", "0"):
            return str(raw).lower() in ("true", "1")
        raise SpecError(f'field "{path}" must be a Boolean')
    if type_name == "String":
        if isinstance(raw, str | int) and not isinstance(raw, bool):
            return str(raw)
        raise SpecError(f'field "{path}" must be a String')
    if type_name == "InputFile":
        if isinstance(raw, bytes | FilePart):
            return raw
        raise SpecError(f'field "{path}" must be an uploaded file')
    value = raw
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise SpecError(f'field "{path}" must be JSON-serialized {type_name}') from None
    if type_name.startswith("Array of "):
        if not isinstance(value, list):
            raise SpecError(f'field "{path}" must be an Array')
        inner = type_name.removeprefix("Array of ")
        return [_coerce(inner, item, f"{path}[{i}]") for i, item in enumerate(value)]
    check_object(type_name, value, path)
    return value


def check_object(type_name: str, value: Any, path: str) -> None:
    """Check an object against its spec type: required fields, field types, Telegram's extra rules."""
    options = subtypes(type_name)
    if options:
        errors = []
        for option in options:
            try:
                check_object(option, value, path)
                return
            except KeyboardTooLong:
                raise
            except SpecError as error:
                errors.append(str(error))
        raise SpecError(f'field "{path}" matches none of {type_name}: {errors[0]}')
    fields = type_fields(type_name)
    if fields is None:
        raise SpecError(f'field "{path}": unknown type {type_name}')
    if not isinstance(value, dict):
        raise SpecError(f'field "{path}" must be an Object of type {type_name}')
    for name, field in fields.items():
        if field.required and name not in value:
            raise SpecError(f'field "{path}.{name}" is required')
    for name, item in value.items():
        if name not in fields:
            raise SpecError(f'field "{path}.{name}" is not a field of {type_name}')
        field = fields[name]
        if field.types in (("String",), ("Integer",), ("Boolean",), ("Float",)):
            _check_json_scalar(field.types[0], item, f"{path}.{name}")
        else:
            coerce_parameter(Field(f"{path}.{name}", field.types, field.required), item)
    if type_name == "InlineKeyboardButton":
        check_button(value, path)
    if type_name == "InlineKeyboardMarkup":
        check_keyboard(value["inline_keyboard"])


def check_keyboard(rows: list[list[Any]]) -> None:
    if sum(len(row) for row in rows) > INLINE_KEYBOARD_BUTTONS or any(len(row) > INLINE_KEYBOARD_ROW for row in rows):
        raise KeyboardTooLong(MARKUP_TOO_LONG)


def _check_json_scalar(type_name: str, item: Any, path: str) -> None:
    ok = {
        "String": isinstance(item, str),
        "Integer": isinstance(item, int) and not isinstance(item, bool),
        "Boolean": isinstance(item, bool),
        "Float": isinstance(item, int | float) and not isinstance(item, bool),
    }[type_name]
    if not ok:
        raise SpecError(f'field "{path}" must be of type {type_name}')


def check_button(button: dict[str, Any], path: str) -> None:
    actions = [name for name in button if name not in BUTTON_NON_ACTIONS]
    if len(actions) != 1:
        raise SpecError(f"BUTTON_TYPE_INVALID: {path} needs exactly one action, has {actions}")
    if not button["text"]:
        raise SpecError(f"BUTTON_TEXT_EMPTY: {path}")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
        raise SpecError(f"BUTTON_DATA_INVALID: {path}.callback_data must be 1-64 bytes")
    url = button.get("url")
    if url is not None:
        if not re.match(r"^(https?|tg)://", url):
            raise SpecError(f"BUTTON_URL_INVALID: {url!r}")
        link = DEEP_LINK.match(url)
        if link and not DEEP_LINK_PAYLOAD.match(link[3]):
            raise SpecError(f"BUTTON_URL_INVALID: deep-link payload {link[3]!r} must be 1-64 of A-Za-z0-9_-")


@dataclass(frozen=True)
class FilePart:
    """A file uploaded in a multipart request."""

    filename: str
    content: bytes


def check_request(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Decode and check a whole request against the spec; return the typed parameters."""
    fields = method_fields(method)
    typed: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in params or params[name] in ("", None):
            if field.required:
                raise SpecError(f"parameter {name} is required")
            continue
        typed[name] = coerce_parameter(field, params[name])
    # Telegram ignores parameters a method does not have (python-telegram-bot sends its default parse_mode
    # with editMessageReplyMarkup, for one); so does the fake.
    return typed
