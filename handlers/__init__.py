"""Telegram update handlers: each module parses updates, calls a service and renders the answer."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application

from handlers import (
    admin,
    digests,
    discussion,
    errors,
    fallback,
    group,
    ids,
    inputs,
    language,
    moderation,
    news_admin,
    privacy,
    start,
    stories,
    subscriptions,
    users,
)

# Updates the bot asks Telegram for (chat_member is not sent unless asked for explicitly).
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CHANNEL_POST,
    Update.EDITED_CHANNEL_POST,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.CHAT_MEMBER,
]


def register_all(app: Application) -> None:
    """Register every feature's handlers; the fallbacks go last so that features see updates first."""
    modules = (
        users,
        start,
        ids,
        language,
        admin,
        news_admin,
        moderation,
        stories,
        privacy,
        subscriptions,
        digests,
        discussion,
        group,
        inputs,
        fallback,
        errors,
    )
    fallback.register_gate(app)
    for module in modules:
        module.register(app)
