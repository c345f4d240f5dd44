"""Two forms of every text: the display form people read, and the matching form code compares.

Display: hazm's Normalizer (Persian letters and digits, spacing), with the spans it would break protected,
then ZWNJ repair (which also separates `می` verbs). Matching: a cheap fold that makes spelling variants compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from hazm import Normalizer
from hazm import normalizer as hazm_normalizer
from hazm.constants import NUMBERS_DST, NUMBERS_SRC, SUFFIXES, TRANSLATION_DST, TRANSLATION_SRC

from bot.text.chars import (
    ARABIC_DIGITS,
    BIDI_CONTROLS,
    INVISIBLE,
    LETTERS,
    PERSIAN_DIGITS,
    ZWNJ,
    to_persian_digits,
)
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
LATIN_WITH_DIGITS = r"(?<![A-Za-z\d])(?:[A-Za-z][\w\-]*(?:\s+\d[\w\-]*)+|[A-Za-z][\w\-]*\d[\w\-]*|\d+[A-Za-z][\w\-]*)"
PRIVATE_USE = r"[\ue000-\uf8ff]"
PROTECTED_PARTS = (
    ("url", URL), ("email", EMAIL), ("mention", MENTION), ("hashtag", HASHTAG),
    ("latin", LATIN_WITH_DIGITS), ("number", NUMBER), ("private", PRIVATE_USE),
)  # fmt: skip
PROTECTED = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in PROTECTED_PARTS))
ASCII_LETTER = re.compile("[A-Za-z]")
DIGIT = re.compile(r"\d")
PLACEHOLDER = re.compile(r"[\ue000-\uf8ff]")
MAX_PASSES = 4
NUMBER_SEPARATORS = str.maketrans({".": "٫", ",": "٬"})

# hazm's style rules (quotes → «», a decimal point → ٫, `...` → …) run before its spacing rules, and spacing
# can make new input for them: `.0 .0` loses its space and becomes a decimal. A line in whose output a style
# rule still finds something gets another pass (so does one the ZWNJ repair changed); the others are settled.
UNSETTLED = re.compile(r'"[^\n"]+"|[\d+]\.[\d+]|\.\.\.')

# A ZWNJ does something only between two letters; elsewhere it is noise that hazm spaces unpredictably.
# (Each ZWNJ on its own, not after a letter or not before one: the pattern opens with the ZWNJ, which the regex
# engine then finds by a fast scan, where a lookbehind first is tried at every character.)
STRAY_ZWNJ = re.compile(f"\u200c(?:(?<![{LETTERS}]\u200c)|(?![{LETTERS}]))")
SPACES = re.compile(r"[ \t]{2,}")
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f{BIDI_CONTROLS}{INVISIBLE}]")


class Translation:
    """`str.translate` for tables that touch few characters of a text, built once per process.

    CPython's translate raises and catches a LookupError for every character missing from a dict table
    (about a microsecond a character); here a regular expression finds the runs of mapped characters and
    only those are translated."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = str.maketrans(table)
        self.pattern = re.compile("[" + "".join(re.escape(char) for char in table) + "]+")

    def _run(self, match: re.Match[str]) -> str:
        return match.group().translate(self.table)

    def __call__(self, text: str) -> str:
        return self.pattern.sub(self._run, text)


# Matching form: letters that look or sound alike in Persian and Arabic typing, folded to one; digits to Latin.
FOLD_TABLE = {
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ؤ": "و", "ء": "", "ـ": "", ZWNJ: "", "\u200d": "", "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?",
}  # fmt: skip
DIGITS_TABLE = dict(zip(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2, strict=True))
FOLD_AND_DIGITS = Translation(FOLD_TABLE | DIGITS_TABLE)
# Word filters keep آ apart from ا: `آشغال` (rubbish) is not `اشغال` (occupation).
FOLD_KEEPING_MADDA = Translation({k: v for k, v in FOLD_TABLE.items() if k != "آ"} | DIGITS_TABLE)
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
NON_WORD = re.compile(r"[^\w]+")
# Matching forms are cached: words and short phrases (many, each seen often) and lines (a title is compared
# with every line of its article, a sentence folded by several stages of the engine).
SHORT_TEXT = 40
LINE_TEXT = 1000


