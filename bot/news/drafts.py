"""Admin posting: an article pasted, forwarded or linked becomes a draft, previewed exactly as the channel
will show it, edited, then published through the same pipeline as feed items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.news.fetch import Fetcher, FetchError, PrivateAddressError
from bot.news.parse import extract_article, html_to_text
from bot.news.publisher import Outcome, Publisher, Story, as_utc
from bot.render.html import Safe
from bot.render.post import PostContent
from bot.text.sentences import split_sentences
from bot.text.summarize import cut_at_word
from bot.user_errors import UserFacingError
from storage.drafts import DraftRepository, DraftRow

URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")
MIN_ARTICLE_CHARS = 40
TITLE_MAX = 250  # characters of a title an admin types


def with_headline(text: str) -> str:
    """A pasted article whose first line is a paragraph, not a headline (the title a post is headed by): its
    first sentence, cut at a word if even that is long, heads it, and the paragraph stays its opening."""
    text = text.strip()
    first = text.split("\n", 1)[0]
    if len(first) <= TITLE_MAX:
        return text
    sentences = split_sentences(first)
    return f"{cut_at_word(sentences[0] if sentences else first, TITLE_MAX)}\n{text}"


class DraftError(UserFacingError):
    """Input that cannot become a draft; `key` names the catalog message for the admin."""


@dataclass(frozen=True)
class Preview:
    """The draft as the channel will show it: `html` is the post's text, or its caption when `photo` is set."""

    draft: DraftRow
    html: Safe
    photo: str | None = None


class DraftService:
    def __init__(self, drafts: DraftRepository, publisher: Publisher, fetcher: Fetcher, lang: str, tz: object) -> None:
        self.drafts = drafts
        self.publisher = publisher
        self.fetcher = fetcher
        self.lang = lang
        self.tz = tz

    async def create(self, admin_id: int, text: str, image: str | None = None, origin: str | None = None) -> Preview:
        """A draft from pasted text (first line: title) or from a URL alone on the message; `image` (a URL, or
        the file_id of the photo the admin sent or forwarded) makes it a photo post; `origin` (the channel or
        person a forwarded post came from) is the source when the text names none."""
        url = None
        match = URL_ONLY.match(text)
        if match:
            url = match.group(1)
            try:
                page = await self.fetcher.get(url)
            except PrivateAddressError:
                raise DraftError("post_private_address") from None
            except FetchError as error:
                raise DraftError("post_fetch_failed", reason=error.text) from None
            body = extract_article(page.content, page.url)
            title_match = re.search(rb"<title[^>]*>(.*?)</title>", page.content[:200_000], re.IGNORECASE | re.DOTALL)
            title = html_to_text(title_match.group(1).decode("utf-8", "replace")) if title_match else ""
            text = f"{title}\n{body}" if title else body
        if len(text.strip()) < MIN_ARTICLE_CHARS:
            raise DraftError("post_too_short")
        processed = await self.publisher.process_raw(with_headline(text))
        if not processed.title or not processed.summary:
            raise DraftError("post_no_sentences")
        draft_id = await self.drafts.create(
            admin_id,
            processed.title,
            processed.summary,
            processed.body,
            processed.source or origin,
            url,
            image,
            processed.hashtags,
            int(self.publisher.clock.time()),
        )
        return await self.preview(draft_id)

    async def get(self, draft_id: int) -> DraftRow | None:
        return await self.drafts.get(draft_id)

    async def open_draft(self, draft_id: int, admin_id: int, preview_message_id: int) -> DraftRow:
        """The draft a preview's button acts on: still open, this admin's, and that preview its newest one (an
        older preview shows a title or summary since edited: publishing from it would post what it does not
        show)."""
        draft = await self.drafts.get(draft_id)
        if draft is None or draft.state != "open" or draft.admin_id != admin_id:
            raise DraftError("post_draft_gone")
        if draft.preview_message_id not in (None, preview_message_id):
            raise DraftError("post_preview_outdated")
        return draft

    async def remember_preview(self, draft_id: int, message_id: int) -> None:
        await self.drafts.set_preview(draft_id, message_id)

    async def cancel(self, draft_id: int) -> bool:
        return await self.drafts.close(draft_id, "cancelled")

    async def preview(self, draft_id: int) -> Preview:
        draft = await self.drafts.get(draft_id)
        if draft is None:
            raise DraftError("post_draft_gone")
        content = PostContent(draft.title, draft.summary, draft.source, draft.url, as_utc(draft.created_at), draft.tags)
        return Preview(draft, self.publisher.render(content, photo=draft.image_url is not None), draft.image_url)

    async def edit(self, draft_id: int, field: str, value: str) -> Preview:
        """The admin's own title or summary, trimmed and nothing else: what they typed is what is published
        (rendering escapes it for HTML); the text engine never "repairs" it."""
        value = " ".join(value.split()) if field == "title" else value.strip()
        if not value:
            raise DraftError("post_empty_edit")
        if field == "title" and len(value) > TITLE_MAX:
            # A headline, not a paragraph: with a photo, the caption (1,024 characters) could not hold it.
            raise DraftError("post_title_too_long", limit=TITLE_MAX, length=len(value))
        await self.drafts.update_text(draft_id, field, value)
        return await self.preview(draft_id)

    async def publish(self, draft: DraftRow) -> Outcome:
        if not await self.drafts.close(draft.id, "published"):
            raise DraftError("post_draft_gone")
        story = Story(
            title=draft.title,
            body=draft.body,
            source=draft.source,
            url=draft.url,
            summary=draft.summary,
            hashtags=draft.tags,
            image_url=draft.image_url,
            published=draft.created_at,  # the date line the preview showed
            final=True,
        )
        return await self.publisher.ingest(story)
