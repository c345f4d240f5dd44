"""Threaded discussions: comments and replies to replies, in the bot and in the discussion group."""
