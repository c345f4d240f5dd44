"""Addresses of the Mini App's pages."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from bot.news.publisher import DEEP_LINK_PREFIX


def story_url(base: str, public_id: str) -> str:
    """The Mini App page of one story, for a web_app button (which carries no start parameter of its own)."""
    parts = urlsplit(base)
    query = "&".join(q for q in (parts.query, urlencode({"story": f"{DEEP_LINK_PREFIX}{public_id}"})) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
