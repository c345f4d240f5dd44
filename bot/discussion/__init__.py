"""Threaded discussions: comments and replies to replies, in the bot and in the discussion group."""

from storage.comments import CommentStatus, HoldReason

__all__ = ["CommentStatus", "HoldReason"]  # what a comment is and why it waits, for the layers above
