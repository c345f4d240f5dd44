"""From raw article text (a feed item, an extracted page, a pasted article) to a clean article.

Rules follow the patterns of Persian news pages in general, not one site: the first line is the headline;
lines that repeat it (or a sub-headline sharing most of its words) leave the body; the source comes from a
`منبع:` line or a `به گزارش <agency>` opening; site furniture (share and comment prompts, counters, related
news lists, news codes) is removed; a reader-comment section is split off with its nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.text.normalize import matching_form

SOURCE_LINE = re.compile(r"^\s*(?:منبع|منابع|source)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
_SPACE = r"[\s\u200c]"
REPORTED_BY = re.compile(
    rf"^\s*(?:به{_SPACE}گزارش|به{_SPACE}نقل{_SPACE}از)\s+(?:خبرگزاری|خبرنگار|پایگاه{_SPACE}خبری|روزنامه|گروه\s+\S+(?:\s+و\s+\S+)?\s+)?\s*"
    r"([^\s،,؛:.]+(?:\s+[^\s،,؛:.]+)?)"
)
# Words that follow an agency's name in `به گزارش خبرنگار برنا هرمزگان` and are not part of the name.
NOT_NAME = {"از", "در", "به", "و", "امروز", "روز", "که"}
FURNITURE = re.compile(
    "|".join(
        (
            r"^شبکه[\s\u200c]?های[\s\u200c]اجتماعی$",
            r"^دیدگاه(?:تان|\s*خود)?\s*را\s*بنویسید",
            r"^(?:ارسال|ثبت)\s*(?:نظر|دیدگاه)",
            r"^(?:اشتراک[\s\u200c]?گذاری|به\s*اشتراک\s*بگذارید|share)",
            r"^(?:کد\s*خبر|شناسه\s*خبر|لینک\s*کوتاه|نسخه\s*چاپی|چاپ\s*خبر|ارسال\s*به\s*دوستان)",
            r"^(?:برچسب[\s\u200c]?ها|کلید[\s\u200c]?واژه[\s\u200c]?ها|تگ[\s\u200c]?ها)\s*[:：]?",
            r"^انتهای\s*پیام",
            r"^(?:تبلیغات|آگهی)$",
            r"^(?:پربازدیدترین|پربحث[\s\u200c]?ترین|آخرین)\s*(?:اخبار|خبرها|مطالب)",
            r"^(?:بیشتر\s*بخوانید|بخوانید)\s*[:：]?$",
            r"^\d+\s*(?:بازدید|نظر|دیدگاه)$",
            r"^(?:زمان\s*مطالعه|تاریخ\s*انتشار)\s*[:：]",
        )
    ),
    re.IGNORECASE,
)
RELATED_HEADING = re.compile(r"^(?:اخبار|خبرهای|مطالب|مقالات)\s*(?:مرتبط|مشابه|پیشنهادی)\s*[:：]?$")
COMMENTS_HEADING = re.compile(r"^(?:نظرات(?:\s*شما)?|دیدگاه[\s\u200c]?ها|نظرات\s*کاربران)\s*(?:[-–—:]\s*[\d۰-۹]*)?\s*$")
COMMENT_NOISE = re.compile(r"^(?:نظرات\s*شما\s*[-–—]?\s*[\d۰-۹]*|پاسخ|پاسخ\s*دادن|لغو\s*پاسخ|گزارش|[\d۰-۹]+)$")
BULLET = re.compile(r"^(\s*)[•●◦▪\-*]\s+(.+?)\s*$")
SENTENCE_END = '.!?؟…»"”)'


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    replies: tuple[Comment, ...] = ()

    def count(self) -> int:
        return 1 + sum(reply.count() for reply in self.replies)


@dataclass
class CleanArticle:
    title: str
    body: str
    source: str | None = None
    subtitles: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def _words(text: str) -> set[str]:
    return set(matching_form(text).split())


def _is_headline_echo(line: str, title: str) -> bool:
    """The title again, or a sub-headline: a short unpunctuated line sharing most of its words with it."""
    key, title_key = matching_form(line), matching_form(title)
    if not key:
        return True
    if key == title_key or key in title_key or (title_key in key and len(key) < 1.5 * len(title_key)):
        return True
    if len(line) > 160 or line.rstrip()[-1:] in ".!?؟…":
        return False
    words, title_words = _words(line), _words(title)
    if len(words & title_words) >= max(2, 0.5 * len(words)):
        return True
    # A headline in parts (`A / B`, `A | B`, `A؛ B`) often comes back as one part plus a new one.
    parts = [matching_form(p) for p in re.split(r"[/|؛]", title)]
    return any(len(part.split()) >= 3 and part in key for part in parts)


def source_of(text: str) -> str | None:
    """The agency named in a `به گزارش <agency>` opening."""
    match = REPORTED_BY.match(text)
    if not match:
        return None
    words = [w for w in match.group(1).split() if w not in NOT_NAME]
    return words[0] if words else None


def split_comments(lines: list[str]) -> list[Comment]:
    """Parse a comment section: a bullet line starts a comment (its text is the author), the lines under
    it are its text, and deeper indentation means a reply to the comment above."""
    roots: list[dict] = []
    stack: list[tuple[int, dict]] = []
    current: dict | None = None
    for raw in lines:
        if not raw.strip() or COMMENT_NOISE.match(raw.strip()):
            continue
        bullet = BULLET.match(raw)
        if bullet:
            indent = len(bullet.group(1).expandtabs(4))
            node = {"author": bullet.group(2).strip(), "text": [], "replies": []}
            while stack and stack[-1][0] >= indent:
                stack.pop()
            (stack[-1][1]["replies"] if stack else roots).append(node)
            stack.append((indent, node))
            current = node
        elif current is not None:
            current["text"].append(raw.strip())
        else:
            roots.append({"author": "", "text": [raw.strip()], "replies": []})
            current = roots[-1]

    def build(node: dict) -> Comment:
        return Comment(node["author"], "\n".join(node["text"]), tuple(build(r) for r in node["replies"]))

    return [build(node) for node in roots if node["text"] or node["replies"]]


def clean_article(raw: str) -> CleanArticle:
    """Title, body, source, sub-headlines and reader comments of a raw article."""
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")]
    # The comment section is cut off first so that nothing in it is taken for the article.
    comment_lines: list[str] = []
    for i, line in enumerate(lines):
        if COMMENTS_HEADING.match(line.strip()):
            comment_lines, lines = lines[i + 1 :], lines[:i]
            break
    content = [line.strip() for line in lines]
    title_index = next((i for i, line in enumerate(content) if line), None)
    if title_index is None:
        return CleanArticle(title="", body="", comments=split_comments(comment_lines))
    title = content[title_index]
    source: str | None = None
    subtitles: list[str] = []
    body: list[str] = []
    in_related = False
    for line in content[title_index + 1 :]:
        if not line:
            in_related = False
            continue
        if in_related and len(line) < 140 and line[-1] not in SENTENCE_END:
            continue
        in_related = False
        if RELATED_HEADING.match(line):
            in_related = True
            continue
        match = SOURCE_LINE.match(line)
        if match:
            source = source or match.group(1).strip(" .،")
            continue
        if FURNITURE.search(line):
            continue
        if _is_headline_echo(line, title):
            if matching_form(line) != matching_form(title):
                subtitles.append(line)
            continue
        body.append(line)
    if source is None and body:
        source = source_of(body[0])
    return CleanArticle(title, "\n".join(body), source, subtitles, split_comments(comment_lines))
