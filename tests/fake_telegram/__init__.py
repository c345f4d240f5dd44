"""A spec-checked fake Telegram Bot API for end-to-end tests (see server.py)."""

from tests.fake_telegram.actors import FakeUser
from tests.fake_telegram.limits import FloodLimits
from tests.fake_telegram.server import FakeChat, FakeMessage, FakeTelegram

__all__ = ["FakeChat", "FakeMessage", "FakeTelegram", "FakeUser", "FloodLimits"]
