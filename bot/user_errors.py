"""Errors a user caused and must be told about in their language."""

from __future__ import annotations


class UserFacingError(Exception):
    """`key` names the catalog message that says what happened and what to do; `params` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
