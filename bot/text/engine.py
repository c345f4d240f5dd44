"""One text engine per process: hazm's objects are slow to build (about 2 s and 200 MB), so they are
built once and shared by every caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bot.text.cleanup import CleanArticle, Comment, clean_article, strip_page_furniture
from bot.text.hashtags import HashtagExtractor
from bot.text.lexicon import Lexicon
from bot.text.normalize import HazmNormalizer, PersianNormalizer
from bot.text.summarize import Summarizer
from bot.text.terms import TermExtractor
from bot.text.zwnj import ZwnjRepairer

DEFAULT_SUMMARY_CHARS = 400


@dataclass
class ProcessedArticle:
    title: str
    body: str
    summary: str
    hashtags: list[str]
    source: str | None = None
    subtitles: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


class TextEngine:
    def __init__(self) -> None:
        hazm = HazmNormalizer()
        self.lexicon = Lexicon.from_hazm(hazm)
        self.normalizer = PersianNormalizer(hazm, ZwnjRepairer(self.lexicon))
        self.terms = TermExtractor()
        self.summarizer = Summarizer(self.terms)
        self.hashtags = HashtagExtractor(self.lexicon, self.terms)

    def normalize(self, text: str, writer: str = "") -> str:
        """Display form of `text`; `writer`: more text by its writer, whose ZWNJ habit counts too."""
        return self.normalizer.normalize(text, writer)

    def process(self, raw: str, max_chars: int = DEFAULT_SUMMARY_CHARS) -> ProcessedArticle:
        """Clean, normalize, summarize and tag one raw article (first line: its title)."""
        cleaned: CleanArticle = clean_article(raw)
        return self.process_parts(cleaned.title, cleaned.body, max_chars, cleaned)

    def process_parts(
        self, title: str, body: str, max_chars: int = DEFAULT_SUMMARY_CHARS, cleaned: CleanArticle | None = None
    ) -> ProcessedArticle:
        """The same for an article whose title and body are already separate (feeds, JSON input)."""
        body = body if cleaned else strip_page_furniture(body)
        writer = title + "\n" + body  # one writer: a title without ZWNJs keeps the glued words of one who types them
        title, body = self.normalize(title, writer), self.normalize(body, writer)
        return ProcessedArticle(
            title=title,
            body=body,
            summary=self.summarizer.summarize(title, body, max_chars),
            hashtags=self.hashtags.extract(title, body),
            source=self.normalize(cleaned.source) if cleaned and cleaned.source else None,
            subtitles=[self.normalize(s, writer) for s in cleaned.subtitles] if cleaned else [],
            comments=cleaned.comments if cleaned else [],
        )


@cache
def get_engine() -> TextEngine:
    """The process-wide engine."""
    return TextEngine()
