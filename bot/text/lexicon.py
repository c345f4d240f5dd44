"""hazm's word and verb lists, indexed for ZWNJ repair: plain words, their tags and frequencies, ZWNJ
spellings of compounds, and the conjugated verb forms hazm builds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from hazm import Normalizer, words_list

from bot.text.chars import NON_JOINING, ZWNJ


def canonical_zwnj(form: str) -> str:
    """The form with only visible ZWNJs: one after a non-joining letter changes nothing on screen, and
    editors and hazm's lists disagree on it (`نماز‌جمعه` / `نمازجمعه`), so it is dropped."""
    if ZWNJ not in form:
        return form
    parts = [part for part in form.split(ZWNJ) if part]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += ("" if out[-1] in NON_JOINING else ZWNJ) + part
    return out


# Common Persian first names as written. ZWNJ repair never splits one (`بهراد` is no `به‌راد`); hashtags
# complete full names from them.
GIVEN_NAME_SPELLINGS = frozenset(
    """
    محمد علی حسین حسن رضا مهدی احمد محمود مصطفی مرتضی مجید سعید حمید وحید امیر علیرضا محمدرضا غلامرضا غلامحسین
    غلامعلی جواد جعفر کاظم ابراهیم اسماعیل یوسف یحیی عباس عبدالله اکبر اصغر بهروز بهرام بهزاد بهمن پرویز پیمان
    پژمان جمشید جلال جلیل حامد حمیدرضا داریوش داود رامین رحیم رحمان رسول سجاد سیامک شهرام شهاب صادق عادل عارف
    عرفان عماد فرزاد فرشاد فرهاد فریدون قاسم کامران کریم کیوان مازیار مسعود منصور منوچهر مهرداد میلاد میثم ناصر
    نادر نوید هادی هومن یاسر یعقوب ایمان آرش افشین امین احسان بابک بیژن پویا سینا سروش سهراب شاهین کاوه مجتبی
    محسن مهران نیما هاشم ابوالفضل اسکندر سیاوش حجت محمدحسین محمدعلی محمدجواد محمدمهدی امیرحسین فاطمه زهرا مریم
    زینب معصومه سمیه الهام لیلا نرگس سارا مینا شیرین پروین طاهره اعظم فرزانه بهراد بهداد بهنود بهشاد بهنوش بهتاش
    بهنام بهناز بهاره بیتا
""".split()  # noqa: SIM905
)

CORPUS_ONLY = frozenset({"0"})


class Entry(NamedTuple):
    frequency: int
    tags: frozenset[str]

    @property
    def real(self) -> bool:
        """hazm's list also holds glued spellings seen in corpora with frequency 0 and tag '0'; those are
        not evidence that a spelling is right (for example `کتابهای`)."""
        return self.tags != CORPUS_ONLY


class Lexicon:
    """About 190,000 words; about 13,000 of them are written with a ZWNJ (`رئیس‌جمهور`, `گفت‌وگو`); and
    hazm's conjugations of about 700 verbs (`می‌شود`, `شده‌اند`)."""

    def __init__(self, words: Iterable[tuple[str, int, tuple[str, ...]]], verbs: Iterable[str] = ()) -> None:
        self.plain: dict[str, Entry] = {}
        self.zwnj_forms: dict[str, tuple[str, int]] = {}
        self.zwnj_tags: dict[str, frozenset[str]] = {}
        tag_sets: dict[tuple[str, ...], frozenset[str]] = {}  # a few hundred distinct tag lists, shared
        for word, frequency, tag_list in words:
            tags = tag_sets.get(tuple(tag_list))
            if tags is None:
                tags = tag_sets[tuple(tag_list)] = frozenset(tag_list)
            if ZWNJ in word:
                form = canonical_zwnj(word)
                if ZWNJ not in form:  # nothing visible: the glued spelling is the same word
                    continue
                glued = form.replace(ZWNJ, "")
                best = self.zwnj_forms.get(glued)
                if best is None or best[1] < frequency:
                    self.zwnj_forms[glued] = (form, frequency)
                    self.zwnj_tags[glued] = tags
            else:
                self.plain[word] = Entry(frequency, tags)
        # One-word verb forms: glued spelling → the spelling with its ZWNJ; and those written without one.
        self.verb_forms: dict[str, str] = {}
        self.plain_verbs: set[str] = set()
        for verb in verbs:
            if " " in verb or not verb:
                continue
            form = canonical_zwnj(verb)
            if ZWNJ in form:
                self.verb_forms[form.replace(ZWNJ, "")] = form
            else:
                self.plain_verbs.add(form)

    @classmethod
    def from_hazm(cls, normalizer: Normalizer) -> Lexicon:
        """Reuse the word list and verb forms hazm's Normalizer already holds in memory (its private
        `_words`, a dict of word → (frequency, tags), and `_verbs`); read the words from disk again only if
        a hazm version lacks them."""
        words = getattr(normalizer, "_words", None)
        verbs = getattr(normalizer, "_verbs", None) or ()
        if isinstance(words, dict) and words:
            return cls(((word, frequency, tags) for word, (frequency, tags) in words.items()), verbs)
        return cls(words_list(), verbs)

    def is_word(self, word: str) -> bool:
        entry = self.plain.get(word)
        return entry is not None and entry.real

    def seen_glued(self, word: str) -> bool:
        """A glued spelling hazm's corpora contain but its list does not vouch for (`کلینیک`, `کتابهای`)."""
        entry = self.plain.get(word)
        return entry is not None and not entry.real

    def known(self, word: str) -> bool:
        return word in self.plain or word in self.zwnj_forms

    def frequency(self, word: str) -> int:
        entry = self.plain.get(word)
        if entry is not None:
            return entry.frequency
        form = self.zwnj_forms.get(word)
        return form[1] if form else 0

    def has_tag(self, word: str, tag: str) -> bool:
        entry = self.plain.get(word)
        if entry is not None:
            return tag in entry.tags
        return tag in self.zwnj_tags.get(word, ())

    def spelled(self, word: str) -> str:
        """The lexicon's spelling of a known stem: its ZWNJ form when the glued form is not a word."""
        if word in self.zwnj_forms and not self.is_word(word):
            return self.zwnj_forms[word][0]
        return word

    def is_verb(self, word: str) -> bool:
        """Whether `word` (glued, as typed) is one of hazm's one-word verb forms."""
        return word in self.plain_verbs or word in self.verb_forms
