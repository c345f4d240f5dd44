"""Property tests: normalization is total, idempotent and keeps what must survive."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pytest
from hazm import Normalizer, Stemmer, words_list
from hazm import normalizer as hazm_normalizer
from hazm.constants import SUFFIXES
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.text.chars import LETTERS, ZWNJ, to_latin_digits
from bot.text.engine import get_engine
from bot.text.normalize import STRAY_ZWNJ, _compiled, _replace_all, matching_form
from bot.text.sentences import GLUED_PERIOD

PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئءؤۀيكة"
persian_words = st.text(alphabet=PERSIAN, min_size=1, max_size=9)
pieces = st.one_of(
    persian_words,
    st.sampled_from(["\u200c", " ", "\n", "،", ".", "؟", "«", "»", "!", "😀", "👍🏽", "iPhone", "COVID-19", "ـ", "َ"]),
    st.integers(0, 10**7).map(str),
    st.text(max_size=4),  # anything Unicode has
)
texts = st.lists(pieces, max_size=25).map("".join)
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@SETTINGS
@given(texts)
@example("0/0iPhone0/0")  # a Latin word after a Persian digit was protected only on the second pass
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    engine = get_engine()
    once = engine.normalize(text)
    assert engine.normalize(once) == once


@SETTINGS
@given(
    st.lists(persian_words, min_size=1, max_size=5),
    st.sampled_from(["https://example.ir/news/12?id=3", "@goftogu_bot", "#خبر_فوری", "info@example.ir"]),
    st.sampled_from(["😀", "🇮🇷", "👨‍👩‍👧", "Hello World", "iPhone 15"]),
)
def test_urls_mentions_hashtags_emoji_and_latin_survive(words: list[str], token: str, extra: str) -> None:
    text = f"{' '.join(words)} {token} {extra} {' '.join(reversed(words))}"
    normalized = get_engine().normalize(text)
    assert token in normalized
    assert extra in normalized


@SETTINGS
@given(st.integers(0, 10**9), st.integers(0, 99), st.sampled_from([".", ",", "/", ":"]))
def test_numbers_keep_their_value(whole: int, part: int, separator: str) -> None:
    number = f"{whole}{separator}{part:02d}"
    normalized = get_engine().normalize(f"عدد {number} است")
    digits = re.sub(r"\D", "", to_latin_digits(normalized))
    assert digits == re.sub(r"\D", "", number)
    assert " " not in normalized.split("عدد ", 1)[1].rsplit(" است", 1)[0]  # never split apart


@SETTINGS
@given(texts)
def test_matching_form_is_idempotent_and_blind_to_zwnj_and_tatweel(text: str) -> None:
    folded = matching_form(text)
    assert matching_form(folded) == folded
    assert ZWNJ not in folded and "ـ" not in folded
    bare = text.replace(ZWNJ, "").replace("ـ", "")
    nfkc = unicodedata.normalize("NFKC", text).replace(ZWNJ, "").replace("ـ", "")
    if unicodedata.normalize("NFKC", bare) == nfkc:
        # (A ZWNJ between a letter and a combining mark keeps NFKC from composing them; elsewhere it is nothing.)
        assert matching_form(bare) == folded


@SETTINGS
@given(st.lists(persian_words, min_size=2, max_size=4), st.sampled_from([" ", "، ", "\n", " و "]))
def test_a_zwnj_or_tatweel_inside_a_word_leaves_one_word(words: list[str], separator: str) -> None:
    glued = "".join(words)
    for joined in (ZWNJ.join(words), "ـ".join(words), f"{words[0]}{ZWNJ}{ZWNJ}{''.join(words[1:])}"):
        text = f"{glued}{separator}{joined}"
        assert matching_form(joined) == matching_form(glued)
        assert matching_form(text).split() == matching_form(f"{glued}{separator}{glued}").split()


@cache
def stock_hazm() -> Normalizer:
    return Normalizer(seperate_mi=False)  # the ZWNJ repair puts in the ZWNJ after a verb's می, with evidence


@SETTINGS
@given(texts)
@example("او میرود و نمی رود")  # hazm's step for glued می is off, its spacing of a detached می is not
def test_the_fast_hazm_normalizer_gives_hazms_text(text: str) -> None:
    assert get_engine().normalizer.hazm.normalize(text) == stock_hazm().normalize(text)


@cache
def split_words() -> list[str]:
    """Parts of hazm's ZWNJ verb forms and words (`می` `شود`, `کتاب` `ها`), its suffixes and some whole words:
    tokens that its spacing joins, and tokens it must not."""
    hazm = get_engine().normalizer.hazm
    joined = sorted(w for w in [*hazm._verbs, *hazm._words] if ZWNJ in w)[::150]
    parts = {part for word in joined for part in word.split(ZWNJ) if part}
    return sorted(parts | set(SUFFIXES) | set(sorted(hazm._words)[::2000]))


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(split_words()), st.sampled_from(["شده", "است", "_", "."])), max_size=30))
def test_the_fast_token_spacing_joins_as_hazms(tokens: list[str]) -> None:
    hazm = get_engine().normalizer.hazm
    assert hazm.token_spacing(tokens) == Normalizer.token_spacing(hazm, tokens)


HAZM_PATTERNS = [
    (pattern, replacement)
    for name in ("EXTRA_SPACE", "AFFIX_SPACING", "PUNCTUATION_SPACING", "PERSIAN_STYLE")
    for pattern, replacement in getattr(hazm_normalizer, f"{name}_PATTERNS")
]
SPACING_SYMBOLS = [
    *f'{ZWNJ} \n \r ـ ب ه ی ا م تر ین گر ها می ن a _ 1 ۲ . : ! ، ؟ » « ( ) [ {{ " ...'.split(" "),
    " ",
    "\n",
]
spacing_pieces = st.lists(st.sampled_from(SPACING_SYMBOLS), max_size=16).map("".join)


@SETTINGS
@given(st.lists(spacing_pieces, min_size=len(HAZM_PATTERNS), max_size=len(HAZM_PATTERNS)))
def test_each_hazm_pattern_with_its_check_and_rewrite_changes_what_hazms_does(samples: list[str]) -> None:
    """The fast spacing rules (a check that skips a pattern, a pattern rewritten to open with its literal) give
    the text each of hazm's own patterns gives."""
    for (pattern, replacement), text in zip(HAZM_PATTERNS, samples, strict=True):
        assert _replace_all(_compiled([(pattern, replacement)]), text) == re.sub(pattern, replacement, text), pattern


