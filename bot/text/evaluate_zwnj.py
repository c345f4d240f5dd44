"""ZWNJ repair measured on text whose ZWNJs are known to be right (`make eval` prints it).

    python -m bot.text.evaluate_zwnj [--shared DIR] [--misses N]

Two measures on each set (the treebank sentences of perdt-dev.jsonl and the news of dev.jsonl and
train.jsonl in ../shared/data):

- de-ZWNJ'd: every ZWNJ removed from the editors' text, the text normalized and repaired, and each word
  compared with the editors' word. Recall: the editors' visible ZWNJs between two letters (not after a
  non-joining letter such as ر, where a ZWNJ changes nothing on screen) that came back. Precision:
  of the ZWNJs the repair put inside a word, those the editors have. A ZWNJ where the editors wrote a space,
  or a space where they wrote a ZWNJ, counts as neither (editors differ on `محیط زیست`).
- already right: the editors' text normalized and repaired as it is; each ZWNJ added inside a word is counted,
  per 5,000 words.
- recall where glued is wrong: the same recall without the editors' ZWNJs whose glued spelling is right too
  (`آن‌ها`/`آنها`, `این‌که`/`اینکه`, a word of hazm's list, a possessive after a consonant: `تیم‌مان`/`تیممان`),
  which the repair leaves glued on purpose: editors write both (see bot/text/zwnj.py).

Editors are not consistent (`شرکتهای` beside `شرکت‌های`), so a ZWNJ the editors lack is also judged by the
set itself: it is "supported" when the file the set comes from writes that word with the ZWNJ more often than
as the editors wrote it here, and "unsupported" otherwise. Both counts are printed.

Each set is split in two halves by a hash of the sentence or article id; half A was looked at while the
rules were written, half B was not (it is the held-out check). The treebank is CC BY-SA: it is read here to
measure and nothing derived from it is stored.

News is measured per source (dev: the agency, train: the site), each article's title, lead and body as the
engine normalizes them (each with the whole article as its writer's text, whose ZWNJs tell the writer's habit:
stripped with the text in the de-ZWNJ'd condition, as written in the other), on every article and on the
articles "with ZWNJs": those whose editors write their ZWNJ in at least 90 % of their plurals of known words
and `می` verbs. Many articles of train.jsonl have no
ZWNJ at all or glue half of their plurals; text like that is not right as written, and ZWNJs added to it are
mostly repairs. The ZWNJs added to right text are also counted by what they separate (plural, clitic,
comparative, `می`, بی/به prefix, compound).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.text.chars import LETTERS, NON_JOINING, ZWNJ

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(f"[{LETTERS}{ZWNJ}]+")
FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ؤ": "و", "ئ": "ی"})
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")
NEWS_SAMPLE = 4  # every fourth article of train.jsonl: the whole file takes minutes to normalize twice
WORDS_PER_RATE = 5000


def shared_data(start: Path = ROOT) -> Path | None:
    """../shared/data beside the repository (or beside the folder of git worktrees)."""
    for parent in (start, *start.parents):
        candidate = parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def half(key: str) -> str:
    return "A" if zlib.crc32(key.encode()) % 2 == 0 else "B"


# ----- words and their ZWNJs ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    key: str  # letters only, folded: what aligns the editors' word with ours
    zwnj: frozenset[int]  # the positions in `key` that a ZWNJ precedes

    @property
    def spelling(self) -> str:
        return "".join((ZWNJ if i in self.zwnj else "") + ch for i, ch in enumerate(self.key))


def words(text: str) -> list[Word]:
    out = []
    for token in WORD.findall(text):
        token = token.strip(ZWNJ).translate(FOLD)
        key: list[str] = []
        marks: set[int] = set()
        for ch in token:
            if ch == ZWNJ:
                if key[-1] not in NON_JOINING:  # after ا, د, ر, و... a ZWNJ changes nothing on screen
                    marks.add(len(key))
            else:
                key.append(ch)
        if key:
            out.append(Word("".join(key), frozenset(marks)))
    return out


CLITICS = ("ای", "ام", "ات", "اش", "ایم", "اید", "اند", "است", "ایی")
PREVERB_MI = tuple(p + "می" for p in ("", "ن", "بر", "باز", "در", "فرو", "فرا", "ور", "وا"))


def zwnj_class(key: str, position: int) -> str:
    """What a ZWNJ at `position` of a word separates: a plural, a clitic, a comparative, a verb's `می`, the
    prefix بی/به, or two parts of a compound."""
    left, right = key[:position], key[position:]
    if right.startswith("ها"):
        return "plural"
    if right in CLITICS:
        return "clitic"
    if right.startswith("تر"):
        return "comparative"
    if left in PREVERB_MI:
        return "mi"
    return "prefix" if left in ("بی", "به") else "compound"


def aligned(original: list[Word], repaired: list[Word]) -> Iterator[tuple[Word, Word]]:
    """Pairs of the same word (same letters) in both texts, in order."""
    matcher = difflib.SequenceMatcher(None, [w.key for w in original], [w.key for w in repaired], autojunk=False)
    for i, j, size in matcher.get_matching_blocks():
        for k in range(size):
            yield original[i + k], repaired[j + k]


# ----- counts --------------------------------------------------------------------------------------------
@dataclass
class Counts:
    texts: int = 0
    words: int = 0
    zwnj: int = 0  # the editors' ZWNJs inside words (de-ZWNJ'd texts)
    restored: int = 0
    optional: int = 0  # ... of them, those whose glued spelling is right too (`آن‌ها`: `آنها`)
    restored_optional: int = 0
    inserted: int = 0  # ZWNJs the repair put inside words of the de-ZWNJ'd texts (aligned words)
    inserted_wrong: int = 0  # ... that the editors do not have
    inserted_unsupported: int = 0  # ... nor does the set write the word so more often
    added: int = 0  # ZWNJs added to already-right text that the editors do not have
    added_unsupported: int = 0
    examples: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: Counter[tuple[str, str]] = field(default_factory=Counter)  # de-ZWNJ'd: (editors' word, ours) missed
    wrong: Counter[tuple[str, str]] = field(default_factory=Counter)  # de-ZWNJ'd: ... with a ZWNJ they lack
    added_classes: Counter[str] = field(default_factory=Counter)  # what the ZWNJs added to right text separate

    def __iadd__(self, other: Counts) -> Counts:
        for name in (
            "texts", "words", "zwnj", "restored", "optional", "restored_optional", "inserted", "inserted_wrong",
            "inserted_unsupported",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.added += other.added
        self.added_unsupported += other.added_unsupported
        self.examples.update(other.examples)
        self.misses.update(other.misses)
        self.wrong.update(other.wrong)
        self.added_classes.update(other.added_classes)
        return self

    @property
    def recall(self) -> float:
        return self.restored / max(1, self.zwnj)

    @property
    def recall_where_glued_is_wrong(self) -> float:
        """Recall without the ZWNJs whose glued spelling is right too."""
        return (self.restored - self.restored_optional) / max(1, self.zwnj - self.optional)

    @property
    def precision(self) -> float:
        return 1 - self.inserted_wrong / max(1, self.inserted)

    @property
    def precision_supported(self) -> float:
        return 1 - self.inserted_unsupported / max(1, self.inserted)

    def per_words(self, count: int) -> float:
        return WORDS_PER_RATE * count / max(1, self.words)


class Spellings:
    """How often a set writes each word each way: the editors' majority, to judge a ZWNJ they lack here."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.counts: Counter[str] = Counter(word.spelling for text in texts for word in words(text))

    def supports(self, ours: Word, theirs: Word) -> bool:
        return self.counts[ours.spelling] > self.counts[theirs.spelling]


