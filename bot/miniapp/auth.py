"""Telegram's Mini App launch data (initData): checked by its HMAC-SHA256 signature before anything is trusted.

The secret key is HMAC-SHA256 of the bot token under the key "WebAppData"; the signature is HMAC-SHA256 of the
data-check string (every received field but `hash`, as sorted `key=value` lines) under that secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

MAX_INIT_DATA = 4096  # Telegram's initData is a few hundred bytes; anything this long is not from Telegram


class InitDataError(Exception):
    """The launch data is missing, forged or too old; `reason` is for the log, never shown to the reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    id: int
    first_name: str
    language_code: str | None
    auth_date: int
    start_param: str | None
    allows_write_to_pm: bool = False  # the reader let the bot write to them (reply notices may go there)


def _secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """initData for `fields` as Telegram would sign it (for tests and local development)."""
    digest = hmac.new(_secret_key(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


def verify(raw: str, token: str, *, max_age: float, now: float) -> WebAppUser:
    """The user of a genuine, recent initData string; raises InitDataError otherwise."""
    if not raw:
        raise InitDataError("missing")
    if len(raw) > MAX_INIT_DATA:
        raise InitDataError("too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InitDataError("repeated field")
    received = fields.get("hash", "")
    expected = hmac.new(_secret_key(token), _check_string(fields).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(received.encode(), expected.encode()):
        raise InitDataError("bad signature")
    try:
        auth_date = int(fields["auth_date"])
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        raise InitDataError("no user") from None
    if not 0 < user_id < 2**63:
        raise InitDataError("bad user id")
    if now - auth_date > max_age:
        raise InitDataError("expired")
    if auth_date - now > 300:  # signed in the future: a clock far off, or a forgery with a valid hash
        raise InitDataError("from the future")
    return WebAppUser(
        id=user_id,
        first_name=str(user.get("first_name") or "")[:64],
        language_code=user.get("language_code") if isinstance(user.get("language_code"), str) else None,
        auth_date=auth_date,
        start_param=fields.get("start_param"),
        allows_write_to_pm=user.get("allows_write_to_pm") is True,
    )
