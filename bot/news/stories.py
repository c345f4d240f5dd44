"""Stories: the reports of one event by several agencies, each in its own words, kept together as one story.

A new article is compared only with the stories of the last 48 hours that share something rare with it: an
inverted index over its rarest title and lead words (in matching form, stemmed), its numbers with their units
(a magnitude, a casualty count, a score), the places it names, and MinHash LSH bands for copied wire text.
Each candidate is scored on signals that survive rewording:

- the rare words both texts use, weighted by how rare each is in the agency archive (`story_rarity.json`);
- the numbers with units both give (`۵.۲ ریشتر`, `۱۸ مصدوم`), and those that contradict: two quakes of
  different magnitudes, two matches with different scores, two events at different clock times are two events;
- the places both name, and different places;
- how far apart they were published (the score fades over the 48 hours);
- a near-copy (MinHash similarity of 0.3 or more) is the same story whatever the rest says.

The article joins the best-scoring story when the score reaches THRESHOLD, else it starts a new one. A false
merge hides news, so the threshold is set for precision (see `python -m bot.news.evaluate_stories`).
No Telegram types here: the publisher stores and posts; this module only decides.
"""

from __future__ import annotations

import asyncio
import heapq
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from bot import tasks
from bot.clock import SYSTEM_CLOCK, Clock
from bot.news import identity
from bot.text.chars import to_latin_digits
from bot.text.normalize import matching_form, matching_key
from bot.text.terms import TermExtractor
from storage.stories import StoryRepository

log = logging.getLogger(__name__)
WINDOW_SECONDS = identity.WINDOW_SECONDS
THRESHOLD = 0.45  # a story is joined at this score or more (make eval prints precision and recall around it)
LEAD_CHARS = 400  # the lead: what the body says first, where agencies put the event's facts
FEATURES_VERSION = 1  # stored signals of another version are computed again at start
RARE_WEIGHT = 3.0  # a word this rare or rarer (in at most ~1.5 % of archive articles) is an index key
MAX_POSTING = 150  # an index key shared by more stories of the window than this says nothing: not followed
MAX_CANDIDATES = 20  # the best candidates by shared index weight are scored, however many there are
MIN_SHARED = 8.0  # a candidate shares at least this much: two rare words, a fact and a word, or a MinHash band
MAX_MEMBERS_SCORED = 6  # a story is scored by its first report and its latest ones
TIME_FADE = 0.35  # the score loses this much (as a share) between 0 and 48 hours apart
NUMBER_BONUS = 0.12  # per shared number with a unit (at most two count)
CONFLICT_PENALTY = 0.35  # per kind of fact that differs: magnitude, score, clock time
PLACE_BONUS = 0.05
PLACE_PENALTY = 0.12  # both name places, none the same
COPY = identity.NEAR_DUPLICATE
TITLE_SHARE = 0.4  # of the word score: how much of each title's rare words the other report repeats

RARITY_PATH = Path(__file__).with_name("story_rarity.json")
_ATTRIBUTION = re.compile(r"^\s*(?:به\s+گزارش|به\s+نقل\s+از)[^،,:]{0,60}[،,:]\s*")
# Agencies and outlets: every report names one, so their names say nothing about the event.
_OUTLET_WORDS = (
    "ایرنا ایسنا تسنیم مهر فارس همشهری آنلاین خبرآنلاین خبرگزاری خبرنگار خبرنگاران باشگاه جوان ورزش سه "
    "پانا برنا ایلنا میزان دانشجو صداوسیما شبکه خبر انتخاب تابناک عصر ایران اقتصادآنلاین دنیای اقتصاد "
    "نقل گزارش امروز دیروز فردا بامداد صبح ظهر عصر شامگاه شب"
)
OUTLETS = frozenset(matching_form(name) for name in _OUTLET_WORDS.split())
NUMBER_WORDS = {"صفر": "0", "یک": "1", "دو": "2", "سه": "3", "چهار": "4", "پنج": "5", "شش": "6", "هفت": "7",
                "هشت": "8", "ده": "10"}  # fmt: skip