GluedRight = Callable[[str, int], bool]  # (word's letters, a ZWNJ's position): is the glued word right too?
POSSESSIVES = ("مان", "تان", "شان")


def glued_right(is_word: Callable[[str], bool], also_right: frozenset[str] = frozenset()) -> GluedRight:
    """Whether the editors' word without its ZWNJ at `position` is a right spelling too: a word of the list
    (`اینکه`, `بیشتر`), one of `also_right` (`آنها`), or a possessive glued after a consonant (`تیممان`)."""

    def right(key: str, position: int) -> bool:
        if is_word(key) or key in also_right:
            return True
        return key[position:] in POSSESSIVES and key[position - 1] not in "هی"

    return right


# (text, more text by the same writer: the rest of its article) → the text repaired, as TextEngine.normalize
Repair = Callable[[str, str], str]


def measure(
    text: str, repair: Repair, spellings: Spellings, optional: GluedRight | None = None, writer: str = ""
) -> Counts:
    """Both conditions for one text; `writer` (the article's texts) is stripped of its ZWNJs with the text in
    the de-ZWNJ'd one (a feed that loses them loses them everywhere) and given as written in the other."""
    counts = Counts(texts=1, words=len(text.split()))
    original = words(text)
    counts.zwnj = sum(len(w.zwnj) for w in original)
    for theirs, ours in aligned(original, words(repair(text.replace(ZWNJ, ""), writer.replace(ZWNJ, "")))):
        counts.restored += len(theirs.zwnj & ours.zwnj)
        if theirs.zwnj - ours.zwnj:
            counts.misses[theirs.spelling, ours.spelling] += 1
        if optional is not None:
            right_glued = {position for position in theirs.zwnj if optional(theirs.key, position)}
            counts.optional += len(right_glued)
            counts.restored_optional += len(right_glued & ours.zwnj)
        counts.inserted += len(ours.zwnj)
        extra = len(ours.zwnj - theirs.zwnj)
        counts.inserted_wrong += extra
        if extra:
            counts.wrong[theirs.spelling, ours.spelling] += 1
        counts.inserted_unsupported += 0 if spellings.supports(ours, theirs) else extra
    for theirs, ours in aligned(original, words(repair(text, writer))):
        extra = len(ours.zwnj - theirs.zwnj)
        if extra:
            counts.added += extra
            counts.added_classes.update(zwnj_class(theirs.key, position) for position in ours.zwnj - theirs.zwnj)
            if not spellings.supports(ours, theirs):
                counts.added_unsupported += extra
                counts.examples[theirs.spelling, ours.spelling] += 1
    return counts


