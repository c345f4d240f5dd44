"""From raw article text (a feed item, an extracted page, a pasted article) to a clean article.

Rules follow the patterns of Persian news pages in general, not one site: the first line is the headline;
lines that repeat it (or a sub-headline sharing most of its words) leave the body; the source comes from a
`منبع:` line or a `به گزارش <agency>` opening; site furniture (share and comment prompts, counters, related
news lists, news codes) is removed; a reader-comment section is split off with its nesting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from bot.text.normalize import matching_form

SOURCE_LINE = re.compile(r"^\s*(?:منبع|منابع|source)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
_SPACE = r"[\s\u200c]"
# `به گزارش …` / `به نقل از …` up to the end of its clause: the agency is named somewhere in that span.
REPORTED_BY = re.compile(
    rf"(?:^|(?<=[\s.،,؛:«(]))(?:به{_SPACE}+گزارش|به{_SPACE}+نقل{_SPACE}+از|"
    rf"در{_SPACE}گفت{_SPACE}*و?{_SPACE}*گو{_SPACE}با(?={_SPACE}+(?:خبرنگار(?!ان)|خبرگزاری)))\s+([^،,؛:.\n]{{1,120}})"
)
# Raw page text may be typed with Arabic letters (`خبرگزاري`); patterns read a folded copy.
ARABIC_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
ARABIC_LETTER = re.compile("[يىك]")
# Nouns that introduce an agency's name (`خبرگزاری تسنیم` → تسنیم) ...
ORGANIZATION = re.compile(
    rf"(?:خبر{_SPACE}?گزاری|(?:پایگاه|باشگاه){_SPACE}(?:خبری|اطلاع{_SPACE}?رسانی)(?:{_SPACE}تحلیلی)?|روزنامه|هفته{_SPACE}?نامه|"
    rf"ماهنامه|نشریه|سایت|وب{_SPACE}?سایت|شبکه)\s+(?:{_SPACE}*(?:خبری|بین{_SPACE}?المللی)\s+)?"
)
# ... and names that are themselves such a phrase (`باشگاه خبرنگاران جوان`), kept whole.
NAME_PHRASE = re.compile(rf"باشگاه{_SPACE}خبرنگاران(?:{_SPACE}جوان)?|خبرگزاری{_SPACE}جمهوری{_SPACE}اسلامی")
# Roles and desks between `به گزارش` and the agency: `خبرنگار اقتصادی`, `گروه سیاسی`, `سرویس بین‌الملل`.
ROLE = re.compile(rf"^(?:خبرنگار(?:ان)?|گروه|سرویس|دبیر|دبیرخانه|میز|حوزه|تحریریه|پایگاه)(?:{_SPACE}|$)")
# Newsroom desks (a closed class): `خبرنگار بهداشت و درمان فارس`, `گروه اقتصاد بین‌الملل تسنیم`.
DESK_WORDS = {
    "و", "اعزامی", "بین‌الملل", "بینالملل", "استان‌ها", "استانها", "استان", "حوزه", "گروه", "خبری", "سرویس",
    "اقتصاد", "سیاست", "جامعه", "فرهنگ", "هنر", "ادب", "ورزش", "بهداشت", "درمان", "سلامت", "حوادث", "علم",
    "فناوری", "دانش", "دانشگاه", "آموزش", "انرژی", "بازار", "دین", "اندیشه", "قرآن", "انتظامی", "دفاعی", "مجلس",
    "فضای", "مجازی", "زنان", "جوانان", "کودک", "نوجوان", "خانواده", "محیط", "زیست", "شهری", "رسانه", "تصویر",
}  # fmt: skip
# Institutions whose site is quoted: their name is two words (`سایت باشگاه پرسپولیس`, `فدراسیون فوتبال`).
INSTITUTIONS = {"باشگاه", "فدراسیون", "سازمان", "وزارت", "کمیته", "اداره", "دانشگاه", "شرکت", "هیئت", "هیات"}
# The attribution's clause ends before these: `خبرگزاری فارس از قزوین`, `همشهری آنلاین به نقل از …`.
SPAN_END = re.compile(rf"\s(?:به{_SPACE}+نقل{_SPACE}+از|از|در|و{_SPACE}+به|طی|امروز)\s")
# Words that follow an agency's name in `به گزارش خبرنگار برنا هرمزگان` and are not part of the name.
NOT_NAME = {"از", "در", "به", "و", "امروز", "روز", "که", "نیز", "هم", "با", "این", "آن"}
# Second words of compound site names (`همشهری آنلاین`, `ایران پرس`); other words after a name are places
# or desks (`برنا هرمزگان`).
NAME_TAILS = {"آنلاین", "نیوز", "پرس", "سه", "۳", "3"}
# Persian news outlets by the name channels show (a closed, public list): found anywhere in an attribution they
# are the source whatever desk or reporter words surround them (`خبرنگار تئاتر فارس`, `خبرنگار سایت افغانستان
# خبرگزاری فارس`). Other names are read by position below.
KNOWN_OUTLETS = (
    "ایرنا", "ایسنا", "ایلنا", "ایکنا", "ایبنا", "ایمنا", "برنا", "پانا", "فارس", "مهر", "تسنیم", "میزان", "شبستان",
    "رسا", "دانشجو", "موج", "تابناک", "خبرآنلاین", "خبر آنلاین", "همشهری آنلاین", "عصر ایران", "انتخاب",
    "اعتماد آنلاین", "اقتصاد آنلاین", "اقتصادنیوز", "دنیای اقتصاد", "باشگاه خبرنگاران جوان", "باشگاه خبرنگاران",
    "صدا و سیما", "ورزش سه", "نود اقتصادی", "فرارو", "جماران", "ایران آنلاین", "ایران پرس",
    "شانا", "سیتنا", "ایانا", "هرانا", "مشرق", "دفاع پرس", "رجانیوز", "خبرورزشی",
)  # fmt: skip
_OUTLET_NAMES = {tuple(name.split()): name for name in KNOWN_OUTLETS}
_OUTLET = re.compile(
    "|".join(
        rf"(?<![^\s«\"'(]){f'{_SPACE}+'.join(map(re.escape, words))}(?![^\s»\"')،,.:؛])"
        for words in sorted(_OUTLET_NAMES, key=lambda words: len(" ".join(words)), reverse=True)
    )
)
# `خبرگزاری فرانسه` is the French agency, not France: after an organisation noun a country keeps the noun.
COUNTRIES = {
    "فرانسه", "آلمان", "روسیه", "چین", "ژاپن", "ایتالیا", "اسپانیا", "ترکیه", "قطر", "کویت", "عراق", "سوریه",
    "لبنان", "مصر", "اردن", "عربستان", "امارات", "پاکستان", "افغانستان", "هند", "کره", "آمریکا", "امریکا",
    "انگلیس", "بریتانیا", "اوکراین", "تاجیکستان", "آذربایجان", "ارمنستان", "فلسطین", "یمن", "بحرین", "عمان",
    "الجزایر", "مراکش", "تونس", "لیبی", "سودان", "قزاقستان", "ازبکستان", "ترکمنستان", "ونزوئلا", "کوبا", "برزیل",
}  # fmt: skip
# `به گزارش رسانه‌های محلی`: a kind of source, not a name.
GENERIC_SOURCES = {
    "رسانه", "رسانه‌ها", "رسانه‌های", "رسانههای", "منابع", "منابعی", "شاهدان", "برخی", "یک", "وی", "او", "روابط",
    "رسمی", "مرکز", "واحد", "دفتر",
}  # fmt: skip
# Datelines: `تهران - ایرنا -`, `ایسنا - `, `تهران (پانا) -`, `ایرنا:`, `تهران- ایرنا:`.
_DASH = r"\s*[-–—]\s*"
_NAME = r"[^\s\-–—:()،,]+(?:\s[^\s\-–—:()،,]+)?"
DATELINE = re.compile(
    rf"^(?:(?:{_NAME}){_DASH}(?P<agency>{_NAME}){_DASH}|(?:{_NAME})\s*\((?P<paren>{_NAME})\)\s*[-–—:]\s*|"
    rf"(?:(?:{_NAME}){_DASH})?(?P<acronym>[^\s\-–—:()،,]{{2,4}}نا)\s*:\s*|(?P<lead>{_NAME}){_DASH}(?=\S))"
)
BODY_LINES_FOR_SOURCE = 4

# Lines of page furniture around the headline and in the body.
_DIGIT = "0-9۰-۹٠-٩"
_NUMBER = f"[{_DIGIT}]+"
_MONTHS = (
    "فروردین|اردیبهشت|خرداد|تیر|مرداد|امرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|"
    "ژانویه|فوریه|مارس|آوریل|مه|می|ژوئن|ژوئیه|ژوییه|اوت|آگوست|سپتامبر|اکتبر|نوامبر|دسامبر|"
    "محرم|صفر|ربیع‌الاول|ربیع‌الثانی|جمادی‌الاول|جمادی‌الثانی|رجب|شعبان|رمضان|شوال|ذی‌القعده|ذی‌الحجه"
)
_WEEKDAYS = r"شنبه|یک[\s\u200c]?شنبه|دو[\s\u200c]?شنبه|سه[\s\u200c]?شنبه|چهار[\s\u200c]?شنبه|پنج[\s\u200c]?شنبه|جمعه"
DATE_LABEL = re.compile(
    r"^(?:(?:تاریخ|زمان)(?:\s*و\s*(?:ساعت|زمان))?(?:\s*(?:خبر|انتشار|ارسال|درج|مخابره))?|انتشار|منتشر\s*شده(?:\s*در)?|"
    r"(?:آخرین\s*)?به[\s\u200c]?روز[\s\u200c]?(?:رسانی|شده)|بروزرسانی|ساعت|published|updated|date)\s*[:：]?\s*",
    re.IGNORECASE,
)
DATE_PIECE = re.compile(
    rf"(?:{_NUMBER}[/\-.]{_NUMBER}[/\-.]{_NUMBER}|{_NUMBER}:{_NUMBER}(?::{_NUMBER})?|"
    rf"(?:{_NUMBER}\s*(?:{_MONTHS})(?:\s*{_NUMBER})?|(?:{_MONTHS})\s*{_NUMBER})(?=$|[\s\-–—|,،/])|{_WEEKDAYS}|{_NUMBER}|"
    r"ساعت|ق\.?\s?ظ|ب\.?\s?ظ|AM|PM|GMT|UTC)[\s\-–—|,،/:]*",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(rf"{_NUMBER}[/\-.]{_NUMBER}[/\-.]{_NUMBER}|^{DATE_LABEL.pattern}")
NUMBER_ONLY = re.compile(rf"^[#\s]*{_NUMBER}$")
MEDIA_SIZE = re.compile(
    rf"^(?:(?:حجم|اندازه|مدت(?:\s*زمان)?|زمان|کیفیت)(?:\s*(?:فایل|ویدئو|ویدیو|فیلم|صوت|تصویر|کلیپ))?\s*[:：]?\s*"
    rf"[{_DIGIT}.,٫:]+\s*(?:مگابایت|کیلوبایت|گیگابایت|مگ|MB|KB|GB|ثانیه|دقیقه|p)?\s*$|"
    rf"(?:دانلود|دریافت)\s*(?:فیلم|ویدئو|ویدیو|فایل|کلیپ)?.{{0,40}}(?:مگابایت|کیلوبایت|MB|KB)\)?\s*$)",
    re.IGNORECASE,
)
NEWS_CODE = re.compile(r"^(?:کد|شناسه)[\s\u200c]*(?:خبر|مطلب)|^news\s*id", re.IGNORECASE)
SHORT_LATIN = re.compile(r"^[A-Za-z][A-Za-z .&|/'-]{0,24}$")
# A link to the site in another language, above the headline.
LANGUAGE_LINK = re.compile(r"^(?:العربية|العربیة|عربی|فارسی|اردو|Français|Türkçe|Español|Русский)$")
SITE_NAME = re.compile(
    rf"^(?:{ORGANIZATION.pattern}|{NAME_PHRASE.pattern})\S*(?:\s+\S+){{0,2}}$|^[^\s]{{2,4}}نا$|"
    r"^(?:صفحه[\s\u200c]?(?:نخست|اصلی)|خانه|home)$",
    re.IGNORECASE,
)
PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")
MENU = re.compile(r"^(?:[^|»«>/]{1,20}\s[|»>]\s+){2,}[^|»«>/]{1,20}$")
# Furniture patterns that also start real headlines (`آخرین اخبار از …`, `برچسب‌های …`) count above the
# headline only on short lines.
FURNITURE_ABOVE_WORDS = 4
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


@lru_cache(maxsize=64)
def _title_forms(title: str) -> tuple[str, set[str], list[str]]:
    """The title's matching form, its words and its parts (`A / B`), computed once per article."""
    return matching_form(title), _words(title), [matching_form(p) for p in re.split(r"[/|؛]", title)]


