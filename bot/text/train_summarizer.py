"""Learn the sentence scorer of bot/text/summarize.py from articles with editors' leads.

    python -m bot.text.train_summarizer [--out bot/text/summary_weights.json] [PATH.jsonl ...]

By default it reads ../shared/data/articles/train.jsonl and dev.jsonl. Every article gives the forms its
sentences may be shown in at a budget of the lead's length (whole or grammatically shortened; up to two per
sentence: the longest within the budget and the longest within the ceiling), with their features and their
ROUGE-1 against the lead. A linear scorer is fitted with a listwise loss: the softmax of its scores over the
forms within the ceiling should match the softmax of their ROUGE-1 (cross-entropy, L2 on standardized
features, full-batch Adam; numpy, deterministic). Only which form ranks first matters, so the weights are
stored for the raw features (the standardization folded in, the constant dropped). Then the margin for
filling the budget with further sentences is chosen on the same articles.

The length rule (`--overflow`, `--overflow-chars`; shipped: 0.25 and 40) is a product choice. A summary is
asked for at a length; an admin accepts one that ends its sentence a little past it, not one twice as long.
So a whole sentence may run past the budget by a quarter of it, or by 40 characters (about seven words) when
that is more, which matters for the short budgets of editors' leads (never past twice the budget); a text
longer than that is cut at a word within the budget. The evaluation gives the baselines the same rule
(`summarize.within_length`), so that the margin measures the choice of sentence, not the length allowed.
Measured left-one-source-out at lead-length budgets, ours and the baselines under the same rule (ROUGE-1
margin over the best of Lead-1, Lead-2 and title similarity; share of our summaries ending where an article
sentence ends; mean length of ours against the budget):
    rule                       dev    fars  varzesh3   ends at a sentence end   length
    hard budget (0, 0)        +0.1   -5.2   -2.9       82-88 %                  84-87 %
    0.25, no minimum          +1.2   -1.8   -1.1       89-98 %                  94-99 %
    0.25 or 40 characters     +3.9   -1.2   -0.2       93-98 %                  102-103 %   (shipped)
    0.5 or 40 characters      +4.1   -1.1   +0.3       94-100 %                 107-113 %
    1.0 (twice the budget)    +2.5    0.0   +1.1       97-100 %                 121-133 %
    shipped rule, with the forms and features of the previous version (a relative clause on a definite subject,
    linking openings, first whole clauses before a word cut; words shared with the title and the first
    sentence as ROUGE counts them), `make eval`:
                              +4.8   -0.9   +0.1       93.1-97.5 %              102 %
    with the forms of this version (opening subordinate clauses and opening phrases of time and place, a role
    in apposition, a topic label before a quote, an adjunct running on to the verb of saying), `make eval`:
                              +4.8   -1.0   +0.2       93.3-97.5 %              102-103 %
Under a hard budget even the best possible choice of whole, grammatically shortened sentences (an oracle
that reads the lead) stays below title similarity cut at the budget on fars (32 against 36): the editors'
leads are shorter than the sentences they rewrite, and a sentence's first words, cut anywhere, are its most
lead-like part. `make eval` prints the table under the shipped rule and under a hard budget.

Where the margin is lost (shipped rule, measured on train): in about half of the fars and varzesh3 articles the
sentence most like the title is longer than the ceiling, so title similarity shows its opening cut at a word; the
best form within the ceiling that any scorer could choose (an oracle reading the lead) scores below that cut
there (fars 30.4 against 32.6). Over all articles the oracle of the forms within the ceiling reaches 40.8 on fars
and 30.1 on varzesh3 (the best pair of forms 41.6 and 30.9), the best sentence cut at a word 46.5 and 36.7
(measured with the forms before the previous version). The forms of this version give a form within the ceiling to
the title-most-like sentence in 118 of the 814 varzesh3 articles where it is longer than the ceiling (113 before;
fars 187 of 531, 185 before), leave 114 varzesh3 articles with no form of any sentence within the ceiling (118
before; fars 40, 42 before) and raise the oracle of the forms within the ceiling to 30.7 on varzesh3 and 41.4 on
fars (30.5 and 41.1 before); held out that is +0.1 on varzesh3, -0.1 on fars (within rounding) and +0.2 points of
summaries ending where an article sentence ends on fars and varzesh3. Looser versions of the same rules (an opening
subordinate clause also when `اما` answers it, opening phrases of any length, a role with `و` in it) reached 131 and
108 on varzesh3 and dev +4.9, fars -0.9, varzesh3 +0.2 (at end 93.6 %), but on a sample of train a good share of
their forms had lost the subject (`با اینکه X ... بود، اما معتقد است ...` → `معتقد است ...`) or a list's first item,
so they are not shipped. Tried and left out: a quote of several sentences closed after fewer of them (`X گفت: «A. B.
C.»` → `X گفت: «A.»`; 196 of 814, oracle 31.4): held out dev +4.6, fars -1.0, varzesh3 +0.3, but varzesh3's
summaries ending where an article sentence ends fell to 90.3 % (94.3 % counting the ends of a quote's own
sentences). What moved the held-out figures: the word overlaps with the title and the first sentence (dev +0.9, fars
+0.5, varzesh3 +0.1). What did not (within 0.1): the other features normalized within the article (minus the
article's best, z-scores, rank), position × title/centrality/length interactions, a lead-likelihood of each word
learned per word class (in the title, how often and how early in the article), other temperatures and L2.
Other scorers and losses, on the features of this version, measured the same way (left-one-source-out, the fill
margin chosen on the training sources; margin over the best baseline dev / fars / varzesh3; at end 97.5 / 95.5-95.7
/ 93.0-93.2 % in every row; dev is 40 articles):
    scorer                                                                    dev    fars  varzesh3
    linear, listwise cross-entropy (shipped)                                 +4.8   -0.9   +0.1
    one hidden layer of 16 (tanh) beside the linear part, same loss          +5.5   -3.5   -0.4
    the same with 4 hidden units and strong L2 (0.1): it learns the linear   +4.8   -0.9   +0.1
    linear, then 60 boosted stumps (shrinkage 0.3) on the listwise loss      +5.3   -0.9    0.0
    linear, expected ROUGE of the softmax choice as the loss (sharpness 10)  +5.1   -2.5   -0.3
    ... sharpness 3, L2 0.01                                                 +4.9   -1.8   -0.1
    each source weighing the same in the loss (dev as much as the other)     +5.1   -0.8    0.0
    ... L2 0.3 (unweighted: +4.2, -0.9, 0.0)                                 +4.2   -0.8   -0.1
    pseudo-lead overlaps added (ROUGE-1 F against the title-similarity       +4.8   -1.1   +0.3
    sentence cut at the budget, the first sentence cut at the budget, title
    + first sentence; each also minus the article's best)
    22 of the features that should carry across sources (position, title      +4.8   -0.8   -0.1
    and first-sentence overlaps, length, openings), sources weighing the same
What more capacity learns is the training source's own lead style: dev, of many agencies like the sources the
product meets, gains a little, the other train source loses. Why selection alone cannot reach a margin of +2 on
fars (shipped weights, measured on train): the loss is in which sentence is chosen, not in which of its forms,
and little in the filling (the best pair of forms above is 0.8 over the best form). Over the articles with a form
within the ceiling, one form and no filling, the scorer's choice scores fars 36.6 and varzesh3 24.6, the scorer's
sentence in its best form 36.8 and 24.7, the best sentence in the scorer's form 42.4 and 32.5 (so choosing whole
against shortened by expected ROUGE can gain 0.2 at most). In the
half of fars where the sentence most like the title is longer than the ceiling, title similarity's word cut
scores 31.9 and the best form within the ceiling 31.5 (ours 29.2); in the other half ours is 43.0 against 41.4
(best 50.1). And at end: no form of any sentence fits the ceiling in 3.9 % of fars and 6.8 % of varzesh3, so no
choice of forms ends at a sentence end in more than 96.1 and 93.2 % of them; more needs shorter forms.
Those articles (fars 40, varzesh3 114, dev 1) have their shortest form of any sentence at a median 1.22 times the
ceiling; in 17 of them some unit of three words or more fits (headings, captions, sentences under five words).
Counting a summary that ends with a shorter form of an article sentence as ending there (a part dropped near the
end, a role in apposition, hid it) gives the at-end figures of `make eval` from this version (first row below).
Tried since, held out at lead-length budgets (margin dev / fars / varzesh3; at end, the same three):
    what                                                                dev    fars  varzesh3  at end
    shipped forms, at end counting shorter forms                       +4.8   -1.0   +0.2     97.5 / 96.3 / 93.5 %
    when no sentence fits, the runner-up's first clauses before a word  +4.8   -1.0   +0.3     97.5 / 96.3 / 93.5 %
      cut (shipped; word cuts on train: fars 36 → 32, varzesh3 90 → 77;
      down to the third sentence: varzesh3 -0.07 ROUGE, 58 word cuts)
    linking openings without a comma (`بر این اساس`, `لذا`, `گفتنی است   +4.8   -1.0   +0.3     97.5 / 96.4 / 93.5 %
      که`; shipped: ROUGE within 0.05)
    a sentence's first whole clauses (`A ... کرد و B ...` → `A ... کرد.`)  +4.9   -0.5   +0.7     92.5 / 88.7 / 85.9 %
      as a form of every sentence with none within the ceiling (not only
      as the fallback); the clause's end is not the article sentence's
    ... the same with the looser openings of the previous version       +4.9   -0.4   +0.5     92.5 / 90.2 / 88.2 %
    a relative clause on the subject with no comma after it, ending at  +4.8   -1.0   +0.2     97.5 / 96.3 / 93.6 %
      its first verb (`تیم X که ... شرکت کرده است امروز ... می‌رود`):
      in a sample of 30 of its forms about a third lost the meaning
      (`که` after a predicate, `امیدوارم که`; a modal's clause)
    the last of sentences joined by `؛` (`A؛ B.` → `B.`): not measured; in a sample of 25 more than half of the
      B lean on A (`همانطور که`, `چرا که`, `بلکه`, `حملاتی که ...`, a list without its subject)
The first-clause forms gain ROUGE where title similarity's word cut wins, but at the cost of the at-end share, so
they stay the fallback (now without openings that end on a word that only looks like a verb, `... میوه.`, or on a
clause waiting for its main clause, `اما طبق آنچه ... بود.`). Which comma-delimited spans do editors drop? Of the
articles of train whose most lead-like early sentence has 40 % of its words in the lead (718 of 2824), 93 have
three or more comma-delimited spans, and the 19 inner spans with under a quarter of their words in the lead share
no opening word: the leads rewrite rather than drop spans, so there is little for a learned form to learn from.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.text.engine import TextEngine, get_engine
from bot.text.rouge import rouge
from bot.text.summarize import FEATURES, WEIGHTS_PATH, Candidate, Model, Sentence, Summarizer, best_forms

ROOT = Path(__file__).resolve().parents[2]
# ../shared/data/articles beside the repository, or beside the folder that holds the git worktrees
DATA = next(
    (p / "shared" / "data" / "articles" for p in ROOT.parents if (p / "shared" / "data" / "articles").is_dir()),
    ROOT.parent / "shared" / "data" / "articles",
)
DEFAULT_FILES = (DATA / "train.jsonl", DATA / "dev.jsonl")
TEMPERATURE = 0.1  # ROUGE-1 differences of ten points make a form clearly better
L2 = 0.03
STEPS = 600
LEARNING_RATE = 0.05
OVERFLOW = 0.25  # the length rule: see the module docstring
OVERFLOW_CHARS = 40
FILL_MARGINS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)


@dataclass
class Article:
    """One article, normalized as the engine shows it, with its editors' lead."""

    group: str  # the source (a site or an agency set): the unit left out in validation
    title: str
    body: str
    lead: str