# ----- the sets -----------------------------------------------------------------------------------------
def treebank(data: Path) -> list[tuple[str, str, str]]:
    """(half, sentence, writer) for every sentence of perdt-dev.jsonl: the sentences of a line come from
    different documents, so none has a writer's other text (writer is "")."""
    path = data / "zwnj" / "perdt-dev.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
        row = json.loads(line)
        for k, sentence in enumerate(SENTENCE_END.split(row["text"])):
            out.append((half(f"{row['id']}-{k}"), sentence, ""))
    return out


@dataclass(frozen=True)
class Article:
    source: str  # the site or agency (train: `source`, dev: `agency`)
    half: str
    texts: tuple[str, ...]  # title, lead and body, each normalized as one text as the engine does

    @property
    def writer(self) -> str:
        """All of the article's text: the writer's habit for each of its texts, as TextEngine reads it."""
        return "\n".join(self.texts)


def articles(data: Path, name: str, every: int = 1) -> list[Article]:
    """The articles of articles/NAME.jsonl (every `every`th one), each as its title, lead and body."""
    path = data / "articles" / f"{name}.jsonl"
    out = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for n, line in enumerate(lines):
        if not line.strip() or n % every:
            continue
        row = json.loads(line)
        body = row["text"].replace(" [n] ", "\n").replace("[n]", "\n")
        texts = tuple(text for text in (row["title"], row["lead"], body) if text.strip())
        out.append(Article(str(row.get("source") or row.get("agency") or "?"), half(row["id"]), texts))
    return out


def news(data: Path, name: str, every: int = 1) -> list[tuple[str, str, str]]:
    """(half, text, writer) for the title, lead and body of the articles of articles/NAME.jsonl."""
    return [(a.half, text, a.writer) for a in articles(data, name, every) for text in a.texts]


# A word whose ZWNJ no editor who writes ZWNJs leaves out: a plural in -ها after a letter that joins
# (`کتاب‌ها`) or a `می` verb (`می‌شود`), judged on the word as it stands in the text.
PLURAL_WORD = re.compile(f"^([{LETTERS}]*[^{''.join(NON_JOINING)}{ZWNJ}])({ZWNJ}?)ها(?:ی|یی|یش|یشان)?$")
MI_WORD = re.compile(f"^(?:ن?می)({ZWNJ}?)[{LETTERS}]{{2,}}$")
MIN_MARKED = 5  # words of those two kinds an article needs for its editors' habit to be read
WRITES_ZWNJS = 0.9


def zwnj_habit(texts: Iterable[str], is_word: Callable[[str], bool], is_verb: Callable[[str], bool]) -> float | None:
    """The share of an article's plurals of known words and `می` verbs that its editors wrote with their
    ZWNJ; None when it has fewer than MIN_MARKED such words."""
    marked = written = 0
    for text in texts:
        for token in WORD.findall(text):
            plural, verb = PLURAL_WORD.match(token), MI_WORD.match(token)
            if plural and len(plural.group(1)) >= 2 and is_word(plural.group(1)) and not is_word(token):
                marked, written = marked + 1, written + bool(plural.group(2))
            elif verb and is_verb(token.replace(ZWNJ, "")):
                marked, written = marked + 1, written + bool(verb.group(1))
    return written / marked if marked >= MIN_MARKED else None


def evaluate_set(
    texts: list[tuple[str, str, str]],
    repair: Repair,
    spellings: Spellings | None = None,
    optional: GluedRight | None = None,
) -> dict[str, Counts]:
    """Totals over (half, text, writer) triples, all and per half."""
    spellings = spellings or Spellings(text for _, text, _ in texts)
    totals = {"all": Counts(), "A": Counts(), "B": Counts()}
    for part, text, writer in texts:
        counts = measure(text, repair, spellings, optional, writer)
        totals["all"] += counts
        totals[part] += counts
    return totals


