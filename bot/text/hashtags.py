"""2 to 5 keywords of an article as Telegram hashtags (`#رئیس_جمهور`: no ZWNJ or space inside a hashtag).

A keyword is what a Persian editor would tag: a noun or a name, never a verb form (`#باشید`, `#نداشت`,
`#می_فرماید`: the forms of hazm's verb list, the light-verb parts of compound verbs such as `انجام شد`), an
ordinal (`#پنجمین`) or a piece of a name (`#آرین` of `آرین روبن`): two or three words that the article keeps
together are one keyword, and a name written whole once and then by its surname (`پل پوگبا … پوگبا`) is
shown whole, as editors tag people, when its first word is a first name: a common Persian one, one learned
from editors' tags, a word unknown to hazm before a surname unknown to it (`الکسیس سانچس`), or a word hazm
hardly knows before any surname (`یورگن کلوپ`); so is a name first mentioned whole and then by its first
word (`برانکو ایوانکوویچ … برانکو`). An adjective is no keyword alone (`#اقتصادی`). Keywords are
scored by how often the article uses them, how informative they are (rare words in hazm's corpus count more
than common ones, and a word that most news stories use counts little however rare hazm finds it: `تیم`;
a word's stem is always a word, `تولید` not hazm's `تول`), whether the title has them (more so a headline's
quoted speaker, `زیدان: …`), whether the lead already uses them, and how often editors tag them
(bot/text/tag_prior.py); the agency that reports the story (`به گزارش "ورزش سه"`) is none.
Past the first two, a keyword is kept only when it scores nearly as well as the best: editors tag a story
with two or three topics, and each hashtag becomes a topic readers can subscribe to.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from hazm.utils import verbs_list

from bot.text.chars import LETTERS, ZWNJ
from bot.text.cleanup import BODY_LINES_FOR_SOURCE, source_of
from bot.text.lexicon import CORPUS_ONLY, GIVEN_NAME_SPELLINGS, Lexicon
from bot.text.normalize import matching_form
from bot.text.tag_prior import TagPrior
from bot.text.terms import TermExtractor

MIN_TAGS = 2
MAX_TAGS = 5
MAX_CANDIDATES = 30
SHORTLIST = 2 * MAX_CANDIDATES  # the best candidates before adjectives are dropped
SPEAKER_WORDS = 3
ATTRIBUTION_CHARS = 300  # a line's attribution (`به گزارش …`) is at its start
SPEAKER_BONUS = 1.5
KEEP_RATIO = 0.9
TITLE_BONUS = 2.0
# A keyword the body's opening tenth already uses counts this much more (held out of the tag prior: fars
# 26.0 -> 27.0 %, varzesh3 20.1 -> 20.9 %, dev 19.5 -> 20.0 %); editors tag what the lead is about.
LEAD_SHARE = 0.1
LEAD_BONUS = 1.15
WORD = re.compile(f"[{LETTERS}{ZWNJ}]+|[A-Za-z][A-Za-z0-9]+")
NOT_IN_TAG = re.compile(r"[^\w]+")
MAX_PHRASE = 3
# A phrase is a name when the article keeps its words together: nearly all uses of its rarer word are in it
# (0.8 over 0.6: no source held out loses, fars 25.2 -> 26.4 %: fewer phrases that only a lead repeats).
COHESION = 0.8
# How much a phrase that editors often make a tag (its keyphraseness, 0..1) counts over its text score.
PRIOR_WEIGHT = 8.0
# A word stands for a learned full name (`رئال` → `رئال مادرید`) only in a headline, and only when it is rare
# in general Persian: `استقلال` (independence), `سردار` (a general), `ریال` (the currency) stay words.
ALIAS_MAX_FREQUENCY = 1_000_000
# A word that this share of news stories use (learned, tag_prior.common) is worth at most COMMON_WEIGHT × its
# inverse log share, whatever hazm's frequencies say.
COMMON_WEIGHT = 2.0
# Common Persian first names, folded: `محمد دانشگر … دانشگر` is tagged `#محمد_دانشگر`. Not before a common word
# (`عباس کشاورزی` may be a man, `کشاورزی` is farming): the surname must be rarer than SURNAME_MAX_FREQUENCY.
GIVEN_NAMES = frozenset(matching_form(name) for name in GIVEN_NAME_SPELLINGS)
SURNAME_MAX_FREQUENCY = 1_000_000.0
# A first name hazm does not know (`الکسیس`, `یوردی`) needs a surname it hardly knows either.
FOREIGN_SURNAME_MAX_FREQUENCY = 1000.0
TANWIN = "\u064b"  # hazm lists `واقعاً`; the text engine's matching form writes `واقعا`
# A relational adjective hazm does not list is a noun it does list + one of these (`اقتصادی`, `هوایی`).
RELATIONAL_ENDINGS = ("ی", "یی", "ای")
NOUN = frozenset({"N"})
# Endings written after a ZWNJ: a word + one of these is a comparative (`کوبنده‌تر`) or a predicate
# (`خوشحال‌اند`, `آماده‌ایم`); `به‌` + a word is an adverb (`به‌ویژه`, `به‌خاطر`). Not `ای`: `خامنه‌ای` is a name.
ADJECTIVE_ENDINGS = frozenset({"تر", "ترین"})
PERSON_ENDINGS = frozenset({"ام", "ایم", "اید", "اند"})
ADVERB_PREFIXES = frozenset({"به", "نه"})
# A word glued to a preposition (`درحاشیه`) is no name, though hazm does not know it.
GLUED_PREPOSITIONS = ("در", "به", "با", "از", "بر", "بی")

# Verb forms, from hazm's list of verbs (past#present stems): prefixes, stems, person endings.
VERB_PREFIXES = ("نمی", "می", "ن", "ب", "")
PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ه")
PAST_SET = frozenset(PAST_ENDINGS)
PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
PRESENT_SET = frozenset(PRESENT_ENDINGS)
# Light verbs of compound verbs (`انجام شد`, `برگزار می‌کند`, `عنوان کرد`): the noun before them is the verb's.
LIGHT_VERB_STEMS = {"کرد", "کن", "شد", "شو", "نمود", "نما", "گردید", "گرد", "داد", "ده", "گرفت", "گیر", "یافت", "یاب"}
# Ordinals: a number word with م/مین (`سوم`, `پنجمین`, `سی‌وهشتمین`), and the ordinal words.
NUMBER_WORDS = (
    "یک|دو|سه|چهار|پنج|شش|هفت|هشت|نه|ده|یازده|دوازده|سیزده|چهارده|پانزده|شانزده|هفده|هجده|هیجده|نوزده|"
    "بیست|سی|چهل|پنجاه|شصت|هفتاد|هشتاد|نود|صد|یکصد|دویست|سیصد|چهارصد|پانصد|ششصد|هفتصد|هشتصد|نهصد|هزار|میلیون"
)
ORDINAL = re.compile(
    rf"^(?:(?:{NUMBER_WORDS})(?:[\s{ZWNJ}]*و[\s{ZWNJ}]*)?)*(?:{NUMBER_WORDS}|سو|[0-9۰-۹]+)(?:م|ام|مین|امین|[{ZWNJ}]مین)$"
    rf"|^(?:اول|اولین|نخست|نخستین|آخرین|واپسین|دومی|سومی|{NUMBER_WORDS}|میلیارد|هزاران|صدها|ده‌ها)$"
)
# A plural written with its ZWNJ (`رقابت‌های`, `استقلالی‌ها`): editors tag the thing, not a plural of it.
PLURAL = re.compile(f"{ZWNJ}ها(?:ی|یی|یم|یت|یش|یمان|یتان|یشان)?$")
# `X و Y` is one keyword when the article keeps it together (`آموزش و پرورش`, `حمل و نقل`).
AND = "و"


def as_hashtag(phrase: str) -> str:
    """`رئیس‌جمهور` → `#رئیس_جمهور`: Telegram ends a hashtag at a ZWNJ or a space."""
    body = NOT_IN_TAG.sub("_", phrase.replace(ZWNJ, "_")).strip("_")
    return f"#{body}" if body and not body.isdigit() else ""


class VerbForms:
    """Whether a word is a form of one of hazm's verbs (`آمدم`, `نداشت`, `باشید`, `می‌فرماید`): the same
    stems hazm's Lemmatizer conjugates (it reports them as `past#present`), looked up on demand instead of
    conjugating all 700 verbs into 350,000 forms at start-up."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.past: set[str] = set()
        self.present: set[str] = set()
        for verb in verbs_list():
            past, _, present = verb.partition("#")
            self.past.update(p for p in (past.strip(),) if len(p) > 1)
            self.present.update(p for p in (present.split(" ")[0].strip(),) if len(p) > 1)
        self.stem = lru_cache(maxsize=50_000)(self._stem)

    def _stem(self, word: str) -> str | None:
        """The verb stem of a verb form, or None."""
        word = word.replace(ZWNJ, "")
        for prefix in VERB_PREFIXES:
            if not word.startswith(prefix):
                continue
            rest = word[len(prefix) :]
            if rest.startswith("نیست") and rest[4:] in PAST_ENDINGS:
                return "نیست"
            for size in range(min(3, len(rest) + 1)):  # at most one ending of each length fits
                if (rest[len(rest) - size :] if size else "") in PAST_SET and rest[: len(rest) - size] in self.past:
                    return rest[: len(rest) - size]
            for size in (1, 2) if prefix or len(rest) > 3 else ():
                if rest[len(rest) - size :] in PRESENT_SET and rest[: len(rest) - size] in self.present:
                    return rest[: len(rest) - size]
            if prefix in ("ب", "ن", "می", "نمی") and rest in self.present:
                return rest  # `بخوان`, `نکن`, `می‌رو`...
            if prefix == "ب" and rest.startswith("ی") and rest[1:] in self.present:
                return rest[1:]  # `بیاید`
        return None

    def is_verb(self, word: str) -> bool:
        """A verb form that is not also a word of the lexicon (`بازی` is a noun, though `باز` is a stem)."""
        if self.lexicon.is_word(word) or self.lexicon.is_word(word.replace(ZWNJ, "")):
            return word.startswith(("می" + ZWNJ, "نمی" + ZWNJ)) and self.stem(word) is not None
        return self.stem(word) is not None