@dataclass
class Example:
    article: Article
    sentences: list[Sentence]
    candidates: list[Candidate]  # the forms that may be shown, several per sentence
    gains: list[float]  # ROUGE-1 F of each candidate's form against the lead

    @property
    def budget(self) -> int:
        return len(self.article.lead)


def group_of(record: dict) -> str:
    return record.get("source") or "dev"


def load(paths: Iterable[Path], engine: TextEngine) -> list[Article]:
    articles = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            body = record["text"].replace(" [n] ", "\n").replace("[n]", "\n")
            articles.append(
                Article(group_of(record), engine.normalize(record["title"]), engine.normalize(body), record["lead"])
            )
    return articles


def prepare(summarizer: Summarizer, articles: Iterable[Article]) -> list[Example]:
    examples = []
    for article in articles:
        sentences = summarizer.candidates(article.body)
        if not sentences:
            continue
        rows = summarizer.features(article.title, sentences, len(article.lead))
        examples.append(Example(article, sentences, rows, [rouge(c.form, article.lead).rouge1 for c in rows]))
    return examples


def fit(examples: Sequence[Example], ceiling_of: Callable[[int], int], steps: int = STEPS) -> list[float]:
    """Weights for the raw features (one per name in FEATURES), learned from the forms within the ceiling."""
    import numpy as np  # a training-time dependency only (the dev extra); the bot reads the JSON

    rows: list[list[float]] = []
    targets: list[float] = []
    starts: list[int] = []
    for example in examples:
        ceiling = ceiling_of(example.budget)
        fitting = [i for i, c in enumerate(example.candidates) if len(c.form) <= ceiling]
        if len(fitting) < 2:
            continue
        starts.append(len(rows))
        rows.extend(example.candidates[i].values for i in fitting)
        gains = np.array([example.gains[i] for i in fitting]) / TEMPERATURE
        q = np.exp(gains - gains.max())
        targets.extend(float(p) for p in q / q.sum())
    x = np.array(rows, dtype=np.float64)
    q = np.array(targets)
    starts_arr = np.array(starts)
    segment = np.repeat(np.arange(len(starts)), np.diff(np.append(starts_arr, len(rows))))
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, steps + 1):
        s = z @ w
        s -= np.maximum.reduceat(s, starts_arr)[segment]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts_arr)[segment]
        grad = z.T @ (p - q) / len(starts) + 2 * L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return [float(value) for value in w / scale]


