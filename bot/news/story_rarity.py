"""How rare each word is in agency news, for the story signals (bot/news/stories.py).

    python -m bot.news.story_rarity [TRAIN.jsonl]      # writes bot/news/story_rarity.json

Document frequency of each content-word stem over the title, lead and text of every article of
../shared/data/articles/train.jsonl (an agency archive and a sports site, Apache-2.0: see
`LICENSE-story_rarity.txt`, a copy of that file's licence). Stems used by a single article are left out:
a word the file does not list is as rare as a word seen once.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bot.news.stories import RARITY_PATH, SignalExtractor
from bot.text.tag_prior import SHARED_ARTICLES

MIN_DOCUMENTS = 2


def frequencies(path: Path) -> tuple[int, Counter[str]]:
    extractor = SignalExtractor()
    counts: Counter[str] = Counter()
    documents = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        article = json.loads(line)
        text = " ".join(str(article.get(k) or "") for k in ("title", "lead", "text")).replace("[n]", " ")
        counts.update(extractor.content_terms(text))
        documents += 1
    return documents, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=SHARED_ARTICLES / "train.jsonl")
    parser.add_argument("--out", type=Path, default=RARITY_PATH)
    args = parser.parse_args(argv)
    documents, counts = frequencies(args.path)
    kept = {term: n for term, n in sorted(counts.items()) if n >= MIN_DOCUMENTS}
    args.out.write_text(
        json.dumps({"documents": documents, "source": args.path.name, "df": kept}, ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{documents} documents, {len(kept)} stems kept → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