def _is_headline_echo(line: str, title: str) -> bool:
    """The title again, or a sub-headline: a short unpunctuated line sharing most of its words with it."""
    title_key, title_words, parts = _title_forms(title)
    key = matching_form(line)
    if not key:
        return True
    if key == title_key or key in title_key or (title_key in key and len(key) < 1.5 * len(title_key)):
        return True
    if len(line) > 160 or line.rstrip()[-1:] in ".!?؟…":
        return False
    words = set(key.split())
    if len(words & title_words) >= max(2, 0.5 * len(words)):
        return True
    # A headline in parts (`A / B`, `A | B`, `A؛ B`) often comes back as one part plus a new one.
    return any(len(part.split()) >= 3 and part in key for part in parts)


def _agency_in(span: str) -> str | None:
    """The agency named in the span after `به گزارش`: a quoted name (`"ورزش سه"`), a name phrase kept whole
    (`باشگاه خبرنگاران جوان`), the name after an organisation noun (`خبرگزاری X`: the agency, not its desk),
    or the first word after the reporter and desk words (`خبرنگار اقتصادی تسنیم`)."""
    span = SPAN_END.split(f" {span} ", maxsplit=1)[0]
    outlet = _OUTLET.search(span)
    if outlet:
        return _OUTLET_NAMES[tuple(outlet.group().replace("\u200c", " ").split())]
    quoted = re.match(r"\s*[\"“«'']+([^\"”»'']{2,30})[\"”»'']", span)
    if quoted:
        return " ".join(quoted.group(1).split())
    phrase = NAME_PHRASE.search(span)
    organization = ORGANIZATION.search(span)
    if phrase and (organization is None or phrase.start() <= organization.start()):
        # `خبرگزاری جمهوری اسلامی (ایرنا)`: the short name when the text gives it.
        acronym = re.match(r"\s*(?:ایران\s*)?\(([^)]{2,20})\)", span[phrase.end() :])
        return acronym.group(1).strip() if acronym else phrase.group()
    if organization:
        # `خبرگزاری خبرگزاری فارس`: a repeated noun is a typo, not a name.
        while (again := ORGANIZATION.match(span, organization.end())) is not None:
            organization = again
        words = [w for w in span[organization.end() :].split() if w != "رسمی"]
        if words and words[0] in INSTITUTIONS:
            return " ".join(w for w in words[:2] if w not in NOT_NAME)
        if words and words[0].strip("«»\"'()“”") in COUNTRIES:
            return f"{organization.group().split()[0]} {words[0].strip('«»"()“”')}"
    else:
        words = span.split()
        if words and ROLE.match(words[0]):
            while words and (ROLE.match(words[0]) or words[0] in DESK_WORDS or _is_desk(words[0])):
                words.pop(0)
    words = [w.strip("«»\"'()“”") for w in words[:2]]
    if not words or not words[0] or words[0] in NOT_NAME or words[0] in GENERIC_SOURCES:
        return None
    return " ".join(words) if len(words) == 2 and words[1] in NAME_TAILS else words[0]


