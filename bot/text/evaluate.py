"""Measure the text engine on articles with editors' leads and tags (`make eval`).

    python -m bot.text.evaluate [PATH.jsonl] [--hashtags]

Prints, from one run: the summary table over ../shared/data/articles/train.jsonl and dev.jsonl (the shipped
scorer on each source, and each source held out: weights learned from the other sources only), then the held-out
rows again under a hard budget; ROUGE-1/2/L F of our summaries against the editors' leads at a budget equal to
each lead's length, with the Lead-1, Lead-2 and title-similarity baselines under the same budget and the same
length rule as ours (`within_length`: whole up to the model's ceiling, else cut at a word within the budget);
ZWNJ repair on the treebank and the news sets (see bot/text/evaluate_zwnj.py); hashtag overlap with the editors'
tags.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.text.cleanup import clean_article
from bot.text.engine import TextEngine, get_engine
from bot.text.evaluate_zwnj import print_zwnj_report
from bot.text.hashtags import MAX_TAGS, tag_overlap
from bot.text.normalize import matching_key
from bot.text.rouge import rouge
from bot.text.summarize import Model, Sentence, Summarizer, within_length
from bot.text.tag_prior import TagPrior, learn, tag_key
from bot.text.terms import cosine, idf_over
from bot.text.train_summarizer import (
    DATA,
    DEFAULT_FILES,
    Example,
    length_rule,
    load,
    prepare,
    summarize_examples,
    train,
)

DEFAULT_DATA = DATA / "dev.jsonl"


def load_articles(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_body(article: dict) -> str:
    return article["text"].replace(" [n] ", "\n").replace("[n]", "\n")


# ----- summaries --------------------------------------------------------------------------------------
Method = Callable[[TextEngine, str, str, int], str]


def ours(engine: TextEngine, title: str, body: str, budget: int) -> str:
    return engine.summarizer.summarize(title, body, budget)


def lead_k(k: int) -> Method:
    def method(engine: TextEngine, title: str, body: str, budget: int) -> str:
        sentences = engine.summarizer.candidates(body)[:k]
        return within_length(" ".join(s.text for s in sentences), budget, engine.summarizer.model.ceiling(budget))

    return method


def most_like_title(engine: TextEngine, title: str, sentences: list[Sentence]) -> Sentence:
    idf = idf_over(s.terms for s in sentences)
    title_terms = engine.terms.terms(title)
    return max(sentences, key=lambda s: (cosine(s.terms, title_terms, idf), -s.index))


def title_similarity(engine: TextEngine, title: str, body: str, budget: int) -> str:
    sentences = engine.summarizer.candidates(body)
    if not sentences:
        return ""
    best = most_like_title(engine, title, sentences)
    return within_length(best.text, budget, engine.summarizer.model.ceiling(budget))


METHODS: dict[str, Method] = {
    "ours": ours,
    "lead-1": lead_k(1),
    "lead-2": lead_k(2),
    "title-similarity": title_similarity,
}


def evaluate_summaries(engine: TextEngine, articles: list[dict]) -> dict[str, tuple[float, float, float]]:
    results = {}
    for name, method in METHODS.items():
        r1 = r2 = rl = 0.0
        for article in articles:
            title, body = engine.normalize(article["title"]), engine.normalize(article_body(article))
            score = rouge(method(engine, title, body, len(article["lead"])), article["lead"])
            r1, r2, rl = r1 + score.rouge1, r2 + score.rouge2, rl + score.rougeL
        n = max(1, len(articles))
        results[name] = (100 * r1 / n, 100 * r2 / n, 100 * rl / n)
    return results


# ----- summaries: learned scorer, held-out sources ---------------------------------------------------
@dataclass(frozen=True)
class SummaryRow:
    name: str
    articles: int
    scores: dict[str, float]  # ROUGE-1 F (%) of ours and of each baseline
    at_sentence_end: float  # % of our summaries that end where a sentence of the article ends
    shortened: float  # % of our summaries in which some sentence is not whole
    length: float  # mean length of our summaries, % of the budget

    @property
    def margin(self) -> float:
        return self.scores["ours"] - max(v for k, v in self.scores.items() if k != "ours")


def ends_at_sentence_end(summary: str, sentences: list[Sentence]) -> bool:
    """The summary ends as a sentence of the article ends, whole or in a shorter form (a form may drop a part
    near the end, `سپه، دروازه‌بان پارما، به بیرون فرستاد.` → `سپه به بیرون فرستاد.`, and keeps the end)."""
    if any(summary.endswith(s.text[-min(len(s.text), 30) :]) for s in sentences):
        return True
    return any(summary.endswith(form) for s in sentences for form in s.forms[1:])


def is_shortened(summary: str, sentences: list[Sentence]) -> bool:
    rest = summary
    for sentence in sorted(sentences, key=lambda s: -len(s.text)):
        rest = rest.replace(sentence.text, "")
    return bool(rest.strip())


def baseline_summaries(engine: TextEngine, example: Example, ceiling: int) -> dict[str, str]:
    """Lead-1, Lead-2 and title similarity from the same candidate sentences, under the length rule of ours."""
    sentences, budget = example.sentences, example.budget
    best = most_like_title(engine, example.article.title, sentences)
    return {
        "lead-1": within_length(sentences[0].text, budget, ceiling),
        "lead-2": within_length(" ".join(s.text for s in sentences[:2]), budget, ceiling),
        "title-similarity": within_length(best.text, budget, ceiling),
    }


def summary_row(engine: TextEngine, name: str, model: Model, examples: list[Example]) -> SummaryRow:
    ours = summarize_examples(Summarizer(engine.terms, model), examples)
    totals = dict.fromkeys(("ours", "lead-1", "lead-2", "title-similarity"), 0.0)
    at_end = shortened = 0
    length = 0.0
    for summary, example in zip(ours, examples, strict=True):
        lead = example.article.lead
        totals["ours"] += rouge(summary, lead).rouge1
        for method, text in baseline_summaries(engine, example, model.ceiling(example.budget)).items():
            totals[method] += rouge(text, lead).rouge1
        at_end += ends_at_sentence_end(summary, example.sentences)
        shortened += is_shortened(summary, example.sentences)
        length += len(summary) / max(1, example.budget)
    n = max(1, len(examples))
    return SummaryRow(
        name,
        len(examples),
        {k: 100 * v / n for k, v in totals.items()},
        100 * at_end / n,
        100 * shortened / n,
        100 * length / n,
    )


def summary_table(engine: TextEngine, examples: list[Example], summarizer: Summarizer) -> list[SummaryRow]:
    """The shipped scorer on each source, then each source held out: trained on the others, measured on it
    (examples prepared by `summarizer`, whose model's length rule applies to ours and to the baselines)."""
    groups = sorted({e.article.group for e in examples})
    rows = []
    if summarizer.model == engine.summarizer.model:
        rows = [
            summary_row(engine, f"{g} (shipped)", summarizer.model, [e for e in examples if e.article.group == g])
            for g in groups
        ]
    for group in groups:
        held_out = [e for e in examples if e.article.group == group]
        model = train(summarizer, [e for e in examples if e.article.group != group])
        rows.append(summary_row(engine, f"{group} held out", model, held_out))
    return rows


def length_rule_text(model: Model) -> str:
    if model.ceiling(1000) == 1000:
        return "hard budget: no summary runs past it"
    return (
        f"a whole sentence may run {100 * model.overflow:.0f} % past the budget or {model.overflow_chars} characters"
        " if that is more (never past twice the budget); a longer text is cut at a word within the budget"
    )


def print_summary_table(engine: TextEngine, paths: list[Path], hard_budget: bool = True) -> None:
    articles = load(paths, engine)
    rules = [engine.summarizer]
    if hard_budget:
        rules.append(Summarizer(engine.terms, length_rule(0.0, 0)))
    for summarizer in rules:
        examples = prepare(summarizer, articles)
        print("Summaries vs the editors' leads, ROUGE-1 F (%), budget = each lead's length")
        print(f"  Length rule, the same for ours and the baselines: {length_rule_text(summarizer.model)}")
        heads = ("ours", "lead-1", "lead-2", "title", "margin")
        print(
            f"  {'set':<28} {'n':>5} "
            + " ".join(f"{h:>6}" for h in heads)
            + f" {'at end':>7} {'short':>6} {'length':>7}"
        )
        for row in summary_table(engine, examples, summarizer):
            s = row.scores
            print(
                f"  {row.name:<28} {row.articles:>5} {s['ours']:6.1f} {s['lead-1']:6.1f} {s['lead-2']:6.1f}"
                f" {s['title-similarity']:6.1f} {row.margin:+6.1f} {row.at_sentence_end:6.1f}% {row.shortened:5.1f}%"
                f" {row.length:6.1f}%"
            )
        print("  (margin: ours minus the best baseline; at end: summaries ending where an article sentence ends;")
        print("   short: summaries with a sentence shortened or cut; length: mean length of ours, % of the budget;")
        print("   `held out`: weights learned without that source)\n")


def evaluate_hashtags(engine: TextEngine, articles: list[dict]) -> dict[str, float]:
    ours_total = ours_matched = editor_total = editor_matched = hit_articles = 0
    for article in articles:
        tags = engine.hashtags.extract(engine.normalize(article["title"]), engine.normalize(article_body(article)))
        matched_ours, matched_editors = tag_overlap(tags, article["tags"])
        ours_total += len(tags)
        ours_matched += matched_ours
        editor_total += len(article["tags"])
        editor_matched += matched_editors
        hit_articles += bool(matched_ours)
    return {
        "precision": ours_matched / max(1, ours_total),
        "recall": editor_matched / max(1, editor_total),
        "articles_with_a_match": hit_articles / max(1, len(articles)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA, help="JSON lines with title/lead/text/tags")
    parser.add_argument(
        "--articles",
        type=Path,
        default=DEFAULT_FILES[0].parent,
        help="folder with train.jsonl and dev.jsonl for the summary table",
    )
    parser.add_argument(
        "--no-held-out", action="store_true", help="skip the summary table over train and dev (left-one-source-out)"
    )
    parser.add_argument(
        "--no-hard-budget", action="store_true", help="skip the same table under a hard budget (no overrun)"
    )
    parser.add_argument(
        "--hashtags", action="store_true", help="only the hashtag figures (the last two tables; under a minute)"
    )
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"No data at {args.path}", file=sys.stderr)
        return 2
    articles = load_articles(args.path)
    started = time.perf_counter()
    engine = get_engine()
    print(f"{len(articles)} articles from {args.path} (engine loaded in {time.perf_counter() - started:.1f} s)\n")
    if not args.no_held_out and not args.hashtags:
        paths = [p for p in (args.articles / f.name for f in DEFAULT_FILES) if p.exists()]
        print_summary_table(engine, paths, not args.no_hard_budget)
    if not args.hashtags:
        print("Summaries vs the editors' leads, budget = each lead's length (ROUGE F, %), the length rule above")
        print(f"  {'method':<18} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
        for name, (r1, r2, rl) in evaluate_summaries(engine, articles).items():
            print(f"  {name:<18} {r1:6.1f} {r2:6.1f} {rl:6.1f}")
        print_zwnj_report(engine.normalize)
    h = evaluate_hashtags(engine, articles)
    print("\nHashtags vs the editors' tags")
    print(
        f"  precision {h['precision']:.2f}  recall {h['recall']:.2f}  "
        f"articles with at least one match {h['articles_with_a_match']:.2f}"
    )
    train_path = args.path.with_name("train.jsonl")
    if train_path.exists():
        print_tags_and_sources(engine, articles, load_articles(train_path))
    return 0


# ----- hashtags and sources per site -------------------------------------------------------------------
SITE_NAMES = {"fars": "فارس", "varzesh3": "ورزش سه"}  # the train file's sources, by the name their pages use


def site_of(article: dict) -> str:
    return str(article.get("source") or article.get("agency") or "?")


def _key(text: str) -> str:
    return tag_key(text).replace(" ", "")


def evaluate_site_hashtags(engine: TextEngine, articles: list[dict], prior: TagPrior) -> dict[str, float]:
    """Share of our hashtags equal to one of the site's own tags (a qualifier such as `(سرمربی)` aside), with
    a tag prior that has never seen these articles' source. `equal` counts the articles the site tagged (an
    untagged article says nothing about our tags); `equal_all` counts every article, as the older figure did."""
    extractor = engine.hashtags
    saved, extractor.prior = extractor.prior, prior
    ours = equal = ours_tagged = 0
    at_rank = [0] * MAX_TAGS  # our hashtags at each rank (1st, 2nd, ...) in the articles the site tagged
    equal_at_rank = [0] * MAX_TAGS
    try:
        for article in articles:
            tags = extractor.extract(engine.normalize(article["title"]), engine.normalize(article_body(article)))
            editors = {_key(t) for t in article["tags"]}
            ours += len(tags)
            ours_tagged += len(tags) if editors else 0
            equal += sum(_key(t) in editors for t in tags)
            for rank, tag in enumerate(tags if editors else ()):
                at_rank[rank] += 1
                equal_at_rank[rank] += _key(tag) in editors
    finally:
        extractor.prior = saved
    return {
        "articles": len(articles),
        "hashtags": ours,
        "equal": equal / max(1, ours_tagged),
        "equal_all": equal / max(1, ours),
        **{f"rank{r + 1}": n for r, n in enumerate(at_rank)},
        **{f"equal_rank{r + 1}": e / max(1, n) for r, (n, e) in enumerate(zip(at_rank, equal_at_rank, strict=True))},
    }


def held_out_hashtags(engine: TextEngine, dev: list[dict], train: list[dict]) -> dict[str, dict[str, float]]:
    """Each source held out: dev with the prior learned from train; each source of train with the prior
    learned from train's other sources and dev (so a source's own tags never help its figure)."""
    results = {"dev": evaluate_site_hashtags(engine, dev, learn(_with_lines(train)))}
    for site in sorted({site_of(a) for a in train}):
        others = [a for a in train if site_of(a) != site] + dev
        results[site] = evaluate_site_hashtags(
            engine, [a for a in train if site_of(a) == site], learn(_with_lines(others))
        )
    return results


def _with_lines(articles: list[dict]) -> list[dict]:
    return [dict(a, text=article_body(a)) for a in articles]


def evaluate_sources(articles: list[dict]) -> dict[str, float]:
    """Share of articles whose source, read from the page text, is the site that published them."""
    right = named = 0
    for article in articles:
        expected = SITE_NAMES.get(site_of(article), site_of(article))
        found = clean_article(f"{article['title']}\n{article_body(article)}").source
        named += found is not None
        right += found is not None and matching_key(found) == matching_key(expected)
    return {"right": right / max(1, len(articles)), "named": named / max(1, len(articles))}


def print_tags_and_sources(engine: TextEngine, dev: list[dict], train: list[dict]) -> None:
    """Per site, held out (see `held_out_hashtags`): hashtags equal to the site's tags, and sources read right."""
    print("\nHashtags equal to the site's own tags (source held out of the tag prior), and sources named right")
    for site, h in held_out_hashtags(engine, dev, train).items():
        articles = [a for a in train if site_of(a) == site] if site != "dev" else dev
        s = evaluate_sources(articles) if site != "dev" else evaluate_sources_by_agency(articles)
        print(
            f"  {site:<10} {len(articles):>5} articles  hashtags equal {100 * h['equal']:5.1f} %"
            f" (of all articles {100 * h['equal_all']:5.1f} %)"
            f"  source right {100 * s['right']:5.1f} %  named {100 * s['named']:5.1f} %"
        )
        ranks = [r for r in range(1, MAX_TAGS + 1) if h[f"rank{r}"]]
        print(
            f"  {'':<10} by rank: "
            + "  ".join(f"{r}: {100 * h[f'equal_rank{r}']:5.1f} % of {h[f'rank{r}']:.0f}" for r in ranks)
        )
    print("  (hashtags equal: over the articles the site tagged; fars left half its articles untagged;")
    print("   by rank: the share of our 1st, 2nd, ... hashtags equal to one of the site's tags)")


def evaluate_sources_by_agency(articles: list[dict]) -> dict[str, float]:
    """Dev articles carry their agency's name (`agency`)."""
    return evaluate_sources([dict(a, source=a.get("agency")) for a in articles])


if __name__ == "__main__":
    sys.exit(main())
