"""Subscriptions: instant alerts, topic and keyword filters, search, and scheduled digests."""