def _is_desk(word: str) -> bool:
    """A desk adjective (`اقتصادی`, `سیاسی`, `ورزشی`) after `خبرنگار`/`گروه`; agency names rarely end in ی."""
    return len(word) > 3 and word.endswith("ی") and not word.endswith("‌ی")


def _persian_letters(text: str) -> str:
    """`خبرگزاري` → `خبرگزاری`. (str.translate with a dict is slow on long text: most text has no such letter.)"""
    return text.translate(ARABIC_LETTERS) if ARABIC_LETTER.search(text) else text


def source_of(text: str) -> str | None:
    """The agency named in a `به گزارش <agency>` / `به نقل از <agency>` attribution anywhere in the text."""
    for match in REPORTED_BY.finditer(_persian_letters(text)):
        agency = _agency_in(match.group(1))
        if agency:
            return agency
    return None


def dateline_source(line: str) -> str | None:
    """The agency of a dateline opening a body line: `تهران - ایرنا -`, `ایسنا - `, `تهران (پانا) -`, `ایلنا:`."""
    match = DATELINE.match(_persian_letters(line))
    if not match:
        return None
    name = match.group("agency") or match.group("paren") or match.group("lead") or match.group("acronym")
    words = name.split()
    if not words or len(words) > 2 or any(w in NOT_NAME or w in GENERIC_SOURCES for w in words):
        return None
    organization = ORGANIZATION.match(name + " ")
    short = tuple(name[organization.end() :].replace("\u200c", " ").split()) if organization else ()
    return _OUTLET_NAMES.get(short, name)