@lru_cache(maxsize=128)
def _protected_of(present: tuple[bool, ...]) -> re.Pattern[str] | None:
    parts = [f"(?P<{n}>{p})" for (n, p), there in zip(PROTECTED_PARTS, present, strict=True) if there]
    return re.compile("|".join(parts)) if parts else None


def protected_spans(text: str) -> re.Pattern[str] | None:
    """PROTECTED without the kinds of span that cannot occur in `text` (each needs a character that is not
    there: `@`, `#`, a digit, a Latin letter...): the same matches, but most text is Persian words and
    numbers, and trying seven patterns at every character costs a fifth of hazm's whole Normalizer pass.
    None when no kind can occur."""
    digit = DIGIT.search(text) is not None
    return _protected_of(
        (
            "://" in text or "www." in text,
            "@" in text,
            "@" in text,
            "#" in text,
            digit and ASCII_LETTER.search(text) is not None,
            digit,
            PLACEHOLDER.search(text) is not None,
        )
    )


def clean_controls(text: str) -> str:
    """Drop control, bidi-override and invisible characters (ZWNJ and ZWJ stay); unify newlines."""
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@cache
def _compatibility_characters() -> re.Pattern[str]:
    """Characters NFKC can change: compatibility forms (Arabic presentation forms, full-width and styled
    letters, ligatures) and combining marks. Outside the Basic Multilingual Plane every character counts."""
    chars = [
        chr(i)
        for i in range(0x10000)
        if not 0xD800 <= i < 0xE000
        and (unicodedata.combining(chr(i)) or unicodedata.normalize("NFKC", chr(i)) != chr(i))
    ]
    return re.compile("[" + "".join(re.escape(char) for char in chars) + "\U00010000-\U0010ffff]")


def _matching_form(text: str, fold: Translation = FOLD_AND_DIGITS) -> str:
    # Arabic diacritics go before NFKC: composing them (ا + ٓ → آ) folds to the same letters as dropping them.
    text = DIACRITICS.sub("", clean_controls(text))
    if _compatibility_characters().search(text):
        text = DIACRITICS.sub("", unicodedata.normalize("NFKC", text))
    return NON_WORD.sub(" ", fold(text).casefold()).strip()


def filter_form(text: str) -> str:
    """The matching form with `آ` kept apart from `ا`, for word filters (see bot/text/phrases.py)."""
    return _matching_form(text, FOLD_KEEPING_MADDA)


_short_matching_form = lru_cache(maxsize=50_000)(_matching_form)
_line_matching_form = lru_cache(maxsize=2_000)(_matching_form)


def matching_form(text: str) -> str:
    """Fold spelling variants so that the same words typed differently compare equal (for search,
    de-duplication and filters): look-alike letters, diacritics, tatweel, ZWNJ, digits, case, punctuation."""
    if len(text) <= SHORT_TEXT:
        return _short_matching_form(text)
    return _line_matching_form(text) if len(text) <= LINE_TEXT else _matching_form(text)


def matching_key(text: str) -> str:
    """The matching form without spaces: `رئیس جمهور`, `رئیس‌جمهور` and `رئیسجمهور` give one key."""
    return matching_form(text).replace(" ", "")


Check = Callable[[str], object]
Patterns = list[tuple[re.Pattern[str], str, Check | None]]


def _containing(*needles: str) -> Check:
    if len(needles) == 1:
        needle = needles[0]
        return lambda text: needle in text
    return re.compile("|".join(re.escape(needle) for needle in needles)).search


def _spaces_at_ends(text: str) -> bool:
    return text[:1] == " " or text.endswith((" ", " \n"))  # `$` also matches before a final newline


