"""Feed documents and web pages to plain items: title, link, guid, text, image, publication time."""

from __future__ import annotations

import calendar
import html
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import feedparser
import trafilatura

from bot.user_errors import UserFacingError

MAX_ITEMS = 500
UNTITLED_TITLE_CHARS = 100  # a title made of the first words of an item that has none
FEED_TITLE_CHARS = 80  # a feed's own title named in posts ("منبع: …") and /feeds
log = logging.getLogger(__name__)
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
# Parsers that expand entities can be made to allocate gigabytes by a few lines of XML ("billion laughs").
# News feeds have no reason to declare entities, so a feed that does is refused before any parsing.
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
LEGACY_ENCODING = "windows-1256"
PERSIAN_LETTERS = re.compile("[\u0627-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")
# A web page, wherever its doctype or <html> stands (after a byte order mark, blank lines or a comment).
HTML_PAGE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


class FeedError(UserFacingError):
    """A feed document that cannot be used; `key` (feed_error_*) says why."""


@dataclass(frozen=True)
class FeedItem:
    guid: str | None
    url: str | None
    title: str
    text: str
    image_url: str | None
    published: int | None
    categories: tuple[str, ...] = ()  # the feed's own <category> / Atom category terms


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    parser = _TextExtractor()
    try:
        parser.feed(fragment)
        parser.close()
    except Exception:  # html.parser raises on very broken markup; fall back to dropping tags
        return re.sub(r"<[^>]+>", " ", fragment)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_article(page: bytes | str, url: str | None = None) -> str:
    """The main text of a web page (site furniture left out), or an empty string."""
    text = trafilatura.extract(page, url=url, include_comments=False, include_tables=False, favor_precision=True)
    return text or ""


def _image_of(entry: feedparser.FeedParserDict) -> str | None:
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url") and (media.get("medium") in (None, "image") or "image" in media.get("type", "image")):
            return str(media["url"])
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/") and link.get("href"):
            return str(link["href"])
    return None


@dataclass(frozen=True)
class FeedDocument:
    title: str | None  # the feed's own name (its channel's or Atom feed's title), as plain text
    items: list[FeedItem]


def parse_feed(content: bytes, content_type: str = "") -> list[FeedItem]:
    """Items of an RSS 2.0, RSS 1.0/RDF or Atom document (see read_feed)."""
    return read_feed(content, content_type).items


def read_feed(content: bytes, content_type: str = "") -> FeedDocument:
    """An RSS 2.0, RSS 1.0/RDF or Atom document; `content_type` is the HTTP header, whose charset
    (the standard says) wins over the document's own declaration."""
    if not content.strip():
        raise FeedError("feed_error_empty")
    if ENTITY_DECLARATION.search(content[:65536]):
        raise FeedError("feed_error_entities")
    parsed = _parse(content, content_type)
    if isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        # Not in the encoding it declares (or in UTF-8, declaring none), so feedparser read it as Latin-1,
        # which turns Persian into «ÎÈÑ». Such a Persian feed is in the encoding Iranian sites used before
        # UTF-8: windows-1256, kept when it gives letters of the Persian alphabet.
        legacy = _parse(content, f"application/xml; charset={LEGACY_ENCODING}")
        if legacy.get("encoding") == LEGACY_ENCODING and PERSIAN_LETTERS.search(_titles(legacy)):
            parsed = legacy
    if not parsed.entries:
        if not parsed.get("version") and HTML_PAGE.search(content[:4096]):  # not a feed at all: a web page
            raise FeedError("feed_error_html")
        if parsed.get("bozo") or not parsed.get("version"):
            log.info("not a readable feed: %s", parsed.get("bozo_exception"))
            raise FeedError("feed_error_unreadable")
    items = []
    for entry in parsed.entries[:MAX_ITEMS]:
        contents = entry.get("content") or []
        body = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
        title = html_to_text(entry.get("title", "")).strip() or _first_words(html_to_text(body))
        if not title:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                guid=entry.get("id") or None,
                url=entry.get("link") or None,
                title=title,
                text=html_to_text(body),
                image_url=_image_of(entry),
                published=calendar.timegm(published) if published else None,
                categories=_categories(entry),
            )
        )
    title = " ".join(html_to_text(str(parsed.feed.get("title", ""))).split())[:FEED_TITLE_CHARS]
    return FeedDocument(title or None, items)


def _first_words(text: str) -> str:
    """A title for an item that has none (feeds made from Telegram channels): its text's first line, cut at a
    word within UNTITLED_TITLE_CHARS."""
    line = text.strip().split("\n", 1)[0].strip()
    if len(line) <= UNTITLED_TITLE_CHARS:
        return line
    return line[:UNTITLED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ،,.:;") + "…"


def _parse(content: bytes, content_type: str) -> feedparser.FeedParserDict:
    headers = {"content-type": content_type} if content_type else None
    return feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False, response_headers=headers)


def _titles(parsed: feedparser.FeedParserDict) -> str:
    return " ".join(str(entry.get("title", "")) for entry in parsed.entries[:20])


def _categories(entry: dict) -> tuple[str, ...]:
    """Up to three short category terms of a feed item (feedparser puts RSS and Atom categories in `tags`)."""
    terms = []
    for tag in entry.get("tags") or []:
        term = " ".join(html_to_text(tag.get("term") or tag.get("label") or "").split())
        if 1 < len(term) <= 30 and term not in terms:
            terms.append(term)
    return tuple(terms[:3])
