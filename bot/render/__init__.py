"""Rendering helpers shared by every message the bot sends."""