_HAS_DIGIT = re.compile(r"\d").search
# What a text must contain for one of hazm's patterns to change it: most lines hold no ZWNJ, `...` or ` تر`, and
# a pattern that tries a lookbehind or a character class at every position costs far more than this test.
# Keyed by hazm's own pattern text, so a pattern a later hazm changes simply runs on every text.
PATTERN_CHECKS: dict[str, Check] = {
    r"^ +| +$": _spaces_at_ends,
    r" {2,}": _containing("  "),
    r"\n{3,}": _containing("\n\n\n"),
    r"\u200c{2,}": _containing(ZWNJ * 2),
    r"\u200c{1,} ": _containing(ZWNJ + " "),
    r" \u200c{1,}": _containing(" " + ZWNJ),
    # These two match an empty string at every word boundary; they remove a ZWNJ only after a word character and
    # before none (or before another ZWNJ), and after none (or another ZWNJ) before one: not in `رئیس‌جمهور`.
    r"\b\u200c*\B": re.compile(r"\u200c(?<=\w\u200c)(?!\w)").search,
    r"\B\u200c*\b": re.compile(r"\u200c(?<!\w\u200c)").search,
    r"[ـ\r]": _containing("ـ", "\r"),
    r"([^ ]ه) ی ": _containing("ه ی "),
    r"(^| )(ن?می) ": _containing("می "),
    r"(?<=[^\n\d \.:!،؛؟»\]\)\}«\[\(\{]{2}) (تر(ین?)?|گری?|های?)(?=[ \n\.:!،؛؟»\]\)\}«\[\(\{]|$)": _containing(
        " تر", " گر", " ها"
    ),
    r"([^ ]ه) (ا(م|یم|ش|ند|ی|ید|ت))(?=[ \n\.:!،؛؟»\]\)\}]|$)": _containing("ه ا"),
    r"(ه)(ها)": _containing("هها"),
    r'" ([^\n"]+) "': _containing('" '),
    r"([«\[\(\{]) ": _containing("« ", "[ ", "( ", "{ "),
    r"([\.:])([^ \.:!،؛؟»\]\)\}\d۰۱۲۳۴۵۶۷۸۹])": _containing(".", ":"),
    r"([!،؛؟»\]\)\}])([^ \.:!،؛؟»\]\)\}])": re.compile(r"[!،؛؟»\]\)\}]").search,
    r"([^ «\[\(\{])([«\[\(\{])": re.compile(r"[«\[\(\{]").search,
    r"(\d)([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])": _HAS_DIGIT,
    r"([آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])(\d)": _HAS_DIGIT,
    r'"([^\n"]+)"': _containing('"'),
    r"([\d+])\.([\d+])": _containing("."),
    r" ?\.\.\.": _containing("..."),
}


_PERSIAN_LETTER = "[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]"
# hazm's patterns that open with a lookbehind or a character class, written to open with a literal or a digit
# (the regex engine scans for it; the lookbehind moves after it): the same matches, the same text.
EQUIVALENT_PATTERNS: dict[str, tuple[str, str]] = {
    r"(?<=[^\n\d \.:!،؛؟»\]\)\}«\[\(\{]{2}) (تر(ین?)?|گری?|های?)(?=[ \n\.:!،؛؟»\]\)\}«\[\(\{]|$)": (
        r" (?<=[^\n\d \.:!،؛؟»\]\)\}«\[\(\{]{2} )(تر(ین?)?|گری?|های?)(?=[ \n\.:!،؛؟»\]\)\}«\[\(\{]|$)",
        "\u200c\\1",
    ),
    rf"({_PERSIAN_LETTER})(\d)": (rf"(\d)(?<={_PERSIAN_LETTER}\d)", r" \1"),
    rf"(\d)({_PERSIAN_LETTER})": (rf"(\d)(?={_PERSIAN_LETTER})", r"\1 "),
}