def is_date_line(line: str) -> bool:
    """A line that is only a date and/or time, maybe labelled: `1398/10/11 - 18:08`, `تاریخ و ساعت خبر:`,
    `سه‌شنبه ۱۴ شهریور ۱۴۰۴ - ۱۰:۳۰`."""
    label = DATE_LABEL.match(line)
    rest = line[label.end() :] if label else line
    if label and not rest.strip():
        return label.group().strip() != "ساعت"
    position, dated = 0, bool(label)
    while position < len(rest):
        piece = DATE_PIECE.match(rest, position)
        if not piece or piece.end() == position:
            return False
        dated = dated or not NUMBER_ONLY.match(piece.group().strip(" -–—|,،/:"))
        position = piece.end()
    return dated


def _is_leading_furniture(line: str, later_persian: bool) -> bool:
    """Page furniture above a headline: news codes, dates, a short Latin line (`English`), the site's name,
    menus and numbers."""
    return bool(
        NEWS_CODE.search(line)
        or NUMBER_ONLY.match(line)
        or is_date_line(line)
        or MEDIA_SIZE.match(line)
        or (later_persian and SHORT_LATIN.match(line))
        or LANGUAGE_LINK.match(line)
        or SITE_NAME.match(line)
        or MENU.match(line)
        or (len(line.split()) <= FURNITURE_ABOVE_WORDS and FURNITURE.search(line))
        or SOURCE_LINE.match(line)
    )


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
            node: dict[str, Any] = {"author": bullet.group(2).strip(), "text": [], "replies": []}
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
    persian_after = _persian_after(content)
    source: str | None = None
    title_index = None
    for i, line in enumerate(content):
        if not line:
            continue
        if not _is_leading_furniture(line, persian_after[i]):
            title_index = i
            break
        match = SOURCE_LINE.match(line)
        source = source or (match.group(1).strip(" .،") if match else None)
    if title_index is None:
        return CleanArticle(title="", body="", comments=split_comments(comment_lines))
    title = content[title_index]
    subtitles: list[str] = []
    body: list[str] = []
    in_related = False
    rest = content[title_index + 1 :]
    for i, line in enumerate(rest):
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
        if FURNITURE.search(line) or MEDIA_SIZE.match(line) or _is_news_code_number(rest, i):
            continue
        if is_date_line(line) and (not body or i == len(rest) - 1 or NUMERIC_DATE.search(line)):
            continue  # a date stamp; dates inside the story (`شنبه ۱۷ آبان` over a schedule) stay
        if _is_headline_echo(line, title):
            if matching_form(line) != matching_form(title):
                subtitles.append(line)
            continue
        body.append(line)
    if source is None:
        source = next(filter(None, map(source_of, body[:BODY_LINES_FOR_SOURCE])), None)
    if source is None and body:
        source = dateline_source(body[0])
    return CleanArticle(title, "\n".join(body), source, subtitles, split_comments(comment_lines))


