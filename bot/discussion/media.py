"""A group message without text (a photo, a poll, a sticker...) as a comment: its kind, the words the rules read
(a caption, a poll's question and options) and the text stored and shown for it on every page.

The kind's mark is stored in the comment's text, before its caption: a stored text is read by readers of every
language (pages, the review queue, the Mini App, digests), so the mark is a symbol, not a word of one catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.albums import AlbumPart

MARKS = {
    "photo": "🖼",
    "video": "🎬",
    "animation": "🎞",
    "poll": "📊",
    "sticker": "🎭",
    "voice": "🎤",
    "audio": "🎵",
    "video_note": "📹",
    "document": "📎",
    "location": "📍",
    "venue": "📍",
    "contact": "👤",
    "dice": "🎲",
    "other": "📦",
}
# Kinds the bot posts again as they were, from the file Telegram gave it (a held photo, once approved); the others
# come back as their text.
RESEND = frozenset({"photo"})


@dataclass(frozen=True)
class Media:
    kind: str  # a key of MARKS
    words: str = ""  # what it says: the caption, a poll's question and options, a sticker's emoji
    file_id: str | None = None

    def body(self, cleaned_words: str) -> str:
        """The comment's stored text: the kind's mark, then what it says."""
        return album_body([AlbumPart(0, self.kind, words=cleaned_words)])


def album_body(parts: Sequence[AlbumPart]) -> str:
    """The stored text of an album's comment: one mark per message (🖼🖼🖼), then each message's words."""
    marks = "".join(MARKS.get(part.kind, MARKS["other"]) for part in parts)
    words = "\n".join(part.words for part in parts if part.words)
    return f"{marks} {words}".rstrip()


def words_of(body: str) -> str:
    """The words again, from a stored text (a photo posted again takes them as its caption): the marks end at
    the first space."""
    return body.partition(" ")[2].strip()