def _compiled(patterns: list[tuple[str | re.Pattern[str], str]]) -> Patterns:
    rules = []
    for pattern, replacement in patterns:
        text = pattern if isinstance(pattern, str) else pattern.pattern
        check = PATTERN_CHECKS.get(text)
        text, replacement = EQUIVALENT_PATTERNS.get(text, (text, replacement))
        rules.append((re.compile(text), replacement, check))
    return rules


def _replace_all(patterns: Patterns, text: str) -> str:
    for pattern, replacement, check in patterns:
        if check is None or check(text):
            text = pattern.sub(replacement, text)
    return text


EXTRA_SPACE = _compiled(hazm_normalizer.EXTRA_SPACE_PATTERNS)
AFFIX_SPACING = _compiled(hazm_normalizer.AFFIX_SPACING_PATTERNS)
PUNCTUATION_SPACING = _compiled(hazm_normalizer.PUNCTUATION_SPACING_PATTERNS)
HAZM_DIACRITICS = _compiled(hazm_normalizer.DIACRITICS_PATTERNS)
SPECIAL_CHARS = _compiled(hazm_normalizer.SPECIAL_CHARS_PATTERNS)
PERSIAN_STYLE = _compiled(hazm_normalizer.PERSIAN_STYLE_PATTERNS)


class HazmNormalizer(Normalizer):
    """hazm's Normalizer, faster: hazm 0.12 rebuilds both translation tables on every call and translates
    character by character; here they are built once and only mapped characters are looked at. The steps and
    their order are hazm's own (tests/test_text_properties.py checks that both give the same text), but for
    its `می` step: hazm puts a ZWNJ after every glued `می` its verb list conjugates, also in a text whose
    writer typed `می‌` elsewhere and glued this one, and in words its list knows whole (`میانجی`). The ZWNJ
    repair does it with that evidence (bot/text/zwnj.py); the verb list is still loaded, for the repair."""

    def __init__(self) -> None:
        super().__init__()  # with seperate_mi on, which loads hazm's verb forms (`_verbs`)
        self._seperate_mi = False
        self._translation = Translation(dict(zip(TRANSLATION_SRC, TRANSLATION_DST, strict=False)))
        self._numbers = Translation(dict(zip(NUMBERS_SRC, NUMBERS_DST, strict=False)))
        self._joinable_tails = self._tails_of_joinable_words()

    def _tails_of_joinable_words(self) -> frozenset[str]:
        """Every token that `token_spacing` can join to the one before it: what follows a ZWNJ in one of hazm's
        verb forms or (frequent) words, and hazm's suffixes. A third of the tokens of news text."""
        tails = set(SUFFIXES)
        words = self._words or {}
        for entries in (self._verbs or (), (w for w, (frequency, _) in words.items() if frequency > 0)):
            for entry in entries:
                start = entry.find(ZWNJ)
                while start >= 0:
                    tails.add(entry[start + 1 :])
                    start = entry.find(ZWNJ, start + 1)
        return frozenset(tails)

    def normalize(self, text: str) -> str:
        text = self._translation(text)
        steps = (
            (self._persian_style, self.persian_style),
            (self._persian_number, self.persian_number),
            (self._remove_diacritics, self.remove_diacritics),
            (self._correct_spacing, self.correct_spacing),
            (self._unicodes_replacement, self.unicodes_replacement),
            (self._remove_specials_chars, self.remove_specials_chars),
            (self._decrease_repeated_chars, self.decrease_repeated_chars),
            (self._seperate_mi, self.seperate_mi),
        )
        for enabled, step in steps:
            if enabled:
                text = step(text)
        return text

    def persian_number(self, text: str) -> str:
        return self._numbers(text)

    # hazm's own steps with its patterns compiled once (hazm passes pattern strings to re.sub on every call).
    def correct_spacing(self, text: str) -> str:
        text = _replace_all(EXTRA_SPACE, text)
        result = []
        for line in text.split("\n"):
            if line.strip() and self._tokenizer:
                line = " ".join(self.token_spacing(self._tokenizer.tokenize(line)))
            result.append(line)
        text = "\n".join(result)
        text = _replace_all(AFFIX_SPACING, text)
        return _replace_all(PUNCTUATION_SPACING, text)

    def token_spacing(self, tokens: list[str]) -> list[str]:
        """hazm's, with the same result: a token that no joinable word or suffix ends with is appended as it is,
        without building and looking up the joined pair."""
        verbs, words, tails = self._verbs, self._words, self._joinable_tails
        if not words:
            return super().token_spacing(tokens)
        result: list[str] = []
        last = len(tokens) - 1
        for t, token in enumerate(tokens):
            if result and token in tails:
                token_pair = result[-1] + ZWNJ + token
                if (verbs and token_pair in verbs) or (token_pair in words and words[token_pair][0] > 0):
                    if not (t < last and verbs and token + "_" + tokens[t + 1] in verbs):
                        result[-1] = token_pair
                        continue
                elif token in SUFFIXES and result[-1] in words:
                    result[-1] = token_pair
                    continue
            result.append(token)
        return result

    def remove_diacritics(self, text: str) -> str:
        return _replace_all(HAZM_DIACRITICS, text)

    def remove_specials_chars(self, text: str) -> str:
        return _replace_all(SPECIAL_CHARS, text)

    def persian_style(self, text: str) -> str:
        return _replace_all(PERSIAN_STYLE, text)

    def decrease_repeated_chars(self, text: str) -> str:
        # hazm scans every word for a letter repeated three times or more; most lines have none.
        if self.more_than_two_repeat_pattern.search(text) is None:
            return text
        return super().decrease_repeated_chars(text)