def row(label: str, t: Counts, indent: int = 4) -> str:
    return (
        " " * indent + f"{label:<30} de-ZWNJ'd: recall {t.recall:.3f}  precision {t.precision:.3f}"
        f" (supported by the set's spelling {t.precision_supported:.3f});"
        f"  already right: {t.per_words(t.added):.2f} ZWNJs added per {WORDS_PER_RATE} words,"
        f" {t.per_words(t.added_unsupported):.2f} unsupported"
        + f"; recall where glued is wrong {t.recall_where_glued_is_wrong:.3f}"
    )


def missed(counts: Counts, shown: int, indent: int = 4) -> str:
    """The `shown` most frequent words of the de-ZWNJ'd text whose ZWNJ the repair did not bring back, and
    those it gave a ZWNJ the editors lack (editors' word → ours)."""
    misses = ", ".join(f"{theirs} {n}" for (theirs, _), n in counts.misses.most_common(shown))
    wrong = ", ".join(f"{theirs}→{ours} {n}" for (theirs, ours), n in counts.wrong.most_common(shown))
    return " " * indent + f"most frequent misses: {misses}\n" + " " * indent + f"most frequent wrong ZWNJs: {wrong}"


def report(name: str, totals: dict[str, Counts], out: Callable[[str], object] = print, misses: int = 0) -> None:
    c = totals["all"]
    out(f"  {name}: {c.texts} texts, {c.words} words, {c.zwnj} ZWNJs inside words")
    for part, t in totals.items():
        out(row(part, t))
    if c.added_classes:
        out("    ZWNJs added to right text, by what they separate: " + ", ".join(
            f"{name} {count}" for name, count in c.added_classes.most_common()))  # fmt: skip
    if c.examples:
        shown = ", ".join(f"{a}→{b}" for (a, b), _ in c.examples.most_common(8))
        out(f"    most frequent unsupported additions: {shown}")
    if misses and (c.misses or c.wrong):
        out(missed(c, misses))


def evaluate_sources(
    found: list[Article],
    repair: Repair,
    spellings: Spellings,
    habit: Callable[[Article], float | None],
    optional: GluedRight | None = None,
) -> dict[str, Counts]:
    """Per source: every article, and the articles whose editors write ZWNJs (WRITES_ZWNJS of their plurals
    and `می` verbs have one): only there is text as written "already right"."""
    totals: dict[str, Counts] = {}
    for article in found:
        share = habit(article)
        keys = [f"{article.source}: every article"]
        if share is not None and share >= WRITES_ZWNJS:
            keys += [f"{article.source}: with ZWNJs", f"{article.source}: with ZWNJs, {article.half}"]
        for text in article.texts:
            counts = measure(text, repair, spellings, optional, article.writer)
            for key in keys:
                totals.setdefault(key, Counts())
                totals[key] += counts
    return dict(sorted(totals.items()))


def print_zwnj_report(repair: Repair, data: Path | None = None, misses: int = 0) -> None:
    """The figures of every set; with `misses`, also that many of each set's most frequent missed words."""
    data = data or shared_data()
    print("\nZWNJ repair (half A was looked at while writing the rules; half B is held out)")
    if data is None:
        print("  (no ../shared/data: skipped)")
        return
    from bot.text.engine import get_engine
    from bot.text.zwnj import PLURAL_PRONOUNS

    lexicon = get_engine().lexicon
    optional = glued_right(lexicon.is_word, PLURAL_PRONOUNS)

    def habit(article: Article) -> float | None:
        return zwnj_habit(article.texts, lexicon.is_word, lexicon.is_verb)

    found = treebank(data)
    if found:
        report("treebank (perdt-dev)", evaluate_set(found, repair, optional=optional), misses=misses)
    for name, every in (("dev", 1), ("train", NEWS_SAMPLE)):
        sampled = articles(data, name, every)
        if not sampled:
            continue
        spellings = Spellings(text for article in articles(data, name) for text in article.texts)
        label = f"news {name}.jsonl" + (f" (every {every}th article)" if every > 1 else "")
        if name == "dev":
            dev = evaluate_set([(a.half, t, a.writer) for a in sampled for t in a.texts], repair, spellings, optional)
            report(label, dev, misses=misses)
        print(f"  {label} per source; 'with ZWNJs': articles whose editors write {WRITES_ZWNJS:.0%} of plurals and")
        print("    `می` verbs with their ZWNJ (the others are not right as written):")
        for key, counts in evaluate_sources(sampled, repair, spellings, habit, optional).items():
            print(row(key, counts, 6) + f"  [{counts.words} words]")
            if misses and key.endswith(": with ZWNJs") and (counts.misses or counts.wrong):
                print(missed(counts, misses, 8))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.evaluate_zwnj", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder (default: found)")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print each set's N most frequent misses")
    args = parser.parse_args(argv)
    from bot.text.engine import get_engine

    print_zwnj_report(get_engine().normalize, args.shared, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
