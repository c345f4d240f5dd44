"""Errors a user caused and must be told about in their language: one base class, one subclass per feature.

Services raise them with a catalog key; the handlers (and the Mini App) answer any `UserFacingError` the same way.
"""

from __future__ import annotations

from bot.texts import Text, plain, t


class UserFacingError(Exception):
    """`key` names the catalog message that says what happened and what to do; `params` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def text(self) -> Text:
        """The message, to be written in the reader's language (or stored, encoded, for later)."""
        return Text(self.key, dict(self.params))

    def __str__(self) -> str:
        """In English, for the operator's log."""
        return plain(t("en", self.key, **self.params))


class DiscussionError(UserFacingError):
    """What the reader did in a discussion cannot be done (a ban, a mute, a locked story, a gone comment)."""


class ModerationError(UserFacingError):
    """A moderator's command cannot be carried out (not allowed, an admin as target, a comment gone)."""


class SubscriptionError(UserFacingError):
    """A reader's subscription change cannot be made (too many keywords, an expired button)."""