class Candidate(NamedTuple):
    key: tuple[str, ...]  # stems (and `و`)
    shown: str
    score: float


class HashtagExtractor:
    def __init__(
        self,
        lexicon: Lexicon,
        terms: TermExtractor,
        prior: TagPrior | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.terms = terms
        self.verbs = VerbForms(lexicon)
        # Words recur across articles: each word's matching form and verdict are computed once.
        self.fold = lru_cache(maxsize=200_000)(matching_form)
        self._word = lru_cache(maxsize=200_000)(self._analyse)
        self._stem = lru_cache(maxsize=200_000)(self._attested_stem)
        self.total = sum(entry.frequency for entry in lexicon.plain.values()) or 1
        self._prior_key = lru_cache(maxsize=200_000)(self._phrase_key)
        self.informativeness = lru_cache(maxsize=200_000)(self._informativeness)
        self._light = lru_cache(maxsize=200_000)(self._is_light_verb)
        self._first_name = lru_cache(maxsize=200_000)(self._first_name_limit)
        self._name_word = lru_cache(maxsize=200_000)(self._is_name_word)
        self._adjective = lru_cache(maxsize=200_000)(self._is_adjective)
        self._editors_tag = lru_cache(maxsize=200_000)(self._as_editors_tag)
        self.prior = TagPrior.load() if prior is None else prior

    @property
    def prior(self) -> TagPrior:
        return self._prior

    @prior.setter
    def prior(self, prior: TagPrior) -> None:
        """Another prior (the evaluation holds a source out) means other common words."""
        self._prior = prior
        self.informativeness.cache_clear()
        self._first_name.cache_clear()
        self._editors_tag.cache_clear()

    def _phrase_key(self, surface: str) -> str:
        return " ".join(self.fold(word) for word in surface.split())

    def _informativeness(self, word: str) -> float:
        info = math.log(self.total / (self.lexicon.frequency(word) + 1000))
        share = self._prior.common.get(self.terms.stem(word))  # learned by hazm's stems
        return min(info, -COMMON_WEIGHT * math.log(share)) if share else info

    def is_keyword_word(self, surface: str) -> bool:
        """A word that can be (part of) a hashtag: not a verb form, an ordinal, a plural, nor a word the
        lexicon knows only as something other than a noun (an adverb, a preposition)."""
        entry = self.lexicon.plain.get(surface)  # the cheap tests first: looking for a verb stem is not
        if entry is not None and entry.real and "N" not in entry.tags and "AJ" not in entry.tags:
            return False
        if ZWNJ in surface and not self._zwnj_keyword_word(surface):
            return False
        return not (PLURAL.search(surface) or ORDINAL.match(surface.replace(ZWNJ, "")) or self.verbs.is_verb(surface))

    def _zwnj_keyword_word(self, surface: str) -> bool:
        """A word written with a ZWNJ is no keyword when hazm lists it as something other than a noun
        (`نه‌تنها`), when it is a word + a person ending, a predicate (`خوشحال‌اند`, `آماده‌ایم`,
        `کرده‌ام`), or `به‌` + a word, an adverb (`به‌ویژه`, `به‌خاطر`)."""
        tags = self.lexicon.zwnj_tags.get(surface.replace(ZWNJ, ""))
        if tags is not None and tags != CORPUS_ONLY and "N" not in tags and "AJ" not in tags:
            return False
        head, _, ending = surface.rpartition(ZWNJ)
        if ending in PERSON_ENDINGS and self.lexicon.is_word(head):
            return False
        first, _, rest = surface.partition(ZWNJ)
        return not (first in ADVERB_PREFIXES and tags in (None, CORPUS_ONLY) and self.lexicon.is_word(rest))

    def _tokens(self, text: str) -> list[tuple[str, str | None]]:
        """(surface, stem) per word; stem is None where a keyword cannot be: stopwords, numbers, verbs,
        ordinals (they also break phrases)."""
        return list(map(self._word, WORD.findall(text)))

    def _analyse(self, surface: str) -> tuple[str, str | None]:
        key = self.fold(surface)
        usable = (
            len(key) > 1
            and not key.isdigit()
            and key not in self.terms.stopwords
            and key.replace(" ", "") not in self.terms.stopwords
            and self.is_keyword_word(surface)
        )
        return self._without_ezafe(surface), self._stem(key) if usable else None

    def _attested_stem(self, key: str) -> str:
        """A word's stem, always a word: hazm's stemmer cuts what looks like an ending off words that have
        none (`تولید` → `تول`, `ایران` → `ایر`, `خرید` → `خر`), and a cut stem is rarer than the word, so it
        looked informative. A singular word of the lexicon is its own stem; an ending comes off only when what
        is left is a word (`بازیکنان` → `بازیکن`, `تولیدات` → `تولید`)."""
        stem = self.terms.stem(key)
        if stem == key:
            return stem
        entry = self.lexicon.plain.get(key)
        if entry is not None and entry.real and "PL" not in entry.tags:
            return key
        return stem if self.lexicon.is_word(stem) or not self.lexicon.known(key) else key

    def _without_ezafe(self, surface: str) -> str:
        """`هوای` (هوا + the ezafe's ی, as in `هوای تهران`) is shown as `هوا` when that is a word."""
        ezafe = len(surface) > 3 and surface[-2:] in ("ای", "وی") and not self.lexicon.is_word(surface)
        return surface[:-1] if ezafe and self.lexicon.is_word(surface[:-1]) else surface

    def _light_verb_parts(self, tokens: list[tuple[str, str | None]]) -> set[str]:
        """Stems used mostly right before a light verb: the noun of a compound verb (`انجام شد`)."""
        stems = [stem for _, stem in tokens]
        total = Counter(stems)
        light = self._light
        before = Counter(
            stem for stem, (after, _) in zip(stems, tokens[1:], strict=False) if stem is not None and light(after)
        )
        return {stem for stem, n in before.items() if n >= 0.5 * total[stem]}

    def _is_light_verb(self, word: str) -> bool:
        return word in ("شد", "کرد", "است") or self.verbs.stem(word) in LIGHT_VERB_STEMS

    def candidates(self, title: str, body: str) -> list[Candidate]:
        """The article's best keyword candidates, best first."""
        title_tokens, body_tokens = self._tokens(title), self._tokens(body)
        tokens = [*title_tokens, ("", None), *body_tokens]
        verb_parts = self._light_verb_parts(tokens)
        # The agency of a `به گزارش "ورزش سه"` opening is who reports, not what the story is about.
        opening_lines = body.split("\n", BODY_LINES_FOR_SOURCE)[:BODY_LINES_FOR_SOURCE]
        agency = source_of("\n".join(line[:ATTRIBUTION_CHARS] for line in opening_lines))
        if agency:
            verb_parts = verb_parts | {stem for _, stem in self._tokens(agency) if stem}
        # Every phrase of up to MAX_PHRASE words at every position, counted in C (Counter of a list). A phrase
        # counts only when it recurs in the body, so it is built only where each pair of its words does.
        marks = [stem if stem is not None else (AND if surface == AND else None) for surface, stem in body_tokens]
        pairs = Counter(pairwise(marks))
        title_length, length = len(title_tokens), len(tokens)
        # Each word, in comprehensions; then phrases only where a word and the next recur together.
        title_spans: list[tuple[str, ...]] = [
            (stem,) for _, stem in title_tokens if stem is not None and stem not in verb_parts
        ]
        body_spans: list[tuple[str, ...]] = [
            (stem,) for _, stem in body_tokens if stem is not None and stem not in verb_parts
        ]
        written: list[tuple[tuple[str, ...], str]] = [
            ((stem,), surface) for surface, stem in tokens if stem is not None and stem not in verb_parts
        ]
        recurring = {pair for pair, n in pairs.items() if n > 1 and pair[0] is not None and pair[1] is not None}
        all_marks = [stem if stem is not None else (AND if surface == AND else None) for surface, stem in tokens]
        starts = [i for i, pair in enumerate(pairwise(all_marks)) if pair in recurring]
        # What the body's opening uses: editors tag what the lead is about.
        lead_end = title_length + 1 + int(LEAD_SHARE * len(body_tokens))
        in_lead: set[tuple[str, ...]] = {(stem,) for _, stem in tokens[title_length + 1 : lead_end] if stem}
        for i in starts:
            surface, stem = tokens[i]
            if stem is None or stem in verb_parts:
                continue
            spans = title_spans if i < title_length else body_spans
            words, stems = [surface], [stem]
            for j in range(i + 1, min(i + MAX_PHRASE, length)):
                next_surface, next_stem = tokens[j]
                if next_stem is None:
                    if j == i + 1 and next_surface == AND and j + 1 < length and tokens[j + 1][1]:
                        words.append(AND)  # `آموزش و پرورش`: the next word completes the phrase
                        stems.append(AND)
                        continue
                    break
                if pairs[stems[-1], next_stem] < 2:
                    break
                words.append(next_surface)
                stems.append(next_stem)
                if stems[-2] != AND or len(stems) == 3:
                    key = tuple(stems)
                    spans.append(key)
                    written.append((key, " ".join(words)))
                    if title_length < i < lead_end:
                        in_lead.add(key)
        phrases = _Phrases(title_spans, body_spans, written)
        shown = phrases.shown()
        scored = []
        body_count, in_title, informativeness = phrases.body_count, phrases.in_title, self.informativeness
        tagged, aliases = self._prior.phrases, self._prior.aliases
        for key, n in phrases.count.items():
            if len(key) == 1:  # most candidates: the score of `_score`, inline
                bonus = TITLE_BONUS if key in in_title else 1.0
                score: float | None = math.log1p(n) * max(informativeness(key[0]), 0.1) * bonus
            elif body_count[key] < 2:
                continue  # the body often repeats the headline: a phrase must recur in the body itself
            else:
                score = self._score(key, phrases)
            if score is not None:
                if key in in_lead:
                    score *= LEAD_BONUS
                # Most phrases are no editors' tag: one cached key and two look-ups tell.
                prior_key, headline = self._prior_key(shown[key]), key in in_title
                if prior_key in tagged or (headline and prior_key in aliases):
                    keyphraseness, name = self._editors_tag(shown[key], headline)
                    if name is not None:
                        shown[key] = name
                    score *= 1 + PRIOR_WEIGHT * keyphraseness
                scored.append((score, key))
        # `زیدان: …`: a headline that opens with a short name and a colon quotes that person.
        opening, colon, _ = title.partition(":")
        if colon and len(opening.split()) <= SPEAKER_WORDS:
            speaker = {stem for _, stem in self._tokens(opening) if stem}
            scored = [(s * SPEAKER_BONUS if speaker.issuperset(k) else s, k) for s, k in scored]
        scored.sort(key=lambda item: (-item[0], item[1]))
        best = scored[:SHORTLIST]
        count = phrases.count
        repeated = {key[0] for _, key in best if len(key) == 1 and count[key] > 1}  # a name is written again
        names = self._full_names(tokens, count, repeated, title_length + 1) if repeated else {}
        out = []
        for score, key in best:
            name = names.get(key[0]) if len(key) == 1 else None
            if len(key) == 1 and name is None and self._adjective(shown[key]):
                continue
            whole = name is not None and " " not in shown[key]  # not a learned full name (`آرسن ونگر`)
            out.append(Candidate(key, name.format(shown[key]) if name and whole else shown[key], score))
            if len(out) == MAX_CANDIDATES:
                break
        return out

    def extract(self, title: str, body: str) -> list[str]:
        """MIN_TAGS to MAX_TAGS hashtags: the best candidates, no two sharing a word; past the first MIN_TAGS,
        only those scoring at least KEEP_RATIO of the best."""
        chosen: list[Candidate] = []
        used_stems: set[str] = set()
        for candidate in self.candidates(title, body):
            if len(chosen) >= MAX_TAGS or (len(chosen) >= MIN_TAGS and candidate.score < KEEP_RATIO * chosen[0].score):
                break
            if used_stems.intersection(candidate.key):
                continue
            chosen.append(candidate)
            used_stems.update(k for k in candidate.key if k != AND)
        tags = []
        for candidate in chosen:
            tag = as_hashtag(candidate.shown)
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def _full_names(
        self, tokens: list[tuple[str, str | None]], count: Counter[tuple[str, ...]], stems: set[str], body: int
    ) -> dict[str, str]:
        """The whole names of those `stems` that the article writes whole and then alone, as formats (`{}` is
        the word): `پل {}` for `پوگبا`, when the word before it is a first name the article uses nowhere else
        (a known one, `_is_first_name`, or a word hazm hardly knows, `_is_name_word`: `یورگن کلوپ`);
        `{} جونیور` for `وینیسیوس`, when the body first mentions the word with a word hazm does not know after
        it and uses that word nowhere else (`برانکو ایوانکوویچ … برانکو`; `زیدان واقعا` is no first mention).
        `body` is where the body's tokens start (a headline shortens names)."""
        at = [i for i, (_, stem) in enumerate(tokens) if stem in stems]
        name_word = self._name_word
        before: Counter[tuple[str, str, str]] = Counter()
        for i in at:
            (surface, head), (last, stem) = tokens[i - 1] if i else ("", None), tokens[i]
            if head and stem and (name_word(surface, head) or self._is_first_name(surface, head, last)):
                before[stem, head, surface] += 1
        names: dict[str, str] = {}
        for (stem, head, surface), n in before.items():
            if n == count[(head,)] < count[(stem,)] and stem not in names:
                names[stem] = surface + " {}"
        mentioned: set[str] = set()
        for i in at:
            head = tokens[i][1]
            if i < body or head is None or head in mentioned or i + 1 == len(tokens):
                continue
            mentioned.add(head)
            last, stem = tokens[i + 1]
            if (
                stem
                and head not in names
                and count[(stem,)] == 1 < count[(head,)]
                and name_word(last, stem)
                and last not in self.lexicon.plain
                and not self._glued(last)
                and self.fold(last) not in GIVEN_NAMES  # the next person's name
            ):
                names[head] = "{} " + last
        return names

    def _is_name_word(self, surface: str, stem: str) -> bool:
        """A word that is a foreign first name's rather than a common one's: one hazm's lexicon does not
        know at all (`کریستیانو`; not an adverb written without its tanwin, `واقعا`), or knows only as a rare
        singular noun (`یورگن`, `دیگو`; not `کنترل`, `ذخایر`, nor glued spellings its corpora hold, `پرسنل`)."""
        if stem != self.fold(surface) or len(surface) < 3 or ZWNJ in surface:
            return False
        entry = self.lexicon.plain.get(surface)
        if entry is None:
            return surface + TANWIN not in self.lexicon.plain and surface not in self.lexicon.zwnj_forms
        return entry.tags == NOUN and 0 < entry.frequency < FOREIGN_SURNAME_MAX_FREQUENCY

    def _glued(self, word: str) -> bool:
        """A preposition written together with a word (`درحاشیه`, `بخاطر`)."""
        return any(word.startswith(p) and self.lexicon.is_word(word[len(p) :]) for p in GLUED_PREPOSITIONS)

    def _is_adjective(self, surface: str) -> bool:
        """A word that is no keyword alone, though it may be part of one: an adjective hazm knows as nothing
        else (`غیرمجاز`), a relational adjective of a word ending in a vowel (`آسیایی`), a relational adjective
        it does not know, a noun + ی (`اقتصادی`, `ترافیکی`, `هوایی`; `شمالی` of `خراسان شمالی`), or a
        comparative (`کوبنده‌تر`). A surname of that form is kept when the article writes the
        whole name (`مهدی نظری`: `_full_names`)."""
        entry = self.lexicon.plain.get(surface)
        if entry is not None and entry.real:
            if "AJ" in entry.tags and surface.endswith("یی") and self.lexicon.is_word(surface[:-2]):
                return True  # `آسیایی`, `اروپایی`: hazm lists them as nouns too
            return "AJ" in entry.tags and "N" not in entry.tags
        head, _, ending = surface.rpartition(ZWNJ)
        if ending in ADJECTIVE_ENDINGS and self.lexicon.is_word(head):
            return True  # `کوبنده‌تر`, `خطرناک‌ترین`
        return surface.endswith("ی") and any(
            surface.endswith(ending)
            and len(surface) > len(ending) + 1
            and self.lexicon.is_word(surface[: -len(ending)])
            for ending in RELATIONAL_ENDINGS
        )

    def _is_first_name(self, surface: str, stem: str, surname: str) -> bool:
        """Whether `surface` (a word with that stem) is a first name before `surname`."""
        rarest, foreign = self._first_name(surface, stem)
        if rarest == math.inf:
            return True
        return rarest > 0 and not (foreign and ZWNJ in surname) and self.lexicon.frequency(surname) < rarest

    def _first_name_limit(self, surface: str, stem: str) -> tuple[float, bool]:
        """How rare a surname after this word must be for the word to be a first name, and whether it is a
        foreign one: learned from editors' tags, any surname (inf); a common Persian name, a surname rarer
        than SURNAME_MAX_FREQUENCY; a word unknown to hazm, a surname rarer than FOREIGN_SURNAME_MAX_FREQUENCY
        and written without a ZWNJ; anything else is no first name (0). Cached until the prior changes."""
        key = self.fold(surface)
        if key in self._prior.given_names:
            return math.inf, False
        if key in GIVEN_NAMES:
            return SURNAME_MAX_FREQUENCY, False
        entry = self.lexicon.plain.get(surface)
        unknown = (entry is None or not entry.real) and stem == key and ZWNJ not in surface  # not `قهرمانان`
        return (FOREIGN_SURNAME_MAX_FREQUENCY, True) if unknown else (0.0, False)

    def _as_editors_tag(self, surface: str, in_title: bool) -> tuple[float, str | None]:
        """How often editors tag this phrase, and the name to show instead: a word of a name editors tag
        whole (`رئال`) is shown as the name (`رئال مادرید`)."""
        key = self._prior_key(surface)
        name = self.prior.aliases.get(key) if in_title else None
        if name is not None and self.lexicon.frequency(surface) <= ALIAS_MAX_FREQUENCY:
            return self.prior.keyphraseness(name), self.prior.shown(name)
        return (self.prior.keyphraseness(key) if key in self.prior.phrases else 0.0), None

    def _score(self, key: tuple[str, ...], phrases: _Phrases) -> float | None:
        """A keyword's score, or None when it is not one: a phrase must recur and hold together (a name such
        as `جام جهانی` is ranked above its words, which then are not keywords of their own)."""
        words = [k for k in key if k != AND] or list(key)
        count, body_count = phrases.count, phrases.body_count
        if len(key) > 1:  # the cheap refusals first: most phrases occur once
            # The body often repeats the headline: a phrase must recur in the body itself.
            n = body_count[key]
            if n < 2:
                return None
            if any((k,) not in count for k in words) or n < COHESION * min(body_count[(k,)] for k in words):
                return None
            shorter = key[:-1]
            if len(key) == 3 and shorter in count and n < COHESION * body_count[shorter]:
                return None
        bonus = TITLE_BONUS if key in phrases.in_title else 1.0
        info = sum(self.informativeness(k) for k in words) / len(words)
        base = math.log1p(count[key]) * max(info, 0.1) * bonus
        if len(key) == 1:
            return base
        best_part = bonus * max(math.log1p(count[(k,)]) * max(self.informativeness(k), 0.1) for k in words)
        return max(base, best_part) * (1.0 + 0.05 * len(words))


class _Phrases:
    """Counts of an article's candidate phrases (keys are tuples of stems), where they occur, and how they
    are written: flat counters, not one object per phrase (an article has thousands of phrases)."""

    def __init__(
        self, title: list[tuple[str, ...]], body: list[tuple[str, ...]], written: list[tuple[tuple[str, ...], str]]
    ) -> None:
        self.body_count = Counter(body)
        self.count = self.body_count.copy()  # body + title, in C (Counter's + is a Python loop); same order
        self.count.update(title)
        self.in_title = set(title)
        self.surfaces = Counter(written)

    def shown(self) -> dict[tuple[str, ...], str]:
        """Each phrase's most frequent spelling (the first seen among equals)."""
        best: dict[tuple[str, ...], tuple[str, int]] = {}
        for (key, surface), n in self.surfaces.items():
            current = best.get(key)
            if current is None or n > current[1]:
                best[key] = (surface, n)
        return {key: surface for key, (surface, _) in best.items()}


def tag_overlap(ours: list[str], editors: list[str]) -> tuple[int, int]:
    """(our tags that match an editor's tag, editor tags matched): equal or contained matching keys."""

    def key(tag: str) -> str:
        return matching_form(tag.lstrip("#").replace("_", " ")).replace(" ", "")

    ours_keys = [key(t) for t in ours]
    editor_keys = [key(t) for t in editors if key(t)]
    matched_ours = sum(any(o and (o in e or e in o) for e in editor_keys) for o in ours_keys)
    matched_editors = sum(any(o and (o in e or e in o) for o in ours_keys) for e in editor_keys)
    return matched_ours, matched_editors
