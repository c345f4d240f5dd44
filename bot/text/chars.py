"""Character classes and digit tables shared by the text engine."""

from __future__ import annotations

import re

ZWNJ = "\u200c"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
TO_PERSIAN_DIGITS = str.maketrans("0123456789" + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
TO_LATIN_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, "0123456789" * 2)

# Letters of Persian words (Arabic block letters plus پ چ ژ ک گ ی ۀ), without diacritics or tatweel.
LETTERS = "\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0"
WORD = re.compile(f"[{LETTERS}]+(?:{ZWNJ}[{LETTERS}]+)*")
# Letters that do not join to the next letter: a ZWNJ after them changes nothing visible, and editors omit it.
NON_JOINING = set("اآأإدذرزژوؤۀة")

# Zero-width and bidi control characters. ZWNJ is meaningful in Persian and ZWJ builds emoji sequences, so
# those two are kept in display text; the others are noise or bidi tricks.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad"


def to_persian_digits(text: str) -> str:
    return text.translate(TO_PERSIAN_DIGITS)


def to_latin_digits(text: str) -> str:
    return text.translate(TO_LATIN_DIGITS)