def strip_page_furniture(body: str) -> str:
    """A page's body (a feed item's extracted page) without news codes and their numbers, date stamps and
    media sizes: the cheap part of `clean_article`, for text whose title is already known."""
    lines = body.split("\n")
    kept = []
    for i, line in enumerate(lines):
        text = line.strip()
        if text and (
            NEWS_CODE.search(text)
            or MEDIA_SIZE.match(text)
            or _is_news_code_number([x.strip() for x in lines[max(0, i - 1) : i + 2]], min(i, 1))
            or (NUMERIC_DATE.search(text) and is_date_line(text))
        ):
            continue
        kept.append(line)
    return "\n".join(kept)


def _persian_after(lines: list[str]) -> list[bool]:
    """Per line: does a later line have Persian letters (so a short Latin line above it is furniture)."""
    out, seen = [False] * len(lines), False
    for i in range(len(lines) - 1, -1, -1):
        out[i] = seen
        seen = seen or bool(PERSIAN_LETTER.search(lines[i]))
    return out


def _is_news_code_number(lines: list[str], i: int) -> bool:
    """A number alone on its line, under or over a `کد خبر` line (the code printed on a line of its own)."""
    if not NUMBER_ONLY.match(lines[i]):
        return False
    neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
    return any(NEWS_CODE.search(n) for n in neighbours)