def summarize_examples(summarizer: Summarizer, examples: Iterable[Example]) -> list[str]:
    """Our summary of every example at its lead's length, from the features already computed."""
    out = []
    for example in examples:
        scored = best_forms(len(example.sentences), example.candidates, summarizer.model.weights)
        out.append(summarizer.choose(example.sentences, scored, example.budget))
    return out


def mean_rouge1(summaries: Sequence[str], examples: Sequence[Example]) -> float:
    scores = [rouge(s, e.article.lead).rouge1 for s, e in zip(summaries, examples, strict=True)]
    return sum(scores) / max(1, len(scores))


def length_rule(overflow: float = OVERFLOW, overflow_chars: int = OVERFLOW_CHARS) -> Model:
    """A model with no weights yet and the given length rule (how far a whole sentence may overrun)."""
    return Model(FEATURES, (0.0,) * len(FEATURES), 0.0, overflow, overflow_chars)


def train(summarizer: Summarizer, examples: Sequence[Example]) -> Model:
    """Weights and fill margin learned from examples prepared by `summarizer`, under its model's length rule."""
    rule = summarizer.model
    weights = fit(examples, rule.ceiling)
    best: tuple[float, float] | None = None
    for margin in FILL_MARGINS:
        trial = Summarizer(summarizer.extractor, replace(rule, weights=tuple(weights), fill_margin=margin))
        score = mean_rouge1(summarize_examples(trial, examples), examples)
        if best is None or score > best[0] + 1e-9:
            best = (score, margin)
    assert best is not None
    return replace(rule, weights=tuple(weights), fill_margin=best[1])