MULTIPLIERS = {"هزار": "e3", "میلیون": "e6", "میلیارد": "e9"}
COUNTERS = frozenset({"نفر", "تن", "فقره", "مورد", "دستگاه", "فروند"})
# The word after a number, in matching form, and the kind of fact it makes.
UNITS = {
    "ریشتر": "mag", "ریشتری": "mag",
    "کشته": "dead", "جان": "dead", "جانباخته": "dead", "فوتی": "dead", "شهید": "dead", "کشتهشده": "dead",
    "مصدوم": "hurt", "مصدومان": "hurt", "مجروح": "hurt", "زخمی": "hurt", "مصدومیت": "hurt",
    "درصد": "pct", "درصدی": "pct", "واحد": "unit", "واحدی": "unit",
    "تومان": "money", "تومانی": "money", "ریال": "money", "ریالی": "money", "دلار": "money", "یورو": "money",
    "کیلومتری": "km", "کیلومتر": "km", "بشکه": "barrel", "مترمکعب": "m3", "لیتر": "litre", "لیتری": "litre",
    "هفته": "week", "روز": "day", "سال": "year", "ساله": "age", "ماه": "month", "گل": "goal", "دقیقه": "minute",
    "نفره": "squad", "بازیکن": "player", "طبقه": "floor", "ایستگاه": "station",
}  # fmt: skip
# Facts of which one event has one value: two reports giving two different values are two events.
EXCLUSIVE = frozenset({"mag", "score", "clock"})
_TOKEN = re.compile(r"\d+(?:[.٫/]\d+)?|[^\W\d_]+", re.UNICODE)
_CLOCK = re.compile(r"(?<![\d/])(\d{1,2}):(\d{2})(?![\d:])")
_CLOCK_WORDS = re.compile(r"ساعت\s+(\d{1,2})\s+و\s+(\d{1,2})\s+دقیقه")
_SCORE = re.compile(r"(?<![\d.٫/])(\d{1,2})\s*(?:-|–|بر)\s*(\d{1,2})(?![\d.٫/])")
_DATE = re.compile(r"\d{2,4}/\d{1,2}/\d{1,4}")

# Provinces, the larger towns and the places agencies name most, for the place signal (a word of a story's
# text is one of these when its matching form without spaces is).
_PLACE_NAMES = (
    "تهران اصفهان فارس شیراز مشهد تبریز کرج اهواز قم ارومیه رشت زاهدان کرمانشاه ساری یزد اراک همدان اردبیل "
    "بندرعباس زنجان سنندج قزوین خرم‌آباد گرگان بجنورد بیرجند یاسوج شهرکرد بوشهر ایلام سمنان آبادان خرمشهر "
    "دزفول شوشتر ماهشهر بم رفسنجان جیرفت سیرجان کرمان کاشان نجف‌آباد شاهین‌شهر خمینی‌شهر خوی مراغه مرند "
    "میاندوآب سلماس مهاباد بوکان نیشابور سبزوار تربت‌حیدریه قوچان زابل چابهار ایرانشهر سراوان سی‌سخت "
    "دهدشت گچساران دنا سمیرم سوادکوه آمل بابل قائمشهر نوشهر چالوس انزلی لاهیجان آستارا عسلویه کیش قشم "
    "میناب بندرلنگه گیلان مازندران گلستان خوزستان لرستان کردستان هرمزگان البرز خراسان آذربایجان "
    "سیستان بلوچستان کهگیلویه بویراحمد چهارمحال بختیاری بروجرد ملایر نهاوند ورامین شهریار اسلامشهر "
    "پاکدشت دماوند فیروزکوه شمیرانات ری شهرک‌غرب کیان‌شهر ساوه کاشمر طبس دامغان شاهرود گنبد گنبدکاوس "
    "بابامیدان مسقط عمان لبنان بیروت بغداد عراق کربلا نجف دمشق سوریه غزه فلسطین مسکو روسیه واشنگتن "
    "آمریکا اروپا وین ژنو قطر دوحه ترکیه آنکارا استانبول عربستان ریاض امارات دبی افغانستان کابل پاکستان "
    "هرات باکو ارمنستان ایروان چین پکن هند ژاپن آلمان فرانسه انگلیس لندن پاریس اوکراین کیف"
)
PLACES = frozenset(matching_key(place) for place in _PLACE_NAMES.split())


