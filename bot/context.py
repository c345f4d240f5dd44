"""The typed callback context: handlers reach services through it, never through module globals."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.render.html import Safe
from bot.services import Services
from bot.texts import t

SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """One context per update (python-telegram-bot reuses it across handler groups)."""

    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application, chat_id, user_id)
        # Set by the group -1 handler in handlers/users.py before feature handlers run.
        services = application.bot_data.get(SERVICES_KEY)
        self.lang: str = services.settings.bot_language if services else "fa"

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES_KEY]

    def t(self, key: str, /, **params: object) -> Safe:
        """The catalog text for `key` in this user's language."""
        return t(self.lang, key, **params)
