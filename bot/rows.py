"""The rows services hand to the layers above them (handlers, the Mini App): storage's frozen dataclasses and
the enums they carry, named here so that handlers never import storage (ruff's banned-api rule in pyproject.toml
refuses it)."""

from __future__ import annotations

from storage.articles import ArticleRow
from storage.comments import CommentRow, CommentStatus, HoldReason, ViewRow
from storage.drafts import DraftRow
from storage.pending import PendingInput

__all__ = ["ArticleRow", "CommentRow", "CommentStatus", "DraftRow", "HoldReason", "PendingInput", "ViewRow"]
