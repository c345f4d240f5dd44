"""Two forms of every text: the display form people read, and the matching form code compares.

Display: hazm's Normalizer (Persian letters and digits, spacing, `می` verbs), with the spans it would
break protected, then ZWNJ repair. Matching: a cheap fold that makes spelling variants compare equal.
"""

from __future__ import annotations

import re
import unicodedata

from hazm import Normalizer

from bot.text.chars import BIDI_CONTROLS, INVISIBLE, LETTERS, ZWNJ, to_latin_digits, to_persian_digits
from bot.text.zwnj import ZwnjRepairer

# hazm's spacing step tokenizes and re-joins with spaces, so it breaks anything with inner punctuation:
# `10.5` → `۱۰ ٫ ۵`, `۱۴۰۴/۰۶/۱۴` → `۱۴۰۴ / ۰۶ / ۱۴`, URLs → `https: / / t. me`. These spans are swapped
# for private-use placeholders (which hazm leaves alone) and put back afterwards.
PLACEHOLDER_BASE = 0xE000
PLACEHOLDER_LIMIT = 0xF8FF - PLACEHOLDER_BASE
URL = r"(?:https?://|www\.)[^\s<>«»\"']+[^\s<>«»\"'.,;:!?)\]}،؛]"
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
MENTION = r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{2,31}"
HASHTAG = r"(?<![\w#])#[\w\u200c]+"
NUMBER = r"\d+(?:[.,/:٫٬\-]\d+)+"
LATIN_WITH_DIGITS = r"(?<![A-Za-z0-9])(?:[A-Za-z][\w\-]*(?:\s+\d[\w\-]*)+|[A-Za-z][\w\-]*\d[\w\-]*|\d+[A-Za-z][\w\-]*)"
PRIVATE_USE = r"[\ue000-\uf8ff]"
PROTECTED = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("url", URL), ("email", EMAIL), ("mention", MENTION), ("hashtag", HASHTAG),
    ("latin", LATIN_WITH_DIGITS), ("number", NUMBER), ("private", PRIVATE_USE),
)))  # fmt: skip
PLACEHOLDER = re.compile(r"[\ue000-\uf8ff]")
MAX_PASSES = 4
NUMBER_SEPARATORS = str.maketrans({".": "٫", ",": "٬"})

# A ZWNJ does something only between two letters; elsewhere it is noise that hazm spaces unpredictably.
STRAY_ZWNJ = re.compile(f"\u200c+(?![{LETTERS}])|(?<![{LETTERS}])\u200c+")
SPACES = re.compile(r"[ \t]{2,}")
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{BIDI_CONTROLS}{INVISIBLE}]")

# Matching form: letters that look or sound alike in Persian and Arabic typing, folded to one.
FOLD = str.maketrans(
    {
        "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ؤ": "و", "ء": "", "ـ": "", ZWNJ: "", "\u200d": "", "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?",
    }
)  # fmt: skip
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
NON_WORD = re.compile(r"[^\w]+")


def clean_controls(text: str) -> str:
    """Drop control, bidi-override and invisible characters (ZWNJ and ZWJ stay); unify newlines."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def matching_form(text: str) -> str:
    """Fold spelling variants so that the same words typed differently compare equal (for search,
    de-duplication and filters): look-alike letters, diacritics, tatweel, ZWNJ, digits, case, punctuation."""
    text = unicodedata.normalize("NFKC", clean_controls(text))
    text = DIACRITICS.sub("", text).translate(FOLD)
    text = to_latin_digits(text).casefold()
    return NON_WORD.sub(" ", text).strip()


def matching_key(text: str) -> str:
    """The matching form without spaces: `رئیس جمهور`, `رئیس‌جمهور` and `رئیسجمهور` give one key."""
    return matching_form(text).replace(" ", "")


class PersianNormalizer:
    """Display normalization. Build once per process: hazm's Normalizer alone takes about a second."""

    def __init__(self, hazm: Normalizer, repairer: ZwnjRepairer) -> None:
        self.hazm = hazm
        self.repairer = repairer

    def normalize(self, text: str) -> str:
        """Normalize for display: idempotent, never raises, keeps emoji, Latin text, URLs and numbers."""
        # Tatweel (ـ) and diacritics: hazm drops them; doing so first keeps numbers and names protectable.
        text = STRAY_ZWNJ.sub("", DIACRITICS.sub("", clean_controls(text).replace("ـ", "")))
        spans: list[str] = []

        def protect(match: re.Match[str]) -> str:
            if len(spans) >= PLACEHOLDER_LIMIT:
                return match.group()
            value = match.group()
            if match.lastgroup == "number":
                value = to_persian_digits(value).translate(NUMBER_SEPARATORS)
            spans.append(value)
            return chr(PLACEHOLDER_BASE + len(spans) - 1)

        text = PROTECTED.sub(protect, text)
        lines = [self._normalize_line(line) for line in text.split("\n")]
        text = "\n".join(lines)
        return PLACEHOLDER.sub(lambda m: spans[ord(m.group()) - PLACEHOLDER_BASE], text)

    def _normalize_line(self, line: str) -> str:
        # hazm's Normalizer is not idempotent on odd punctuation (`""` → `" "` → `«»`): repeat to a fixed point.
        for _ in range(MAX_PASSES):
            normalized = self._normalize_once(line)
            if normalized == line:
                break
            line = normalized
        return line

    def _normalize_once(self, line: str) -> str:
        if not line.strip():
            return ""
        line = self.repairer.repair(self.hazm.normalize(line))
        return SPACES.sub(" ", STRAY_ZWNJ.sub("", line)).strip()
