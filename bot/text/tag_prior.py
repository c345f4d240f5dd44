"""What editors make tags, learned from articles with their sites' own tags.

    python -m bot.text.tag_prior [TRAIN.jsonl ...]      # writes bot/text/data/tag_prior.json

For every phrase editors tagged at least twice: how many articles it was a tag of and how many articles
mention it (its "keyphraseness", as in KEA), and the shown form editors use. For the words of a name that
articles mention on their own (`پرسپولیس` for `پرسپولیس تهران`, `رئال` for `رئال مادرید`): the full name,
when most articles whose headline has the word are tagged with it. First names: the first words of names
editors tag whole that articles then call by the surname (`علیرضا` of `علیرضا منصوریان`). Common words: the
share of articles that use each word (stem) used by at least one article in 200; words every story uses (`تیم`
on a sports site, `استان` in regional news) say little about one story, though general Persian (hazm's
frequencies) may find them rare. The shipped file
is learned from ../shared/data/articles/train.jsonl and dev.jsonl (Apache-2.0 and the project's own set).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.text.normalize import matching_form
from bot.text.terms import TermExtractor

DATA = Path(__file__).with_name("data") / "tag_prior.json"
# ../shared beside the repository (a worktree may sit one level deeper).
SHARED_ARTICLES = next(
    (p / "shared" / "data" / "articles" for p in Path(__file__).resolve().parents[2:5] if (p / "shared").is_dir()),
    Path(__file__).resolve().parents[3] / "shared" / "data" / "articles",
)
MIN_TAGGED = 2
MAX_WORDS = 4
ALIAS_MIN = 3
ALIAS_SHARE = 0.5
MIN_NAMES = 2
COMMON_SHARE = 0.005  # words used by fewer articles are not stored: their share says nothing a word list doesn't
COMMON_MIN_ARTICLES = 10  # nor by fewer than this many (a handful of articles tells no common word)
QUALIFIER = re.compile(r"\([^)]*\)")  # `زیدان (سرمربی)`: the qualifier tells people apart, it is not the name


def tag_key(tag: str) -> str:
    """A tag's words in the matching form, without a qualifier in parentheses."""
    return matching_form(QUALIFIER.sub(" ", tag.lstrip("#").replace("_", " ")))


@dataclass
class TagPrior:
    """phrase key → (articles tagged with it, articles mentioning it, shown form); word key → full name key;
    word stem → share of articles using it (only the common ones)."""

    phrases: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    given_names: frozenset[str] = frozenset()
    common: dict[str, float] = field(default_factory=dict)

    def keyphraseness(self, key: str) -> float:
        entry = self.phrases.get(key)
        return entry[0] / (entry[1] + 2) if entry else 0.0

    def shown(self, key: str) -> str | None:
        entry = self.phrases.get(key)
        return entry[2] if entry else None

    @classmethod
    def load(cls, path: Path = DATA) -> TagPrior:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        phrases = {k: (int(v[0]), int(v[1]), str(v[2])) for k, v in data["phrases"].items()}
        common = {k: float(v) for k, v in data.get("common", {}).items()}
        return cls(phrases, data["aliases"], frozenset(data.get("given_names", ())), common)

    def save(self, path: Path = DATA) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "phrases": dict(sorted(self.phrases.items())),
            "aliases": dict(sorted(self.aliases.items())),
            "given_names": sorted(self.given_names),
            "common": {k: round(v, 4) for k, v in sorted(self.common.items())},
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def _ngrams(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + n]) for n in range(1, MAX_WORDS + 1) for i in range(len(words) - n + 1)}


