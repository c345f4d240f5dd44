"""Errors a user caused and must be told about in their language."""

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