def model_json(model: Model, sources: dict[str, int]) -> dict:
    return {
        "about": "Sentence scorer for bot/text/summarize.py; made by `python -m bot.text.train_summarizer`.",
        "trained_on": sources,
        "fill_margin": model.fill_margin,
        "overflow": model.overflow,
        "overflow_chars": model.overflow_chars,
        "weights": {name: round(w, 6) for name, w in zip(model.features, model.weights, strict=True)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.text.train_summarizer", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=list(DEFAULT_FILES), help="JSON lines with leads")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH, help="where to write the weights")
    parser.add_argument(
        "--overflow", type=float, default=OVERFLOW, help="how far past the budget a whole sentence may run (share)"
    )
    parser.add_argument(
        "--overflow-chars", type=int, default=OVERFLOW_CHARS, help="... or how many characters, if that is more"
    )
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"No data at {', '.join(missing)}", file=sys.stderr)
        return 2
    engine = get_engine()
    articles = load(args.paths, engine)
    summarizer = Summarizer(engine.terms, length_rule(args.overflow, args.overflow_chars))
    model = train(summarizer, prepare(summarizer, articles))
    sources: dict[str, int] = {}
    for article in articles:
        sources[article.group] = sources.get(article.group, 0) + 1
    args.out.write_text(json.dumps(model_json(model, sources), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(articles)} articles {sources}; fill margin {model.fill_margin}; weights written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
