"""ZWNJ repair measured on text whose ZWNJs are known to be right (`make eval` prints it).

    python -m bot.text.evaluate_zwnj [--shared DIR]

Two measures on each set (the treebank sentences of perdt-dev.jsonl and the news of dev.jsonl and
train.jsonl in ../shared/data):

- de-ZWNJ'd: every ZWNJ removed from the editors' text, the text normalized and repaired, and each word
  compared with the editors' word. Recall: the editors' visible ZWNJs between two letters (not after a
  non-joining letter such as ر, where a ZWNJ changes nothing on screen) that came back. Precision:
  of the ZWNJs the repair put inside a word, those the editors have. A ZWNJ where the editors wrote a space,
  or a space where they wrote a ZWNJ, counts as neither (editors differ on `محیط زیست`).
- already right: the editors' text normalized and repaired as it is; each ZWNJ added inside a word is counted,
  per 5,000 words.

Editors are not consistent (`شرکتهای` beside `شرکت‌های`), so a ZWNJ the editors lack is also judged by the
set itself: it is "supported" when the file the set comes from writes that word with the ZWNJ more often than
as the editors wrote it here, and "unsupported" otherwise. Both counts are printed.

Each set is split in two halves by a hash of the sentence or article id; half A was looked at while the
rules were written, half B was not (it is the held-out check). The treebank is CC BY-SA: it is read here to
measure and nothing derived from it is stored.
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
NEWS_SAMPLE = 10  # every tenth article of train.jsonl: the whole file takes minutes to normalize twice
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
    inserted: int = 0  # ZWNJs the repair put inside words of the de-ZWNJ'd texts (aligned words)
    inserted_wrong: int = 0  # ... that the editors do not have
    inserted_unsupported: int = 0  # ... nor does the set write the word so more often
    added: int = 0  # ZWNJs added to already-right text that the editors do not have
    added_unsupported: int = 0
    examples: Counter[tuple[str, str]] = field(default_factory=Counter)

    def __iadd__(self, other: Counts) -> Counts:
        for name in ("texts", "words", "zwnj", "restored", "inserted", "inserted_wrong", "inserted_unsupported"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.added += other.added
        self.added_unsupported += other.added_unsupported
        self.examples.update(other.examples)
        return self

    @property
    def recall(self) -> float:
        return self.restored / max(1, self.zwnj)

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


def measure(text: str, repair: Callable[[str], str], spellings: Spellings) -> Counts:
    counts = Counts(texts=1, words=len(text.split()))
    original = words(text)
    counts.zwnj = sum(len(w.zwnj) for w in original)
    for theirs, ours in aligned(original, words(repair(text.replace(ZWNJ, "")))):
        counts.restored += len(theirs.zwnj & ours.zwnj)
        counts.inserted += len(ours.zwnj)
        extra = len(ours.zwnj - theirs.zwnj)
        counts.inserted_wrong += extra
        counts.inserted_unsupported += 0 if spellings.supports(ours, theirs) else extra
    for theirs, ours in aligned(original, words(repair(text))):
        extra = len(ours.zwnj - theirs.zwnj)
        if extra:
            counts.added += extra
            if not spellings.supports(ours, theirs):
                counts.added_unsupported += extra
                counts.examples[theirs.spelling, ours.spelling] += 1
    return counts


# ----- the sets -----------------------------------------------------------------------------------------
def treebank(data: Path) -> list[tuple[str, str]]:
    """(half, sentence) for every sentence of perdt-dev.jsonl."""
    path = data / "zwnj" / "perdt-dev.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
        row = json.loads(line)
        for k, sentence in enumerate(SENTENCE_END.split(row["text"])):
            out.append((half(f"{row['id']}-{k}"), sentence))
    return out


def news(data: Path, name: str, every: int = 1) -> list[tuple[str, str]]:
    """(half, line) for the title, lead and body lines of the articles of articles/NAME.jsonl."""
    path = data / "articles" / f"{name}.jsonl"
    out = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    for n, line in enumerate(lines):
        if not line.strip() or n % every:
            continue
        row = json.loads(line)
        body = row["text"].replace(" [n] ", "\n").replace("[n]", "\n").split("\n")
        out += [(half(row["id"]), text) for text in (row["title"], row["lead"], *body) if text.strip()]
    return out


def evaluate_set(
    texts: list[tuple[str, str]], repair: Callable[[str], str], spellings: Spellings | None = None
) -> dict[str, Counts]:
    spellings = spellings or Spellings(text for _, text in texts)
    totals = {"all": Counts(), "A": Counts(), "B": Counts()}
    for part, text in texts:
        counts = measure(text, repair, spellings)
        totals["all"] += counts
        totals[part] += counts
    return totals


def report(name: str, totals: dict[str, Counts], out: Callable[[str], object] = print) -> None:
    c = totals["all"]
    out(f"  {name}: {c.texts} texts, {c.words} words, {c.zwnj} ZWNJs inside words")
    for part in ("all", "A", "B"):
        t = totals[part]
        out(
            f"    {part:<3} de-ZWNJ'd: recall {t.recall:.3f}  precision {t.precision:.3f}"
            f" (supported by the set's spelling {t.precision_supported:.3f});"
            f"  already right: {t.per_words(t.added):.2f} ZWNJs added per {WORDS_PER_RATE} words,"
            f" {t.per_words(t.added_unsupported):.2f} unsupported"
        )
    if c.examples:
        shown = ", ".join(f"{a}→{b}" for (a, b), _ in c.examples.most_common(8))
        out(f"    most frequent unsupported additions: {shown}")


def zwnj_sets(data: Path) -> dict[str, tuple[list[tuple[str, str]], Spellings]]:
    """Each set with the spellings of the whole file it comes from."""
    train = news(data, "train")
    sets = {"treebank (perdt-dev)": treebank(data), "news dev.jsonl": news(data, "dev")}
    out = {name: (texts, Spellings(text for _, text in texts)) for name, texts in sets.items()}
    out[f"news train.jsonl (every {NEWS_SAMPLE}th article)"] = (
        news(data, "train", NEWS_SAMPLE),
        Spellings(text for _, text in train),
    )
    return out


def print_zwnj_report(repair: Callable[[str], str], data: Path | None = None) -> None:
    data = data or shared_data()
    print("\nZWNJ repair (half A was looked at while writing the rules; half B is held out)")
    if data is None:
        print("  (no ../shared/data: skipped)")
        return
    for name, (texts, spellings) in zwnj_sets(data).items():
        if texts:
            report(name, evaluate_set(texts, repair, spellings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.evaluate_zwnj", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="the shared data folder (default: found)")
    args = parser.parse_args(argv)
    from bot.text.engine import get_engine

    print_zwnj_report(get_engine().normalize, args.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