@dataclass(frozen=True)
class Signals:
    """What a report says that survives rewording. `terms` are stems of content words of the title and lead;
    `facts` are numbers with their kind (`5.2|mag`, `18|hurt`, `2-1|score`, `3:14|clock`, `38.7|pct`)."""

    terms: frozenset[str]
    facts: frozenset[str]
    places: frozenset[str]
    created_at: int
    signature: bytes | None = None
    title: frozenset[str] = frozenset()  # the title's terms (a subset of `terms`)

    def to_json(self) -> str:
        return json.dumps(
            {
                "v": FEATURES_VERSION,
                "t": sorted(self.terms),
                "f": sorted(self.facts),
                "p": sorted(self.places),
                "h": sorted(self.title),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str | None, created_at: int, signature: bytes | None) -> Signals | None:
        """Stored signals, or None when there are none of this version (they are then computed again)."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("v") != FEATURES_VERSION:
            return None
        terms, facts, places, title = (frozenset(data[k]) for k in ("t", "f", "p", "h"))
        return cls(terms, facts, places, created_at, signature, title)


class Rarity:
    """How rare a word (stem) is: its inverse document frequency in the agency archive; a word the archive
    never used is as rare as can be."""

    def __init__(self, documents: int, frequencies: dict[str, int]) -> None:
        self.documents = documents
        self.frequencies = frequencies
        self.top = math.log((documents + 1) / 1.0)
        self._weights: dict[str, float] = {}
        # The total rarity of a report's terms, asked for every candidate it is scored against.
        self.total = lru_cache(maxsize=65_536)(self._total)

    @classmethod
    def load(cls, path: Path = RARITY_PATH) -> Rarity:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(int(data["documents"]), {str(k): int(v) for k, v in data["df"].items()})

    def weight(self, term: str) -> float:
        weight = self._weights.get(term)
        if weight is None:
            weight = self._weights[term] = math.log((self.documents + 1) / (self.frequencies.get(term, 0) + 1))
        return weight

    def _total(self, terms: frozenset[str]) -> float:
        return sum(self.weight(term) for term in terms)


@lru_cache(maxsize=1)
def default_rarity() -> Rarity:
    return Rarity.load()


class SignalExtractor:
    """Title and lead to Signals (hazm's stemmer and stopwords through TermExtractor)."""

    def __init__(self) -> None:
        self.terms = TermExtractor()

    def content_terms(self, text: str, outlet_words: frozenset[str] = frozenset()) -> set[str]:
        words = [w for w in self.terms.content_words(text) if w not in OUTLETS and w not in outlet_words]
        return {stem for word in words if (stem := self.terms.stem(word))}

    def extract(
        self, title: str, body: str, created_at: int, signature: bytes | None = None, source: str | None = None
    ) -> Signals:
        lead = _ATTRIBUTION.sub("", lead_of(body))
        text = f"{title}\n{lead}"
        outlet_words = frozenset(matching_form(source).split()) if source else frozenset()
        return Signals(
            frozenset(self.content_terms(text, outlet_words)),
            frozenset(facts_of(text)),
            frozenset(places_of(text)),
            created_at,
            signature,
            frozenset(self.content_terms(title, outlet_words)),
        )


def lead_of(body: str) -> str:
    """The body's first LEAD_CHARS characters, cut at a word."""
    body = " ".join(body.split())
    if len(body) <= LEAD_CHARS:
        return body
    return body[:LEAD_CHARS].rsplit(" ", 1)[0]


def _number(text: str) -> str:
    text = text.replace("٫", ".").replace("/", ".")
    if "." in text:
        whole, _, part = text.partition(".")
        return f"{int(whole)}.{part.rstrip('0') or '0'}".removesuffix(".0")
    return str(int(text))


def facts_of(text: str) -> set[str]:
    """Numbers with their kind: the unit word after them (through `هزار`, `میلیون`, `نفر`), clock times and
    match scores. A bare number counts only when it cannot be a count of anything (three digits or more, not a
    year), as `n|value`."""
    latin = _DATE.sub(" ", to_latin_digits(text))
    facts = {f"{int(h)}:{m}|clock" for h, m in _CLOCK.findall(latin)}
    facts |= {f"{int(h)}:{int(m):02d}|clock" for h, m in _CLOCK_WORDS.findall(latin)}
    for first, second in _SCORE.findall(_CLOCK.sub(" ", latin)):
        if not (_looks_like_year(first) or _looks_like_year(second)):
            facts.add("-".join(sorted((first, second))) + "|score")
    tokens = _TOKEN.findall(_CLOCK.sub(" ", latin))
    for i, token in enumerate(tokens):
        value = NUMBER_WORDS.get(token) if not token[0].isdigit() else token
        if value is None:
            continue
        try:
            number = _number(value)
        except ValueError:
            continue
        j = i + 1
        while j < len(tokens) and j <= i + 3 and (tokens[j] in MULTIPLIERS or tokens[j] in COUNTERS):
            if tokens[j] in MULTIPLIERS:
                number += MULTIPLIERS[tokens[j]]
            j += 1
        unit = UNITS.get(matching_form(tokens[j])) if j < len(tokens) else None
        if unit is not None:
            facts.add(f"{number}|{unit}")
        elif token[0].isdigit() and not _looks_like_year(number) and ("." in number or len(number) >= 3):
            facts.add(f"{number}|n")
    return facts


def _looks_like_year(number: str) -> bool:
    return number.isdigit() and (1300 <= int(number) <= 1499 or 1900 <= int(number) <= 2100)


def places_of(text: str) -> set[str]:
    """Places named in the text: one to three words whose matching form without spaces is a known place."""
    words = matching_form(text).split()
    found = set()
    for i in range(len(words)):
        for size in (1, 2, 3):
            key = "".join(words[i : i + size])
            if key in PLACES:
                found.add(key)
    return found


@dataclass(frozen=True)
class Score:
    value: float
    copy: bool = False


def score(a: Signals, b: Signals, rarity: Rarity) -> Score:
    """How likely two reports tell the same event, from about 0 (nothing rare in common) to above 1."""
    if a.signature and b.signature and identity.similarity(a.signature, b.signature) >= COPY:
        return Score(2.0, copy=True)
    weight = rarity.weight
    total_a = rarity.total(a.terms)
    total_b = rarity.total(b.terms)
    if not total_a or not total_b:
        return Score(0.0)
    shared = sum(weight(term) for term in a.terms & b.terms)
    value = (1 - TITLE_SHARE) * shared / math.sqrt(total_a * total_b)
    value += TITLE_SHARE * min(_covered(a.title, b.terms, rarity), _covered(b.title, a.terms, rarity))
    common_facts = a.facts & b.facts
    value += NUMBER_BONUS * min(2, sum(1 for fact in common_facts if not fact.endswith("|n")))
    value += NUMBER_BONUS / 2 * min(2, sum(1 for fact in common_facts if fact.endswith("|n")))
    value -= CONFLICT_PENALTY * len(conflicts(a.facts, b.facts))
    if a.places and b.places:
        value += PLACE_BONUS if a.places & b.places else -PLACE_PENALTY
    apart = min(1.0, abs(a.created_at - b.created_at) / WINDOW_SECONDS)
    return Score(value * (1 - TIME_FADE * apart))


def _covered(title: frozenset[str], terms: frozenset[str], rarity: Rarity) -> float:
    """The share of a title's rarity that the other report's words repeat."""
    weight = rarity.weight
    total = rarity.total(title)
    return sum(weight(term) for term in title & terms) / total if total else 0.0


def conflicts(a: frozenset[str], b: frozenset[str]) -> set[str]:
    """Kinds of exclusive fact both give, with no value in common."""
    kinds_a = _by_kind(a)
    kinds_b = _by_kind(b)
    return {kind for kind in EXCLUSIVE if kind in kinds_a and kind in kinds_b and not kinds_a[kind] & kinds_b[kind]}


def _by_kind(facts: Iterable[str]) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for fact in facts:
        value, _, kind = fact.rpartition("|")
        kinds.setdefault(kind, set()).add(value)
    return kinds


@dataclass
class Member:
    story_id: int
    signals: Signals


@dataclass(frozen=True)
class Match:
    story_id: int
    score: float
    copy: bool


class StoryIndex:
    """The stories of the last 48 hours, indexed by their reports' rare keys and MinHash bands, in memory.
    It is rebuilt at start from the signals stored with the articles of the window (`load`)."""

    def __init__(self, rarity: Rarity | None = None, clock: Clock = SYSTEM_CLOCK, threshold: float = THRESHOLD) -> None:
        self.rarity = rarity or default_rarity()
        self.clock = clock
        self.threshold = threshold
        self.members: dict[int, Member] = {}
        self.stories: dict[int, list[int]] = {}  # story → its reports' article ids, oldest first
        self.postings: dict[str | bytes, set[int]] = {}

    def __len__(self) -> int:
        return len(self.stories)

    def keys(self, signals: Signals) -> dict[str | bytes, float]:
        """Index keys of a report with the weight each brings to a candidate sharing it: rare stems as they are,
        facts (they hold a `|`, which no stem does), places after `@`, and MinHash bands as bytes."""
        weight = self.rarity.weight
        keys: dict[str | bytes, float] = {term: w for term in signals.terms if (w := weight(term)) >= RARE_WEIGHT}
        for fact in signals.facts:
            if not fact.endswith("|n"):
                keys[fact] = 4.0
        for place in signals.places:
            keys["@" + place] = 2.0
        if signals.signature:
            for band in identity.bands(signals.signature):
                keys[band] = 8.0
        return keys

    def add(self, article_id: int, story_id: int, signals: Signals) -> None:
        if article_id in self.members:
            self.remove(article_id)
        self.members[article_id] = Member(story_id, signals)
        self.stories.setdefault(story_id, []).append(article_id)
        for key in self.keys(signals):
            self.postings.setdefault(key, set()).add(article_id)

    def remove(self, article_id: int) -> None:
        member = self.members.pop(article_id, None)
        if member is None:
            return
        reports = self.stories.get(member.story_id, [])
        if article_id in reports:
            reports.remove(article_id)
        if not reports:
            self.stories.pop(member.story_id, None)
        for key in self.keys(member.signals):
            posting = self.postings.get(key)
            if posting is not None:
                posting.discard(article_id)
                if not posting:
                    del self.postings[key]

    def move(self, article_id: int, story_id: int) -> None:
        """An admin's correction: this report belongs to another story (or, split, to its own)."""
        member = self.members.get(article_id)
        if member is not None:
            self.remove(article_id)
            self.add(article_id, story_id, member.signals)

    def merge(self, survivor: int, merged: int) -> None:
        for article_id in list(self.stories.get(merged, [])):
            self.move(article_id, survivor)

    def prune(self, now: float | None = None) -> None:
        """Forget reports older than the window."""
        oldest = (self.clock.time() if now is None else now) - WINDOW_SECONDS
        for article_id in [a for a, m in self.members.items() if m.signals.created_at < oldest]:
            self.remove(article_id)

    def candidates(self, signals: Signals) -> list[int]:
        """Reports sharing index keys with this one, best first by the weight of what they share."""
        weights: dict[int, float] = {}
        for key, weight in self.keys(signals).items():
            posting = self.postings.get(key)
            if posting is None or len(posting) > MAX_POSTING:
                continue
            for article_id in posting:
                weights[article_id] = weights.get(article_id, 0.0) + weight
        best = heapq.nlargest(MAX_CANDIDATES, weights.items(), key=lambda item: item[1])
        return [article_id for article_id, weight in best if weight >= MIN_SHARED]

    def best(self, signals: Signals) -> Match | None:
        """The story this report joins, or None when no story of the window scores THRESHOLD or more."""
        oldest = signals.created_at - WINDOW_SECONDS
        scored: dict[int, Score] = {}
        for article_id in self.candidates(signals):
            member = self.members[article_id]
            if member.story_id in scored or member.signals.created_at < oldest:
                continue
            scored[member.story_id] = self.story_score(member.story_id, signals)
        if not scored:
            return None
        story_id, best = max(scored.items(), key=lambda item: (item[1].value, -item[0]))
        return Match(story_id, best.value, best.copy) if best.value >= self.threshold else None

    def story_score(self, story_id: int, signals: Signals) -> Score:
        """A report against a story: its best score against the story's first report and latest ones (a story
        that develops is joined through what it says now, not through a chain of small steps)."""
        reports = self.stories[story_id]
        chosen = reports[:1] + reports[1:][-(MAX_MEMBERS_SCORED - 1) :]
        return max((score(signals, self.members[a].signals, self.rarity) for a in chosen), key=lambda s: s.value)


class StoryClusterer:
    """The clustering step of the publisher: signals of a new report, the story it joins, and the index of the
    window, loaded from SQLite on first use (the signals are stored with each article) and kept in memory."""

    def __init__(
        self,
        repo: StoryRepository,
        clock: Clock = SYSTEM_CLOCK,
        rarity: Rarity | None = None,
        run: Callable[..., Awaitable[Any]] | None = None,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.extractor = SignalExtractor()
        self.index = StoryIndex(rarity, clock)
        self._loaded = False
        self._load_lock = asyncio.Lock()
        # Where text work runs (the publisher's one text thread: hazm objects are not shared between threads).
        self._run = run or (lambda function, *args: asyncio.to_thread(function, *args))
        self.load_seconds = 0.0
        self._loading: asyncio.Task[None] | None = None

    @property
    def loaded(self) -> bool:
        return self._loaded

    def start(self) -> None:
        """Rebuild the index in the background at start (a few seconds for 10,000 stories): the bot answers
        meanwhile; the first new report waits for it."""
        self._loading = asyncio.create_task(self._load_logged(), name="story-index")

    async def _load_logged(self) -> None:
        try:
            reports = await self.load()
        except Exception:  # the next report loads it again
            log.exception("story index: loading the window failed")
            return
        log.info("story index: %d report(s) of the last 48 hours loaded in %.0f ms", reports, 1000 * self.load_seconds)

    async def stop(self) -> None:
        await tasks.cancel(self._loading)

    async def signals(
        self, title: str, body: str, created_at: int, signature: bytes | None, source: str | None
    ) -> Signals:
        return cast(Signals, await self._run(self.extractor.extract, title, body, created_at, signature, source))

    async def load(self) -> int:
        """Build the index from the reports of the window (once); returns how many reports it holds."""
        async with self._load_lock:
            if self._loaded:
                return len(self.index.members)
            started = time.perf_counter()
            since = int(self.clock.time()) - WINDOW_SECONDS
            for report in await self.repo.window(since):
                signals = Signals.from_json(report.signals, report.created_at, report.signature)
                if signals is None:  # stored before stories existed, or by another version: computed again
                    signals = await self.signals(
                        report.title, report.body, report.created_at, report.signature, report.source
                    )
                    await self.repo.set_signals(report.article_id, signals.to_json())
                self.index.add(report.article_id, report.story_id, signals)
            self._loaded = True
            self.load_seconds = time.perf_counter() - started
            return len(self.index.members)

    async def match(self, signals: Signals) -> Match | None:
        await self.load()
        self.index.prune(self.clock.time())
        return self.index.best(signals)

    def add(self, article_id: int, story_id: int, signals: Signals) -> None:
        if self._loaded:
            self.index.add(article_id, story_id, signals)

    def merge(self, survivor: int, merged: int) -> None:
        if self._loaded:
            self.index.merge(survivor, merged)

    def split(self, article_id: int) -> None:
        if self._loaded:
            self.index.move(article_id, article_id)