def test_the_suffix_stemmer_gives_hazms_stems() -> None:
    ours, hazms = get_engine().terms._stemmer, Stemmer()
    words = [word for word, _, _ in words_list()]
    words += [f"{w}{end}" for w in words[::50] for end in (ZWNJ, "ۀ", "ٔ", f"{ZWNJ}ا", "ی", "ها")]
    words += ["", "ی", "ها", "سی", "ابی", "کتابۀ", ZWNJ]
    assert [ours.stem(w) for w in words] == [hazms.stem(w) for w in words]


marks = st.text(alphabet=["\u200c", "\u200c", ".", ".", "ب", "ی", "ء", " ", "a", "1", "ـ", "\n", "ً"], max_size=14)


@SETTINGS
@given(marks)
def test_a_zwnj_stays_only_between_two_letters(text: str) -> None:
    letter = re.compile(f"[{LETTERS}]")
    kept = [
        char
        for i, char in enumerate(text)
        if char != ZWNJ or (0 < i < len(text) - 1 and letter.match(text[i - 1]) and letter.match(text[i + 1]))
    ]
    assert STRAY_ZWNJ.sub("", text) == "".join(kept)


@SETTINGS
@given(marks)
def test_a_period_glued_between_words_gets_its_space(text: str) -> None:
    expected = re.sub(f"(?<=[{LETTERS}]{{2}})\\.(?=[{LETTERS}])", ". ", text)  # the plain statement of the rule
    assert GLUED_PERIOD.sub(". ", text) == expected


def test_the_glued_mi_is_left_to_the_zwnj_repair() -> None:
    engine = get_engine()
    assert engine.normalizer.hazm.normalize("او میرود و نمی رود") == f"او میرود و نمی{ZWNJ}رود"
    assert engine.normalize("او میرود و نمی رود") == f"او می{ZWNJ}رود و نمی{ZWNJ}رود"


@pytest.mark.parametrize(
    "line",
    [
        ".0 .0",  # spacing makes a decimal point for hazm's style rule
        'گفت "" و رفت',  # spacing makes a quoted span for the style rule
        "ریال پیشبینی شده است",  # the repaired word is joined to the next one by hazm's spacing
    ],
)
def test_a_line_that_needs_a_second_pass_gets_one(line: str) -> None:
    engine = get_engine()
    once = engine.normalize(line)
    assert engine.normalize(once) == once


@pytest.mark.parametrize(
    ("styled", "plain"),
    [("ﻛﺘﺎﺏ", "کتاب"), ("ｈｅｌｌｏ", "hello"), ("𝐚𝐡𝐦𝐚𝐪", "ahmaq"), ("ﻻ", "لا"), ("cafe\u0301", "café")],
)
def test_matching_form_folds_compatibility_forms(styled: str, plain: str) -> None:
    assert matching_form(styled) == matching_form(plain)
    assert matching_form(f"{styled} {'x' * 50}") == matching_form(f"{plain} {'x' * 50}")  # long texts too