class PersianNormalizer:
    """Display normalization. Build once per process: hazm's Normalizer alone takes about a second."""

    def __init__(self, hazm: Normalizer, repairer: ZwnjRepairer) -> None:
        self.hazm = hazm
        self.repairer = repairer

    def normalize(self, text: str, writer: str = "") -> str:
        """Normalize for display: idempotent, never raises, keeps emoji, Latin text, URLs and numbers.
        `writer` is more text by the same writer (an article's title and body, for either of them): its
        ZWNJs tell the writer's habit as the text's own do, so a title without any keeps its glued words."""
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

        pattern = protected_spans(text)
        text = pattern.sub(protect, text) if pattern is not None else text
        # ZWNJ repair: a writer who types ZWNJs glued the rest, and one who types `می‌` glued the other verbs
        careful = self.repairer.writes_zwnjs(text) or self.repairer.writes_zwnjs(writer)
        typed_mi = careful and (self.repairer.types_mi(text) or self.repairer.types_mi(writer))
        lines = [self._normalize_line(line, careful, typed_mi) for line in text.split("\n")]
        text = "\n".join(lines)
        return PLACEHOLDER.sub(lambda m: spans[ord(m.group()) - PLACEHOLDER_BASE], text)

    def _normalize_line(self, line: str, careful: bool = False, typed_mi: bool = False) -> str:
        # hazm's Normalizer is not idempotent on odd punctuation (`""` → `" "` → `«»`), and a ZWNJ repair makes
        # words its spacing may join to the next (`پیش‌بینی شده`): such lines are normalized to a fixed point.
        for _ in range(MAX_PASSES):
            normalized, repaired = self._normalize_once(line, careful, typed_mi)
            if normalized == line or not (repaired or UNSETTLED.search(normalized)):
                return normalized
            line = normalized
        return line

    def _normalize_once(self, line: str, careful: bool = False, typed_mi: bool = False) -> tuple[str, bool]:
        """One pass over a line, and whether the ZWNJ repair changed it."""
        if not line.strip():
            return "", False
        spaced = self.hazm.normalize(line)
        repaired = self.repairer.repair(spaced, careful, typed_mi)
        return SPACES.sub(" ", STRAY_ZWNJ.sub("", repaired)).strip(), repaired != spaced