def learn(articles: Iterable[dict], terms: TermExtractor | None = None) -> TagPrior:
    """Learn from articles with `title`, `text` and `tags` (the format of ../shared/data/articles)."""
    articles = list(articles)
    terms = TermExtractor() if terms is None else terms
    used: Counter[str] = Counter()
    tagged: Counter[str] = Counter()
    surfaces: defaultdict[str, Counter[str]] = defaultdict(Counter)
    grams_per_article = []
    title_words_per_article = []
    keys_per_article = []
    for article in articles:
        keys = set()
        for tag in article.get("tags", []):
            key = tag_key(tag)
            if key and len(key.split()) <= MAX_WORDS:
                keys.add(key)
                surfaces[key][" ".join(QUALIFIER.sub(" ", tag).split())] += 1
        tagged.update(keys)
        keys_per_article.append(keys)
        grams_per_article.append(_ngrams(matching_form(f"{article['title']}\n{article['text']}").split()))
        title_words_per_article.append(set(matching_form(article["title"]).split()))
        used.update(set(terms.terms(f"{article['title']}\n{article['text']}")))
    vocabulary = {key for key, n in tagged.items() if n >= MIN_TAGGED and not key.isdigit()}
    mentioned: Counter[str] = Counter()
    alias_hits: defaultdict[str, Counter[str]] = defaultdict(Counter)
    word_mentions: Counter[str] = Counter()
    names = {key for key in vocabulary if len(key.split()) > 1 and tagged[key] >= ALIAS_MIN}
    name_words = {word for key in names for word in key.split() if len(word) > 2}
    for grams, title_words, keys in zip(grams_per_article, title_words_per_article, keys_per_article, strict=True):
        mentioned.update(vocabulary & grams)
        for word in name_words & title_words:  # a headline names the story's subject
            word_mentions[word] += 1
            for key in keys & names:
                if word in key.split():
                    alias_hits[word][key] += 1
    prior = TagPrior()
    for key in vocabulary:
        prior.phrases[key] = (tagged[key], max(mentioned[key], tagged[key]), surfaces[key].most_common(1)[0][0])
    for word, hits in alias_hits.items():
        key, n = hits.most_common(1)[0]
        if n >= ALIAS_MIN and n >= ALIAS_SHARE * word_mentions[word] and n > tagged[word]:
            prior.aliases[word] = key
    prior.given_names = _given_names(articles, keys_per_article, tagged)
    total = max(1, len(articles))
    prior.common = {
        stem: n / total for stem, n in used.items() if n >= COMMON_MIN_ARTICLES and n / total >= COMMON_SHARE
    }
    return prior


def _given_names(articles: list[dict], keys_per_article: list[set[str]], tagged: Counter[str]) -> frozenset[str]:
    """First names: the first word of two-word names editors tagged (`علیرضا منصوریان`) where the article
    writes the name whole and then by its last word alone, and uses the first word nowhere else; kept when
    that holds for two names or more, more often than the word is used apart, and the word is no tag itself."""
    names: defaultdict[str, set[str]] = defaultdict(set)
    apart: Counter[str] = Counter()
    for article, keys in zip(articles, keys_per_article, strict=True):
        words = matching_form(f"{article['title']}\n{article['text']}").split()
        text, count = f" {' '.join(words)} ", Counter(words)
        for key in keys:
            first, *rest = key.split()
            if len(rest) != 1 or len(first) < 2:
                continue
            whole = text.count(f" {key} ")
            if whole and count[rest[0]] > whole:
                if count[first] == whole:
                    names[first].add(key)
                else:
                    apart[first] += 1
    return frozenset(
        word for word, keys in names.items() if len(keys) >= MIN_NAMES and apart[word] < len(keys) and not tagged[word]
    )


def load_articles(paths: Iterable[Path]) -> list[dict]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                article = json.loads(line)
                article["text"] = article["text"].replace(" [n] ", "\n").replace("[n]", "\n")
                out.append(article)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.tag_prior", description=__doc__.splitlines()[0])
    default = [SHARED_ARTICLES / "train.jsonl", SHARED_ARTICLES / "dev.jsonl"]
    parser.add_argument("paths", nargs="*", type=Path, default=default)
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"No data at {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    prior = learn(load_articles(args.paths))
    prior.save(args.out)
    print(f"{len(prior.phrases)} tag phrases and {len(prior.aliases)} name aliases written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
